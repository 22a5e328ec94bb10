// rollback outside a git repository: the message names the prompts directory whose history it
// reads ("the git history of prompts"), not "prompts's git history".
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO, runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

describe('rollback without git history', () => {
  it('says whose history it reads, and rolls nothing back', async () => {
    dir = await tempDir('promptctl-rollback-nogit-');
    await cp(join(REPO, 'prompts'), join(dir.path, 'prompts'), { recursive: true });
    const r = await runCliInProcess(['rollback', 'billing-assistant'], { cwd: dir.path, env: { GIT_CEILING_DIRECTORIES: dir.path } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: rollback reads the git history of prompts, and there is none: .*; nothing was rolled back$/m);
  });
});
