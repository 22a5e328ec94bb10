// promptctl apply [PLANFILE]: plan (or load a saved plan, from a file or from stdin with `apply -`,
// and prove it is still current), confirm, then execute in order with one audit record per attempted change.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { AUDIT_KEY_ENV, DEFAULT_AUDIT_FILE, formatAnchor, openAuditLog, refuseAbsentTrail, UnkeyedTrailError, type AuditLog } from '../audit/log.js';
import { executePlan } from '../apply/executor.js';
import { expectedDurationLine, interruptedAfterAllLines, progressWriter, summaryLines, tookLine } from '../views/apply.js';
import { expectedDurationMs, expectedRequests } from '../plan/cost.js';
import { ENV, targetPlace } from '../genesys/target.js';
import { gitProvenance, type GitProvenance } from '../git/index.js';
import { hasAppliedChanges, summaryCounts } from '../views/plan-common.js';
import type { Plan } from '../plan/types.js';
import type { LiveState } from '../kinds/kind.js';
import { EXIT, InterruptedAfterError, UserError } from '../util/errors.js';
import { shellWord, visibleLines, visibleName } from '../util/escapes.js';
import { realPathOr } from '../util/inside.js';
import { withEscapedForms } from '../util/secret-forms.js';
import { maskStrings } from '../util/secrets.js';
import { addDirOption, announceTarget, loadOrRefuse } from './common.js';
import { gitUnreadableWarning, planFromFiles, withTargetWhileLoading, type LiveRead } from './live-plan.js';
import { redrawsInPlace, type CliContext } from './context.js';
import { confirm } from './confirm.js';
import { Stop } from './apply-stop.js';
import { readPlanFile, readPlanStdin, STDIN_NAME } from './plan-file.js';
import { secretsActedOn, unmaskedActions } from '../apply/stale.js';
import { holdApplyLock } from './apply-lock.js';
import { ciRunOf, settleInterrupted } from './apply-settle.js';
import { otherDir, refuseIfStale, refuseOtherPlace, refuseMassDelete, refuseSavedProblems, refuseUnprunedDeletes } from './apply-saved.js';
import { applyCommand, auditVerify, planAgain, targetFlags } from './next-commands.js';
import { renderPlan } from './render.js';
import { sinkProxyOptions } from './sink-agents.js';
import { describeTarget, keptAbove, trailAboveWarning, type OpenTarget } from './target.js';
import { promotionCheck, refuseProtectedOrgApply, refuseProtectedOrgApplyById, refuseUnsavedApply, unsavedApplyRefused } from './environments.js';

interface ApplyFlags {
  dir: string;
  autoApprove?: boolean;
  prune?: boolean;
  allowMassDelete?: boolean;
  allowUnkeyed?: boolean;
}

export function registerApply(program: Command, ctx: CliContext): void {
  addDirOption(
    program
      .command('apply')
      .description('apply the changes a plan shows (or a saved plan file) to the target')
      .argument('[planfile]', 'a plan saved with `plan --out`, or - to read it from stdin (with --auto-approve; not in a protected environment); refused if anything moved since')
      .option('--auto-approve', 'do not ask for confirmation')
      .option('--prune', 'delete live objects labelled managed-by: promptctl that git no longer defines')
      .option('--allow-mass-delete', 'allow deleting everything, or more than half of what promptctl manages (a saved plan too)')
      .option('--allow-unkeyed', `with ${AUDIT_KEY_ENV} set, append keyed records to an audit trail none of whose records is keyed: they were written before the key was set (until an apply writes the first keyed record; from then on the trail stays keyed)`),
  ).action(async (planFile: string | undefined, flags: ApplyFlags) => {
    ctx.exitCode = await runApply(ctx, planFile, flags);
  });
}

export async function runApply(ctx: CliContext, planFile: string | undefined, flags: ApplyFlags): Promise<number> {
  const { cwd, env } = ctx;
  const label = await announceTarget(ctx, flags.dir, { use: 'changes' });
  refuseUnsavedApply(ctx, planFile, flags);
  // "-" is stdin, as for show - (a file named - is ./-). No terminal is left to confirm on, so it
  // takes --auto-approve: said before the plan is read (the pipe is spent once read).
  const piped = planFile === '-';
  if (piped && !flags.autoApprove) {
    throw new UserError(
      `apply - reads the plan from stdin, so there is no terminal to confirm on: review the plan, then run \`${applyCommand(ctx, flags.dir)} - --auto-approve\` with it piped in (or apply the file \`plan --out\` wrote); nothing was applied`,
    );
  }
  // The file's name as messages show it: the user's, which may hold an ESC or a line break.
  const shownFile = planFile === undefined ? undefined : piped ? STDIN_NAME : visibleName(planFile);
  // Where a refusal says to save the plan again: the same file, or for stdin a file to review.
  const outWord = planFile === undefined ? undefined : piped ? 'plan.json' : shellWord(planFile);
  // How a command to run applies this same plan: the file again, or stdin again.
  const applyArg = planFile === undefined ? undefined : piped ? '- --auto-approve' : shellWord(planFile);
  // A pipe named as a file (`/dev/stdin`, `<(promptctl plan --format json)`) is stdin by another name.
  const pipe = ctx.environment?.settings.protected ? { pipe: () => unsavedApplyRefused(ctx, flags, `${shownFile} is a pipe, not one`) } : {};
  // A plan it cannot read is refused with the commands that save or pipe one again: this run's, --env and --dir kept.
  const commands = { plan: planAgain(ctx, flags.dir, flags.prune === true), apply: applyCommand(ctx, flags.dir), drift: `promptctl drift${targetFlags(ctx, flags.dir)}` };
  const saved: Plan | null = planFile ? (piped ? await readPlanStdin(ctx.io.stdin, 'apply', commands) : await readPlanFile(resolve(cwd, planFile), shownFile!, { ...pipe, commands })) : null;
  // Another place is refused before the files are read, naming both orgs; another client of it, once the org is read.
  if (saved && targetPlace(saved.target) !== targetPlace(label)) {
    await refuseOtherPlace(ctx, saved, { shown: shownFile!, planFile: planFile!, applyArg: applyArg!, label, dir: flags.dir });
  }
  // A saved plan is what was reviewed: a flag cannot change what it does (Terraform refuses them too).
  if (saved && flags.prune === true && !saved.prune) {
    throw new UserError(
      `${shownFile} was planned with prune off, and --prune cannot change a saved plan: plan again with \`${planAgain(ctx, flags.dir, true)} --out ${outWord!}\`, review it, then apply it with \`${applyCommand(ctx, flags.dir, true)} ${outWord!}\`; nothing was applied`,
    );
  }
  if (saved && saved.problems.length > 0) refuseSavedProblems(ctx, shownFile!, flags.dir, saved, outWord);
  // Planned from another directory, which this apply does not have: say which, before "not found".
  if (saved && otherDir(saved, flags.dir) !== '' && !existsSync(resolve(cwd, flags.dir))) {
    throw new UserError(`${shownFile} was planned with --dir ${shellWord(saved.dir!)}, and this apply reads ${shellWord(flags.dir)}, which does not exist: apply it with --dir ${shellWord(saved.dir!)}; nothing was applied`);
  }
  // No prompts directory: said before the lock makes .promptctl/ for its file (nothing is left behind).
  const { assertDirectory } = await import('../load/project.js');
  await assertDirectory(resolve(cwd, flags.dir), flags.dir, cwd);
  // --env: the environment's own trail, .promptctl/envs/NAME/audit.jsonl unless the config names one (DESIGN §6).
  const trail = await auditFileOf(ctx, flags.dir);
  // The file, not the name: a trail named through a link (another checkout's, shared) is locked
  // beside the file it names (apply.lock, the append lock), as every other apply on it locks it.
  const auditFile = realPathOr(resolve(cwd, trail));
  if (describeTarget(env, ctx.environment).target.kind === 'remote') {
    const above = keptAbove(cwd, flags.dir, trail);
    if (above !== undefined) ctx.info(trailAboveWarning(cwd, trail, above));
  }
  let audit: AuditLog | undefined;
  let unlock: (() => Promise<void>) | undefined;
  // Stops the run from starting calls: the first interrupt, or stdout/stderr losing its reader.
  const stop = new Stop(ctx);
  // A second interrupt exits at once: the head as last written is said first (what is in flight
  // is the next run's to settle), so that every apply that opened its trail ends with it.
  stop.lastWords = () => {
    if (audit) sayAuditHead(ctx, audit);
  };
  // The files load while the target is opened and read (reading changes nothing; invalid files
  // still stop the apply first).
  const load = async () => {
    // git runs in its own processes: it answers while the files are parsed.
    const provenance = gitProvenance(cwd, env, flags.dir, { unreadable: gitUnreadableWarning(ctx) });
    provenance.catch(() => undefined);
    const { state, union } = await loadOrRefuse(ctx, flags.dir, 'applied');
    refuseProtectedOrgApply(ctx, state.config);
    const git = await provenance;
    const sinkProxy = sinkProxyOptions(ctx.env);
    const openAudit = () =>
      openAuditLog(auditFile, {
        sinks: state.config.audit.http,
        env: ctx.env,
        secretEnvs: [ENV.clientSecret, ...(ctx.environment ? [ctx.environment.spec.vars.clientSecret] : [])],
        // Every credential output is masked for (any *_SECRET/_TOKEN/_PASSWORD/_KEY, the proxy password),
        // in every form output masks it in (a body git holds may hold its HTML-escaped form, which
        // validate does not look for, or a line of a multi-line one): a record holds content as it is.
        secrets: withEscapedForms(ctx.knownSecrets),
        // And each access token, learnt once the target's client signs in, in the same forms.
        learntSecrets: () => ctx.learntSecretForms(),
        // With the key, a trail none of whose records is keyed is refused unless the user says
        // the key was set after them: keyed records after a forgery would vouch for it.
        allowUnkeyed: flags.allowUnkeyed === true,
        // A broken trail names the command that checks this one: bare, it would check the default trail.
        verifyCommand: auditVerify(ctx, flags.dir),
        // A warning names the trail's file (audit.file, which anyone may have changed): made visible.
        onWarning: (m) => ctx.info(`warning: ${visibleName(m)}`),
        // The first interrupt stops the sinks' deliveries too: none starts after it, and what is
        // not sent waits for the next run (the sink cursor), so the run ends in order, its head said.
        sinkOptions: { ...sinkProxy, stop: stop.signal },
      });
    // A trail that exists is opened first: a broken one stops the apply before any change, and
    // what an interrupted run left open is settled even when there is nothing else to do. One
    // that does not exist is begun only for a change, but a sink's cursor beside it (the trail
    // moved aside without it) is refused now, before a plan is shown and a question asked.
    if (existsSync(auditFile)) audit = await openAudit().catch(nothingApplied);
    else await refuseAbsentTrail(auditFile, { sinks: state.config.audit.http, env: ctx.env });
    return { state, union, git, openAudit };
  };

  // Heard from before the lock is taken to the end: an interrupt while the plan is made (or at the
  // question) applies nothing and ends the run in order (exit 130, the lock released), where it
  // killed the process, leaving the lock behind and saying nothing.
  stop.listenForInterrupts();
  try {
    // One apply at a time per trail, taken before the org or the trail is read (apply-lock.ts).
    unlock = await holdApplyLock(auditFile, cwd);
    return await withTargetWhileLoading(ctx, load, async (target, { state, union, git, openAudit }, read, reread) => {
      /**
       * Settles what an interrupted run left open (DESIGN §5), for the run of plan `first`
       * (`planId`: its id), and returns the plan to go on with. Settling reads the org after the
       * plan's read began; when it settled anything, what that run left may have landed in between
       * (its publish job ending), so the plan is made again from a read taken after settling's:
       * every action is guarded by the state it was planned against, and a plan of the earlier
       * read would publish again what settling has just recorded as that run's (or, its guard
       * moved, refuse it as a conflict of the run's own making). Undefined: interrupted.
       */
      const settled = async (first: Plan, planId: string, again: (read: Promise<LiveRead>) => Promise<Plan>): Promise<Plan | undefined> => {
        await refuseProtectedOrgApplyById(ctx, state.config, first.org?.id);
        if (stop.signalled) return undefined;
        const n = audit ? await settleInterrupted(ctx, audit, target, git, { org: first.org?.id ? { id: first.org.id, host: first.org.host } : null, planId }, stop.signal) : 0;
        // Heard while settling (its reads finish first): an interrupt still, whatever is left to do.
        if (stop.signalled) return undefined;
        return n > 0 ? await again(reread()) : first;
      };
      let plan: Plan;
      if (saved) {
        const scope = saved.scope ? new Set(saved.scope) : null;
        // A mass delete is allowed by this command's flag, never by the file: anyone can take the
        // saved plan's refusal out and reseal it.
        // What the fresh plan was made from (the read after settling's, when it settled any): a
        // file applied already is checked against it.
        let freshLive: LiveState | undefined;
        const planFresh = async (from: Promise<LiveRead>, again = false) => {
          const made = await planFromFiles(ctx, { target, state, union, git, prune: saved.prune, only: scope, allowMassDelete: flags.allowMassDelete === true, dir: flags.dir, read: from, ...(again ? { again } : {}) });
          freshLive = made.live;
          return made.plan;
        };
        // What an interrupted run left open is settled before the file is judged: a stale or
        // refused file would otherwise leave it open until an apply that goes ahead.
        const fresh = await settled(await planFresh(read), saved.id, (from) => planFresh(from, true));
        if (!fresh) return interruptedBeforeChanges(ctx);
        refuseMassDelete(shownFile!, saved, fresh);
        // The same file applied again (a retried job): nothing to do when what it made still holds.
        if (await refuseIfStale(ctx, shownFile!, flags.dir, saved, fresh, outWord, { trail: { path: auditFile, shown: trail }, live: freshLive! })) return EXIT.ok;
        // Prune is allowed by this command (its flag or the config), never by the file alone.
        refuseUnprunedDeletes(ctx, shownFile!, flags.dir, saved, flags.prune ?? state.config.prune, applyArg!);
        // What runs is the fresh plan, now proved the same as the reviewed one: the file names
        // the run (its id) and keeps its refusals (a mass delete, say), but steers no write.
        plan = { ...fresh, id: saved.id, problems: saved.problems };
        // The counts end in their own parentheses when deletes wait for prune: not wrapped in another pair.
        ctx.info(`${shownFile}: still current: ${summaryCounts(plan)}`);
      } else {
        const planFresh = async (from: Promise<LiveRead>, id?: string) =>
          (
            await planFromFiles(ctx, {
              target,
              state,
              union,
              git,
              prune: flags.prune ?? state.config.prune,
              allowMassDelete: flags.allowMassDelete === true,
              dir: flags.dir,
              read: from,
              // Made again after settling: the same run's plan, its notes said once already.
              ...(id !== undefined ? { id, again: true } : {}),
              // Shown as text and applied: no file or document shows its seal.
              sealed: false,
            })
          ).plan;
        const first = await planFresh(read);
        const settledPlan = await settled(first, first.id, (from) => planFresh(from, first.id));
        if (!settledPlan) return interruptedBeforeChanges(ctx);
        plan = settledPlan;
      }
      ctx.out(await renderPlan(plan, 'text', ctx.style, flags.dir));
      if (plan.problems.length > 0) {
        throw new UserError(`the plan has ${plan.problems.length} problem${plan.problems.length === 1 ? '' : 's'} (shown above); nothing was applied`);
      }
      // A saved plan was checked so against its file (refuseIfStale): the same check, one way or the other.
      if (!saved) refuseSecretsSent(ctx, plan);
      // Promotion (DESIGN §6): what this plan brings must have run in the environment before this one.
      const promotion = await promotionCheck(ctx, plan, union);
      if (promotion.length > 0) {
        for (const p of promotion) ctx.info(`error: ${visibleName(p.address)}: ${visibleLines(p.message)}`);
        throw new UserError(`environment ${ctx.environment!.name} is protected and ${promotion.length} change${promotion.length === 1 ? ' this plan brings has' : 's this plan brings have'} not run in ${ctx.environment!.previous} yet (listed above); nothing was applied`);
      }
      // The rendered plan already says "No changes" (or which deletes wait for prune).
      if (!hasAppliedChanges(plan)) return EXIT.ok;
      const expectedMs = sayExpectedDuration(ctx, plan, target);
      if (!saved && !flags.autoApprove) {
        if (!ctx.io.stdin.isTTY) {
          // The command to run is this one's, its --env and --dir kept: a bare `apply` plans another target or directory.
          throw new UserError(
            `apply needs confirmation, and stdin is not a terminal: review the plan, then run \`${applyCommand(ctx, flags.dir)} --auto-approve\` (or apply a saved plan file); nothing was applied`,
          );
        }
        const answer = await confirm(ctx, stop.signal);
        if (stop.signalled) return interruptedBeforeChanges(ctx);
        if (answer !== 'yes') {
          ctx.info('Apply cancelled; nothing was changed.');
          return answer === 'interrupted' ? EXIT.interrupted : EXIT.error;
        }
      }
      // The output closed while the plan was made or confirmed: nothing is started.
      if (stop.outputClosed) return EXIT.closedPipe;
      if (stop.signalled) return interruptedBeforeChanges(ctx);
      audit ??= await openAudit().catch(nothingApplied);
      return await execute(ctx, plan, target, audit, git, stop, flags.dir, planFile, expectedMs);
    }, { dir: flags.dir });
  } catch (err) {
    // A read under way when the interrupt came failed (a 500, a dropped connection): it is said,
    // but the run still ends as interrupted with nothing applied (exit 130), as it would have had
    // the read succeeded; a cancelled CI job must read as one (DESIGN §4, §5).
    if (stop.signalled && stop.phase === 'planning') throw new InterruptedAfterError(err, INTERRUPTED_BEFORE_CHANGES);
    throw err;
  } finally {
    try {
      if (audit) {
        await audit.close();
        sayAuditHead(ctx, audit);
      }
    } finally {
      await unlock?.();
      // Heard until the trail and the target are closed: a closed pipe never cuts the run short.
      stop.dispose();
    }
  }
}

/**
 * The anchor `audit verify --head` checks the trail against: a cut tail or an emptied file shows.
 * A run that wrote no record (refused, declined, nothing to do) says so: the head is the trail's
 * as this run found it, not a record of this run's (CI takes the anchor alone).
 */
function sayAuditHead(ctx: CliContext, audit: AuditLog): void {
  const head = audit.head();
  if (head) ctx.info(`audit head: ${formatAnchor(head)}${audit.written() === 0 ? ' (unchanged: this run wrote no records)' : ''}`);
}

/**
 * The audit trail an apply writes (and locks beside), as the Config spells it (relative to the
 * working directory, or absolute), read from the Config alone, before the project loads: the
 * environment's, else the Config's `audit.file`, else the default. A Config that does not load
 * gives the default here; the load then refuses it before anything is done.
 */
async function auditFileOf(ctx: CliContext, dir: string): Promise<string> {
  if (ctx.environment) return ctx.environment.auditFile;
  const { loadConfigFile } = await import('../load/index.js');
  const { config } = await loadConfigFile({ dir, cwd: ctx.cwd });
  return config.audit.file ?? DEFAULT_AUDIT_FILE;
}

/** The trail refused as unkeyed (audit/log.ts) is refused before any change: said as apply says its other refusals. */
function nothingApplied(err: unknown): never {
  throw err instanceof UnkeyedTrailError ? new UserError(`${err.message}; nothing was applied`) : err;
}

const INTERRUPTED_BEFORE_CHANGES = 'Apply interrupted before any change was made; nothing was applied.';

/** An interrupt came before any change started: nothing is applied, and the run ends as interrupted. */
function interruptedBeforeChanges(ctx: CliContext): number {
  ctx.info(INTERRUPTED_BEFORE_CHANGES);
  return EXIT.interrupted;
}

/**
 * Before a long apply: about how many requests, and how long at the rate the target announced;
 * returns that duration (undefined: the target announced no rate).
 */
function sayExpectedDuration(ctx: CliContext, plan: Plan, target: OpenTarget): number | undefined {
  // The run's one token's budget: both surfaces' clients share the connection that heard it.
  const budget = target.api.rateBudget();
  if (!budget) return undefined;
  const requests = expectedRequests(plan);
  const ms = expectedDurationMs(requests, budget);
  const line = expectedDurationLine(requests, ms, budget);
  if (line) ctx.info(line);
  return ms;
}

/** `planFile`: the saved plan applied, as the user named it; `expectedMs`: how long it was expected to take. */
async function execute(ctx: CliContext, plan: Plan, target: OpenTarget, audit: AuditLog, git: GitProvenance, stop: Stop, dir: string, planFile?: string, expectedMs?: number): Promise<number> {
  const { style } = ctx;
  const progress = progressWriter((s) => ctx.io.stderr.write(ctx.mask(s)), { tty: redrawsInPlace(ctx.io.stderr, ctx.env), style, inPlace: (text) => ctx.inPlace(text) });
  // First interrupt: start nothing new (no resent attempt either), let calls in flight finish and
  // be recorded. Second: now.
  stop.phase = 'executing';
  const stopResending = (): void => target.stopResending();
  if (stop.signal.aborted) stopResending();
  else stop.signal.addEventListener('abort', stopResending, { once: true });
  let result;
  const started = performance.now();
  try {
    result = await executePlan(plan, target.api, {
      correlations: target.correlations,
      aistudio: target.aistudio,
      audit,
      actor: git.actor,
      commit: git.commit,
      dirty: git.dirty,
      ...ciRunOf(git),
      org: plan.org?.id ? { id: plan.org.id, host: plan.org.host } : null,
      ...(ctx.environment ? { environment: ctx.environment.name } : {}),
      signal: stop.signal,
      onProgress: (e) => progress.onProgress(e),
    });
  } finally {
    stop.phase = 'done';
    progress.end();
  }
  const took = tookLine(performance.now() - started, expectedMs);
  if (took) ctx.info(took);
  // A plan piped in is finished from a file saved to review: stdin is spent.
  const file = planFile === undefined ? undefined : planFile === '-' ? 'plan.json' : shellWord(planFile);
  const saved = file === undefined ? undefined : { file: planFile === '-' ? 'the plan piped in' : file, out: file, apply: `${applyCommand(ctx, dir, plan.prune)} ${file}` };
  const lines = summaryLines(result, style, planAgain(ctx, dir, plan.prune), saved);
  if (result.ok) {
    // Interrupted once every change had started (DESIGN §5: exits 130): nothing is left, and a
    // cancelled CI job must not look like a finished apply.
    if (stop.signalled && !stop.outputClosed) {
      ctx.info(interruptedAfterAllLines(result, style).join('\n'));
      return EXIT.interrupted;
    }
    ctx.out(lines.join('\n'));
    // Closed while the last calls were in flight: all is done, and the reader still went away.
    return stop.outputClosed ? EXIT.closedPipe : EXIT.ok;
  }
  ctx.info(lines.join('\n'));
  // Interrupted, whatever else failed meanwhile (an action in flight failing for its own reason):
  // the run was cut short by the user, and a cancelled CI job must read as one (DESIGN §4: 130).
  return stop.code(result.interrupted || stop.signalled);
}

/**
 * Refuses a plan apply would run when what it would send holds a secret of this run (apply/stale.ts
 * secretsActedOn, the check a saved plan meets): the plan shown masks it, so what was reviewed is
 * not what would be sent. Planning again masks it again: only the value's source can change.
 */
function refuseSecretsSent(ctx: CliContext, plan: Plan): void {
  if (!hasAppliedChanges(plan)) return;
  // Its actions as a file of this run would hold them (plan/file.ts maskedPlan; this plan is shown as text alone, never sealed).
  const masked = maskStrings(plan.actions, (text) => ctx.mask(text));
  if (masked === plan.actions) return;
  const reasons = secretsActedOn(masked, unmaskedActions(plan.actions, masked));
  if (reasons.length === 0) return;
  for (const r of reasons) ctx.info(`  ${visibleName(r.address)}: ${r.message}`);
  throw new UserError(
    'what apply would send holds a secret of this run, which the plan masks (listed above); nothing was applied. Take the value out of git, or out of the org\'s object that carries it (and rotate it: it may have been shared), then apply again.',
  );
}
