// Thin helpers over simple-git shared by provenance and changed-files. simple-git is loaded on
// first use, so commands that never ask git (and `--help`) do not pay for it.
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, posix, resolve, sep } from 'node:path';
import type { SimpleGit } from 'simple-git';
import { gitProcessEnv, LOCATION_VARIABLES, toldWhere, type RunEnv } from './environment.js';

/**
 * A simple-git instance running in DIR, where the run's environment (ENV) places the repository:
 * its location variables handed to git explicitly, which simple-git 4 would otherwise strip.
 */
export async function gitIn(dir: string, env: RunEnv): Promise<SimpleGit> {
  const { simpleGit } = await import('simple-git');
  return simpleGit({ baseDir: dir, trimmed: false, allowEnvironment: [...LOCATION_VARIABLES] }).env(gitProcessEnv(env));
}

/**
 * False only where git could not find a repository either: no `.git` (a directory, or the file of
 * a linked work tree or submodule) in CWD or any directory above it, and no GIT_DIR in the
 * run's environment. Each git process costs this one a fork (several milliseconds once the
 * files are loaded), so outside a repository none is started. True is no promise: git decides
 * (a ceiling directory, a bare repository, an unsafe owner).
 */
export function mayBeInRepository(cwd: string, env: RunEnv): boolean {
  if (toldWhere(env)) return true;
  // From the real directory, as git looks (its working directory has its links resolved): the
  // directories above a link are not those above what it leads to.
  return repositoryRoot(realDir(cwd)) !== null;
}

/** The nearest directory at or above the real directory `dir` that holds a `.git` (a work tree's root, a submodule's), or null. */
export function repositoryRoot(dir: string): string | null {
  for (;; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/** DIR with its symbolic links resolved; as given (absolute) when it cannot be. */
export function realDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return resolve(dir);
  }
}

/** A simple-git instance for CWD, or null when CWD is missing or not inside a work tree. */
export async function openRepo(cwd: string, env: RunEnv): Promise<SimpleGit | null> {
  if (!existsSync(cwd) || !mayBeInRepository(cwd, env)) return null;
  try {
    const git = await gitIn(cwd, env);
    return (await git.checkIsRepo()) ? git : null;
  } catch {
    // git not installed, or an unreadable directory: no provenance, no error.
    return null;
  }
}

/**
 * Why git cannot read the repository found at or above DIR (a `.git` is there), as a clause for a
 * message: git will not read it (another user's, `safe.directory`: a CI job in a container over a
 * checkout made outside it), with the command git gives to trust it; or git is not installed (a
 * slim container image). Either would otherwise read as "not in a git repository". null when git
 * reads it, none is found, or git fails otherwise.
 */
export async function unreadableRepository(dir: string, env: RunEnv): Promise<string | null> {
  if (!existsSync(dir) || !mayBeInRepository(dir, env)) return null;
  try {
    await (await gitIn(dir, env)).raw(['rev-parse', '--git-dir']);
    return null;
  } catch (err) {
    const said = err instanceof Error ? err.message : String(err);
    if (/\bspawn\b.*\bENOENT\b/.test(said)) return `git is not installed (or not on PATH), so the git repository ${repositoryRoot(realDir(dir)) ?? dir} cannot be read`;
    const refused = ownershipRefusal(said);
    return refused === null ? null : `git will not read the repository: ${refused}`;
  }
}

/** git's "dubious ownership" refusal in one line: its first, and the `safe.directory` command it gives; null for any other failure. */
export function ownershipRefusal(said: string): string | null {
  if (!/dubious ownership/.test(said)) return null;
  const first = said.trim().split('\n')[0]!.replace(/^fatal:\s*/, '');
  const trust = /^\s*(git config --global --add safe\.directory .+)$/m.exec(said)?.[1]?.trim();
  return trust === undefined ? first : `${first}: if you trust it, run \`${trust}\``;
}

/** `git <args>` trimmed, or null when it fails or prints nothing (e.g. `rev-parse --verify --quiet`). */
export async function tryRaw(git: SimpleGit, args: string[]): Promise<string | null> {
  try {
    const out = (await git.raw(args)).trim();
    return out === '' ? null : out;
  } catch {
    return null;
  }
}

/**
 * The prompts directory's real path when the repository holding it (`root`; null: none) is not
 * the working directory's (`here`; null: none).
 */
export function otherRepository(cwd: string, dir: string, env: RunEnv): { dir: string; root: string | null; here: string | null } | undefined {
  if (toldWhere(env)) return undefined; // git is told where the repository is
  let real: string;
  try {
    real = realpathSync(resolve(cwd, dir));
  } catch {
    return undefined; // no directory: loading it fails first
  }
  const root = repositoryRoot(real);
  const here = repositoryRoot(realDir(cwd));
  return root === here ? undefined : { dir: real, root, here };
}

/**
 * A directory as the start of a glob pathspec: its path with forward slashes, glob characters
 * escaped and a trailing `/` ('' for the top itself: `.` or ''), so `${globPrefix(d)}**` names what is under it.
 */
export function globPrefix(dir: string): string {
  const base = posix.normalize(dir.split(sep).join('/')).replace(/\/+$/, '');
  return base === '.' || base === '' ? '' : `${base.replace(/[\\*?[\]]/g, '\\$&')}/`;
}
