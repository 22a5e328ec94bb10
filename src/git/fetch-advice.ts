// What `--changed-since REF` says when REF is not in the clone, with the git command that fetches
// it. CI checkouts are shallow, single-branch or both (`git clone --depth 1` fetches one branch;
// actions/checkout a detached merge ref), so "fetch more history" alone is often advice that does
// not help: `git fetch --unshallow` deepens only the branches the clone tracks, never origin/main
// of a clone of a feature branch. Pure: the caller asks git for the facts.
import { shellWord } from '../util/escapes.js';

/** What the caller knows of the repository when REF did not resolve. */
export interface MissingRef {
  /** REF as the user gave it. */
  ref: string;
  /** `git rev-parse --is-shallow-repository`. */
  shallow: boolean;
  /** The configured remotes (`git remote`). */
  remotes: readonly string[];
  /** Whether the remote-tracking branch `localBranchGuess` names is here already. */
  guessHere?: boolean;
}

const ACTIONS = '`fetch-depth: 0` on actions/checkout';

/** The advice for a shallow clone when no one fetch is known to bring what is missing. */
export const FETCH_MORE = `this is a shallow clone; fetch more history (\`git fetch --unshallow\`, or ${ACTIONS})`;

/** What a revision expression or a name no fetch creates holds (git check-ref-format's refusals, `@{`, `..`). */
const REVISION_SYNTAX = /[~^:\\\s?*[]|@\{|\.\.|\/$|^\//;

/**
 * The one-line refusal for a REF that names no commit here. A remote-tracking branch of a
 * configured remote (`origin/main`, `refs/remotes/origin/main`) gets the fetch that creates it
 * under that very name, whatever branches the clone tracks; in a shallow clone with its history
 * too (`--unshallow`: the merge base is then there as well, one command rather than two refusals
 * in turn). A full commit id gets the fetch of that commit from the first remote; a plain branch
 * name, which a CI checkout lacks (it makes no local branch), the remote's branch of that name.
 */
export function missingRefMessage(m: MissingRef): string {
  const tracking = remoteBranch(m.ref, m.remotes);
  const unshallow = m.shallow ? ' --unshallow' : '';
  if (tracking !== undefined) {
    const { remote, branch } = tracking;
    const fetch = `git fetch${unshallow} ${shellWord(remote)} ${shellWord(`${branch}:refs/remotes/${remote}/${branch}`)}`;
    return m.shallow
      ? `--changed-since: ${m.ref} is not in this shallow clone: fetch it, with the history since the two parted, by \`${fetch}\` (in GitHub Actions, ${ACTIONS})`
      : `--changed-since: unknown git ref "${m.ref}": this clone has not fetched it (or ${remote} has no branch ${branch}); fetch it by \`${fetch}\` (in GitHub Actions, ${ACTIONS} fetches every branch)`;
  }
  // The null id is no commit at all: GitHub's `before` of a push that created the branch.
  if (/^0{40}(0{24})?$/.test(m.ref)) {
    return `--changed-since: ${m.ref} is git's null id, not a commit (a push event's "before" when the push created the branch): give the branch the change will merge into, such as origin/main`;
  }
  const first = m.remotes.includes('origin') ? 'origin' : m.remotes[0];
  if (/^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(m.ref) && first !== undefined) {
    const fetch = `git fetch${unshallow} ${shellWord(first)} ${m.ref}`;
    return `--changed-since: commit ${m.ref} is not in this ${m.shallow ? 'shallow ' : ''}clone: fetch it by \`${fetch}\` (in GitHub Actions, ${ACTIONS})`;
  }
  // `main` in a CI checkout, which makes no local branches: the remote's is meant.
  const guess = localBranchGuess(m.ref, m.remotes);
  // A release tag (v1.2.0), which a CI checkout fetches none of (actions/checkout: --no-tags).
  if (guess !== undefined && /^v?\d+(\.\d+)+([-+.][\w.+-]*)?$/.test(m.ref)) {
    const fetch = `git fetch${unshallow} ${shellWord(guess.remote)} tag ${shellWord(m.ref)}`;
    return `--changed-since: unknown git ref "${m.ref}": no tag of that name here (a CI checkout fetches no tags); fetch it by \`${fetch}\` (in GitHub Actions, ${ACTIONS})`;
  }
  if (guess !== undefined) {
    const fetch = `git fetch${unshallow} ${shellWord(guess.remote)} ${shellWord(`${m.ref}:refs/remotes/${guess.remote}/${m.ref}`)}`;
    const theirs = `${guess.remote}/${m.ref}`;
    return `--changed-since: unknown git ref "${m.ref}": no branch or tag of that name here (a CI checkout makes no local branch); for the remote's branch (if ${guess.remote} has one of that name: check the spelling), give ${shellWord(theirs)}${m.guessHere === true ? '' : `, fetched by \`${fetch}\``}`;
  }
  return m.shallow
    ? `--changed-since: ${m.ref} is not in this repository: ${FETCH_MORE}`
    : `--changed-since: unknown git ref "${m.ref}"`;
}

/**
 * `remote/branch` (or `refs/remotes/remote/branch`) split at the longest configured remote it
 * starts with (a remote's name may hold a `/`); undefined for anything else, a revision
 * expression (`origin/main~1`, `origin/main^{commit}`) included: no fetch creates that name.
 */
function remoteBranch(ref: string, remotes: readonly string[]): { remote: string; branch: string } | undefined {
  const name = ref.startsWith('refs/remotes/') ? ref.slice('refs/remotes/'.length) : ref;
  if (REVISION_SYNTAX.test(name)) return undefined;
  const remote = [...remotes].sort((a, b) => b.length - a.length).find((r) => name.startsWith(`${r}/`));
  if (remote === undefined) return undefined;
  const branch = name.slice(remote.length + 1);
  return branch === '' || branch === 'HEAD' ? undefined : { remote, branch };
}

/**
 * For a REF that reads as a branch name (`main`, `release/1.x`; not HEAD, FETCH_HEAD and the like,
 * nor what could be an abbreviated commit id, nor a revision expression), the remote-tracking
 * branch of the same name on `origin` (else the first remote); undefined without a remote.
 */
export function localBranchGuess(ref: string, remotes: readonly string[]): { remote: string; name: string } | undefined {
  const remote = remotes.includes('origin') ? 'origin' : remotes[0];
  if (remote === undefined || ref.startsWith('refs/') || /^[A-Z_]*HEAD$/.test(ref) || /^[0-9a-f]{4,64}$/i.test(ref)) return undefined;
  if (REVISION_SYNTAX.test(ref) || ref.startsWith('-') || ref === '@') return undefined;
  // Already a remote's name (origin/HEAD, origin/main~1 after remoteBranch passed it by).
  if (remotes.some((r) => ref.startsWith(`${r}/`))) return undefined;
  return { remote, name: `refs/remotes/${remote}/${ref}` };
}
