// Lengths count UTF-16 code units everywhere a limit is checked (as the schema and the server do):
// a length error names the length in those units (600 emoji were reported as "at most 1024
// characters long (it is 600)", which reads as within the limit), and so does a Genesys name.
import { describe, expect, it } from 'vitest';
import { isGenesysName } from '../../../src/model/address.js';
import { parseYaml } from '../../../src/config/parse.js';
import type { DocContext } from '../../../src/config/nodes.js';
import { mapSchemaErrors } from '../../../src/schema/errors.js';
import { checkHeader } from '../../../src/schema/header.js';
import { validators } from '../../../src/schema/validator.js';

function messages(src: string): string[] {
  const r = parseYaml(src, 'd.yaml');
  const d = r.documents[0]!;
  const ctx: DocContext = { file: 'd.yaml', doc: d.doc, src: d.src, lineCounter: d.lineCounter };
  const h = checkHeader(ctx, d.data);
  return mapSchemaErrors(ctx, validators().validate(h.kind!, d.data)).map((x) => `${x.rule} ${x.message}`);
}

describe('a length error counts as the limit does (UTF-16 code units)', () => {
  it('a description of 600 emoji is reported as 1200 long, not 600 (which is under the 1024 limit)', () => {
    const filter = `apiVersion: promptctl/v1
kind: SafetyFilter
metadata:
  name: emoji-filter
spec:
  priority: 10
  categories: [pii]
  action: redact_and_log
  description: "${'\u{1F600}'.repeat(600)}"
`;
    const length = messages(filter).filter((m) => m.startsWith('schema/length'));
    expect(length).toEqual(['schema/length spec.description must be at most 1024 characters long (it is 1200)']);
  });
});

describe('a Genesys name counts as the schema does', () => {
  it('255 UTF-16 code units at most: 127 emoji and a letter fit, 128 emoji do not', () => {
    const emoji = '\u{1F600}';
    expect([isGenesysName(`${emoji.repeat(127)}a`), isGenesysName(emoji.repeat(128))]).toEqual([true, false]);
  });
});
