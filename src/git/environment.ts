// The environment promptctl's git processes run in. Which repository git reads, and which index,
// is the run's to say (a pre-commit hook's GIT_DIR and temporary GIT_INDEX_FILE, a
// `GIT_DIR=… GIT_WORK_TREE=…` run from outside the work tree), so the variables that place the
// repository come from the run's own environment (the CLI context's: what in-process runs and the
// build's warm-up inject), never from this process's. Every other GIT_* variable stays out:
// simple-git 4 strips them from its processes anyway, and several run code (GIT_CONFIG_*,
// GIT_SSH*, GIT_EXTERNAL_DIFF, editors, pagers), which reading a repository never needs.
import { resolve } from 'node:path';

/** The variables that say where the repository, its work tree, index and objects are: what git is handed. */
export const LOCATION_VARIABLES: readonly string[] = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_COMMON_DIR',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_CEILING_DIRECTORIES',
  'GIT_DISCOVERY_ACROSS_FILESYSTEM',
];

/**
 * Variables outside GIT_* that simple-git 4 guards too (it refuses an explicit environment naming
 * one, and strips them from an ambient one): they run code, and git reading a repository needs none.
 */
const GUARDED = new Set(['editor', 'visual', 'pager', 'prefix', 'ssh_askpass']);

/** The ones naming one path, which git reads from its own working directory: promptctl runs git in other directories than the user's. */
const PATHS = new Set(['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_COMMON_DIR', 'GIT_OBJECT_DIRECTORY']);

/** The run's environment, as the CLI context holds it. */
export type RunEnv = Readonly<Record<string, string | undefined>>;

/** Whether the run's environment tells git where the repository is (GIT_DIR): git then finds none by itself. */
export function toldWhere(env: RunEnv): boolean {
  return env['GIT_DIR'] !== undefined;
}

/**
 * What a git process is given: this process's environment (PATH, HOME, the locale: what git needs
 * on every OS) without any GIT_* variable or other guarded one, and the run's location variables.
 */
export function gitProcessEnv(env: RunEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    const key = k.toLowerCase().trim();
    if (v !== undefined && !key.startsWith('git_') && !GUARDED.has(key)) out[k] = v;
  }
  for (const k of LOCATION_VARIABLES) {
    const v = env[k];
    // A relative path is the user's working directory's (a hook's GIT_DIR=.git): this process's.
    if (v !== undefined) out[k] = PATHS.has(k) && v !== '' ? resolve(v) : v;
  }
  return out;
}
