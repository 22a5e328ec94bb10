// `git status --porcelain=v2 --branch -z` read as data: HEAD's commit and branch, whether any
// tracked file differs from HEAD, and the untracked paths (relative to the repository root). One
// git process answers what took four (rev-parse, symbolic-ref, status and the repository check).

export interface RepoStatus {
  /** HEAD's commit; null before the first commit. */
  commit: string | null;
  /** The checked-out branch; null when HEAD is detached. */
  branch: string | null;
  /** A tracked file differs from HEAD (staged, unstaged, renamed or unmerged): `changed` is not empty. */
  trackedChanged: boolean;
  /** Those files, as paths from the repository root (a rename: its new and its original path). */
  changed: string[];
  /** Files git neither tracks nor ignores, as paths from the repository root. */
  untracked: string[];
  /** Files git ignores, as paths from the repository root: only with IGNORED_ARG. */
  ignored: string[];
}

/**
 * Without optional locks: a status may otherwise refresh the index and rewrite it under
 * index.lock, and a `git commit` the user runs meanwhile fails on that lock. promptctl only reads.
 */
export const STATUS_ARGS: readonly string[] = ['--no-optional-locks', 'status', '--porcelain=v2', '--branch', '-z', '--untracked-files=all'];

/** Added to STATUS_ARGS: the ignored files too, each one named (with --untracked-files=all), as `! path`. */
export const IGNORED_ARG = '--ignored=traditional';

/** Parses the output of STATUS_ARGS (NUL-terminated records: headers, then one entry a path). */
export function parseStatus(out: string): RepoStatus {
  const status: Omit<RepoStatus, 'trackedChanged'> = { commit: null, branch: null, changed: [], untracked: [], ignored: [] };
  const records = out.split('\0');
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r.startsWith('# branch.oid ')) {
      const oid = r.slice('# branch.oid '.length);
      status.commit = oid === '(initial)' ? null : oid;
    } else if (r.startsWith('# branch.head ')) {
      const head = r.slice('# branch.head '.length);
      status.branch = head === '(detached)' ? null : head;
    } else if (r.startsWith('? ')) {
      status.untracked.push(r.slice(2));
    } else if (r.startsWith('! ')) {
      status.ignored.push(r.slice(2));
    } else if (r.startsWith('1 ') || r.startsWith('u ')) {
      // The path follows the entry's fixed fields: 8 of them for an ordinary change, 10 unmerged.
      status.changed.push(afterFields(r, r.startsWith('1 ') ? 8 : 10));
    } else if (r.startsWith('2 ')) {
      // A rename or copy (9 fields, the score among them): the record after it is the original path.
      status.changed.push(afterFields(r, 9));
      if (i + 1 < records.length) status.changed.push(records[i + 1]!);
      i++;
    }
  }
  // Every tracked change is an entry of `changed`: that it has one is the whole answer.
  return { ...status, trackedChanged: status.changed.length > 0 };
}

/** What follows the first `n` space-separated fields of a record: its path (which may hold spaces). */
function afterFields(record: string, n: number): string {
  let at = 0;
  for (let k = 0; k < n; k++) {
    at = record.indexOf(' ', at) + 1;
    if (at === 0) return '';
  }
  return record.slice(at);
}
