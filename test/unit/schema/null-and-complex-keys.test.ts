// An unknown field whose key is null (`~:`) or a collection (`? [a, b]`) is reported where that
// key is written, not at the mapping's first field, and a null key is said to be one. (parseYaml
// refuses such keys first, yaml/null-key and yaml/collection-key; the schema's words stay right
// for data that holds them all the same, read here as yaml reads it.)
import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import type { DocContext } from '../../../src/config/nodes.js';
import { mapSchemaErrors } from '../../../src/schema/errors.js';
import { validators } from '../../../src/schema/validator.js';

function unknownFields(src: string): string[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(src, { lineCounter, version: '1.2', schema: 'core', logLevel: 'error' });
  const ctx: DocContext = { file: 'd.yaml', doc, src, lineCounter };
  return mapSchemaErrors(ctx, validators().validate('PromptTemplate', doc.toJS()))
    .filter((x) => x.rule === 'schema/unknown-field')
    .map((x) => `${x.line}:${x.column} ${x.message}`);
}

const HEAD = `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: billing
`;

describe('unknown fields with keys that are not plain names', () => {
  it('places a null key at its line and says it is one', () => {
    for (const key of ['~', 'null', 'Null']) {
      expect(unknownFields(`${HEAD}  ${key}: 3\nspec:\n  model: m\n`)).toEqual([
        '5:3 unknown field "" (a null or empty key) in metadata; allowed: name, labels, environments',
      ]);
    }
  });

  it('places a collection key where it is written', () => {
    expect(unknownFields(`${HEAD}spec:\n  model: m\n  ? [a, b]\n  : c\n`)).toEqual(['7:5 unknown field "[ a, b ]" in spec; allowed: description, model, budget']);
  });
});
