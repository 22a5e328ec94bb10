// `promptctl test`'s results cache against a real emulator on port 0, in-process: a cached result
// stands while what the target answers a call from is the same (the filters that apply to the
// template it calls, the versions it can reach), whatever else changes on the target; a change to
// those runs just the calls it can affect again.
import { afterEach, describe, expect, it } from 'vitest';
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
