// Token counts with a content-addressed memo: counting the same text twice costs one hash.
// The memo is an explicit object (no module state): whoever runs a command creates one and hands
// it to everything that counts; cache-file.ts seeds it from and dumps it to disk.
import { hash } from 'node:crypto';
import { countTokensUncached, type EncodingName } from './encoder.js';
import { LruCounts } from './lru.js';

export type { EncodingName } from './encoder.js';

/** Most entries kept; beyond it the least recently used go first. */
export const MEMO_LIMIT = 200_000;

/**
 * 128 bits of sha256 over encoding, NUL and text: collision-free in practice, short on disk.
 * One-shot `hash` (a third of createHash's cost per call; a warm validate hashes every text),
 * over the same bytes as the streamed digest the cache files were written with.
 */
export function memoKey(text: string, encoding: EncodingName): string {
  return hash('sha256', `${encoding}\0${text}`, 'base64url').slice(0, 22);
}

export interface TokenMemoStats {
  size: number;
  hits: number;
  misses: number;
}

/** Exact token counts, memoised by content hash (one per command run, or per test). */
export interface TokenMemo {
  /** Exact tiktoken count (`encode_ordinary`) of `text` in `encoding`; a known text costs one hash. */
  count(text: string, encoding: EncodingName): number;
  /** Adds persisted entries (oldest first) without displacing anything counted with this memo. */
  seed(entries: Iterable<[string, number]>): void;
  /** Entries, least recently used first. */
  entries(): [string, number][];
  /** Whether anything was counted since the memo was created or last `markSaved()`. */
  changed(): boolean;
  markSaved(): void;
  stats(): TokenMemoStats;
}

/** A new, empty memo holding at most `limit` entries (MEMO_LIMIT unless a test says otherwise). */
export function createTokenMemo(limit: number = MEMO_LIMIT): TokenMemo {
  // key → count, in least-recently-used-first order.
  const memo = new LruCounts(limit);
  let changed = false;
  const stats = { hits: 0, misses: 0 };

  return {
    count(text, encoding) {
      // Short texts are memoised too: with every count known, a run never loads the rank tables (≈0.15 s).
      if (text.length === 0) return 0;
      const key = memoKey(text, encoding);
      const known = memo.use(key); // refreshes its recency
      if (known !== undefined) {
        stats.hits++;
        return known;
      }
      stats.misses++;
      const n = countTokensUncached(text, encoding);
      memo.set(key, n);
      changed = true;
      return n;
    },
    seed(entries) {
      const fresh = memo.entries();
      memo.clear();
      for (const [k, n] of entries) memo.set(k, n);
      for (const [k, n] of fresh) memo.set(k, n);
    },
    entries: () => memo.entries(),
    changed: () => changed,
    markSaved() {
      changed = false;
    },
    stats: () => ({ size: memo.size, ...stats }),
  };
}
