// The user's tests (PromptTest documents) in a file export writes again: DESIGN §2 lets a file hold
// several documents, and tests are never in the org, so a re-export replaces only the objects'
// documents and keeps each test as it was written, byte for byte (its comments too), after them.
// Pure: text in, text out.
import { Composer, Parser, isMap, type CST, type Document } from 'yaml';
import { flowTooDeep } from '../util/lenient-yaml.js';

/** A YAML file's text parted: its tests (each document as written, from its `---`, in their order) and the rest. */
export interface Parted {
  /** The PromptTest documents, each starting with its `---` (one added where it had none): '' when there are none. */
  tests: string;
  /** The other documents as written, as if the tests were not there (the `---` that followed a test dropped). */
  rest: string;
}

/** `text` parted into its tests and the rest (see Parted); all of it the rest when it holds no test or cannot be read. */
export function partTests(text: string): Parted {
  const whole = { tests: '', rest: text };
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
  const tests = chunks.filter((c) => c.test).map((c) => (c.marked ? c.text : `---\n${c.text}`));
  const rest = chunks.filter((c) => !c.test);
  // Its `---` separated it from a test before it, now gone: the rest reads as export writes it.
  const first = rest[0] !== undefined && rest[0] !== chunks[0] ? rest[0].text.replace(/^---[ \t]*\r?\n/, '') : rest[0]?.text;
  // Each but the last ends its line, so the next one's `---` starts one; the last ends as it did.
  return { tests: tests.map((t, i) => (i < tests.length - 1 ? endLine(t) : t)).join(''), rest: [first ?? '', ...rest.slice(1).map((c) => c.text)].join('') };
}

/** `yaml` (documents as export writes them) with the tests a file held (Parted.tests) after them. */
export function withTests(yaml: string, tests: string): string {
  return tests === '' ? yaml : `${endLine(yaml)}${tests}`;
}

/** A text ending in a line break (the last document of a file may not): the next document's `---` starts a line. */
function endLine(text: string): string {
  return text === '' || /[\r\n]$/.test(text) ? text : `${text}\n`;
}

/** A document's kind, as written. */
function kindOf(doc: Document): unknown {
  return isMap(doc.contents) ? doc.contents.get('kind') : undefined;
}
