// Which text files a committed YAML file ever referred to (`file: PATH`), from git history: how
// export --force tells a guide's instruction file an earlier export wrote, whose YAML is gone
// since, from a file of the user's that nothing ever referred to (a README kept beside the guides).
// One `git log -p` over the YAML files, their changed lines only (-U0), of the commits that added or
// removed a line naming one of the files: such a line naming it after `file:` is a reference that
// was there at one time.
import { openRepo } from './repo.js';
import { type RunEnv } from './environment.js';

/**
 * Of `paths` (relative to `cwd`, '/'-separated, as its YAML refers to them), those a YAML file
 * under `cwd` referred to in some commit on HEAD's history. None outside a work tree, before the
 * first commit, or when git cannot say: no history, no claim that one referred to it.
 */
export async function everReferred(cwd: string, env: RunEnv, paths: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  if (paths.length === 0) return found;
  const git = await openRepo(cwd, env);
  if (!git) return found;
  let log: string;
  try {
    // Only commits that added or removed a line naming one of the files (-G: an extended regex).
    const named = [...new Set(paths)].map(regexOf).join('|');
    log = await git.raw(['log', 'HEAD', '--format=', '-p', '-U0', '--no-color', '--no-ext-diff', '--no-textconv', '-G', named, '--', ':(glob)**/*.yaml', ':(glob)**/*.yml']);
  } catch {
    // No commit yet, or git failed: nothing is known to have referred to them.
    return found;
  }
  for (const line of log.split('\n')) {
    if (!/^[+-](?![+-]{2} )/.test(line) || !line.includes('file:')) continue;
    const after = line.slice(line.indexOf('file:') + 5);
    for (const p of paths) if (!found.has(p) && refersTo(after, p)) found.add(p);
  }
  return found;
}

/** Whether the text after `file:` on a YAML line names `path` whole (plain or quoted, not as part of a longer name). */
function refersTo(text: string, path: string): boolean {
  for (let at = text.indexOf(path); at >= 0; at = text.indexOf(path, at + 1)) {
    const before = text.slice(0, at).trimStart();
    const next = text[at + path.length];
    if ((before === '' || before === '"' || before === "'" || before === './') && (next === undefined || /[\s"'},#]/.test(next))) return true;
  }
  return false;
}

/** A POSIX extended regular expression (what git's -G takes) matching `text` literally. */
function regexOf(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}
