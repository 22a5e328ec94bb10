import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { stableHash, stableStringify } from '../../../src/util/json.js';
import { randomValue, seeded } from '../../helpers/json-values.js';

// The plan fingerprint and the audit chain hash are computed over this output: a change to it
// would break every saved plan and every audit trail, so the exact bytes are pinned here.
describe('stableStringify', () => {
  it('writes these exact bytes: keys sorted at every level, arrays in order, undefined left out', () => {
    const value = {
      zeta: [3, { b: 2, a: 1 }, 'x'],
      alpha: { nested: { y: null, x: true }, empty: {}, list: [] },
      gone: undefined,
      text: 'line\n"quoted" ✓',
      n: -1.5e-7,
      'key with space': 0,
    };
    expect(stableStringify(value)).toBe(
      '{"alpha":{"empty":{},"list":[],"nested":{"x":true,"y":null}},"gone":undefined,"key with space":0,"n":-1.5e-7,"text":"line\\n\\"quoted\\" ✓","zeta":[3,{"a":1,"b":2},"x"]}'.replace(
        '"gone":undefined,',
        '',
      ),
    );
  });

  it('does not depend on insertion order', () => {
    expect(stableStringify({ b: { d: 1, c: 2 }, a: 1 })).toBe(stableStringify({ a: 1, b: { c: 2, d: 1 } }));
  });

  it('sorts keys that start with a digit but are no array index (version labels) like any other', () => {
    const routes = { '2.0.0': 10, '1.10.0': 20, '1.9.0': 70 };
    expect(stableStringify({ routes })).toBe('{"routes":{"1.10.0":20,"1.9.0":70,"2.0.0":10}}');
    // Array indices enumerate first, in numeric order; the largest is 2³² − 2. Each key on its own
    // beside keys that are no index, so a key taken for the wrong one changes the text.
    const keys = ['0', '9', '10', '01', '00', '4294967294', '4294967295', '99999999999', '1.5', '1e3', '-0', '-1', '+1', ' 1', '1 '];
    for (const k of keys) {
      for (const v of [{ '1.5': 1, [k]: 2 }, { [k]: 1, '1.0.0': 2 }, { b: 1, [k]: 2, a: 3 }]) expect(stableStringify(v)).toBe(reference(v));
    }
  });

  it('keeps an undefined array item as null, as JSON does', () => {
    expect(stableStringify([1, undefined, 2])).toBe('[1,null,2]');
  });

  it('writes what the sorted copy writes for values that are not plain data', () => {
    class Tagged extends Array<number> {}
    const sparse: unknown[] = [1];
    sparse[3] = 2;
    const cases: unknown[] = [
      { a: { toJSON: (k: string) => `member ${k}` }, b: 1 },
      [{ toJSON: () => 'item' }],
      { toJSON: 5, a: 1 },
      JSON.parse('{"__proto__": {"x": 1}, "a": [1]}'),
      { 10: 'ten', 9: 'nine', b: 1, a: [{ 2: 'x', 1: 'y' }] },
      { f: () => 1, s: Symbol('s'), list: [() => 1, Symbol('s'), undefined, 2] },
      Object.assign(Object.create({ inherited: 1 }) as object, { own: 1 }),
      new Date(0),
      new Map([['k', 1]]),
      [new Number(1), new String('ab'), new Boolean(false)],
      Object.defineProperty({ b: 1 }, 'a', { enumerable: true, get: () => ({ d: 1, c: 2 }) }),
      Object.defineProperty({ b: 1 }, 'hidden', { enumerable: false, value: 1 }),
      sparse,
      Tagged.from([3, 1]),
      { nested: { deeper: [Number.NaN, -0, Number.NEGATIVE_INFINITY, 1e21, 1e-7] } },
      undefined,
      () => 1,
      'text',
      null,
    ];
    for (const v of cases) expect(stableStringify(v)).toBe(reference(v));
    expect(() => stableStringify({ a: 1n })).toThrow(TypeError);
  });

  it('follows JSON wherever it would call a toJSON: on a function, or one a prototype gained', () => {
    const fn = Object.assign(() => 1, { toJSON: (k: string) => `fn at ${k}` });
    for (const v of [{ f: fn }, [fn], fn, { a: { f: fn } }]) {
      expect(stableStringify(v)).toBe(reference(v));
      expect(stableHash(v)).toBe(sha256(reference(v)));
    }
    const grow: unknown[] = [1, 2];
    Object.defineProperty(grow, 0, { enumerable: true, get: () => (grow.push(9), 1) });
    const shrink: unknown[] = [1, 2, 3];
    Object.defineProperty(shrink, 0, { enumerable: true, get: () => ((shrink.length = 1), 1) });
    const ownConstructor = Object.assign([1, 2], { constructor: { [Symbol.species]: Object } });
    // Getters with side effects are outside plain data; under an object out of key order (which the
    // walk writes), an array's length is still read once, as the sorted copy's map reads it.
    expect(stableStringify({ b: grow, a: 0 })).toBe('{"a":0,"b":[1,2]}');
    expect(stableStringify({ b: shrink, a: 0 })).toBe('{"a":0,"b":[1,null,null]}');
    expect(stableStringify(ownConstructor)).toBe(reference(Object.assign([1, 2], { constructor: { [Symbol.species]: Object } })));

    const protos = [Object.prototype, Array.prototype, Function.prototype] as unknown as Record<string, unknown>[];
    for (const proto of protos) {
      proto.toJSON = function (this: unknown, k: string) {
        return `polluted ${typeof this} at ${k}`;
      };
      try {
        for (const v of [{ a: 1, b: [1, { c: () => 1 }] }, [1, [2]], { f: () => 1 }]) {
          expect(stableStringify(v)).toBe(reference(v));
          expect(stableHash(v)).toBe(sha256(reference(v)));
        }
      } finally {
        delete proto.toJSON;
      }
    }
  });

  it('writes values built in sorted key order (which JSON writes natively) with the same bytes, and anything else as before', () => {
    const r = seeded(21);
    for (let i = 0; i < 3000; i++) {
      const v = randomValue(r, 4);
      const sorted = inSortedKeyOrder(v);
      expect(stableStringify(sorted)).toBe(reference(v));
      expect(stableStringify({ a: [sorted], b: sorted })).toBe(reference({ a: [v], b: v }));
    }
    // In key order, but not plain data: each is written as the sorted copy would be.
    class Tagged extends Array<number> {}
    const fn = Object.assign(() => 1, { toJSON: (k: string) => `fn at ${k}` });
    const cases: unknown[] = [
      JSON.parse('{"__proto__": {"x": 1}, "a": [1]}'),
      { 1: 'one', 2: 'two', a: 1 },
      { a: 1, toJSON: () => 'own' },
      { a: 1, b: { toJSON: (k: string) => `member ${k}` } },
      { a: () => 1, b: Symbol('s'), c: [() => 1, Symbol('s')] },
      { a: fn, b: [fn] },
      { a: new Date(0), b: new Map([['k', 1]]), c: [new Number(1), new String('ab')] },
      { a: Tagged.from([3, 1]), b: Object.assign([1, 2], { constructor: { [Symbol.species]: Object } }) },
      { a: Object.assign(Object.create({ inherited: 1 }) as object, { own: 1 }) },
      Object.assign(Object.create(null) as object, { a: { c: 1, d: [undefined, Number.NaN, -0] }, b: 'x' }),
      { a: 1, 'a b': 2, b: { '1.0.0': 1, '1.10.0': 2, '4294967295': 3 } },
      // An own toJSON JSON would call but the sorted copy leaves behind: not enumerable, or on an array.
      Object.defineProperty({ a: 1 }, 'toJSON', { value: () => 'hidden' }),
      { a: 1, b: Object.defineProperty({ c: 1 }, 'toJSON', { value: () => 'hidden' }) },
      { a: Object.assign([1, 2], { toJSON: () => 'on an array' }) },
      { a: Object.defineProperty([1, 2], 'toJSON', { value: () => 'hidden on an array' }) },
    ];
    for (const v of cases) expect(stableStringify(v)).toBe(reference(v));
    expect(() => stableStringify({ a: 1n })).toThrow(TypeError);
  });

  it('hashes a top-level object with its own toJSON as JSON writes it', () => {
    const v = { '\ud800': null, toJSON: () => 1 };
    expect(stableHash(v)).toBe(sha256(reference(v)));
  });
});

/** A copy of plain data with every object's keys inserted in sorted order (undefined members kept). */
function inSortedKeyOrder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(inSortedKeyOrder);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) out[k] = inSortedKeyOrder((v as Record<string, unknown>)[k]);
  return out;
}

/** The definition stableStringify must keep: a sorted copy (undefined members left out), then JSON.stringify. */
function reference(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) {
        const x = (v as Record<string, unknown>)[k];
        // Defined: an own __proto__ key is data, written like any other (not a prototype to set).
        if (x !== undefined) Object.defineProperty(out, k, { value: sortKeys(x), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(sortKeys(value));
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('stableHash', () => {
  it('is the sha256 of the stable JSON, for random values and plan-like objects', () => {
    const r = seeded(14);
    for (let i = 0; i < 3000; i++) {
      const v = randomValue(r, 4);
      expect(stableStringify(v)).toBe(reference(v));
      if (stableStringify(v) !== undefined) expect(stableHash(v)).toBe(sha256(stableStringify(v)));
      const plan = { formatVersion: 2, actions: [v, randomValue(r), undefined], problems: [], summary: v, scope: undefined, org: r() < 0.5 ? v : undefined };
      expect(stableHash(plan)).toBe(sha256(reference(plan)));
    }
  });

  it('hands the text over in chunks without splitting a character, whatever the size', () => {
    const actions = Array.from({ length: 5000 }, (_, i) => ({ address: `A/${i}`, text: '😀'.repeat(i % 7), n: i, gone: undefined }));
    const plan = { actions, prune: false, summary: { noop: actions.length } };
    expect(stableHash(plan)).toBe(sha256(reference(plan)));
  });

  it('agrees with the one-piece text on what it does not stream: members with toJSON, __proto__ and index keys, functions', () => {
    const cases: unknown[] = [
      { actions: [{ toJSON: (k: string) => `item ${k}` }] },
      { summary: { toJSON: (k: string) => `member ${k}` }, actions: [] },
      JSON.parse('{"__proto__": {"x": 1}, "actions": [1]}'),
      { 10: 'ten', 9: 'nine', actions: [1, 2] },
      { '1.5': 'no index', '01': 'nor this', actions: [{ '2.0.0': 1, '1.0.0': 2 }] },
      { f: () => 1, actions: [() => 1, Symbol('s'), undefined, 2] },
      Object.assign(Object.create({ inherited: 1 }) as object, { actions: [1] }),
      [1, { b: 1, a: 2 }],
      'text',
      null,
    ];
    for (const v of cases) expect(stableHash(v)).toBe(sha256(reference(v)));
  });
});
