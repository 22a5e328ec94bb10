// `export --out DIR` names DIR (the user's argument, which may hold an ESC or a line break) in its
// messages: made visible, as validate names files, so it can neither drive the terminal nor forge a line.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('export --out with control characters in the name', () => {
  it('names the directory escaped when it refuses it and when it writes to it', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const out = 'ex\u001b[2Jport\nerror: forged';
    await mkdir(join(s.dir.path, out));
    await writeFile(join(s.dir.path, out, 'x.txt'), 'x');
    const refused = await s.cli(['export', '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).not.toContain('\u001b');
    expect(refused.stderr).toContain('ex\\u001b[2Jport\\u000aerror: forged is not empty');

    const written = await s.cli(['export', '--out', out, '--force']);
    expect(written.code, written.stderr).toBe(0);
    const all = written.stdout + written.stderr;
    expect(all).not.toContain('\u001b');
    expect(all).not.toMatch(/^error: forged/m);
    expect(all).toContain('ex\\u001b[2Jport\\u000aerror: forged');
  });
});
