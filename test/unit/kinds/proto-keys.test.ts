// A map key named `__proto__` (a prompt variable's name: the schema's pattern allows it; a label,
// a threshold, a route a live object holds) is data like any other key: the canonical forms keep
// it, stable JSON writes it, and a difference in it is a difference (found by review: assignment
// set the prototype instead, so such a variable was invisible to plan and drift).
import { describe, expect, it } from 'vitest';
import { canonicalEqual, canonicalHash, describeCreate, diffCanonical, type Canonical } from '../../../src/kinds/canonical.js';
import { userLabels } from '../../../src/kinds/labels.js';
import { canonical as canonicalVersion } from '../../../src/kinds/PromptVersion/index.js';
import { canonical as canonicalFilter } from '../../../src/kinds/SafetyFilter/index.js';
import { canonical as canonicalTraffic } from '../../../src/kinds/TrafficSplit/index.js';
import { contentCanonical as guideContent } from '../../../src/kinds/Guide/index.js';
import { stableHash, stableStringify } from '../../../src/util/json.js';

const proto = (value: unknown): Record<string, unknown> => JSON.parse(`{"__proto__": ${JSON.stringify(value)}}`) as Record<string, unknown>;

describe('stable JSON of an own __proto__ key', () => {
  it('writes it as JSON.stringify does, in sorted place, in every path (native, walk, hash)', () => {
    expect(stableStringify(proto(1))).toBe('{"__proto__":1}');
    expect(stableStringify({ b: 1, ...proto({ z: 1, a: 2 }) })).toBe('{"__proto__":{"a":2,"z":1},"b":1}');
    expect(stableStringify([proto('x')])).toBe('[{"__proto__":"x"}]');
    expect(stableStringify(proto(1))).not.toBe(stableStringify({}));
    expect(stableHash({ actions: [proto(1)], ...proto(2) })).not.toBe(stableHash({ actions: [{}] }));
  });
});

describe('canonical forms keep a __proto__ key', () => {
  const v = (maxLength?: number) =>
    canonicalVersion({
      systemInstruction: 'S',
      userTemplate: 'U {{__proto__}}',
      variables: maxLength === undefined ? [] : [{ name: '__proto__', type: 'string', ...(maxLength ? { maxLength } : {}) }],
    });

  it('a prompt variable named __proto__: changed, added and removed are differences', () => {
    expect(Object.keys(v(10).variables as object)).toEqual(['__proto__']);
    expect(canonicalEqual(v(10), v(20))).toBe(false);
    expect(canonicalHash(v(10))).not.toBe(canonicalHash(v(20)));
    expect(diffCanonical(v(10), v(20))).toEqual([{ path: 'variables.__proto__.maxLength', before: 10, after: 20 }]);
    expect(canonicalEqual(v(10), v())).toBe(false);
    expect(diffCanonical(v(), v(10))).toEqual([{ path: 'variables.__proto__', after: { maxLength: 10, required: true, type: 'string' } }]);
    expect(diffCanonical(v(10), v())).toEqual([{ path: 'variables.__proto__', before: { maxLength: 10, required: true, type: 'string' } }]);
    expect(canonicalEqual(v(10), v(10))).toBe(true);
  });

  it('a plain {} never answers __proto__ with Object.prototype: a created map shows its key', () => {
    expect(describeCreate({ m: proto(1) as Canonical })).toEqual([{ path: 'm', after: proto(1) }]);
    expect(diffCanonical({}, proto(1) as Canonical)).toEqual([{ path: '__proto__', after: 1 }]);
    expect(diffCanonical(proto(1) as Canonical, {})).toEqual([{ path: '__proto__', before: 1 }]);
  });

  it('live maps: labels, thresholds, routes and guide variables with a __proto__ key', () => {
    expect(Object.keys(userLabels(proto('x') as Record<string, string>))).toEqual(['__proto__']);
    const filter = (thresholds: Record<string, unknown>) =>
      canonicalFilter({ name: 'f', priority: 1, categories: ['pii'], action: 'block_and_log', thresholds: thresholds as never, falsePositiveTolerance: 0 });
    expect(canonicalEqual(filter(proto(0.5)), filter({}))).toBe(false);
    const traffic = (version: string) => canonicalTraffic({ strategy: 'random', routes: [{ version, weight: 100 }] });
    expect(canonicalEqual(traffic('__proto__'), traffic('1.0.0'))).toBe(false);
    const guide = (names: string[]) => guideContent({ instruction: 'I', variables: names.map((name) => ({ name, type: 'String', scope: 'Input' })) as never });
    expect(canonicalEqual(guide(['__proto__']), guide([]))).toBe(false);
  });
});
