// HTTP audit sinks: POST each record, signed with HMAC-SHA256 so the receiver can trust it.
// A sink failure is a warning: the local record is already on disk, and the records a sink did not
// take are sent again, in order, later in the run or by the next one (sink-cursor.ts). A delivery
// that timed out may have been stored (a slow sink): it is not retried at once, is sent once more
// at most in the run, and a second timeout gives the sink up for the run; so does any answer that is
// not retried (a redirect, which is not followed; a 4xx but 408, 409 and 429: a wrong key or URL refuses
// every record alike; a 5xx but 500, 502, 503 and 504). A sink that keeps failing is
// given up for the rest of the run once its failed deliveries have taken its budget, a delivery
// cut off where it would overrun it; and a sink still behind when the run ends (a slow one,
// answering each record after a second) is waited for at most the budget. Neither can hold an apply's end for minutes.
// The run's interrupt (`stop`) starts no delivery after it, a retry included, and cuts off the one
// on the wire after a short grace. A sink's failures are said once a run (the first, and at the end
// how many, with the records left for the next run), not once a record. The HTTP library is loaded
// with the first delivery, so an apply without sinks never loads it.
import { createHmac } from 'node:crypto';
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { capAnswer, type CappedAnswer } from '../util/capped-answer.js';
import { sinkUrlProblem } from '../util/net.js';
import { MIN_AUDIT_KEY_LENGTH } from './record.js';
import type { SinkRecord } from './sink-cursor.js';

/** An HTTP sink as the config names it (Config.audit.http). */
export interface HttpAuditSink {
  url: string;
  /** Name of the environment variable holding the HMAC key (never the key itself). */
  secretEnv?: string;
}

export const SIGNATURE_HEADER = 'X-Promptctl-Signature';
export const TIMESTAMP_HEADER = 'X-Promptctl-Timestamp';

export interface SinkOptions {
  /**
   * The agents that reach a sink's URL, when the environment routes it through a proxy
   * (HTTPS_PROXY, NO_PROXY): made by the command, which knows the proxy settings. Default: direct.
   */
  agentsFor?: (url: URL) => { http: HttpAgent; https: HttpsAgent } | undefined;
  /** A failed delivery's words, when the command has better ones than the error's code (a proxy's refusal). */
  describeFailure?: (err: Error, url: URL) => string | undefined;
  /** Per attempt; default 5000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt; default 2. */
  retries?: number;
  /** Upper bound of one back-off pause; default 1000 ms. */
  backoffLimitMs?: number;
  /**
   * Failed delivery time one sink may take in a run; once spent, the run's later records are not
   * sent to it (one warning names them). Also how long the end of the run waits for a sink still
   * delivering. Default 20000 ms.
   */
  budgetMs?: number;
  /** Cuts off the delivery (deliverToSink): it then fails as cut off. */
  signal?: AbortSignal;
  /**
   * The run's interrupt: once aborted, no delivery starts (a retry included), the one on the wire
   * is cut off `stopGraceMs` later, and what was not sent is left for the next run.
   */
  stop?: AbortSignal;
  /** Default STOP_GRACE_MS. */
  stopGraceMs?: number;
}

const DEFAULT_BUDGET_MS = 20_000;

/**
 * How long a delivery on the wire when the run is interrupted may still take: a sink answering
 * within it is noted as having the record; a slower one gets it again from the next run (its
 * idempotency key names the copy). Well inside the seconds CI gives between SIGINT and SIGTERM.
 */
export const STOP_GRACE_MS = 2000;

/**
 * Statuses a delivery is retried on (they say "later"); any other answer but a 2xx is a refusal.
 * 409 is the Idempotency-Key draft's answer to a key whose first request is still being processed
 * (a copy sent again after a timeout or a crash): later, not no.
 */
const RETRIED_STATUSES = [408, 409, 429, 500, 502, 503, 504];

/** One sink's deliveries for a run: in seq order, never holding up a record, within its budget. */
export interface SinkQueue {
  send(body: string, record: { seq: number; hash: string }): void;
  /** Waits for every delivery; then warns about the records the spent budget kept from the sink. */
  drain(): Promise<void>;
}

/** Where a sink's deliveries stand across runs (sink-cursor.ts), as its queue uses it. */
export interface SinkResume {
  /** Records earlier runs did not deliver, in seq order: sent first. */
  backlog: readonly SinkRecord[];
  /** After the sink took a record: moves its cursor on. */
  delivered(record: { seq: number; hash: string }): Promise<void>;
}

/**
 * The queue is strictly in seq order: a record the sink did not take stays first and is tried again
 * when the next record comes (or by the next run), so that the sink never receives a record before
 * an earlier one and its cursor (the last record it took) leaves nothing undelivered behind it.
 */
export function sinkQueue(
  sink: HttpAuditSink,
  env: NodeJS.ProcessEnv,
  opts: SinkOptions,
  file: string,
  warn: (m: string) => void,
  resume: SinkResume = { backlog: [], delivered: async () => undefined },
): SinkQueue {
  const budgetMs = opts.budgetMs ?? DEFAULT_BUDGET_MS;
  let failedMs = 0;
  // The record whose delivery timed out in this run (the sink may hold it), and why the sink is
  // sent nothing more in the run, if it is: that record timed out again (so a sink always slower
  // than the timeout gets each record twice a run at most; it was four times: three attempts, and
  // a fourth when the next record came), or the sink refused a record (a 4xx but 408, 409 and 429: a
  // wrong key or URL refuses every record alike, and was sent the first again with each new one).
  let timedOut: number | undefined;
  let gaveUp: { said: string; why: string } | undefined;
  // Failed deliveries this run, and the last one's words: the first is said at once, the count at the end.
  let failures = 0;
  let unsaid = 0;
  let lastFailure = '';
  // The run's interrupt: no delivery starts after it; the one on the wire is cut off after the grace.
  const stop = opts.stop;
  const stopped = (): boolean => stop?.aborted === true;
  const cut = new AbortController();
  let grace: NodeJS.Timeout | undefined;
  const onStop = (): void => void (grace = setTimeout(() => cut.abort(), opts.stopGraceMs ?? STOP_GRACE_MS));
  stop?.addEventListener('abort', onStop, { once: true });
  const pending: SinkRecord[] = [...resume.backlog];
  // Aborted when the end of the run has waited its budget for the sink: the delivery in flight is
  // cut off and the records still queued are not sent.
  const late = new AbortController();
  let queue: Promise<void> = Promise.resolve();
  /** Sends the pending records in order until one fails, the budget is spent or none is left. */
  const pump = async (): Promise<void> => {
    while (pending.length > 0 && failedMs < budgetMs && !late.signal.aborted && gaveUp === undefined && !stopped()) {
      const record = pending[0]!;
      const started = Date.now();
      // What is left of the budget bounds this delivery too: its attempts end with the budget.
      const spent = AbortSignal.timeout(budgetMs - failedMs);
      const failure = await deliverToSink(sink, record.body, record.hash, env, { ...opts, signal: AbortSignal.any([late.signal, spent, cut.signal]) });
      if (!failure) {
        pending.shift();
        // A cursor not written costs a duplicate the idempotency key names, never a lost record.
        await resume.delivered(record).catch((err: unknown) => warn(`audit sink ${describeSinkUrl(sink.url)}: could not note record ${record.seq} as delivered (${(err as NodeJS.ErrnoException).code ?? 'write failed'}); the next run may send it again`));
        continue;
      }
      failedMs += Date.now() - started;
      // Cut off by the interrupt, or by the end of the run's wait: not the sink's failure; the end
      // of the run names what is left.
      if (stopped() || late.signal.aborted) return;
      failures += 1;
      lastFailure = failure.warning.slice(`audit sink ${describeSinkUrl(sink.url)}: `.length);
      if (failure.timedOut) {
        if (timedOut === record.seq) gaveUp = { said: 'timed out twice', why: 'timed out twice (the sink may hold it)' };
        timedOut = record.seq;
      }
      if (failure.refused !== undefined) {
        const said = refusedWords(failure.refused);
        gaveUp = { said, why: said };
      }
      // Said once a run: the first failure, and the one that gives the sink up (the end counts the rest).
      if (failures > 1 && gaveUp === undefined) unsaid += 1;
      else {
        const spentNote = spent.aborted ? ` (the sink's ${seconds(budgetMs)} s of failed deliveries are spent)` : '';
        const next = gaveUp !== undefined ? `, and not sent again in this run: it ${gaveUp.said}` : ' and sent again before any later one';
        warn(`${failure.warning}${spentNote}; record ${record.seq} is kept in ${file}${next}`);
      }
      return;
    }
  };
  // Records earlier runs did not deliver go at once, before this run writes any.
  if (pending.length > 0) queue = queue.then(pump);
  return {
    send(body, record) {
      pending.push({ body, seq: record.seq, hash: record.hash });
      queue = queue.then(pump);
    },
    async drain() {
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, budgetMs - failedMs))));
      await Promise.race([queue, waited.then(() => late.abort())]);
      clearTimeout(timer);
      await queue;
      clearTimeout(grace);
      stop?.removeEventListener('abort', onStop);
      const where = describeSinkUrl(sink.url);
      const count = unsaid > 0 ? ` (${failures} failed deliveries in this run; the last: ${lastFailure})` : '';
      if (pending.length === 0) {
        if (unsaid > 0) warn(`audit sink ${where}: ${failures} deliveries failed in this run (the last: ${lastFailure}); each record was sent again and taken`);
        return;
      }
      const seqs = pending.map((r) => r.seq);
      const first = seqs[0]!;
      const last = seqs.at(-1)!;
      const which = seqs.length === 1 ? `${first}` : last - first + 1 === seqs.length ? `${first}–${last}` : seqs.join(', ');
      const why = late.signal.aborted
        ? `still delivering ${seconds(budgetMs)} s after the run's last record`
        : gaveUp !== undefined
          ? `after record ${first} ${gaveUp.why}`
          : failedMs >= budgetMs
            ? `after ${seconds(failedMs)} s of failed deliveries`
            : stopped()
              ? 'after the run was interrupted'
              : 'after its last delivery failed';
      warn(
        `audit sink ${where}: ${seqs.length} record${seqs.length === 1 ? '' : 's'} (${which}) not sent in this run ${why}${count}; ` +
          `${seqs.length === 1 ? 'it is' : 'they are'} kept in ${file}, and the next run sends ${seqs.length === 1 ? 'it' : 'them'} first`,
      );
    },
  };
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

/** The most of a sink's reply read: its status says whether the record was taken, its body nothing promptctl reads. */
const MAX_REPLY_BYTES = 1024 * 1024;

/**
 * null when a reply of `status` took the record; a redirect is no delivery (the body would not be
 * re-posted with its signature), and is answered again to every record: a refusal.
 */
function delivered(sink: HttpAuditSink, status: number): FailedDelivery | null {
  return status >= 300 ? { warning: `audit sink ${describeSinkUrl(sink.url)}: HTTP ${status} (redirects are not followed)`, timedOut: false, refused: status } : null;
}

/** Why a sink was given up, said of the record it answered so. */
function refusedWords(status: number): string {
  if (status < 400) return `was redirected (HTTP ${status})`;
  if (status >= 500) return `was refused (HTTP ${status}, an answer not retried)`;
  return `was refused (HTTP ${status})`;
}

/** `sha256=<hex>`: HMAC-SHA256 of the exact body bytes. */
export function signBody(body: string, key: string): string {
  return 'sha256=' + createHmac('sha256', key).update(body, 'utf8').digest('hex');
}

/** The sink URL without credentials or query, safe to print. */
export function describeSinkUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** A reason the sink cannot be used at all (checked once, when the log opens), or null. */
export function sinkProblem(sink: HttpAuditSink, env: NodeJS.ProcessEnv): string | null {
  const problem = sinkUrlProblem(sink.url);
  if (problem) return problem;
  if (sink.secretEnv && !env[sink.secretEnv]) return `environment variable ${sink.secretEnv} (its signing key) is not set`;
  // As strong as the chain's key must be (PROMPTCTL_AUDIT_KEY): a receiver trusts what this signs.
  if (sink.secretEnv && env[sink.secretEnv]!.trim().length < MIN_AUDIT_KEY_LENGTH) {
    return `environment variable ${sink.secretEnv} (its signing key) is shorter than ${MIN_AUDIT_KEY_LENGTH} characters: use a random one (e.g. openssl rand -hex 32)`;
  }
  return null;
}

/**
 * A delivery that failed: its warning, whether its last attempt timed out (the sink may have
 * stored the record, and only answered too late), and the status of a refusal (any answer not
 * retried: a redirect, a 4xx but 408, 409 and 429, a 5xx but 500, 502, 503 and 504): sent again, it
 * would be answered so again.
 */
export interface FailedDelivery {
  warning: string;
  timedOut: boolean;
  refused?: number;
}

/** An answer the sink will give again whenever the record is sent (RETRIED_STATUSES ask for later). */
function refusal(status: number): number | undefined {
  return status >= 300 && !RETRIED_STATUSES.includes(status) ? status : undefined;
}

/** Sends BODY once (with retries, none after a timeout); resolves to the failure, or null when the sink took it. */
export async function deliverToSink(
  sink: HttpAuditSink,
  body: string,
  idempotencyKey: string,
  env: NodeJS.ProcessEnv,
  opts: SinkOptions = {},
): Promise<FailedDelivery | null> {
  const failed = (warning: string | null, timedOut = false): FailedDelivery | null => (warning === null ? null : { warning, timedOut });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    [TIMESTAMP_HEADER]: String(Math.floor(Date.now() / 1000)),
    // Retried POSTs may arrive twice; the record hash lets the receiver drop duplicates.
    'idempotency-key': idempotencyKey,
  };
  const key = sink.secretEnv ? env[sink.secretEnv] : undefined;
  if (key) headers[SIGNATURE_HEADER] = signBody(body, key);
  const retries = opts.retries ?? 2;
  const { got, HTTPError, RequestError, TimeoutError } = await import('got');
  const agent = opts.agentsFor?.(new URL(sink.url));
  // The attempts made: got does not retry every failure (a proxy's refusal of the tunnel has no code).
  let attempted = 1;
  // The reply's status is all a delivery needs: a reply body past MAX_REPLY_BYTES is given up as it
  // arrives (a sink answering without end took memory for 5 s an attempt).
  let capped: CappedAnswer | undefined;
  try {
    const call = got.post(sink.url, {
      ...(agent ? { agent } : {}),
      body,
      headers,
      timeout: { request: opts.timeoutMs ?? 5000 },
      retry: {
        limit: retries,
        methods: ['POST'],
        statusCodes: RETRIED_STATUSES,
        // got's own list but for a timeout: a sink slower than the timeout has stored the record by
        // then, and a retry at once only stores another copy (the queue decides: sinkQueue).
        errorCodes: (got.defaults.options.retry.errorCodes ?? []).filter((code) => code !== 'ETIMEDOUT'),
        backoffLimit: opts.backoffLimitMs ?? 1000,
        maxRetryAfter: 5000,
        // Interrupted: no retry is started (0 cancels it; the hook below stops one already waiting).
        calculateDelay: ({ computedValue }) => (opts.stop?.aborted ? 0 : computedValue),
      },
      followRedirect: false,
      ...(opts.signal ? { signal: opts.signal } : {}),
      hooks: {
        beforeRetry: [
          () => {
            if (opts.stop?.aborted) throw new Error('interrupted');
            attempted++;
          },
        ],
      },
    });
    capped = capAnswer(call, MAX_REPLY_BYTES);
    return delivered(sink, (await call).statusCode);
  } catch (err) {
    const head = capped?.tooLarge ? capped.head?.status : undefined;
    if (head !== undefined && head < 400) return delivered(sink, head);
    const where = describeSinkUrl(sink.url);
    const attempts = `after ${attempted} attempt${attempted === 1 ? '' : 's'}`;
    const status = err instanceof HTTPError ? err.response.statusCode : head;
    if (status !== undefined) {
      const f = failed(`audit sink ${where}: HTTP ${status} ${attempts}`)!;
      const refused = refusal(status);
      return refused === undefined ? f : { ...f, refused };
    }
    if (opts.signal?.aborted) return failed(`audit sink ${where}: cut off ${attempts}`);
    if (opts.stop?.aborted) return failed(`audit sink ${where}: not sent again ${attempts}: the run was interrupted`);
    // got's message and options can carry headers (the signature); print only the code, or the
    // command's own words for it.
    if (err instanceof RequestError) {
      return failed(`audit sink ${where}: ${opts.describeFailure?.(err, new URL(sink.url)) ?? (err.code || 'request failed')} ${attempts}`, err instanceof TimeoutError);
    }
    return failed(`audit sink ${where}: request failed`);
  }
}
