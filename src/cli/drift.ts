// promptctl drift: a read-only plan that exits 2 when the live org differs from git, saying
// for each difference who changed the live object and when.
import { Option, type Command } from 'commander';
import { aside, driftEntries, notCompared, type DriftEntry } from '../plan/drift.js';
import { MASS_DELETE_RULE } from '../plan/build.js';
import type { Plan } from '../plan/types.js';
import { EXIT } from '../util/errors.js';
import { groupThousands } from '../util/numbers.js';
import { visibleLines, visibleName } from '../util/escapes.js';
import { noDrift, renderDrift, type RenderedPlan } from '../views/drift.js';
import { UNREMOVABLE_VERB, unremovableKinds, unremovableWhy } from '../views/plan-common.js';
import { addDirOption, jsonFailureOnFormat } from './common.js';
import { planTarget } from './live-plan.js';
import { applySteps, targetFlags } from './next-commands.js';
import { asSaved } from './plan-file.js';
import type { CliContext } from './context.js';
import { parseFormat, PLAN_FORMATS, renderPlan } from './render.js';

interface DriftFlags {
  dir: string;
  format: string;
}

export function registerDrift(program: Command, ctx: CliContext): void {
  addDirOption(
    program
      .command('drift')
      .description('compare the live org with git (read-only); exit 2 when they differ')
      .addOption(new Option('--format <format>', 'output format').choices(PLAN_FORMATS).default('text'))
      // A run that ends in an error before its report writes, with --format json, a document holding it.
      .on('option:format', jsonFailureOnFormat(ctx)),
  ).action(async (flags: DriftFlags) => {
    ctx.exitCode = await runDrift(ctx, flags);
  });
}

/** How many objects only on the target are noted on stderr beside a markdown or JSON report. */
const NOTED = 20;

export async function runDrift(ctx: CliContext, flags: DriftFlags): Promise<number> {
  const format = parseFormat(flags.format);
  // Only the JSON report carries the plan's git provenance with its actor; text and markdown show none.
  // In CI, the embedded emulator gets apply's warning (a secret that did not reach the job?).
  // A published version the target changed after git last did is worded as drift (live-plan.ts).
  const planned = await planTarget(ctx, { dir: flags.dir, doing: 'compared', actor: format === 'json', sealed: format !== 'text', use: 'compares' });
  // Masked before it is laid out, as plan's JSON and markdown are (asSaved): the markdown cuts long
  // lines short, and a value cut there shows its first characters, too few for masking to know.
  const plan = format === 'text' ? planned.plan : asSaved(ctx, planned.plan).plan;
  const entries = driftEntries(plan);
  const rendered = format === 'markdown' ? await markdownPlan(plan, flags.dir) : format === 'json' ? '' : await renderPlan(plan, format, ctx.style, flags.dir);
  // The report is the document now: an error after it adds none.
  ctx.failureDocument = undefined;
  ctx.outAs(format, renderDrift(plan, entries, format, rendered, { more: `run \`promptctl drift${targetFlags(ctx, flags.dir)} --format json\` for the full list` }));
  // What exists only on the target, said on stderr beside a markdown or JSON report (the text
  // report's "Left alone" lists it already: a review saw 300 hand-made templates listed twice),
  // the first twenty; the report holds each. A live name is free text (AI Studio takes an ESC):
  // shown as the plan text shows it.
  if (format !== 'text') {
    for (const u of plan.unmanaged.slice(0, NOTED)) ctx.info(`note: ${visibleName(u.address)} exists only on the target${aside(visibleName(u.reason))}`);
    const more = plan.unmanaged.length - NOTED;
    if (more > 0) ctx.info(`note: and ${groupThousands(more)} more ${more === 1 ? 'object' : 'objects'} only on the target (the report lists each)`);
  }
  // Part of git could not be compared (a surface the target does not serve): no answer, an error.
  const failed = notCompared(plan);
  if (failed.length > 0) {
    for (const p of failed) ctx.info(`error: ${visibleLines(p.message)}`);
    ctx.info(`Drift unknown: ${counted(entries.length, 'difference')} in what could be compared, but not all of git could be (above).`);
    return EXIT.error;
  }
  if (entries.length === 0) {
    // The text report lists them (Left alone); beside markdown or JSON, the notes above name them.
    ctx.info(`${noDrift(plan)}${plan.unmanaged.length > 0 ? (format === 'text' ? ' (listed above)' : ' (noted above)') : ''}.`);
    return EXIT.ok;
  }
  ctx.info(`Drift: ${counted(entries.length, 'difference')} between the target and git. ${nextStep(ctx, flags.dir, plan, entries)}`);
  return EXIT.changes;
}

/**
 * What to do about drift, as Argo's "out of sync" leaves it to the user: apply puts the target back
 * as git has it, and deletes what git no longer defines only with --prune (those deletes wait while
 * prune is off); a change made on the target that is to stay goes into git first. A problem (a
 * published version whose content differs) makes apply refuse the whole plan: said first.
 */
function nextStep(ctx: CliContext, dir: string, plan: Plan, entries: readonly DriftEntry[]): string {
  // Export reads the environment from the prompts directory's promptctl.yaml: without --dir it would not find it.
  const keep = `to keep what the target holds instead, put it in git first (\`promptctl export${targetFlags(ctx, dir)} --out DIR\` writes it)`;
  const problems = entries.filter((e) => e.action === 'problem').length;
  const pending = plan.summary.pending ?? 0;
  // Deletes no apply makes (a live traffic split git no longer defines): only git settles them.
  const unremovable = entries.filter((e) => e.unremovable).length;
  const cannot = unremovable > 0 ? `Apply cannot make ${unremovable === 1 ? 'the delete' : `the ${counted(unremovable, 'delete')}`} marked "${UNREMOVABLE_VERB}" (${unremovableWhy(unremovableKinds(plan))}).` : '';
  const rest = entries.length - problems - pending - unremovable;
  // Deleting most of what promptctl manages (an emptied --dir, with prune on) is refused unless asked for.
  const massDelete = plan.problems.some((p) => p.rule === MASS_DELETE_RULE);
  // The deletes waiting for prune, made with --prune, would be one (the plan's warning says so).
  const prunedMassDelete = !massDelete && pending > 0 && (plan.warnings ?? []).some((w) => w.rule === MASS_DELETE_RULE);
  const deletes = `${counted(pending, 'delete')} waiting for prune`;
  const steps = [
    ...(rest > 0 ? [`${applyWay(ctx, dir, false, massDelete)} puts the target back as git has it`] : []),
    ...(pending > 0 ? [`${applyWay(ctx, dir, true, massDelete || prunedMassDelete)}${rest > 0 ? ' also' : ''} makes the ${deletes}`] : []),
  ];
  if (problems === 0 && steps.length === 0) return cannot;
  if (problems === 0) {
    const refused = massDelete
      ? 'Apply refuses the plan as a mass delete (see Problems: a wrong --dir?); if git is right, '
      : prunedMassDelete
        ? `Apply with --prune refuses the ${deletes} as a mass delete (see Warnings: a wrong --dir?); if git is right, `
        : '';
    return `${refused}${steps.join(', and ')}; ${keep}.${cannot ? ` ${cannot}` : ''}`;
  }
  // Apply refuses a plan with any problem, so no apply puts anything back until git fixes them.
  const them = `the ${problems === 1 ? 'problem' : `${groupThousands(problems)} problems`} above`;
  const then = steps.length > 0 ? `; once git fixes ${problems === 1 ? 'it' : 'them'}, ${steps.join(', and ')}` : '';
  return `Apply refuses the whole plan while ${them} ${problems === 1 ? 'stands' : 'stand'} (see Problems)${then}; ${keep}.${cannot ? ` ${cannot}` : ''}`;
}

/**
 * The apply that makes git's state live, as a command to run. A protected environment refuses an
 * apply without a saved plan file (DESIGN §6), so there it is the plan saved for review and that
 * file applied: the bare apply would only be refused. A mass delete needs its flag at both steps.
 */
function applyWay(ctx: CliContext, dir: string, prune: boolean, massDelete: boolean): string {
  const [first, then] = applySteps(ctx, dir, { prune, allowMassDelete: massDelete });
  return then === undefined ? `\`${first}\`` : `\`${first}\`, reviewed, then \`${then}\``;
}

/** "1,204 differences": grouped as the plan counts. */
function counted(n: number, word: string): string {
  return `${groupThousands(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** The markdown plan, rendered by the report within the room its table of differences leaves. */
async function markdownPlan(plan: Plan, dir: string): Promise<RenderedPlan> {
  const { markdownFloor, renderMarkdown } = await import('../views/plan-markdown.js');
  const where = dir ? { dir } : {};
  return { render: (opts) => renderMarkdown(plan, { ...where, ...opts }), floor: (opts) => markdownFloor(plan, { ...where, ...opts }) };
}
