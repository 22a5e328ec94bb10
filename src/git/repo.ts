// Thin helpers over simple-git shared by provenance and changed-files.
import { existsSync } from 'node:fs';
import { simpleGit, type SimpleGit } from 'simple-git';

/** A simple-git instance for CWD, or null when CWD is missing or not inside a work tree. */
export async function openRepo(cwd: string): Promise<SimpleGit | null> {
  if (!existsSync(cwd)) return null;
  try {
    const git = simpleGit({ baseDir: cwd, trimmed: false });
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
