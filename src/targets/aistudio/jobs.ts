// Waiting on AI Studio's jobs (a guide's delete, a version's publish): a job in an answer's body,
// polling until a read shows the end, the job and its object read in turn (A6, A8); the decisions
// (which read, what it says, the timeout's words) as data apart from the reads. A failed job's
// error is genesys/failures.ts jobFailed, shared with the gateway.
import { ApiError } from '../../genesys/errors.js';
import { sleep } from '../../genesys/retry.js';
import { heldBackError } from '../../genesys/failures.js';
import { CONFIRM_AFTER_STOP_MS } from '../../genesys/gate.js';
import type { Method } from '../../genesys/exchange.js';
import { visibleName } from '../../util/escapes.js';
import { jobOutcome } from './assumptions.js';

/** How long a job (a guide version's publish, a guide's delete) is waited for by default (ClientOptions.jobTimeoutMs), and so how long an apply killed meanwhile may leave one running. */
export const DEFAULT_JOB_TIMEOUT_MS = 120_000;

/**
 * Calls `step` until it returns something (quick at first, backing off to 1 s), or fails with
 * job.timeout at the deadline. `now` runs the first step at once; otherwise it waits first.
 * `stopped` (the run's stop, DESIGN §5: an apply's interrupt): a wait under way ends at once and
 * the step looks again, and so on for CONFIRM_AFTER_STOP_MS at most; a job not done by then ends
 * the wait held back (heldBackError: a confirmation not made), as every wait of the run ends.
 */
export async function poll<T>(
  what: string,
  deadline: number,
  method: Method,
  path: string,
  now: boolean,
  step: () => Promise<T | undefined>,
  stopped?: AbortSignal,
): Promise<T> {
  let delay = 25;
  if (now) {
    const first = await step();
    if (first !== undefined) return first;
  }
  let stoppedAt: number | undefined;
  for (;;) {
    if (stopped?.aborted) stoppedAt ??= Date.now();
    if (stoppedAt !== undefined && Date.now() + delay > stoppedAt + CONFIRM_AFTER_STOP_MS) throw heldBackError({ method, path });
    if (Date.now() + delay > deadline) {
      throw new ApiError(`${what} did not finish in time`, 0, 'job.timeout', undefined, method, path);
    }
    await sleep(delay, stopped?.aborted ? undefined : stopped);
    delay = Math.min(1000, Math.ceil(delay * 1.6));
    const done = await step();
    if (done !== undefined) return done;
  }
}

/** A job in a response body, or undefined for an empty (or job-less) body (A6, A8). */
export function asJob<J extends { id: string }>(body: unknown): J | undefined {
  const o = body as { id?: unknown } | undefined;
  return o && typeof o === 'object' && typeof o.id === 'string' && o.id !== '' ? (body as J) : undefined;
}

/** How one look of an alternating poll ended the wait: the job finished, the job gone (404), or the object done. */
export type JobLook<J, D> = { job: J } | 'gone' | { done: D };

/** What a read of the object says: the wait is over (`done`), or not, in the words a timeout says it with (`still`). */
export type ObjectLook<D> = { done: D } | { still: string };

/**
 * Which read look `n` (from 0) makes (A6, A8): the job, then the object, in turn. A job's status
 * may lag its object's, or never move: the object's read ends the wait as well, and with no more
 * requests than reading the job alone.
 */
export function alternateRead(n: number): 'job' | 'object' {
  return n % 2 === 0 ? 'job' : 'object';
}

/** What a read of the job says: gone (a 404), finished (Succeeded or Failed), or undefined while it runs. */
export function jobLook<J extends { status?: unknown }>(read: J | undefined): { job: J } | 'gone' | undefined {
  if (read === undefined) return 'gone';
  return jobOutcome(read.status) ? { job: read } : undefined;
}

/** A job that outlived the wait, in words: what it waited for, how long, the job's last status and the object's. */
export function jobTimeoutMessage(what: string, timeoutMs: number, jobId: string, lastStatus: unknown, object: string): string {
  return `${what} did not finish in ${seconds(timeoutMs)}: its job ${visibleName(jobId)} was still ${visibleName(String(lastStatus))}, and ${object}`;
}

export interface AlternatingPoll<J, D> {
  /** What is waited for, as an error says it ("deleting guide g1"). */
  what: string;
  deadline: number;
  /** The wait's length, as the timeout says it. */
  timeoutMs: number;
  /** The job as started (not finished), and where it is read. */
  job: J;
  jobPath: string;
  /** Reads the job: undefined for a 404. */
  readJob: () => Promise<J | undefined>;
  readObject: () => Promise<ObjectLook<D>>;
  /** The object's words in a timeout before any read of it ("the guide not read"). */
  unread: string;
  /** The run's stop (poll's `stopped`): after an interrupt it is looked at for a moment more, no longer. */
  stopped?: AbortSignal | undefined;
}

/**
 * Waits for a job by reading it and its object in turn (`alternateRead`) until the job finishes,
 * is gone, or the object's read says the wait is over; at the deadline, job.timeout in
 * `jobTimeoutMessage`'s words.
 */
export async function pollJobOrObject<J extends { id: string; status?: unknown }, D>(w: AlternatingPoll<J, D>): Promise<JobLook<J, D>> {
  let looks = 0;
  let last = w.job;
  let object = w.unread;
  try {
    return await poll<JobLook<J, D>>(w.what, w.deadline, 'GET', w.jobPath, false, async () => {
      if (alternateRead(looks++) === 'object') {
        const o = await w.readObject();
        if ('done' in o) return o;
        object = o.still;
        return undefined;
      }
      const read = await w.readJob();
      if (read) last = read;
      return jobLook(read);
    }, w.stopped);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'job.timeout') {
      throw new ApiError(jobTimeoutMessage(w.what, w.timeoutMs, w.job.id, last.status, object), 0, 'job.timeout', undefined, 'GET', w.jobPath);
    }
    throw err;
  }
}

/** A wait as the user reads it: "0.3 s", "120 s". */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;
}
