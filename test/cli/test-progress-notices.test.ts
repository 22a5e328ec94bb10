// On a terminal, `test` draws its progress bar in place: a notice said meanwhile (a wait for the
// rate limit's next window, a retry) ran on from the bar's end ("[###...] 2/7 casesrate limit: …").
// It now erases the bar, takes its own line, and the bar is drawn again below it.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { faqBehindRateLimit, manyCasesTest } from './evals-support.js';

let emu: TestEmulator | undefined;
let dir: TempDir | undefined;
afterEach(async () => {
  await emu?.close();
  await dir?.remove();
  emu = dir = undefined;
});

describe('a notice while the progress bar is drawn', () => {
  it('erases the bar, is said on a line of its own, and the bar comes back below it', async () => {
    dir = await tempDir('promptctl-test-bar-');
    // Three requests a window of 2.5 s: seven cases (a call each) finish over three windows, the
    // bar drawn between them, and each wait for the next window is said.
    emu = await faqBehindRateLimit(dir.path, 3, 2500);
    await writeFile(join(dir.path, 'prompts', 'tests', 'many.yaml'), manyCasesTest(7, { name: 'refund', question: 'How long does a refund take?', expect: 'contains: "working days"' }));
    const r = await runCliInProcess(['test'], { cwd: dir.path, env: emu.env, tty: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/cases(?:rate limit|retry)/);
    // Erased, said, drawn again.
    expect(r.stderr).toMatch(/\r\x1b\[Krate limit: [^\n]+\n\[[#.]+\] [1-6]\/7 cases/);
    // Erased at the end: the report starts on a clean line.
    expect(r.stderr.endsWith('\r\x1b[K')).toBe(true);
  });
});
