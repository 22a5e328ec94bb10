// A document of very many unknown fields (a generated or hostile file) gets one schema error per
// field, each located at its key: finding each key by scanning its mapping made that quadratic
// (300,000 fields: a quarter of an hour, deaf to interrupts). Bounded here through execBounded, the
// helper that runs work under a V8 script timeout, so that without the fix the test fails, not hangs.
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/config/parse.js';
import type { DocContext } from '../../../src/config/nodes.js';
import { mapSchemaErrors } from '../../../src/schema/errors.js';
import { checkHeader } from '../../../src/schema/header.js';
import { validators } from '../../../src/schema/validator.js';
import { bounded } from '../../helpers/bounded.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';

function check(src: string): Diagnostic[] {
  const r = parseYaml(src, 'd.yaml');
  expect(r.diagnostics).toEqual([]);
  const d = r.documents[0]!;
  const ctx: DocContext = { file: 'd.yaml', doc: d.doc, src: d.src, lineCounter: d.lineCounter };
  const h = checkHeader(ctx, d.data);
  return mapSchemaErrors(ctx, validators().validate(h.kind!, d.data));
}

describe('a document of 100,000 unknown fields', () => {
  it('is reported, the first fields each at its key, within seconds', () => {
    const n = 100_000;
    let src = 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: many-fields\nspec:\n  model: gpt-4o\n';
    for (let i = 0; i < n; i++) src += `  field${i}: 1\n`;
    // About 2 s with the fix on a busy 2-core machine; without it, several minutes.
    const ds = bounded(() => check(src), 30_000);
    expect(ds).toHaveLength(51);
    expect(ds[0]).toMatchObject({ line: 7, column: 3, rule: 'schema/unknown-field', message: expect.stringContaining('"field0"') });
    expect(ds[49]).toMatchObject({ line: 56, column: 3, message: expect.stringContaining('"field49"') });
    expect(ds[50]).toMatchObject({ rule: 'schema/too-many-errors', message: `${n - 50} more schema problems in this document` });
  });

  it('a bad key among the many of a large mapping is located at that key', () => {
    // A mapping of 32 pairs or more is searched through an index of its keys.
    let src = 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: many-fields\n  labels:\n';
    for (let i = 0; i < 40; i++) src += `    team${i}: x\n`;
    src += '    "-bad": x\nspec:\n  model: gpt-4o\n';
    const ds = check(src);
    expect(ds).toEqual([expect.objectContaining({ line: 46, column: 5, rule: 'schema/key', message: expect.stringContaining('"-bad"') })]);
  });
});
