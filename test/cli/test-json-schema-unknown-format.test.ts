// A jsonSchema assertion with a format ajv does not know (a typo: "emial") was silently ignored:
// validate said nothing (ajv only wrote a warning to the process's stderr) and the assertion then
// passed on any string. It is an error at the format's file:line:column, exit 1.
import { afterEach, describe, expect, it } from 'vitest';
import { createSchemaCache, evaluate } from '../../src/evals/assertions.js';
import type { Assertion } from '../../src/model/types.js';
import { runCliInProcess } from '../helpers/cli.js';
import { answered } from '../helpers/observations.js';
import type { TempDir } from '../helpers/tmp.js';
import { jsonSchemaTestProject } from './evals-support.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const SCHEMA = `            type: object
            properties:
              contact:
                type: string
                format: emial
`;

describe('a jsonSchema format ajv does not know', () => {
  it('is an error at the format line, exit 1, with a suggestion', async () => {
    dir = await jsonSchemaTestProject('promptctl-schema-format-', SCHEMA);
    const r = await runCliInProcess(['validate'], { cwd: dir.path });
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toMatch(/prompts\/tests\/json\.yaml:19:\d+: error: jsonSchema is .*format "emial".*did you mean "email"\?.*\[tests\/invalid-json-schema\]/);
  });

  it('a known format is checked by the assertion', () => {
    const a = { type: 'jsonSchema', not: false, path: 'x', value: { type: 'object', properties: { contact: { type: 'string', format: 'email' } } } } as Assertion;
    const schemas = createSchemaCache();
    expect(evaluate(a, answered('{"contact": "ada@example.com"}'), { inputs: [], schemas }).passed).toBe(true);
    expect(evaluate(a, answered('{"contact": "not an address"}'), { inputs: [], schemas }).passed).toBe(false);
  });
});
