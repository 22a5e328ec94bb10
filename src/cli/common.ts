// What plan, apply, drift and export share: loading the prompts (refusing invalid input before
// anything live is touched), opening the target, building a plan, writing files atomically.
import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadProject } from '../config/project.js';
import type { LiveState } from '../genesys/api.js';
import { readLiveState } from '../genesys/live.js';
import type { GitProvenance } from '../git/index.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { DesiredState } from '../model/types.js';
import { buildPlan } from '../plan/build.js';
import type { Plan } from '../plan/types.js';
import { UserError } from '../util/errors.js';
import { info, paint } from './output.js';
import { openTarget, targetLine, describeTarget, type OpenTarget } from './target.js';

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

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.rule}]`;
}

/**
 * Loads the desired state. Warnings go to stderr; any error is printed with where it is and
 * ends the command (exit 1) before anything live is read or changed.
 */
export async function loadOrRefuse(dir: string, cwd: string, doing: string): Promise<DesiredState> {
  const { state, diagnostics } = await loadProject({ dir, cwd });
  for (const d of diagnostics) info(formatDiagnostic(d));
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

export interface PlanInputs {
  state: DesiredState;
  live: LiveState;
  label: string;
  git: GitProvenance;
  prune: boolean;
  only?: Set<string> | null;
}

/** A fresh plan with its own id, stamped with the target and git provenance. */
export function makePlan(p: PlanInputs): Plan {
  return buildPlan(p.state, p.live, {
    prune: p.prune,
    target: p.label,
    git: {
      ...(p.git.commit ? { commit: p.git.commit } : {}),
      ...(p.git.branch ? { branch: p.git.branch } : {}),
      dirty: p.git.dirty,
      actor: p.git.actor,
    },
    id: randomUUID(),
    createdAt: new Date().toISOString(),
    ...(p.git.commit ? { commit: p.git.commit } : {}),
    ...(p.only ? { only: p.only } : {}),
  });
}

/** Reads the live org and plans the loaded state against it: the common path of plan, apply and drift. */
export async function planFromFiles(opts: {
  target: OpenTarget;
  state: DesiredState;
  git: GitProvenance;
  prune: boolean;
  only?: Set<string> | null;
}): Promise<{ plan: Plan; live: LiveState }> {
  const live = await readLiveState(opts.target.api);
  const plan = makePlan({ state: opts.state, live, label: opts.target.label, git: opts.git, prune: opts.prune, only: opts.only ?? null });
  // Recorded so `apply PLANFILE` re-plans the same slice (see Plan.scope).
  if (opts.only) plan.scope = [...opts.only].sort();
  return { plan, live };
}

/** Writes a file so that a crash leaves the old file or the new one, never half of either. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const abs = resolve(path);
  await mkdir(dirname(abs), { recursive: true });
  const tmp = `${abs}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  try {
    const fh = await open(tmp, 'w', 0o644);
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, abs);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  // Make the rename itself durable (best effort: not every platform can fsync a directory).
  try {
    const dh = await open(dirname(abs), 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  } catch {
    /* ignore */
  }
}

/** Non-noop actions. */
export function changeCount(plan: Plan): number {
  return plan.summary.create + plan.summary.update + plan.summary.delete;
}
