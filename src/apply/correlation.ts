// Which correlation ids belong to which plan action, when several actions run at once.
// The executor runs each action inside its own async context; the client's hooks (called in
// the context of the request that caused them) note ids here.
import { AsyncLocalStorage } from 'node:async_hooks';

interface Seen {
  /** Correlation ids of writes (POST/PUT/PATCH/DELETE), in the order they were seen. */
  writes: string[];
  all: string[];
}

const current = new AsyncLocalStorage<Seen>();

/** Runs `fn`, collecting the correlation ids the client reports meanwhile (also when `fn` throws). */
export async function collectCorrelationSettled<T>(
  fn: () => Promise<T>,
): Promise<{ ok: true; value: T; correlationId: string | null } | { ok: false; error: unknown; correlationId: string | null }> {
  const seen: Seen = { writes: [], all: [] };
  try {
    const value = await current.run(seen, fn);
    return { ok: true, value, correlationId: pick(seen) };
  } catch (error) {
    return { ok: false, error, correlationId: pick(seen) };
  }
}

/** Called from the client's hooks (onResponse, onRetry). A no-op outside an action. */
export function noteCorrelation(info: { correlationId?: string; method?: string }): void {
  const seen = current.getStore();
  if (!seen || !info.correlationId) return;
  if (!seen.all.includes(info.correlationId)) seen.all.push(info.correlationId);
  if (info.method && info.method !== 'GET' && !seen.writes.includes(info.correlationId)) seen.writes.push(info.correlationId);
}

/** The first write's id: the call that made the change (later ones publish or re-read). */
function pick(seen: Seen): string | null {
  return seen.writes[0] ?? seen.all[0] ?? null;
}
