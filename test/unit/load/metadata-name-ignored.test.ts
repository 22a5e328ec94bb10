// A PromptVersion is addressed by spec.template + spec.version, a TrafficSplit by spec.template
// (DESIGN §2): a metadata.name on either (the schema takes one) names nothing, and validate says
// so at the name, where it was dropped without a word.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadProject } from '../../../src/load/index.js';

const FILE = `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: billing
spec:
  model: gpt-4o
---
apiVersion: promptctl/v1
kind: PromptVersion
metadata:
  name: billing-v1
spec:
  template: billing
  version: 1.0.0
  systemInstruction: Be brief.
  userTemplate: "{{q}}"
  variables:
    - {name: q, type: string, maxLength: 100}
---
apiVersion: promptctl/v1
kind: TrafficSplit
metadata: {name: billing-split}
spec:
  template: billing
  routes:
    - {version: 1.0.0, weight: 100}
`;

let base: string;
beforeEach(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'promptctl-metadata-name-'));
  await mkdir(path.join(base, 'p'));
});
afterEach(() => rm(base, { recursive: true, force: true }));

it('a metadata.name on a PromptVersion or a TrafficSplit is a warning at the name, naming the address that counts', async () => {
  await writeFile(path.join(base, 'p/a.yaml'), FILE);
  const r = await loadProject({ dir: 'p', cwd: base });
  expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.rule}]`)).toEqual([
    'p/a.yaml:11:9: warning: metadata.name "billing-v1" is ignored: a PromptVersion is named by its spec.template and spec.version, here PromptVersion/billing@1.0.0; remove metadata.name [names/ignored]',
    'p/a.yaml:22:18: warning: metadata.name "billing-split" is ignored: a TrafficSplit is named by its spec.template (one split per template), here TrafficSplit/billing; remove metadata.name [names/ignored]',
  ]);
  // Warnings only: both still load.
  expect(r.state!.versions).toHaveLength(1);
  expect(r.state!.splits).toHaveLength(1);
});

it('says nothing of metadata without a name', async () => {
  await writeFile(path.join(base, 'p/a.yaml'), FILE.replace('metadata:\n  name: billing-v1\n', '').replace('metadata: {name: billing-split}\n', ''));
  const r = await loadProject({ dir: 'p', cwd: base });
  expect(r.diagnostics).toEqual([]);
});
