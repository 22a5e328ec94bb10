// The user's --dir and `plan --out` names may hold an ESC or a line break: every message that
// names them (a refusal of invalid files, the saved plan, a command to run next, export's --out
// that is a file) shows them made visible, as validate names files, so they can neither drive
// the terminal nor forge a line.
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const NAME = 'x\u001b[2Jy\nerror: forged';
const SHOWN = 'x\\u001b[2Jy\\u000aerror: forged';

describe('names the user gives, in messages', () => {
  it('plan --out: the saved file, and the apply command to run next (with --dir)', async () => {
    s = await scenario();
    await cp(join(s.dir.path, 'prompts'), join(s.dir.path, NAME), { recursive: true });
    const r = await s.cli(['plan', '--dir', NAME, '--out', NAME + '.json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).not.toMatch(/^error: forged/m);
    expect(r.stderr).toContain(`plan saved to ${SHOWN}.json: apply it with \`promptctl apply --dir '${SHOWN}' '${SHOWN}.json'\``);
  });

  it('a directory of invalid files, and export --out naming a file', async () => {
    s = await scenario();
    await cp(join(s.dir.path, 'prompts'), join(s.dir.path, NAME), { recursive: true });
    await writeFile(join(s.dir.path, NAME, 'broken.yaml'), 'apiVersion: [\n');
    const r = await s.cli(['plan', '--dir', NAME]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).not.toMatch(/^error: forged/m);
    expect(r.stderr).toContain(`in ${SHOWN}: nothing was planned`);

    await writeFile(join(s.dir.path, 'file' + NAME), 'x');
    const e = await s.cli(['export', '--out', 'file' + NAME]);
    expect(e.code).toBe(1);
    expect(e.stderr).not.toContain('\u001b');
    expect(e.stderr).toContain(`--out file${SHOWN} is a file, not a directory`);
    // A file on the way to it is named as such (it said the missing folder was a file: a review's probe).
    const under = await s.cli(['export', '--out', `file${NAME}/sub`]);
    expect(under.code).toBe(1);
    expect(under.stderr).toContain(`--out file${SHOWN}/sub: part of its path is a file, not a directory`);
  });
});
