// A PromptTest on a guide that names a version the way Genesys numbers guide versions ("1.0") in a
// routedTo: it cannot hold for a guide, and validate says so at once, not that "1.0" is no semver
// ("did you mean 1.0.0?"), a fix that only earns the second message. Found in review. A canned
// response's match.version is a guide version's label ("2.0"): said to be quoted, or to be such a
// label, not a semver. A template test keeps the semver message.
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

const test = (target: string, version = '2.0') => `apiVersion: promptctl/v1
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
    - match: {version: ${version}}
      output: hi
`;

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

async function validate(target: string, version?: string): Promise<{ code: number; lines: string[] }> {
  dir = await tempDir('promptctl-guide-versions-');
  await mkdir(join(dir.path, 'prompts'));
  await writeFile(join(dir.path, 'prompts', 'guide.yaml'), GUIDE);
  await writeFile(join(dir.path, 'prompts', 'billing.yaml'), TEMPLATE);
  await writeFile(join(dir.path, 'prompts', 'test.yaml'), test(target, version));
  const r = await runCliInProcess(['validate'], { cwd: dir.path });
  return { code: r.code, lines: r.stdout.split('\n').filter((l) => l.startsWith('prompts/test.yaml')) };
}

it('a guide test: routedTo is said not to hold for a guide; a response version is a guide version label', async () => {
  const routedTo = 'prompts/test.yaml:13:21: error: routedTo is about the LLM Gateway (safety filters, traffic splits) and cannot hold for a guide; test it on a template target [tests/assertion-target]';
  const unquoted = await validate('{guide: Returns helper}');
  expect(unquoted.code).toBe(1);
  expect(unquoted.lines).toEqual([
    routedTo,
    'prompts/test.yaml:16:24: error: responses[0].match.version must be a quoted string: YAML reads the unquoted 2.0 as the number 2. Quote it: responses[0].match.version: "2.0" [version/not-string]',
  ]);
  await dir?.remove();
  expect((await validate('{guide: Returns helper}', '"2.0"')).lines).toEqual([routedTo]);
  await dir?.remove();
  expect((await validate('{guide: Returns helper}', '"1.0.0"')).lines).toEqual([
    routedTo,
    'prompts/test.yaml:16:24: error: responses[0].match.version "1.0.0" is not a guide version label: Genesys numbers a guide\'s versions MAJOR.MINOR (did you mean "1.0"?) [version/not-guide-label]',
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
