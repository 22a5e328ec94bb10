// Waiting on AI Studio's jobs (a guide's delete, a version's publish): a job in an answer's body,
// polling until a read shows the end (A6, A8). A failed job's error is genesys/failures.ts jobFailed, shared with the gateway.
import { ApiError } from '../../genesys/errors.js';
import { sleep } from '../../genesys/retry.js';
import { heldBackError } from '../../genesys/failures.js';
import { CONFIRM_AFTER_STOP_MS } from '../../genesys/gate.js';
import type { Method } from '../../genesys/exchange.js';

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


/** A wait as the user reads it: "0.3 s", "120 s". */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;
}
