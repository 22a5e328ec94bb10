// export interrupted while it writes a file, which then fails (here: a directory put where it
// goes, so its rename fails): the interrupt still wins (exit 130, DESIGN §5), and stderr says how
// many files were written, that the one under way could not be finished and why, and how to
// finish. It exited 1 with the write's error alone. The interrupt and the failure are injected as
// the second file's write starts (its temp file named).
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const at = vi.hoisted(() => ({ file: undefined as string | undefined, interrupt: undefined as (() => void) | undefined }));

// The real write, except that of `at.file`: the interrupt comes as it starts, and a non-empty
// directory then stands where the file goes (its rename fails).
vi.mock('../../src/util/atomic-file.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/util/atomic-file.js')>();
  return {
    ...real,
    writeFileAtomic: async (path: string, text: string, opts?: Parameters<typeof real.writeFileAtomic>[2]) => {
      if (at.file !== undefined && path.endsWith(at.file)) {
        at.interrupt?.();
        await mkdir(path);
        await writeFile(join(path, 'in-the-way'), '');
      }
      return real.writeFileAtomic(path, text, opts);
    },
  };
});

let dir: TempDir | undefined;
let emu: TestEmulator | undefined;
afterEach(async () => {
  at.file = undefined;
  at.interrupt = undefined;
  await emu?.close();
  emu = undefined;
  await dir?.remove();
  dir = undefined;
});

describe('export interrupted while it writes a file that then cannot be written', () => {
  it('exits 130, saying which file could not be finished, why, and how many were written', async () => {
    dir = await tempDir('promptctl-export-interrupt-failed-');
    emu = await startTestEmulator({ rateLimit: 1_000_000 });
    for (let i = 0; i < 3; i++) await emu.api.createTemplate({ name: `tpl-${i}`, model: 'gpt-4o-mini', labels: { 'managed-by': 'promptctl' } });
    const ac = new AbortController();
    at.file = 'tpl-1.yaml';
    at.interrupt = () => ac.abort();
    const r = await runCliInProcess(['export', '--out', 'out'], { cwd: dir.path, env: emu.env, signal: ac.signal });
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(
      /^interrupted: 1 of 3 files written to out; out\/tpl-1\.yaml could not be finished: EISDIR \(it is a directory\); the export is incomplete: export again with --out out --force to finish it$/m,
    );
    expect(r.stderr).not.toMatch(/^error:/m);
    // The first file whole, no temp file left, nothing written after the interrupt.
    expect((await readdir(join(dir.path, 'out'))).sort()).toEqual(['tpl-0.yaml', 'tpl-1.yaml']);
    expect(await readdir(join(dir.path, 'out', 'tpl-1.yaml'))).toEqual(['in-the-way']);
  });
});
