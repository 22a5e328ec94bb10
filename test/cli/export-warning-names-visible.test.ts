// export warns about live objects it skips, naming them; a name made in the org may hold an ESC
// (an OSC title sequence, a cursor move) or a line break, which must reach the terminal visibly,
// as plan and drift show names.
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const open: { emu: TestEmulator; dir: TempDir }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.emu.close();
    await o.dir.remove();
  }
});

describe('export warnings naming live objects', () => {
  it('show an ESC and a line break in a skipped object’s name visibly', { timeout: 60_000 }, async () => {
    const dir = await tempDir('promptctl-export-names-');
    const emu = await startTestEmulator({});
    open.push({ emu, dir });
    await emu.api.createTemplate({ name: 'x\u001b]0;pwned\u0007\r\u001b[2Kforged', model: 'gpt-4o' });
    const r = await runCliInProcess(['export', '--out', 'adopted'], { cwd: dir.path, env: emu.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(r.stderr).toContain('warning: skipped PromptTemplate/x\\u001b]0;pwned\\u0007\\u000d\\u001b[2Kforged:');
  });
});
