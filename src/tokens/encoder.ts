// Exact token counting for OpenAI's tiktoken encodings, on js-tiktoken's published rank tables.
//
// Why not `getEncoding(...).encode(...)`: js-tiktoken merges byte pairs by rescanning the whole
// piece after every merge (quadratic; 50,000 × "a" never finishes), and slicing long runs to
// dodge that changes the count. This module runs the same algorithm as tiktoken's
// `_byte_pair_merge` (repeatedly merge the lowest-ranked adjacent pair, leftmost on ties) with a
// heap, so it is O(n log n) on any input and its counts equal `encode_ordinary` exactly.
// Special-token text such as `<|endoftext|>` is ordinary text here, as in `encode_ordinary`.
import { createRequire } from 'node:module';

export const ENCODINGS = ['o200k_base', 'cl100k_base'] as const;
export type EncodingName = (typeof ENCODINGS)[number];

interface RankFile {
  pat_str: string;
  special_tokens: Record<string, number>;
  bpe_ranks: string;
}

interface Encoder {
  /** Token bytes as a latin1 string (one char per byte) → rank. */
  ranks: Map<string, number>;
  pattern: RegExp;
}

const encoders = new Map<EncodingName, Encoder>();
const require = createRequire(import.meta.url);

/** Loads an encoding's tables once per process, on first use (≈0.15 s for o200k_base). */
function encoderFor(name: EncodingName): Encoder {
  let enc = encoders.get(name);
  if (!enc) {
    // Lazy `require` keeps the 1–2 MB rank modules out of commands that never count tokens.
    const file = require(`js-tiktoken/ranks/${name}`) as RankFile;
    const ranks = new Map<string, number>();
    // js-tiktoken's compressed format: lines of "<tag> <first rank> <base64 token> <base64 token> …".
    for (const line of file.bpe_ranks.split('\n')) {
      if (!line) continue;
      const fields = line.split(' ');
      const offset = Number.parseInt(fields[1] ?? '', 10);
      for (let i = 2; i < fields.length; i++) {
        ranks.set(Buffer.from(fields[i] ?? '', 'base64').toString('latin1'), offset + i - 2);
      }
    }
    enc = { ranks, pattern: new RegExp(file.pat_str, 'gu') };
    encoders.set(name, enc);
  }
  return enc;
}

const ASCII = /^[\x00-\x7f]*$/;

/** Exact number of tokens `text` encodes to (tiktoken `encode_ordinary`). Pure, no caching. */
export function countTokensUncached(text: string, encoding: EncodingName): number {
  if (text.length === 0) return 0;
  const { ranks, pattern } = encoderFor(encoding);
  const re = new RegExp(pattern); // own lastIndex: safe under re-entrancy
  let total = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const piece = m[0];
    // Pure-ASCII pieces are their own UTF-8 bytes; others are re-encoded to one char per byte.
    const bytes = ASCII.test(piece) ? piece : Buffer.from(piece, 'utf8').toString('latin1');
    total += ranks.has(bytes) ? 1 : mergeCount(bytes, ranks);
  }
  return total;
}

const SHIFT = 2 ** 32; // heap key = rank × 2^32 + start: rank first, then leftmost (exact in a double)

/**
 * Number of parts left after byte-pair merging `bytes` (latin1 string, ≥ 1 char). Every part is
 * a token because every single byte is one. A heap entry (rank, start) is still current exactly
 * when the pair now starting at `start` has that rank: ranks are unique per byte string, and a
 * pair that changed has different bytes.
 */
function mergeCount(bytes: string, ranks: Map<string, number>): number {
  const n = bytes.length;
  if (n < 2) return n;
  const next = new Int32Array(n); // start of the following part (n = none)
  const prev = new Int32Array(n); // start of the preceding part (-1 = none)
  const alive = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
    alive[i] = 1;
  }
  const heap = new MinHeap();
  for (let i = 0; i + 1 < n; i++) {
    const r = ranks.get(bytes.slice(i, i + 2));
    if (r !== undefined) heap.push(r * SHIFT + i);
  }
  let parts = n;
  while (heap.size > 0) {
    const key = heap.pop();
    const rank = Math.floor(key / SHIFT);
    const i = key - rank * SHIFT;
    if (!alive[i]) continue;
    const j = next[i]!;
    if (j >= n) continue;
    const end = next[j]!;
    if (ranks.get(bytes.slice(i, end)) !== rank) continue; // stale entry
    // Merge part j into part i.
    alive[j] = 0;
    next[i] = end;
    if (end < n) prev[end] = i;
    parts--;
    const p = prev[i]!;
    if (p >= 0) {
      const r = ranks.get(bytes.slice(p, end));
      if (r !== undefined) heap.push(r * SHIFT + p);
    }
    if (end < n) {
      const r = ranks.get(bytes.slice(i, next[end]!));
      if (r !== undefined) heap.push(r * SHIFT + i);
    }
  }
  return parts;
}

/** Binary min-heap of numbers. */
class MinHeap {
  private items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(v: number): void {
    const a = this.items;
    let i = a.length;
    a.push(v);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= v) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = v;
  }
  pop(): number {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      const n = a.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && a[r]! < a[l]! ? r : l;
        if (a[c]! >= last) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}
