// export interrupted twice while the temp file of the file under way is being opened: its name is
// chosen (and handed to the second interrupt's clean-up), but the open that makes it has not
// completed when the signal is heard. The clean-up then found nothing to remove, the process
// ended, and the open, already under way, made the file after it: a temp file
// (tpl-0.yaml.<pid>.<id>.tmp) was left in --out. The interrupts are injected as that open starts,
// and it completes after them, as an open in flight does; nothing after the exit runs.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanEnv } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const TEMP = /^tpl-\d\.yaml\.\d+\.[0-9a-f]{8}\.tmp$/;

const race = vi.hoisted(() => ({ interrupt: undefined as (() => void) | undefined, temp: undefined as string | undefined, exited: false }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const ended = (): never => {
    throw Object.assign(new Error('the process has ended'), { code: 'EXITED' });
  };
  return {
    ...real,
    // The first temp file's open: both interrupts are heard while it is in flight, and it completes after them.
    open: (path: Parameters<typeof real.open>[0], ...rest: [Parameters<typeof real.open>[1]?, Parameters<typeof real.open>[2]?]) => {
      if (race.temp === undefined && race.interrupt !== undefined && TEMP.test(basename(String(path)))) {
        race.temp = String(path);
        race.interrupt();
        race.interrupt();
      }
      return real.open(path, ...rest);
    },
    // After the process has ended nothing of the write goes on (in-process, the run would).
    rename: (...args: Parameters<typeof real.rename>) => (race.exited ? Promise.reject(ended()) : real.rename(...args)),
    rm: (...args: Parameters<typeof real.rm>) => (race.exited ? Promise.reject(ended()) : real.rm(...args)),
  };
});

let dir: TempDir | undefined;
let emu: TestEmulator | undefined;
afterEach(async () => {
  Object.assign(race, { interrupt: undefined, temp: undefined, exited: false });
  await emu?.close();
  emu = undefined;
  await dir?.remove();
  dir = undefined;
});

describe('export, interrupted twice while the temp file of the file under way is being opened', () => {
  it('leaves no temp file in --out', async () => {
    dir = await tempDir('promptctl-export-interrupt-open-');
    emu = await startTestEmulator({ rateLimit: 1_000_000 });
    for (let i = 0; i < 3; i++) await emu.api.createTemplate({ name: `tpl-${i}`, model: 'gpt-4o-mini', labels: { 'managed-by': 'promptctl' } });
    const out = join(dir.path, 'out');
    const { run } = await import('../../src/cli/main.js');
    const stdout = { text: '', write(c: string) { this.text += c; } };
    const stderr = { text: '', write(c: string) { this.text += c; } };
    const atExit: Array<{ code: number; tempThere: boolean }> = [];
    await run(['export', '--out', 'out'], {
      stdout,
      stderr,
      stdin: Object.assign(Readable.from([]), { isTTY: false }),
      env: cleanEnv(emu.env),
      cwd: dir.path,
      color: false,
      onInterrupt(listener) {
        race.interrupt = listener;
        return () => (race.interrupt = undefined);
      },
      exitNow(code) {
        atExit.push({ code, tempThere: race.temp !== undefined && existsSync(race.temp) });
        race.exited = true;
      },
    });
    race.exited = false;
    expect(race.temp, stderr.text).toBeDefined();
    expect(atExit).toEqual([{ code: 130, tempThere: false }]);
    expect(stderr.text).toMatch(/^interrupted again: exiting now; the export in out is incomplete$/m);
    expect((await readdir(out)).filter((e) => e.endsWith('.tmp'))).toEqual([]);
  });
});
