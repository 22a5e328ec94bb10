// export interrupted twice, the second time while it writes a file (its temp file in --out): the
// process ends at once (exit 130), and the temp file it was writing is removed before it does.
// Once, a temp file (tpl-000.yaml.<pid>.<id>.tmp) was left in --out, which plan --dir reads past
// but git and the user see.
import { existsSync, watch } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
let emu: TestEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
  await dir?.remove();
  dir = undefined;
});

const TEMP = /^tpl-\d{3}\.yaml\.\d+\.[0-9a-f]{8}\.tmp$/;

describe('export, interrupted twice while it writes a file', () => {
  it('removes the temp file of the file under way before it exits, and says the export is incomplete', async () => {
    dir = await tempDir('promptctl-export-interrupt-');
    emu = await startTestEmulator({ rateLimit: 1_000_000 });
    for (let i = 0; i < 20; i++) await emu.api.createTemplate({ name: `tpl-${String(i).padStart(3, '0')}`, model: 'gpt-4o-mini', labels: { 'managed-by': 'promptctl' } });
    const out = join(dir.path, 'out');
    const { run } = await import('../../src/cli/main.js');
    const stdout = { text: '', write(c: string) { this.text += c; } };
    const stderr = { text: '', write(c: string) { this.text += c; } };
    let listening: (() => void) | undefined;
    let temp: string | undefined;
    // What --out held of the temp file when the process would have ended (in-process it goes on).
    const atExit: Array<{ code: number; tempThere: boolean }> = [];
    let watcher: ReturnType<typeof watch> | undefined;
    const code = await run(['export', '--out', 'out'], {
      stdout,
      stderr,
      stdin: Object.assign(Readable.from([]), { isTTY: false }),
      env: cleanEnv(emu.env),
      cwd: dir.path,
      color: false,
      onInterrupt(listener) {
        listening = listener;
        // --out exists once export listens: the first temp file that is still there is the file under way.
        watcher ??= watch(out, (_event, name) => {
          const path = join(out, String(name));
          if (temp !== undefined || !TEMP.test(String(name)) || !existsSync(path) || !listening) return;
          temp = path;
          listening();
          listening?.();
        });
        return () => (listening = undefined);
      },
      exitNow: (c) => atExit.push({ code: c, tempThere: temp !== undefined && existsSync(temp) }),
    });
    watcher?.close();
    expect(temp, stderr.text).toBeDefined();
    expect(atExit).toEqual([{ code: 130, tempThere: false }]);
    expect(stderr.text).toMatch(/^interrupted again: exiting now; the export in out is incomplete$/m);
    // In-process the run then goes on (its rename finds no temp file: exit 1); no temp file is left.
    expect(code, stderr.text).not.toBe(0);
    expect((await readdir(out)).filter((e) => e.endsWith('.tmp'))).toEqual([]);
  });
});
