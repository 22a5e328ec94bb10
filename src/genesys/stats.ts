// Request counters, one set per transport (each client exposes its transport's as `.stats`).
// Nothing here is process-wide: whoever opens clients sums their stats (the CLI does, for the
// PROMPTCTL_STATS=1 line). Kept apart from transport.ts so that the type does not load the HTTP stack.

export interface TransportStats {
  requests: number;
  retries: number;
  rateLimited: number;
}

/** Counts one event on a transport's stats. */
export function countEvent(stats: TransportStats, event: keyof TransportStats): void {
  stats[event]++;
}

/** The sum of several transports' stats (a fresh object). */
export function sumTransportStats(all: Iterable<TransportStats>): TransportStats {
  const total: TransportStats = { requests: 0, retries: 0, rateLimited: 0 };
  for (const s of all) {
    total.requests += s.requests;
    total.retries += s.retries;
    total.rateLimited += s.rateLimited;
  }
  return total;
}
