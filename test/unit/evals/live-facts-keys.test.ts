// The live part of a PromptTest call's cache key (evals/live-facts.ts): what the target answers that
// call from, and no more. Found by a review: a filter of another template, a template's description
// and a version no call reaches each threw every cached result of the org away. And evals' reading
// of which filters apply agrees with the emulator's (emulator/safety.ts), which evals may not import.
import { describe, expect, it } from 'vitest';
import { applicableFilters } from '../../../src/emulator/safety.js';
import type { FilterRec } from '../../../src/emulator/state.js';
import { filtersMet, liveFacts, type LiveFacts } from '../../../src/evals/live-facts.js';
import { planTests } from '../../../src/evals/render.js';
import type { WireGuideVersion } from '../../../src/targets/aistudio/wire.js';
import type { LiveGuide } from '../../../src/targets/live.js';
import type { WireFilter, WireTemplate, WireVersion } from '../../../src/targets/llmgateway/wire.js';
import { guide, promptTest, split, state, template, testCase, variable, version } from '../rules/build.js';

const q = variable('question');
const s = state({
  templates: [template('billing')],
  versions: ['1.0.0', '1.1.0', '2.0.0'].map((v) => version('billing', v, { userTemplate: '{{question}}', variables: [q] })),
  splits: [split('billing', [['1.0.0', 50], ['1.1.0', 50]])],
  guides: [guide('returns')],
});
const pinned = promptTest('pinned', { template: 'billing', version: '1.0.0' }, [testCase('c', { question: 'refund?' })]);
const routed = promptTest('routed', { template: 'billing' }, [testCase('c', { question: 'refund?' })]);
const guided = promptTest('guided', { guide: 'returns' }, [testCase('c', {}, undefined, { messages: [{ role: 'user', content: 'hi' }] })]);

const STAMPS = { dateCreated: '2026-01-01T00:00:00Z', dateModified: '2026-01-01T00:00:00Z', createdBy: { id: 'u' }, modifiedBy: { id: 'u' } };

function liveVersion(label: string, over: Partial<WireVersion> = {}): WireVersion {
  return { id: `v-${label}`, templateId: 't1', name: label, version: label, state: 'Published', contentHash: `h-${label}`, systemInstruction: 'You help.', userTemplate: '{{question}}', variables: [{ name: 'question', type: 'string' }], selfUri: `/v/${label}`, ...STAMPS, ...over } as WireVersion;
}

function liveTemplate(over: Partial<WireTemplate> = {}): WireTemplate {
  return {
    id: 't1',
    name: 'billing',
    model: 'gpt-4o-mini',
    labels: {},
    version: 1,
    selfUri: '/t/t1',
    ...STAMPS,
    versions: [liveVersion('1.0.0'), liveVersion('1.1.0')],
    traffic: { templateId: 't1', strategy: 'random', routes: [{ version: '1.0.0', weight: 50 }, { version: '1.1.0', weight: 50 }], version: 1, dateModified: STAMPS.dateModified, modifiedBy: { id: 'u' }, selfUri: '/traffic' },
    ...over,
  } as WireTemplate;
}

function liveFilter(name: string, priority: number, over: Partial<WireFilter> = {}): WireFilter {
  return { id: `f-${name}`, name, enabled: true, priority, categories: ['pii'], action: 'redact_and_log', thresholds: { pii: 0.5 }, falsePositiveTolerance: 0, labels: {}, version: 1, selfUri: `/f/${name}`, ...STAMPS, ...over } as WireFilter;
}

const FILTERS = [liveFilter('billing-pii', 1, { appliesTo: { templates: ['billing'] } })];

/** Each test's call keys, pinned then routed, against these live objects. */
function keys(templates: WireTemplate[], filters: WireFilter[] = FILTERS): { pinned: string; routed: string } {
  const live = liveFacts({ templates, filters });
  const [a, b] = planTests(s, [pinned, routed], { targetLabel: 'org', live });
  return { pinned: a!.calls[0]!.key, routed: b!.calls[0]!.key };
}

const base = keys([liveTemplate()]);

describe("a template call's key keeps what cannot change its answer out", () => {
  it('a filter of another template, added or changed, and a disabled one: the same keys', () => {
    const other = liveFilter('other-pii', 5, { appliesTo: { templates: ['other'] } });
    expect(keys([liveTemplate()], [...FILTERS, other])).toEqual(base);
    expect(keys([liveTemplate()], [...FILTERS, { ...other, thresholds: { pii: 0.9 } }])).toEqual(base);
    expect(keys([liveTemplate()], [...FILTERS, liveFilter('off', 9, { enabled: false })])).toEqual(base);
    // A filter's description, labels, write count and the selector naming one more template: nothing it answers.
    const edited = { ...FILTERS[0]!, description: 'PII', labels: { team: 'x' }, version: 7, appliesTo: { templates: ['billing', 'other'] } };
    expect(keys([liveTemplate()], [edited])).toEqual(base);
  });

  it("the template's description, labels and write count, and a version neither call reaches: the same keys", () => {
    expect(keys([liveTemplate({ description: 'Billing answers.', labels: { team: 'billing' }, version: 5 })])).toEqual(base);
    const newer = liveTemplate({ versions: [liveVersion('1.0.0'), liveVersion('1.1.0'), liveVersion('3.0.0')] });
    expect(keys([newer])).toEqual(base);
    // Another template's change: the same keys.
    expect(keys([liveTemplate(), { ...liveTemplate(), id: 't2', name: 'other', description: 'new' }])).toEqual(base);
    // The routes' order, and a route carrying no calls.
    const t = liveTemplate();
    const reordered = liveTemplate({ traffic: { ...t.traffic!, routes: [{ version: '1.1.0', weight: 50 }, { version: '1.0.0', weight: 50 }, { version: '3.0.0', weight: 0 }] } });
    expect(keys([{ ...reordered, versions: [...reordered.versions!, liveVersion('3.0.0')] }])).toEqual(base);
  });
});

describe("a template call's key keeps what can change its answer in", () => {
  it('a filter that applies, by name, id, labels or to every template, and its threshold: both keys change', () => {
    for (const added of [
      liveFilter('all', 5),
      liveFilter('by-id', 5, { appliesTo: { templates: ['t1'] } }),
      liveFilter('by-label', 5, { appliesTo: { labels: { team: 'billing' } } }),
    ]) {
      const k = keys([liveTemplate({ labels: { team: 'billing' } })], [...FILTERS, added]);
      expect(k.pinned).not.toBe(base.pinned);
      expect(k.routed).not.toBe(base.routed);
    }
    const k = keys([liveTemplate()], [{ ...FILTERS[0]!, thresholds: { pii: 0.9 } }]);
    expect([k.pinned === base.pinned, k.routed === base.routed]).toEqual([false, false]);
    // Labels that make a label filter apply.
    const byLabel = liveFilter('by-label', 5, { appliesTo: { labels: { team: 'billing' } } });
    expect(keys([liveTemplate()], [...FILTERS, byLabel])).toEqual(base);
    expect(keys([liveTemplate({ labels: { team: 'billing' } })], [...FILTERS, byLabel]).pinned).not.toBe(base.pinned);
  });

  it('the order filters run in changes both keys', () => {
    const two = [liveFilter('a', 1, { appliesTo: { templates: ['billing'] } }), liveFilter('b', 2, { categories: ['phishing'], thresholds: { phishing: 0.5 }, action: 'block_and_log' })];
    const swapped = [{ ...two[0]!, priority: 2 }, { ...two[1]!, priority: 1 }];
    const renumbered = [{ ...two[0]!, priority: 10 }, { ...two[1]!, priority: 20 }];
    expect(keys([liveTemplate()], swapped).pinned).not.toBe(keys([liveTemplate()], two).pinned);
    expect(keys([liveTemplate()], renumbered)).toEqual(keys([liveTemplate()], two));
  });

  it("a split's weights or routes: the routed call's key alone", () => {
    const t = liveTemplate();
    const weights = keys([liveTemplate({ traffic: { ...t.traffic!, routes: [{ version: '1.0.0', weight: 60 }, { version: '1.1.0', weight: 40 }] } })]);
    expect([weights.pinned === base.pinned, weights.routed === base.routed]).toEqual([true, false]);
    const sticky = keys([liveTemplate({ traffic: { ...t.traffic!, strategy: 'sticky', stickyKey: 'question' } })]);
    expect([sticky.pinned === base.pinned, sticky.routed === base.routed]).toEqual([true, false]);
    const none = keys([liveTemplate({ traffic: null })]);
    expect([none.pinned === base.pinned, none.routed === base.routed]).toEqual([true, false]);
  });

  it("a routed version's content: the routed call's key, and a call pinned to it; a call pinned elsewhere keeps its key", () => {
    const changed = keys([liveTemplate({ versions: [liveVersion('1.0.0'), liveVersion('1.1.0', { systemInstruction: 'Be terse.', contentHash: 'h2' })] })]);
    expect([changed.pinned === base.pinned, changed.routed === base.routed]).toEqual([true, false]);
    const pinnedChanged = keys([liveTemplate({ versions: [liveVersion('1.0.0', { temperature: 0.2 }), liveVersion('1.1.0')] })]);
    expect([pinnedChanged.pinned === base.pinned, pinnedChanged.routed === base.routed]).toEqual([false, false]);
  });

  it("without a split, the newest Published version answers: a newer one changes the routed call's key", () => {
    const bare = keys([liveTemplate({ traffic: null })]);
    const newer = keys([liveTemplate({ traffic: null, versions: [liveVersion('1.0.0'), liveVersion('1.1.0'), liveVersion('3.0.0')] })]);
    expect([newer.pinned === bare.pinned, newer.routed === bare.routed]).toEqual([true, false]);
    // A Draft answers nothing: the same keys.
    expect(keys([liveTemplate({ traffic: null, versions: [liveVersion('1.0.0'), liveVersion('1.1.0'), liveVersion('3.0.0', { state: 'Draft' })] })])).toEqual(bare);
  });

  it("the template's model: the keys of calls whose version names none", () => {
    const own = (model: string) => liveTemplate({ model, versions: [liveVersion('1.0.0', { model: 'gpt-4o' }), liveVersion('1.1.0')] });
    const [a, b] = [keys([own('gpt-4o-mini')]), keys([own('gpt-4.1')])];
    expect([a.pinned === b.pinned, a.routed === b.routed]).toEqual([true, false]);
  });

  it("the template's id: both keys (made again, it is another object; a sticky split places keys by it)", () => {
    const again = keys([liveTemplate({ id: 't9' })], [liveFilter('billing-pii', 1, { appliesTo: { templates: ['billing'] } })]);
    expect([again.pinned === base.pinned, again.routed === base.routed]).toEqual([false, false]);
  });

  it('filters or templates unread: the call is not cached', () => {
    const [p] = planTests(s, [pinned], { targetLabel: 'org', live: liveFacts({ templates: [liveTemplate()] }) });
    expect(p!.calls[0]!.uncached).toBe(true);
    const [q2] = planTests(s, [pinned], { targetLabel: 'org', live: liveFacts({ filters: FILTERS }) });
    expect(q2!.calls[0]!.uncached).toBe(true);
  });
});

describe("a guide call's key", () => {
  const gv = (label: string, over: Partial<WireGuideVersion> = {}): WireGuideVersion =>
    ({ selfUri: `/g/${label}`, guide: { id: 'g1', selfUri: '/g' }, version: label, instruction: 'Help with returns.', state: 'ProductionReady', ...STAMPS, ...over }) as WireGuideVersion;
  const liveGuide = (over: Partial<LiveGuide> = {}): LiveGuide =>
    ({ id: 'g1', name: 'returns', status: 'Published', source: 'Custom', selfUri: '/g', ...STAMPS, latestSavedVersion: { id: 'x', version: '1.0' }, latest: gv('1.0'), ...over }) as unknown as LiveGuide;
  const key = (g: LiveGuide, more: Partial<LiveFacts> = {}) => planTests(s, [guided], { targetLabel: 'org', live: { ...liveFacts({ guides: [g] }), ...more } })[0]!.calls[0]!.key;
  const before = key(liveGuide());

  it("keeps the guide's dates, status and the version its turns do not run out", () => {
    expect(key(liveGuide({ dateModified: '2026-02-02T00:00:00Z', status: 'Draft' } as Partial<LiveGuide>))).toBe(before);
    expect(key(liveGuide({ latest: gv('1.0', { state: 'TestReady', dateModified: '2026-02-02T00:00:00Z' }) }))).toBe(before);
  });

  it("keeps the guide's id in: one made again is another guide (a canned answer may name it by id)", () => {
    expect(key(liveGuide({ id: 'g9' } as Partial<LiveGuide>))).not.toBe(before);
  });

  it('keeps the content of the version its turns run in', () => {
    expect(key(liveGuide({ latest: gv('1.0', { instruction: 'Refuse returns.' }) }))).not.toBe(before);
    // Production runs while a newer version holds someone's work in progress: its content decides.
    const g = liveGuide({ latestSavedVersion: { id: 'y', version: '2.0' } as never, latest: gv('2.0', { instruction: 'WIP', state: 'Draft' }), production: gv('1.0') });
    expect(key(g, { guideVersions: new Map([['returns', '1.0']]) })).toBe(before);
    expect(key(g)).not.toBe(before);
  });
});

describe('which filters apply: evals and the emulator agree', () => {
  const t = { id: 't1', name: 'billing', labels: { team: 'billing', tier: 'gold' } };
  const filters: WireFilter[] = [
    liveFilter('every', 3),
    liveFilter('by-name', 2, { appliesTo: { templates: ['billing'] } }),
    liveFilter('by-id', 7, { appliesTo: { templates: ['t1'] } }),
    liveFilter('other', 4, { appliesTo: { templates: ['other'] } }),
    liveFilter('none', 5, { appliesTo: { templates: [] } }),
    liveFilter('empty-labels', 6, { appliesTo: { labels: {} } }),
    liveFilter('labels-all', 1, { appliesTo: { labels: { team: 'billing', tier: 'gold' } } }),
    liveFilter('labels-some', 8, { appliesTo: { labels: { team: 'billing', tier: 'silver' } } }),
    liveFilter('labels-inherited', 9, { appliesTo: { labels: { toString: 'x' } } }),
    liveFilter('name-or-labels', 10, { appliesTo: { templates: ['other'], labels: { team: 'billing' } } }),
    liveFilter('disabled', 11, { enabled: false }),
    liveFilter('tie-b', 12),
    liveFilter('tie-a', 12),
  ];
  it('the same filters, in the same order', () => {
    for (const labels of [t.labels, {}, { team: 'billing' }] as Record<string, string>[]) {
      const ours = filtersMet(filters, { ...t, labels }).map((f) => f.name);
      const emulator = applicableFilters(filters as unknown as FilterRec[], { ...t, labels }).map((f) => f.name);
      expect(ours).toEqual(emulator);
      expect(ours.length).toBeGreaterThan(2);
    }
  });
});
