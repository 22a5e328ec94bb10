// Files changed since REF, and what the changed YAML files held then, for `plan --changed-since
// REF` (DESIGN §4): a document removed or moved since REF is in the scope too.
import { existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { UserError } from '../util/errors.js';
import { isInside, realPathOr } from '../util/inside.js';
import { readBlobs } from './blobs.js';
import { type RunEnv } from './environment.js';
import { FETCH_MORE, localBranchGuess, missingRefMessage } from './fetch-advice.js';
import { gitIn, globPrefix, openRepo, tryRaw, unreadableRepository } from './repo.js';

/** Refuses a ref git would misread (an option) or that names nothing; plan calls it before the target is read. */
export function checkRef(ref: string): void {
  if (ref.trim() === '' || ref.startsWith('-')) throw new UserError(`--changed-since: "${ref}" is not a git ref`);
  // A range names two commits: the comparison is always from one ref's merge base to the working tree.
  if (ref.includes('..')) throw new UserError(`--changed-since: "${ref}" is a range; give one ref (the branch the change will merge into, say): promptctl compares from its merge base with HEAD to the working tree`);
}

/** What changed since REF: the files, and the YAML files' texts as they were (see changedSince). */
export interface ChangeSet {
  /** Paths relative to CWD with `/` separators (`../x` for files outside it), sorted. */
  files: string[];
  /**
   * The texts at the merge base of the changed `*.yaml`/`*.yml` files under `before` (a
   * directory relative to CWD), those that existed there: what a removed or moved document was.
   */
  before: string[];
  /**
   * Changed paths that are a whole directory of prompts to git, named as `files` are: a symbolic
   * link the prompts directory reads through (the directory itself, or one inside it), retargeted,
   * and a submodule or nested repository inside it. git names none of the files they hold, now or
   * then, though the loader reads them.
   */
  wholeDirs: string[];
}

/**
 * Every file that differs between REF and the working tree: committed since the merge base
 * of REF and HEAD, modified or staged, deleted, and untracked (not ignored, but under the prompts
 * directory `opts.before` ignored ones too: the loader reads them). Renames count
 * as both paths, in the repository holding `opts.before` (the prompts directory) when given,
 * else CWD's. With `opts.before`, the changed YAML files under that directory, and those deleted
 * anywhere, as they were at the merge base, read in one git process.
 */
export async function changedSince(cwd: string, env: RunEnv, ref: string, opts: { before?: string } = {}): Promise<ChangeSet> {
  checkRef(ref);
  // The repository that holds the prompts directory, as provenance reads it: with `--dir` in
  // another repository than the working directory's, the working directory's changes say nothing.
  const given = opts.before === undefined ? undefined : resolve(cwd, opts.before);
  const at = given !== undefined && existsSync(given) ? given : cwd;
  const git = await openRepo(at, env);
  if (!git) {
    // A repository git cannot read is not "no repository": what to do differs.
    const unreadable = await unreadableRepository(at, env);
    throw new UserError(unreadable ? `--changed-since: ${unreadable}` : `--changed-since needs a git repository, and ${at} is not inside one`);
  }
  const top = await tryRaw(git, ['rev-parse', '--show-toplevel']);
  if (!top) throw new UserError(`--changed-since: ${at} is not inside a git work tree`);

  const shallow = (await tryRaw(git, ['rev-parse', '--is-shallow-repository'])) === 'true';
  const target = await tryRaw(git, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  // Before the first commit HEAD names nothing: said as such, not as REF unknown (`HEAD` itself) or
  // as no common ancestor (REF fetched). Asked only once REF or the merge base is missing.
  const unborn = async () => (await tryRaw(git, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])) === null;
  const noCommits = `--changed-since: this repository has no commits yet, so there is nothing to compare with ${ref}: commit first, or plan without --changed-since`;
  if (!target) {
    if (await unborn()) throw new UserError(noCommits);
    const remotes = ((await tryRaw(git, ['remote'])) ?? '').split('\n').filter((r) => r !== '');
    const guess = localBranchGuess(ref, remotes);
    const guessHere = guess !== undefined && (await tryRaw(git, ['rev-parse', '--verify', '--quiet', `${guess.name}^{commit}`])) !== null;
    throw new UserError(missingRefMessage({ ref, shallow, remotes, guessHere }));
  }
  // In a shallow clone merge-base can print nothing without failing (STACK.md): treat both alike.
  const base = await tryRaw(git, ['merge-base', target, 'HEAD']);
  if (!base) {
    if (await unborn()) throw new UserError(noCommits);
    throw new UserError(
      shallow
        ? `--changed-since: the history between ${ref} and HEAD is cut off: ${FETCH_MORE}`
        : `--changed-since: ${ref} and HEAD have no common ancestor`,
    );
  }

  // Run at the top level so paths are repo-relative whatever diff.relative says.
  const root = await gitIn(top, env);
  // diff-index, not diff: `git diff` refreshes the index and rewrites it under index.lock, which
  // a git command the user runs meanwhile fails on. Without the refresh a file only touched (same
  // content, new stat data) shows as changed: planned too, which is the safe side.
  const from = realpathSync(cwd);
  // Real, as git's paths are: a prompts directory reached through a link (prompts → src/prompts).
  const spelled = opts.before === undefined ? undefined : resolve(from, opts.before);
  const under = spelled === undefined ? undefined : realPathOr(spelled);

  // git's own failures here (a damaged .git/index, an unreadable object) are the repository's
  // state, not promptctl's: said as git says them, exit 1.
  const raw = (args: string[]) => refusedOnFailure(root.raw(args), ref);
  const tracked = diffEntries(await raw(['diff-index', '--raw', '-z', '--no-renames', '--no-abbrev', base]));
  const untracked = await raw(['ls-files', '--others', '--exclude-standard', '-z']);
  // The loader reads what git ignores too (a `*.local.yaml` in .gitignore): under the prompts
  // directory such a file is as new since REF as an untracked one.
  const ignored = under !== undefined && isInside(top, under) ? await raw(['ls-files', '--others', '--ignored', '--exclude-standard', '-z', '--', ...readPathspecs(relative(top, under))]) : '';
  const repoPaths = new Set([...tracked.map((e) => e.path), ...untracked.split('\0'), ...ignored.split('\0')].filter((p) => p !== ''));
  // A {file: ...} text read through a link is named by the file the link leads to (load/texts.ts):
  // a link retargeted since REF changes that text, though the file itself did not change.
  for (const p of [...repoPaths]) {
    const target = linkTarget(top, p);
    if (target !== undefined) repoPaths.add(target);
  }
  // A file under it is named through the directory as spelled, as the loader names its documents.
  const fromCwd = (p: string): string => {
    const abs = join(top, p);
    const shown = under !== undefined && spelled !== under && isInside(under, abs) ? join(spelled!, relative(under, abs)) : abs;
    return relative(from, shown).split(sep).join('/');
  };
  // A YAML file deleted anywhere counts too: the prompts directory may itself have moved since REF
  // (its old files are deleted outside it), and a document it held is then removed. What a file
  // that is not promptctl's held defines nothing (config/document-addresses.ts).
  const olds =
    under === undefined
      ? []
      : tracked.filter((e) => e.old !== undefined && /\.ya?ml$/.test(e.path) && (e.deleted === true || isInside(under, join(top, e.path))));
  return {
    files: [...repoPaths].map(fromCwd).sort(),
    before: await refusedOnFailure(readBlobs(top, env, olds.map((e) => e.old!)), ref),
    wholeDirs: under === undefined ? [] : [...repoPaths].filter((p) => wholeDirIn(top, p, under)).map(fromCwd).sort(),
  };
}

/** `read`, or a refusal in git's words (its first line) when git fails: what the user can act on. */
async function refusedOnFailure<T>(read: Promise<T>, ref: string): Promise<T> {
  try {
    return await read;
  } catch (err) {
    const said = (err instanceof Error ? err.message : String(err)).trim().split('\n')[0] || 'git failed';
    throw new UserError(`--changed-since: git could not tell what changed since ${ref}: ${said}`);
  }
}

/** What the symbolic link at `path` (relative to the work tree `top`) leads to, relative to `top`; undefined for a file that is no link, or a link leading nowhere or out of the work tree. */
function linkTarget(top: string, path: string): string | undefined {
  const abs = join(top, path);
  try {
    if (!lstatSync(abs).isSymbolicLink()) return undefined;
    const real = realpathSync(abs);
    return isInside(top, real) && statSync(real).isFile() ? relative(top, real) : undefined;
  } catch {
    return undefined; // gone (deleted since REF), or leading nowhere
  }
}

/**
 * Whether `path` (relative to the work tree `top`) is a directory the prompts directory `dir` (a real
 * path) reads: a symbolic link to it or to one inside it, or one inside it that git lists whole (the
 * only directories among its changed paths: a submodule, a nested repository).
 */
function wholeDirIn(top: string, path: string, dir: string): boolean {
  const abs = join(top, path);
  try {
    if (!statSync(abs).isDirectory()) return false;
    return lstatSync(abs).isSymbolicLink() ? isInside(dir, realpathSync(abs)) : isInside(dir, abs);
  } catch {
    return false; // gone, or leading nowhere
  }
}

/**
 * Git pathspecs (from the repository root) for what the loader may read under the prompts directory
 * `dir` (relative to that root): everything but node_modules and dot-directories, which it skips,
 * so their ignored contents (dependencies, caches, promptctl's own state) are not listed.
 */
function readPathspecs(dir: string): string[] {
  const under = globPrefix(dir);
  return [`:(glob)${under}**`, `:(exclude,glob)${under}**/node_modules/**`, `:(exclude,glob)${under}**/.*/**`];
}

/** `git diff --raw -z` entries: each path, with its blob at the base unless it was added since, and whether it is gone. */
function diffEntries(raw: string): Array<{ path: string; old?: string; deleted?: true }> {
  const out: Array<{ path: string; old?: string; deleted?: true }> = [];
  const fields = raw.split('\0');
  for (let i = 0; i + 1 < fields.length; i += 2) {
    // ":100644 100644 <old> <new> M", then the path.
    const meta = fields[i]!.replace(/^\n+/, '');
    if (!meta.startsWith(':')) break;
    const [, , old, , status] = meta.slice(1).split(' ');
    out.push({ path: fields[i + 1]!, ...(old && !/^0+$/.test(old) ? { old } : {}), ...(status === 'D' ? { deleted: true as const } : {}) });
  }
  return out;
}
