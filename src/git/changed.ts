// Files changed since REF, for `plan --changed-since REF` (DESIGN §4).
import { realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { UserError } from '../util/errors.js';
import { gitIn, openRepo, tryRaw } from './repo.js';

/** Refuses a ref git would misread (an option) or that names nothing; plan calls it before the target is read. */
export function checkRef(ref: string): void {
  if (ref.trim() === '' || ref.startsWith('-')) throw new UserError(`--changed-since: "${ref}" is not a git ref`);
}

/**
 * Every file that differs between REF and the working tree: committed since the merge base
 * of REF and HEAD, modified or staged, deleted, and untracked (not ignored). Renames count
 * as both paths. Paths are relative to CWD with `/` separators (`../x` for files outside
 * it), sorted.
 */
export async function changedFiles(cwd: string, ref: string): Promise<string[]> {
  checkRef(ref);
  const git = await openRepo(cwd);
  if (!git) throw new UserError(`--changed-since needs a git repository, and ${cwd} is not inside one`);
  const top = await tryRaw(git, ['rev-parse', '--show-toplevel']);
  if (!top) throw new UserError(`--changed-since: ${cwd} is not inside a git work tree`);

  const shallow = (await tryRaw(git, ['rev-parse', '--is-shallow-repository'])) === 'true';
  const fetchMore =
    'this is a shallow clone; fetch more history (`git fetch --unshallow`, or `fetch-depth: 0` on actions/checkout)';
  const target = await tryRaw(git, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (!target) {
    throw new UserError(
      shallow ? `--changed-since: ${ref} is not in this repository: ${fetchMore}` : `--changed-since: unknown git ref "${ref}"`,
    );
  }
  // In a shallow clone merge-base can print nothing without failing (STACK.md): treat both alike.
  const base = await tryRaw(git, ['merge-base', target, 'HEAD']);
  if (!base) {
    throw new UserError(
      shallow
        ? `--changed-since: the history between ${ref} and HEAD is cut off: ${fetchMore}`
        : `--changed-since: ${ref} and HEAD have no common ancestor`,
    );
  }

  // Run at the top level so paths are repo-relative whatever diff.relative says.
  const root = await gitIn(top);
  const tracked = await root.raw(['diff', '--name-only', '-z', '--no-renames', base]);
  const untracked = await root.raw(['ls-files', '--others', '--exclude-standard', '-z']);
  const repoPaths = new Set([...tracked.split('\0'), ...untracked.split('\0')].filter((p) => p !== ''));

  const from = realpathSync(cwd);
  return [...repoPaths].map((p) => relative(from, join(top, p)).split(sep).join('/')).sort();
}
