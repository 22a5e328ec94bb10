// export --env NAME --dir DIR interrupted: the command it gives to finish the export must read the
// environments where this one did. It said `export again with --env dev --out OUT --force`, which
// reads them from prompts/: with the config elsewhere, it fails (no environment dev there) or
// exports another org into the same directory. The interrupt is injected as the first file's write starts.
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const at = vi.hoisted(() => ({ interrupt: undefined as (() => void) | undefined }));

vi.mock('../../src/util/atomic-file.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/util/atomic-file.js')>();
  return {
    ...real,
    writeFileAtomic: async (...args: Parameters<typeof real.writeFileAtomic>) => {
      at.interrupt?.();
      at.interrupt = undefined;
      return real.writeFileAtomic(...args);
    },
  };
});

let dir: TempDir | undefined;
afterEach(async () => {
  at.interrupt = undefined;
  await dir?.remove();
  dir = undefined;
});

describe('export --env --dir, interrupted', () => {
  it('says to export again with the same --dir', async () => {
    dir = await tempDir('promptctl-export-interrupt-env-');
    copyExamplePrompts(dir.path);
    renameSync(join(dir.path, 'prompts'), join(dir.path, 'team prompts'));
    const cli = (args: string[], signal?: AbortSignal) => runCliInProcess(args, { cwd: dir!.path, env: {}, ...(signal ? { signal } : {}) });
    const applied = await cli(['apply', '--env', 'dev', '--dir', 'team prompts', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    const ac = new AbortController();
    at.interrupt = () => ac.abort();
    const r = await cli(['export', '--env', 'dev', '--dir', 'team prompts', '--out', 'exdev'], ac.signal);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/^interrupted: 1 of \d+ files written to exdev; the export is incomplete: export again with --env dev --dir 'team prompts' --out exdev --force to finish it$/m);
  });
});
