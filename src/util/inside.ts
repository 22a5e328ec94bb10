// Whether one path lies under another: the one check of path containment (prompts directories,
// `{file:}` references, repositories), so `..notes.md` is never taken for a climb out. And what
// makes a path one no file system takes, for every path a document names (`{file:}`, audit.file).
import { realpathSync } from 'node:fs';
import path from 'node:path';

/** Whether `child` is `root` itself or lies under it (both absolute, normalised). */
export function isInside(root: string, child: string): boolean {
  const rel = path.relative(root, child);
  // `..` as a whole segment climbs out; a name that merely starts with dots (`..notes.md`) does not.
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/**
 * What in `p` no file system takes in a path ("a NUL character"), or undefined. Node refuses such
 * a path with an error that is no file system's (ERR_INVALID_ARG_VALUE), so it is said before use.
 */
export function unusablePath(p: string): string | undefined {
  return p.includes('\0') ? 'a NUL character' : undefined;
}

/** The real path (links resolved), or the path itself when it cannot be resolved (not there yet). */
export function realPathOr(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
