// A damaged state file of the embedded emulator (a hand edit, a bad merge) is the user's to fix:
// said as an error naming the file, not as an internal error.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

describe('a damaged embedded emulator state', () => {
  it('is a user error naming the file, in every command that opens it', async () => {
    dir = await tempDir('promptctl-state-');
    await mkdir(join(dir.path, 'prompts'), { recursive: true });
    await mkdir(join(dir.path, '.promptctl'), { recursive: true });
    for (const text of ['{', '[]', '{"formatVersion": 7}']) {
      await writeFile(join(dir.path, '.promptctl', 'local-state.json'), text);
      for (const args of [['plan'], ['test'], ['status']]) {
        const r = await runCliInProcess(args, { cwd: dir.path });
        expect(r.code, `${text} ${args.join(' ')}: ${r.stderr}`).toBe(1);
        expect(r.stderr).toMatch(/^error: emulator state file .*local-state\.json is /m);
        expect(r.stderr).not.toMatch(/internal|PROMPTCTL_DEBUG|^\s+at /m);
      }
    }
  });
});
