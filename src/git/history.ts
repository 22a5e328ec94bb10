// One file's history (simple-git): `git log --follow --first-parent` of the file, newest first, and
// its text at each commit, for `promptctl rollback` (the last split that held 100 % on one version).
// First parent only: what the branch itself held, a merge as the state it brought; a side branch's
// commits are states the branch never had (a trial merged back at 50 % never held 100 % here).
import { openRepo, tryRaw } from './repo.js';

export interface FileRevision {
  commit: string;
  /** Committer date, ISO 8601. */
  date: string;
  subject: string;
  /** The file's path at that commit, relative to the repository root (renames followed). */
  path: string;
  /** Its text at that commit; null when it was deleted there. */
  text: string | null;
}

/**
 * The commits that changed `file` (relative to `cwd`), newest first, at most `max`, each with the
 * file's text as it was then. Throws a plain Error saying why when there is no history to read.
 */
export async function fileHistory(cwd: string, file: string, max = 200): Promise<FileRevision[]> {
  const git = await openRepo(cwd);
  if (!git) throw new Error(`${cwd} is not in a git repository`);
  if (!(await tryRaw(git, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']))) throw new Error('the repository has no commits yet');
  const SEP = '\u001f';
  const log = await git.raw(['log', '--follow', '--first-parent', `-n${max}`, `--format=%x1e%H${SEP}%cI${SEP}%s`, '--name-only', '--', file]);
  const out: FileRevision[] = [];
  for (const entry of log.split('\u001e')) {
    const [head, ...rest] = entry.split('\n');
    if (!head?.trim()) continue;
    const [commit, date, subject] = head.split(SEP);
    const path = rest.map((l) => l.trim()).find((l) => l !== '');
    if (!commit || !path) continue;
    let text: string | null;
    try {
      text = await git.show([`${commit}:${path}`]);
    } catch {
      text = null; // deleted (or renamed away) in that commit
    }
    out.push({ commit, date: date ?? '', subject: subject ?? '', path, text });
  }
  return out;
}
