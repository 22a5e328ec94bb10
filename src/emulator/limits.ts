// Rate limiting (per token, rolling window: a minute unless configured) and seeded fault injection.

export interface RateStatus {
  allowed: boolean;
  /** Requests counted in the current window (after this one, if it was allowed). */
  count: number;
  limit: number;
  /** Seconds until the window frees a slot. */
  resetSeconds: number;
}

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
  ) {}

  /** Counts a request for key if it fits the budget. */
  hit(key: string, now: number): RateStatus {
    const list = this.window(key, now);
    const allowed = list.length < this.limit;
    if (allowed) list.push(now);
    return this.status(list, now, allowed);
  }

  /** The budget for key, without counting a request. */
  peek(key: string, now: number): RateStatus {
    return this.status(this.window(key, now), now, true);
  }

  private window(key: string, now: number): number[] {
    let list = this.hits.get(key);
    if (!list) this.hits.set(key, (list = []));
    const cutoff = now - this.windowMs;
    let drop = 0;
    while (drop < list.length && (list[drop] ?? 0) <= cutoff) drop++;
    if (drop) list.splice(0, drop);
    return list;
  }

  private status(list: number[], now: number, allowed: boolean): RateStatus {
    const oldest = list[0];
    const resetMs = oldest === undefined ? this.windowMs : oldest + this.windowMs - now;
    return { allowed, count: list.length, limit: this.limit, resetSeconds: Math.max(1, Math.ceil(resetMs / 1000)) };
  }
}

/** The kinds of injected failure, chosen evenly; keys of stats().faults. */
export const FAULT_KINDS = ['500', '502', '503', 'drop-before', 'drop-after'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** mulberry32: small, fast, and the same sequence for the same seed on every platform. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  readonly counts: Record<string, number> = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0]));
  private readonly random: () => number;

  constructor(
    private readonly rate: number,
    seed: number,
    /** The kinds drawn from, evenly (default all: a test of convergence in one run leaves out the 500, which is not retried). */
    private readonly kinds: readonly FaultKind[] = FAULT_KINDS,
  ) {
    this.random = prng(seed);
  }

  /** The fault for the next API call, if any; the draw sequence depends only on the seed. */
  next(): FaultKind | undefined {
    if (this.rate <= 0 || this.kinds.length === 0) return undefined;
    if (this.random() >= this.rate) return undefined;
    const kind = this.kinds[Math.min(this.kinds.length - 1, Math.floor(this.random() * this.kinds.length))] ?? this.kinds[0]!;
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    return kind;
  }
}
