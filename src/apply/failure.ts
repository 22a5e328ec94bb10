// How an action that threw ends: a conflict when the target moved since the plan (a guard, a 409
// naming a change), an interrupt before or midway, or a failure in the client's own words.
import { liveIdOf } from '../kinds/action.js';
import { FailedAfterLanded, GuardMoved, Interrupted, isApiError } from '../kinds/shared.js';
import type { PlanAction } from '../plan/types.js';
import type { LATEST_NOT_PRODUCTION_READY_CODE } from '../targets/aistudio/wire.js';
import type { ActionOutcome } from './executor.js';
import { messageOf } from '../util/errors.js';

/** A guide got a Draft since the plan (no second one can be made): a conflict like the others. */
const LATEST_NOT_READY: typeof LATEST_NOT_PRODUCTION_READY_CODE = 'latest.version.not.production.ready';
/**
 * A version the plan retires is routed: a retire waits for its split's write, so only a split
 * changed by someone since the plan routes it (a re-run would route it out again unreviewed).
 */
const IN_USE = 'version.in.use';
const CONFLICT_CODES = new Set(['version.mismatch', 'duplicate.name', 'version.exists', LATEST_NOT_READY, IN_USE]);

/** Whether a failing call leaves what the action wrote in a state nobody knows. */
function stateUnknown(err: unknown): boolean {
  return isApiError(err) && (err.outcomeUnknown === true || err.code === 'job.timeout' || err.method === 'GET');
}

/**
 * An action's failure as its outcome: a conflict (someone changed the target since the plan), an
 * interrupt, or a failure in the client's words. `changed`: a write of it was answered 2xx before
 * it failed, so a read failing after it leaves what that write left unknown (a publish's confirmation).
 */
export function describeFailure(a: PlanAction, err: unknown, changed = false): ActionOutcome {
  const base = { action: a, resourceId: liveIdOf(a) ?? null };
  if (err instanceof Interrupted) {
    const midway = err.landed.done.length > 0;
    return {
      ...base,
      resourceId: err.landed.resourceId ?? base.resourceId,
      outcome: 'failure',
      correlationId: null,
      detail: err.message,
      interrupted: midway ? 'midway' : 'before',
      ...(midway ? { partly: { before: err.next, done: err.landed.done, ...(err.unconfirmed ? { unknown: err.unconfirmed } : {}) } } : {}),
      // A publish started and not confirmed may still get there: not known to have failed.
      ...(err.unconfirmed ? { outcomeUnknown: true as const } : {}),
    };
  }
  if (err instanceof FailedAfterLanded) {
    // Failed as its failing write says, and partly done: what landed is on record and in the report.
    const failed = describeFailure(a, err.failure);
    const resourceId = err.landed.resourceId ?? failed.resourceId;
    // Not known to have landed or not: a write sent whose answer was lost, a job that did not end
    // in time, or a read of its progress that failed. What the earlier writes left may have
    // changed since (a publish may still finish), so its state is not claimed.
    if (stateUnknown(err.failure)) return { ...failed, resourceId, detail: `${failed.detail}; an earlier write of it landed; the next plan shows what is left`, outcomeUnknown: true };
    // A conflict says to plan again already.
    const next = failed.outcome === 'conflict' ? '' : '; the next plan shows what is left';
    return { ...failed, resourceId, detail: `${failed.detail}; ${err.landed.done.join(', ')}${next}`, landed: err.landed.after };
  }
  if (err instanceof GuardMoved) return { ...base, outcome: 'conflict', correlationId: null, detail: err.message };
  if (isApiError(err)) {
    const correlationId = err.correlationId ?? null;
    // A 409 after an attempt of unknown outcome that no read settled may be our own lost write:
    // not someone else's change, so it is reported as it is (its note says what is not known).
    if (err.status === 409 && CONFLICT_CODES.has(err.code) && !err.outcomeUnknown) {
      const what =
        err.code === 'version.mismatch' || err.code === LATEST_NOT_READY
          ? 'changed on the target since the plan'
          : err.code === IN_USE
            ? 'is routed by a traffic split changed on the target since the plan'
            : 'already exists on the target (created since the plan)';
      return { ...base, outcome: 'conflict', correlationId, detail: `${a.address} ${what} [${err.code}]; run plan again` };
    }
    // The client's messages already name the call, status and correlation id; a refusal, the
    // permission the call needs where the platform names one, as a refused read says it.
    const said = err.code && !err.message.includes(err.code) ? `${err.message} [${err.code}]` : err.message;
    const detail = err.status === 403 && err.right ? `${said}; give the OAuth client ${err.right}` : said;
    // Not resent after the interrupt, and known not to have landed (refused, or read for and not
    // found): nothing of the action happened, since a kind ends one whose earlier write landed
    // as Interrupted (afterLanded). It is as not started.
    // A read that failed before any write of it changed nothing: only after one is its state unknown.
    const unknown = changed ? stateUnknown(err) : err.outcomeUnknown === true || err.code === 'job.timeout';
    const unknownOutcome = unknown ? { outcomeUnknown: true as const } : {};
    if (err.notResent && !err.outcomeUnknown) return { ...base, outcome: 'failure', correlationId, detail, interrupted: 'before', ...unknownOutcome };
    return { ...base, outcome: 'failure', correlationId, detail, ...(err.notResent ? { interrupted: 'unsent' as const } : {}), ...unknownOutcome };
  }
  const msg = messageOf(err);
  return { ...base, outcome: 'failure', correlationId: null, detail: msg };
}
