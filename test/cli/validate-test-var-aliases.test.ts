// A PromptTest case's var of the wrong type written once and reused through a YAML alias (a
// case's vars repeated with `vars: *v`, a value with `name: *n`) is one mistake: validate says it
// once, at file:line:column of the value the user must change (the anchor). Found in review: it
// was said again at each alias, a place where the fix cannot be made.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

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
  userTemplate: "{{account}} asks {{question}} ({{count}})"
  variables:
    - {name: account, type: string, maxLength: 20}
    - {name: question, type: string, maxLength: 200}
    - {name: count, type: number, required: false, default: 1, maxTokens: 5}
`;

const test = (cases: string) => `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: billing-vars
spec:
  target: {template: billing, version: "1.0.0"}
  cases:
${cases}`;

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

async function validate(cases: string): Promise<{ code: number; lines: string[] }> {
  dir = await tempDir('promptctl-var-alias-');
  await mkdir(join(dir.path, 'prompts'));
  await writeFile(join(dir.path, 'prompts', 't.yaml'), TEMPLATE);
  await writeFile(join(dir.path, 'prompts', 'test.yaml'), test(cases));
  const r = await runCliInProcess(['validate'], { cwd: dir.path });
  return { code: r.code, lines: r.stdout.split('\n').filter((l) => l.includes('[tests/')) };
}

describe('a wrong var type reused through an alias', () => {
  it('a case whose vars repeat another\'s (`vars: *v`): said once, at the anchored value', async () => {
    const r = await validate(`    - name: one
      vars: &v
        account: 42
        question: Hi
      expect: [{contains: a}]
    - name: two
      vars: *v
      expect: [{contains: a}]
`);
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([
      'prompts/test.yaml:10:18: error: var "account" is a number (42), but variable "account" is of type string: give a string (quote it) (billing@1.0.0) [tests/var-type]',
    ]);
  });

  it('a var whose value is an alias of the same var\'s anchor: said once, at the anchor', async () => {
    const r = await validate(`    - name: one
      vars: {account: &n 42, question: Hi}
      expect: [{contains: a}]
    - name: two
      vars:
        account: *n
        question: Hello
      expect: [{contains: a}]
`);
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([
      'prompts/test.yaml:9:26: error: var "account" is a number (42), but variable "account" is of type string: give a string (quote it) (billing@1.0.0) [tests/var-type]',
    ]);
  });

  it('an anchor right where it is written, wrong where an alias uses it for another var: said at the alias', async () => {
    const r = await validate(`    - name: one
      vars: {count: &n 42, account: A-1, question: Hi}
      expect: [{contains: a}]
    - name: two
      vars:
        account: *n
        question: Hello
      expect: [{contains: a}]
`);
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([
      'prompts/test.yaml:13:18: error: var "account" is a number (42), but variable "account" is of type string: give a string (quote it) (billing@1.0.0) [tests/var-type]',
    ]);
  });

  // From review: one tests/missing-var per case, though one edit at the anchor sets the var for all.
  it('a required var missing from vars that cases repeat (`vars: *v`): said once, by the case that writes them, naming the others', async () => {
    const r = await validate(`    - name: one
      vars: &v
        account: A-1
      expect: [{contains: a}]
    - name: two
      vars: *v
      expect: [{contains: a}]
    - name: three
      vars: *v
      expect: [{contains: a}]
    - name: four
      vars: {account: B-2}
      expect: [{contains: a}]
`);
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([
      'prompts/test.yaml:9:7: error: case "one" does not set variable "question", which billing@1.0.0 requires, nor do cases "two" and "three", whose vars repeat these through an alias [tests/missing-var]',
      'prompts/test.yaml:19:7: error: case "four" does not set variable "question", which billing@1.0.0 requires [tests/missing-var]',
    ]);
  });

  it('vars anchored outside the cases and repeated by each: said once, at the anchored mapping', async () => {
    dir = await tempDir('promptctl-var-alias-');
    await mkdir(join(dir.path, 'prompts'));
    await writeFile(join(dir.path, 'prompts', 't.yaml'), TEMPLATE);
    const labelled = test(`    - name: one
      vars: *v
      expect: [{contains: a}]
    - name: two
      vars: *v
      expect: [{contains: a}]
`).replace('  name: billing-vars\n', '  name: billing-vars\n  labels: &v\n    account: A-1\n');
    await writeFile(join(dir.path, 'prompts', 'test.yaml'), labelled);
    const r = await runCliInProcess(['validate'], { cwd: dir.path });
    expect(r.stdout.split('\n').filter((l) => l.includes('[tests/'))).toEqual([
      'prompts/test.yaml:6:5: error: cases "one" and "two" do not set variable "question", which billing@1.0.0 requires: their vars repeat this mapping through an alias [tests/missing-var]',
    ]);
  });
});
