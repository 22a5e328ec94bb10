// A composed YAML document as plain data, exactly as yaml's `Document#toJS()` gives it, for the
// documents promptctl reads: mappings with scalar keys, sequences and scalars. yaml's own
// conversion sets up a context per document and dispatches through it for every node (anchor
// bookkeeping, merge keys, Map and Set targets): 5,000 prompt files took ≈ 65 ms that way, ≈ 20 ms
// this way. Anything else (anchors, aliases, collection keys, pairs in a sequence) is left to
// toJS: `plainData` answers undefined and the caller converts the usual way.
import { isMap, isPair, isScalar, isSeq } from 'yaml';

/** Marks a node this conversion leaves to yaml's toJS. */
const UNUSUAL: unique symbol = Symbol('unusual');

/** `{ data }` as toJS() would return it, or undefined when the document needs yaml's toJS. */
export function plainData(contents: unknown): { data: unknown } | undefined {
  const data = convert(contents);
  return data === UNUSUAL ? undefined : { data };
}

// Recursive: documents are depth-checked (lex.ts MAX_DEPTH) before they are composed.
function convert(node: unknown): unknown {
  // toJS() keeps scalar values as they are (its `keep` mode): no bigint or other conversion.
  if (isScalar(node)) return node.anchor ? UNUSUAL : node.value;
  if (isMap(node)) {
    if (node.anchor) return UNUSUAL;
    const out: Record<string, unknown> = {};
    for (const item of node.items) {
      const key: unknown = item.key;
      if (!isScalar(key) || key.anchor) return UNUSUAL;
      const k = key.value;
      if (typeof k === 'object' && k !== null) return UNUSUAL;
      // yaml's stringifyKey for a scalar key: null is "", anything else String().
      const name = k === null ? '' : String(k);
      const value = item.value === null ? null : convert(item.value);
      if (value === UNUSUAL) return UNUSUAL;
      // As yaml does: a name the object already answers to (an inherited `__proto__`,
      // `toString`, or a repeated key) becomes an own property instead of calling a setter.
      if (name in out) Object.defineProperty(out, name, { value, writable: true, enumerable: true, configurable: true });
      else out[name] = value;
    }
    return out;
  }
  if (isSeq(node)) {
    if (node.anchor) return UNUSUAL;
    const out: unknown[] = [];
    for (const item of node.items) {
      if (item === null) {
        out.push(null);
        continue;
      }
      if (isPair(item)) return UNUSUAL;
      const value = convert(item);
      if (value === UNUSUAL) return UNUSUAL;
      out.push(value);
    }
    return out;
  }
  return UNUSUAL;
}

/** A mapping of a document's plain data: an object that is not an array (nor null). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
