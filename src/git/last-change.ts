// When git last changed some files: the commit time of the newest commit that touched any of them,
// or 'uncommitted' while one of them differs from HEAD (or was never committed); null outside a
// work tree, or when git cannot say. drift compares it with when the target last changed an object
// git and the target disagree on, to say which side moved. And which files git could not give back
// if they were replaced (changes not committed, or not in git at all), for export --force.
import { openRepo, tryRaw } from './repo.js';
import { type RunEnv } from './environment.js';

export type GitLastChange = { at: string } | 'uncommitted';

/** FILES are relative to CWD (as diagnostics name them). */
export async function lastChanged(cwd: string, env: RunEnv, files: readonly string[]): Promise<GitLastChange | null> {
  if (files.length === 0) return null;
  const git = await openRepo(cwd, env);
  if (!git) return null;
  // Literal pathspecs: a file name is data, never a glob.
  const paths = ['--', ...files.map((f) => `:(literal)${f}`)];
  if ((await tryRaw(git, ['status', '--porcelain', '--untracked-files=all', ...paths])) !== null) return 'uncommitted';
  const at = await tryRaw(git, ['log', '-1', '--format=%cI', ...paths]);
  return at === null ? null : { at };
}

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
