// What an apply settles before it changes anything: the changes an earlier run left open in the
// audit trail (intents with no outcome: a kill, a crash), judged by what the org holds now (DESIGN
// §5, apply/recovery.ts), once a publish job that run may have started has ended or could no
// longer be running (its version watched, the job's timeout from the intent), and the CI run its
// records name.
import type { AuditCiRun, AuditLog, AuditOrg, AuditRecord } from '../audit/log.js';
import { awaitingPublish, settleOpenIntents, type SettleScope } from '../apply/recovery.js';
import type { GitProvenance } from '../git/index.js';
import { SURFACE_NAMES, addressOfId, holdsIntendedOf, idIsParents, liveResourceIds, liveSnapshots, midwayOf, publishingOf, surfaceOfAddress, surfacesServing } from '../kinds/index.js';
import { readLiveParts, type LiveState, type Surface, type SurfaceFailure, type SurfaceNeed } from '../targets/live.js';
import { DEFAULT_PUBLISH_TIMEOUT_MS, retryDelayMs } from '../targets/llmgateway/confirm-round.js';
import { DEFAULT_JOB_TIMEOUT_MS, seconds } from '../targets/aistudio/jobs.js';
import { DEFAULT_RETRY_POLICY, backoffDelay, sleep } from '../genesys/retry.js';
import { visibleName } from '../util/escapes.js';
import { ApiError } from '../genesys/errors.js';
import { UserError } from '../util/errors.js';
import type { CliContext } from './context.js';
import type { OpenTarget } from './target.js';

/** The CI run applying (GitHub Actions'), which its records name: their `ci`, and `recoveredBy.ci` when settling. */
export function ciRunOf(git: GitProvenance): { ci?: AuditCiRun } {
  return git.runId !== undefined ? { ci: { runId: git.runId, ...(git.repository !== undefined ? { repository: git.repository } : {}) } } : {};
}

/**
 * Settles, from the live state just read, the changes an interrupted earlier run left open, for the
 * run of plan `planId` on `org`. Returns how many it settled: the org may have moved on from a
 * read made before (an earlier run's publish job ending meanwhile).
 */
export async function settleInterrupted(
  ctx: CliContext,
  audit: AuditLog,
  target: OpenTarget,
  git: GitProvenance,
  run: { org: AuditOrg | null; planId: string },
  stopped?: AbortSignal,
): Promise<number> {
  if (audit.pendingIntents().length === 0) return 0;
  // Read again: the first read may have begun before the trail was opened (files and target
  // load together), and an intent is settled only by what the org holds after it was written.
  // Only the surfaces the open intents are on: one the org refuses (AI Studio to a gateway-only
  // client; guides where the feature is off, beside summary settings it serves) holds none of them. An intent on a surface that is refused or not served, or of a kind
  // this promptctl does not know, stays open: nothing read can say how it ended.
  const ours = audit.pendingIntents().filter((i) => !run.org || !i.org || i.org.id === run.org.id);
  // Another org's are that org's to settle: said once per org, so that the trail's open intents
  // are never passed over without a word.
  const others = new Map<string, { host: string; n: number }>();
  for (const i of audit.pendingIntents()) {
    if (ours.includes(i) || !i.org) continue;
    const o = others.get(i.org.id) ?? { host: i.org.host, n: 0 };
    o.n += 1;
    others.set(i.org.id, o);
  }
  for (const [id, o] of others) {
    ctx.info(`audit: ${o.n} change${o.n === 1 ? '' : 's'} an earlier run left open on another org (${visibleName(o.host)}, org ${visibleName(id)}): left open; an apply to that org settles ${o.n === 1 ? 'it' : 'them'}`);
  }
  const need = surfacesServing(ours.map((i) => i.address));
  let read = await readOpen(target, need);
  const scope = (r: OpenRead): SettleScope => {
    const resourceIds = liveResourceIds(r.live);
    return { resourceIds, addressOf: addressOfId(resourceIds), idIsParents, org: run.org, midway: midwayOf, holdsIntended: holdsIntendedOf, readable: (i) => r.readable(i.address) };
  };
  // A publish job the earlier run may have started is not listed, and its id was never recorded:
  // the version it publishes is watched until it ends (or could no longer be running), so that its
  // end is that run's change on record, not "not applied" and then this run's publish.
  const now = ctx.io.now ?? Date.now;
  const settling = now();
  const deadline = (i: Pick<AuditRecord, 'address' | 'timestamp'>): number => jobDeadline(i, settling);
  const waiting = awaitingPublish(audit, liveSnapshots(read.live), { ...scope(read), publishing: publishingOf }).filter((i) => deadline(i) > settling);
  let leftWaiting: readonly AuditRecord[] = [];
  if (waiting.length > 0) {
    ctx.info(waitingNotice(waiting, settling));
    const waited = await untilPublished(audit, waiting, read, { reread: () => readOpen(target, need), scope, stopped, now, deadline });
    // The org could not be read at the end of the wait: whether the job is still running is
    // unknown, and the read made before the wait is no ground to plan from (it would publish the
    // version again while that job may still run). Stopped before any change, the intents open.
    if (waited.unread) throw new UserError(unreadAfterWait(waited.leftWaiting, waited.unread));
    ({ read, leftWaiting } = waited);
  }
  const r = read;
  const settled = await settleOpenIntents(audit, liveSnapshots(r.live), {
    ...scope(r),
    by: { actor: git.actor, commit: git.commit, planId: run.planId, ...ciRunOf(git) },
    // Interrupted while its job may still run: left open, for a later apply to settle.
    readable: (i) => r.readable(i.address) && !leftWaiting.includes(i),
  });
  for (const i of ours) {
    if (leftWaiting.includes(i)) {
      ctx.info(`audit: ${visibleName(i.address)} from an earlier run: left open (interrupted while waiting for its publish job; a later apply settles it)`);
      continue;
    }
    if (r.readable(i.address)) continue;
    const surface = surfaceOfAddress(i.address);
    // A read that failed is said with its status: a 403 is a refusal, a 5xx or a dropped connection is not.
    const failure = surface === undefined ? undefined : r.failed.find((f) => f.surface === surface);
    const why =
      surface === undefined
        ? 'a kind this promptctl does not know'
        : failure
          ? `the target's answer to the read of ${SURFACE_NAMES[surface]} was ${readFailure(failure.error)}`
          : `the target does not serve ${SURFACE_NAMES[surface]}`;
    // The address as the trail holds it: anyone may have written it, and a live name may be anything.
    ctx.info(`audit: ${visibleName(i.address)} from an earlier run: left open (${why}; a later apply that can read it settles it)`);
  }
  for (const s of settled) {
    // Settled as unknown for good: why, and that only a person can find out now. Any other
    // outcome with a note says what its record says: a 'not applied' that left a Draft or an
    // empty guide live (partly applied), or an object changed by someone else since.
    const why =
      s.outcome === 'unknown' ? ` (what was read cannot tell${s.note ? `: ${visibleName(s.note)}` : ''}; check it by hand)` : s.note ? ` (${visibleName(s.note)})` : '';
    ctx.info(`audit: ${visibleName(s.address)} from an earlier run: ${s.outcome}${why}`);
  }
  return settled.length;
}

/** The org as read for settling: what it holds, the reads that failed, and whether an address's surface was read. */
interface OpenRead {
  live: LiveState;
  failed: SurfaceFailure[];
  readable(address: string): boolean;
}

/** Reads the surfaces `need` names (those the open intents are on). */
async function readOpen(target: OpenTarget, need: SurfaceNeed): Promise<OpenRead> {
  const { live, failed } = await readLiveParts({ gateway: target.api, aistudio: target.aistudio }, need);
  const unread = new Set<Surface>([...(live.unavailable ?? []), ...failed.map((f) => f.surface)]);
  // No AI Studio client: neither of its surfaces was read.
  if (!target.aistudio) for (const s of ['guides', 'summarysettings'] as const) unread.add(s);
  const readable = (address: string): boolean => {
    const surface = surfaceOfAddress(address);
    return surface !== undefined && need[surface] === true && !unread.has(surface);
  };
  return { live, failed, readable };
}

/**
 * How long the client waits for a publish job on each surface (its default, which apply keeps):
 * past that from its intent, a job the earlier run started cannot be running any more.
 */
const JOB_TIMEOUT_MS: Readonly<Record<Surface, number>> = { llmgateway: DEFAULT_PUBLISH_TIMEOUT_MS, guides: DEFAULT_JOB_TIMEOUT_MS, summarysettings: 0 };

/**
 * Until when a publish job of the intent's run may still run: its timeout from the intent, which
 * was written before the job was started (so never later than the job's own deadline). An
 * unreadable timestamp: none.
 */
export function jobDeadline(intent: Pick<AuditRecord, 'address' | 'timestamp'>, settling: number): number {
  // An intent stamped after settling began (another machine's clock ahead of this one's) counts
  // from then: never a wait past the job's own timeout (a review).
  const at = Math.min(Date.parse(intent.timestamp), settling);
  const surface = surfaceOfAddress(intent.address);
  return Number.isFinite(at) && surface !== undefined ? at + JOB_TIMEOUT_MS[surface] : Number.NEGATIVE_INFINITY;
}

/** The one line said before the wait: what is waited for, why, and for how long at most. */
export function waitingNotice(waiting: readonly Pick<AuditRecord, 'address' | 'timestamp'>[], now: number): string {
  const youngest = Math.max(...waiting.map((i) => Date.parse(i.timestamp)));
  const timeout = Math.max(...waiting.map((i) => JOB_TIMEOUT_MS[surfaceOfAddress(i.address)!]));
  const longest = Math.max(...waiting.map((i) => jobDeadline(i, now))) - now;
  const one = waiting.length === 1;
  const what = one ? `${visibleName(waiting[0]!.address)} from an earlier run` : `${waiting.length} changes from an earlier run (${visibleName(waiting[0]!.address)} and ${waiting.length - 1} more)`;
  return (
    `audit: ${what}: not yet published, and ${one ? 'the publish job' : 'the publish jobs'} that run may have started ${seconds(Math.max(0, now - youngest))} ago ` +
    `may still be running (a job is waited for up to ${seconds(timeout)}): waiting up to ${seconds(Math.max(0, longest))} for ${one ? 'it' : 'them'} before settling (interrupt to stop waiting)`
  );
}

/**
 * Reads the org again, paced as apply's own publish confirmation is (25 ms growing to 1 s), until
 * no intent of `waiting` holds its publishing state any more, or its job's deadline has passed
 * (a read at or past it found it still there), or the apply is stopped. A re-read that fails on a
 * surface the first read could read says nothing of the jobs: retried, paced as the client's
 * retry policy backs off, as long as the wait lasts. Returns the last read that succeeded (what
 * settling reads), the intents still waited for when it was stopped, and `unread` (the failure,
 * the intents being those left waiting) when the last read, at the deadline, failed still.
 */
async function untilPublished(
  audit: AuditLog,
  waiting: readonly AuditRecord[],
  first: OpenRead,
  opts: { reread: () => Promise<OpenRead>; scope: (r: OpenRead) => SettleScope; stopped?: AbortSignal | undefined; now: () => number; deadline: (i: AuditRecord) => number },
): Promise<{ read: OpenRead; leftWaiting: readonly AuditRecord[]; unread?: SurfaceFailure }> {
  let read = first;
  let pending = waiting;
  // Failed re-reads in a row, and the last one's failure.
  let failures = 0;
  let failed: SurfaceFailure | undefined;
  for (let round = 0; pending.length > 0; round++) {
    const until = Math.max(...pending.map(opts.deadline));
    const pause = failed ? backoffDelay(failures - 1, DEFAULT_RETRY_POLICY) : retryDelayMs(round);
    await sleep(Math.max(0, Math.min(pause, until - opts.now())), opts.stopped);
    if (opts.stopped?.aborted) return { read, leftWaiting: pending };
    // A read no answer came to (the client's retries spent) fails as one answered with an error does.
    const again = await opts.reread().catch((err: unknown) => {
      if (err instanceof ApiError) return err;
      throw err;
    });
    const now = opts.now();
    failed = again instanceof ApiError ? { surface: surfaceOfAddress(pending[0]!.address)!, error: again } : newFailure(first, again);
    if (again instanceof ApiError || failed) {
      failures += 1;
      // The deadline passed and the org still could not be read: nothing can tell how the job went.
      if (pending.every((i) => opts.deadline(i) <= now)) return { read, leftWaiting: pending, unread: failed };
      continue;
    }
    failures = 0;
    read = again;
    const still = awaitingPublish(audit, liveSnapshots(read.live), { ...opts.scope(read), publishing: publishingOf });
    pending = pending.filter((i) => still.includes(i) && opts.deadline(i) > now);
  }
  return { read, leftWaiting: [] };
}

/** A surface `again` failed to read that `first` read: its failure (none: `again` reads all `first` did). */
function newFailure(first: OpenRead, again: OpenRead): SurfaceFailure | undefined {
  return again.failed.find((f) => !first.failed.some((g) => g.surface === f.surface));
}

/** Why apply stops when the org could not be read at the end of the wait for `intents`' publish jobs. */
export function unreadAfterWait(intents: readonly Pick<AuditRecord, 'address'>[], failure: SurfaceFailure): string {
  const what = intents.length === 1 ? visibleName(intents[0]!.address) : `${visibleName(intents[0]!.address)} (and ${intents.length - 1} more)`;
  return (
    `could not tell whether the earlier run's publish of ${what} is still running (the target's answer to the read of ${SURFACE_NAMES[failure.surface]} ` +
    `at the end of the wait was ${readFailure(failure.error)}): nothing was applied; run again`
  );
}

/** A failed read's answer in a few words: its status ("403 missing.any.permissions"), or the transport's failure. */
function readFailure(err: unknown): string {
  if (err instanceof ApiError) return err.status > 0 ? `${err.status} ${err.code}` : `no answer (${err.code})`;
  return 'no answer';
}
