// Lexing YAML to its concrete syntax tree with the limits hostile input meets first: nesting
// (a 2 MB run of "[" would cost the parser gigabytes), tokens and documents a file may hold. What
// passes is composed into documents by parse.ts; nothing recursive has touched it yet. The same
// pass keeps the file's comments, as yaml's parser tells them, for the secrets rule.
import { CST, Lexer, LineCounter, Parser } from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import { groupThousands } from '../util/numbers.js';
import { messageOf } from '../util/errors.js';
import { withYamlEnv } from './yaml-env.js';

/** Deeper collections are refused before composing (real documents are 5 or 6 levels deep). */
export const MAX_DEPTH = 64;
/**
 * YAML tokens other than spaces and line breaks (keys, values, indicators; a block text is one or
 * two) a file may hold, and documents. An 8 MiB file of ordinary prompt documents holds about
 * 1.8 million tokens and 20,000 documents, and loads; a flow list of a million items, or 100,000
 * `---`, stops here within a few seconds. Parsing on is what cost tens of seconds and gigabytes
 * under the size cap (a 7.8 MB list of 3.9 million items: 43 s, 3.8 GB; 1.5 million empty
 * documents: 25 s).
 */
const MAX_LEXEMES = 3_000_000;
const MAX_DOCUMENTS = 100_000;
const TOO_MANY_LEXEMES = `more YAML than promptctl reads in one file: over ${groupThousands(MAX_LEXEMES)} tokens (keys, values, indicators) by here; split it into smaller files`;
const TOO_MANY_DOCUMENTS = `more documents than promptctl reads in one file: over ${groupThousands(MAX_DOCUMENTS)} by here; split it into smaller files`;

/**
 * Where nesting first passes MAX_DEPTH in `src` (which may be the cut-off start of a file), or
 * undefined. Lexing stops there, so this is cheap on any input.
 */
export function findDepthProblem(src: string, file: string): Diagnostic | undefined {
  const lineCounter = new LineCounter();
  const lexed = withYamlEnv(() => lexAndParse(src, lineCounter));
  if (!lexed.ok) return undefined;
  const offset = findTooDeep(lexed.tokens, MAX_DEPTH) ?? lexed.stoppedAt;
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  return { file, line, column: col, severity: 'error', rule: 'yaml/too-deep', message: TOO_DEEP };
}

export const TOO_DEEP = `nesting is deeper than ${MAX_DEPTH} levels; promptctl documents need only a few`;

/** A YAML comment: its text from the `#` to the end of its line, and the offset of the `#`. */
export interface YamlComment {
  offset: number;
  text: string;
}

/**
 * Lexes and parses to CST tokens, counting flow nesting on the way: 2 MB of "[" would cost the
 * parser gigabytes before findTooDeep could refuse it, so lexing stops at the first bracket past
 * the limit (`stoppedAt`) and the partial tokens are returned for findTooDeep to place. `comments`:
 * every comment lexed, in order (those before a stop too: they are in the file all the same).
 */
export function lexAndParse(
  src: string,
  lineCounter: LineCounter,
):
  | { ok: true; tokens: CST.Token[]; comments: YamlComment[]; stoppedAt?: number; tooMany?: { at: number; message: string } }
  | { ok: false; message: string } {
  const tokens: CST.Token[] = [];
  const comments: YamlComment[] = [];
  try {
    const parser = new Parser(lineCounter.addNewLine);
    lineCounter.addNewLine(0);
    let depth = 0;
    let lexemes = 0;
    let documents = 0;
    let inDocument = false;
    let stoppedAt: number | undefined;
    // The lexeme after the scalar marker is a scalar's source, whatever it starts with (a block
    // text's line `# heading`); any other lexeme starting with `#` is a comment. The parser reads
    // them so (Parser.next's atScalar): a `#` inside a quoted or block scalar is never one.
    let scalarNext = false;
    for (const lexeme of new Lexer().lex(src)) {
      if (lexeme === '[' || lexeme === '{') depth++;
      else if ((lexeme === ']' || lexeme === '}') && depth > 0) depth--;
      else if (lexeme === '\x02') depth = 0; // a new document
      const at = parser.offset;
      if (scalarNext) scalarNext = false;
      else if (lexeme === CST.SCALAR) scalarNext = true;
      else if (lexeme.charCodeAt(0) === 35 /* # */) comments.push({ offset: at, text: lexeme });
      // Nothing of such a file is used: no need to finish its tree.
      if (beginsDocument(lexeme, inDocument)) {
        inDocument = true;
        if (++documents > MAX_DOCUMENTS) return { ok: true, tokens, comments, tooMany: { at, message: TOO_MANY_DOCUMENTS } };
      } else if (lexeme === '...') inDocument = false;
      if (!isBlank(lexeme) && ++lexemes > MAX_LEXEMES) return { ok: true, tokens, comments, tooMany: { at, message: TOO_MANY_LEXEMES } };
      for (const t of parser.next(lexeme)) tokens.push(t);
      if (depth > MAX_DEPTH) {
        stoppedAt = at;
        break;
      }
    }
    for (const t of parser.end()) tokens.push(t);
    return stoppedAt === undefined ? { ok: true, tokens, comments } : { ok: true, tokens, comments, stoppedAt };
  } catch (err) {
    return { ok: false, message: messageOf(err) };
  }
}

/**
 * Whether a lexeme begins a document: every `---` does, and so does the first content of a file
 * or after a `...` (the lexer marks only the stream's start, `\x02`, before its first content).
 * Comments, directives, a byte-order mark and blanks belong to no document yet.
 */
function beginsDocument(lexeme: string, inDocument: boolean): boolean {
  if (lexeme === '---') return true;
  if (inDocument || lexeme === '\x02' || lexeme === '...' || lexeme === '\uFEFF' || isBlank(lexeme)) return false;
  const first = lexeme.charCodeAt(0);
  return first !== 35 /* # */ && first !== 37 /* % */;
}

/** A lexeme of spaces, tabs and line breaks only. */
function isBlank(lexeme: string): boolean {
  for (let i = 0; i < lexeme.length; i++) {
    const c = lexeme.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return true;
}

/**
 * Offset of the first collection nested deeper than `max`, or undefined. Iterative, on two
 * parallel stacks (node, depth) rather than a pair and a closure per node: it visits every CST
 * token of every file.
 */
export function findTooDeep(tokens: readonly CST.Token[], max: number): number | undefined {
  type Node = { type?: string; offset?: number; key?: unknown; value?: unknown; items?: unknown[] };
  const nodes: Node[] = [];
  const depths: number[] = [];
  const push = (x: unknown, d: number) => {
    if (x && typeof x === 'object') {
      nodes.push(x as Node);
      depths.push(d);
    }
  };
  for (const t of tokens) push(t, 0);
  while (nodes.length) {
    const t = nodes.pop()!;
    let d = depths.pop()!;
    if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') {
      d++;
      if (d > max) return t.offset ?? 0;
    }
    push(t.value, d);
    push(t.key, d);
    if (Array.isArray(t.items)) {
      for (const it of t.items as Node[]) {
        if (it.type) push(it, d);
        else {
          push(it.key, d);
          push(it.value, d);
        }
      }
    }
  }
  return undefined;
}
