// Retry policy as pure decisions: given what one attempt produced, retry (after how long, and
// whether the server may already have done the work), re-authenticate, or give up.
import type { Attempt } from './exchange.js';

export interface RetryPolicy {
  /** Retries per call, on top of the first attempt. */
  maxRetries: number;
  /** Exponential backoff with full jitter: random(0, min(cap, base·2^n)). */
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Connection refused means nothing listens (yet): worth a few quick retries, not a long budget. */
  maxRefusedRetries: number;
  /**
   * Connection refused once the API host has answered this run: it is there, so this is an outage (a
   * restart, a deploy) rather than a wrong URL, retried with the backoff as long as a dropped one.
   */
  maxRefusedRetriesOnceAnswered: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 10,
  backoffBaseMs: 200,
  backoffCapMs: 10_000,
  maxRefusedRetries: 3,
  maxRefusedRetriesOnceAnswered: 8,
};

export type AttemptResult =
  /** `damaged`: its body was altered or cut short on the way (HttpResult.damaged). */
  | { kind: 'response'; status: number; retryAfterMs?: number; damaged?: boolean }
  | { kind: 'transport'; code: string; timeoutEvent?: string };

export type Decision =
  /** `outcomeUnknown`: not retried, though the server may have done the work (a 500): a write is read for before it fails. */
  | { action: 'fail'; outcomeUnknown?: boolean }
  | { action: 'reauth' }
  | {
      action: 'retry';
      delayMs: number;
      /** The request may have reached the server and been applied (a 5xx, a dropped connection, a timeout). */
      outcomeUnknown: boolean;
      reason: string;
    };

export interface AttemptContext {
  /** Retries already made in this call. */
  retries: number;
  /** Connection-refused retries already made in this call. */
  refused: number;
  /** The API host has answered a request of this run before (a refusal then is an outage, not a wrong URL). */
  answeredBefore?: boolean;
  /** The request carried a bearer token, and has not re-authenticated yet in this call. */
  canReauth: boolean;
}

/**
 * Status codes after which the server may or may not have done the work, and a resend may succeed:
 * DESIGN §5 retries 502/503/504 (as the official Genesys Java SDK does, with 429), and a 408 is the
 * server dropping a request it never finished reading, a dropped connection.
 */
const UNKNOWN_OUTCOME_STATUSES = new Set([408, 502, 503, 504]);

/**
 * A server error that is retried (502/503/504): one still answered after every retry is a
 * service down for a while as often as a feature switched off, so a message says both.
 */
export function isRetriedServerError(status: number): boolean {
  return status >= 500 && UNKNOWN_OUTCOME_STATUSES.has(status);
}

/**
 * The server's own failure (500): not retried (DESIGN §5 leaves it out; a resend meets a failing
 * handler again, for up to the call's whole budget), though the work may have been done.
 */
const SERVER_FAILURE = 500;

/** Transport failures where the request never reached the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Transport failures after the request may have been delivered. */
const UNKNOWN_OUTCOME_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
  'HPE_INVALID_CONSTANT',
  'HPE_INVALID_HEADER_TOKEN',
]);
/** Timeouts reached before anything was sent. */
const NOT_SENT_TIMEOUT_EVENTS = new Set(['lookup', 'connect', 'secureConnect']);

export function decide(
  result: AttemptResult,
  ctx: AttemptContext,
  policy: RetryPolicy,
  random: () => number = Math.random,
): Decision {
  if (result.kind === 'response') {
    const { status } = result;
    if (status === 401 && ctx.canReauth) return { action: 'reauth' };
    // Answered, its body damaged on the way: another attempt may read it whole. Only a read comes
    // here (transport.ts): a write so answered has landed, and is read for, never resent.
    if (status >= 200 && status < 300 && result.damaged === true) {
      return retry(backoffDelay(ctx.retries, policy, random), false, `answer unreadable (${status})`);
    }
    if (status === 429) {
      // Rejected before any work: safe to resend any method.
      const wait = result.retryAfterMs !== undefined ? serverWait(result.retryAfterMs, random) : backoffDelay(ctx.retries, policy, random);
      return retry(wait, false, 'rate limited (429)');
    }
    if (UNKNOWN_OUTCOME_STATUSES.has(status)) {
      const wait =
        result.retryAfterMs !== undefined
          ? serverWait(result.retryAfterMs, random)
          : backoffDelay(ctx.retries, policy, random);
      return retry(wait, true, `server error (${status})`);
    }
    if (status === SERVER_FAILURE) return { action: 'fail', outcomeUnknown: true };
    return { action: 'fail' };
  }

  const { code, timeoutEvent } = result;
  if (code === 'ETIMEDOUT' && timeoutEvent && NOT_SENT_TIMEOUT_EVENTS.has(timeoutEvent)) {
    return retry(backoffDelay(ctx.retries, policy, random), false, `timeout (${timeoutEvent})`);
  }
  if (NOT_SENT_CODES.has(code)) {
    const refusals = ctx.answeredBefore ? policy.maxRefusedRetriesOnceAnswered : policy.maxRefusedRetries;
    if (code === 'ECONNREFUSED' && ctx.refused >= refusals) return { action: 'fail' };
    return retry(backoffDelay(ctx.retries, policy, random), false, `connection failed (${code})`);
  }
  if (UNKNOWN_OUTCOME_CODES.has(code)) {
    return retry(backoffDelay(ctx.retries, policy, random), true, `connection dropped (${code})`);
  }
  return { action: 'fail' };
}

/** What `decide` needs of an attempt: its status and Retry-After, or its transport error. */
export function attemptResult(a: Attempt): AttemptResult {
  if (a.kind === 'transport') {
    return a.timeoutEvent === undefined
      ? { kind: 'transport', code: a.code }
      : { kind: 'transport', code: a.code, timeoutEvent: a.timeoutEvent };
  }
  const retryAfterMs = parseRetryAfter(a.res.headers['retry-after']);
  return {
    kind: 'response',
    status: a.res.status,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(a.res.damaged === true ? { damaged: true } : {}),
  };
}

export function backoffDelay(retries: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.backoffCapMs, policy.backoffBaseMs * 2 ** Math.min(retries, 30));
  return Math.floor(random() * ceiling);
}

/**
 * A server-given wait (Retry-After) as asked, never shortened (DESIGN §5: a 429 waits Retry-After;
 * one cut to 60 s was resent early, to be refused again), plus a little jitter so waiting callers
 * do not return as one herd. A wait past what the call may still spend retrying ends the call at
 * once instead (unknown-outcome.ts `verdict`), saying what the server asked.
 */
export function serverWait(ms: number, random: () => number = Math.random): number {
  const asked = Math.max(ms, 0);
  return asked + Math.floor(random() * Math.min(250, asked * 0.1 + 50));
}

function retry(delayMs: number, outcomeUnknown: boolean, reason: string): Decision {
  return { action: 'retry', delayMs, outcomeUnknown, reason };
}

/** `Retry-After` as delta-seconds or an HTTP date → milliseconds from `now`; undefined if absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Resolves after `ms`, or as soon as `signal` aborts (the caller then looks at the signal). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  });
}
