// promptctl plan: what apply would do, as text, a PR comment (markdown) or the plan JSON.
import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { changedFiles } from '../git/index.js';
import { renderJson } from '../plan/render-json.js';
import { hasChanges } from '../plan/render-common.js';
import type { DesiredState } from '../model/types.js';
import type { Plan } from '../plan/types.js';
import { EXIT } from '../util/errors.js';
import { writeFileAtomic } from '../util/fs.js';
import { addDirOption, planTarget } from './common.js';
import { info, out } from './output.js';
import { parseFormat, renderPlan, type PlanFormat } from './render.js';
import { changedScope } from './scope.js';

interface PlanFlags {
  dir: string;
  out?: string;
  format: string;
  detailedExitcode?: boolean;
  prune?: boolean;
  changedSince?: string;
}

export function registerPlan(program: Command): void {
  addDirOption(
    program
      .command('plan')
      .description('show what apply would change on the target (read-only)')
      .option('--out <file>', 'also write the plan as JSON, for `apply FILE`')
      .option('--format <format>', 'text | markdown | json', 'text')
      .option('--detailed-exitcode', 'exit 0 when there are no changes, 2 when there are')
      .option('--prune', 'delete live objects labelled managed-by: promptctl that git no longer defines')
      .option('--changed-since <ref>', 'plan only resources defined in files changed since this git ref'),
  ).action(async (flags: PlanFlags) => {
    process.exitCode = await runPlan(flags, process.cwd(), process.env);
  });
}

export async function runPlan(flags: PlanFlags, cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  const format = parseFormat(flags.format);
  const since = flags.changedSince;
  const { plan } = await planTarget({
    dir: flags.dir,
    cwd,
    env,
    doing: 'planned',
    prune: flags.prune,
    scope: since ? (state) => changedScopeOf(state, cwd, since) : undefined,
  });

  await emit(plan, format, flags.dir, env);
  if (flags.out) {
    await writeFileAtomic(resolve(cwd, flags.out), renderJson(plan));
    info(`plan saved to ${flags.out}: apply it with \`promptctl apply ${flags.out}\``);
  }
  if (plan.problems.length > 0) {
    info(`error: the plan has ${plan.problems.length} problem${plan.problems.length === 1 ? '' : 's'}; apply would refuse it`);
    return EXIT.error;
  }
  if (flags.detailedExitcode) return hasChanges(plan) ? EXIT.changes : EXIT.ok;
  return EXIT.ok;
}

/** The addresses files changed since `ref` define (null: everything), said on stderr. */
async function changedScopeOf(state: DesiredState, cwd: string, ref: string): Promise<Set<string> | null> {
  const only = changedScope(state, await changedFiles(cwd, ref));
  info(only ? `planning ${only.size} address${only.size === 1 ? '' : 'es'} from files changed since ${ref}` : `the config changed since ${ref}: planning everything`);
  return only;
}

async function emit(plan: Plan, format: PlanFormat, dir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const text = await renderPlan(plan, format, dir);
  out(text);
  // In GitHub Actions the markdown plan doubles as the job summary.
  if (format === 'markdown' && env.GITHUB_STEP_SUMMARY) {
    await appendFile(env.GITHUB_STEP_SUMMARY, text.endsWith('\n') ? text : `${text}\n`);
  }
}
