// When git last changed each group of files: the commit time of the newest commit that touched any
// of them, or 'uncommitted' while one of them differs from HEAD (or was never committed); null
// outside a work tree, or when git cannot say. Plan and drift compare it with when the target last
// changed an object, to say which side moved. And which files git could not give back if they were
// replaced (changes not committed, or not in git at all), for export --force.
import { posix } from 'node:path';
import { openRepo, tryRaw } from './repo.js';
import { type RunEnv } from './environment.js';

export type GitLastChange = { at: string } | 'uncommitted';

/**
 * Which of FILES (relative to CWD, as given, "/"-separated) git could not give back if they were
 * replaced: `uncommitted`, tracked with changes not committed (staged or not; none before the first
 * commit), and `untracked`, in the work tree but neither tracked nor ignored (an ignored file is one
 * the user keeps out of git, as outside a work tree). None outside a work tree, or when git cannot
 * say. One repository opened, both asked at once.
 */
export async function unrecoverableAmong(cwd: string, env: RunEnv, files: readonly string[]): Promise<{ uncommitted: string[]; untracked: string[] }> {
  if (files.length === 0) return { uncommitted: [], untracked: [] };
  const git = await openRepo(cwd, env);
  if (!git) return { uncommitted: [], untracked: [] };
  const paths = ['--', ...files.map((f) => `:(literal)${f}`)];
  const [changed, others] = await Promise.all([
    tryRaw(git, ['-c', 'core.quotePath=false', 'diff', '--name-only', '-z', '--relative', 'HEAD', ...paths]),
    tryRaw(git, ['ls-files', '--others', '--exclude-standard', '-z', ...paths]),
  ]);
  const among = (out: string | null): string[] => {
    const found = new Set((out ?? '').split('\0').filter(Boolean));
    return files.filter((f) => found.has(f));
  };
  return { uncommitted: among(changed), untracked: among(others) };
}

/**
 * lastChanged for each group of FILES (relative to CWD) at once: three git processes, whatever the
 * number of groups (a plan may hold hundreds of objects changed by hand). A group's time is its
 * newest file's; 'uncommitted' when one of its files differs from HEAD; null when none was committed.
 */
export async function lastChangedEach(cwd: string, env: RunEnv, groups: ReadonlyMap<string, readonly string[]>): Promise<Map<string, GitLastChange | null>> {
  const out = new Map<string, GitLastChange | null>([...groups.keys()].map((k) => [k, null]));
  const files = [...new Set([...groups.values()].flat())];
  if (files.length === 0) return out;
  const git = await openRepo(cwd, env);
  if (!git) return out;
  // Many files (a plan of hundreds of objects changed by hand): their common folder alone, whose
  // answer is read for them below; a pathspec a file would make a command line too long and
  // git's walk match each commit against every one of them.
  const spec = files.length > MAX_LISTED_PATHS ? [commonFolder(files)] : files;
  // Literal pathspecs: a file name is data, never a glob.
  const paths = ['--', ...spec.map((f) => `:(literal)${f}`)];
  // Not trimmed: a status entry's first column may be a space.
  const untrimmed = (args: string[]): Promise<string | null> => git.raw(args).catch(() => null);
  const [prefix, status, log] = await Promise.all([
    tryRaw(git, ['rev-parse', '--show-prefix']),
    untrimmed(['status', '--porcelain', '-z', '--untracked-files=all', ...paths]),
    untrimmed(['-c', 'core.quotePath=false', 'log', '-z', '--format=%x01%cI', '--name-only', ...paths]),
  ]);
  // Both outputs name paths from the repository's root; the groups, from CWD.
  const fromRoot = (f: string): string => posix.normalize(`${prefix ?? ''}${f.replace(/\\/g, '/')}`);
  const dirty = new Set<string>();
  if (status !== null) {
    const entries = status.split('\0');
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if (e.length < 4) continue;
      dirty.add(e.slice(3));
      if (e[0] === 'R' || e[0] === 'C') dirty.add(entries[++i] ?? ''); // a rename's origin follows
    }
  }
  const changedAt = new Map<string, string>();
  // Each commit: \x01, its time, then its files, each ended by NUL (`-z`), after a newline.
  for (const commit of (log ?? '').split('\x01')) {
    const [at, ...names] = commit.split(/[\0\n]/).filter((x) => x !== '');
    if (at === undefined) continue;
    // Newest first: a file's first commit here is its last change.
    for (const name of names) if (!changedAt.has(name)) changedAt.set(name, at);
  }
  for (const [key, group] of groups) {
    const rooted = group.map(fromRoot);
    if (rooted.some((f) => dirty.has(f))) {
      out.set(key, 'uncommitted');
      continue;
    }
    const times = rooted.map((f) => changedAt.get(f)).filter((t): t is string => t !== undefined);
    // A file of the group never committed is a change git does not hold yet.
    if (times.length < rooted.length && times.length > 0) out.set(key, 'uncommitted');
    else if (times.length > 0) out.set(key, { at: times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a)) });
  }
  return out;
}

/**
 * Whether HEAD's history holds each of COMMITS (full or abbreviated ids): true or false where git
 * can say, absent where it cannot (no repository, a commit this clone lacks: a shallow or
 * single-branch checkout cannot tell). Plan and drift ask it of the commits promptctl applied an
 * object from, to say whether the target holds a commit this branch does not have.
 */
export async function inHeadEach(cwd: string, env: RunEnv, commits: readonly string[]): Promise<Map<string, boolean>> {
  const out = new Map<string, boolean>();
  if (commits.length === 0) return out;
  const git = await openRepo(cwd, env);
  if (!git) return out;
  await Promise.all(
    // A record's commit is data anyone could write: only a commit id is asked of git.
    [...new Set(commits)].filter((c) => /^[0-9a-f]{4,64}$/i.test(c)).map(async (c) => {
      // `merge-base --is-ancestor` answers by its exit status alone, which simple-git does not
      // hand back; the merge base is the commit itself exactly when HEAD holds it.
      const [full, base] = await Promise.all([tryRaw(git, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${c}^{commit}`]), tryRaw(git, ['merge-base', '--end-of-options', c, 'HEAD'])]);
      if (full !== null && base !== null) out.set(c, full === base);
    }),
  );
  return out;
}

/** Files named one by one to git; past it, their common folder. */
const MAX_LISTED_PATHS = 64;

/** The deepest folder (relative, "/"-separated; "." for the working directory) holding every file. */
function commonFolder(files: readonly string[]): string {
  const split = files.map((f) => posix.dirname(f.replace(/\\/g, '/')).split('/'));
  const first = split[0]!;
  let n = 0;
  while (n < first.length && split.every((parts) => parts[n] === first[n])) n++;
  const folder = first.slice(0, n).join('/');
  return folder === '' ? '.' : folder;
}
