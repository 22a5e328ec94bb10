// promptctl show PLANFILE: re-renders a saved plan (text, markdown or json) after checking it
// against schemas/plan.schema.json and its fingerprint, without touching any target. `show -`
// reads the plan from stdin (`promptctl plan --format json | promptctl show -`).
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { EXIT } from '../util/errors.js';
import { shellWord, visible, visibleName } from '../util/escapes.js';
import { orgIdentity } from '../plan/org.js';
import type { Plan } from '../plan/types.js';
import type { CliContext } from './context.js';
import { readPlanFile, readPlanStdin, STDIN_NAME } from './plan-file.js';
import { parseFormat, PLAN_FORMATS, renderPlan, wholePlanPointer } from './render.js';

interface ShowFlags {
  format: string;
}

export function registerShow(program: Command, ctx: CliContext): void {
  program
    .command('show')
    .description('render a saved plan (from `plan --out`) again, without contacting the target')
    .argument('<planfile>', 'a plan saved with `plan --out`, or - to read it from stdin')
    .addOption(new Option('--format <format>', 'output format').choices(PLAN_FORMATS).default('text'))
    // A plan that cannot be read (not a plan, edited, cut short) writes, with --format json, a document
    // holding why, as plan and drift do; common.ts (which loads what reaching a target takes) only then.
    .on('option:format', (format: string) => {
      ctx.failureDocument = format === 'json' ? async (message, error) => (await import('./common.js')).jsonFailureDocument(ctx)(message, error) : undefined;
    })
    .action(async (planFile: string, flags: ShowFlags) => {
      ctx.exitCode = await runShow(ctx, planFile, flags);
    });
}

/**
 * The org the seal binds the plan to (plan/org.ts: its id and API host; the client's id when the
 * org says no id), which apply holds it to: the target label above is only a label, which an edit
 * of the file can change without breaking the seal.
 */
function sealedTo(org: Plan['org']): string {
  if (!org) return '';
  const { id, host, clientId } = orgIdentity(org);
  return id !== null ? `; sealed to org ${id} at ${host}` : `; sealed to the org at ${host} of client ${clientId}`;
}

export async function runShow(ctx: CliContext, planFile: string, flags: ShowFlags): Promise<number> {
  const format = parseFormat(flags.format);
  // "-" is stdin, as for cat and diff (a file named - is ./-).
  const piped = planFile === '-';
  const shown = piped ? STDIN_NAME : visibleName(planFile);
  const plan = piped ? await readPlanStdin(ctx.io.stdin) : await readPlanFile(resolve(ctx.cwd, planFile), shown);
  // What the file says of itself is not sealed: its control characters are printed as escapes.
  ctx.info(visible(`${shown}: plan ${plan.id} for ${plan.target}, made ${plan.createdAt}${sealedTo(plan.org)}`));
  // The "no changes" line names the directory the plan was made from (unsealed: made visible), not prompts/.
  const dir = plan.dir !== undefined ? visibleName(plan.dir) : undefined;
  // Read from stdin, the plan is gone once read: the whole of it takes piping it in again.
  const more = wholePlanPointer(ctx.env, `promptctl show ${shellWord(planFile)} --format json`, true, piped ? 'pipe the plan into' : 'run');
  const rendered = await renderPlan(plan, format, ctx.style, dir, more);
  // The plan is the document now: an error after it adds none.
  ctx.failureDocument = undefined;
  ctx.outAs(format, rendered);
  return plan.problems.length > 0 ? EXIT.error : EXIT.ok;
}
