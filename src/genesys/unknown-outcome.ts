// A request whose outcome is unknown (a 5xx, a dropped connection, a timeout) is never resent
// blindly: only when resending is harmless (an idempotent method) or the caller can find out what
// happened (reconcile); never when each attempt is billed (an invocation, a guide's turn), which no read settles. When the call's budget is spent, the last attempt is read for before the
// call is called a failure. The verdict is pure data; `giveUp` runs the caller's read.
import { withNote } from './failures.js';
import { isConflict, type ApiError } from './errors.js';
import type { CallSpec, Found, Method } from './exchange.js';
import { BILLED_NOT_SENT_AGAIN, messageOf } from '../util/errors.js';
import { plural } from '../util/plural.js';

const IDEMPOTENT: ReadonlySet<Method> = new Set(['GET', 'PUT', 'DELETE']);

/**
 * What a retryable attempt leads to: another attempt, an end saying nobody knows, giving up (the
 * budget is spent), or stopping (the run starts no new calls: an apply's interrupt, DESIGN §5).
 */
export type Verdict = 'resend' | 'unsettled' | 'give-up' | 'stop';

export interface ResendContext {
  method: Method;
  /** A POST/PATCH that may be resent blindly (CallSpec.idempotent). */
  idempotent: boolean;
  /** The caller can read whether an attempt landed (CallSpec.reconcile). */
  reconciles: boolean;
  /** Each attempt the server may have run is paid for, and none can be read for (CallSpec.billed). */
  billed?: boolean;
  /** Retries already made, and the policy's most. */
  retries: number;
  maxRetries: number;
  /** The time now and the end of the call's budget (ms since the epoch). */
  now: number;
  deadline: number;
  /** The run starts no new calls (an apply's first interrupt) and this call may change something (`stopsResending`). */
  stopping: boolean;
}

/**
 * Whether a failed attempt is not resent: the run has stopped starting new calls (an apply's
 * interrupt) and the call may change something. `exempt`: a token request, or a read made to settle
 * a write of unknown outcome; both change nothing. A read is not refused here either: it is resent
 * at once (no backoff) if the rate limit lets it go without waiting (transport.ts), since it is
 * what confirms the calls in flight (a publish's confirmation, README Interrupts); an attempt of
 * unknown outcome is still read for (giveUp).
 */
export function stopsResending(stopped: boolean, method: Method, exempt: boolean): boolean {
  return stopped && !isRead(method) && !exempt;
}

/** A read (GET): it changes nothing on the server, so it has no outcome to be unknown. */
export function isRead(method: Method | undefined): boolean {
  return method === 'GET';
}

export function verdict(retry: { delayMs: number; outcomeUnknown: boolean }, ctx: ResendContext): Verdict {
  // A billed call (an invocation, a guide's turn) of unknown outcome may have run, and been paid for: never resent.
  const resendable = !retry.outcomeUnknown || (ctx.billed !== true && (IDEMPOTENT.has(ctx.method) || ctx.idempotent || ctx.reconciles));
  if (!resendable) return 'unsettled';
  // A resent write is a new change.
  if (ctx.stopping) return 'stop';
  if (ctx.retries >= ctx.maxRetries || ctx.now + retry.delayMs > ctx.deadline) return 'give-up';
  return 'resend';
}

/** What an error says of a write that may or may not be live. */
const UNKNOWN_NOTE = 'the server may or may not have applied it';


/**
 * The error of a call not resent because the server may or may not have applied it (`billed`: run
 * it, and been paid; a string says who, CallSpec.billed).
 */
export function unsettledError(error: ApiError, billed: boolean | string = false): ApiError {
  const unsettled = withNote(error, typeof billed === 'string' ? billed : billed ? BILLED_NOT_SENT_AGAIN : `${UNKNOWN_NOTE}; not retried`);
  unsettled.outcomeUnknown = true;
  return unsettled;
}

/**
 * Reads whether an earlier attempt of unknown outcome landed: before the call resends it, or
 * after its final answer may have been caused by that attempt (CallSpec.afterUncertain: a 409
 * for the name it created). A read that fails settles nothing: the call ends with the write's own
 * error (`error`, its last attempt's), its outcome unknown, the read's failure a note; it is not
 * resent, since it may have landed. A conflict the read finds (someone else's object where ours
 * would be) is its answer.
 */
export async function readBeforeResend<T>(reconcile: () => Promise<Found<T> | undefined>, error: ApiError): Promise<Found<T> | undefined> {
  try {
    return await reconcile();
  } catch (err) {
    if (isConflict(err)) throw err;
    const unread = withNote(error, `could not read whether it landed: ${messageOf(err)}`);
    unread.outcomeUnknown = true;
    throw unread;
  }
}

/**
 * Whether a value `giveUp` ends a call with was found by reading the org rather than told by the
 * write's answer: so for an attempt of unknown outcome (its answer lost), not for one answered 2xx
 * whose body could not be read ('landed'), whose answer said it landed and the read only says what it made.
 */
export function foundByRead(outcomeUnknown: boolean | 'landed'): boolean {
  return outcomeUnknown === true;
}

/**
 * When a call started at `started` stops retrying: its budget is for retrying, so the time its
 * attempts waited for a request slot and the pacer's turn (`queuedMs`, the run's own queueing and
 * pacing) moves the end later. A 429 met after a long pacing hold still gets its Retry-After.
 */
export function retryDeadline(started: number, budgetMs: number, queuedMs: number): number {
  return started + budgetMs + Math.max(0, queuedMs);
}

/** A wait that ends past the call's retry budget: the call gives up at once rather than wait to be refused again. */
export interface PastBudget {
  /** The wait before the next try (the server's, jittered, or a backoff). */
  waitMs: number;
  budgetMs: number;
  /** What the server asked for (Retry-After), when it did. */
  retryAfterMs?: number;
}

/**
 * The note of a call that spent its budget. `elapsedMs` is the call's whole time; `queuedMs` the
 * part of it spent waiting for a slot or the pacer's turn, which the budget does not count, said
 * so that the seconds add up.
 */
export function gaveUpNote(attempts: number, elapsedMs: number, pastBudget?: PastBudget, queuedMs = 0): string {
  const queued = queuedMs >= 50 ? ` (${seconds(queuedMs)} of it waiting for the run's own rate limit or a free request slot, which the retry budget does not count)` : '';
  const note = `gave up after ${plural(attempts, 'attempt')} in ${seconds(elapsedMs)}${queued}`;
  if (!pastBudget) return note;
  // Stopped before its retries were spent: the wait asked for (a 429's Retry-After) ends past the call's time for retries.
  const spent = Math.max(0, elapsedMs - queuedMs);
  const left = spent >= 50 ? ` (${seconds(Math.max(0, pastBudget.budgetMs - spent))} of it left)` : '';
  const wait =
    pastBudget.retryAfterMs !== undefined
      ? `the server asked to wait ${seconds(pastBudget.retryAfterMs)} (Retry-After) before the next try`
      : `the next try was due in ${seconds(pastBudget.waitMs)}`;
  return `${note}: ${wait}, past the ${seconds(pastBudget.budgetMs)} this call may spend retrying${left}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The note of a call answered 500, which is not retried (retry.ts). */
export const NOT_RETRIED_NOTE = 'a 500 is not retried';

/** The note of a call not resent because the run was interrupted. */
export function stoppedNote(attempts: number): string {
  return `not resent after ${attempts} attempt${attempts === 1 ? '' : 's'}: interrupted, no new call is started`;
}

/**
 * Ends a call whose budget is spent: the last attempt may have done the work, so it is read for
 * (reconcile) before the call fails. Read and not found, it did not land; unread (or unreadable),
 * nobody knows, and the error says so (outcomeUnknown). A read (GET) changes nothing: it has no
 * outcome to be unknown, and its error never says so.
 */
export async function giveUp<T>(
  spec: Pick<CallSpec<T>, 'reconcile' | 'idempotent'> & { method?: Method },
  error: ApiError,
  /**
   * 'landed': the server answered 2xx but its body could not be read. Its result is read for; a
   * read that finds nothing yet (a publish still running, a listing behind) proves nothing.
   */
  outcomeUnknown: boolean | 'landed',
  attempts: number,
  elapsedMs: number,
  note = gaveUpNote(attempts, elapsedMs),
  /** The call ends because the run starts no new calls, not because its budget is spent. */
  stopping = false,
): Promise<T> {
  let settled = false;
  let unread: string | undefined;
  if (outcomeUnknown !== false && spec.reconcile) {
    const found = await spec.reconcile().then(
      (f) => ((settled = true), f),
      (err: unknown) => {
        // Someone else's object where ours would be: the lost answer would have been this 409.
        if (isConflict(err)) throw withNote(err, `found by reading after ${attempts} attempts failed`);
        unread = messageOf(err);
        return undefined;
      },
    );
    if (found) return found.value;
  }
  // A call that changes nothing (a read; a token request, an invocation or a query, sent as POST)
  // leaves nothing applied however it failed: a write that waited for its token was never sent.
  const unknown = (outcomeUnknown === 'landed' || (outcomeUnknown && !settled)) && !isRead(spec.method) && spec.idempotent !== true;
  // Whoever reads the failure must learn that the write may be live: the note says why nobody knows.
  const why = !unknown
    ? ''
    : outcomeUnknown === 'landed'
      ? `; it was applied, but what it made could not be read${unread !== undefined ? `: ${unread}` : ''}`
      : unread !== undefined
        ? `; could not read whether it landed: ${unread}`
        : `; ${UNKNOWN_NOTE}`;
  const gaveUp = withNote(error, `${note}${why}`);
  if (stopping) gaveUp.notResent = true;
  if (unknown) gaveUp.outcomeUnknown = true;
  throw gaveUp;
}
