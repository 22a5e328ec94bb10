import { describe, expect, it } from 'vitest';
import { stableStringify } from '../../../src/util/json.js';

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

  it('keeps an undefined array item as null, as JSON does', () => {
    expect(stableStringify([1, undefined, 2])).toBe('[1,null,2]');
  });
});
