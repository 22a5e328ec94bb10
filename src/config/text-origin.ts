// Where a prompt text's characters stand in its file: the start of a string scalar, and for
// folded or escaped text the source line each part of the value came from, so that a finding
// inside the text (a placeholder, a banned phrase) is reported at file:line:column.
import { isScalar, Scalar, type Node } from 'yaml';
import type { TextAnchor, TextOrigin } from '../model/types.js';
import { positionOf, resolveAlias, type DocContext, type FileText } from './nodes.js';

/** Where the text of a string scalar starts, and whether its lines map 1:1 onto the source. */
export function scalarTextOrigin(ctx: DocContext, raw: unknown): TextOrigin {
  return originOfScalar(ctx, resolveAlias(ctx, raw), ctx.doc.range[0]);
}

/**
 * scalarTextOrigin, worked out on the first call: only a finding inside the text is located with
 * it, and a clean run has none (reading the source around every prompt text cost about 2 % of
 * validating 5,000 files). The node is found now; what is kept is it and the file's text, not the
 * document's tree.
 */
export function scalarTextOriginLater(ctx: DocContext, raw: unknown): () => TextOrigin {
  const text: FileText = { file: ctx.file, src: ctx.src, lineCounter: ctx.lineCounter };
  const node = resolveAlias(ctx, raw);
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
