// Which correlation ids belong to which plan action, when several actions run at once, and how
// its writes were known to land. A tracker is made per target (no process-global state): the
// client's hooks call `note` in the async context of the request that caused them, and the
// executor runs each action inside `collect`.
import { AsyncLocalStorage } from 'node:async_hooks';

interface Seen {
  /** Correlation ids of writes (POST/PUT/PATCH/DELETE), in the order they were seen. */
  writes: string[];
  all: string[];
  /** A write was answered with a 2xx, or found applied by a read: the action changed the target. */
  changed: boolean;
  /** A write's answer was lost and a read found it applied: what it did is the org's word, not an answer's. */
  foundByRead: boolean;
}

/** How an action's calls ended, with what they were seen to do (`foundByRead`: see Seen). */
export type Settled<T> =
  | { ok: true; value: T; correlationId: string | null; changed: boolean; foundByRead: boolean }
  | { ok: false; error: unknown; correlationId: string | null; changed: boolean; foundByRead: boolean };

/** What the client's hooks tell of one call (a response's `status` says whether a write landed). */
export interface CallNote {
  correlationId?: string;
  method?: string;
  status?: number;
  /** The call ended with what a settling read found, its own answer lost (the transport's onFoundByRead). */
  foundByRead?: true;
}

export interface CorrelationTracker {
  /** Runs `fn`, collecting the correlation ids noted meanwhile (also when `fn` throws). */
  collect<T>(fn: () => Promise<T>): Promise<Settled<T>>;
  /** For the client's hooks (onResponse, onRetry, onFoundByRead). A no-op outside `collect`. */
  note(info: CallNote): void;
}

export function createCorrelationTracker(): CorrelationTracker {
  const current = new AsyncLocalStorage<Seen>();
  return {
    async collect(fn) {
      const seen: Seen = { writes: [], all: [], changed: false, foundByRead: false };
      try {
        const value = await current.run(seen, fn);
        return { ok: true, value, correlationId: pick(seen), changed: seen.changed, foundByRead: seen.foundByRead };
      } catch (error) {
        return { ok: false, error, correlationId: pick(seen), changed: seen.changed, foundByRead: seen.foundByRead };
      }
    },
    note(info) {
      const seen = current.getStore();
      if (!seen || !info.correlationId) return;
      if (!seen.all.includes(info.correlationId)) seen.all.push(info.correlationId);
      if (info.method && info.method !== 'GET' && !seen.writes.includes(info.correlationId)) seen.writes.push(info.correlationId);
      if (info.method && info.method !== 'GET' && info.status !== undefined && info.status >= 200 && info.status < 300) seen.changed = true;
      // Found applied by a read, its answer lost: the write changed the target all the same (a
      // later call of the action failing, or held back, leaves the action midway, not untried).
      if (info.foundByRead) seen.foundByRead = seen.changed = true;
    },
  };
}

/** The first write's id: the call that made the change (later ones publish or re-read). */
function pick(seen: Seen): string | null {
  return seen.writes[0] ?? seen.all[0] ?? null;
}
