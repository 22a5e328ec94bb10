// A PromptTest on a guide that names a version the way Genesys numbers guide versions ("1.0") in a
// routedTo or a canned response's match.version: neither can hold for a guide, and validate says
// so at once, not that "1.0" is no semver ("did you mean 1.0.0?"), a fix that only earns the
// second message. Found in review. A template test keeps the semver message.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { RETURNS_GUIDE } from '../helpers/guide-yaml.js';

const GUIDE = RETURNS_GUIDE;

const TEMPLATE = `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: billing
spec:
  model: gpt-4o
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: billing
  version: "1.0.0"
  systemInstruction: Be brief.
  userTemplate: "Hi"
`;

const test = (target: string) => `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: versions
spec:
  target: ${target}
  cases:
    - name: odd
      messages:
        - role: user
          content: hi
      expect:
        - routedTo: "1.0"
        - contains: hi
  responses:
    - match: {version: 2.0}
      output: hi
`;

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

async function validate(target: string): Promise<{ code: number; lines: string[] }> {
  dir = await tempDir('promptctl-guide-versions-');
  await mkdir(join(dir.path, 'prompts'));
  await writeFile(join(dir.path, 'prompts', 'guide.yaml'), GUIDE);
  await writeFile(join(dir.path, 'prompts', 'billing.yaml'), TEMPLATE);
  await writeFile(join(dir.path, 'prompts', 'test.yaml'), test(target));
  const r = await runCliInProcess(['validate'], { cwd: dir.path });
  return { code: r.code, lines: r.stdout.split('\n').filter((l) => l.startsWith('prompts/test.yaml')) };
}

it('a guide test: routedTo and a response version are said not to hold for a guide, whatever the label', async () => {
  const r = await validate('{guide: Returns helper}');
  expect(r.code).toBe(1);
  expect(r.lines).toEqual([
    'prompts/test.yaml:13:21: error: routedTo is about the LLM Gateway (safety filters, traffic splits) and cannot hold for a guide; test it on a template target [tests/assertion-target]',
    'prompts/test.yaml:16:24: error: responses[0].match.version can never hold: a guide is tested on its latest saved version; leave version out [tests/response-version]',
  ]);
});

it('a template test: the labels are still told to be semantic versions', async () => {
  const r = await validate('{template: billing}');
  expect(r.code).toBe(1);
  expect(r.lines.map((l) => l.replace(/^(\S+) error: (\S+ "?[^ "]+"?).*(\[[^\]]+\])$/, '$1 $2 $3'))).toEqual([
    'prompts/test.yaml:13:21: routedTo "1.0" [version/not-semver]',
    'prompts/test.yaml:16:24: responses[0].match.version must [version/not-string]',
  ]);
});
