// The canonical form every kind reduces its desired and live sides to, and what derives from it:
// equality, field-level differences and a content hash. Defaults applied, server-only fields and
// promptctl-owned labels left out, key order irrelevant (stable JSON); keyed lists become maps.
import { hash } from 'node:crypto';
import { normalizeText } from '../model/text.js';
import { setEntry } from '../util/entries.js';
import { stableStringify } from '../util/json.js';
import type { FieldChange } from './action.js';

export type CanonicalValue = string | number | boolean | null | CanonicalValue[] | Canonical;
export interface Canonical {
  [key: string]: CanonicalValue;
}

/**
 * Whether two values are one canonical value: exactly when their stable JSON is the same text
 * (key order, undefined members, -0 and 0 make no difference), found by walking both instead of
 * writing them out. A value JSON has no way to write (a function, a symbol, a BigInt, a `toJSON`
 * method) is compared as text. An own `__proto__` key is a member like any other.
 */
export function canonicalEqual(a: CanonicalValue | undefined, b: CanonicalValue | undefined): boolean {
  if (a === b) return true;
  try {
    return sameJson(a ?? null, b ?? null);
  } catch (err) {
    if (err !== AS_TEXT) throw err;
    return stableStringify(a ?? null) === stableStringify(b ?? null);
  }
}

/** Thrown by sameJson on a value only the text comparison handles exactly. */
const AS_TEXT: unique symbol = Symbol('compare as text');

/** A JSON leaf as it is written: numbers JSON cannot write (NaN, ±Infinity) are null. */
function leaf(v: unknown): unknown {
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? v : null;
    case 'function':
    case 'symbol':
    case 'bigint':
      throw AS_TEXT;
    default:
      return v;
  }
}

/** stableStringify(a) === stableStringify(b), for values other than undefined. */
function sameJson(a: unknown, b: unknown): boolean {
  // The same value writes the same text (most strings of an unchanged object); JSON writes no BigInt,
  // and a function is left out or (a toJSON) writes its holder as something else: the text decides.
  if (a === b && typeof a !== 'bigint' && typeof a !== 'function') return true;
  if (typeof a === 'string' && typeof b === 'string') return false;
  const objects = (typeof a === 'object' && a !== null ? 1 : 0) + (typeof b === 'object' && b !== null ? 1 : 0);
  if (objects === 0) return leaf(a) === leaf(b);
  const arrays = Array.isArray(a);
  if (objects === 1 || arrays !== Array.isArray(b)) {
    // Written apart, unless an object's own toJSON method writes it as something else.
    if (ownToJson(a) || ownToJson(b)) throw AS_TEXT;
    return false;
  }
  if (arrays) {
    const x = a as readonly unknown[];
    const y = b as readonly unknown[];
    if (x.length !== y.length) return false;
    // In an array, an undefined item is written as null.
    for (let i = 0; i < x.length; i++) if (!sameJson(x[i] ?? null, y[i] ?? null)) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const same = sameKeysSameJson(x, y);
  if (same !== undefined) return same;
  const inX = definedKeys(x);
  if (inX !== definedKeys(y)) return false;
  for (const k of Object.keys(x)) {
    const v = x[k];
    if (v === undefined) continue;
    const w = Object.prototype.propertyIsEnumerable.call(y, k) ? y[k] : undefined;
    if (w === undefined || !sameJson(v, w)) return false;
  }
  return true;
}

/**
 * The common case, two forms one canonical function built: the same keys in the same order, each
 * value defined on both sides. Then the members pair up by position, with no lookup of one side's
 * key in the other. Undefined: any other case, for the general comparison.
 */
function sameKeysSameJson(x: Record<string, unknown>, y: Record<string, unknown>): boolean | undefined {
  const kx = Object.keys(x);
  const ky = Object.keys(y);
  const n = kx.length;
  if (n !== ky.length) return undefined;
  for (let i = 0; i < n; i++) if (kx[i] !== ky[i]) return undefined;
  for (let i = 0; i < n; i++) {
    const k = kx[i]!;
    const v = x[k];
    const w = y[k];
    // An undefined member is left out of the text (and a function's leaves it, or takes the text).
    if (v === undefined || w === undefined) return undefined;
    if (!sameJson(v, w)) return false;
  }
  return true;
}

function ownToJson(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.prototype.propertyIsEnumerable.call(v, 'toJSON');
}

/** How many members stable JSON writes for the object (undefined ones are left out). */
function definedKeys(o: Record<string, unknown>): number {
  let n = 0;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v === undefined) continue;
    // JSON leaves functions and symbols out, and the sorted copy stable JSON writes would call a
    // toJSON method: the text says what they come to. (An own __proto__ is a member like any other.)
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw AS_TEXT;
    n++;
  }
  return n;
}

/**
 * Whether the desired form equals the live one, and the live form's canonical hash for the guard.
 * `hashUnchanged` false (a plan only shown as text: no guard of it is ever written): an equal
 * pair comes back without a hash, found by one walk of both instead of two stable texts and a
 * sha256 (most objects of a large org are unchanged). Otherwise the answer is canonicalHash and
 * canonicalEqual's, from one stable text each.
 */
export function compareWithLive(live: Canonical, desired: Canonical, hashUnchanged: boolean): { hash?: string; equal: boolean } {
  if (!hashUnchanged && canonicalEqual(live, desired)) return { equal: true };
  const text = stableStringify(live);
  return { hash: hash('sha256', text), equal: text === stableStringify(desired) };
}

/** sha256 of the canonical form: what audit snapshots record and compare. */
export function canonicalHash(c: Canonical): string {
  return hash('sha256', stableStringify(c));
}

/**
 * x and y are one JSON leaf, as stable JSON writes it. For the kinds' plainlySame shortcuts, which
 * may only say "equal" when certain: NaN, undefined and anything not a JSON leaf answer false.
 */
export function sameLeaf(x: unknown, y: unknown): boolean {
  return x === y && (x === null || typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean');
}

/** Absent, null and "" are one value for optional free-text fields such as descriptions. */
export function optionalText(s: string | undefined | null): string | null {
  return s === undefined || s === null || s === '' ? null : s;
}

/**
 * Prompt text as loading makes it (model/text.ts: no carriage returns, no leading byte-order mark),
 * for both sides: a text saved in Genesys Cloud with CRLF line ends (a browser's textarea) is git's
 * text, whose YAML cannot hold them (DESIGN §5: formatting never shows as a change). A server's
 * answer may lack a field its type says it has: left as it is.
 */
export function asLoaded<T extends string | null | undefined>(text: T): T {
  return (typeof text === 'string' ? normalizeText(text) : text) as T;
}

/** `map[key]` if the map holds it itself (`{}.__proto__` is Object.prototype, not a member). */
function entry(map: Canonical, key: string): CanonicalValue | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

function isMap(v: CanonicalValue | undefined): v is Canonical {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
}

/** For display: null means "absent" in canonical forms, so nested nulls are left out of values. */
function withoutNulls(v: CanonicalValue): CanonicalValue {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (!isMap(v)) return v;
  const out: Canonical = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null) continue;
    const y = withoutNulls(x);
    if (isMap(y) && Object.keys(y).length === 0) continue;
    setEntry(out, k, y);
  }
  return out;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function joinPath(prefix: string, key: string): string {
  if (IDENTIFIER.test(key)) return prefix ? `${prefix}.${key}` : key;
  return `${prefix}[${key}]`;
}

/**
 * Field-level differences between two canonical forms, in sorted path order. Maps present on both
 * sides are descended into; anything else that differs is one change (null shown as absent).
 * Paths: `description`, `thresholds.pii`, `variables.tone.maxLength`, `routes[1.1.0]`.
 */
export function diffCanonical(before: Canonical, after: Canonical, prefix = ''): FieldChange[] {
  const changes: FieldChange[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const key of keys) {
    const b = entry(before, key);
    const a = entry(after, key);
    if (canonicalEqual(b, a)) continue;
    const path = joinPath(prefix, key);
    if (isMap(b) && isMap(a)) {
      changes.push(...diffCanonical(b, a, path));
      continue;
    }
    const change: FieldChange = { path };
    if (b !== undefined && b !== null) change.before = withoutNulls(b);
    if (a !== undefined && a !== null) change.after = withoutNulls(a);
    changes.push(change);
  }
  return changes;
}

/** The fields of a new object, as changes from nothing (empty maps and lists left out). */
export function describeCreate(after: Canonical): FieldChange[] {
  return diffCanonical({}, after).filter((c) => {
    const v = c.after;
    if (Array.isArray(v)) return v.length > 0;
    if (v !== null && typeof v === 'object') return Object.keys(v).length > 0;
    return true;
  });
}
