import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { versionContentHash } from '../../../src/targets/llmgateway/wire.js';
import { canonicalEqual, diffCanonical, type CanonicalValue } from '../../../src/kinds/canonical.js';
import { stableStringify } from '../../../src/util/json.js';
import { mutated, randomValue, seeded, shuffled } from '../../helpers/json-values.js';
import { isManaged, labelsFor, userLabels } from '../../../src/kinds/labels.js';
import { settleAgainstLive } from '../../../src/kinds/shared.js';
import {
  canonical as canonicalTemplate,
  fromWire as templateFromWire,
  toWire as templateBody,
} from '../../../src/kinds/PromptTemplate/index.js';
import {
  canonical as canonicalVersion,
  fromWire as versionFromWire,
  toWire as versionBody,
} from '../../../src/kinds/PromptVersion/index.js';
import {
  canonical as canonicalFilter,
  fromWire as filterFromWire,
  toWire as filterBody,
} from '../../../src/kinds/SafetyFilter/index.js';
import {
  canonical as canonicalTraffic,
  fromWire as splitFromWire,
  toWire as trafficBody,
} from '../../../src/kinds/TrafficSplit/index.js';
import { filter, liveAfterApply, sampleDesired, split, template, version } from '../plan/fixtures.js';

describe('labels', () => {
  it('promptctl owns managed-by and promptctl.dev/*; the rest is the user’s', () => {
    expect(userLabels({ team: 'a', 'managed-by': 'promptctl', 'promptctl.dev/commit': 'x', 'example.com/k': 'v' })).toEqual({
      'example.com/k': 'v',
      team: 'a',
    });
    expect(isManaged({ 'managed-by': 'promptctl' })).toBe(true);
    expect(isManaged({ 'managed-by': 'terraform' })).toBe(false);
    expect(isManaged(undefined)).toBe(false);
  });

  it('labelsFor adds managed-by and the commit, and keeps live promptctl labels otherwise', () => {
    expect(labelsFor({ team: 'a', 'managed-by': 'me' }, { commit: 'c1' })).toEqual({
      team: 'a',
      'managed-by': 'promptctl',
      'promptctl.dev/commit': 'c1',
    });
    expect(labelsFor({}, { liveLabels: { 'promptctl.dev/commit': 'old', other: 'x' } })).toEqual({
      'managed-by': 'promptctl',
      'promptctl.dev/commit': 'old',
    });
  });
});

describe('canonical forms', () => {
  it('versions: defaults applied, variables keyed by name, text exact', () => {
    const bare = { systemInstruction: 'S', userTemplate: 'U {{x}}', variables: [{ name: 'x', type: 'string' as const }] };
    const full = {
      userTemplate: 'U {{x}}',
      systemInstruction: 'S',
      variables: [{ type: 'string' as const, name: 'x', required: true }],
      fewShotExamples: [],
      safetyGuardrails: { piiFilter: true, jailbreakDetection: true, outputModeration: true },
    };
    expect(canonicalEqual(canonicalVersion(bare), canonicalVersion(full))).toBe(true);
    expect(canonicalEqual(canonicalVersion(bare), canonicalVersion({ ...full, systemInstruction: 'S ' }))).toBe(false);
    expect(canonicalEqual(canonicalVersion(bare), canonicalVersion({ ...full, safetyGuardrails: { piiFilter: false } }))).toBe(false);
    const two = [
      { name: 'a', type: 'string' as const },
      { name: 'b', type: 'number' as const },
    ];
    expect(
      canonicalEqual(
        canonicalVersion({ ...bare, variables: two }),
        canonicalVersion({ ...bare, variables: [...two].reverse() }),
      ),
    ).toBe(true);
    // Few-shot order is part of the prompt.
    const ex = [
      { input: '1', output: 'one' },
      { input: '2', output: 'two' },
    ];
    expect(
      canonicalEqual(canonicalVersion({ ...bare, fewShotExamples: ex }), canonicalVersion({ ...bare, fewShotExamples: [...ex].reverse() })),
    ).toBe(false);
  });

  it('versions: the model has the same canonical form as the body made from it (plan compares the model)', () => {
    const variants = [
      version('t', '1.0.0'),
      version('t', '1.1.0', { model: 'gpt-4o-mini', temperature: 0.2, maxTokens: 300 }),
      version('t', '2.0.0', {
        variables: [
          { name: 'tone', type: 'enum', required: false, default: 'calm', values: ['calm', 'brisk'], description: 'how to sound' },
          { name: 'question', type: 'string', required: true, maxLength: 80, maxTokens: 40 },
        ],
        fewShotExamples: [{ input: 'a', output: 'b' }],
        safetyGuardrails: { piiFilter: false, jailbreakDetection: true, outputModeration: false },
      }),
    ];
    for (const v of variants) expect(canonicalVersion(v)).toStrictEqual(canonicalVersion(versionBody(v)));
  });

  it('templates and splits: the model has the canonical form of the body made from it, whatever labels promptctl adds', () => {
    const templates = [
      template('t'),
      template('t', { description: undefined, labels: {} }),
      template('t', { description: '', labels: { team: 'b', 'managed-by': 'someone', 'promptctl.dev/x': 'y', area: 'a' } }),
    ];
    for (const t of templates) {
      for (const opts of [{}, { commit: 'c' }, { liveLabels: { 'promptctl.dev/commit': 'old', team: 'z' } }]) {
        expect(canonicalTemplate(t)).toStrictEqual(canonicalTemplate(templateBody(t, opts)));
      }
    }
    const splits = [split('t', [['1.0.0', 60], ['1.1.0', 40]]), split('t', [['2.0.0', 100]], { strategy: 'sticky', stickyKey: 'customer' })];
    for (const s of splits) expect(canonicalTraffic(s)).toStrictEqual(canonicalTraffic(trafficBody(s)));
  });

  it('filters: absent selector = empty selector, categories are a set, enabled defaults to true', () => {
    const body = filterBody(filter('f', 3));
    const server = { ...body, enabled: undefined, categories: [...body.categories].reverse(), appliesTo: { templates: undefined, labels: {} } };
    expect(canonicalEqual(canonicalFilter(body), canonicalFilter(server))).toBe(true);
    expect(canonicalEqual(canonicalFilter(body), canonicalFilter({ ...body, appliesTo: { templates: [] } }))).toBe(false);
    expect(diffCanonical(canonicalFilter(body), canonicalFilter({ ...body, thresholds: { pii: 0.9, phishing: 0.5 } }))).toEqual([
      { path: 'thresholds.pii', before: 0.7, after: 0.9 },
    ]);
  });

  it('traffic: routes are a set keyed by version; strategy defaults to random', () => {
    const a = canonicalTraffic({ strategy: 'random', routes: [{ version: '1.0.0', weight: 60 }, { version: '2.0.0', weight: 40 }] });
    const b = canonicalTraffic({ routes: [{ weight: 40, version: '2.0.0' }, { weight: 60, version: '1.0.0' }] } as never);
    expect(canonicalEqual(a, b)).toBe(true);
  });

  it('are built in sorted key order at every level, so stable JSON writes them natively', () => {
    const inOrder = (c: object) => expect(JSON.stringify(c)).toBe(stableStringify(c));
    const v = version('t', '2.0.0', {
      model: 'gpt-4o-mini',
      temperature: 0.2,
      variables: [
        { name: 'zeta', type: 'enum', required: false, default: 'calm', values: ['calm', 'brisk'], description: 'how to sound' },
        { name: 'alpha', type: 'string', required: true, maxLength: 80, maxTokens: 40 },
        { name: 'Beta', type: 'number', required: true },
      ],
      fewShotExamples: [{ input: 'a', output: 'b' }],
    });
    inOrder(canonicalVersion(v));
    inOrder(canonicalVersion(versionBody(v)));
    inOrder(canonicalTemplate(template('t', { description: 'd', labels: { team: 'b', area: 'a' } })));
    inOrder(canonicalTraffic(split('t', [['2.0.0', 10], ['1.10.0', 20], ['1.9.0', 70]])));
    // A name JSON would enumerate first (an array index) still gets the stable text, by the walk.
    const odd = canonicalVersion(version('t', '1.0.0', { variables: [{ name: 'b', type: 'string', required: true }, { name: '7', type: 'string', required: true }] }));
    expect(Object.keys(odd.variables as object)).toEqual(['7', 'b']);
    expect(stableStringify(odd)).toContain('"variables":{"7":');
  });

  it('templates: owned labels and empty descriptions never show as changes', () => {
    const body = templateBody(template('t', { description: undefined }), { commit: 'c' });
    expect(diffCanonical(canonicalTemplate(body), canonicalTemplate({ name: 't', model: 'gpt-4o', description: '', labels: { team: 'billing' } }))).toEqual([]);
  });
});

describe('inverse mappers (live → model), as export uses them', () => {
  it('round-trips the applied sample back to the same bodies', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    const t = live.templates[0]!;
    expect(canonicalTemplate(templateBody(templateFromWire(t)))).toEqual(canonicalTemplate(templateBody(d.templates[0]!)));
    for (const lv of t.versions!) {
      const back = versionBody(versionFromWire(lv, t.name));
      expect(versionContentHash(back)).toBe(lv.contentHash);
    }
    expect(canonicalTraffic(trafficBody(splitFromWire(t.traffic!, t.name)))).toEqual(canonicalTraffic(trafficBody(d.splits[0]!)));
    for (const lf of live.filters) {
      const want = d.filters.find((f) => f.name === lf.name)!;
      const back = filterFromWire(lf);
      expect(back.appliesTo).toBeUndefined(); // the server's empty selector is "every template"
      expect(canonicalFilter(filterBody(back))).toEqual(canonicalFilter(filterBody(want)));
    }
  });

  it('keeps desired bodies free of absent optionals', () => {
    const v = versionBody(version('t', '1.0.0', { temperature: undefined, maxTokens: undefined }));
    expect('temperature' in v).toBe(false);
    expect('maxTokens' in v).toBe(false);
    expect(trafficBody(split('t', [['1.0.0', 100]]))).toEqual({ strategy: 'random', routes: [{ version: '1.0.0', weight: 100 }] });
  });
});

const SHARED_TO_JSON = (): string => 'same';

describe('canonicalEqual', () => {
  // The one definition of "same canonical value": the same stable JSON text. canonicalEqual finds
  // it by walking both values; it must never disagree with the text.
  const sameText = (a: unknown, b: unknown): boolean => stableStringify(a ?? null) === stableStringify(b ?? null);

  it('agrees with comparing stable JSON texts, on random values, reordered copies and edits', () => {
    const r = seeded(7);
    let equal = 0;
    let different = 0;
    for (let i = 0; i < 5000; i++) {
      const a = randomValue(r, 4) as CanonicalValue;
      const b = (r() < 0.5 ? shuffled(r, a) : mutated(r, a)) as CanonicalValue;
      const same = sameText(a, b);
      expect(canonicalEqual(a, b), `${stableStringify(a)} vs ${stableStringify(b)}`).toBe(same);
      expect(canonicalEqual(b, a)).toBe(same);
      if (same) equal++;
      else different++;
    }
    expect(equal).toBeGreaterThan(1000);
    expect(different).toBeGreaterThan(1000);
  });

  it('treats what JSON writes alike as equal, and what it writes apart as different', () => {
    const cases: [unknown, unknown, boolean][] = [
      [{ a: 1, b: undefined }, { a: 1 }, true],
      [[undefined], [null], true],
      [[Number.NaN], [null], true],
      [{ x: Number.POSITIVE_INFINITY }, { x: null }, true],
      [-0, 0, true],
      [undefined, null, true],
      [{}, [], false],
      [{ 0: 'a' }, ['a'], false],
      ['1', 1, false],
      [{ a: null }, {}, false],
      [{ a: [1, 2] }, { a: [2, 1] }, false],
      [{ f: () => 1, a: 1 }, { a: 1 }, true],
      [[() => 1], [null], true],
      [{ toJSON: () => 'x' }, 'x', true],
      [{ toJSON: () => [1] }, [1], true],
      [{ a: { toJSON: () => 'x' } }, { a: 'x' }, true],
      [{ a: { toJSON: () => 'x' } }, { a: 'y' }, false],
      // One toJSON shared by both sides: it writes both as the same text, whatever else they hold.
      [{ toJSON: SHARED_TO_JSON, a: 1 }, { toJSON: SHARED_TO_JSON, a: 2 }, true],
      [{ k: { toJSON: SHARED_TO_JSON, a: 1 } }, { k: { toJSON: SHARED_TO_JSON, a: 2 } }, true],
      // An own __proto__ key is a member (a prompt variable may be named so): written, and compared.
      [JSON.parse('{"__proto__": {"a": 1}}'), {}, false],
      [JSON.parse('{"__proto__": {"a": 1}, "b": 1}'), JSON.parse('{"__proto__": {"a": 2}, "b": 1}'), false],
      [JSON.parse('{"__proto__": {"a": 1}, "b": 1}'), JSON.parse('{"b": 1, "__proto__": {"a": 1}}'), true],
      [Object.assign(Object.create({ inherited: 1 }) as object, { a: 1 }), { a: 1 }, true],
      [{ constructor: 1 }, {}, false],
      [{}, { constructor: 1 }, false],
    ];
    for (const [a, b, want] of cases) {
      expect(sameText(a, b), `${String(stableStringify(a))} vs ${String(stableStringify(b))}`).toBe(want);
      expect(canonicalEqual(a as CanonicalValue, b as CanonicalValue), `${String(stableStringify(a))} vs ${String(stableStringify(b))}`).toBe(want);
      expect(canonicalEqual(b as CanonicalValue, a as CanonicalValue)).toBe(want);
    }
    expect(() => canonicalEqual({ n: 1n } as never, { n: 1n } as never)).toThrow(TypeError);
  });
});

describe('settleAgainstLive', () => {
  const base = {
    address: 'SafetyFilter/f',
    kind: 'SafetyFilter' as const,
    name: 'f',
    dependsOn: [],
    liveId: 'id-1',
    guard: { version: 2 },
  };
  const desired = { kind: 'SafetyFilter' as const, body: filterBody(filter('f', 3)) };
  const liveHash = createHash('sha256').update('{"x":1}').digest('hex');

  it('a noop keeps what names and guards the object (the live form’s hash added), in key order, and never makes the body', () => {
    let made = 0;
    const a = settleAgainstLive(base, () => (made++, desired), { x: 1 }, { x: 1 }, {});
    expect(a).toEqual({ address: 'SafetyFilter/f', kind: 'SafetyFilter', name: 'f', dependsOn: [], liveId: 'id-1', guard: { hash: liveHash, version: 2 }, action: 'noop', changes: [] });
    // Sorted at every level, so stable JSON (the fingerprint) writes it natively.
    expect(Object.keys(a)).toEqual(['action', 'address', 'changes', 'dependsOn', 'guard', 'kind', 'liveId', 'name']);
    expect(JSON.stringify(a)).toBe(stableStringify(a));
    expect(made).toBe(0);
  });

  it('an update carries the body (where it always stood), the changes and who changed the live side', () => {
    const a = settleAgainstLive(base, () => desired, { x: 1 }, { x: 2 }, { modifiedBy: { id: 'u' }, dateModified: 'd' });
    const guard = { hash: liveHash, version: 2 };
    expect(a).toEqual({ ...base, guard, desired, action: 'update', changes: [{ path: 'x', before: 1, after: 2 }], live: { x: 1 }, liveModified: { by: 'u', at: 'd' } });
    expect(Object.keys(a)).toEqual(['address', 'kind', 'name', 'dependsOn', 'desired', 'liveId', 'guard', 'action', 'changes', 'live', 'liveModified']);
  });

  it('for a plan only shown as text (sealed false), a noop goes without the hash; an update still has it', () => {
    const noop = settleAgainstLive(base, () => desired, { x: 1 }, { x: 1 }, {}, false);
    expect(noop).toMatchObject({ action: 'noop', guard: { version: 2 } });
    expect(noop.action === 'noop' && noop.guard).toEqual({ version: 2 });
    const update = settleAgainstLive(base, () => desired, { x: 1 }, { x: 2 }, {}, false);
    expect(update).toMatchObject({ action: 'update', guard: { hash: liveHash, version: 2 } });
    // Equal as stable JSON is equal without it: key order and undefined members.
    expect(settleAgainstLive(base, () => desired, { y: [1, { q: 2, p: undefined } as never], x: 1 }, { x: 1, y: [1, { q: 2 }] }, {}, false).action).toBe('noop');
  });

  it('compares the two forms as stable JSON does: key order and undefined members make no difference', () => {
    const a = settleAgainstLive(base, () => desired, { y: [1, { q: 2, p: undefined } as never], x: 1 }, { x: 1, y: [1, { q: 2 }] }, {});
    expect(a.action).toBe('noop');
    expect(a.action === 'noop' && a.guard.hash).toBe(createHash('sha256').update('{"x":1,"y":[1,{"q":2}]}').digest('hex'));
  });
});
