// The environment the bench's processes run in, and its prompt set committed to a git repository.
// Plain JS (the bench runs without a build); types in env.d.mts for the tests.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What steers git to another repository than the one it finds from its working directory, or
 * configures it for one run (`git rev-parse --local-env-vars`, and the numbered config pairs). A
 * caller inside git sets them (a hook: GIT_DIR, GIT_INDEX_FILE; an alias: GIT_CONFIG_PARAMETERS):
 * left in, the set's commit would go to the caller's index, and promptctl's provenance would read
 * the caller's repository (and start git outside one).
 */
const GIT_LOCAL = new Set(['GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_CONFIG', 'GIT_CONFIG_PARAMETERS', 'GIT_CONFIG_COUNT', 'GIT_OBJECT_DIRECTORY', 'GIT_DIR', 'GIT_WORK_TREE', 'GIT_IMPLICIT_WORK_TREE', 'GIT_GRAFT_FILE', 'GIT_INDEX_FILE', 'GIT_NO_REPLACE_OBJECTS', 'GIT_REPLACE_REF_BASE', 'GIT_PREFIX', 'GIT_INTERNAL_SUPER_PREFIX', 'GIT_SHALLOW_FILE', 'GIT_COMMON_DIR', 'GIT_NAMESPACE']);
const GIT_CONFIG_PAIR = /^GIT_CONFIG_(KEY|VALUE)_\d+$/;

/** The environment of every process the bench starts: no CI, no credentials, no caller's git repository. */
export function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('GENESYSCLOUD_') || k.startsWith('GITHUB_') || k.startsWith('PROMPTCTL_') || k === 'CI') continue;
    if (GIT_LOCAL.has(k) || GIT_CONFIG_PAIR.test(k)) continue;
    env[k] = v;
  }
  env.NO_COLOR = '1';
  return env;
}

/** Commits everything in DIR to a new git repository of its own (the user's git config left out). */
export function commitSet(dir) {
  const env = { ...cleanEnv(), GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.com' };
  // The run's own files: promptctl's, and the running emulator's state with its journal, lock and temporary files.
  writeFileSync(join(dir, '.gitignore'), '.promptctl/\n/emulator-state.json*\n/.emulator-state.json.*\n');
  for (const args of [['init', '-q', '-b', 'main'], ['add', '-A'], ['-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'prompt set']]) {
    execFileSync('git', args, { cwd: dir, env, stdio: 'ignore' });
  }
}
