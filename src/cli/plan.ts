// promptctl plan: what apply would do, as text, a PR comment (markdown) or the plan JSON.
import { stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { Option, type Command } from 'commander';
import { documentAddresses } from '../config/document-addresses.js';
import { CONFIG_FILE } from '../config/discover.js';
import { changedSince, checkRef } from '../git/index.js';
import { hasAppliedChanges, hasChanges } from '../views/plan-common.js';
import type { DesiredState } from '../model/types.js';
import type { Plan } from '../plan/types.js';
import { describeFsError, EXIT, UserError } from '../util/errors.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { addDirOption, DEFAULT_DIR, jsonFailureOnFormat } from './common.js';
import { planTarget } from './live-plan.js';
import { shellWord, visibleName } from '../util/escapes.js';
import type { CliContext } from './context.js';
import { asSaved, checkPlanOut } from './plan-file.js';
import { appendStepSummary } from './step-summary.js';
import { parseFormat, PLAN_FORMATS, renderPlan, wholePlanPointer, type PlanFormat } from './render.js';
import { changedScope } from '../plan/scope.js';
import { withProblems } from '../plan/promotion.js';
import { promotionFindings } from './environments.js';
import { applyCommand, applySteps } from './next-commands.js';

interface PlanFlags {
  dir: string;
  out?: string;
  format: string;
  detailedExitcode?: boolean;
  prune?: boolean;
  changedSince?: string;
  allowMassDelete?: boolean;
}

export function registerPlan(program: Command, ctx: CliContext): void {
  addDirOption(
    program
      .command('plan')
      .description('show what apply would change on the target (read-only)')
      .option('--out <file>', 'also write the plan as JSON, for `apply FILE`')
      .addOption(new Option('--format <format>', 'output format').choices(PLAN_FORMATS).default('text'))
      .option('--detailed-exitcode', 'exit 0 when there are no changes, 2 when there are')
      .option('--prune', 'delete live objects labelled managed-by: promptctl that git no longer defines')
      .option('--changed-since <ref>', 'plan only resources defined in files changed since this git ref')
      .option('--allow-mass-delete', 'allow deleting everything, or more than half of what promptctl manages')
      // A plan that ends in an error before its document (invalid files, the target unreachable)
      // writes, with --format json, a document holding the error, so its reader says why.
      .on('option:format', jsonFailureOnFormat(ctx)),
  ).action(async (flags: PlanFlags) => {
    ctx.exitCode = await runPlan(ctx, flags);
  });
}

export async function runPlan(ctx: CliContext, flags: PlanFlags): Promise<number> {
  const format = parseFormat(flags.format);
  const since = flags.changedSince;
  // "" is given, not absent: refused like any other non-ref, before the target is read.
  if (since !== undefined) checkRef(since);
  if (flags.out !== undefined) await checkPlanOut(ctx.cwd, flags.out, flags.dir);
  const planned = await planTarget(ctx, {
    dir: flags.dir,
    doing: 'planned',
    prune: flags.prune,
    allowMassDelete: flags.allowMassDelete === true,
    scope: since !== undefined ? (state) => changedScopeOf(ctx, state, since, flags.dir) : undefined,
    // Only the plan JSON (a file, --format json) says who planned; text and markdown show no actor.
    actor: flags.out !== undefined || format === 'json',
    // Only a file, JSON and markdown show the plan's seal (its fingerprint and every guard's hash).
    sealed: flags.out !== undefined || format !== 'text',
  });
  // Promotion (DESIGN §6): in a protected environment, a version the previous one never ran is a problem of the plan.
  // An unprotected environment's gaps are warnings: carried by the plan, so the PR comment and the JSON say them.
  // In text the plan itself lists them (stdout); markdown and JSON go to a file, so stderr says them too.
  const findings = await promotionFindings(ctx, planned.plan, planned.union, { sayWarnings: format !== 'text' });
  const checked = withProblems(planned.plan, findings.problems);
  const plan = findings.warnings.length > 0 ? { ...checked, warnings: [...(checked.warnings ?? []), ...findings.warnings] } : checked;

  // The plan a file holds and JSON or markdown show (their fingerprint): the run's secrets masked
  // in it (live content an update shows may hold one), sealed as masked, so `apply FILE` takes it.
  const saved = flags.out || format !== 'text' ? asSaved(ctx, plan) : null;
  await emit(ctx, saved?.plan ?? plan, format, flags, saved?.json);
  if (flags.out) {
    try {
      await writeFileAtomic(resolve(ctx.cwd, flags.out), saved!.json);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new UserError(`cannot write the plan to ${visibleName(flags.out)}: ${e.code ? `${e.code} ` : ''}${describeFsError(e)}`);
    }
    // apply reads the files again: the same environment and directory, and prune given again
    // (a saved plan deletes only when its apply prunes too: the file cannot prove the flag).
    const n = plan.problems.length;
    // A plan with problems is still saved (for review), but it is no invitation to apply: apply refuses it.
    if (n > 0) ctx.info(`plan saved to ${visibleName(flags.out)} for review: it has ${n} problem${n === 1 ? '' : 's'}, so apply would refuse it`);
    else ctx.info(`plan saved to ${visibleName(flags.out)}: apply it with \`${applyCommand(ctx, flags.dir, flags.prune === true)} ${shellWord(flags.out)}\``);
  } else if (format !== 'json') savedPlanNote(ctx, plan, flags);
  if (plan.problems.length > 0) {
    ctx.info(`error: the plan has ${plan.problems.length} problem${plan.problems.length === 1 ? '' : 's'}; apply would refuse it`);
    return EXIT.error;
  }
  if (flags.detailedExitcode) return hasChanges(plan) ? EXIT.changes : EXIT.ok;
  return EXIT.ok;
}

/**
 * A protected environment applies only a saved plan file (DESIGN §6): a plan shown without --out
 * says so after it, with the two commands that apply it, rather than leaving the user to learn it
 * from apply's refusal. Only for a plan apply would take and that changes something. The JSON plan
 * is itself the file apply takes, so it gets no note. Without --changed-since: the saved plan is
 * the whole one, what a reviewer must see (DESIGN §4).
 */
function savedPlanNote(ctx: CliContext, plan: Plan, flags: PlanFlags): void {
  const env = ctx.environment;
  if (env?.settings.protected !== true || plan.problems.length > 0 || !hasAppliedChanges(plan)) return;
  const [save, apply] = applySteps(ctx, flags.dir, { prune: flags.prune === true, allowMassDelete: flags.allowMassDelete === true });
  // With --changed-since the plan shown is a part: the file to save is the whole plan, not this one.
  const what =
    flags.changedSince !== undefined
      ? `, and one saved whole (this plan shows only what files changed since ${shellWord(flags.changedSince)} define). To apply,`
      : '. To apply this plan,';
  ctx.info(`environment ${env.name} is protected: it applies only a saved, reviewed plan file${what} run \`${save}\`, review it, then \`${apply}\``);
}

/**
 * The addresses files changed since `ref` define, or defined then (null: everything: the config
 * changed, or was deleted, or a directory of prompts git names whole changed), said on stderr.
 */
async function changedScopeOf(ctx: CliContext, state: DesiredState, ref: string, dir: string): Promise<Set<string> | null> {
  const { files, before, wholeDirs } = await changedSince(ctx.cwd, ctx.env, ref, { before: dir });
  // A link the prompts directory reads through, retargeted, or a submodule in it: every file it
  // holds now, and every document it held then, may have changed, and git names none of them.
  if (wholeDirs.length > 0) {
    ctx.info(`${visibleName(wholeDirs[0]!)} changed since ${ref} as a whole (a link, a submodule or a repository inside the prompts directory): planning everything`);
    return null;
  }
  // Named as the loader names it, relative to cwd: it counts when it changed, whether or not it holds a Config now.
  const config = relative(ctx.cwd, join(resolve(ctx.cwd, dir), CONFIG_FILE)).split(sep).join('/');
  const only = changedScope(state, files, before.flatMap(documentAddresses), config);
  if (only) {
    ctx.info(`planning ${only.size} address${only.size === 1 ? '' : 'es'} from files changed since ${ref}`);
    return only;
  }
  const gone = await stat(resolve(ctx.cwd, config)).then(() => false, () => true);
  ctx.info(`the config ${visibleName(config)} ${gone ? 'was deleted' : 'changed'} since ${ref}: planning everything`);
  return null;
}

/** `json`: the plan JSON, when already rendered. */
async function emit(ctx: CliContext, plan: Plan, format: PlanFormat, flags: PlanFlags, json?: string): Promise<void> {
  const dir = flags.dir;
  // The same plan, whole: every flag that shapes it.
  const shaping = [
    ctx.environment ? `--env ${shellWord(ctx.environment.name)}` : '',
    dir !== DEFAULT_DIR ? `--dir ${shellWord(dir)}` : '',
    flags.prune ? '--prune' : '',
    flags.allowMassDelete ? '--allow-mass-delete' : '',
    flags.changedSince !== undefined ? `--changed-since ${shellWord(flags.changedSince)}` : '',
  ].filter(Boolean);
  const more = wholePlanPointer(ctx.env, `promptctl plan ${[...shaping, '--format json'].join(' ')}`, flags.out !== undefined);
  const text = format === 'json' && json !== undefined ? json : await renderPlan(plan, format, ctx.style, dir, more);
  // The plan is the document now: an error after it adds none.
  ctx.failureDocument = undefined;
  ctx.outAs(format, text);
  // In GitHub Actions the markdown plan doubles as the job summary.
  if (format === 'markdown') await appendStepSummary(ctx, text);
}
