// A jsonSchema assertion with a format ajv does not know (a typo: "emial") was silently ignored:
// validate said nothing (ajv only wrote a warning to the process's stderr) and the assertion then
// passed on any string. It is an error at the format's file:line:column, exit 1.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSchemaCache, evaluate } from '../../src/evals/assertions.js';
import type { Assertion } from '../../src/model/types.js';
import { runCliInProcess } from '../helpers/cli.js';
import { answered } from '../helpers/observations.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { PROMPTS_YAML } from './evals-support.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const TEST = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: faq-json
spec:
  target:
    template: faq-bot
    version: "1.1.0"
  cases:
    - name: answers json
      vars:
        question: "json please"
      expect:
        - jsonSchema:
            type: object
            properties:
              contact:
                type: string
                format: emial
`;

describe('a jsonSchema format ajv does not know', () => {
  it('is an error at the format line, exit 1, with a suggestion', async () => {
    dir = await tempDir('promptctl-schema-format-');
    await mkdir(join(dir.path, 'prompts', 'tests'), { recursive: true });
    await writeFile(join(dir.path, 'prompts', 'faq.yaml'), PROMPTS_YAML + '\n');
    await writeFile(join(dir.path, 'prompts', 'tests', 'json.yaml'), TEST);
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
