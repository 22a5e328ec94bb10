// Real git repositories in temp dirs for tests (isolated from the user's git config).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';

export const AUTHOR = { name: 'Grace Hopper', email: 'grace@example.com' };

const gitEnv = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: AUTHOR.name,
  GIT_AUTHOR_EMAIL: AUTHOR.email,
  GIT_COMMITTER_NAME: AUTHOR.name,
  GIT_COMMITTER_EMAIL: AUTHOR.email,
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'protocol.file.allow=always', ...args], {
    cwd,
    env: gitEnv,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export function tempDir(prefix = 'promptctl-git-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function initRepo(dir = tempDir()): string {
  git(dir, 'init', '-q', '-b', 'main');
  return dir;
}

/** Temp dirs and fresh repositories for the tests of one file, removed after each test. */
export function scratch(): { dir(): string; repo(): string } {
  const made: string[] = [];
  afterEach(() => {
    for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const dir = (): string => {
    const d = tempDir();
    made.push(d);
    return d;
  };
  return { dir, repo: () => initRepo(dir()) };
}

export function write(dir: string, rel: string, text: string): void {
  const p = join(dir, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
}

/** Writes FILES, stages everything, commits; returns the new HEAD sha. */
export function commit(dir: string, message: string, files: Record<string, string> = {}): string {
  for (const [rel, text] of Object.entries(files)) write(dir, rel, text);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}
