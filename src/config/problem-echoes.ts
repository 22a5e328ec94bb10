// Which YAML problems of a document are said, and in what order: yaml often reports one mistake
// two or three times, or reads the lines after it through it (a tab that indents a line, a quote
// closed on a line YAML ended the string before); those echoes are left out, the mistake said
// first. yaml-problems.ts words what is left.
import type { YamlProblem } from './yaml-problems.js';

/** The problems of `found` to say, by where they are: echoes left out, an indent's mistake before yaml's words at its place. */
export function sortedProblems(found: YamlProblem[], src: string): YamlProblem[] {
  const problems = found.map((e) => (e.code !== 'TAB_AS_INDENT' && tabIndents(e, src) ? { ...e, code: 'TAB_AS_INDENT' } : e));
  // A block-as-key error at the same spot as a multi-line-key error is its echo.
  const multiline = new Set(problems.filter((e) => e.code === 'MULTILINE_IMPLICIT_KEY').map((e) => e.pos[0]));
  // A tab (or another space than ASCII's) that indents a line ends its level where yaml reads it:
  // what yaml says of the lines below ("not at the same column", "a value continued deeper") is
  // read through that mistake and names lines that are right. Those lines are checked once the
  // indent is mended; every such indent is shown, before yaml's words at its own place.
  const indent = (e: YamlProblem) => e.code === 'TAB_AS_INDENT' || e.code.startsWith('SPACE_');
  const first = Math.min(...problems.filter(indent).map((e) => e.pos[0]));
  // yaml's words on such a line (before that space: "Implicit map keys need …") are its echo.
  const lineOf = (at: number) => src.lastIndexOf('\n', at - 1) + 1;
  const indented = new Set(problems.filter(indent).map((e) => lineOf(e.pos[0])));
  // A quoted string yaml ended unclosed before a line that closes it: what yaml says of that line is its echo.
  for (const e of problems) {
    const q = e.code === 'MISSING_CHAR' ? /closing (["'])quote/.exec(e.message)?.[1] : undefined;
    const next = q === undefined ? undefined : quoteContinuation(src, e.pos[0], q);
    if (next) indented.add(next.start);
  }
  return problems
    .filter((e) => indent(e) || !indented.has(lineOf(e.pos[0])))
    .filter((e) => !(e.code === 'BLOCK_AS_IMPLICIT_KEY' && multiline.has(e.pos[0])))
    // `{{name}}` unquoted reads as a mapping keyed by a mapping: a placeholder, which the schema
    // (or the text after it) says to quote; the key is not the news.
    .filter((e) => !(e.code === 'COLLECTION_KEY' && src.startsWith('{{', e.pos[0] - 1)))
    .filter((e) => e.pos[0] <= first || indent(e))
    .sort((a, b) => a.pos[0] - b.pos[0] || Number(indent(b)) - Number(indent(a)));
}

/**
 * A problem yaml finds in the indentation of a line that a tab indents, or at its first character
 * ("less indented than their first line", "more-indented leading empty lines", a multi-line key:
 * what a tab in a | or > block gives): the tab is the mistake, said as any other tab is.
 */
function tabIndents(e: YamlProblem, src: string): boolean {
  const lineStart = src.lastIndexOf('\n', e.pos[0] - 1) + 1;
  const indent = /^[ \t]*/.exec(src.slice(lineStart, lineStart + 256))![0];
  return indent.includes('\t') && e.pos[0] <= lineStart + indent.length;
}

/**
 * The line after the one where yaml found a quoted string unclosed (`offset`, at its end), when that
 * line holds the closing quote `q`: where it starts and its indentation (a line YAML did not read as
 * the string's, being indented no deeper than its key). Undefined otherwise: the quote is missing.
 */
export function quoteContinuation(src: string, offset: number, q: string): { start: number; indent: number } | undefined {
  const start = src[offset] === '\n' ? offset + 1 : src.indexOf('\n', offset) + 1;
  if (start === 0 || start >= src.length) return undefined;
  const end = src.indexOf('\n', start);
  const line = src.slice(start, end === -1 ? src.length : end);
  // A " escaped with a backslash closes nothing.
  if (!(q === '"' ? /(^|[^\\])"/ : /'/).test(line)) return undefined;
  return { start, indent: /^[ ]*/.exec(line)![0].length };
}
