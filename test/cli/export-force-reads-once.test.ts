// export --force over an earlier export reads each YAML file that was there once, and decides
// everything from that one read: which object each file holds (kept in its file, never given to
// another) and which files are left over. It read them twice, once for each, so a file changed
// between the two reads (an editor saving it, a checkout) was one thing to one decision and
// another thing to the other. The reads are counted through fs/promises.
import { readFile as readText } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const reads = vi.hoisted(() => new Map<string, number>());

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    readFile: ((path: Parameters<typeof real.readFile>[0], ...rest: unknown[]) => {
      reads.set(String(path), (reads.get(String(path)) ?? 0) + 1);
      return (real.readFile as (...a: unknown[]) => Promise<unknown>)(path, ...rest);
    }) as typeof real.readFile,
  };
});

let dir: TempDir | undefined;
let emu: TestEmulator | undefined;
afterEach(async () => {
  reads.clear();
  await emu?.close();
  emu = undefined;
  await dir?.remove();
  dir = undefined;
});

describe('export --force over an earlier export', () => {
  it('reads each file that was there once', async () => {
    dir = await tempDir('promptctl-export-reads-');
    emu = await startTestEmulator({});
    await emu.api.createTemplate({ name: 'kept', model: 'gpt-4o', labels: { 'managed-by': 'promptctl' } });
    const old = await emu.api.createTemplate({ name: 'old', model: 'gpt-4o', labels: { 'managed-by': 'promptctl' } });
    const cli = (args: string[]) => runCliInProcess(args, { cwd: dir!.path, env: emu!.env });
    expect((await cli(['export', '--out', 'adopted'])).code).toBe(0);
    await emu.api.deleteTemplate(old.id);
    const leftover = join(dir.path, 'adopted/old.yaml');
    reads.clear();
    const r = await cli(['export', '--out', 'adopted', '--force']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('adopted/old.yaml was there before and is not part of the export (it holds PromptTemplate/old, which this export does not write)');
    expect(reads.get(leftover)).toBe(1);
    expect(await readText(leftover, 'utf8')).toContain('name: old');
  });
});
