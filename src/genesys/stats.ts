// Request counters: each transport's own, and the totals over every transport in this process
// (PROMPTCTL_STATS=1 prints them at exit). Kept apart from transport.ts so that reading the
// totals does not load the HTTP stack.

export interface TransportStats {
  requests: number;
  retries: number;
  rateLimited: number;
}

const processTotals: TransportStats = { requests: 0, retries: 0, rateLimited: 0 };

export function processTransportStats(): TransportStats {
  return { ...processTotals };
}

/** Counts one event on a transport's own stats and on the process totals. */
export function countEvent(stats: TransportStats, event: keyof TransportStats): void {
  stats[event]++;
  processTotals[event]++;
}
