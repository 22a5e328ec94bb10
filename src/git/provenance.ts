// Who applies what from which commit (DESIGN §5): the CI environment first, then git, then the OS.
import { userInfo } from 'node:os';
import { relative, resolve, sep } from 'node:path';
import { openRepo, tryRaw } from './repo.js';

export interface GitProvenance {
  /** GITHUB_SHA, else HEAD; null outside a repository or before the first commit. */
  commit: string | null;
  /** PR source branch or pushed ref name in Actions, else the checked-out branch; null when detached. */
  branch: string | null;
  /**
   * Tracked files differ from HEAD, or the prompts directory holds files git does not track (and
   * does not ignore): what is planned is then not what the commit holds. Untracked files
   * elsewhere, such as .promptctl/, do not count.
   */
  dirty: boolean;
  /** GITHUB_ACTOR, else HEAD's author as "Name <email>", else the OS user. */
  actor: string;
  runId?: string;
  repository?: string;
}

/** Never throws: outside a repository the git fields are null/false. `dir` is the prompts directory. */
export async function gitProvenance(cwd: string, env: NodeJS.ProcessEnv, dir?: string): Promise<GitProvenance> {
  const git = await openRepo(cwd);
  const head = git ? await tryRaw(git, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']) : null;
  const author = git && head ? await tryRaw(git, ['log', '-1', '--format=%an <%ae>', head]) : null;
  // -q: no error when detached; prints nothing then.
  const branch = git ? await tryRaw(git, ['symbolic-ref', '--short', '-q', 'HEAD']) : null;
  let dirty = false;
  if (git && head) {
    try {
      const status = await git.status(['--untracked-files=all']);
      // Paths are relative to the repository root; the prompts directory is relative to cwd.
      const top = (await tryRaw(git, ['rev-parse', '--show-toplevel'])) ?? cwd;
      const prompts = dir === undefined ? undefined : relative(top, resolve(cwd, dir)).split(sep).join('/');
      const inPrompts = (f: string): boolean => prompts !== undefined && (prompts === '' || f === prompts || f.startsWith(`${prompts}/`));
      const tracked = status.files.filter((f) => f.index !== '?' || f.working_dir !== '?');
      dirty = tracked.length > 0 || status.not_added.some(inPrompts);
    } catch {
      dirty = false;
    }
  }
  const result: GitProvenance = {
    // `||`: Actions sets some of these to "" when they do not apply (GITHUB_HEAD_REF on push).
    commit: env.GITHUB_SHA || head,
    branch: env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || branch,
    dirty,
    actor: env.GITHUB_ACTOR || author || osUser(env),
  };
  if (env.GITHUB_RUN_ID) result.runId = env.GITHUB_RUN_ID;
  if (env.GITHUB_REPOSITORY) result.repository = env.GITHUB_REPOSITORY;
  return result;
}

function osUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers).
    return env.USER || env.USERNAME || 'unknown';
  }
}
