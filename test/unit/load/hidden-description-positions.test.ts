// A bidirectional control in a description ("Trojan Source": the review shows the text around it
// in another order than it is written) is a warning at its own file:line:column, in a plain, a
// quoted (written as an escape) and a folded description, and in a document left out of the state.
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
