// promptctl apply [PLANFILE]: plan (or load a saved plan and prove it is still current), confirm,
// then execute in order with one audit record per attempted change.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { DEFAULT_AUDIT_FILE, openAuditLog } from '../audit/log.js';
import { executePlan } from '../apply/executor.js';
import { progressWriter, summaryLines } from '../apply/report.js';
import { staleReasons } from '../apply/stale.js';
import { gitProvenance, type GitProvenance } from '../git/index.js';
import type { DesiredState } from '../model/types.js';
import { parsePlanFile } from '../plan/render-json.js';
import { hasChanges, summaryCounts } from '../plan/render-common.js';
import type { Plan } from '../plan/types.js';
import { EXIT, UserError } from '../util/errors.js';
import { addDirOption, announceTarget, loadOrRefuse, planFromFiles, style, withTarget } from './common.js';
import { info, out } from './output.js';
import { renderPlan } from './render.js';
import type { OpenTarget } from './target.js';

const CONFIRM_QUESTION = "Apply these changes? Only 'yes' is accepted: ";

interface ApplyFlags {
  dir: string;
  autoApprove?: boolean;
  prune?: boolean;
}

export function registerApply(program: Command): void {
  addDirOption(
    program
      .command('apply')
      .description('apply the changes a plan shows (or a saved plan file) to the target')
      .argument('[planfile]', 'a plan saved with `plan --out`; refused if anything moved since')
      .option('--auto-approve', 'do not ask for confirmation')
      .option('--prune', 'delete live objects labelled managed-by: promptctl that git no longer defines'),
  ).action(async (planFile: string | undefined, flags: ApplyFlags) => {
    process.exitCode = await runApply(planFile, flags, process.cwd(), process.env);
  });
}

export async function runApply(planFile: string | undefined, flags: ApplyFlags, cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  const label = announceTarget(env);
  const saved: Plan | null = planFile ? await readSavedPlan(resolve(cwd, planFile), planFile) : null;
  if (saved && saved.target !== label) {
    throw new UserError(`${planFile} was planned for ${saved.target}, but the target is ${label}; nothing was applied`);
  }
  const state = await loadOrRefuse(flags.dir, cwd, 'applied');
  const git = await gitProvenance(cwd, env);

  return withTarget(cwd, env, async (target) => {
    let plan: Plan;
    if (saved) {
      if (flags.prune !== undefined && flags.prune !== saved.prune) {
        info(`note: --prune is ignored with a saved plan (it was planned with prune ${saved.prune ? 'on' : 'off'})`);
      }
      const scope = saved.scope ? new Set(saved.scope) : null;
      const fresh = (await planFromFiles({ target, state, git, prune: saved.prune, only: scope })).plan;
      refuseIfStale(planFile!, saved, fresh);
      plan = saved;
      info(`${planFile}: still current (${summaryCounts(plan)})`);
    } else {
      plan = (await planFromFiles({ target, state, git, prune: flags.prune ?? state.config.prune })).plan;
    }
    out(await renderPlan(plan, 'text', flags.dir));
    if (plan.problems.length > 0) {
      throw new UserError(`the plan has ${plan.problems.length} problem${plan.problems.length === 1 ? '' : 's'} (shown above); nothing was applied`);
    }
    // The rendered plan already says "No changes".
    if (!hasChanges(plan)) return EXIT.ok;
    if (!saved && !flags.autoApprove) {
      if (!process.stdin.isTTY) {
        throw new UserError(
          'apply needs confirmation, and stdin is not a terminal: review the plan, then run `apply --auto-approve` (or apply a saved plan file); nothing was applied',
        );
      }
      if (!(await confirm())) {
        info('Apply cancelled; nothing was changed.');
        return EXIT.error;
      }
    }
    return execute(plan, target, state, git, cwd, env);
  });
}

async function readSavedPlan(path: string, file: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `plan file ${file} does not exist` : `cannot read plan file ${file}: ${(err as Error).message}`);
  }
  return parsePlanFile(text, file);
}

/** Refuses the whole saved plan, before any change, if a fresh plan disagrees with it. */
function refuseIfStale(file: string, saved: Plan, fresh: Plan): void {
  const reasons = staleReasons(saved, fresh);
  if (reasons.length === 0) return;
  for (const r of reasons) info(`  ${r.address}: ${r.message}`);
  throw new UserError(
    `${file} is stale: ${reasons.length} thing${reasons.length === 1 ? '' : 's'} changed since it was planned (listed above); nothing was applied. Run \`promptctl plan\` again and review the new plan.`,
  );
}

async function confirm(): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(CONFIRM_QUESTION);
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}

async function execute(plan: Plan, target: OpenTarget, state: DesiredState, git: GitProvenance, cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  const auditFile = resolve(cwd, state.config.audit.file ?? DEFAULT_AUDIT_FILE);
  const audit = await openAuditLog(auditFile, { sinks: state.config.audit.http, env });
  const progress = progressWriter((s) => process.stderr.write(s), { tty: Boolean(process.stderr.isTTY), style });
  let result;
  try {
    result = await executePlan(plan, target.api, {
      audit,
      actor: git.actor,
      commit: git.commit,
      onProgress: (e) => progress.onProgress(e),
    });
  } finally {
    progress.end();
    await audit.close();
  }
  const lines = summaryLines(result, style);
  if (result.ok) {
    out(lines.join('\n'));
    return EXIT.ok;
  }
  info(lines.join('\n'));
  return EXIT.error;
}
