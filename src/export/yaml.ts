// Export documents → YAML text. Multi-line text becomes a literal block scalar (`|`, with
// the chomping indicator yaml picks), so prompts read as prompts; every string is checked to
// parse back byte for byte, and anything that would not stays quoted; so does text holding a
// space other than ASCII's, which the loader refuses at an edge of a plain value. No line of
// what it writes ends in whitespace that is content (a text with a line ending in a space or
// tab is double-quoted on one line, its escapes showing it), so a trailing-whitespace hook
// run on the files changes nothing a plan reads: checked too.
import { Document, Scalar, isPair, isScalar, isSeq, parse, visit } from 'yaml';
import type { ExportDocument } from './documents.js';
import { OTHER_SPACES } from '../util/escapes.js';
import { UNFOLDED, blockKeepsLineEnds, trimmedLineEnds } from '../util/yaml-text.js';

const STRINGIFY = { ...UNFOLDED, flowCollectionPadding: false } as const;

export function documentsToYaml(docs: readonly ExportDocument[]): string {
  return docs.map((d, i) => (i === 0 ? '' : '---\n') + documentToYaml(d)).join('');
}

export function documentToYaml(obj: ExportDocument): string {
  const doc = new Document(obj);
  const blocks: { path: (string | number)[]; node: Scalar; value: string }[] = [];
  visit(doc, {
    // Short lists of words (categories, enum values, template names) read best on one line.
    Seq(_key, node) {
      if (node.items.length > 0 && node.items.every((i) => isScalar(i) && typeof i.value === 'string' && /^[A-Za-z0-9_.@-]{1,64}$/.test(i.value))) {
        node.flow = true;
      }
    },
    Scalar(_key, node, path) {
      if (typeof node.value !== 'string' || !node.value.includes('\n')) quoteOtherSpaces(node);
      else if (blockable(node.value) && blockKeepsLineEnds(node.value)) {
        node.type = Scalar.BLOCK_LITERAL;
        blocks.push({ path: keyPath(path, node), node, value: node.value });
      } else node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  // Whatever we write must read back as exactly what the org holds, as written and with every
  // line's trailing whitespace trimmed: a string that does not survive as a block scalar (say,
  // whitespace-only lines first) is written quoted instead.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const text = doc.toString(STRINGIFY);
    const back: unknown = parse(text);
    const trimmed: unknown = parse(trimmedLineEnds(text));
    const broken = blocks.filter((b) => b.node.type === Scalar.BLOCK_LITERAL && (valueAt(back, b.path) !== b.value || valueAt(trimmed, b.path) !== b.value));
    if (broken.length === 0 && sameData(back, obj) && sameData(trimmed, obj)) return text;
    if (broken.length === 0) break;
    for (const b of broken) b.node.type = Scalar.QUOTE_DOUBLE;
  }
  const quoted = new Document(obj);
  visit(quoted, { Scalar: (_key, node) => void quoteOtherSpaces(node) });
  return quoted.toString({ ...STRINGIFY, blockQuote: false });
}

/**
 * A space other than ASCII's (util/escapes.ts OTHER_SPACES, the list the loader checks): in a plain
 * value the loader refuses one at an edge (a pasted no-break space is more often a mistyped indent
 * or separator than text), though YAML reads it as text. Quoted, it is text to both.
 */
const OTHER_SPACE = new RegExp(`[${OTHER_SPACES}]`);

/** A string holding one of them written double-quoted, never plain: the org's text then loads as it is. */
function quoteOtherSpaces(node: Scalar): void {
  if (typeof node.value === 'string' && OTHER_SPACE.test(node.value)) node.type = Scalar.QUOTE_DOUBLE;
}

function blockable(s: string): boolean {
  // Carriage returns and other control characters cannot live in a block scalar.
  return !/[\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029\ufeff]/.test(s);
}

/** The data path (map keys, sequence indexes) of a scalar, from the visitor's ancestor chain. */
function keyPath(ancestors: readonly unknown[], node: unknown): (string | number)[] {
  const out: (string | number)[] = [];
  const chain = [...ancestors, node];
  for (let i = 0; i < chain.length - 1; i += 1) {
    const parent = chain[i];
    const child = chain[i + 1];
    if (isSeq(parent)) out.push(parent.items.indexOf(child as never));
    else if (isPair(parent) && parent.value === child && isScalar(parent.key)) out.push(String(parent.key.value));
  }
  return out;
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let cur = data;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameData(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return false;
}
