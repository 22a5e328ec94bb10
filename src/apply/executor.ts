// Executes a plan: independent actions run concurrently (bounded), each waits for what it
// dependsOn; the first failure stops new work, in-flight actions finish; an interrupt stops new
// calls too, within an action (it ends between its calls, saying what landed), and
// every attempted change is on record write-ahead: a durable intent before the call, its outcome
// after, so a kill at any instant leaves no change without a record (the next run settles
// intents left open: recovery.ts).
import { isApplied, liveIdOf } from '../kinds/action.js';
import { createIdBook } from '../kinds/ids.js';
import { kindOf } from '../kinds/index.js';
import type { ApplyContext, Snapshot } from '../kinds/kind.js';
import { ownLabels } from '../kinds/labels.js';
import { stagedIntended, stageFilter } from '../kinds/SafetyFilter/index.js';
import type { AuditCiRun, AuditConfirmation, AuditLog, AuditOrg } from '../audit/log.js';
import { Interrupted } from '../kinds/shared.js';
import type { PlanAction, Plan } from '../plan/types.js';
import type { AiStudioApi } from '../targets/aistudio/api.js';
import type { GatewayApi } from '../targets/llmgateway/api.js';
import { auditAction, beforeSnapshot, intendedSnapshot } from './audit-fields.js';
import type { CorrelationTracker } from './correlation.js';
import { describeFailure } from './failure.js';
import { LaunchQueue } from './launch-queue.js';
import { removalGate } from './removals.js';
import { messageOf } from '../util/errors.js';

/** The slice of the audit log apply writes to (src/audit/log.ts implements it). */
export type AuditSink = Pick<AuditLog, 'intent' | 'outcome'>;

export type Outcome = 'success' | 'failure' | 'conflict';

/** What the report adds to an action whose outcome is not known. */
const UNKNOWN_OUTCOME_NOTE = 'its audit outcome is unknown: the next apply reads what the org holds and records how it ended, or that it cannot tell';

export interface ActionOutcome {
  action: PlanAction;
  outcome: Outcome;
  resourceId: string | null;
  /** Progress text on success ("created (id …)"), the reason on failure. */
  detail: string;
  correlationId: string | null;
  /**
   * An interrupt ended it before one of its calls: `midway` after some of them had changed the
   * target (detail says what landed), `before` when none had (it is reported as not started;
   * also when its one write was refused after the interrupt and not resent); `unsent` when a call
   * of it failed, was not resent and may have landed (it failed: the run says interrupted).
   */
  interrupted?: 'midway' | 'before' | 'unsent';
  /**
   * Of one an interrupt stopped midway, what the report says apart from `detail` (which is its
   * record's note, whole): the call it stopped before, what landed, and what is not known of it
   * (a publish started, not confirmed: "whether it is published"). The what-next is said once for all.
   */
  partly?: { before?: string; done: readonly string[]; unknown?: string };
  /**
   * A failure after earlier calls of it landed (a version created, its publish refused): the
   * object as they left it, its record's `after` (null: nothing to show).
   */
  landed?: Snapshot | null;
  /**
   * Whether it landed is not known (a write's answer lost and no read could tell, a publish job
   * not ended in time, a read failing after a write of it landed): its outcome is on record as
   * `unknown`, and the next apply settles its intent from what the org then holds (recovery.ts).
   */
  outcomeUnknown?: true;
  /**
   * A success known only by reading the org back: the answer of a write of it was lost and a read
   * found it applied, as it would find the same write another apply made at once (its record's
   * `confirmedBy`; the progress line says so). Absent when every write of it was answered.
   */
  confirmedBy?: AuditConfirmation;
}

export interface ApplyResult {
  ok: boolean;
  /** The signal stopped it: what had started finished; the rest is in notStarted. */
  interrupted: boolean;
  succeeded: ActionOutcome[];
  failed: ActionOutcome[];
  /** Not started because an earlier action failed (or one they depend on did). */
  notStarted: PlanAction[];
  /**
   * Partly done: staged filters (step 1 of a priority swap done) whose own action never ran, and
   * actions an interrupt stopped between their calls (`interrupted: 'midway'`).
   */
  partial: ActionOutcome[];
  counts: { created: number; updated: number; deleted: number };
}

export type ApplyEvent =
  | { type: 'start'; action: PlanAction }
  /** Step 1 of a priority swap done; the action itself is still to come. */
  | { type: 'staged'; result: ActionOutcome }
  | { type: 'finish'; result: ActionOutcome; completed: number; total: number };

export interface ExecuteOptions {
  audit: AuditSink;
  /** The tracker the target's client notes correlation ids in (audit records carry them). */
  correlations: CorrelationTracker;
  /** The target's AI Studio client, for Guide and SummarySetting actions. */
  aistudio?: AiStudioApi;
  actor: string;
  commit: string | null;
  /** The org the plan is bound to, the environment and a dirty tree: every record names them. */
  org?: AuditOrg | null;
  environment?: string | null;
  dirty?: boolean;
  /** The CI run applying, which every record names. */
  ci?: AuditCiRun | null;
  /** Aborting stops new calls; calls in flight finish and are recorded (SIGINT/SIGTERM). */
  signal?: AbortSignal;
  /** Actions in flight at once; default DEFAULT_CONCURRENCY. */
  concurrency?: number;
  onProgress?: (event: ApplyEvent) => void;
}

/**
 * Tuned with `npm run bench` (emulator at 25 ms latency, 1,000 templates: 6 → 49 s, 16 → 22 s,
 * 32 → 16 s, CPU-bound on 2 cores). 16 keeps most of the gain while staying gentle on a real
 * org, where the rate limit, not concurrency, sets the pace. Matches the client's default.
 */
export const DEFAULT_CONCURRENCY = 16;

export async function executePlan(plan: Plan, api: GatewayApi, opts: ExecuteOptions): Promise<ApplyResult> {
  const todo = plan.actions.filter(isApplied);
  const inPlan = new Set(todo.map((a) => a.address));
  // Dependencies on noop actions (or on addresses outside the plan) are already satisfied.
  const deps = new Map(todo.map((a) => [a.address, a.dependsOn.filter((d) => inPlan.has(d) && d !== a.address)]));
  // Deletes wait for every action of earlier phases too (writes and deletes), not only for what they name.
  const gate = removalGate(todo, deps);
  const limit = Math.max(1, Math.floor(opts.concurrency ?? DEFAULT_CONCURRENCY));
  const ids = createIdBook(api, plan.actions);
  const own = ownLabels(opts.commit);

  // Not started yet, and the order in which the loop below looks at them (launch-queue.ts).
  const queue = new LaunchQueue(todo, family);
  // Writes (every action but a delete) not yet finished per family, and how many begun families
  // still have some: those are open. A family whose writes are done is whole and usable though a
  // delete of it (a retired version) waits for the removals' phase: it holds no place. And the
  // requests each family's unfinished writes take (kinds' expectedRequests), and those of the open ones.
  const writesLeft = new Map<string, number>();
  const requestsLeft = new Map<string, number>();
  for (const a of todo) {
    if (a.action === 'delete') continue;
    writesLeft.set(family(a), (writesLeft.get(family(a)) ?? 0) + 1);
    requestsLeft.set(family(a), (requestsLeft.get(family(a)) ?? 0) + requestsOf(a));
  }
  let openFamilies = 0;
  let openRequests = 0;
  const finishedIn = (a: PlanAction): void => {
    if (a.action === 'delete') return;
    const f = family(a);
    const left = (writesLeft.get(f) ?? 1) - 1;
    writesLeft.set(f, left);
    requestsLeft.set(f, (requestsLeft.get(f) ?? 0) - requestsOf(a));
    // Only a begun family is open (a delete begins none, since it holds no place: one that runs
    // before its family's writes, which wait for a leaving filter, say, does not open the family).
    if (!queue.hasBegun(f)) return;
    openRequests = Math.max(0, openRequests - requestsOf(a));
    if (left === 0) openFamilies -= 1;
  };
  const succeededAt = new Set<string>();
  const succeeded: ActionOutcome[] = [];
  const failed: ActionOutcome[] = [];
  const cutMidway: ActionOutcome[] = [];
  let stopped = false;
  let completed = 0;
  const interrupted = (): boolean => opts.signal?.aborted === true;
  const context = {
    actor: opts.actor,
    commit: opts.commit,
    planId: plan.id,
    org: opts.org ?? null,
    ...(opts.environment ? { environment: opts.environment } : {}),
    ...(opts.dirty ? { dirty: true } : {}),
    ...(opts.ci ? { ci: opts.ci } : {}),
  };

  const running = new Map<string, Promise<void>>();
  // Actions in flight that only wait (ctx.idle): they hold no slot. Each change wakes the loop.
  let idling = 0;
  let wake: () => void = () => undefined;
  const woken = (): Promise<void> => new Promise<void>((resolve) => (wake = resolve));
  const idle = async <T>(waiting: Promise<T>): Promise<T> => {
    idling += 1;
    wake();
    try {
      return await waiting;
    } finally {
      idling -= 1;
      wake();
    }
  };
  const staged = new Map<string, { id: string; version: number; snapshot: Snapshot | null }>();
  const stagedResults: ActionOutcome[] = [];

  /** Runs one step between its intent and its outcome record, and says how it went. */
  const attempt = async (a: PlanAction, step: 'stage' | 'final'): Promise<ActionOutcome> => {
    opts.onProgress?.({ type: 'start', action: a });
    const stagedAs = staged.get(a.address);
    // A staged filter's second step updates what the first step made.
    const before = step === 'final' && stagedAs ? stagedAs.snapshot : beforeSnapshot(a);
    let intent: Awaited<ReturnType<AuditSink['intent']>>;
    try {
      intent = await opts.audit.intent({
        ...context,
        address: a.address,
        action: step === 'final' && stagedAs ? 'update' : auditAction(a),
        resourceId: stagedAs?.id ?? liveIdOf(a) ?? null,
        before,
        // Each step's own product: a staged filter's first step makes the interim priority.
        after: step === 'stage' ? stagedIntended(a) : intendedSnapshot(a),
        // What a template's delete takes with it, so the trail shows those gone too.
        ...(a.action === 'delete' && a.cascade ? { cascade: a.cascade } : {}),
      });
    } catch (err) {
      // Not on record, so not attempted: no call is made.
      const why = messageOf(err);
      return { action: a, outcome: 'failure', resourceId: liveIdOf(a) ?? null, detail: `not attempted: writing the audit intent failed: ${why}`, correlationId: null };
    }
    let after: Snapshot | null = null;
    const run = await opts.correlations.collect(async () => {
      // Interrupted while its intent was written: not even its first call starts.
      if (interrupted()) throw new Interrupted(a, { done: [], after: null, resourceId: null }, 'its first call');
      const ctx: ApplyContext = {
        api,
        ids,
        own,
        idle,
        stopped: interrupted,
        ...(opts.aistudio ? { aistudio: opts.aistudio } : {}),
        ...(stagedAs ? { staged: { id: stagedAs.id, version: stagedAs.version } } : {}),
      };
      if (step === 'stage') {
        const r = await stageFilter(a, ctx);
        staged.set(a.address, { ...r.staged, snapshot: r.after });
        return r;
      }
      return kindOf(a.kind).apply(a, ctx);
    });
    let result: ActionOutcome;
    if (run.ok) {
      after = run.value.after;
      result = { action: a, outcome: 'success', resourceId: run.value.resourceId, detail: run.value.detail, correlationId: run.correlationId, ...confirmation(run.foundByRead) };
    } else {
      result = describeFailure(a, run.error, run.changed);
      result = { ...result, correlationId: result.correlationId ?? run.correlationId };
      // Held back by the interrupt after a write of it landed (a publish started, its confirmation
      // not sent): it is partly done, not "not started", though the kind could not say what landed.
      if (result.interrupted === 'before' && run.changed) {
        const before = run.error instanceof Interrupted ? { before: run.error.next } : {};
        result = {
          ...result,
          interrupted: 'midway',
          detail: `${result.detail}; an earlier call of it changed the target (the next plan shows what is left)`,
          partly: { ...before, done: ['an earlier call of it changed the target'] },
        };
      }
      if (stagedAs) result = { ...result, resourceId: stagedAs.id };
      // Partly done: the record shows what landed (a version as a Draft, say) as its `after`.
      if (run.error instanceof Interrupted && result.interrupted === 'midway') after = run.error.landed.after;
      if (result.landed !== undefined) after = result.landed;
    }
    try {
      await opts.audit.outcome(intent, {
        // Stopped before any of its calls changed anything: skipped, not failed. Not known to have
        // landed or not: `unknown`, which leaves its intent for a later apply to settle (a
        // "failure" would claim it did not land, and nothing would settle it again).
        outcome: result.outcomeUnknown ? 'unknown' : result.interrupted === 'before' ? 'skipped' : result.outcome,
        resourceId: result.resourceId ?? liveIdOf(a) ?? null,
        after: result.outcome === 'success' || result.interrupted === 'midway' || result.landed !== undefined ? after : null,
        correlationId: result.correlationId,
        ...(result.outcome === 'success' ? {} : { error: result.detail }),
        ...(result.outcome === 'success' && result.confirmedBy ? { confirmedBy: result.confirmedBy } : {}),
      });
    } catch (err) {
      // The change may have happened; its intent is on record and the next run settles it.
      const why = messageOf(err);
      result = { ...result, outcome: 'failure', detail: `${result.detail}; writing the audit outcome failed: ${why} (the next apply settles it)` };
      return result;
    }
    return result.outcomeUnknown ? { ...result, detail: `${result.detail}; ${UNKNOWN_OUTCOME_NOTE}` } : result;
  };

  const runOne = async (a: PlanAction): Promise<void> => {
    const result = await attempt(a, 'final');
    finishedIn(a);
    if (result.interrupted === 'before') {
      // Nothing of it happened: it is as not started, and the next apply plans it again.
      queue.putBack(a);
      return;
    }
    completed += 1;
    if (result.interrupted === 'midway') {
      cutMidway.push(result);
    } else if (result.outcome === 'success') {
      succeeded.push(result);
      succeededAt.add(a.address);
      gate.done(a);
    } else {
      failed.push(result);
      stopped = true;
    }
    opts.onProgress?.({ type: 'finish', result, completed, total: todo.length });
  };

  // Priority swaps, step 1: staged filters move to free interim priorities before anything else,
  // one at a time in plan order. What depends on a staged filter only needed this step.
  const stagedFirst = new Set<string>();
  for (const a of todo) {
    if (a.kind !== 'SafetyFilter' || (a.action !== 'create' && a.action !== 'update') || a.stagePriority === undefined) continue;
    if (interrupted()) break;
    const result = await attempt(a, 'stage');
    // One call, not started: the action stays among those not started ('unsent' was sent: it failed).
    if (result.interrupted === 'before') break;
    if (result.outcome !== 'success') {
      finishedIn(a);
      completed += 1;
      failed.push(result);
      queue.drop(a);
      stopped = true;
      opts.onProgress?.({ type: 'finish', result, completed, total: todo.length });
      break;
    }
    stagedFirst.add(a.address);
    stagedResults.push(result);
    opts.onProgress?.({ type: 'staged', result });
  }

  const ready = (a: PlanAction): boolean =>
    (deps.get(a.address) ?? []).every((d) => succeededAt.has(d) || stagedFirst.has(d)) && gate.open(a);

  // Depth first: an object family (a template with its versions and split) that has started is
  // finished before another one is begun beyond what concurrency needs (no more than `limit`
  // families open at once), so an interrupted or rate-limited apply leaves whole, usable
  // templates rather than many half-made ones.
  const launch = (a: PlanAction): void => {
    queue.launched(a);
    running.set(
      a.address,
      runOne(a).finally(() => running.delete(a.address)),
    );
  };
  const working = (): number => running.size - idling;
  // Under a rate limit, a family begins only while what the window still allows covers it beside
  // what the open families still take, or once those take nothing more: a window's end (and an
  // interrupt then) leaves at most one family half made, not every open one. A request sent is
  // counted against both until its action ends, so where a family takes about a window (1 s
  // windows, 150 ms answers) less of the rate is used (38 % against 52 %, a review's probe); at
  // 10 s windows the same apply took as long as before, and a real org's window is a minute.
  // Without an announced rate, as many as concurrency allows.
  const withinBudget = (a: PlanAction): boolean => {
    const budget = api.rateBudget?.();
    if (!budget || !Number.isFinite(budget.remaining)) return true;
    return openRequests < 1 || budget.remaining - openRequests >= (requestsLeft.get(family(a)) ?? 0);
  };
  const mayBegin = (a: PlanAction): boolean => running.size === 0 || (openFamilies < limit && withinBudget(a));
  for (;;) {
    if (!stopped && !interrupted()) {
      // Plan order is a topological order, so scanning it front to back keeps apply order stable:
      // first what is ready in families already begun and deletes (which begin none), then new families.
      const room = (): boolean => working() < limit;
      queue.offerBegun(gate.openings(), (a) => gate.open(a), room, ready, launch);
      queue.offerFresh(room, (a) => {
        if (!ready(a)) return 'skipped';
        // The next family waits for room (concurrency, the rate window); none after it goes first.
        if (!mayBegin(a)) return 'wait';
        openFamilies += 1;
        openRequests += requestsLeft.get(queue.family(a)) ?? 0;
        launch(a);
        return 'started';
      });
    }
    if (running.size === 0) break;
    // Everything in flight only waits for publications: confirm them together now.
    if (working() === 0) api.flushPublications();
    await Promise.race([...running.values(), woken()]);
  }

  if (!stopped && !interrupted() && queue.size > 0) {
    // Nothing runnable yet nothing failed: the plan's dependencies do not resolve.
    for (const a of queue.notStarted()) {
      failed.push({
        action: a,
        outcome: 'failure',
        resourceId: liveIdOf(a) ?? null,
        detail: `depends on ${(deps.get(a.address) ?? []).filter((d) => !succeededAt.has(d)).join(', ')}, which never ran`,
        correlationId: null,
      });
    }
    queue.clear();
  }

  const counts = { created: 0, updated: 0, deleted: 0 };
  for (const s of succeeded) {
    if (s.action.action === 'create') counts.created += 1;
    else if (s.action.action === 'update') counts.updated += 1;
    else if (s.action.action === 'delete') counts.deleted += 1;
  }
  const partial = [
    ...stagedResults.filter((r) => !succeededAt.has(r.action.address) && !failed.some((f) => f.action === r.action) && !cutMidway.some((c) => c.action === r.action)),
    ...cutMidway,
  ];
  const cut = interrupted() && (queue.size > 0 || cutMidway.length > 0 || failed.some((f) => f.interrupted === 'unsent'));
  return { ok: failed.length === 0 && !cut, interrupted: cut, succeeded, failed, notStarted: queue.notStarted(), partial, counts };
}

/** How a success was known when a read, not an answer, said a write of it landed (ActionOutcome.confirmedBy). */
function confirmation(foundByRead: boolean): { confirmedBy?: AuditConfirmation } {
  return foundByRead ? { confirmedBy: 'read' } : {};
}

/** The requests an action makes when nothing goes wrong (its kind's count). */
function requestsOf(a: PlanAction): number {
  return kindOf(a.kind).expectedRequests(a);
}

/** The object family an action belongs to: a template with its versions and split, or a filter. */
function family(a: PlanAction): string {
  const head = a.kind === 'PromptVersion' || a.kind === 'TrafficSplit' ? 'PromptTemplate' : a.kind;
  return `${head}:${a.name}`;
}
