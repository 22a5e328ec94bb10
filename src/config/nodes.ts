// Finding YAML nodes by data path, and their positions: the bridge between plain data (what
// ajv and the model see) and file:line:column (what users see). Positions inside a prompt's
// text are text-origin.ts.
import { isAlias, isMap, isPair, isScalar, isSeq, YAMLMap, type Document, type LineCounter, type Pair } from 'yaml';
import type { FieldLocations, SourceLocation } from '../model/types.js';

export interface DocContext {
  file: string;
  doc: Document.Parsed;
  src: string;
  lineCounter: LineCounter;
}

/** What locating a point of a document needs of its file: the name, the text and its line starts. */
export type FileText = Pick<DocContext, 'file' | 'src' | 'lineCounter'>;

export function positionOf(ctx: FileText, offset: number): SourceLocation {
  const { line, col } = ctx.lineCounter.linePos(offset);
  return { file: ctx.file, line, column: col };
}

/**
 * Start of a node as written (an alias is where `*name` stands, not its anchor: a value used in
 * two places is wrong where it is used); the document start if there is none.
 */
export function nodeStart(ctx: DocContext, node: unknown): SourceLocation {
  const offset = (node as { range?: [number, number, number] } | null)?.range?.[0];
  return positionOf(ctx, offset ?? ctx.doc.range[0]);
}

/** NODE with its aliases followed to the node they name. */
export function resolveAlias(ctx: DocContext, node: unknown): unknown {
  let n = node;
  // An alias chain is short (anchors must precede their aliases), but guard anyway.
  for (let i = 0; i < 100 && isAlias(n); i++) n = n.resolve(ctx.doc);
  return n;
}

export interface Found {
  /** The value node at the path, aliases resolved (undefined when the path does not exist). */
  node: unknown;
  /** Where that value is written: the alias itself when it is one, else `node`. For positions. */
  at: unknown;
  /** The key node whose value is `node` (undefined at the root and for sequence items). */
  key: unknown;
  /** The deepest node that exists on the way, and its key, for paths that do not resolve. */
  nearest: unknown;
  /** Where `nearest` is written (an alias, or `nearest`). */
  nearestAt: unknown;
  nearestKey: unknown;
}

/** Where the path's value is written, else the deepest node on the way: the place to report. */
export function foundAt(f: Found): unknown {
  return f.at ?? f.nearestAt;
}

/** Walks `segments` (map keys and sequence indexes) from the document root. */
export function findNode(ctx: DocContext, segments: readonly string[]): Found {
  let at: unknown = ctx.doc.contents;
  let node: unknown = resolveAlias(ctx, at);
  let key: unknown;
  for (const seg of segments) {
    let next: unknown;
    let nextAt: unknown;
    let nextKey: unknown;
    if (isMap(node)) {
      const pair = pairNamed(ctx, node, seg);
      if (pair) {
        nextAt = pair.value;
        next = resolveAlias(ctx, nextAt);
        nextKey = pair.key;
        // `key:` with no value: point at the key.
        if (next === null || next === undefined || isEmptyScalar(next)) nextAt = next = pair.key;
      }
    } else if (isSeq(node) && /^\d+$/.test(seg)) {
      nextAt = node.items[Number(seg)];
      next = resolveAlias(ctx, nextAt);
    }
    if (next === undefined) return { node: undefined, at: undefined, key: undefined, nearest: node, nearestAt: at, nearestKey: key };
    node = next;
    at = isAlias(nextAt) ? nextAt : next;
    key = nextKey;
  }
  return { node, at, key, nearest: node, nearestAt: at, nearestKey: key };
}

/** The key node named `name` in the mapping at `segments` (for unknown-field errors). */
export function findKey(ctx: DocContext, segments: readonly string[], name: string): unknown {
  const { node } = findNode(ctx, segments);
  if (!isMap(node)) return undefined;
  const pair = pairNamed(ctx, node, name) ?? node.items.find((p) => isPair(p) && dataKey(ctx, p) === name);
  return pair?.key;
}

/** Below this many pairs a scan costs less than building an index. */
const INDEX_FROM = 32;

/**
 * Each large mapping's pairs by key name (the first pair of each name, as a scan from the top
 * finds it), made when the mapping is first searched and kept with its node: a document of
 * 300,000 unknown fields has an error for each, located by its key, and a scan of the mapping per
 * error took a quarter of an hour (quadratic) while the command heard no interrupt. Keyed by the
 * node, so it goes with the parsed document; `items` is kept to see that the pairs are still those
 * it indexed (parse.ts drops some of a document's pairs before anything locates them).
 */
const pairIndexes = new WeakMap<YAMLMap, { items: readonly unknown[]; byName: Map<string, Pair> }>();

/** The first pair of MAP whose key reads as `name` (aliases followed), or undefined. */
function pairNamed(ctx: DocContext, map: YAMLMap, name: string): Pair | undefined {
  const items = map.items as readonly unknown[];
  if (items.length < INDEX_FROM) return map.items.find((p) => isPair(p) && keyString(ctx, p.key) === name);
  let index = pairIndexes.get(map);
  if (index?.items !== items) {
    const byName = new Map<string, Pair>();
    for (const p of map.items) {
      if (!isPair(p)) continue;
      const key = keyString(ctx, p.key);
      if (key !== undefined && !byName.has(key)) byName.set(key, p);
    }
    index = { items, byName };
    pairIndexes.set(map, index);
  }
  return index.byName.get(name);
}

/**
 * The name yaml gives a pair's key in the plain data (what ajv names): a null key is "", a
 * collection key its flow text ("[ a, b ]"). Worked out as yaml does, from a map of that pair
 * alone, and only where keyString finds no key (a problem is being reported).
 */
function dataKey(ctx: DocContext, pair: unknown): string | undefined {
  const one = new YAMLMap(ctx.doc.schema);
  one.items = [pair as YAMLMap['items'][number]];
  const data: unknown = one.toJS(ctx.doc);
  return data !== null && typeof data === 'object' ? Object.keys(data)[0] : undefined;
}

/** A null written as nothing at all (`key:`): it has no place of its own, its key does. */
function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && node.value === null && (!node.range || node.range[0] === node.range[1]);
}

function keyString(ctx: DocContext, key: unknown): string | undefined {
  const k = resolveAlias(ctx, key);
  if (isScalar(k)) return String(k.value);
  return undefined;
}

/**
 * Dotted path → location of the value node, for every node in the document
 * ("spec.variables.0.name"). Iterative; documents have been depth-checked already.
 */
export function collectLocations(ctx: DocContext): FieldLocations {
  return expandLocations(indexLocations(ctx));
}

/**
 * A document's field locations kept compactly: each path and its offset, in collectLocations'
 * order, with what turns an offset into a line and column. The loader keeps this and expands it
 * only when a location is asked for (to report a problem): locating every field of every document
 * (335,000 entries for 5,000 prompt files) took ≈ 0.15 s, indexing them takes about half that.
 */
export interface LocationIndex {
  file: string;
  /** The file's line starts (its LineCounter's, shared by the file's documents). */
  lineStarts: readonly number[];
  /** Where a node without a range is placed: the document's start. */
  docStart: number;
  paths: string[];
  offsets: number[];
}

/**
 * The dotted paths of a load, each made once and shared by every document that has it
 * ("spec" and "model" → "spec.model"), so that thousands of indexes keep one copy of each.
 */
export class PathNames {
  private readonly keyed = new Map<string, Map<string, string>>();
  private readonly indexed = new Map<string, string[]>();

  /** The path of mapping key `key` under `parent` (at the root, the key itself). */
  key(parent: string, key: string): string {
    let children = this.keyed.get(parent);
    if (!children) this.keyed.set(parent, (children = new Map()));
    let path = children.get(key);
    if (path === undefined) children.set(key, (path = parent ? `${parent}.${key}` : key));
    return path;
  }

  /** The path of sequence item `i` under `parent` (".0" at the root, as it always was). */
  item(parent: string, i: number): string {
    let children = this.indexed.get(parent);
    if (!children) this.indexed.set(parent, (children = []));
    return (children[i] ??= `${parent}.${i}`);
  }
}

/** The LocationIndex of a document: every node's path and start offset, nothing located yet. */
export function indexLocations(ctx: DocContext, names: PathNames = new PathNames()): LocationIndex {
  const docStart = ctx.doc.range[0];
  const index: LocationIndex = { file: ctx.file, lineStarts: ctx.lineCounter.lineStarts, docStart, paths: [], offsets: [] };
  const add = (path: string, node: unknown) => {
    index.paths.push(path);
    index.offsets.push((node as { range?: [number, number, number] } | null | undefined)?.range?.[0] ?? docStart);
  };
  // Parallel stacks (node, path, alias): this runs on every node of every document. What an
  // alias brings in is where the alias is used, not where its anchor is: `- *v` repeating a
  // variable is the second declaration, on its own line.
  const nodes: unknown[] = [ctx.doc.contents];
  const paths: string[] = [''];
  const aliases: unknown[] = [undefined];
  while (nodes.length) {
    const node = resolveAlias(ctx, nodes.pop());
    const path = paths.pop()!;
    const via = aliases.pop();
    if (isMap(node)) {
      for (const p of node.items) {
        const k = keyString(ctx, p.key);
        if (k === undefined) continue;
        const childPath = names.key(path, k);
        const value = resolveAlias(ctx, p.value);
        // `key:` with no value: the key is where it is; an alias is where it is used.
        add(childPath, via ?? (value === null || value === undefined || isEmptyScalar(value) ? resolveAlias(ctx, p.key) : isAlias(p.value) ? p.value : value));
        if (isMap(value) || isSeq(value)) {
          nodes.push(value);
          paths.push(childPath);
          aliases.push(via ?? (isAlias(p.value) ? p.value : undefined));
        }
      }
    } else if (isSeq(node)) {
      const items = node.items;
      for (let i = 0; i < items.length; i++) {
        const childPath = names.item(path, i);
        const value = resolveAlias(ctx, items[i]);
        add(childPath, via ?? (isAlias(items[i]) ? items[i] : value));
        if (isMap(value) || isSeq(value)) {
          nodes.push(value);
          paths.push(childPath);
          aliases.push(via ?? (isAlias(items[i]) ? items[i] : undefined));
        }
      }
    }
  }
  return index;
}

/** The FieldLocations of an index: each path at its offset's line and column, as nodeStart gives them. */
export function expandLocations(index: LocationIndex): FieldLocations {
  const out: FieldLocations = {};
  const { file, lineStarts: starts, paths, offsets } = index;
  for (let i = 0; i < paths.length; i++) {
    const offset = offsets[i]!;
    // yaml's LineCounter.linePos (what positionOf calls), inlined: the last line start before the offset.
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (starts[mid]! < offset) low = mid + 1;
      else high = mid;
    }
    out[paths[i]!] =
      starts[low] === offset
        ? { file, line: low + 1, column: 1 }
        : low === 0
          ? { file, line: 0, column: offset }
          : { file, line: low, column: offset - starts[low - 1]! + 1 };
  }
  return out;
}

/**
 * Dotted path → location of the key node, for every mapping entry under `prefix` (a PromptTest's
 * cases: a var's name is its key). Iterative, like collectLocations. With `anchored`, the same walk
 * fills it too: dotted path → where the value is written, for every value under `prefix` that an
 * alias brings in (`vars: *v`, `name: *n`), the anchored node's start, which `locations` (the alias,
 * where it is used) does not give. A value wrong wherever its anchor is used is fixed at the
 * anchor, once (PromptTest vars, rules/test-vars.ts).
 */
export function collectKeyLocations(ctx: DocContext, prefix: readonly string[], anchored?: FieldLocations): FieldLocations {
  const out: FieldLocations = {};
  const start = findNode(ctx, prefix).node;
  if (start === undefined) return out;
  // [node, path, reached through an alias]
  const stack: [unknown, string, boolean][] = [[start, prefix.join('.'), false]];
  const visit = (raw: unknown, path: string, via: boolean): void => {
    const value = resolveAlias(ctx, raw);
    const aliased = via || isAlias(raw);
    if (anchored && aliased && value !== null && value !== undefined) anchored[path] = nodeStart(ctx, value);
    if (isMap(value) || isSeq(value)) stack.push([value, path, aliased]);
  };
  while (stack.length) {
    const [raw, path, via] = stack.pop()!;
    const node = resolveAlias(ctx, raw);
    if (isMap(node)) {
      for (const p of node.items) {
        const k = keyString(ctx, p.key);
        if (k === undefined) continue;
        const childPath = path ? `${path}.${k}` : k;
        out[childPath] = nodeStart(ctx, p.key);
        visit(p.value, childPath, via);
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => visit(item, `${path}.${i}`, via));
  }
  return out;
}
