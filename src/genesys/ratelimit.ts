// Flow control: a bound on requests in flight, and pacing from the server's rate-limit headers
// so that a run near the limit waits for the window to reset instead of collecting 429s.
import type { IncomingHttpHeaders } from 'node:http';
import { RATELIMIT_HEADERS } from './conventions.js';

/** A counting semaphore: at most `limit` holders at a time, served in arrival order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError('concurrency must be at least 1');
  }

  /**
   * Waits for a slot. With `signal`, a wait that the signal ends gives no slot (undefined): the
   * caller looks at the signal to say why.
   */
  async acquire(signal?: AbortSignal): Promise<(() => void) | undefined> {
    if (this.active < this.limit) {
      this.active++;
    } else {
      if (signal?.aborted) return undefined;
      const handed = await new Promise<boolean>((resolve) => {
        const take = (): void => {
          signal?.removeEventListener('abort', leave);
          resolve(true);
        };
        const leave = (): void => {
          const at = this.waiting.indexOf(take);
          if (at >= 0) this.waiting.splice(at, 1);
          resolve(false);
        };
        this.waiting.push(take);
        signal?.addEventListener('abort', leave, { once: true });
      });
      if (!handed) return undefined;
      // The releaser handed its slot straight to us: `active` is unchanged.
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }

  /** Whether a slot is free now (acquire would not wait). */
  get free(): boolean {
    return this.active < this.limit;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = (await this.acquire())!;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

export interface RateWindow {
  allowed: number;
  count: number;
  /** Epoch ms at which the window resets; undefined if the server did not say. */
  resetAt: number | undefined;
}

/** Reads `inin-ratelimit-*`. `reset` is taken as seconds from now, or as an epoch time if it is that large. */
export function readRateWindow(headers: IncomingHttpHeaders, now = Date.now()): RateWindow | undefined {
  const allowed = num(headers[RATELIMIT_HEADERS.allowed]);
  const count = num(headers[RATELIMIT_HEADERS.count]);
  if (allowed === undefined || count === undefined) return undefined;
  const reset = headers[RATELIMIT_HEADERS.reset];
  const r = num(reset);
  let resetAt: number | undefined;
  if (r !== undefined) {
    if (r > 1e12) resetAt = r; // epoch milliseconds
    else if (r > 1e9) resetAt = r * 1000; // epoch seconds
    else resetAt = now + r * 1000; // seconds from now
  } else if (typeof reset === 'string' && !Number.isNaN(Date.parse(reset))) {
    resetAt = Date.parse(reset);
  }
  return { allowed, count, resetAt };
}

function num(v: string | string[] | undefined): number | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  if (s === undefined || s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** How often requests waiting past a rolling window's reset look again (see Pacer.waitMs). */
const PROBE_POLL_MS = 50;

/**
 * How far one window's reset may move between answers: the server says it in whole seconds (the
 * emulator rounds up), so each answer of one window puts it up to a second later or earlier. A
 * reset that moved further is a new window.
 */
const RESET_ROUNDING_MS = 1000;

/**
 * Paces requests against the server's budget. After each response it knows how many requests
 * the window has left; requests already in flight are counted against that. When nothing is
 * left it holds new requests until the window resets (or, for a rolling window, frees a slot).
 * A 429's Retry-After holds everyone.
 */
/** The budget the server announces: `allowed` requests per window of about `windowMs`. */
export interface RateBudget {
  allowed: number;
  /** The longest reset the server has announced (a window's full length once a window has just begun). */
  windowMs: number;
  /** What the current window still allows, as last heard (less what is in flight). */
  remaining: number;
  /** Until the current window resets, as last heard; undefined when the server named no reset. */
  resetInMs?: number;
}

/** A hold on the run's requests for want of budget: none is sent for `waitMs`, until the window resets. */
export interface PacedHold {
  waitMs: number;
  /** The requests the server allows a window, when it has said. */
  allowed?: number;
}

export class Pacer {
  private remaining = Number.POSITIVE_INFINITY;
  private announced: Pick<RateBudget, 'allowed' | 'windowMs'> | undefined;
  private resetAt: number | undefined;
  private blockedUntil = 0;
  private inFlight = 0;
  /** The end of the last hold told to `onHold`: the requests held with it wait for the same reset. */
  private heldUntil = 0;

  /**
   * `onHold` hears each hold for want of budget once, from the first request it holds: a run held
   * for most of a minute must say why (its 429s are said by the retries, but pacing sends none).
   */
  constructor(
    private readonly now: () => number = Date.now,
    private readonly onHold?: (hold: PacedHold) => void,
  ) {}

  /** Milliseconds to wait before sending; 0 when a request may go now. */
  waitMs(): number {
    const t = this.now();
    if (t < this.blockedUntil) return this.blockedUntil - t;
    if (this.remaining > 0) return 0;
    if (this.resetAt !== undefined && t < this.resetAt) return this.resetAt - t;
    // Past the reset. A rolling window frees only some slots, so one request goes first and its
    // response tells the rest how many are free; until then the others wait briefly.
    if (this.inFlight === 0) {
      this.remaining = 1;
      this.resetAt = undefined;
      return 0;
    }
    return PROBE_POLL_MS;
  }

  /** Waits until a request may be sent, then counts it as in flight. Call `done()` after the response. */
  async acquire(sleep: (ms: number) => Promise<void>): Promise<void> {
    for (;;) {
      const wait = this.waitMs();
      if (wait <= 0) break;
      this.tellHold(wait);
      // A small margin past the reset, so the server's clock has turned over too.
      await sleep(wait + 20);
    }
    this.remaining--;
    this.inFlight++;
  }

  /**
   * Tells `onHold` of a wait that ends past the last one told, once per window: a hold ending
   * within the reset's rounding of the one told waits for the same reset (each answer of a window
   * moved its end a few ms later, and the notice was told two or three times a window). Not a
   * 429's Retry-After (its retry says it), nor a rolling window's short poll after its reset.
   */
  private tellHold(wait: number): void {
    const t = this.now();
    if (!this.onHold || wait <= PROBE_POLL_MS || t < this.blockedUntil || !isNewHold(t + wait, this.heldUntil)) return;
    this.heldUntil = t + wait;
    this.onHold({ waitMs: wait, ...(this.announced ? { allowed: this.announced.allowed } : {}) });
  }

  done(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  /** Learns the window from a response (call before `done()` for that response). */
  observe(headers: IncomingHttpHeaders): void {
    const w = readRateWindow(headers, this.now());
    if (!w) return;
    const windowMs = w.resetAt === undefined ? 0 : Math.max(0, w.resetAt - this.now());
    this.announced = { allowed: w.allowed, windowMs: Math.max(this.announced?.windowMs ?? 0, windowMs) };
    const othersInFlight = Math.max(0, this.inFlight - 1);
    const left = w.allowed - w.count - othersInFlight;
    // Responses can arrive out of order: within one window, an older (lower) count must not
    // raise what is left. A reset time that jumped forward means a new window.
    const newWindow =
      this.resetAt === undefined || w.resetAt === undefined || w.resetAt > this.resetAt + RESET_ROUNDING_MS;
    this.remaining = newWindow ? left : Math.min(this.remaining, left);
    this.resetAt = w.resetAt;
  }

  /** What the server has said of its budget so far; undefined until a response carried the headers. */
  budget(): RateBudget | undefined {
    if (!this.announced || !(this.announced.windowMs > 0)) return undefined;
    const t = this.now();
    // The window heard of has reset since (no response of the new one yet): what it had left and
    // its reset say nothing now. A new window holds its whole budget (less what is in flight), and
    // its reset is about a window away.
    if (this.resetAt !== undefined && t >= this.resetAt) {
      return { ...this.announced, remaining: Math.max(0, this.announced.allowed - this.inFlight), resetInMs: this.announced.windowMs };
    }
    const resetInMs = this.resetAt === undefined ? undefined : this.resetAt - t;
    return { ...this.announced, remaining: Math.max(0, this.remaining), ...(resetInMs !== undefined ? { resetInMs } : {}) };
  }

  /** A 429 with Retry-After: nobody sends until then. */
  block(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.now() + ms);
  }
}

/**
 * Whether a hold ending at `end` is another than the last one told (ending at `toldUntil`): it ends
 * later by more than a reset moves by rounding. Measured from the hold told, not from the later
 * ends not told, so that small moves do not add up to a new hold within one window.
 */
export function isNewHold(end: number, toldUntil: number): boolean {
  return end > toldUntil + RESET_ROUNDING_MS;
}
