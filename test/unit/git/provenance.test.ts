import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { gitProvenance } from '../../../src/git/provenance.js';
import { mayBeInRepository } from '../../../src/git/repo.js';
import { AUTHOR, commit, git, scratch, write } from './fixture.js';

const { dir, repo } = scratch();

describe('gitProvenance', () => {
  it('takes commit, branch and actor (HEAD author) from a local repository', async () => {
    const d = repo();
    commit(d, 'one', { 'prompts/a.yaml': 'a: 1\n' });
    const sha = commit(d, 'two', { 'prompts/b.yaml': 'b: 1\n' });
    const p = await gitProvenance(join(d, 'prompts'), {});
    expect(p).toEqual({ commit: sha, branch: 'main', dirty: false, actor: `${AUTHOR.name} <${AUTHOR.email}>` });
  });

  it('is dirty when a tracked file changes, not when an untracked one appears', async () => {
    const d = repo();
    commit(d, 'one', { 'a.yaml': 'a: 1\n' });
    write(d, '.promptctl/audit.jsonl', '{}\n');
    expect((await gitProvenance(d, {})).dirty).toBe(false);
    write(d, 'a.yaml', 'a: 2\n');
    expect((await gitProvenance(d, {})).dirty).toBe(true);
  });

  it('is dirty when the prompts directory holds a file git does not track: the commit lacks it', async () => {
    const d = repo();
    commit(d, 'one', { 'prompts/a.yaml': 'a: 1\n', '.gitignore': 'prompts/*.tmp\n' });
    write(d, '.promptctl/audit.jsonl', '{}\n');
    write(d, 'notes.txt', 'elsewhere\n');
    write(d, 'prompts/scratch.tmp', 'ignored\n');
    expect((await gitProvenance(d, {}, 'prompts')).dirty).toBe(false);
    write(d, 'prompts/new/b.yaml', 'b: 1\n');
    expect((await gitProvenance(d, {}, 'prompts')).dirty).toBe(true);
    // From a subdirectory, the prompts directory is found relative to it.
    expect((await gitProvenance(join(d, 'prompts'), {}, '.')).dirty).toBe(true);
  });

  it('is dirty when the prompts directory holds a YAML file git ignores: the loader reads it, and no commit holds it', async () => {
    const d = repo();
    commit(d, 'one', { 'prompts/a.yaml': 'a: 1\n', '.gitignore': '*.local.yaml\nnode_modules/\n.cache/\n.DS_Store\n' });
    // What the loader never reads: a dot-directory's, node_modules', an ignored YAML file elsewhere, other ignored files.
    write(d, 'prompts/.cache/c.local.yaml', 'c: 1\n');
    write(d, 'prompts/node_modules/x/y.local.yaml', 'y: 1\n');
    write(d, 'elsewhere.local.yaml', 'e: 1\n');
    write(d, 'prompts/.DS_Store', 'x');
    expect((await gitProvenance(d, {}, 'prompts')).dirty).toBe(false);
    // From a subdirectory beside it too (`--dir ../prompts`): ignored names come from the repository's root.
    mkdirSync(join(d, 'tools'));
    expect((await gitProvenance(join(d, 'tools'), {}, '../prompts')).dirty).toBe(false);
    write(d, 'prompts/filters/mine.local.yaml', 'm: 1\n');
    expect((await gitProvenance(d, {}, 'prompts')).dirty).toBe(true);
    expect((await gitProvenance(join(d, 'prompts'), {}, '.')).dirty).toBe(true);
    expect((await gitProvenance(join(d, 'tools'), {}, '../prompts')).dirty).toBe(true);
  });

  it('is not dirty for a tracked change outside the prompts directory (DESIGN §5: what the plan reads)', async () => {
    const d = repo();
    commit(d, 'one', { 'prompts/a.yaml': 'a: 1\n', 'README.md': 'read me\n' });
    write(d, 'README.md', 'read me, edited\n');
    expect((await gitProvenance(d, {}, 'prompts')).dirty).toBe(false);
    write(d, 'prompts/a.yaml', 'a: 2\n');
    expect((await gitProvenance(d, {}, 'prompts')).dirty).toBe(true);
  });

  it("is not dirty for promptctl's own state inside the prompts directory (`cd prompts && promptctl plan --dir .`)", async () => {
    const d = repo();
    commit(d, 'one', { 'prompts/a.yaml': 'a: 1\n' });
    const prompts = join(d, 'prompts');
    // What the run before left under its working directory: the caches, the embedded emulator's
    // state, the audit trail; and an earlier run's from inside the prompts directory, seen from the root.
    write(d, 'prompts/.promptctl/cache/token-counts.json', '{}\n');
    write(d, 'prompts/.promptctl/local-state.json', '{}\n');
    write(d, 'prompts/.promptctl/envs/dev/audit.jsonl', '{}\n');
    expect((await gitProvenance(prompts, {}, '.')).dirty).toBe(false);
    expect((await gitProvenance(d, {}, 'prompts')).dirty).toBe(false);
    // Anything else untracked there still counts, a file in another dot-directory included.
    write(d, 'prompts/.drafts/b.md', 'b\n');
    expect((await gitProvenance(prompts, {}, '.')).dirty).toBe(true);
  });

  it('never writes the index: a git command the user runs meanwhile finds no index.lock of ours', async () => {
    const d = repo();
    commit(d, 'one', { 'prompts/a.yaml': 'a: 1\n' });
    // Same content, new stat data: a status that may refresh the index would rewrite it.
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(d, 'prompts/a.yaml'), later, later);
    const index = join(d, '.git', 'index');
    const before = statSync(index).mtimeMs;
    const bytes = readFileSync(index);
    expect((await gitProvenance(d, {}, 'prompts')).dirty).toBe(false);
    expect(statSync(index).mtimeMs).toBe(before);
    expect(readFileSync(index).equals(bytes)).toBe(true);
  });

  it('reports a detached HEAD as branch null', async () => {
    const d = repo();
    const first = commit(d, 'one');
    commit(d, 'two');
    git(d, 'checkout', '-q', '--detach', first);
    const p = await gitProvenance(d, {});
    expect(p.branch).toBeNull();
    expect(p.commit).toBe(first);
  });

  it('takes the actor, branch and run from the GitHub Actions environment, and the commit from HEAD (what was read)', async () => {
    const d = repo();
    const head = commit(d, 'one');
    const env = {
      GITHUB_SHA: 'f'.repeat(40),
      GITHUB_ACTOR: 'octocat',
      GITHUB_HEAD_REF: '',
      GITHUB_REF_NAME: 'main',
      GITHUB_RUN_ID: '123456',
      GITHUB_REPOSITORY: 'acme/prompts',
    };
    // A workflow may check out another commit than GITHUB_SHA (`ref:` on actions/checkout):
    // HEAD, on git's branch (the event's names the event's commit).
    git(d, 'checkout', '-q', '-b', 'checked-out');
    expect(await gitProvenance(d, env)).toEqual({
      commit: head,
      branch: 'checked-out',
      dirty: false,
      actor: 'octocat',
      runId: '123456',
      repository: 'acme/prompts',
    });
    // At the event's commit, its branch; on pull_request events the source branch wins over "<n>/merge".
    expect((await gitProvenance(d, { ...env, GITHUB_SHA: head })).branch).toBe('main');
    expect((await gitProvenance(d, { ...env, GITHUB_SHA: head, GITHUB_HEAD_REF: 'feature/x', GITHUB_REF_NAME: '7/merge' })).branch).toBe(
      'feature/x',
    );
  });

  it('returns nulls outside a repository and in a repository without commits, without throwing', async () => {
    const plain = dir();
    const p = await gitProvenance(plain, {});
    expect(p).toEqual({ commit: null, branch: null, dirty: false, actor: userInfo().username });
    expect((await gitProvenance(join(plain, 'missing'), {})).commit).toBeNull();

    const empty = repo();
    const e = await gitProvenance(empty, {});
    expect(e.commit).toBeNull();
    expect(e.branch).toBe('main');
    expect(e.dirty).toBe(false); // nothing in it
    // Before the first commit, prompts files are uncommitted: no commit holds what is planned.
    write(empty, 'prompts/a.yaml', 'a: 1\n');
    expect(await gitProvenance(empty, {}, 'prompts')).toMatchObject({ commit: null, dirty: true });
    git(empty, 'add', '-A');
    expect(await gitProvenance(empty, {}, 'prompts')).toMatchObject({ commit: null, dirty: true });
  });
});

describe('outside a repository, no git process', () => {
  it('knows a directory no git could call a repository: no .git in it or above it, no GIT_DIR', () => {
    const plain = dir();
    expect(mayBeInRepository(plain, {})).toBe(false);
    const d = repo();
    mkdirSync(join(d, 'prompts', 'deep'), { recursive: true });
    expect(mayBeInRepository(join(d, 'prompts', 'deep'), {})).toBe(true);
    // A linked work tree or a submodule has a .git file.
    const linked = dir();
    writeFileSync(join(linked, '.git'), 'gitdir: /elsewhere\n');
    expect(mayBeInRepository(linked, {})).toBe(true);
    // The run's environment decides, not this process's.
    expect(mayBeInRepository(plain, { GIT_DIR: join(d, '.git') })).toBe(true);
  });

  it('looks from the real directory, as git does: a link to a subdirectory of a repository is in it', async () => {
    const d = repo();
    const sha = commit(d, 'one', { 'sub/prompts/a.yaml': 'a: 1\n' });
    write(d, 'sub/prompts/a.yaml', 'a: 2\n');
    const link = join(dir(), 'link');
    symlinkSync(join(d, 'sub'), link);
    expect(mayBeInRepository(link, {})).toBe(true);
    expect(await gitProvenance(link, {}, 'prompts')).toEqual({ commit: sha, branch: 'main', dirty: true, actor: `${AUTHOR.name} <${AUTHOR.email}>` });
  });

  it('gives provenance outside a repository without starting git (each start costs a fork of this process)', async () => {
    const plain = dir();
    const bin = join(dir(), 'bin');
    mkdirSync(bin);
    const marker = join(plain, 'git-was-started');
    writeFileSync(join(bin, 'git'), `#!/bin/sh\necho started > '${marker}'\nexit 128\n`);
    chmodSync(join(bin, 'git'), 0o755);
    const saved = process.env['PATH'];
    process.env['PATH'] = `${bin}:${saved ?? ''}`;
    try {
      const p = await gitProvenance(plain, {}, 'prompts');
      expect(p).toMatchObject({ commit: null, branch: null, dirty: false });
      expect(existsSync(marker)).toBe(false);
    } finally {
      process.env['PATH'] = saved;
    }
  });
});

describe('gitProvenance, with as few git processes as the answer needs', () => {
  /** Runs `fn` with a `git` first on PATH that logs its arguments and hands over to the real one. */
  async function countingGit<T>(fn: () => Promise<T>): Promise<{ result: T; calls: string[] }> {
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    const bin = join(dir(), 'bin');
    mkdirSync(bin);
    const log = join(bin, 'calls.log');
    writeFileSync(join(bin, 'git'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${realGit}' "$@"\n`);
    chmodSync(join(bin, 'git'), 0o755);
    const saved = process.env['PATH'];
    process.env['PATH'] = `${bin}:${saved ?? ''}`;
    try {
      const result = await fn();
      return { result, calls: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [] };
    } finally {
      process.env['PATH'] = saved;
    }
  }

  it('starts two (status with the ignored files, HEAD for its author) locally, and no author when CI names the actor', async () => {
    const d = repo();
    const sha = commit(d, 'one', { 'prompts/a.yaml': 'a: 1\n' });
    write(d, 'prompts/a.yaml', 'a: 2\n');
    const first = (calls: string[]) => calls.map((c) => c.replace(/^--no-optional-locks /, '').split(' ')[0]).sort();
    const local = await countingGit(() => gitProvenance(d, {}, 'prompts'));
    expect(local.result).toEqual({ commit: sha, branch: 'main', dirty: true, actor: `${AUTHOR.name} <${AUTHOR.email}>` });
    expect(first(local.calls)).toEqual(['log', 'status']);
    const ci = await countingGit(() => gitProvenance(d, { GITHUB_ACTOR: 'octocat' }, 'prompts'));
    expect(ci.result).toEqual({ commit: sha, branch: 'main', dirty: true, actor: 'octocat' });
    expect(first(ci.calls)).toEqual(['status']);
    // A caller that shows no actor (a text plan) does not ask for HEAD's author either.
    const text = await countingGit(() => gitProvenance(d, {}, 'prompts', { author: false }));
    expect(text.result).toEqual({ commit: sha, branch: 'main', dirty: true, actor: userInfo().username });
    expect(first(text.calls)).toEqual(['status']);
    // A YAML file git ignores is found by the same status; one it ignores that the loader never
    // reads (a dot-directory's) asks nothing more either.
    write(d, 'prompts/a.yaml', 'a: 1\n');
    write(d, '.gitignore', '*.local.yaml\n');
    write(d, 'prompts/.cache/c.local.yaml', 'c: 1\n');
    const clean = await countingGit(() => gitProvenance(d, { GITHUB_ACTOR: 'octocat' }, 'prompts'));
    expect(clean.result.dirty).toBe(false);
    expect(first(clean.calls)).toEqual(['status']);
    write(d, 'prompts/mine.local.yaml', 'm: 1\n');
    const mine = await countingGit(() => gitProvenance(d, { GITHUB_ACTOR: 'octocat' }, 'prompts'));
    expect(mine.result.dirty).toBe(true);
    expect(first(mine.calls)).toEqual(['status']);
    // Where git is told where the work tree is, the status' paths cannot be placed: ls-files is asked.
    const told = await countingGit(() => gitProvenance(d, { GITHUB_ACTOR: 'octocat', GIT_WORK_TREE: d }, 'prompts'));
    expect(first(told.calls)).toEqual(['ls-files', 'status']);
    // Without a prompts directory there is nothing ignored to look for.
    expect(first((await countingGit(() => gitProvenance(d, { GITHUB_ACTOR: 'octocat' }))).calls)).toEqual(['status']);
  });

  it('reads the prompts directory literally (brackets are no glob)', async () => {
    const d = repo();
    commit(d, 'one', { 'prompts[1]/a.yaml': 'a: 1\n', 'prompts1/a.yaml': 'a: 1\n' });
    write(d, 'prompts1/a.yaml', 'a: 2\n');
    expect((await gitProvenance(d, {}, 'prompts[1]')).dirty).toBe(false);
    write(d, 'prompts[1]/b.yaml', 'b: 1\n');
    expect((await gitProvenance(d, {}, 'prompts[1]')).dirty).toBe(true);
  });

  it('takes a prompts directory outside the repository from the repository holding it, or none: HEAD here does not hold it', async () => {
    const d = repo();
    commit(d, 'here', { 'prompts/a.yaml': 'a: 1\n' });
    // In no repository: no commit holds what is planned.
    const loose = dir();
    write(loose, 'a.yaml', 'a: 1\n');
    expect(await gitProvenance(d, {}, loose)).toEqual({ commit: null, branch: null, dirty: false, actor: userInfo().username });
    // In another repository: its HEAD, and its own changes make the plan dirty.
    const other = repo();
    const sha = commit(other, 'there', { 'prompts/a.yaml': 'a: 1\n' });
    const there = join(other, 'prompts');
    expect(await gitProvenance(d, {}, there)).toEqual({ commit: sha, branch: 'main', dirty: false, actor: `${AUTHOR.name} <${AUTHOR.email}>` });
    write(other, 'prompts/a.yaml', 'a: 2\n');
    expect((await gitProvenance(d, {}, there)).dirty).toBe(true);
    // Reached through a link inside this repository: what the link leads to is what is read.
    symlinkSync(loose, join(d, 'linked'));
    expect((await gitProvenance(d, {}, 'linked')).commit).toBeNull();
    // A checkout nested in this one (actions/checkout's `path:`): its own HEAD.
    const nested = join(d, 'nested');
    mkdirSync(nested);
    git(nested, 'init', '-q', '-b', 'main');
    const inner = commit(nested, 'inner', { 'prompts/a.yaml': 'a: 1\n' });
    expect((await gitProvenance(d, {}, 'nested/prompts')).commit).toBe(inner);
    // From a working directory in no repository, the prompts directory's own.
    expect((await gitProvenance(loose, {}, there)).commit).toBe(sha);
    // In CI, the workspace's commit and branch are not those of a directory elsewhere; the actor and run are CI's.
    const ci = { GITHUB_SHA: 'f'.repeat(40), GITHUB_REF_NAME: 'main', GITHUB_ACTOR: 'octocat', GITHUB_RUN_ID: '7' };
    expect(await gitProvenance(d, ci, loose)).toEqual({ commit: null, branch: null, dirty: false, actor: 'octocat', runId: '7' });
    expect(await gitProvenance(d, ci, there)).toEqual({ commit: sha, branch: 'main', dirty: true, actor: 'octocat', runId: '7' });
    expect((await gitProvenance(d, ci, 'prompts')).commit).toBe(git(d, 'rev-parse', 'HEAD').trim());
    // A CI workspace in no repository whose checkout has a `path:`: that checkout is the workspace's, CI's branch and run stand.
    expect(await gitProvenance(loose, ci, there)).toEqual({ commit: sha, branch: 'main', dirty: true, actor: 'octocat', runId: '7' });
    // Where no repository answers at all, GITHUB_SHA stands in.
    expect((await gitProvenance(loose, ci)).commit).toBe('f'.repeat(40));
    // GIT_DIR pins git to this repository: a prompts directory outside its work tree has no commit of it.
    const pinned = { GIT_DIR: join(d, '.git') };
    expect((await gitProvenance(d, pinned, there)).commit).toBeNull();
    expect((await gitProvenance(d, pinned, 'prompts')).commit).not.toBeNull();
  });
});

describe('gitProvenance, from one status', () => {
  it('is dirty after a staged rename out of the prompts directory, and sees an untracked prompts file whose name git would quote', async () => {
    const d = repo();
    commit(d, 'one', { 'prompts/a.yaml': 'a: 1\n' });
    write(d, 'prompts/new "quoted" b.yaml', 'b: 1\n');
    expect((await gitProvenance(d, {}, 'prompts')).dirty).toBe(true);
    const clean = repo();
    commit(clean, 'one', { 'prompts/a.yaml': 'a: 1\n', 'other.txt': 'x\n' });
    // A rename outside the prompts directory changes nothing the plan reads; one out of it does.
    git(clean, 'mv', 'other.txt', 'moved.txt');
    expect((await gitProvenance(clean, {}, 'prompts')).dirty).toBe(false);
    git(clean, 'mv', 'prompts/a.yaml', 'a.yaml');
    expect((await gitProvenance(clean, {}, 'prompts')).dirty).toBe(true);
  });

  it('is no repository inside .git, where git log would still answer', async () => {
    const d = repo();
    commit(d, 'one');
    expect(await gitProvenance(join(d, '.git'), {})).toEqual({ commit: null, branch: null, dirty: false, actor: userInfo().username });
  });
});

describe('gitProvenance when git status cannot answer', () => {
  it('keeps HEAD, its author and the branch when the index is damaged (only the dirty check is lost)', async () => {
    const d = repo();
    const sha = commit(d, 'one', { 'prompts/a.yaml': 'a: 1\n' });
    writeFileSync(join(d, '.git', 'index'), 'not an index');
    expect(await gitProvenance(d, {}, 'prompts')).toEqual({ commit: sha, branch: 'main', dirty: false, actor: `${AUTHOR.name} <${AUTHOR.email}>` });
  });

  it('finds an untracked prompts file when cwd is reached through a symbolic link', async () => {
    const d = repo();
    commit(d, 'one', { 'prompts/a.yaml': 'a: 1\n' });
    write(d, 'prompts/new.yaml', 'b: 1\n');
    const link = join(dir(), 'link');
    symlinkSync(d, link);
    expect((await gitProvenance(link, {}, 'prompts')).dirty).toBe(true);
  });
});

describe('gitProvenance, a prompts directory reached through a symbolic link', () => {
  it('is dirty when a file the link leads to changes (git matches no path through a link; the loader reads through it)', async () => {
    const d = repo();
    commit(d, 'one', { 'src/prompts/a.yaml': 'a: 1\n', 'src/other/b.yaml': 'b: 1\n' });
    symlinkSync('src', join(d, 'shared'));
    symlinkSync(join('src', 'prompts'), join(d, 'prompts'));
    commit(d, 'links');
    write(d, 'src/other/b.yaml', 'b: 2\n');
    expect((await gitProvenance(d, {}, 'prompts')).dirty).toBe(false);
    write(d, 'src/prompts/a.yaml', 'a: 2\n');
    expect((await gitProvenance(d, {}, 'prompts')).dirty).toBe(true);
    // A link on the way to it, and an absolute path through it, too.
    expect((await gitProvenance(d, {}, 'shared/prompts')).dirty).toBe(true);
    expect((await gitProvenance(d, {}, join(d, 'prompts'))).dirty).toBe(true);
    git(d, 'checkout', '--', 'src/prompts/a.yaml');
    write(d, 'src/prompts/new.yaml', 'n: 1\n');
    expect((await gitProvenance(d, {}, 'prompts')).dirty).toBe(true);
  });
});
