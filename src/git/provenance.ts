// Who applies what from which commit (DESIGN §5): the CI environment first, then git, then the OS.
import { userInfo } from 'node:os';
import { relative, resolve, sep } from 'node:path';
import { existsSync, realpathSync } from 'node:fs';
import { gitIn, mayBeInRepository, tryRaw } from './repo.js';
import { parseStatus, STATUS_ARGS } from './status.js';

export interface GitProvenance {
  /** GITHUB_SHA, else HEAD; null outside a repository or before the first commit. */
  commit: string | null;
  /** PR source branch or pushed ref name in Actions, else the checked-out branch; null when detached. */
  branch: string | null;
  /**
   * Files under the prompts directory differ from HEAD, or it holds files git does not track (and
   * does not ignore): what is planned is then not what the commit holds. Changes elsewhere (a
   * README, .promptctl/) do not count. Without a prompts directory, any tracked change does.
   */
  dirty: boolean;
  /** GITHUB_ACTOR, else HEAD's author as "Name <email>", else the OS user. */
  actor: string;
  runId?: string;
  repository?: string;
}

/** Never throws: outside a repository the git fields are null/false. `dir` is the prompts directory. */
export async function gitProvenance(cwd: string, env: NodeJS.ProcessEnv, dir?: string): Promise<GitProvenance> {
  const git = existsSync(cwd) && mayBeInRepository(cwd) ? await gitIn(cwd).catch(() => null) : null;
  // Three git processes at once (each spawn also costs this process a few milliseconds): the
  // repository's root, which doubles as the check that cwd is inside a work tree, HEAD's commit
  // and author, and the status (branch and dirty).
  const [top, last, out] = git
    ? await Promise.all([
        tryRaw(git, ['rev-parse', '--show-toplevel']),
        tryRaw(git, ['log', '-1', '--format=%H%n%an <%ae>', 'HEAD']),
        git.raw([...STATUS_ARGS]).catch(() => null),
      ])
    : [null, null, null];
  if (!git || top === null) return withEnv(env, { commit: null, branch: null, dirty: false, author: null });
  const [head = null, author = null] = last?.split('\n') ?? [];
  const status = out !== null ? parseStatus(out) : undefined;
  // A status git cannot give (a damaged index, a submodule's missing git dir) costs the dirty
  // check and the branch from it, not HEAD, its author or the branch git still names.
  const branch = status ? status.branch : await tryRaw(git, ['symbolic-ref', '--short', '-q', 'HEAD']);
  let dirty = false;
  if (status && head) {
    // Paths are relative to the repository's real root; the prompts directory is relative to
    // cwd, which may be reached through a symbolic link.
    const prompts = dir === undefined ? undefined : relative(top, realPath(resolve(cwd, dir))).split(sep).join('/');
    const inPrompts = (f: string): boolean => prompts !== undefined && (prompts === '' || f === prompts || f.startsWith(`${prompts}/`));
    // DESIGN §5: modified and untracked files under the prompts directory (what the plan reads);
    // without a prompts directory, any tracked change.
    dirty = prompts === undefined ? status.trackedChanged : status.changed.some(inPrompts) || status.untracked.some(inPrompts);
  }
  return withEnv(env, { commit: head, branch, dirty, author });
}

/** The CI environment's values over git's (DESIGN §5). */
function withEnv(env: NodeJS.ProcessEnv, git: { commit: string | null; branch: string | null; dirty: boolean; author: string | null }): GitProvenance {
  const result: GitProvenance = {
    // `||`: Actions sets some of these to "" when they do not apply (GITHUB_HEAD_REF on push).
    commit: env.GITHUB_SHA || git.commit,
    branch: env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || git.branch,
    dirty: git.dirty,
    actor: env.GITHUB_ACTOR || git.author || osUser(env),
  };
  if (env.GITHUB_RUN_ID) result.runId = env.GITHUB_RUN_ID;
  if (env.GITHUB_REPOSITORY) result.repository = env.GITHUB_REPOSITORY;
  return result;
}

/** The path with symbolic links resolved, as git names its root; the path itself when it does not exist. */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function osUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers).
    return env.USER || env.USERNAME || 'unknown';
  }
}
