// A bidirectional control in a description ("Trojan Source": the review shows the text around it
// in another order than it is written) is a warning at its own file:line:column, in a plain, a
// quoted (written as an escape) and a folded description, and in a document left out of the state;
// so is one in a PromptTest case's name, which test's reports and JUnit show.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadProject } from '../../../src/load/index.js';

let dir: string;
beforeEach(async () => {
  dir = path.join(await mkdtemp(path.join(tmpdir(), 'promptctl-hidden-description-')), 'p');
  await mkdir(dir);
});
afterEach(() => rm(path.dirname(dir), { recursive: true, force: true }));

it('places each where it is written', async () => {
  await writeFile(
    path.join(dir, 't.yaml'),
    [
      'apiVersion: promptctl/v1',
      'kind: PromptTemplate',
      'metadata: {name: billing}',
      'spec:',
      '  description: "Access \\u202Eresu level admin"',
      '  model: gpt-4o',
      '---',
      'apiVersion: promptctl/v1',
      'kind: SafetyFilter',
      'metadata: {name: guard}',
      'spec:',
      '  description: >',
      '    Blocks what',
      '    it \u2067must\u2069.',
      '  priority: 1',
      '  categories: [pii]',
      '  action: block_and_log',
      '  thresholds: {pii: 0.5}',
      '  falsePositiveTolerance: 0.1',
      '---',
      'apiVersion: promptctl/v1',
      'kind: PromptTemplate',
      'metadata: {name: broken}',
      'spec:',
      '  description: x\u202Dy',
      '  model: gpt-4o',
      '  colour: red',
      '',
    ].join('\n'),
  );
  const r = await loadProject({ dir: 'p', cwd: path.dirname(dir) });
  expect(r.diagnostics.filter((d) => d.rule === 'text/hidden-in-description').map((d) => `${d.severity} ${d.line}:${d.column} ${d.message.split(',')[0]}`)).toEqual([
    'warning 5:24 U+202E (RIGHT-TO-LEFT OVERRIDE) in description',
    'warning 14:8 U+2067 (RIGHT-TO-LEFT ISOLATE) in description',
    'warning 25:17 U+202D (LEFT-TO-RIGHT OVERRIDE) in description',
  ]);
});

// From review: a case name holding a bidi control or tag characters got no warning, while a
// description did; test's output, the markdown report and JUnit show that name to a reviewer.
it('places one in a test case name where it is written, in a loaded test and in one that failed its schema', async () => {
  await writeFile(
    path.join(dir, 'billing.yaml'),
    [
      'apiVersion: promptctl/v1',
      'kind: PromptTemplate',
      'metadata: {name: billing}',
      'spec: {model: gpt-4o}',
      '---',
      'apiVersion: promptctl/v1',
      'kind: PromptVersion',
      'spec:',
      '  template: billing',
      '  version: 1.0.0',
      '  systemInstruction: You help.',
      '  userTemplate: "{{q}}"',
      '  variables: [{name: q, type: string, maxLength: 20}]',
      '',
    ].join('\n'),
  );
  await writeFile(
    path.join(dir, 'smoke.yaml'),
    [
      'apiVersion: promptctl/v1',
      'kind: PromptTest',
      'metadata: {name: smoke}',
      'spec:',
      '  target: {template: billing}',
      '  cases:',
      '    - name: "refund \\u202Eesrever"',
      '      vars: {q: hi}',
      '      expect: [{contains: x}]',
      '    - name: plain \u2067isolated\u2069 name',
      '      vars: {q: hi}',
      '      expect: [{contains: x}]',
      `    - name: tags${String.fromCodePoint(0xe0068, 0xe0069)}`,
      '      vars: {q: hi}',
      '      expect: [{contains: x}]',
      '    - name: "שלום \u200f עולם 👨\u200d👩\u200d👧"',
      '      vars: {q: hi}',
      '      expect: [{contains: x}]',
      '---',
      'apiVersion: promptctl/v1',
      'kind: PromptTest',
      'metadata: {name: broken}',
      'spec:',
      '  target: {template: billing}',
      '  repeat: -1',
      '  cases:',
      '    - name: >-',
      '        folded',
      '        \u202Dname',
      '      vars: {q: hi}',
      '      expect: [{contains: x}]',
      '',
    ].join('\n'),
  );
  const r = await loadProject({ dir: 'p', cwd: path.dirname(dir) });
  expect(r.diagnostics.filter((d) => d.rule === 'text/hidden-in-description').map((d) => `${d.file} ${d.severity} ${d.line}:${d.column} ${d.message}`)).toEqual([
    'p/smoke.yaml warning 7:21 U+202E (RIGHT-TO-LEFT OVERRIDE) in the name of case 1, a bidirectional control: a review can show the text around it in another order than it is written; remove it',
    'p/smoke.yaml warning 10:19 U+2067 (RIGHT-TO-LEFT ISOLATE) in the name of case 2, a bidirectional control: a review can show the text around it in another order than it is written; remove it, and the other run of invisible characters there',
    'p/smoke.yaml warning 13:17 2 invisible Unicode tag characters in the name of case 3, they spell "hi", which a review does not show; remove them',
    'p/smoke.yaml warning 29:9 U+202D (LEFT-TO-RIGHT OVERRIDE) in the name of case 1, a bidirectional control: a review can show the text around it in another order than it is written; remove it',
  ]);
});
