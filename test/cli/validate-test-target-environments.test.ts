// A PromptTest whose guide (or template) is kept to other environments by its metadata.environments
// is, in those environments, told so at its target, with the fix (the test's own
// metadata.environments), not that the guide "is not defined by any Guide", which git plainly
// defines. Found in review. Quiet where the target is, and once the test names the same environments.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const CONFIG = `apiVersion: promptctl/v1
kind: Config
spec:
  environments:
    dev: {credentials: GENESYSCLOUD_DEV}
    prod: {credentials: GENESYSCLOUD_PROD}
`;

const GUIDE = `apiVersion: promptctl/v1
kind: Guide
metadata:
  name: Returns helper
  environments: [prod]
spec:
  instruction: "Help the customer return an order."
`;

const TEMPLATE = `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: billing
  environments: [prod]
spec:
  model: gpt-4o
---
apiVersion: promptctl/v1
kind: PromptVersion
metadata:
  environments: [prod]
spec:
  template: billing
  version: "1.0.0"
  systemInstruction: Be brief.
  userTemplate: "Hi"
`;

const test = (name: string, target: string, environments = '') => `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: ${name}${environments}
spec:
  target: ${target}
  cases:
    - name: one
      messages:
        - role: user
          content: hi
      expect:
        - contains: hi
`;

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

async function validate(environments: string, ...args: string[]): Promise<{ code: number; lines: string[] }> {
  dir = await tempDir('promptctl-test-target-env-');
  await mkdir(join(dir.path, 'prompts'));
  await writeFile(join(dir.path, 'prompts', 'promptctl.yaml'), CONFIG);
  await writeFile(join(dir.path, 'prompts', 'guide.yaml'), GUIDE);
  await writeFile(join(dir.path, 'prompts', 'billing.yaml'), TEMPLATE);
  await writeFile(join(dir.path, 'prompts', 'guide-test.yaml'), test('guide-test', '{guide: Returns helper}', environments));
  await writeFile(join(dir.path, 'prompts', 'billing-test.yaml'), test('billing-test', '{template: billing}', environments));
  const r = await runCliInProcess(['validate', ...args], { cwd: dir.path });
  return { code: r.code, lines: r.stdout.split('\n').filter((l) => l.includes('error:')) };
}

const EXPECTED = [
  'prompts/billing-test.yaml:6:22: error: in environment dev, this test targets template "billing", which is not in dev: PromptTemplate billing is limited to prod by its metadata.environments at prompts/billing.yaml:5:17; give the test the same metadata.environments [environments/target-not-in-environment]',
  'prompts/guide-test.yaml:6:19: error: in environment dev, this test targets guide "Returns helper", which is not in dev: Guide Returns helper is limited to prod by its metadata.environments at prompts/guide.yaml:5:17; give the test the same metadata.environments [environments/target-not-in-environment]',
];

it('a test in every environment whose target is kept to prod: said at its target, for dev, with or without --env dev', async () => {
  const all = await validate('');
  expect(all.code).toBe(1);
  expect(all.lines).toEqual(EXPECTED);
  await dir?.remove();
  const dev = await validate('', '--env', 'dev');
  expect(dev.code).toBe(1);
  expect(dev.lines).toEqual(EXPECTED);
});

it('quiet in prod, and once the test names the same environments', async () => {
  expect(await validate('', '--env', 'prod')).toEqual({ code: 0, lines: [] });
  await dir?.remove();
  expect(await validate('\n  environments: [prod]')).toEqual({ code: 0, lines: [] });
});

// A test pinned to a version kept out of an environment by the version's metadata.environments
// (its template there): said as the route rule says a split's route, not "not declared by any
// PromptVersion (did you mean "1.0.0"?)", which git plainly declares.
it('a test pinned to a version kept to prod: said at its version for dev, with the fix; quiet in prod', async () => {
  dir = await tempDir('promptctl-test-version-env-');
  await mkdir(join(dir.path, 'prompts'));
  await writeFile(join(dir.path, 'prompts', 'promptctl.yaml'), CONFIG);
  const version = (label: string, environments: string) => `apiVersion: promptctl/v1
kind: PromptVersion
${environments}spec:
  template: billing
  version: "${label}"
  systemInstruction: Be brief.
  userTemplate: "Hi"
`;
  const billing = `apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: billing\nspec:\n  model: gpt-4o\n---\n${version('1.0.0', '')}---\n${version('2.0.0', 'metadata: {environments: [prod]}\n')}`;
  await writeFile(join(dir.path, 'prompts', 'billing.yaml'), billing);
  await writeFile(join(dir.path, 'prompts', 'billing-test.yaml'), test('billing-test', '{template: billing, version: "2.0.0"}'));
  const dev = await runCliInProcess(['validate', '--env', 'dev'], { cwd: dir.path });
  expect(dev.code).toBe(1);
  expect(dev.stdout.split('\n').filter((l) => l.includes('error:'))).toEqual([
    'prompts/billing-test.yaml:6:40: error: in environment dev, this test targets version 2.0.0 of template "billing", which is not in dev: PromptVersion billing@2.0.0 is limited to prod by its metadata.environments at prompts/billing.yaml:18:26; give the test the same metadata.environments, or pin a version dev has [environments/target-not-in-environment]',
  ]);
  const prod = await runCliInProcess(['validate', '--env', 'prod'], { cwd: dir.path });
  expect(prod.code, prod.stdout).toBe(0);
});
