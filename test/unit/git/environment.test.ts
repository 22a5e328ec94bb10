// Which repository and index git reads is the run's to say (a pre-commit hook's GIT_DIR and
// temporary GIT_INDEX_FILE, `GIT_DIR=… GIT_WORK_TREE=…` from outside the work tree); simple-git 4
// strips every ambient GIT_* variable, so promptctl hands git the location ones from the run's
// environment, and only those.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { renameSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gitProvenance } from '../../../src/git/provenance.js';
import { gitProcessEnv } from '../../../src/git/environment.js';
import { commit, git, scratch, write } from './fixture.js';

const { dir, repo } = scratch();

/** An index of its own holding HEAD's tree, as git makes for a hook of `git commit <paths>`. */
function hookIndex(d: string): string {
  const index = join(d, '.git', 'next-index-hook.lock');
  execFileSync('git', ['read-tree', 'HEAD'], { cwd: d, env: { ...process.env, GIT_INDEX_FILE: index }, stdio: 'ignore' });
  return index;
}

describe("git's environment", () => {
  it("reads the index a pre-commit hook names (GIT_INDEX_FILE), not the repository's own", async () => {
    const d = repo();
    commit(d, 'one', { 'prompts/a.yaml': 'a: 1\n' });
    // The default index holds a change the work tree no longer has; the hook's index is HEAD's.
    write(d, 'prompts/a.yaml', 'a: 2\n');
    git(d, 'add', 'prompts/a.yaml');
    write(d, 'prompts/a.yaml', 'a: 1\n');
    const hook = { GIT_DIR: join(d, '.git'), GIT_INDEX_FILE: hookIndex(d) };
    expect((await gitProvenance(d, hook, 'prompts')).dirty).toBe(false);
    expect((await gitProvenance(d, {}, 'prompts')).dirty).toBe(true);
  });

  it('records the commit of the repository GIT_DIR and GIT_WORK_TREE name, from a working directory outside it', async () => {
    const d = repo();
    const sha = commit(d, 'one', { 'prompts/a.yaml': 'a: 1\n', '.gitignore': '*.local.yaml\n' });
    // The repository kept apart from its work tree: only GIT_DIR finds it.
    const store = join(dir(), 'store.git');
    renameSync(join(d, '.git'), store);
    const outside = dir();
    const told = { GIT_DIR: store, GIT_WORK_TREE: d };
    expect(await gitProvenance(outside, told, join(d, 'prompts'))).toMatchObject({ commit: sha, branch: 'main', dirty: false });
    // A prompts directory named from there as the user wrote it; a file git ignores that the loader reads is seen.
    const there = join(relative(outside, d), 'prompts');
    expect(await gitProvenance(outside, told, there)).toMatchObject({ commit: sha, branch: 'main', dirty: false });
    write(d, 'prompts/mine.local.yaml', 'm: 1\n');
    expect((await gitProvenance(outside, told, there)).dirty).toBe(true);
  });

  it("takes the location from the run's environment, never this process's, and hands git no other GIT_* variable", async () => {
    const d = repo();
    const sha = commit(d, 'one', { 'prompts/a.yaml': 'a: 1\n' });
    const other = repo();
    commit(other, 'other', { 'prompts/a.yaml': 'a: 1\n' });
    const saved = { ...process.env };
    // As a build started from a hook of another repository: the run's environment has none of it.
    process.env['GIT_DIR'] = join(other, '.git');
    process.env['GIT_INDEX_FILE'] = join(other, '.git', 'index');
    try {
      expect((await gitProvenance(d, {}, 'prompts')).commit).toBe(sha);
      const env = gitProcessEnv({ GIT_DIR: 'x/.git', GIT_EXTERNAL_DIFF: 'evil', GIT_CONFIG_COUNT: '1', GIT_SSH_COMMAND: 'evil', GIT_PAGER: 'evil' });
      expect(Object.keys(env).filter((k) => k.startsWith('GIT_'))).toEqual(['GIT_DIR']);
      // A relative path is the user's working directory's: git runs elsewhere too.
      expect(env['GIT_DIR']).toBe(join(process.cwd(), 'x/.git'));
    } finally {
      process.env = saved;
    }
  });
});
