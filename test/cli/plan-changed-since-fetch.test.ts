// `plan --changed-since REF` in CI-like checkouts that lack REF: a `git clone --depth 1` of a
// feature branch (single-branch: origin/main is never fetched, `git fetch --unshallow` does not
// bring it), a non-shallow single-branch clone, actions/checkout's depth-1 detached merge ref, and a
// repository with no commits yet. The refusal names REF and, where a fetch helps, one that, run as
// printed, makes the same plan work.
import { execFileSync } from 'node:child_process';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { FIXTURES, tempDir, type TempDir } from '../helpers/tmp.js';

const gitEnv = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Ada Lovelace',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_COMMITTER_NAME: 'Ada Lovelace',
  GIT_COMMITTER_EMAIL: 'ada@example.com',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'protocol.file.allow=always', ...args], { cwd, env: gitEnv, stdio: 'pipe' }).toString().trim();
/** Runs a command as printed by promptctl (between backticks), as a user would paste it. */
const runPrinted = (cwd: string, command: string) =>
  execFileSync('sh', ['-c', `git -c protocol.file.allow=always ${command.replace(/^git /, '')}`], { cwd, env: gitEnv, stdio: 'pipe' });
const plan = (cwd: string, ref: string) => runCliInProcess(['plan', '--changed-since', ref], { cwd });
const advised = (stderr: string) => /`(git fetch [^`]+)`/.exec(stderr)?.[1];

let t: TempDir;
let origin: string;
beforeEach(async () => {
  // origin: main (base, then a README), feature (base, then a prompt change), and the merge ref
  // GitHub makes for the pull request (refs/pull/1/merge).
  t = await tempDir('promptctl-fetch-');
  const src = join(t.path, 'src');
  await cp(join(FIXTURES, 'basic'), src, { recursive: true });
  git(src, 'init', '-q', '-b', 'main');
  git(src, 'add', '-A');
  git(src, 'commit', '-q', '-m', 'prompts');
  git(src, 'checkout', '-q', '-b', 'feature');
  git(src, 'mv', 'prompts/safety-filters.yaml', 'prompts/filters.yaml');
  git(src, 'commit', '-q', '-m', 'rename the filters file');
  git(src, 'checkout', '-q', 'main');
  git(src, 'commit', '-q', '--allow-empty', '-m', 'main moves on');
  git(src, 'checkout', '-q', '-b', 'merge');
  git(src, 'merge', '-q', '--no-ff', 'feature', '-m', 'Merge feature into main');
  git(src, 'update-ref', 'refs/pull/1/merge', 'HEAD');
  git(src, 'checkout', '-q', 'main');
  origin = `file://${src}`;
});
afterEach(async () => {
  await t.remove();
});

describe('plan --changed-since REF missing from a CI checkout', () => {
  it('a depth-1 clone of a feature branch: names origin/main and a fetch that brings it with its history', async () => {
    git(t.path, 'clone', '-q', '--depth', '1', '--branch', 'feature', origin, 'c');
    const c = join(t.path, 'c');
    const r = await plan(c, 'origin/main');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error: --changed-since: origin\/main is not in this shallow clone: .*fetch-depth: 0/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
    // The advice, run as printed, is enough: one command, not a second refusal.
    runPrinted(c, advised(r.stderr)!);
    const again = await plan(c, 'origin/main');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/planning \d+ address(es)? from files changed since origin\/main/);
  });

  it('a depth-1 clone without tags: names the fetch of a release tag, which then plans', async () => {
    git(origin.slice('file://'.length), 'tag', 'v1.0.0', 'main~1');
    git(t.path, 'clone', '-q', '--depth', '1', '--no-tags', '--branch', 'feature', origin, 'c');
    const c = join(t.path, 'c');
    const r = await plan(c, 'v1.0.0');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error: --changed-since: unknown git ref "v1\.0\.0": no tag of that name here .*`git fetch --unshallow origin tag v1\.0\.0`/m);
    runPrinted(c, advised(r.stderr)!);
    expect((await plan(c, 'v1.0.0')).code).toBe(0);
  });

  it('a full single-branch clone: names the fetch that creates origin/main (git fetch alone would not)', async () => {
    git(t.path, 'clone', '-q', '--single-branch', '--branch', 'feature', origin, 'c');
    const c = join(t.path, 'c');
    const r = await plan(c, 'origin/main');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error: --changed-since: unknown git ref "origin\/main": this clone has not fetched it/m);
    const command = advised(r.stderr)!;
    expect(command).not.toContain('--unshallow');
    runPrinted(c, command);
    expect((await plan(c, 'origin/main')).code).toBe(0);
  });

  it("actions/checkout of a pull request at depth 1 (a detached merge ref): the same for origin/main, and a base commit's id", async () => {
    const c = join(t.path, 'pr');
    git(t.path, 'init', '-q', 'pr');
    git(c, 'remote', 'add', 'origin', origin);
    git(c, 'fetch', '-q', '--no-tags', '--depth=1', 'origin', '+refs/pull/1/merge:refs/remotes/pull/1/merge');
    git(c, 'checkout', '-q', '--detach', 'refs/remotes/pull/1/merge');
    const base = git(c, 'ls-remote', 'origin', 'refs/heads/main').split('\t')[0]!;

    const bySha = await plan(c, base);
    expect(bySha.code, bySha.stderr).toBe(1);
    expect(bySha.stderr).toContain(`error: --changed-since: commit ${base} is not in this shallow clone: fetch it by \`git fetch --unshallow origin ${base}\``);
    // `main`, as a workflow might write it: a checkout has no local branch main.
    const plain = await plan(c, 'main');
    expect(plain.code, plain.stderr).toBe(1);
    expect(plain.stderr).toMatch(/^error: --changed-since: unknown git ref "main": .*give origin\/main, fetched by `git fetch --unshallow origin main:refs\/remotes\/origin\/main`$/m);
    const r = await plan(c, 'origin/main');
    expect(r.code, r.stderr).toBe(1);
    runPrinted(c, advised(r.stderr)!);
    const again = await plan(c, 'origin/main');
    expect(again.code, again.stderr).toBe(0);
    // The rename is what the pull request changed: both names' documents are planned.
    expect(again.stderr).toMatch(/planning [1-9]\d* address(es)? from files changed since origin\/main/);
    expect((await plan(c, base)).code).toBe(0);
  });

  it('a repository with no commits yet (git init, remote added and fetched): says so, whatever REF names', async () => {
    const c = join(t.path, 'new');
    await cp(join(origin.slice('file://'.length), 'prompts'), join(c, 'prompts'), { recursive: true });
    git(c, 'init', '-q', '-b', 'main');
    for (const ref of ['HEAD', 'main', 'origin/main']) {
      const r = await plan(c, ref);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`error: --changed-since: this repository has no commits yet, so there is nothing to compare with ${ref}: commit first, or plan without --changed-since`);
    }
    // REF there, HEAD not: no "no common ancestor".
    git(c, 'remote', 'add', 'origin', origin);
    git(c, 'fetch', '-q', 'origin');
    const r = await plan(c, 'origin/main');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('this repository has no commits yet');
  });

  it("a push event's before of a push that created the branch (the null id): no commit, and no fetch advised", async () => {
    git(t.path, 'clone', '-q', '--depth', '1', '--branch', 'feature', origin, 'c');
    const zero = '0'.repeat(40);
    const r = await plan(join(t.path, 'c'), zero);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^error: --changed-since: ${zero} is git's null id, not a commit .*such as origin/main$`, 'm'));
    expect(r.stderr).not.toContain('git fetch');
  });
});
