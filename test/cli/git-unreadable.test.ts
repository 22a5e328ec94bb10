// A repository git cannot read: one owned by another user (a CI job in a container over a
// checkout made outside it), or one in an image without git. Before, `plan --changed-since` said
// the directory "is not inside" a git repository, which sends the user looking for a missing .git,
// and plan, drift and apply recorded no commit without a word; now they say why, in git's words
// with the command git gives to trust the directory where it gives one. Making another user own
// the files takes root (git's GIT_TEST_ASSUME_DIFFERENT_OWNER switch does not reach git: simple-git
// drops GIT_* variables), so those cases run as root only; the wording is checked everywhere.
import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ownershipRefusal } from '../../src/git/repo.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

const asRoot = process.getuid?.() === 0;
let s: Scenario;
beforeEach(async () => {
  s = await scenario();
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@example.com', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@example.com' };
  for (const args of [['init', '-q', '-b', 'main'], ['add', '-A'], ['-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'prompts']]) {
    execFileSync('git', args, { cwd: s.dir.path, env, stdio: 'pipe' });
  }
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await s.close();
});

describe('plan --changed-since in a repository owned by another user', () => {
  it.skipIf(!asRoot)("says git will not read it, and how to trust it, not that there is no repository", async () => {
    execFileSync('chown', ['-R', 'nobody', s.dir.path]);
    // No global config of the machine's that already trusts every directory (git reads HOME's).
    vi.stubEnv('HOME', s.dir.path);
    const r = await s.cli(['plan', '--changed-since', 'HEAD']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error: --changed-since: git will not read the repository: detected dubious ownership in repository at '.+': if you trust it, run `git config --global --add safe\.directory .+`$/m);
    expect(r.stderr).not.toContain('not inside one');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it("words git's refusal on one line, with the command git gives", () => {
    const said = "fatal: detected dubious ownership in repository at '/w/r'\nTo add an exception for this directory, call:\n\n\tgit config --global --add safe.directory /w/r\n";
    expect(ownershipRefusal(said)).toBe("detected dubious ownership in repository at '/w/r': if you trust it, run `git config --global --add safe.directory /w/r`");
    expect(ownershipRefusal('fatal: not a git repository (or any of the parent directories): .git')).toBeNull();
  });

  it.skipIf(!asRoot)('plan, drift and apply warn that they record no commit, and why', async () => {
    execFileSync('chown', ['-R', 'nobody', s.dir.path]);
    vi.stubEnv('HOME', s.dir.path);
    for (const args of [['plan'], ['drift'], ['apply', '--auto-approve']]) {
      const r = await s.cli(args);
      expect(r.stderr, args.join(' ')).toMatch(/^warning: this run records no git commit and cannot tell uncommitted changes: git will not read the repository: detected dubious ownership in repository at '.+': if you trust it, run `git config --global --add safe\.directory .+`$/m);
    }
  });

  it('says git is not installed, with a repository there, rather than that there is none (a slim container image over a checkout)', async () => {
    const bin = join(s.dir.path, 'no-git-here');
    await mkdir(bin);
    vi.stubEnv('PATH', bin);
    const r = await s.cli(['plan', '--changed-since', 'HEAD']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^warning: this run records no git commit and cannot tell uncommitted changes: git is not installed \(or not on PATH\), so the git repository .+ cannot be read$/m);
    expect(r.stderr).toMatch(/^error: --changed-since: git is not installed \(or not on PATH\), so the git repository .+ cannot be read$/m);
    expect(r.stderr).not.toContain('not inside one');
    const plain = await s.cli(['apply', '--auto-approve']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toContain('warning: this run records no git commit and cannot tell uncommitted changes: git is not installed');
  });
});
