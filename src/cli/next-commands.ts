// The commands a message tells the user to run next (plan again, apply, apply first, plan then
// apply, verify the audit trail), each with this run's --env and --dir: run without them, a command plans or applies
// another target, reads another directory or checks another trail. Pure string building, light enough for environments.ts, which every --env run loads.
import { DEFAULT_PROMPTS_DIR } from '../config/discover.js';
import { shellWord } from '../util/escapes.js';
import type { CliContext } from './context.js';

/**
 * How to make this plan again: with the environment, the prompts directory and prune it was made
 * with (run without them, it plans another target, reads another directory or leaves prune off).
 */
export function planAgain(ctx: CliContext, dir: string, prune: boolean): string {
  return `promptctl plan${targetFlags(ctx, dir)}${prune ? ' --prune' : ''}`;
}

/**
 * `promptctl apply` with the environment and prompts directory of this run, and `--prune` when it
 * prunes (a saved plan that deletes needs it again at apply: its file cannot prove it, as planAgain's).
 */
export function applyCommand(ctx: CliContext, dir: string, prune = false): string {
  return `promptctl apply${targetFlags(ctx, dir)}${prune ? ' --prune' : ''}`;
}

/**
 * The commands that apply git's state to this run's target, in order: `promptctl apply` with its
 * environment and directory, or, where the environment is protected (it applies only a saved plan
 * file, DESIGN §6), the plan saved for review and that file applied: the bare apply is refused there.
 * `prune` and `allowMassDelete` as the run had them: each needs its flag at both steps (a saved
 * plan's file cannot prove either was given to plan).
 */
export function applySteps(ctx: CliContext, dir: string, opts: { prune?: boolean; allowMassDelete?: boolean } = {}): string[] {
  const mass = opts.allowMassDelete ? ' --allow-mass-delete' : '';
  if (ctx.environment?.settings.protected !== true) return [`${applyCommand(ctx, dir, opts.prune === true)}${mass}`];
  return [`${planAgain(ctx, dir, opts.prune === true)}${mass} --out plan.json`, `${applyCommand(ctx, dir, opts.prune === true)}${mass} plan.json`];
}

/**
 * "run `promptctl apply --env staging` first", or for a protected environment "run `promptctl plan
 * --env prod --out plan.json`, review it, then `promptctl apply --env prod plan.json`": what a
 * hint that the target lacks what git defines tells the user to do (views/status.ts says it alike).
 */
export function applyFirst(ctx: CliContext, dir: string): string {
  const [first, then] = applySteps(ctx, dir);
  return then === undefined ? `run \`${first}\` first` : `run \`${first}\`, review it, then \`${then}\``;
}

/**
 * "run `promptctl plan`, review it, then `promptctl apply`", or for a protected environment its
 * saved plan and that file's apply, each with this run's --env and --dir: what creates on the
 * target something git defines, reviewed before it is applied.
 */
export function planThenApply(ctx: CliContext, dir: string): string {
  const [first, then] = applySteps(ctx, dir);
  return then === undefined ? `run \`${planAgain(ctx, dir, false)}\`, review it, then \`${first}\`` : `run \`${first}\`, review it, then \`${then}\``;
}

/**
 * `promptctl audit verify` checking the trail this run's apply writes: with its --env (that
 * environment's trail) and --dir (whose promptctl.yaml may name audit.file); bare, it checks the
 * default trail, another file.
 */
export function auditVerify(ctx: CliContext, dir: string): string {
  return `promptctl audit verify${targetFlags(ctx, dir)}`;
}

/** ` --env NAME --dir DIR` as this run was given them (none for the defaults): what a command to run again keeps. */
export function targetFlags(ctx: CliContext, dir: string): string {
  const env = ctx.environment ? ` --env ${shellWord(ctx.environment.name)}` : '';
  return `${env}${dirFlag(dir)}`;
}

/** ` --dir DIR`, or nothing for the default prompts directory. */
export function dirFlag(dir: string): string {
  return dir !== DEFAULT_PROMPTS_DIR ? ` --dir ${shellWord(dir)}` : '';
}
