// On a terminal, `apply` keeps a progress bar on its last line: a notice said meanwhile (a wait
// for the rate limit's next window, which the client tells since it paces itself and meets no
// 429) ran on from the bar's end ("[###...] 2/6rate limit: …") and stayed in the scrollback so.
// The bar is drawn through the context's in-place line: erased, the notice on its own line, drawn
// again below.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { PROMPTS_YAML } from './evals-support.js';

let emu: TestEmulator | undefined;
let dir: TempDir | undefined;
afterEach(async () => {
  await emu?.close();
  await dir?.remove();
  emu = dir = undefined;
});

describe('apply on a terminal, held by the rate limit', () => {
  it('says each wait on a line of its own, never after the bar, and ends with the bar erased', async () => {
    dir = await tempDir('promptctl-apply-bar-');
    // Three requests a window of 2 s: the plan's reads and the writes of six actions take several
    // windows, the bar drawn between them, and each wait for the next window is said. (Five a 1.5 s
    // window let a loaded CI machine's slow requests spread past the windows once the bar was up.)
    emu = await startTestEmulator({ stateFile: join(dir.path, 'org.json'), rateLimit: 3, rateWindowMs: 2000 });
    await mkdir(join(dir.path, 'prompts'), { recursive: true });
    await writeFile(join(dir.path, 'prompts', 'faq.yaml'), `${PROMPTS_YAML}\n`);
    const r = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env, tty: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/rate limit: /);
    // Never run on from the bar.
    expect(r.stderr).not.toMatch(/\] \d+\/\d+(?:rate limit|retry)/);
    // Erased, said, drawn again.
    expect(r.stderr).toMatch(/\r\x1b\[Krate limit: [^\n]+\n\[[#.]+\] \d+\/\d+/);
  });
});
