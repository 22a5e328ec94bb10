// Spaces other than ASCII's where YAML needs an ASCII one: a line indented with a non-breaking
// space (pasted from a web page or a word processor), or one after a key's `:` (in a block or a
// flow collection) or a block list item's `-`, or at an edge of a plain text (after a flow
// collection's `,`, before a comment's `#`), or in an anchor's, alias's or tag's name. YAML reads
// each as text, so the document means something else than it shows; found once a file (a regex,
// then yaml's own CST tokens) and told to each document as YamlProblems (yaml-problems.ts words them).
import { Scalar, visit, type CST, type Document } from 'yaml';
import type { YamlProblem } from './yaml-problems.js';
import { OTHER_SPACES } from '../util/escapes.js';

/** Whether a text holds one of them at all (asked once a file, before any line is looked at). */
export const MAY_HOLD_OTHER_SPACE = new RegExp(`[${OTHER_SPACES}]`);
/** A line whose indentation is, or ends in, one of them (copied from a web page or a word processor). */
const OTHER_SPACE_INDENT = new RegExp(`^[ \\t]*([${OTHER_SPACES}])`, 'gm');
/** One right after a `:` or a `-`: where a key's or a list item's separator may be one (otherSpaceSeparators tells). */
const AFTER_INDICATOR = new RegExp(`[:-][${OTHER_SPACES}]`, 'g');
/** One at the start of a text: its first character. */
const LEADING_OTHER_SPACE = new RegExp(`^[${OTHER_SPACES}]`);
/** What may stand before a key on its line in a block: indentation, list items' `- `, an anchor and a tag. */
const BEFORE_BLOCK_KEY = /^[ \t]*(?:-[ \t]+)*(?:[&!][^\s]*[ \t]+)*$/;

/**
 * Ideographic spaces (U+3000) indenting a paragraph of Japanese or Chinese text, as those languages
 * indent one: before text on their line that holds a character beyond ASCII. Text as it shows;
 * before ASCII text alone (`maxTokens: <U+3000>100`) they are an input method's slip.
 */
const PARAGRAPH_INDENT = /^\u3000+(?![\s\u2028\u2029])[^\r\n]*?[^\x00-\x7f\s\u2028\u2029]/;

/**
 * A plain text YAML reads as a number, a boolean or null (the core schema's forms): what stands
 * before such a space and a `#` is then a value with its comment, not text going on.
 */
const NOT_TEXT = /^(?:[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|true|True|TRUE|false|False|FALSE|null|Null|NULL|~)$/;

/** A run of them: where one stands at an edge of a plain text or in a name (otherSpaceEdges tells). */
const OTHER_SPACE_RUN = new RegExp(`[${OTHER_SPACES}]+`, 'g');
/** What stands right before a plain text's first character: a separator, an indicator, a line's start. */
const BEFORE_TEXT = /[ \t\r\n,[{:?-]/;
/** What stands right after a plain text's last character: a line's end, a separator, an indicator, a comment's `#`. */
const AFTER_TEXT = /[ \t\r\n,\]}:#]/;
/** A tag right before a text's first character, with no space between: `!!str`, `!<tag:…>`. */
const TAG_BEFORE = /(?:^|[ \t\r\n,[{])(!<[^>\s]*>|![^ \t\r\n,[\]{}<]*)$/;
/** An anchor's, an alias's or a tag's name running up to the end of a text: `&name`, `*name`, `!tag`. */
const IN_NAME = /(?:^|[ \t\r\n,[{])[&*!][^ \t\r\n,[\]{}]*$/;

const OTHER_SPACE_NAMES: Readonly<Record<string, string>> = {
  '\u00a0': 'a non-breaking space',
  '\u1680': 'an Ogham space mark',
  '\u2000': 'an en quad',
  '\u2001': 'an em quad',
  '\u2002': 'an en space',
  '\u2003': 'an em space',
  '\u2004': 'a three-per-em space',
  '\u2005': 'a four-per-em space',
  '\u2006': 'a six-per-em space',
  '\u2007': 'a figure space',
  '\u2008': 'a punctuation space',
  '\u2009': 'a thin space',
  '\u200a': 'a hair space',
  '\u202f': 'a narrow non-breaking space',
  '\u205f': 'a medium mathematical space',
  '\u3000': 'an ideographic space',
  '\ufeff': 'an invisible byte order mark',
};

/** A space of OTHER_SPACES as a message names it: "a non-breaking space (U+00A0)". */
export function otherSpaceName(ch: string): string {
  return `${OTHER_SPACE_NAMES[ch] ?? 'a space other than ASCII\'s'} (${codePoint(ch)})`;
}

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Each line of `src` that such a space indents, or where one stands after its list item's `-` or
 * its key's `:` (otherSpaceSeparators), at an edge of a plain text or in a name (otherSpaceEdges),
 * read from `tokens`, the file's CST, at that space, in order: once a file. A byte order mark
 * between documents, where YAML allows one (yaml's own token), is none.
 */
export function otherSpaceLines(src: string, tokens: readonly CST.Token[]): YamlProblem[] {
  const marks = new Set(tokens.filter((t) => t.type === 'byte-order-mark').map((t) => t.offset));
  const out: YamlProblem[] = [];
  let d = 0;
  // The plain value whose paragraph was found last: its later lines are looked up in it, not from
  // the document down again (a value of 100,000 such lines is one lookup).
  let value: Sourced | undefined;
  for (const m of src.matchAll(OTHER_SPACE_INDENT)) {
    const at = m.index + m[0].length - 1;
    if (marks.has(at)) continue;
    if (PARAGRAPH_INDENT.test(src.slice(at, at + 256))) {
      // A paragraph of a plain value (its first line or a later one): that value's text.
      if (value && at > value.offset && isParagraphIndent(src, at, value)) continue;
      while (d + 1 < tokens.length && tokens[d + 1]!.offset <= at) d++;
      const holder: Holder = {};
      const t = tokens[d]?.type === 'document' ? tokenAt(tokens[d]!, at, holder) : undefined;
      if (t?.type === 'scalar' && at >= t.offset && holder.item?.key !== t && isParagraphIndent(src, at, t)) {
        value = t;
        continue;
      }
    }
    out.push({ code: 'SPACE_AS_INDENT', message: m[1]!, pos: [at, at + 1] });
  }
  out.push(...otherSpaceSeparators(src, tokens));
  // One problem a space: an indent or a separator is the more telling of what it is at an edge.
  const taken = new Set(out.map((p) => p.pos[0]));
  out.push(...otherSpaceEdges(src, tokens).filter((p) => !taken.has(p.pos[0])));
  return out.sort((a, b) => a.pos[0] - b.pos[0]);
}

/**
 * Where such a space stands at an edge of a plain text (a key, a value, a list item), which YAML
 * reads as that text's character where an ASCII space would be none: its first (after a flow
 * collection's `,`, `[` or `{`, which need no space after them, or after the separator's ASCII
 * space), its last (before `:`, `,`, a closing bracket or the line's end), or the one before a
 * `#`, which then starts no comment (`maxTokens: 100<space># cap` is the text "100 # cap"; before
 * `#1234`, a number, it is text as it shows, but after a number or a boolean, `100<space>#2 teams`, a comment). Also one inside an anchor's, an alias's or a tag's
 * name, which YAML runs on to the next ASCII space (`&a<space>value` anchors an empty value). A run between two characters of a word (`Prix<space>:`
 * in French typography) is text and is not looked up; a multi-line text's inner line ends are
 * its own; a key that does not start its line in a block is yaml's own error (a compact mapping).
 */
function otherSpaceEdges(src: string, tokens: readonly CST.Token[]): YamlProblem[] {
  const out: YamlProblem[] = [];
  let d = 0;
  let last: Sourced | undefined;
  // The quoted or | > text last found: the runs after it inside it are its own, not looked up again.
  let own = -1;
  // The plain text last found: a run strictly inside it, not before a `#`, is at none of its edges
  // (what is looked for below), so not looked up again: a text of 100,000 such lines is one lookup.
  let plain: Sourced | undefined;
  for (const m of src.matchAll(OTHER_SPACE_RUN)) {
    const at = m.index;
    const end = at + m[0].length;
    if (at < own) continue;
    const edge = at === 0 || BEFORE_TEXT.test(src[at - 1]!) || end === src.length || AFTER_TEXT.test(src[end]!);
    // The 256 characters before it, sliced only when asked.
    const before = () => src.slice(Math.max(0, at - 256), at);
    if (!edge && !IN_NAME.test(before()) && !TAG_BEFORE.test(before())) continue;
    if (plain && at > plain.offset && end < plain.offset + plain.source.length && src[end] !== '#') continue;
    while (d + 1 < tokens.length && tokens[d + 1]!.offset <= at) d++;
    const doc = tokens[d];
    if (doc?.type !== 'document') continue;
    const holder: Holder = {};
    const t = tokenAt(doc, at, holder);
    if (t && t.type !== 'scalar' && t.type.endsWith('scalar')) own = endOf(t);
    if (t?.type === 'scalar') plain = t;
    // One problem a text: its first such space is the news.
    if (!t || t === last || at < t.offset || at >= t.offset + t.source.length) continue;
    const problem = { message: src[at]!, pos: [at, at + 1] as [number, number] };
    if (t.type === 'anchor' || t.type === 'alias' || t.type === 'tag') {
      last = t;
      out.push({ ...problem, code: 'SPACE_IN_NAME', key: src.slice(t.offset, at), role: t.type });
      continue;
    }
    if (t.type !== 'scalar') continue;
    const item = holder.item;
    const role = item?.key === t ? 'key' : holder.seq ? 'item' : 'value';
    // Made only for a problem: most runs inside a long text are none, and quoting its start for
    // each of them made a text of 100,000 such lines quadratic.
    const text = () => ({ ...problem, code: 'SPACE_IN_TEXT', key: shownText(t.source), role }) as const;
    if (at === t.offset) {
      // `!!str<space>value`: a tag needs an ASCII space after it (a tag's name holds no such
      // space, so yaml ends it there); not a paragraph's indent, whatever the text.
      const tag = src[at - 1] === ' ' || src[at - 1] === '\n' ? undefined : TAG_BEFORE.exec(before())?.[1];
      if (tag) {
        out.push({ ...text(), edge: 'start', tag });
        last = t;
        continue;
      }
      const after = /[,[{]/.test(src[at - 1] ?? '') ? src[at - 1] : undefined;
      // A value's or an item's paragraph after its separator's ASCII space: its text (not right after a flow `,`, `[`, `{`).
      if (!after && role !== 'key' && isParagraphIndent(src, at, t)) continue;
      out.push({ ...text(), edge: 'start', ...(after ? { after } : {}) });
    }
    else if (end === t.offset + t.source.length) {
      if (role !== 'key' || holder.flow || BEFORE_BLOCK_KEY.test(src.slice(src.lastIndexOf('\n', t.offset - 1) + 1, t.offset))) out.push({ ...text(), edge: 'end' });
    } else if (src[end] === '#') {
      // `ticket<space>#1234`: a number, as it shows; no comment starts with a digit right after its `#`.
      // Not after a value YAML reads as no text (`maxTokens: 100<space>#2 teams`): a comment was meant.
      if (/[0-9]/.test(src[end + 1] ?? '') && !NOT_TEXT.test(src.slice(t.offset, at))) continue;
      out.push({ ...text(), edge: 'comment' });
    }
    else continue;
    last = t;
  }
  return out;
}

/** Whether the run at `at` indents a paragraph (PARAGRAPH_INDENT) of the plain text `t`, by that text alone (not a comment after it). */
function isParagraphIndent(src: string, at: number, t: Sourced): boolean {
  return at < t.offset + t.source.length && PARAGRAPH_INDENT.test(src.slice(at, Math.min(t.offset + t.source.length, at + 256)));
}

/** Where a token's text ends: a | or > text's after its header's line (its `props`), another's after its own. */
function endOf(t: Sourced & { props?: Sourced[] }): number {
  const header = t.props?.[t.props.length - 1];
  return (header ? header.offset + header.source.length : t.offset) + t.source.length;
}

/**
 * A plain text as a message shows it: its lines joined as YAML folds them (the space may be on
 * its last), without such spaces at its ends, cut at 40 characters.
 */
function shownText(source: string): string {
  // Its start is enough to show (it is looked at for every run it holds, so never all of a long one).
  const line = source.slice(0, 4096).replace(/[ \t]*\r?\n[ \t\r\n]*/g, ' ').replace(new RegExp(`^[${OTHER_SPACES}]+|[${OTHER_SPACES}\\s]+$`, 'g'), '');
  return line.length > 40 ? `${line.slice(0, 39)}…` : line;
}

/**
 * Where such a space stands for the ASCII one YAML needs after a key's `:` (plain, quoted, with an
 * anchor or a tag, holding spaces) or a block list item's `-`, as yaml's own tokens show it: a
 * plain scalar that starts its line (after the indentation, `- ` and the key's anchor or tag), or
 * a flow collection's item (`{model:<space>x}`, `[model:<space>x]`), with `key:<space>` or (on its
 * line) `-<space>` on its first line, which YAML read as text; one starting `:<space>` right after
 * a quoted scalar that starts its line; or, in a flow collection, a `:` right after a quoted key,
 * where YAML reads the space as its value's first character (`flow: 'value'`). A plain value's
 * next line (text to YAML, its `Note:` too), a colon within a value, and quoted and | > texts are
 * left alone. Each `:` or `-` before such a space is looked up in its document's tokens (tokenAt),
 * nothing else is walked.
 */
function otherSpaceSeparators(src: string, tokens: readonly CST.Token[]): YamlProblem[] {
  const marks = [...src.matchAll(AFTER_INDICATOR)].map((m) => m.index);
  if (marks.length === 0) return [];
  const out: YamlProblem[] = [];
  const startsLine = (offset: number) => BEFORE_BLOCK_KEY.test(src.slice(src.lastIndexOf('\n', offset - 1) + 1, offset));
  const problem = (at: number, key: string): YamlProblem => ({ code: 'SPACE_AS_SEPARATOR', message: src[at + 1]!, key, pos: [at + 1, at + 2] });
  let d = 0;
  for (const at of marks) {
    // The document holding it: the last top-level token starting at or before it (both in file order).
    while (d + 1 < tokens.length && tokens[d + 1]!.offset <= at) d++;
    const doc = tokens[d];
    if (doc?.type !== 'document') continue;
    const holder: Holder = {};
    const t = tokenAt(doc, at, holder);
    const flowItem = holder.flow ? holder.item : undefined;
    if (t?.type === 'map-value-ind' && t.offset === at && flowItem?.sep?.[0] === t) {
      // `{"model":<space>x}`: after a quoted key a flow `:` needs no space, and the value starts with this one.
      const q = flowItem.key;
      if ((q?.type === 'double-quoted-scalar' || q?.type === 'single-quoted-scalar') && q.offset + q.source.length === at) out.push({ ...problem(at, `${q.source.slice(1, -1)}:`), flow: 'value' });
      continue;
    }
    // Only a plain scalar's first line: a later one is text to YAML, so is every quoted or | > one.
    if (t?.type !== 'scalar' || at < t.offset || at >= t.offset + t.source.length || src.lastIndexOf('\n', at) >= t.offset) continue;
    // A flow item's key, or an item of a flow sequence: what a plain scalar starting its line is in a block.
    const flowKey = flowItem !== undefined && (flowItem.key === t || (flowItem.value === t && !flowItem.key && !flowItem.sep?.length));
    if (at > t.offset) {
      // The first `:<space>` of a key's scalar ends the key YAML would have read.
      if (src[at] === ':' && firstSeparator(src.slice(t.offset, at + 2)) === at - t.offset) {
        if (flowKey) out.push({ ...problem(at, src.slice(t.offset, at + 1)), flow: 'text' });
        else if (startsLine(t.offset)) out.push(problem(at, src.slice(t.offset, at + 1)));
      }
    } else if (src[at] === '-') {
      if (startsLine(at)) out.push(problem(at, '-'));
    } else {
      // `:<space>` after a quoted key: yaml keeps it as stray text after that scalar.
      const q = tokenAt(doc, at - 1);
      if ((q?.type === 'double-quoted-scalar' || q?.type === 'single-quoted-scalar') && q.offset + q.source.length === at && startsLine(q.offset)) out.push(problem(at, `${q.source.slice(1, -1)}:`));
    }
  }
  return out;
}

/** Index of the first `:` followed by such a space in `line`, or -1. */
function firstSeparator(line: string): number {
  for (let i = line.indexOf(':'); i !== -1; i = line.indexOf(':', i + 1)) if (LEADING_OTHER_SPACE.test(line.slice(i + 1, i + 2))) return i;
  return -1;
}

type Sourced = { type: string; offset: number; source: string };

/** Where tokenAt found its token: the collection item holding it, and whether that is a flow collection's. */
interface Holder {
  item?: { key?: Sourced | null; sep?: Sourced[]; value?: Sourced };
  flow?: boolean;
  /** That collection is a list (a block one's `-` items, or a flow one's `[`). */
  seq?: boolean;
}

/**
 * The token of a CST document, with its own source, that holds `at`: from the document down, at
 * each level the last part that starts at or before it (a collection's items by binary search),
 * without recursion. A token whose text ends before `at` may come back: the caller checks.
 * `holder` is told the innermost collection item on the way.
 */
function tokenAt(doc: CST.Token, at: number, holder: Holder = {}): Sourced | undefined {
  let node: unknown = doc;
  for (let depth = 0; depth < 10_000 && node; depth++) {
    const t = node as Record<string, unknown>;
    if (typeof t.source === 'string' && typeof t.offset === 'number' && (at < t.offset + t.source.length || !t.end)) return t as unknown as Sourced;
    const items = t.items as unknown[] | undefined;
    let next: unknown;
    // A block collection's items (a mapping may hold thousands); a flow collection's parts below.
    if (items && t.type !== 'flow-collection') {
      let lo = 0;
      for (let hi = items.length; lo < hi; ) {
        const mid = (lo + hi) >>> 1;
        if (startOf(items[mid]) <= at) lo = mid + 1;
        else hi = mid;
      }
      next = items[lo - 1];
      if (next !== undefined) Object.assign(holder, { item: next, flow: false, seq: t.type === 'block-seq' });
    } else {
      for (const p of partsOf(t)) {
        if (startOf(p) <= at) next = p;
        else break;
      }
      // A flow collection's item (a token has a type, an item has none).
      if (t.type === 'flow-collection' && next !== undefined && typeof (next as { type?: unknown }).type !== 'string') {
        Object.assign(holder, { item: next, flow: true, seq: (t.start as Sourced | undefined)?.source === '[' });
      }
    }
    if (next === undefined || next === node) return undefined;
    node = next;
  }
  return undefined;
}

/** A CST node's parts in document order (a token's own text is its first). */
function partsOf(t: Record<string, unknown>): unknown[] {
  const list = (x: unknown): unknown[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
  // A token with its own text: then what yaml kept after it (a quoted key's stray `:<space>x`).
  if (typeof t.source === 'string') return list(t.end);
  // A flow collection: its bracket, its items, its closing bracket and after.
  if (t.type === 'flow-collection') return [...list(t.start), ...list(t.items), ...list(t.end)];
  // A document, or a collection's item (start, key, sep, value); a document's end after its value.
  return [...list(t.start), ...list(t.key), ...list(t.sep), ...list(t.value), ...list(t.end)];
}

/** Where a CST part starts (an item: its first part), or Infinity for an empty one. */
function startOf(p: unknown): number {
  const t = p as Record<string, unknown> | undefined;
  if (!t) return Infinity;
  if (typeof t.offset === 'number') return t.offset;
  for (const x of partsOf(t)) {
    const s = startOf(x);
    if (s !== Infinity) return s;
  }
  return Infinity;
}

/**
 * Those of `lines` (otherSpaceLines, in order) that indent a line of `doc`: YAML takes such a
 * space for the first character of a key or value (a key "\u00a0 model" at the top level, `spec`
 * left empty) or of a plain value's next line. Inside a quoted or a | or > text it is that text's
 * own character. `until`: where the next document starts (the end of the file for the last), as
 * a document's range ends before text yaml could not place (`"model":<space>x` ends at the quote).
 */
export function otherSpaceIndents(doc: Document.Parsed, lines: readonly YamlProblem[], until: number): YamlProblem[] {
  const start = doc.range[0];
  const end = Math.max(doc.range[2], until);
  // The first at or after the document's start (binary search: a file may hold thousands of documents).
  let lo = 0;
  for (let hi = lines.length; lo < hi; ) {
    const mid = (lo + hi) >>> 1;
    if (lines[mid]!.pos[0] < start) lo = mid + 1;
    else hi = mid;
  }
  const out: YamlProblem[] = [];
  let texts: [number, number][] | undefined;
  // Both in document order: one pass over each.
  let t = 0;
  for (let i = lo; i < lines.length && lines[i]!.pos[0] < end; i++) {
    const at = lines[i]!.pos[0];
    texts ??= writtenTexts(doc);
    while (t < texts.length && texts[t]![1] <= at) t++;
    if (!(t < texts.length && at > texts[t]![0])) out.push(lines[i]!);
  }
  return out;
}

/** The ranges of the quoted and block scalars of `doc`, in document order: text whose every character is its own. */
function writtenTexts(doc: Document.Parsed): [number, number][] {
  const out: [number, number][] = [];
  visit(doc, {
    Scalar(_, node) {
      if (node.range && node.type !== Scalar.PLAIN) out.push([node.range[0], node.range[1]]);
    },
  });
  return out;
}
