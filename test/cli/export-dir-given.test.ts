// export's --dir only says where promptctl.yaml names the environments, but a --dir given must
// be a directory, as every command's is: a typo was passed over, and export wrote the org
// out as though nothing were wrong.
import { writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

describe('export --dir', () => {
  it('refuses a --dir that does not exist, or is a file, before anything is read or written', async () => {
    dir = await tempDir('promptctl-export-dir-');
    const missing = await runCliInProcess(['export', '--out', 'ex', '--dir', 'promtps'], { cwd: dir.path });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('error: prompts directory "promtps" not found');
    await writeFile(join(dir.path, 'notes.txt'), 'x');
    const file = await runCliInProcess(['export', '--out', 'ex', '--dir', 'notes.txt'], { cwd: dir.path });
    expect(file.code).toBe(1);
    expect(file.stderr).toContain('error: "notes.txt" is not a directory');
    expect(existsSync(join(dir.path, 'ex'))).toBe(false);
  });
});
