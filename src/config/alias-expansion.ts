// How large a YAML document is once its aliases are expanded: what every walk of its data (schema
// checks, rules, stable JSON, hashing) goes through. An alias bomb ("billion laughs", or one long
// text named in every entry) is small as text and huge expanded; a long document that reuses a
// short anchor many times is neither. Counted without expanding anything: each anchored value's
// size once, however many aliases name it.
import { isAlias, isMap, isPair, isScalar, isSeq, visit, type Alias, type Document, type Node } from 'yaml';

/** A document's size: its values (scalars and collections, keys included) and its scalars' characters. */
export interface Expansion {
  values: number;
  chars: number;
}

/**
 * Each alias of `doc` with the node it names: the nearest anchor of that name before it, as YAML
 * reads it (an alias naming none is left out). One walk of the document, where yaml's own
 * `resolve` walks it again for every alias.
 */
export function aliasTargets(doc: Document.Parsed): Map<Alias, Node> {
  const target = new Map<Alias, Node>();
  const latest = new Map<string, Node>();
  visit(doc, {
    Node(_, node) {
      if (isAlias(node)) {
        const t = latest.get(node.source);
        if (t) target.set(node, t);
      } else if (node.anchor) latest.set(node.anchor, node);
    },
  });
  return target;
}

/**
 * What `doc` expands to (`target`: its aliasTargets), counted up to `cap` and stopped once either count reaches it (that count
 * is then the cap's). An alias counts as the value its anchor names (the nearest one before it, as
 * YAML reads it); one that names no anchor counts as one value. The document must not contain
 * itself (parse.ts refuses an alias inside its own anchor first), and is depth-checked, so the
 * count's recursion is shallow.
 */
export function expansionOf(doc: Document.Parsed, cap: Expansion, target: ReadonlyMap<Alias, Node>): Expansion {
  const memo = new Map<Node, Expansion>();
  const full = (e: Expansion): boolean => e.values >= cap.values || e.chars >= cap.chars;
  const add = (sum: Expansion, e: Expansion): void => {
    sum.values += e.values;
    sum.chars += e.chars;
  };
  const size = (node: unknown): Expansion => {
    if (node === null || node === undefined) return { values: 0, chars: 0 };
    if (isAlias(node)) {
      const t = target.get(node);
      return t ? size(t) : { values: 1, chars: node.source.length };
    }
    if (isScalar(node)) return { values: 1, chars: typeof node.value === 'string' ? node.value.length : String(node.value).length };
    const known = memo.get(node as Node);
    if (known) return known;
    const sum: Expansion = { values: 1, chars: 0 };
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        add(sum, size(pair.key));
        add(sum, size(pair.value));
        if (full(sum)) break;
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        add(sum, size(item));
        if (full(sum)) break;
      }
    }
    const capped = { values: Math.min(sum.values, cap.values), chars: Math.min(sum.chars, cap.chars) };
    memo.set(node as Node, capped);
    return capped;
  };
  return size(doc.contents);
}
