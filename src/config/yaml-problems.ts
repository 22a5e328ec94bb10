// YAML problems (from yaml's parser, our own key checks in key-problems.ts and the spaces other
// than ASCII's in other-spaces.ts) turned into diagnostics at the place a person would point at:
// the quote or bracket left open, the over-indented line. Which of them are said at all, one
// mistake's echoes left out, is problem-echoes.ts's.
import { Scalar, visit, type Document } from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import { asItem } from './continued-items.js';
import { otherSpaceName } from './other-spaces.js';
import { quoteContinuation } from './problem-echoes.js';

export interface YamlProblem {
  code: string;
  message: string;
  pos: [number, number];
  /** For duplicate keys found by findDuplicateKeys: the offset of the first occurrence. */
  firstAt?: number;
  /** For a duplicate key written as an alias: the key its anchor names (the text there is `*name`); for a key rewritten, its name. */
  key?: string;
  /**
   * For SPACE_AS_SEPARATOR in a flow collection: after a plain key, which YAML reads with what
   * follows as one text (`text`), or after a quoted key, which YAML reads as its value's first character (`value`).
   */
  flow?: 'text' | 'value';
  /** For SPACE_IN_TEXT: the plain text's part that holds the space, and which edge of it; for SPACE_IN_NAME, which name. */
  role?: 'key' | 'value' | 'item' | 'anchor' | 'alias' | 'tag';
  edge?: 'start' | 'end' | 'comment';
  /** For SPACE_IN_TEXT at its start: the flow indicator right before the space (`,`, `[`, `{`). */
  after?: string;
  /** For SPACE_IN_TEXT at its start: the tag right before the space (`!!str`), which YAML needs an ASCII space after. */
  tag?: string;
}

/** Each yaml problem at the place a person would point at, in words that say what to do. */
export function yamlProblem(
  e: YamlProblem,
  doc: Document.Parsed,
  src: string,
  diag: (offset: number, rule: string, message: string) => Diagnostic,
): Diagnostic {
  switch (e.code) {
    case 'DUPLICATE_KEY': {
      const written = keyTextAt(src, e.pos[0]);
      // An alias key is named by what it stands for, and as written (`*k`), which is all the line shows.
      const key = e.key === undefined ? (written ? ` "${written}"` : '') : ` "${e.key}" (the alias ${written})`;
      const where = e.firstAt === undefined ? '' : `; first defined on line ${diag(e.firstAt, '', '').line}`;
      return diag(e.pos[0], 'yaml/duplicate-key', `duplicate key${key}${where}`);
    }
    case 'KEY_REWRITTEN': {
      const written = keyTextAt(src, e.pos[0]);
      const what = /^(true|false)$/.test(e.key ?? '') ? `the boolean ${e.key}` : `the number ${e.key}`;
      return diag(e.pos[0], 'yaml/key-rewritten', `YAML reads the key ${written} as ${what}, so it names "${e.key}": quote it ("${written}") to keep it as written`);
    }
    case 'NULL_KEY': {
      const written = src.slice(e.pos[0], e.pos[1]).trim();
      if (written === '') return diag(explicitKeyAt(src, e.pos[0]), 'yaml/null-key', 'this key is empty, and YAML reads an empty key as null, not a name: write the key\'s name');
      if (written.startsWith('*')) return diag(e.pos[0], 'yaml/null-key', `the key ${written} is an alias of YAML's null, not a name: write the key's name`);
      return diag(e.pos[0], 'yaml/null-key', `the key ${written} is YAML's null, not a name: quote it ("${written}") if that is the name`);
    }
    case 'COLLECTION_KEY':
      return diag(e.pos[0], 'yaml/collection-key', `this key is a ${e.message}, not a name: every key of a promptctl document is a name (quote it if the brackets are part of it)`);
    case 'RESOURCE_EXHAUSTION':
      return diag(e.pos[0], 'yaml/too-deep', `YAML too large or too deep: ${e.message}`);
    case 'TAG_RESOLVE_FAILED': {
      // A standard tag (!!float) on a value its schema does not read that way ("1"): not a custom one.
      const standard = /tag:yaml\.org,2002:(\w+)/.exec(e.message);
      if (standard) return diag(e.pos[0], 'yaml/tag', `!!${standard[1]} does not apply to this value as written; drop the tag (the field's type is known), or write the value in that type's own form (1.0 for !!float)`);
      // A tag's own refusal of its value (`!!timestamp hello`: "expects a date"), no custom tag.
      if (!e.message.startsWith('Unresolved tag')) return diag(e.pos[0], 'yaml/tag', `${e.message}: drop the tag (quote the value if it is text)`);
      return diag(e.pos[0], 'yaml/tag', `${e.message} (custom tags are not supported)`);
    }
    case 'MISSING_CHAR': {
      // An unclosed quote is reported at the end of the file; the quote that opened it is the news.
      const quote = /quote/.test(e.message) ? unclosedQuoteOffset(doc, e.pos[0]) : undefined;
      if (quote !== undefined) {
        const q = src[quote] ?? '"';
        const kind = q === "'" ? 'single' : 'double';
        // Closed on a line YAML left it at: that line is not indented deeper than the string's key.
        const next = quoteContinuation(src, e.pos[0], q);
        const lineStart = src.lastIndexOf('\n', quote - 1) + 1;
        if (next && next.indent <= /^[ ]*(?:-[ ]+)*/.exec(src.slice(lineStart, quote))![0].length) {
          const line = diag(next.start, '', '').line;
          return diag(
            quote,
            'yaml/syntax',
            `the ${kind}-quoted string that starts here goes on to line ${line}, which is not indented deeper than its key, so YAML ends the string before that line, unclosed: indent line ${line} deeper than the key`,
          );
        }
        return diag(quote, 'yaml/syntax', `the ${kind}-quoted string that starts here is never closed: add the closing ${q}`);
      }
      // `-pii` under `- email` in a list at its key's column: yaml takes the line for a key.
      if (/^Implicit map keys/.test(e.message) && itemWithoutSpace(src, e.pos[0])) return diag(e.pos[0], 'yaml/syntax', itemWithoutSpaceMessage(src, e.pos[0]));
      return diag(e.pos[0], 'yaml/syntax', e.message);
    }
    case 'BAD_INDENT': {
      // "Flow sequence ... must end with a ]": point at the bracket left open, not where it was noticed.
      const m = /^Flow (sequence|map) in block collection/.exec(e.message);
      const open = m ? openFlowOffset(doc, e.pos[0]) : undefined;
      if (m && open !== undefined) {
        const [o, c] = m[1] === 'map' ? ['{', '}'] : ['[', ']'];
        return diag(open, 'yaml/syntax', `the ${o} opened here is not closed: end it with ${c} (lines inside it must be indented more than its key)`);
      }
      if (/must start at the same column/.test(e.message)) {
        // Noticed at the line's start: the key out of line is where its text begins.
        let at = e.pos[0];
        while (src[at] === ' ' || src[at] === '\t') at++;
        if (itemWithoutSpace(src, at)) return diag(at, 'yaml/syntax', itemWithoutSpaceMessage(src, at));
        const key = keyOnLine(src, at);
        return diag(at, 'yaml/syntax', `${key ? `"${key}" is` : 'this line is'} not at the column of the keys or items before it at its level: indent it to match them (a list's "- " items and a mapping's keys cannot share a level)`);
      }
      return diag(e.pos[0], 'yaml/syntax', e.message);
    }
    case 'SPACE_AS_INDENT':
      return diag(
        e.pos[0],
        'yaml/syntax',
        // A byte order mark is no indent to see: a file joined from others keeps the later ones' first character.
        e.message === '\ufeff'
          ? `${otherSpaceName(e.message)} starts this line's text, and YAML reads it as text inside a document (a file joined from others keeps theirs): remove it (the lines below are checked once it is)`
          : `this line is indented with ${otherSpaceName(e.message)}, which YAML reads as text, not as indentation: indent with ASCII spaces (the lines below are checked once it is)`,
      );
    case 'SPACE_AS_SEPARATOR': {
      const space = otherSpaceName(e.message);
      const item = e.key === '-';
      const key = `"${e.key!.slice(0, -1).trim()}"`;
      const read =
        e.flow === 'value'
          ? `YAML reads it as the first character of ${key}'s value`
          : `YAML reads ${item ? 'a list item' : `${key} as a key`} only with an ASCII space after it, so it reads ${e.flow === 'text' ? `${key} and what follows it as one text` : 'the line as text'}`;
      return diag(e.pos[0], 'yaml/syntax', `${space} follows this "${item ? '-' : ':'}", and ${read}: put an ASCII space there (the lines below are checked once it is)`);
    }
    case 'SPACE_IN_TEXT': {
      const space = otherSpaceName(e.message);
      const what = `the ${e.role}${e.key ? ` "${e.key}"` : ''}`;
      const fix = 'put an ASCII space there, or quote the text if the character belongs in it (the lines below are checked once it is)';
      // A tag ends at such a space, and YAML needs an ASCII one there: the text does not start with it.
      if (e.tag) return diag(e.pos[0], 'yaml/syntax', `${space} follows the tag "${e.tag}", and YAML needs an ASCII space between a tag and its value: put an ASCII space there (if the character belongs in the text, put the ASCII space before it and quote the text; the lines below are checked once it is)`);
      if (e.edge === 'comment') return diag(e.pos[0], 'yaml/syntax', `${space} stands before this "#", and YAML starts a comment only after an ASCII space, so it reads the "#" and what follows as part of ${what}: ${fix}`);
      const read = e.edge === 'end' ? `${space} ends ${what}` : e.after ? `${space} follows this "${e.after}"` : `${space} starts ${what}`;
      return diag(e.pos[0], 'yaml/syntax', `${read}, and YAML reads it as ${e.after ? `the first character of ${what}` : `its ${e.edge === 'end' ? 'last' : 'first'} character`}, not as a space: ${fix}`);
    }
    case 'SPACE_IN_NAME':
      return diag(e.pos[0], 'yaml/syntax', `${otherSpaceName(e.message)} follows "${e.key}", and YAML reads it, and what follows up to an ASCII space, as part of the ${e.role}'s name: put an ASCII space there (the lines below are checked once it is)`);
    case 'TAB_AS_INDENT':
      return diag(e.pos[0], 'yaml/syntax', 'a tab indents this line, and YAML indents with spaces only: replace the tab with spaces (the lines below are checked once it is)');
    case 'MULTILINE_IMPLICIT_KEY': {
      const item = listItemAmongKeys(src, e.pos[0]);
      if (item !== undefined) return diag(item, 'yaml/syntax', LIST_ITEM_AMONG_KEYS);
      // Either a line without its ":" (the error starts at the line's first character), or a
      // value continued onto a deeper-indented line that holds "key:" (point at that line).
      const lineStart = src.lastIndexOf('\n', e.pos[0] - 1) + 1;
      const startsLine = src.slice(lineStart, e.pos[0]).trim() === '';
      if (startsLine && itemWithoutSpace(src, e.pos[0])) return diag(e.pos[0], 'yaml/syntax', itemWithoutSpaceMessage(src, e.pos[0]));
      if (startsLine) {
        const text = src.slice(e.pos[0], src.indexOf('\n', e.pos[0]) === -1 ? src.length : src.indexOf('\n', e.pos[0]));
        if (!/:(\s|$)/.test(text)) return diag(e.pos[0], 'yaml/syntax', `this line is not "key: value": add the ":" after the key`);
        return diag(e.pos[0], 'yaml/syntax', e.message);
      }
      const nl = src.indexOf('\n', e.pos[0]);
      if (nl === -1 || nl >= e.pos[1]) return diag(e.pos[0], 'yaml/syntax', e.message);
      let next = nl + 1;
      while (src[next] === ' ' || src[next] === '\r' || src[next] === '\t') next++;
      const key = keyOnLine(src, next);
      return diag(
        next,
        'yaml/syntax',
        `this line is indented deeper than the key above, so it continues that value, but it holds ${key ? `"${key}"` : 'a key'}: align it with its sibling keys, or quote the value`,
      );
    }
    case 'BLOCK_AS_IMPLICIT_KEY':
      if (/block sequence/.test(e.message) && listItemAmongKeys(src, e.pos[0]) !== undefined) return diag(listItemAmongKeys(src, e.pos[0])!, 'yaml/syntax', LIST_ITEM_AMONG_KEYS);
      if (/compact mappings/.test(e.message)) {
        // `key: "quoted", more: x`: the value is quoted already; what follows its quote is the mistake.
        const after = textAfterQuotedValue(src, e.pos[0]);
        if (after) return diag(after.at, 'yaml/syntax', after.message);
        return diag(e.pos[0], 'yaml/syntax', `${e.message}: a plain value cannot contain ": " (quote it)`);
      }
      return diag(e.pos[0], 'yaml/syntax', e.message);
    case 'UNEXPECTED_TOKEN': {
      // `description: - refunds only`: text meant, read as a list item on its key's line.
      if (/block-seq-ind on same line with key/.test(e.message) && listItemAmongKeys(src, e.pos[0]) === undefined) {
        return diag(e.pos[0], 'yaml/syntax', 'a value that starts with "- " is read by YAML as a list item, and a list cannot start on its key\'s line: quote the value if it is text, or put the items on the lines below, indented');
      }
      // `key: {{name}} and more`: a flow mapping, then text YAML did not expect.
      const lineStart = src.lastIndexOf('\n', e.pos[0] - 1) + 1;
      const m = /^(\s*(?:-\s+)?(?:[^\s:#][^:#]*:\s+)?)([{[])/.exec(src.slice(lineStart, e.pos[0]));
      // `key: 'quoted' and more`: text after the closing quote.
      const quoted = QUOTED_VALUE.exec(src.slice(lineStart, e.pos[0]));
      if (quoted && !m) return diag(e.pos[0], 'yaml/syntax', textAfterQuotedMessage(quoted[1]!.length + 1, quoted[2]!));
      if (m) {
        const opener = m[2]!;
        const open = lineStart + m[1]!.length;
        const what = opener === '{' ? 'mapping' : 'list';
        const close = closingBracket(src, open);
        // The mistake is inside the collection (`{a: 1,, b: 2}`): YAML's own words, where it is.
        if (close === -1 || close >= e.pos[0]) return diag(e.pos[0], 'yaml/syntax', `in the ${what} that starts at column ${open - lineStart + 1}: ${e.message}`);
        // A closing bracket too many (`{a: 1}}`).
        const after = src.slice(close + 1, e.pos[0] + 1).search(/\S/);
        const extra = after === -1 ? undefined : src[close + 1 + after];
        if (extra === '}' || extra === ']') {
          return diag(close + 1 + after, 'yaml/syntax', `one "${extra}" too many: the ${what} that starts at column ${open - lineStart + 1} ends before it`);
        }
        const braces = opener === '{' && src.startsWith('{{', open);
        return diag(
          lineStart + m[1]!.length,
          'yaml/syntax',
          braces
            ? 'a value that starts with "{{" is read by YAML as a mapping, so the text after it is an error: put the whole value in quotes or in a | block'
            : `a value that starts with "${opener}" is read by YAML as a ${opener === '{' ? 'mapping' : 'list'}, so the text after it is an error: put the whole value in quotes`,
        );
      }
      return diag(e.pos[0], 'yaml/syntax', e.message);
    }
    default:
      return diag(e.pos[0], 'yaml/syntax', e.message);
  }
}

/**
 * Where the flow collection opened at `open` closes (its matching bracket), or -1 if it does not
 * on that line and the next few: brackets counted, quoted text passed over.
 */
function closingBracket(src: string, open: number): number {
  let depth = 0;
  const limit = Math.min(src.length, open + 10_000);
  let before = '';
  for (let i = open; i < limit; i++) {
    const c = src[i];
    const last = before;
    if (c !== ' ' && c !== '\t') before = c!;
    // A quote opens a string only where a value starts (`don't` in a plain word is text).
    if ((c === '"' || c === "'") && (last === '{' || last === '[' || last === ',' || last === ':')) {
      // To the quote's end ('' and \" inside it stay in it).
      for (i++; i < limit; i++) {
        if (src[i] === '\\' && c === '"') i++;
        else if (src[i] === c) {
          if (c === "'" && src[i + 1] === "'") i++;
          else break;
        }
      }
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (--depth === 0) return i;
    }
  }
  return -1;
}

const LIST_ITEM_AMONG_KEYS =
  'a list item ("- ") at the level of a mapping\'s keys: a list\'s items and a mapping\'s keys cannot share a level; indent the item under the key whose list it is (or write it as "key: value")';

/**
 * The `-` of a list item starting the line of `offset` (at its start or its `-`), where yaml read
 * the line as a key of the mapping above (it is at that mapping's level); undefined otherwise.
 */
function listItemAmongKeys(src: string, offset: number): number | undefined {
  const lineStart = src.lastIndexOf('\n', offset - 1) + 1;
  const m = /^ *-(?=[ \t\r\n]|$)/.exec(src.slice(lineStart, lineStart + 256));
  return m && offset <= lineStart + m[0].length ? lineStart + m[0].length - 1 : undefined;
}

/** What is said of `-pii` at its items' column, naming the item as written and as it should be. */
function itemWithoutSpaceMessage(src: string, offset: number): string {
  const word = /^[^\s:#]{1,40}/.exec(src.slice(offset, offset + 40))![0];
  return `a list item needs a space after its "-": YAML reads "${word}" as a key, not an item; write "${asItem(word)}" for an item`;
}

/**
 * Whether `offset`, a line's first character, is a `-` with text right after it (`-violence`) at
 * the column of a list's items (`- pii` the nearest line above at that column or left of it): an
 * item meant, its space left out. Blank and comment lines above are passed over, and so are lines
 * indented deeper: an item's text wrapped onto them, or a mapping inside it.
 */
function itemWithoutSpace(src: string, offset: number): boolean {
  if (!/^-[^\s-]/.test(src.slice(offset, offset + 2))) return false;
  const lineStart = src.lastIndexOf('\n', offset - 1) + 1;
  const indent = offset - lineStart;
  if (src.slice(lineStart, offset).trim() !== '') return false;
  let end = lineStart - 1;
  while (end > 0) {
    const start = src.lastIndexOf('\n', end - 1) + 1;
    const line = src.slice(start, end).replace(/\r$/, '');
    const text = line.trimStart();
    const column = line.length - text.length;
    if (text !== '' && !text.startsWith('#') && column <= indent) return column === indent && /^-(?:[ \t]|$)/.test(text);
    end = start - 1;
  }
  return false;
}

/** Where an empty key is written: its `?` when it has one before it on its line, else `offset` (its `:`). */
function explicitKeyAt(src: string, offset: number): number {
  let i = offset;
  while (i > 0 && (src[i - 1] === ' ' || src[i - 1] === '\t')) i--;
  return src[i - 1] === '?' ? i - 1 : offset;
}

/** The plain key text starting at `offset` (for messages), or "". */
function keyTextAt(src: string, offset: number): string {
  const m = /^["']?([^"'\n:]{1,80})/.exec(src.slice(offset, offset + 120));
  return m ? m[1]!.trim() : '';
}

/** The key the line at `offset` starts with, as written, with its colon (`bad:`), or "". */
function keyOnLine(src: string, offset: number): string {
  const m = /^[^\r\n]{0,80}?:(?=[ \t\r\n]|$)/.exec(src.slice(offset, offset + 120));
  return m ? m[0] : '';
}

/** Start of the quoted scalar that runs, unclosed, up to `offset`. */
function unclosedQuoteOffset(doc: Document.Parsed, offset: number): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Scalar(_, node) {
      if (node.type !== Scalar.QUOTE_DOUBLE && node.type !== Scalar.QUOTE_SINGLE) return;
      const r = node.range;
      if (r && r[0] < offset && r[1] >= offset - 1 && (found === undefined || r[0] > found)) found = r[0];
    },
  });
  return found;
}

/** Start of the innermost flow collection (`[` or `{`) that contains `offset`. */
function openFlowOffset(doc: Document.Parsed, offset: number): number | undefined {
  let found: number | undefined;
  const check = (node: { flow?: boolean; range?: [number, number, number] | null }) => {
    const r = node.range;
    if (node.flow && r && r[0] < offset && r[1] >= offset && (found === undefined || r[0] > found)) found = r[0];
  };
  visit(doc, { Map: (_, n) => check(n), Seq: (_, n) => check(n) });
  return found;
}

/** A line's value that opens with a quote: what precedes it (indent, "- ", "key: "), the quote. */
const QUOTED_VALUE = /^(\s*(?:-\s+)?(?:[^\s:#][^:#]*:\s+)?)(["'])/;

function textAfterQuotedMessage(column: number, q: string): string {
  return `text after the value quoted at column ${column}: a quoted value ends at its closing ${q}; quote the whole value${q === "'" ? " (write '' for a ' inside it)" : ' (write \\" for a " inside it)'}`;
}

/**
 * Where text follows a quoted value on the line of `offset` (and what to say there), when that
 * value opens at `offset` and closes on the same line; undefined otherwise.
 */
function textAfterQuotedValue(src: string, offset: number): { at: number; message: string } | undefined {
  const lineStart = src.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = src.indexOf('\n', offset);
  const line = src.slice(lineStart, lineEnd === -1 ? src.length : lineEnd);
  const quoted = QUOTED_VALUE.exec(line);
  if (!quoted || quoted[1]!.length !== offset - lineStart) return undefined;
  const q = quoted[2]!;
  // The closing quote: " not escaped by a backslash; ' not doubled.
  let i = quoted[1]!.length + 1;
  for (; i < line.length; i++) {
    if (q === '"' && line[i] === '\\') i++;
    else if (line[i] === q) {
      if (q === "'" && line[i + 1] === "'") i++;
      else break;
    }
  }
  if (i >= line.length) return undefined;
  const rest = line.slice(i + 1).search(/\S/);
  if (rest === -1) return undefined;
  const at = lineStart + i + 1 + rest;
  // `model: "gpt-4o", description: x`: two keys meant, on one line.
  // Only a key-like word (no spaces): "…", for the team: x is text with a colon in it.
  const next = /^,\s*([A-Za-z_][\w.-]*):(?:\s|$)/.exec(line.slice(i + 1 + rest));
  if (next) {
    const key = /^\s*(?:-\s+)?/.exec(quoted[1]!)![0].length + 1;
    return { at, message: `a comma does not separate keys on a line: put "${next[1]}:" on a line of its own, at column ${key} like the key before it` };
  }
  return { at, message: textAfterQuotedMessage(quoted[1]!.length + 1, q) };
}
