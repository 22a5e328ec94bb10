// `GIT_DIR=… GIT_WORK_TREE=… promptctl plan --dir …` from outside the repository: git is told
// where the repository is, and the plan names its commit (simple-git 4 strips GIT_* variables
// unless they are handed to it).
import { renameSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { commit, scratch } from '../unit/git/fixture.js';
import { copyExamplePrompts } from '../helpers/example-prompts.js';

const { dir, repo } = scratch();

describe('plan with GIT_DIR and GIT_WORK_TREE', () => {
  it('records the commit of the repository they name, from a working directory outside it', async () => {
    const d = repo();
    copyExamplePrompts(d);
    const sha = commit(d, 'base');
    // The repository kept apart from its work tree (a bare store, as for dotfiles): only GIT_DIR finds it.
    const store = join(dir(), 'store.git');
    renameSync(join(d, '.git'), store);
    // --dir as written from there: git places no relative path from outside the work tree by itself.
    const cwd = dir();
    const r = await runCliInProcess(['plan', '--dir', join(relative(cwd, d), 'prompts')], { cwd, env: { GIT_DIR: store, GIT_WORK_TREE: d } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toContain(`· commit ${sha.slice(0, 12)} on main`);
  });
});
