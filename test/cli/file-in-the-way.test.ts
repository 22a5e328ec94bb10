// A file where promptctl keeps a directory (.promptctl, or the folder of a configured audit
// file): apply said "error: internal: ENOTDIR …" and invited PROMPTCTL_DEBUG (a review's probe),
// where plan said which file was in the way. A user error: named, exit 1, nothing changed live.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario;
beforeEach(async () => {
  s = await scenario();
});
afterEach(async () => {
  await s.close();
});

describe('a file in the way of a directory promptctl writes in', () => {
  it('apply names it as the machine says, not as an internal error, and changes nothing', async () => {
    await writeFile(join(s.dir.path, '.promptctl'), 'hi\n');
    const r = await s.cli(['apply', '--auto-approve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: cannot write .promptctl/apply.lock, the apply lock beside the audit trail .promptctl/audit.jsonl: ENOTDIR (a file is in the way of a directory); nothing was applied');
    expect(r.stderr).not.toContain('internal');
    expect(r.stderr).not.toContain('PROMPTCTL_DEBUG');
    expect(await s.emu.api.listTemplates()).toEqual([]);
  });
});
