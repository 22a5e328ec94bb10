// `promptctl validate` reports every problem in one run (README "Diagnostics"): a document that
// fails one layer (YAML, the schema) still has what the failure leaves intact checked in the same
// run: its model id, a PromptTest's case names, vars and well-formed assertions, the schema of a document whose only YAML problem
// is a duplicate key. Each repro is added to a copy of the example prompts (which validate clean).
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadProject } from '../../src/load/index.js';
import { REPO, runCliInProcess } from '../helpers/cli.js';

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), 'promptctl-validate-failed-'));
  await cp(path.join(REPO, 'prompts'), path.join(cwd, 'prompts'), { recursive: true });
});
afterEach(() => rm(cwd, { recursive: true, force: true }));

/** `file:line:column rule` of each diagnostic validate prints, and its exit code. */
async function validate(files: Record<string, string>): Promise<{ code: number; found: string[]; stdout: string }> {
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(cwd, 'prompts', name), text);
  const r = await runCliInProcess(['validate', '--dir', 'prompts'], { cwd, env: { PROMPTCTL_DEBUG: '' } });
  const found = r.stdout
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const m = /^(.+?):(\d+):(\d+): (?:error|warning): .* \[([a-z-]+\/[a-z0-9-]+)\]$/.exec(l);
      return m ? `${m[1]}:${m[2]}:${m[3]} ${m[4]}` : `unparsed: ${l}`;
    });
  return { code: r.code, found, stdout: r.stdout };
}

const TEMPLATE = 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata: {name: other-tpl}\nspec:\n  model: gpt-4oo\n  description: 42\n';

const VERSION = [
  'apiVersion: promptctl/v1',
  'kind: PromptVersion',
  'spec:',
  '  template: billing-assistant',
  '  version: "2.0.0"',
  '  model: gpt-4oo',
  '  temperature: 3',
  '  systemInstruction: Help {{who}}.',
  '  userTemplate: "Question: {{question}}"',
  '  variables:',
  '    - {name: question, type: string, maxLength: 200}',
  '',
].join('\n');

const TEST = [
  'apiVersion: promptctl/v1',
  'kind: PromptTest',
  'metadata: {name: typo-test}',
  'spec:',
  '  target: {template: billing-assistant, version: "1.1.0"}',
  '  repeat: 0',
  '  cases:',
  '    - name: one',
  '      vars: {customerName: Sam, qestion: hi, plan: gold}',
  '      expect:',
  '        - contians: x',
  '',
].join('\n');

it('a schema error does not hide the unknown model of a template or a version (with its did-you-mean)', async () => {
  const r = await validate({ 'b.yaml': TEMPLATE, 'v.yaml': VERSION });
  expect(r.found).toEqual([
    'prompts/b.yaml:5:10 tokens/unknown-model',
    'prompts/b.yaml:6:16 schema/type',
    'prompts/v.yaml:6:10 tokens/unknown-model',
    'prompts/v.yaml:7:16 schema/range',
    'prompts/v.yaml:8:27 placeholders/undeclared',
  ]);
  // The text a loaded document's unknown model gets, word for word.
  expect(r.stdout).toContain('prompts/b.yaml:5:10: error: unknown model "gpt-4oo"; did you mean "gpt-4o"? If "gpt-4oo" is the model you mean, declare it under `models:` in promptctl.yaml [tokens/unknown-model]');
  expect(r.stdout).toContain('prompts/v.yaml:6:10: error: unknown model "gpt-4oo"; did you mean "gpt-4o"? If "gpt-4oo" is the model you mean, declare it under `models:` in promptctl.yaml [tokens/unknown-model]');
  expect(r.code).toBe(1);
  // Still out of the desired state: plan refuses it as before.
  const loaded = await loadProject({ dir: 'prompts', cwd });
  expect(loaded.state?.templates.map((t) => t.name)).not.toContain('other-tpl');
  expect(loaded.state?.versions.map((v) => `${v.template}@${v.version}`)).not.toContain('billing-assistant@2.0.0');
});

it('a misspelt assertion and repeat: 0 do not hide the case vars problems of the same test', async () => {
  const r = await validate({ 't.yaml': TEST });
  expect(r.found).toEqual([
    'prompts/t.yaml:6:11 schema/range',
    'prompts/t.yaml:9:7 tests/missing-var',
    'prompts/t.yaml:9:33 tests/unknown-var',
    'prompts/t.yaml:9:52 tests/var-value',
    'prompts/t.yaml:11:11 tests/unknown-assertion',
  ]);
  expect(r.stdout).toContain('var "qestion" is not a variable of billing-assistant@1.1.0 (did you mean "question"?)');
});

it('a case whose own vars are broken is not checked, the others are; a test with an unusable target is not checked', async () => {
  const cases = TEST.replace('  cases:\n', '  cases:\n    - name: broken\n      vars: {customerName: {nested: 1}}\n      expect: [{contains: x}]\n');
  const broken = cases.replace('typo-test', 'typo-test-2').replace('version: "1.1.0"', 'version: 1.1');
  const r = await validate({ 't.yaml': cases, 'u.yaml': broken });
  expect(r.found).toEqual([
    'prompts/t.yaml:6:11 schema/range',
    'prompts/t.yaml:9:28 schema/type',
    'prompts/t.yaml:12:7 tests/missing-var',
    'prompts/t.yaml:12:33 tests/unknown-var',
    'prompts/t.yaml:12:52 tests/var-value',
    'prompts/t.yaml:14:11 tests/unknown-assertion',
    'prompts/u.yaml:5:50 version/not-string',
    'prompts/u.yaml:6:11 schema/range',
    'prompts/u.yaml:9:28 schema/type',
    'prompts/u.yaml:14:11 tests/unknown-assertion',
  ]);
});

it('a duplicate key does not hide the schema errors and unknown model of its document (the first value counts); the document stays out of the plan', async () => {
  const dup = 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: dup-tpl\n  labels: {team: a, team: b}\nspec:\n  model: gpt-4oo\n  description: 42\n';
  // The first `model` counts: the second, a known model, is the mistake the duplicate-key error names.
  const first = 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata: {name: dup-model}\nspec:\n  model: gpt-4oo\n  model: gpt-4o\n';
  const r = await validate({ 'c.yaml': dup, 'e.yaml': first });
  expect(r.found).toEqual([
    'prompts/c.yaml:5:21 yaml/duplicate-key',
    'prompts/c.yaml:7:10 tokens/unknown-model',
    'prompts/c.yaml:8:16 schema/type',
    'prompts/e.yaml:5:10 tokens/unknown-model',
    'prompts/e.yaml:6:3 yaml/duplicate-key',
  ]);
  const loaded = await loadProject({ dir: 'prompts', cwd });
  expect(loaded.state?.templates.map((t) => t.name)).not.toContain('dup-model');
});

it('every YAML problem of a document is said, in source order: an alias naming no anchor above a custom tag', async () => {
  const r = await validate({ 'c.yaml': 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: alias-tpl\n  labels: *nope\nspec:\n  model: !secret gpt-4o\n' });
  expect(r.found).toEqual(['prompts/c.yaml:5:11 yaml/alias', 'prompts/c.yaml:7:10 yaml/tag']);
  expect(r.stdout).toContain('alias *nope names no anchor: define &nope before using it (YAML aliases refer back, never forward) [yaml/alias]');
});

it('a refused tag does not hide the other tags of its document, nor its schema errors: the tagged value is read as its plain scalar', async () => {
  // One run for the three: a custom tag, a !!timestamp (read as the text "2020-01-01", no mapping) and an unknown key.
  const tagged = 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata:\n  name: tagged-tpl\nspec:\n  model: !custom gpt-4o\n  budget: !!timestamp 2020-01-01\n  bogus: 1\n';
  // !!float 100 is read as the 100 written, no error of its own; a duplicate key beside a tag.
  const mixed = 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata: {name: mixed-tpl}\nspec:\n  model: gpt-4oo\n  description: !!binary aGVsbG8=\n  description: y\n  budget: {maxPromptTokens: !!float 100, warnAt: 5}\n';
  const r = await validate({ 'c.yaml': tagged, 'e.yaml': mixed });
  expect(r.found).toEqual([
    'prompts/c.yaml:6:10 yaml/tag',
    'prompts/c.yaml:7:11 yaml/tag',
    'prompts/c.yaml:7:23 schema/type',
    'prompts/c.yaml:8:3 schema/unknown-field',
    'prompts/e.yaml:5:10 tokens/unknown-model',
    'prompts/e.yaml:6:16 yaml/tag',
    'prompts/e.yaml:7:3 yaml/duplicate-key',
    'prompts/e.yaml:8:29 yaml/tag',
    'prompts/e.yaml:8:50 schema/range',
  ]);
  expect(r.stdout).toContain('c.yaml:7:23: error: spec.budget must be a mapping, not "2020-01-01" [schema/type]');
  // Read further, but never planned.
  const loaded = await loadProject({ dir: 'prompts', cwd });
  expect(loaded.state?.templates.map((t) => t.name)).not.toContain('tagged-tpl');
});

it('a document its tags leave unreadable says every tag, and that the rest of it is checked once they are fixed', async () => {
  // An ordered mapping's pairs are no plain data, and a %YAML 1.1 directive would have its values mean other than read.
  const omap = 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata: {name: omap-tpl}\nspec:\n  model: !custom gpt-4o\n  budget: !!omap [maxPromptTokens: 5]\n  bogus: 1\n';
  const directive = '%YAML 1.1\n---\napiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata: {name: v11-tpl}\nspec:\n  model: gpt-4o\n  description: !!binary aGVsbG8=\n  bogus: 1\n';
  const r = await validate({ 'c.yaml': omap, 'e.yaml': directive });
  expect(r.found).toEqual(['prompts/c.yaml:5:10 yaml/tag', 'prompts/c.yaml:6:11 yaml/tag', 'prompts/e.yaml:1:1 yaml/version', 'prompts/e.yaml:8:16 yaml/tag']);
  const note = 'the rest of this document is checked once this is fixed';
  expect(r.stdout).toContain(`c.yaml:5:10: error: Unresolved tag: !custom (custom tags are not supported; ${note}) [yaml/tag]`);
  expect(r.stdout).toContain(`c.yaml:6:11: error: !!omap makes an ordered mapping, which no field of a promptctl document takes: drop the tag (quote the value if it is text; ${note}) [yaml/tag]`);
  expect(r.stdout).toContain(`write such values as 1.2 reads them (${note}) [yaml/version]`);
});

it("a schema error in one assertion does not hide what is wrong with the test's other assertions: a regex that does not compile, an unknown filter", async () => {
  const test = [
    'apiVersion: promptctl/v1',
    'kind: PromptTest',
    'metadata: {name: two-rounds}',
    'spec:',
    '  target: {template: billing-assistant}',
    '  cases:',
    '    - name: one',
    '      vars: {customerName: Sam, question: hi}',
    '      expect:',
    '        - maxLatencyMs: -5',
    '        - regex: "(unclosed"',
    '        - blockedBy: no-such-filter',
    '',
  ].join('\n');
  const r = await validate({ 't.yaml': test });
  expect(r.found).toEqual(['prompts/t.yaml:10:25 schema/range', 'prompts/t.yaml:11:18 tests/invalid-regex', 'prompts/t.yaml:12:22 tests/unknown-filter']);
  expect(r.code).toBe(1);
});

it('repeat: 0 does not hide a case name used twice, nor one with a control character, in the same test', async () => {
  const twice = TEST.replace('      vars: {customerName: Sam, qestion: hi, plan: gold}\n      expect:\n        - contians: x\n', '      vars: {customerName: Sam, question: hi}\n      expect: [{contains: x}]\n    - name: one\n      vars: {customerName: Al, question: yo}\n      expect: [{contains: y}]\n    - name: "bell\\a"\n      vars: {customerName: Bo, question: hm}\n      expect: [{contains: z}]\n');
  const r = await validate({ 't.yaml': twice });
  expect(r.found).toEqual(['prompts/t.yaml:6:11 schema/range', 'prompts/t.yaml:11:13 tests/duplicate-case', 'prompts/t.yaml:14:13 tests/control-character']);
  expect(r.stdout).toContain('case "one" is defined twice in this test (first on line 8); give each case its own name [tests/duplicate-case]');
});
