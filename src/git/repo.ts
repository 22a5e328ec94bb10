// Thin helpers over simple-git shared by provenance and changed-files. simple-git is loaded on
// first use, so commands that never ask git (and `--help`) do not pay for it.
import { existsSync } from 'node:fs';
import type { SimpleGit } from 'simple-git';

/** A simple-git instance running in DIR. */
export async function gitIn(dir: string): Promise<SimpleGit> {
  const { simpleGit } = await import('simple-git');
  return simpleGit({ baseDir: dir, trimmed: false });
}

/** A simple-git instance for CWD, or null when CWD is missing or not inside a work tree. */
export async function openRepo(cwd: string): Promise<SimpleGit | null> {
  if (!existsSync(cwd)) return null;
  try {
    const git = await gitIn(cwd);
    return (await git.checkIsRepo()) ? git : null;
  } catch {
    // git not installed, or an unreadable directory: no provenance, no error.
    return null;
  }
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
