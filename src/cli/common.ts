// What plan, apply, drift and export share: loading the prompts (refusing invalid input before
// anything live is touched), opening the target, building a plan. The loader and the plan engine
// are imported when first used, so that `--help` and `--version` load neither.
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { LiveState } from '../genesys/api.js';
import { readLiveState } from '../genesys/live.js';
import { gitProvenance, type GitProvenance } from '../git/index.js';
import type { DesiredState } from '../model/types.js';
import type { Plan } from '../plan/types.js';
import { UserError } from '../util/errors.js';
import { info, paint } from './output.js';
import { openTarget, targetLine, describeTarget, type OpenTarget } from './target.js';
import { formatText } from './validate.js';

export const DEFAULT_DIR = 'prompts';

/** The renderers' colour hook, on top of output.ts (plain text when colour is off). */
export function style(name: string, s: string): string {
  return paint(name as Parameters<typeof paint>[0], s);
}

export function addDirOption(cmd: Command): Command {
  return cmd.option('--dir <dir>', 'prompts directory', DEFAULT_DIR);
}

/** Prints the target line: the first thing every command says on stderr. */
export function announceTarget(env: NodeJS.ProcessEnv): string {
  const { label } = describeTarget(env);
  info(targetLine(label));
  return label;
}

/**
 * Loads the desired state. Warnings go to stderr; any error is printed with where it is and
 * ends the command (exit 1) before anything live is read or changed.
 */
export async function loadOrRefuse(dir: string, cwd: string, doing: string): Promise<DesiredState> {
  const { loadProject } = await import('../config/project.js');
  const { state, diagnostics } = await loadProject({ dir, cwd });
  for (const d of diagnostics) info(formatText(d));
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0 || !state) {
    throw new UserError(`${errors || 'invalid'} error${errors === 1 ? '' : 's'} in ${dir}: nothing was ${doing}`);
  }
  return state;
}

/** Opens the target, runs `fn`, and always closes it (the embedded emulator included). */
export async function withTarget<T>(cwd: string, env: NodeJS.ProcessEnv, fn: (t: OpenTarget) => Promise<T>): Promise<T> {
  const t = await openTarget(cwd, env);
  try {
    return await fn(t);
  } finally {
    await t.close();
  }
}

/**
 * Reads the live org and plans the loaded state against it (a fresh plan with its own id,
 * stamped with the target and git provenance): the common path of plan, apply and drift.
 */
export async function planFromFiles(opts: {
  target: OpenTarget;
  state: DesiredState;
  git: GitProvenance;
  prune: boolean;
  only?: Set<string> | null;
}): Promise<{ plan: Plan; live: LiveState }> {
  const { buildPlan } = await import('../plan/build.js');
  const live = await readLiveState(opts.target.api);
  const { git } = opts;
  const plan = buildPlan(opts.state, live, {
    prune: opts.prune,
    target: opts.target.label,
    git: {
      ...(git.commit ? { commit: git.commit } : {}),
      ...(git.branch ? { branch: git.branch } : {}),
      dirty: git.dirty,
      actor: git.actor,
    },
    id: randomUUID(),
    createdAt: new Date().toISOString(),
    ...(git.commit ? { commit: git.commit } : {}),
    ...(opts.only ? { only: opts.only } : {}),
  });
  // Recorded so `apply PLANFILE` re-plans the same slice (see Plan.scope).
  if (opts.only) plan.scope = [...opts.only].sort();
  return { plan, live };
}

/**
 * The read-only path of plan and drift: the target line, the desired state (or a refusal),
 * git provenance, then a plan against the live org. `scope` limits the plan (--changed-since).
 */
export async function planTarget(p: {
  dir: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  doing: string;
  prune?: boolean;
  scope?: (state: DesiredState) => Promise<Set<string> | null>;
}): Promise<{ plan: Plan; live: LiveState }> {
  announceTarget(p.env);
  const state = await loadOrRefuse(p.dir, p.cwd, p.doing);
  const git = await gitProvenance(p.cwd, p.env);
  const only = p.scope ? await p.scope(state) : null;
  const prune = p.prune ?? state.config.prune;
  return withTarget(p.cwd, p.env, (target) => planFromFiles({ target, state, git, prune, only }));
}
