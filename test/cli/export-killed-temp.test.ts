// A write killed midway (SIGKILL, a crash: no interrupt to clean up) leaves its temp file beside
// the file it was writing (util/atomic-file.ts: <file>.<pid>.<8 hex>.tmp). export --force over
// such an export left it there for good: plan --dir reads past it, but git and the user see it.
// Its process gone, it is no one's file: export now removes it and says so; one whose process
// still runs (another export writing into the same directory) is left alone.
import { spawnSync } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
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

describe('export --force over an export whose write was killed', () => {
  it('removes the temp file the killed write left, and leaves one whose process still runs', async () => {
    dir = await tempDir('promptctl-export-killed-');
    emu = await startTestEmulator({});
    await emu.api.createTemplate({ name: 'summarize', model: 'gpt-4o', labels: { 'managed-by': 'promptctl' } });
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: emu!.env });
    expect((await cli(['export', '--out', 'adopted'])).code).toBe(0);
    // The pid of a process that has ended, as a killed export's is.
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    const killed = `summarize.yaml.${gone}.1a2b3c4d.tmp`;
    const running = `summarize.yaml.${process.pid}.5e6f7a8b.tmp`;
    await writeFile(join(dir.path, 'adopted', killed), 'apiVersion: promptctl/v1\nkind: Prompt');
    await writeFile(join(dir.path, 'adopted', running), '');
    const r = await cli(['export', '--out', 'adopted', '--force']);
    expect(r.code, r.stderr).toBe(0);
    expect((await readdir(join(dir.path, 'adopted'))).sort()).toEqual(['summarize.yaml', running]);
    expect(r.stderr).toContain(`note: removed adopted/${killed}, the temp file of a write that was killed before it finished`);
    expect(r.stderr).not.toContain(running);
  });
});
