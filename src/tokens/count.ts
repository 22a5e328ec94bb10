// Token counts with a content-addressed memo: counting the same text twice costs one hash.
// The memo is plain in-memory state; cache-file.ts seeds it from and dumps it to disk.
import { createHash } from 'node:crypto';
import { countTokensUncached, type EncodingName } from './encoder.js';

export type { EncodingName } from './encoder.js';

/** Most entries kept; beyond it the least recently used go first. */
export const MEMO_LIMIT = 200_000;

// key → count, in least-recently-used-first order (a Map iterates in insertion order).
const memo = new Map<string, number>();
let changed = false;
const stats = { hits: 0, misses: 0 };

/** 128 bits of sha256 over encoding and text: collision-free in practice, short on disk. */
export function memoKey(text: string, encoding: EncodingName): string {
  return createHash('sha256').update(encoding).update('\0').update(text).digest('base64url').slice(0, 22);
}

/** Exact tiktoken count (`encode_ordinary`) of `text` in `encoding`. */
export function countTokens(text: string, encoding: EncodingName): number {
  // Short texts are memoised too: with every count known, a run never loads the rank tables (≈0.15 s).
  if (text.length === 0) return 0;
  const key = memoKey(text, encoding);
  const known = memo.get(key);
  if (known !== undefined) {
    stats.hits++;
    memo.delete(key); // refresh its recency
    memo.set(key, known);
    return known;
  }
  stats.misses++;
  const n = countTokensUncached(text, encoding);
  remember(key, n);
  changed = true;
  return n;
}

function remember(key: string, n: number): void {
  memo.delete(key);
  memo.set(key, n);
  while (memo.size > MEMO_LIMIT) {
    const oldest = memo.keys().next().value as string;
    memo.delete(oldest);
  }
}

/** Adds persisted entries (oldest first) without displacing anything counted in this process. */
export function seedMemo(entries: Iterable<[string, number]>): void {
  const fresh = [...memo];
  memo.clear();
  for (const [k, n] of entries) remember(k, n);
  for (const [k, n] of fresh) remember(k, n);
}

/** Entries, least recently used first. */
export function memoEntries(): [string, number][] {
  return [...memo];
}

/** Whether anything was counted since the last `markMemoSaved()`. */
export function memoChanged(): boolean {
  return changed;
}

export function markMemoSaved(): void {
  changed = false;
}

export function memoStats(): { size: number; hits: number; misses: number } {
  return { size: memo.size, ...stats };
}

/** Empties the memo (tests). */
export function clearMemo(): void {
  memo.clear();
  changed = false;
  stats.hits = 0;
  stats.misses = 0;
}
