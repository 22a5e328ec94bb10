// A schema/pattern error explains itself with the field's schema description. Where that
// description did not state the rule, the user learnt nothing: a variable named "customer name"
// was "not valid: Used as {{name}} in the prompt text", and credentials: genesys-dev "not valid:
// Prefix of the environment variables that hold this org's credentials…".
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/config/parse.js';
import type { DocContext } from '../../../src/config/nodes.js';
import { mapSchemaErrors } from '../../../src/schema/errors.js';
import { checkHeader } from '../../../src/schema/header.js';
import { validators } from '../../../src/schema/validator.js';

function messages(src: string): string[] {
  const d = parseYaml(src, 'd.yaml').documents[0]!;
  const ctx: DocContext = { file: 'd.yaml', doc: d.doc, src: d.src, lineCounter: d.lineCounter };
  const h = checkHeader(ctx, d.data);
  return mapSchemaErrors(ctx, validators().validate(h.kind!, d.data)).filter((x) => x.rule === 'schema/pattern').map((x) => x.message);
}

describe('a pattern error says what a valid value looks like', () => {
  it('for a variable name', () => {
    const [m] = messages(`apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: billing
  version: "1.0.0"
  systemInstruction: s
  userTemplate: "{{a}}"
  variables: [{name: "customer name", type: string}]
`);
    expect(m).toMatch(/^spec\.variables\[0\]\.name "customer name" is not valid: letters, digits and _/i);
  });

  it('for the credentials prefix and the audit key variable of the config', () => {
    const ms = messages(`apiVersion: promptctl/v1
kind: Config
spec:
  audit: {http: [{url: "https://audit.example.com", secretEnv: audit-key}]}
  environments:
    dev: {credentials: genesys-dev}
`);
    expect(ms).toHaveLength(2);
    for (const m of ms) expect(m).toMatch(/is not valid: upper-case letters, digits and _/i);
  });
});

describe('the name a pattern error suggests', () => {
  it('holds no control character (a NUL would be refused again)', () => {
    const [m] = messages('apiVersion: promptctl/v1\nkind: Guide\nmetadata:\n  name: "a\\u0000b\\nc"\nspec:\n  instruction: Help.\n');
    expect(m).toMatch(/is not valid/);
    expect(m).not.toMatch(/did you mean/);
  });
});

describe('a name written with a look-alike of an ASCII letter', () => {
  it('says which character it is, and suggests the name in ASCII', () => {
    const [m] = messages('apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: "b\u043et"\nspec:\n  model: gpt-4o\n');
    // It printed as "bot" and said only which characters a name may hold.
    expect(m).toBe(
      'metadata.name "b\u043et" is not valid: Lowercase letters, digits and hyphens; 3 to 128 characters; starts and ends with a letter or digit (did you mean "bot"?) (it holds U+043E, a look-alike of "o")',
    );
  });
});

describe('a blank value where one must have text', () => {
  it('is said to be blank', () => {
    const ms = messages(`apiVersion: promptctl/v1
kind: Guide
metadata: {name: Returns}
spec:
  instruction: hi
  dataActions: [{id: " ", label: " "}]
`);
    expect(ms).toHaveLength(2);
    for (const m of ms) expect(m).toMatch(/is not valid: .*not blank/);
  });
});
