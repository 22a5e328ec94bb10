// A PromptTest's jsonSchema written for another draft (its `$schema` names draft-07, as many
// copied schemas do) is a problem of the document: reported at its file:line:column with exit 1,
// not an internal error.
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import type { TempDir } from '../helpers/tmp.js';
import { jsonSchemaTestProject } from './evals-support.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

const SCHEMA = `            $schema: "http://json-schema.org/draft-07/schema#"
            type: object
`;

describe('a jsonSchema assertion of another draft', () => {
  it('is an error at the $schema line, exit 1, for validate and test', async () => {
    dir = await jsonSchemaTestProject('promptctl-schema-dialect-', SCHEMA);
    for (const command of ['validate', 'test']) {
      const r = await runCliInProcess([command], { cwd: dir.path });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).not.toContain('internal');
      expect(r.stdout + r.stderr).toMatch(/prompts\/tests\/json\.yaml:15:\d+: error: jsonSchema is .*draft-07.*\[tests\/invalid-json-schema\]/);
    }
  });
});
