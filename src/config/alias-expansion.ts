// How many values a YAML document holds once its aliases are expanded: what every walk of its
// data (schema checks, stable JSON, hashing) visits. An alias bomb ("billion laughs") is small as
// text and huge expanded; a long document that reuses one anchor many times is neither. Counted
// without expanding anything: each anchored value's size once, however many aliases name it.
import { isAlias, isMap, isPair, isScalar, isSeq, visit, type Document, type Node } from 'yaml';

/**
 * The number of values (scalars and collections, keys included) `doc` expands to, counted up to
 * `cap` and stopped there (the answer is then `cap`). An alias counts as the value its anchor
 * names (the nearest one before it, as YAML reads it); one that names no anchor counts as one.
 * The document must not contain itself (parse.ts refuses an alias inside its own anchor first),
 * and is depth-checked, so the count's recursion is shallow.
 */
export function expandedValues(doc: Document.Parsed, cap: number): number {
  const target = new Map<Node, Node>();
  const latest = new Map<string, Node>();
  visit(doc, {
    Node(_, node) {
      if (isAlias(node)) {
        const t = latest.get(node.source);
        if (t) target.set(node, t);
      } else if (node.anchor) latest.set(node.anchor, node);
    },
  });
  const memo = new Map<Node, number>();
  const count = (node: unknown): number => {
    if (node === null || node === undefined) return 0;
    if (isAlias(node)) {
      const t = target.get(node);
      return t ? count(t) : 1;
    }
    if (isScalar(node)) return 1;
    const known = memo.get(node as Node);
    if (known !== undefined) return known;
    let n = 1;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        n += count(pair.key) + count(pair.value);
        if (n >= cap) break;
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        n += count(item);
        if (n >= cap) break;
      }
    }
    n = Math.min(n, cap);
    memo.set(node as Node, n);
    return n;
  };
  return count(doc.contents);
}
