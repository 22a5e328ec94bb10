// The keys of a document's mappings that YAML reads other than a person would, found in one
// linear walk once it is parsed: a duplicate key (YAML 1.2 forbids them), a key YAML reads as
// another name than written (`010:` the key "10"), and a key that is no name (null, a mapping or
// a list). Told as YamlProblems, worded by yaml-problems.ts.
import { Scalar, isAlias, isCollection, isMap, isPair, isScalar, isSeq, type Alias, type Document, type Node } from 'yaml';
import { aliasTargets } from './alias-expansion.js';
import type { YamlProblem } from './yaml-problems.js';

/** Mappings up to this size are checked pair by pair; larger ones with a hash set. */
const SMALL_MAP = 12;

/**
 * Duplicate keys (YAML 1.2 forbids them), each at its later occurrence with the first one's
 * offset. Linear: a hash set per large mapping; a small one (nearly all of them) is compared key
 * with key, which costs less than building its set and a string per key. Keys compare by scalar
 * value, as yaml's own check: the same type and the same text. On the same walk, a plain key YAML
 * reads as another name than it is written (`010:` is the number 10, so the key "10"; `1.10:`
 * "1.1"; `True:` "true"), at that key: the document would hold a name its author never wrote.
 * And a key that is no name at all (null: `~`, `null`, an empty key; a mapping or a list), which
 * is compared with no other key.
 */
export function findDuplicateKeys(doc: Document.Parsed, limit: number): YamlProblem[] {
  const out: YamlProblem[] = [];
  const stack: unknown[] = [doc.contents];
  // Worked out at the first alias written as a key (nearly no document has one).
  let aliases: ReadonlyMap<Alias, Node> | undefined;
  while (stack.length && out.length < limit) {
    const node = stack.pop();
    if (!isCollection(node)) continue;
    const items = node.items as unknown[];
    const map = isMap(node);
    const seen = map && items.length > SMALL_MAP ? new Map<string, number>() : undefined;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (!isPair(item)) {
        stack.push(item);
        continue;
      }
      stack.push(item.key, item.value);
      const key = item.key;
      if (!map || !key || !(key as { range?: unknown }).range) continue;
      // A key written as an alias (`*k: x`) is the key its anchor names: toJS sets that property
      // again, so the later value would win without a word.
      let named: unknown = key;
      if (isAlias(key)) named = (aliases ??= aliasTargets(doc)).get(key);
      // A null or a collection is no name: plain data would make it "" or its flow text, the same
      // property as a key written so (`~` and `""`), and one value would be dropped unsaid.
      if (isCollection(named) || (isScalar(named) && named.value === null)) {
        const kind = isScalar(named) ? 'NULL_KEY' : 'COLLECTION_KEY';
        out.push({ code: kind, message: isMap(named) ? 'mapping' : isSeq(named) ? 'list' : 'null', pos: [(key as Node).range![0], (key as Node).range![1]] });
        continue;
      }
      if (!isScalar(named)) continue;
      const v = named.value;
      if (named === key && rewrittenKey(named)) out.push({ code: 'KEY_REWRITTEN', message: `${named.source} ${String(v)}`, pos: [named.range![0], named.range![1]], key: String(v) });
      const at = (key as Node).range![0];
      let first: number | undefined;
      // Keys are compared as the property names they become: 1 and "1", true and "true" are one.
      const id = String(v);
      if (seen) {
        first = seen.get(id);
        if (first === undefined) seen.set(id, at);
      } else {
        first = firstEqualKey(items, i, id, aliases);
      }
      if (first !== undefined) {
        const problem: YamlProblem = { code: 'DUPLICATE_KEY', message: 'Map keys must be unique', pos: [at, (key as Node).range![1]], firstAt: first };
        out.push(isAlias(key) ? { ...problem, key: id } : problem);
      }
    }
  }
  return out;
}

/** A number or boolean key whose property name is not its text as written (010 → "10"). */
function rewrittenKey(key: Scalar): boolean {
  const v = key.value;
  return (typeof v === 'number' || typeof v === 'boolean') && typeof key.source === 'string' && key.source !== String(v);
}

/**
 * Offset of the first of `items[0..before)` whose key is a located scalar written as this property
 * name, or an alias of one (`aliases`: the document's aliasTargets, once one is met).
 */
function firstEqualKey(items: readonly unknown[], before: number, text: string, aliases: ReadonlyMap<Alias, Node> | undefined): number | undefined {
  for (let j = 0; j < before; j++) {
    const other = items[j];
    if (!isPair(other)) continue;
    const key = other.key;
    const named = isAlias(key) ? aliases?.get(key) : key;
    if (isScalar(named) && named.value !== null && (key as Node).range && String(named.value) === text) return (key as Node).range![0];
  }
  return undefined;
}
