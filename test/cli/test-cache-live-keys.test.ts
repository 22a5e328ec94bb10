// `promptctl test`'s results cache against a real emulator on port 0, in-process: a cached result
// stands while what the target answers a call from is the same (the filters that apply to the
// template it calls, the versions it can reach), whatever else changes on the target; a change to
// those runs just the calls it can affect again.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestReport } from '../../src/evals/types.js';
import { runCliInProcess } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { ANSWERS_TEST, evalsProject, type EvalsProject } from './evals-support.js';

let p: EvalsProject | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

/** One case of faq-bot that names no version: the split (1.0.0 and 1.1.0, 50/50) routes it. */
const SPLIT_TEST = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: faq-split
spec:
  target:
    template: faq-bot
  cases:
    - name: refund
      vars:
        question: "How long does a refund take?"
      expect:
        - contains: "5 working days"
`;

/** Calls made and answered from the cache by one `test` run, per test (faq-answers: pinned to 1.1.0; faq-split). */
async function counts(project: EvalsProject): Promise<Record<string, { made: number; cached: number }>> {
  const r = await project.cli(['test', '--format', 'json']);
  const report = JSON.parse(r.stdout) as { tests: Array<{ name: string; runs: Array<{ cached: boolean }> }> };
  return Object.fromEntries(
    report.tests.map((t) => [t.name, { made: t.runs.filter((x) => !x.cached).length, cached: t.runs.filter((x) => x.cached).length }]),
  );
}

const ALL_CACHED = { 'faq-answers': { made: 0, cached: 2 }, 'faq-split': { made: 0, cached: 1 } };

/** A live object's body for an update: its fields without the server's. */
function body<T extends object>(live: T): Record<string, unknown> {
  const { id, dateCreated, dateModified, createdBy, modifiedBy, selfUri, versions, traffic, ...rest } = live as Record<string, unknown>;
  void [id, dateCreated, dateModified, createdBy, modifiedBy, selfUri, versions, traffic];
  return rest;
}

describe('promptctl test: what keeps a cached result', () => {
  it('a filter for another template, its threshold, the template description and labels, an unrouted new version: still answered from the cache', async () => {
    p = await evalsProject({ 'answers.yaml': ANSWERS_TEST, 'split.yaml': SPLIT_TEST });
    expect(await counts(p)).toEqual({ 'faq-answers': { made: 2, cached: 0 }, 'faq-split': { made: 1, cached: 0 } });
    expect(await counts(p)).toEqual(ALL_CACHED);
    const api = p.emu.api;

    // A filter for a template the tests do not call.
    await api.createTemplate({ name: 'other', model: 'gpt-4o-mini' });
    const other = await api.createFilter({ name: 'other-pii', priority: 5, categories: ['pii'], action: 'block_and_log', thresholds: { pii: 0.5 }, falsePositiveTolerance: 0, appliesTo: { templates: ['other'] } });
    expect(await counts(p)).toEqual(ALL_CACHED);
    // Its threshold changed.
    await api.updateFilter(other.id, { ...body(other), thresholds: { pii: 0.9 } } as never);
    expect(await counts(p)).toEqual(ALL_CACHED);

    // The tested template's description and labels: no filter selects by label.
    const [faq] = await api.listTemplates({ name: 'faq-bot' });
    await api.updateTemplate(faq!.id, { ...body(faq!), description: 'Answers order questions.', labels: { 'managed-by': 'promptctl', team: 'support' } } as never);
    expect(await counts(p)).toEqual(ALL_CACHED);

    // A new version, published, that neither test can reach: one is pinned to 1.1.0, the other's split routes 1.0.0 and 1.1.0.
    await api.createVersion(faq!.id, { version: '3.0.0', systemInstruction: 'Say no.', userTemplate: 'Question: {{question}}', variables: [{ name: 'question', type: 'string' }] });
    await api.publishVersion(faq!.id, '3.0.0');
    expect(await counts(p)).toEqual(ALL_CACHED);
  });

  it('a filter that applies, a split weight change and a route to another version: the calls they can affect are made again', async () => {
    p = await evalsProject({ 'answers.yaml': ANSWERS_TEST, 'split.yaml': SPLIT_TEST });
    await counts(p);
    expect(await counts(p)).toEqual(ALL_CACHED);
    const api = p.emu.api;

    // A filter without appliesTo covers every template: every call.
    const all = await api.createFilter({ name: 'all-violence', priority: 7, categories: ['violence'], action: 'flag_and_pass', thresholds: { violence: 0.5 }, falsePositiveTolerance: 0 });
    expect(await counts(p)).toEqual({ 'faq-answers': { made: 2, cached: 0 }, 'faq-split': { made: 1, cached: 0 } });
    expect(await counts(p)).toEqual(ALL_CACHED);
    // Its threshold: every call again.
    await api.updateFilter(all.id, { ...body(all), thresholds: { violence: 0.8 } } as never);
    expect(await counts(p)).toEqual({ 'faq-answers': { made: 2, cached: 0 }, 'faq-split': { made: 1, cached: 0 } });

    // The split's weights: the call it routes, not the pinned ones.
    const [faq] = await api.listTemplates({ name: 'faq-bot' });
    const split = await api.getTraffic(faq!.id);
    const moved = await api.putTraffic(faq!.id, { strategy: 'random', routes: [{ version: '1.0.0', weight: 60 }, { version: '1.1.0', weight: 40 }], version: split!.version });
    expect(await counts(p)).toEqual({ 'faq-answers': { made: 0, cached: 2 }, 'faq-split': { made: 1, cached: 0 } });

    // A route to a new version (its content now reachable): the routed call again.
    await api.createVersion(faq!.id, { version: '3.0.0', systemInstruction: 'Say no.', userTemplate: 'Question: {{question}}', variables: [{ name: 'question', type: 'string' }] });
    await api.publishVersion(faq!.id, '3.0.0');
    expect(await counts(p)).toEqual(ALL_CACHED);
    await api.putTraffic(faq!.id, { strategy: 'random', routes: [{ version: '1.0.0', weight: 60 }, { version: '3.0.0', weight: 40 }], version: moved.version });
    expect(await counts(p)).toEqual({ 'faq-answers': { made: 0, cached: 2 }, 'faq-split': { made: 1, cached: 0 } });
  });
});

/** sticky-bot: 1.0.0 and 1.1.0 split 50/50, sticky on `customer`; each version its own canned answer. */
const STICKY_PROMPTS = `apiVersion: promptctl/v1
kind: PromptTemplate
metadata:
  name: sticky-bot
spec:
  model: gpt-4o-mini
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: sticky-bot
  version: "1.0.0"
  systemInstruction: "Greet the customer."
  userTemplate: "Customer: {{customer}}"
  variables:
    - name: customer
      type: string
      maxLength: 40
---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: sticky-bot
  version: "1.1.0"
  systemInstruction: "Greet the customer warmly."
  userTemplate: "Customer: {{customer}}"
  variables:
    - name: customer
      type: string
      maxLength: 40
---
apiVersion: promptctl/v1
kind: TrafficSplit
spec:
  template: sticky-bot
  strategy: sticky
  stickyKey: customer
  routes:
    - version: "1.0.0"
      weight: 50
    - version: "1.1.0"
      weight: 50
`;

const CUSTOMERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];

const STICKY_TEST = `apiVersion: promptctl/v1
kind: PromptTest
metadata:
  name: sticky-cases
spec:
  target:
    template: sticky-bot
  threshold: 0
  responses:
    - match: {version: "1.0.0"}
      output: "answered by one-zero"
    - match: {version: "1.1.0"}
      output: "answered by one-one"
  cases:
${CUSTOMERS.map((c) => `    - name: ${c}\n      vars: {customer: ${c}}\n      expect:\n        - contains: answered`).join('\n')}
`;

describe('promptctl test: a template deleted and made again', () => {
  it('is another object: its sticky split places keys anew, so no result of the old one is reused', { timeout: 60_000 }, async () => {
    const dir = await tempDir('promptctl-sticky-recreated-');
    try {
      await mkdir(join(dir.path, 'prompts', 'tests'), { recursive: true });
      await writeFile(join(dir.path, 'prompts', 'sticky.yaml'), STICKY_PROMPTS);
      await writeFile(join(dir.path, 'prompts', 'tests', 'sticky.yaml'), STICKY_TEST);
      const run = (args: string[]) => runCliInProcess(args, { cwd: dir.path });
      const ok = async (args: string[]) => {
        const r = await run(args);
        expect(r.code, r.stdout + r.stderr).toBe(0);
        return r;
      };
      /** Per case: the version that answered, and whether the cache did. */
      const routed = async (args: string[]) => {
        const report = JSON.parse((await run(['test', '--format', 'json', ...args])).stdout) as TestReport;
        return report.tests[0]!.runs.map((r) => ({ output: r.observation.output, cached: r.cached }));
      };
      await ok(['apply', '--auto-approve']);
      expect((await routed([])).every((r) => !r.cached)).toBe(true);

      // Deleted (prune), then made again from the same files: a new id.
      await rename(join(dir.path, 'prompts'), join(dir.path, 'away'));
      await mkdir(join(dir.path, 'prompts'));
      await ok(['apply', '--auto-approve', '--prune', '--allow-mass-delete']);
      await rm(join(dir.path, 'prompts'), { recursive: true });
      await rename(join(dir.path, 'away'), join(dir.path, 'prompts'));
      await ok(['apply', '--auto-approve']);

      // Before the fix every case was "answered from the cache" with the old object's versions.
      const again = await routed([]);
      const fresh = await routed(['--no-cache']);
      expect(again.every((r) => !r.cached)).toBe(true);
      expect(again.map((r) => r.output)).toEqual(fresh.map((r) => r.output));
      expect((await routed([])).every((r) => r.cached)).toBe(true);
    } finally {
      await dir.remove();
    }
  });
});
