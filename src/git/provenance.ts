// Who applies what from which commit (DESIGN §5): the commit git's HEAD (CI's GITHUB_SHA where no
// repository answers); the actor and the run CI's, then HEAD's author, then the OS user.
import { userInfo } from 'node:os';
import { existsSync, realpathSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { isInside } from '../util/inside.js';
import { isPromptFilePath } from '../util/prompt-paths.js';
import type { SimpleGit } from 'simple-git';
import { gitIn, globPrefix, mayBeInRepository, otherRepository, realDir, repositoryRoot, tryRaw, unreadableRepository } from './repo.js';
import { toldWhere, type RunEnv } from './environment.js';
import { IGNORED_ARG, parseStatus, STATUS_ARGS } from './status.js';

export interface GitProvenance {
  /** HEAD, else GITHUB_SHA (a CI workspace without the repository); null outside a repository or before the first commit. */
  commit: string | null;
  /** PR source branch or pushed ref name in Actions, else the checked-out branch; null when detached. */
  branch: string | null;
  /**
   * Files under the prompts directory differ from HEAD, or it holds files git does not track (and
   * does not ignore), or YAML files the loader reads though git ignores them: what is planned is
   * then not what the commit holds. Changes elsewhere (a README) and promptctl's own .promptctl/
   * directories, wherever they are, do not count.
   * Without a prompts directory, any tracked change does.
   */
  dirty: boolean;
  /** GITHUB_ACTOR, else HEAD's author as "Name <email>", else the OS user. */
  actor: string;
  runId?: string;
  repository?: string;
}

/**
 * Never throws: outside a repository the git fields are null/false. `dir` is the prompts directory.
 * `author: false`: HEAD's author is not asked of git (one process fewer) and the actor is CI's or
 * the OS user's: for a caller that shows no actor (a text plan). `unreadable`: told why when a
 * repository is there but git cannot read it (another user's, safe.directory; git not installed),
 * which would otherwise look like no repository at all: no commit recorded, and no word why.
 */
export async function gitProvenance(
  cwd: string,
  env: RunEnv,
  dir?: string,
  opts: { author?: boolean; unreadable?: (why: string) => void } = {},
): Promise<GitProvenance> {
  const none = { commit: null, branch: null, dirty: false, author: null };
  // A prompts directory in another repository than the working directory's (`--dir ../elsewhere`,
  // a nested checkout, a link leading out) is not what this HEAD holds: its provenance is that of
  // the repository holding it, or none; CI's commit and branch are the workspace's, not its.
  const elsewhere = dir === undefined ? undefined : otherRepository(cwd, dir, env);
  if (elsewhere !== undefined) {
    // From a working directory in no repository (a CI workspace whose checkout has a `path:`), the
    // prompts directory's repository is the only one there is: CI's values are its own.
    if (elsewhere.here === null && elsewhere.root !== null) return gitProvenance(elsewhere.dir, env, '.', opts);
    const author = env.GITHUB_ACTOR ? { ...opts, author: false } : opts;
    const own = elsewhere.root === null ? withEnv({}, none) : await gitProvenance(elsewhere.dir, {}, '.', author);
    return withCiRun(env, own);
  }
  const git = existsSync(cwd) && mayBeInRepository(cwd, env) ? await gitIn(cwd, env).catch(() => null) : null;
  if (!git) return withEnv(env, none);
  // Each git process costs this one a fork, so as few as the answer needs: the status (HEAD's
  // commit, the branch, what changed under the prompts directory: a pathspec relative to cwd, so
  // no repository root is needed, and the files git ignores there) and, unless CI names the actor,
  // HEAD's author, at once.
  const needAuthor = !env.GITHUB_ACTOR && opts.author !== false;
  const [out, last] = await Promise.all([
    git.raw([...STATUS_ARGS, ...(dir === undefined ? [] : [IGNORED_ARG, '--', ...promptsPathspecs(cwd, dir, toldWhere(env))])]).catch(() => null),
    needAuthor ? tryRaw(git, ['log', '-1', '--format=%H%n%an <%ae>', 'HEAD']) : Promise.resolve(null),
  ]);
  if (out !== null) {
    // Status answers only inside a work tree.
    const status = parseStatus(out);
    const author = status.commit !== null ? (last?.split('\n')[1] ?? null) : null;
    // DESIGN §5: modified and untracked files under the prompts directory (what the plan reads);
    // without a prompts directory, any tracked change. Before the first commit, whatever the prompts
    // directory holds is uncommitted: no commit holds what is planned.
    const dirty = status.trackedChanged || (dir !== undefined && (status.untracked.length > 0 || (await readsIgnored(git, cwd, dir, status.ignored, env))));
    return withEnv(env, { commit: status.commit, branch: status.branch, dirty, author });
  }
  // A status git cannot give (a damaged index, a submodule's missing git dir, a prompts directory
  // outside the repository) costs the dirty check and the branch from it, not HEAD, its author or
  // the branch git still names. Inside .git, or outside a repository, there is no work tree.
  if ((await tryRaw(git, ['rev-parse', '--is-inside-work-tree'])) !== 'true') {
    const why = opts.unreadable === undefined ? null : await unreadableRepository(cwd, env);
    if (why !== null) opts.unreadable!(why);
    return withEnv(env, none);
  }
  // GIT_DIR pins every git process to one repository (otherRepository cannot judge): a prompts
  // directory outside its work tree is held by no commit of it.
  if (dir !== undefined && toldWhere(env)) {
    const top = await tryRaw(git, ['rev-parse', '--show-toplevel']);
    if (top === null || !isWithin(top, resolve(cwd, dir))) return withEnv(env, none);
  }
  const [head = null, author = null] = (last ?? (await tryRaw(git, ['log', '-1', '--format=%H%n%an <%ae>', 'HEAD'])))?.split('\n') ?? [];
  const branch = await tryRaw(git, ['symbolic-ref', '--short', '-q', 'HEAD']);
  return withEnv(env, { commit: head, branch, dirty: false, author });
}

/** Whether `dir` (its real path) lies in the work tree whose top level is `top`. */
function isWithin(top: string, dir: string): boolean {
  try {
    return isInside(realpathSync(top), realpathSync(dir));
  } catch {
    return false;
  }
}

/**
 * The prompts directory as git pathspecs relative to cwd, read literally: as spelled (a link itself,
 * tracked or not, is part of what the plan reads) and, when links lead elsewhere, its real path too.
 * git matches no path through a symbolic link, while the loader reads the files the link leads to
 * (a `prompts` link to `src/prompts`): their changes make the plan dirty as well. A real path
 * outside the repository fails the status, as any prompts directory outside it does (not dirty).
 * promptctl's own state directories under it are left out (STATE_DIR).
 */
function promptsPathspecs(cwd: string, dir: string, absolute: boolean): string[] {
  const paths = promptsPaths(cwd, dir, absolute);
  return [...paths.map((p) => `:(literal)${p}`), ...paths.map((p) => `:(exclude,glob)${globPrefix(p)}**/${STATE_DIR}/**`)];
}

/**
 * promptctl's own state under a working directory (caches, the embedded emulator's state, audit
 * trails): inside the prompts directory when a run starts there (`cd prompts && promptctl plan
 * --dir .`), and never what a plan reads, so never a change the commit lacks.
 */
const STATE_DIR = '.promptctl';

/**
 * The prompts directory as spelled, and its real path when links lead elsewhere (see
 * promptsPathspecs), relative to cwd; `absolute`, as absolute paths: where the run's environment
 * tells git where the work tree is (GIT_DIR, GIT_WORK_TREE), cwd may lie outside it, and git
 * places no relative path from there (`'../repo/prompts' is outside repository`).
 */
function promptsPaths(cwd: string, dir: string, absolute = false): string[] {
  if (absolute) return promptsPaths(cwd, dir).map((p) => resolve(realDir(cwd), p).split(sep).join('/'));
  const spelled = dir || '.';
  let real: string;
  try {
    // git resolves cwd's links (its prefix is the real working directory), so the real path is relative to cwd's.
    real = relative(realpathSync(cwd), realpathSync(resolve(cwd, spelled))).split(sep).join('/') || '.';
  } catch {
    return [spelled]; // a directory that does not exist: nothing under it to be dirty
  }
  const same = relative(resolve(cwd), resolve(cwd, spelled)).split(sep).join('/') || '.';
  return real === same ? [spelled] : [spelled, real];
}

/**
 * Git pathspecs for the YAML files discovery reads under the prompts directory (util/prompt-paths:
 * `.yaml`/`.yml`, no dot-entry on the way, not in node_modules or lost+found), so that an ignored
 * editor file, `.DS_Store` or a dependency does not make every plan dirty.
 */
function ignoredYamlPaths(cwd: string, dir: string, absolute: boolean): string[] {
  return promptsPaths(cwd, dir, absolute).flatMap((p) => {
    const under = globPrefix(p);
    return [
      `:(glob)${under}**/*.yaml`,
      `:(glob)${under}**/*.yml`,
      `:(exclude,glob)${under}**/.*`,
      `:(exclude,glob)${under}**/.*/**`,
      `:(exclude,glob)${under}**/node_modules/**`,
      `:(exclude,glob)${under}**/lost+found/**`,
    ];
  });
}

/**
 * Whether the loader reads a file git ignores under the prompts directory (`*.local.yaml` in
 * .gitignore): no commit holds it. Status names ignored files from the repository's root; the
 * prompts directory is placed there from the root found on disk. Where that cannot be trusted (git
 * told where the repository is, or a name outside the place expected), git is asked on its own.
 */
async function readsIgnored(git: SimpleGit, cwd: string, dir: string, ignored: readonly string[], env: RunEnv): Promise<boolean> {
  if (ignored.length === 0) return false;
  const tops = env['GIT_WORK_TREE'] === undefined && !toldWhere(env) ? fromRoot(cwd, promptsPaths(cwd, dir)) : null;
  const under = tops === null ? undefined : ignored.map((path) => belowAny(tops, path));
  if (under !== undefined && under.every((rest) => rest !== undefined)) return under.some((rest) => isPromptFilePath(rest!));
  return (await tryRaw(git, ['ls-files', '--others', '--ignored', '--exclude-standard', '-z', '--', ...ignoredYamlPaths(cwd, dir, toldWhere(env))])) !== null;
}

/** `paths` (relative to cwd) as paths from the root of cwd's work tree found on disk; null without one. */
function fromRoot(cwd: string, paths: readonly string[]): string[] | null {
  const here = realDir(cwd);
  const root = repositoryRoot(here);
  if (root === null) return null;
  return paths.map((p) => relative(root, resolve(here, p)).split(sep).join('/'));
}

/** What follows the first of `tops` that holds `path`: its path below that directory. */
function belowAny(tops: readonly string[], path: string): string | undefined {
  for (const top of tops) {
    if (top === '') return path;
    if (path.startsWith(`${top}/`)) return path.slice(top.length + 1);
  }
  return undefined;
}

/** Who runs it and which run, from CI, over provenance taken from another repository than the workspace's. */
function withCiRun(env: NodeJS.ProcessEnv, p: GitProvenance): GitProvenance {
  const result: GitProvenance = { ...p, actor: env.GITHUB_ACTOR || p.actor };
  if (env.GITHUB_RUN_ID) result.runId = env.GITHUB_RUN_ID;
  if (env.GITHUB_REPOSITORY) result.repository = env.GITHUB_REPOSITORY;
  return result;
}

/** The CI environment's values over git's (DESIGN §5). */
function withEnv(env: NodeJS.ProcessEnv, git: { commit: string | null; branch: string | null; dirty: boolean; author: string | null }): GitProvenance {
  const result: GitProvenance = {
    // HEAD is what was read: a workflow may check out another commit than the event's
    // (`ref:` on actions/checkout); GITHUB_SHA stands in only where no repository answers.
    // `||`: Actions sets some of these to "" when they do not apply (GITHUB_HEAD_REF on push).
    commit: git.commit || env.GITHUB_SHA || null,
    // The event's branch names the event's commit: another one checked out is on git's branch.
    branch: git.commit && env.GITHUB_SHA && git.commit !== env.GITHUB_SHA ? git.branch : env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || git.branch,
    dirty: git.dirty,
    actor: env.GITHUB_ACTOR || git.author || osUser(env),
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
