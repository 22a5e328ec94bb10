// A document lacking only a setting an if/then asks for (a sticky split's stickyKey, an enum's
// values) is still loaded, so its other problems show in the same run; one lacking what it is
// about (a PromptTest's target template) is not, and says nothing made up ("undefined"). An enum
// without values counts as nothing in the worst case meanwhile: no budget error on a guess.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/load/index.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function load(files: Record<string, string>) {
  dir = await mkdtemp(path.join(tmpdir(), 'promptctl-conditional-'));
  await mkdir(path.join(dir, 'prompts'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, 'prompts', name), text);
  const r = await loadProject({ dir: 'prompts', cwd: dir });
  return r.diagnostics.map((d) => `${d.rule}: ${d.message}`);
}

const TEMPLATE = 'apiVersion: promptctl/v1\nkind: PromptTemplate\nmetadata: {name: billing}\nspec:\n  model: gpt-4o\n  budget: {maxPromptTokens: 300}\n';
const version = (uses: number) =>
  `apiVersion: promptctl/v1\nkind: PromptVersion\nspec:\n  template: billing\n  version: "1.0.0"\n  systemInstruction: "${'Tier {{tier}}. '.repeat(uses)}"\n  userTemplate: Hello.\n  variables:\n    - name: tier\n      type: enum\n`;

describe('documents lacking a field an if/then asks for', () => {
  it('an enum without values: its error alone, no budget error on a made-up bound', async () => {
    const ds = await load({ 't.yaml': TEMPLATE, 'v.yaml': version(6) });
    expect(ds).toEqual([expect.stringMatching(/^variables\/enum-values: /)]);
  });

  it('a PromptTest without its target template: the schema says so once, and no template "undefined"', async () => {
    const test = 'apiVersion: promptctl/v1\nkind: PromptTest\nmetadata: {name: smoke}\nspec:\n  target: {version: "1.0.0"}\n  cases:\n    - name: c\n      vars: {}\n      expect:\n        - contains: x\n';
    const ds = await load({ 't.yaml': TEMPLATE, 'v.yaml': version(1).replace('type: enum', 'type: enum\n      values: [gold]'), 'test.yaml': test });
    expect(ds.join('\n')).not.toContain('undefined');
    expect(ds.filter((d) => d.startsWith('tests/'))).toHaveLength(1);
  });
});
