// The run's stop and what it holds back (DESIGN §5), for the transport: after an apply's first
// interrupt (`stopped`, a signal) no call that was not on the wire is sent. A write is held back
// even when queued, a read goes only if it need not wait, every wait ends, and a failed write is
// not resent; the reads that settle a write of unknown outcome (`settle`) and token requests are
// exempt and go on as before. Apart from the attempt loop (transport.ts), which asks it at each step.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Semaphore } from './ratelimit.js';
import { sleep } from './retry.js';
import { closedError, heldBackError } from './failures.js';
import type { Gate } from './attempt.js';
import { isRead, stopsResending } from './unknown-outcome.js';
import { TOKEN_PATH } from './conventions.js';
import type { CallSpec } from './exchange.js';

/**
 * How long, after the stop, a job already started is still looked at for its end (a publish is
 * usually done within a second): its confirmation only reads, and then the record says how it
 * ended. Past it the wait ends held back, as every other wait of the run does at once.
 */
export const CONFIRM_AFTER_STOP_MS = 2000;

export class StopPolicy {
  /** Set while a call settles a write of unknown outcome (its reads go through after the stop). */
  private readonly settling = new AsyncLocalStorage<true>();

  /**
   * `closing`: aborted by the transport's close(); `slots`: the requests in flight; `stopped`:
   * aborted when the run stops starting new calls (TransportOptions.stopped).
   */
  constructor(
    private readonly closing: AbortSignal,
    private readonly slots: Semaphore,
    private readonly stopped: AbortSignal | undefined,
  ) {}

  /** What a call's waits listen on: close(), the call's own signal, and the run's stop unless the call is exempt. */
  waitSignal(signal: AbortSignal | undefined, exempt = true): AbortSignal {
    const all = [this.closing, ...(signal ? [signal] : []), ...(exempt || !this.stopped ? [] : [this.stopped])];
    return all.length === 1 ? all[0]! : AbortSignal.any(all);
  }

  /** Whether the run has stopped starting calls (an apply's interrupt), as of now. */
  stoppedNow(): boolean {
    return this.stopped?.aborted === true;
  }

  /** Calls that go on after the stop as before: token requests, and the reads settling a write of unknown outcome. */
  exempt(spec: CallSpec<unknown>): boolean {
    return spec.path === TOKEN_PATH || this.settling.getStore() === true;
  }

  /** Runs a read that settles a write of unknown outcome: its calls are not held back by the stop. */
  settle<T>(read: () => Promise<T>): Promise<T> {
    return this.settling.run(true, read);
  }

  /** Whether a failed attempt of `spec` is not resent now (unknown-outcome.ts `stopsResending`). */
  stopsResending(spec: CallSpec<unknown>): boolean {
    return stopsResending(this.stoppedNow(), spec.method, this.exempt(spec));
  }

  /** The waits of one attempt of `spec` (attempt.ts Gate). */
  gate(spec: CallSpec<unknown>): Gate {
    const exempt = this.exempt(spec);
    // Made on the first wait only: most calls get a slot and the pacer's turn at once, and a
    // combined signal per call (AbortSignal.any) would cost every call of a large apply.
    let combined: AbortSignal | undefined;
    const signal = (): AbortSignal => (combined ??= this.waitSignal(spec.signal, exempt));
    /** Throws why the call may not go on: closed, aborted, or held back (a write after the stop; a read that would wait). */
    const check = (waits: boolean): void => {
      if (this.closing.aborted) throw closedError(spec);
      spec.signal?.throwIfAborted();
      if (!exempt && (waits || !isRead(spec.method)) && this.stoppedNow()) throw heldBackError(spec);
    };
    const waiting = async <T>(wait: () => Promise<T>): Promise<T> => {
      check(true);
      return wait();
    };
    return {
      slot: async () => {
        if (this.slots.free) return (await this.slots.acquire())!;
        const release = await waiting(() => this.slots.acquire(signal()));
        try {
          check(true);
        } catch (err) {
          release?.();
          throw err;
        }
        if (!release) throw closedError(spec);
        return release;
      },
      pause: async (ms) => {
        await waiting(() => sleep(ms, signal()));
        check(true);
      },
      send: () => check(false),
    };
  }
}
