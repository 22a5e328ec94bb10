// A PromptTest's jsonSchema written for another draft (its `$schema` names draft-07, as many
// copied schemas do) is a problem of the document: reported at its file:line:column with exit 1,
// not an internal error.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
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
            $schema: "http://json-schema.org/draft-07/schema#"
            type: object
`;

describe('a jsonSchema assertion of another draft', () => {
  it('is an error at the $schema line, exit 1, for validate and test', async () => {
    dir = await tempDir('promptctl-schema-dialect-');
    await mkdir(join(dir.path, 'prompts', 'tests'), { recursive: true });
    await writeFile(join(dir.path, 'prompts', 'faq.yaml'), PROMPTS_YAML + '\n');
    await writeFile(join(dir.path, 'prompts', 'tests', 'json.yaml'), TEST);
    for (const command of ['validate', 'test']) {
      const r = await runCliInProcess([command], { cwd: dir.path });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).not.toContain('internal');
      expect(r.stdout + r.stderr).toMatch(/prompts\/tests\/json\.yaml:15:\d+: error: jsonSchema is .*draft-07.*\[tests\/invalid-json-schema\]/);
    }
  });
});
