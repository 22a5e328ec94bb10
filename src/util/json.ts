// Stable JSON: object keys sorted at every level, arrays in order, undefined left out. The plan
// fingerprint, canonical comparisons and the audit chain hash all depend on this exact output,
// so a test pins it byte for byte.
import { createHash, hash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level; arrays keep their order. Exactly
 * JSON.stringify(sortKeys(value)), written in one walk without the sorted copy (the plan hashes
 * and compares thousands of objects); a value whose text depends on more than its own plain data
 * (a toJSON method anywhere, an array-index key, a BigInt, an array that is a subclass or has its
 * own constructor) takes the copy. An own `__proto__` key is data (a prompt variable may be named
 * so): written like any other member, and the copy defines it rather than setting a prototype. (Getters with side effects and proxies are outside
 * "plain data": their text may differ, and a getter may be read twice.)
 */
export function stableStringify(value: unknown): string {
  // A toJSON on a prototype reaches every sorted copy JSON.stringify would write.
  if (toJsonInherited()) return JSON.stringify(sortKeys(value));
  // Built in key order already (the kinds' canonical forms and noop actions are): JSON writes it
  // natively, several times faster than the walk below, and with no JIT warm-up.
  if (typeof value === 'object' && value !== null && inStableOrder(value)) return JSON.stringify(value);
  try {
    return writeStable(value) as string;
  } catch (err) {
    if (err !== EXOTIC) throw err;
    return JSON.stringify(sortKeys(value));
  }
}

function toJsonInherited(): boolean {
  return 'toJSON' in Array.prototype || 'toJSON' in Function.prototype;
}

/**
 * Whether JSON.stringify(v) is already v's stable text: plain objects whose keys enumerate in
 * sorted order with none JSON or the sorted copy would treat apart (array index, toJSON), plain
 * arrays, and leaves JSON writes as themselves (no function, symbol or BigInt, so
 * no member is left out either). A false answer only means the slower walk writes it. (It reads
 * every value, and JSON reads them again: the getters of plain data have no side effects.)
 */
function inStableOrder(v: object): boolean {
  // JSON calls an own toJSON, enumerable or not, which the sorted copy leaves behind.
  if (Object.hasOwn(v, 'toJSON')) return false;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype || Object.hasOwn(v, 'constructor')) return false;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'object' ? x !== null && !inStableOrder(x) : !writtenAsItself(x)) return false;
    }
    return true;
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  // The keys first: an object out of order is left to the walk before any value is read.
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (i > 0 && !(keys[i - 1]! < k)) return false;
    const c = k.charCodeAt(0);
    if ((c >= 48 && c <= 57 && isArrayIndex(k)) || k === 'toJSON') return false;
  }
  for (let i = 0; i < keys.length; i++) {
    const x = o[keys[i]!];
    if (typeof x === 'object' ? x !== null && !inStableOrder(x) : !writtenAsItself(x)) return false;
  }
  return true;
}

/** A leaf JSON writes (or, undefined, leaves out) the same way in both texts. */
function writtenAsItself(x: unknown): boolean {
  const t = typeof x;
  return t === 'string' || t === 'number' || t === 'boolean' || t === 'undefined';
}

/** Thrown by writeStable for a value only JSON.stringify over the sorted copy writes exactly. */
const EXOTIC: unique symbol = Symbol('not plain data');

/** Object keys as JSON writes them, for the keys seen so far (a schema's few dozen, mostly). */
const quotedKeys = new Map<string, string>();

function quoted(key: string): string {
  let q = quotedKeys.get(key);
  if (q === undefined) {
    q = JSON.stringify(key);
    if (quotedKeys.size < 10_000) quotedKeys.set(key, q);
  }
  return q;
}

/** The stable text of `v`, or undefined where JSON writes nothing (undefined, a function, a symbol). */
function writeStable(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      break;
    case 'bigint':
      throw EXOTIC;
    case 'function':
      // JSON calls a function's own toJSON; without one it writes nothing.
      if ((v as { toJSON?: unknown }).toJSON !== undefined) throw EXOTIC;
      return undefined;
    default:
      return undefined;
  }
  if (v === null) return 'null';
  if (Array.isArray(v)) {
    // The copy is v.map(…): a subclass or an own constructor would make it something else.
    if (Object.getPrototypeOf(v) !== Array.prototype || Object.hasOwn(v, 'constructor')) throw EXOTIC;
    const n = v.length; // as map reads it, once
    let out = '[';
    for (let i = 0; i < n; i++) {
      if (i > 0) out += ',';
      out += writeStable(v[i]) ?? 'null';
    }
    return `${out}]`;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    // sortKeys' copy would enumerate index keys first, or have JSON call toJSON.
    const c = k.charCodeAt(0);
    if ((c >= 48 && c <= 57 && isArrayIndex(k)) || k === 'toJSON') throw EXOTIC;
    const text = writeStable(o[k]);
    if (text === undefined) continue;
    out += first ? `${quoted(k)}:${text}` : `,${quoted(k)}:${text}`;
    first = false;
  }
  return `${out}}`;
}

/**
 * Whether objects enumerate `key` ahead of the others, in numeric order: an array index, the
 * canonical text of an integer below 2³² − 1. Version labels ("1.2.0") and "01" are not.
 */
function isArrayIndex(key: string): boolean {
  const n = key.length;
  if (n > 10 || (n > 1 && key.charCodeAt(0) === 48)) return false;
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return n > 0 && Number(key) <= 4294967294;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as Record<string, unknown>).sort()) {
      const v = (value as Record<string, unknown>)[k];
      // Defined, not assigned: an own `__proto__` key stays a key (assigning sets the prototype).
      if (v !== undefined) Object.defineProperty(out, k, { value: sortKeys(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** How much text stableHash gathers before handing it to the hash. */
const HASH_CHUNK = 1 << 16;

/**
 * sha256 (hex) of stableStringify(value), without holding its whole text or its whole sorted copy
 * at once: the array members of a plain top-level object (a plan's actions) are written and hashed
 * item by item, which gives the digest of the whole text. A value of any other shape is hashed in
 * one piece.
 */
export function stableHash(value: unknown): string {
  const keys = streamableKeys(value);
  if (!keys) return hash('sha256', stableStringify(value));
  const o = value as Record<string, unknown>;
  const h = createHash('sha256');
  let text = '{';
  let members = 0;
  // Pieces are whole JSON texts and punctuation, so a chunk never ends inside a character.
  const put = (piece: string): void => {
    text += piece;
    if (text.length >= HASH_CHUNK) {
      h.update(text);
      text = '';
    }
  };
  for (const k of keys) {
    const v = o[k];
    if (v === undefined) continue;
    const name = `${members > 0 ? ',' : ''}${JSON.stringify(k)}:`;
    if (Array.isArray(v)) {
      put(`${name}[`);
      for (let i = 0; i < v.length; i++) put(`${i > 0 ? ',' : ''}${stableStringify(v[i]) ?? 'null'}`);
      put(']');
    } else {
      const s = stableStringify(v);
      if (s === undefined) continue; // a function or a symbol: JSON leaves the member out
      put(`${name}${s}`);
    }
    members++;
  }
  h.update(`${text}}`);
  return h.digest('hex');
}

/**
 * The keys of a plain object whose stable JSON stableHash may write member by member (sorted, no
 * array-index keys, nothing that calls toJSON), or undefined.
 */
function streamableKeys(value: unknown): string[] | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || toJsonInherited()) return undefined;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return undefined;
  const keys = Object.keys(value).sort();
  for (const k of keys) {
    if (k === 'toJSON' || isArrayIndex(k)) return undefined;
    const v = (value as Record<string, unknown>)[k];
    // A member or an item whose toJSON JSON calls is called with its key: only the one-piece text says which.
    if (callsToJson(v)) return undefined;
    if (Array.isArray(v)) {
      if (Object.getPrototypeOf(v) !== Array.prototype) return undefined;
      for (const x of v) if (callsToJson(x)) return undefined;
    }
  }
  return keys;
}

/** Whether JSON.stringify over the sorted copy would call a toJSON of this value itself. */
function callsToJson(v: unknown): boolean {
  if (typeof v === 'function') return (v as { toJSON?: unknown }).toJSON !== undefined;
  return v !== null && typeof v === 'object' && Object.hasOwn(v, 'toJSON');
}
