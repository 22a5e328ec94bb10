// A document whose tags are refused, read as if they were not written: a custom tag (`!secret x`),
// a tag no field takes (`!!timestamp 2020-01-01`) or one that does not fit its value (`!!float 1`)
// leaves the value it stands on readable as its plain scalar. The tag is reported (config/parse.ts);
// reading past it lets the same run check the rest of the document (its schema, its text), as a
// duplicate key is read with its first value, instead of one tag hiding every other problem.
import { Scalar, isScalar, visit, type Document, type Schema, type ScalarTag } from 'yaml';

const STR = 'tag:yaml.org,2002:str';

/**
 * Gives each refused-tag scalar of `doc` the value it has untagged: a plain scalar as the core
 * schema reads it (`1` a number, `yes` text), a quoted or block one as its text. Changed in `doc`
 * itself, so the data and the places found in it agree. `refused(tag)` names the tags reported.
 */
export function readUntagged(doc: Document.Parsed, refused: (tag: string) => boolean): void {
  visit(doc, {
    Scalar(_key, node) {
      if (!isScalar(node) || node.tag === undefined || node.tag === STR || typeof node.source !== 'string') return;
      // A tag yaml could not apply leaves the text as written (a string); one it applied but no
      // field takes made a Date, bytes, and is replaced too. A standard tag that applied stays.
      if (!refused(node.tag) && typeof node.value !== 'string') return;
      node.value = plainReading(node.source, node.type, doc.schema);
    },
  });
}

/** What `source` reads as without a tag: the first default tag of the schema whose test it passes, as yaml composes it. */
function plainReading(source: string, type: Scalar['type'], schema: Schema): unknown {
  if (type !== Scalar.PLAIN) return source;
  const tag = schema.tags.find((t): t is ScalarTag => t.default === true && !t.collection && (t as ScalarTag).test?.test(source) === true);
  return tag ? tag.resolve(source, () => undefined, {}) : source;
}
