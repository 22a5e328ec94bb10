// The user's tests (PromptTest documents) in a file export writes again: DESIGN §2 lets a file hold
// several documents, and tests are never in the org, so a re-export replaces only the objects'
// documents and keeps each test as it was written (its comments too, those on the lines just above
// its `---` included), after them, with the line ends export writes (LF); the comments heading a
// file whose first document is a test (a `# yaml-language-server: $schema=…` line, or comments a
// blank line sets apart from it) stay at its top. Directives (`%YAML 1.2`), which only a file's
// first document may carry, are left out.
// Pure: text in, text out.
import { Composer, Parser, isAlias, isMap, isScalar, type CST, type Document } from 'yaml';
import { flowTooDeep } from '../util/lenient-yaml.js';

/** A YAML file's text parted: its tests (each document as written, from its `---`, in their order), its header, and the rest. */
export interface Parted {
  /** The comment lines heading the file when its first document is a test: kept at the top. '' otherwise. */
  header: string;
  /** The PromptTest documents, each starting with its `---` (one added where it had none), LF line ends: '' when there are none. */
  tests: string;
  /** The other documents as written, as if the tests (and the header) were not there (the `---` that followed a test dropped). */
  rest: string;
}

/** The tests of a file kept when export writes it again (Parted without its rest). */
export type KeptTests = Pick<Parted, 'header' | 'tests'>;

export const NO_TESTS: KeptTests = { header: '', tests: '' };

/**
 * The run of blank lines and comments at column 0 that ends a text: a mapping's own lines never
 * start there but for a comment (an indented `#` line may be a text's, in a block scalar).
 */
const COMMENT_LINES = /(?:^|\n)((?:(?:#[^\n]*|[ \t]*)\r?\n)*(?:#[^\n]*|[ \t]*))$/;

/** The blank lines and comments at column 0 that start a text. */
const LEADING_COMMENTS = /^(?:(?:#[^\n]*|[ \t]*)\r?\n)*/;

/** `text` parted into its tests and the rest (see Parted); all of it the rest when it holds no test or cannot be read. */
export function partTests(text: string): Parted {
  const whole = { header: '', tests: '', rest: text };
  if (!text.includes('PromptTest') || flowTooDeep(text)) return whole;
  // Read as the loader reads it: a lone CR is a line break (replaced in place: offsets hold for `text`).
  const read = text.replace(/\r(?!\n)/g, '\n');
  const tokens = [...new Parser().parse(read)];
  const starts = tokens.filter((t): t is CST.Document => t.type === 'document');
  const docs = [...new Composer().compose(tokens)];
  if (starts.length === 0 || docs.length !== starts.length) return whole;
  // A document runs from its start to the next one's (what precedes the first, comments, goes with it; not a byte order mark).
  const from = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const chunks = starts.map((d, i) => ({
    text: text.slice(i === 0 ? from : d.offset, starts[i + 1]?.offset ?? text.length),
    test: kindOf(docs[i]!) === 'PromptTest',
    marked: d.start.some((t) => t.type === 'doc-start'),
  }));
  if (!chunks.some((c) => c.test)) return whole;
  // The comments just above a test's `---` are the test's (yaml reads them as the end of the document before).
  for (let i = 0; i + 1 < chunks.length; i++) {
    if (chunks[i]!.test || !chunks[i + 1]!.test) continue;
    const above = trailingComments(chunks[i]!.text);
    if (above === '') continue;
    chunks[i]!.text = chunks[i]!.text.slice(0, chunks[i]!.text.length - above.length);
    chunks[i + 1]!.text = above + chunks[i + 1]!.text;
  }
  // A file that starts with a test: the comments heading the file (a modeline, or comments a blank
  // line sets apart from the test) stay at its top; those right above the test are the test's.
  let header = '';
  if (chunks[0]!.test) {
    const lines = LEADING_COMMENTS.exec(chunks[0]!.text)![0].split(/(?<=\n)/);
    let cut = /^# yaml-language-server:/.test(lines[0] ?? '') ? 1 : 0;
    for (let i = lines.length - 1; i > 0; i--) {
      if (lines[i]!.trim() === '' && lines.slice(0, i).some((l) => l.startsWith('#'))) {
        cut = Math.max(cut, i + 1);
        break;
      }
    }
    const raw = lines.slice(0, cut).join('');
    chunks[0]!.text = chunks[0]!.text.slice(raw.length);
    // Without the blank lines that set it apart: the export's first document follows it.
    header = raw.replace(/(?<=\n)(?:[ \t]*\r?\n)+$/, '');
  }
  const tests = chunks.filter((c) => c.test).map((c) => withoutDirectives(c.marked ? c.text : `---\n${c.text}`));
  const rest = chunks.filter((c) => !c.test);
  // Its `---` separated it from a test before it, now gone: the rest reads as export writes it.
  const first = rest[0] !== undefined && rest[0] !== chunks[0] ? rest[0].text.replace(/^---[ \t]*\r?\n/, '') : rest[0]?.text;
  // Each but the last ends its line, so the next one's `---` starts one; the last ends as it did.
  return {
    header: lf(header),
    tests: lf(tests.map((t, i) => (i < tests.length - 1 ? endLine(t) : t)).join('')),
    rest: [first ?? '', ...rest.slice(1).map((c) => c.text)].join(''),
  };
}

/** `yaml` (documents as export writes them) with the tests a file held (partTests') after them, its header above. */
export function withTests(yaml: string, kept: KeptTests): string {
  return kept.tests === '' ? yaml : `${kept.header}${endLine(yaml)}${kept.tests}`;
}

/** The comment lines at column 0 (and blank lines among them) that end `text`, from its first comment; '' when none. */
function trailingComments(text: string): string {
  const block = COMMENT_LINES.exec(text)?.[1] ?? '';
  // From the first comment line: blank lines before it stay with the document above.
  const at = block.search(/^#/m);
  return at < 0 ? '' : block.slice(at);
}

/**
 * A test's text without directives (`%YAML 1.2`, its own before its `---`, or the next document's
 * after its `...`): after another document they are no YAML. A line of a mapping never starts
 * with `%` at column 0, so every such line is a directive.
 */
function withoutDirectives(test: string): string {
  return test.replace(/^%[^\n]*(?:\n|$)/gm, '');
}

/** LF line ends, as export writes a file. */
function lf(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** A text ending in a line break (the last document of a file may not): the next document's `---` starts a line. */
function endLine(text: string): string {
  return text === '' || /[\r\n]$/.test(text) ? text : `${text}\n`;
}

/** A document's kind, as written (an alias read as what it names). */
function kindOf(doc: Document): unknown {
  if (!isMap(doc.contents)) return undefined;
  const kind = doc.contents.get('kind', true);
  const node = isAlias(kind) ? kind.resolve(doc) : kind;
  return isScalar(node) ? node.value : undefined;
}
