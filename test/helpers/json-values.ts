// Random JSON-like values for equivalence tests: nested objects and arrays, numbers JSON cannot
// write, undefined members and items, keys that are array indices, text that needs escaping
// (controls, quotes, lone and paired surrogates). Seeded, so a failure can be replayed.

import { prng } from '../../src/emulator/limits.js';

export type Random = () => number;

/** A small seeded generator (the emulator's mulberry32). */
export const seeded: (seed: number) => Random = prng;

const KEYS = ['a', 'b', 'B', 'z', 'aa', 'a b', 'é', '0', '1', '10', '9', '01', '-1', '4294967294', '4294967295', '1.5', 'toString', 'constructor', 'x\u0000y', '😀'];
const TEXT = ['', 'x', 'line\nbreak', 'quote "q" \\ back', 'tab\t', '\u0001', '\ud800', '\udc00x', '😀', 'é', 'same'];
const NUMBERS = [0, -0, 1, -1, 1.5, 1e21, 1e-7, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53];

/** One item of `list`, chosen by `r`. */
export function pick<T>(r: Random, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)]!;
}

/** A random value, at most `depth` levels deep. */
export function randomValue(r: Random, depth = 3): unknown {
  const roll = r();
  if (depth <= 0 || roll < 0.45) {
    const leaf = r();
    if (leaf < 0.3) return pick(r, TEXT);
    if (leaf < 0.6) return pick(r, NUMBERS);
    if (leaf < 0.75) return r() < 0.5;
    if (leaf < 0.9) return null;
    return undefined;
  }
  if (roll < 0.7) return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth - 1));
  const o: Record<string, unknown> = {};
  const n = Math.floor(r() * 5);
  for (let i = 0; i < n; i++) o[pick(r, KEYS)] = randomValue(r, depth - 1);
  return o;
}

/** A copy with object keys in another insertion order (and, sometimes, undefined members added). */
export function shuffled(r: Random, v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => shuffled(r, x));
  if (v === null || typeof v !== 'object') return v;
  const entries = Object.entries(v);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  const o: Record<string, unknown> = {};
  for (const [k, x] of entries) o[k] = shuffled(r, x);
  if (r() < 0.2) o.extra = undefined;
  return o;
}

/** A copy with one leaf somewhere changed (the result may or may not serialise differently). */
export function mutated(r: Random, v: unknown): unknown {
  if (Array.isArray(v)) {
    if (v.length === 0 || r() < 0.2) return [...v, randomValue(r, 1)];
    const i = Math.floor(r() * v.length);
    return v.map((x, j) => (j === i ? mutated(r, x) : x));
  }
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 0 || r() < 0.2) return { ...v, [pick(r, KEYS)]: randomValue(r, 1) };
    const k = pick(r, keys);
    return { ...v, [k]: mutated(r, (v as Record<string, unknown>)[k]) };
  }
  return randomValue(r, 1);
}
