// Finding YAML nodes by data path, and their positions: the bridge between plain data (what
// ajv and the model see) and file:line:column (what users see).
import { isAlias, isMap, isPair, isScalar, isSeq, Scalar, YAMLMap, type Document, type LineCounter, type Node } from 'yaml';
import type { FieldLocations, SourceLocation, TextAnchor, TextOrigin } from '../model/types.js';

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

function resolve(ctx: DocContext, node: unknown): unknown {
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
  let node: unknown = resolve(ctx, at);
  let key: unknown;
  for (const seg of segments) {
    let next: unknown;
    let nextAt: unknown;
    let nextKey: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyString(ctx, p.key) === seg);
      if (pair) {
        nextAt = pair.value;
        next = resolve(ctx, nextAt);
        nextKey = pair.key;
        // `key:` with no value: point at the key.
        if (next === null || next === undefined || isEmptyScalar(next)) nextAt = next = pair.key;
      }
    } else if (isSeq(node) && /^\d+$/.test(seg)) {
      nextAt = node.items[Number(seg)];
      next = resolve(ctx, nextAt);
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
  const pair = node.items.find((p) => isPair(p) && keyString(ctx, p.key) === name) ?? node.items.find((p) => isPair(p) && dataKey(ctx, p) === name);
  return pair?.key;
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
  const k = resolve(ctx, key);
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
  // Two parallel stacks (node, path): this runs on every node of every document.
  const nodes: unknown[] = [ctx.doc.contents];
  const paths: string[] = [''];
  while (nodes.length) {
    const node = resolve(ctx, nodes.pop());
    const path = paths.pop()!;
    if (isMap(node)) {
      for (const p of node.items) {
        const k = keyString(ctx, p.key);
        if (k === undefined) continue;
        const childPath = names.key(path, k);
        const value = resolve(ctx, p.value);
        // `key:` with no value: the key is where it is; an alias is where it is used.
        add(childPath, value === null || value === undefined || isEmptyScalar(value) ? resolve(ctx, p.key) : isAlias(p.value) ? p.value : value);
        if (isMap(value) || isSeq(value)) {
          nodes.push(value);
          paths.push(childPath);
        }
      }
    } else if (isSeq(node)) {
      const items = node.items;
      for (let i = 0; i < items.length; i++) {
        const childPath = names.item(path, i);
        const value = resolve(ctx, items[i]);
        add(childPath, isAlias(items[i]) ? items[i] : value);
        if (isMap(value) || isSeq(value)) {
          nodes.push(value);
          paths.push(childPath);
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
 * cases: a var's name is its key). Iterative, like collectLocations.
 */
export function collectKeyLocations(ctx: DocContext, prefix: readonly string[]): FieldLocations {
  const out: FieldLocations = {};
  const start = findNode(ctx, prefix).node;
  if (start === undefined) return out;
  const stack: [unknown, string][] = [[start, prefix.join('.')]];
  while (stack.length) {
    const [raw, path] = stack.pop()!;
    const node = resolve(ctx, raw);
    if (isMap(node)) {
      for (const p of node.items) {
        const k = keyString(ctx, p.key);
        if (k === undefined) continue;
        const childPath = path ? `${path}.${k}` : k;
        out[childPath] = nodeStart(ctx, p.key);
        const value = resolve(ctx, p.value);
        if (isMap(value) || isSeq(value)) stack.push([value, childPath]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const value = resolve(ctx, item);
        if (isMap(value) || isSeq(value)) stack.push([value, `${path}.${i}`]);
      });
    }
  }
  return out;
}

/** Where the text of a string scalar starts, and whether its lines map 1:1 onto the source. */
export function scalarTextOrigin(ctx: DocContext, raw: unknown): TextOrigin {
  return originOfScalar(ctx, resolve(ctx, raw), ctx.doc.range[0]);
}

/**
 * scalarTextOrigin, worked out on the first call: only a finding inside the text is located with
 * it, and a clean run has none (reading the source around every prompt text cost about 2 % of
 * validating 5,000 files). The node is found now; what is kept is it and the file's text, not the
 * document's tree.
 */
export function scalarTextOriginLater(ctx: DocContext, raw: unknown): () => TextOrigin {
  const text: FileText = { file: ctx.file, src: ctx.src, lineCounter: ctx.lineCounter };
  const node = resolve(ctx, raw);
  const docStart = ctx.doc.range[0];
  let origin: TextOrigin | undefined;
  return () => (origin ??= originOfScalar(text, node, docStart));
}

/** scalarTextOrigin of a node with its aliases resolved; one without a range is at `docStart`. */
function originOfScalar(ctx: FileText, resolved: unknown, docStart: number): TextOrigin {
  const node = resolved as Node | null;
  const start = positionOf(ctx, node?.range?.[0] ?? docStart);
  const inexact: TextOrigin = { ...start, exact: false, indentColumn: start.column };
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return inexact;
  const value = node.value;
  const [from, to] = node.range;
  switch (node.type) {
    case Scalar.BLOCK_LITERAL:
      return literalOrigin(ctx, from, value) ?? inexact;
    case Scalar.BLOCK_FOLDED: {
      // Folding joins lines: each source line's text is found again in the value, in order.
      const o = literalOrigin(ctx, from, value);
      const nl = ctx.src.indexOf('\n', from);
      const anchors = nl === -1 ? [] : lineAnchors(ctx, nl + 1, to, value);
      return o ? { ...o, exact: false, anchors } : { ...inexact, anchors };
    }
    case Scalar.PLAIN: {
      const rawText = ctx.src.slice(from, to);
      if (rawText === value) return { ...start, exact: true, indentColumn: start.column };
      return { ...inexact, anchors: lineAnchors(ctx, from, to, value) };
    }
    case Scalar.QUOTE_DOUBLE:
    case Scalar.QUOTE_SINGLE: {
      // Exact only when nothing was escaped or folded: then text offsets are source offsets.
      const rawText = ctx.src.slice(from + 1, to - 1);
      if (rawText !== value) {
        const unescape = node.type === Scalar.QUOTE_DOUBLE ? unescapeDoubleQuoted : unescapeSingleQuoted;
        return { ...inexact, column: start.column, anchors: lineAnchors(ctx, from + 1, to - 1, value, unescape) };
      }
      return { file: start.file, line: start.line, column: start.column + 1, exact: true, indentColumn: start.column + 1 };
    }
    default:
      return inexact;
  }
}

/** Anchors past this many would only cost memory: a 2 MB folded text has 20,000 lines at most. */
const MAX_ANCHORS = 200_000;

/**
 * A source line as the text reads it: `text`, and `runs` (raw index, text index) where a verbatim
 * run starts after an escape, so columns stay exact past escapes.
 */
interface Unescaped {
  text: string;
  runs: [number, number][];
}
type Unescape = (raw: string) => Unescaped;

const verbatim: Unescape = (raw) => ({ text: raw, runs: [] });

/**
 * For text folded or escaped from source lines [from, to): each source line's text (trimmed,
 * escapes resolved) is looked up in `value` after the previous one, with only whitespace between
 * (what folding leaves). A line that does not reappear ends the mapping: later offsets stay at
 * the last line that matched.
 */
function lineAnchors(ctx: FileText, from: number, to: number, value: string, unescape: Unescape = verbatim): TextAnchor[] {
  const src = ctx.src;
  const anchors: TextAnchor[] = [];
  let cursor = 0;
  let lineStart = from;
  while (lineStart < to && anchors.length < MAX_ANCHORS) {
    let lineEnd = src.indexOf('\n', lineStart);
    if (lineEnd === -1 || lineEnd > to) lineEnd = to;
    let a = lineStart;
    let b = lineEnd;
    while (a < b && (src[a] === ' ' || src[a] === '\t')) a++;
    while (b > a && (src[b - 1] === ' ' || src[b - 1] === '\t' || src[b - 1] === '\r')) b--;
    if (b > a) {
      const { text, runs } = unescape(src.slice(a, b));
      const idx = value.startsWith(text, cursor) ? cursor : value.indexOf(text, cursor);
      if (idx === -1 || !/^\s*$/.test(value.slice(cursor, idx))) break;
      const { line, col } = ctx.lineCounter.linePos(a);
      anchors.push({ offset: idx, line, column: col });
      for (const [rawAt, textAt] of runs) anchors.push({ offset: idx + textAt, line, column: col + rawAt });
      cursor = idx + text.length;
    }
    lineStart = lineEnd + 1;
  }
  return anchors;
}

const DQ_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
};

/** One line of a double-quoted scalar as YAML reads it (a trailing backslash joins lines: dropped). */
const unescapeDoubleQuoted: Unescape = (raw) => {
  const runs: [number, number][] = [];
  let text = '';
  let last = 0;
  for (const m of raw.matchAll(/\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[^]|$)/g)) {
    const e = m[1]!;
    const cp = e.length > 1 ? parseInt(e.slice(1), 16) : -1;
    const resolved = e === '' ? '' : cp >= 0 ? (cp <= 0x10ffff ? String.fromCodePoint(cp) : m[0]) : (DQ_ESCAPES[e] ?? m[0]);
    text += raw.slice(last, m.index) + resolved;
    last = m.index + m[0].length;
    runs.push([last, text.length]);
  }
  return { text: text + raw.slice(last), runs };
};

/** One line of a single-quoted scalar: '' is one quote. */
const unescapeSingleQuoted: Unescape = (raw) => {
  const runs: [number, number][] = [];
  let text = '';
  let last = 0;
  for (let i = raw.indexOf("''"); i !== -1; i = raw.indexOf("''", last)) {
    text += raw.slice(last, i) + "'";
    last = i + 2;
    runs.push([last, text.length]);
  }
  return { text: text + raw.slice(last), runs };
};

/**
 * A literal block scalar (`|`): text line k is source line header+1+k, indented by a constant.
 * The indent is measured on the first non-empty line (source leading spaces minus the text's).
 */
function literalOrigin(ctx: FileText, headerOffset: number, value: string): TextOrigin | undefined {
  const src = ctx.src;
  const nl = src.indexOf('\n', headerOffset);
  if (nl === -1) return undefined;
  const contentStart = nl + 1;
  const valueLines = value.split('\n');
  const k = valueLines.findIndex((l) => l.trim() !== '');
  if (k === -1) return undefined;
  let lineStart = contentStart;
  for (let i = 0; i < k; i++) {
    const next = src.indexOf('\n', lineStart);
    if (next === -1) return undefined;
    lineStart = next + 1;
  }
  const leading = (s: string) => s.length - s.replace(/^ +/, '').length;
  const srcLine = src.slice(lineStart, src.indexOf('\n', lineStart) === -1 ? src.length : src.indexOf('\n', lineStart));
  const indent = leading(srcLine) - leading(valueLines[k]!);
  if (indent < 0) return undefined;
  const first = positionOf(ctx, contentStart);
  return { file: ctx.file, line: first.line, column: indent + 1, exact: true, indentColumn: indent + 1 };
}
