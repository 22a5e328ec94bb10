import { describe, expect, it } from 'vitest';
import { byCodeUnits, inKeyOrder } from '../../../src/util/compare.js';

describe('byCodeUnits', () => {
  it('orders by UTF-16 code units, as sort() does, whatever the locale', () => {
    const words = ['alpha', 'Zeta', 'é', 'e', '1.10.0', '1.9.0', '', '😀', '\uffff'];
    expect([...words].sort(byCodeUnits)).toEqual([...words].sort());
  });
});

describe('inKeyOrder', () => {
  const name = (v: { name: string }) => v.name;

  it('returns a list already in strictly increasing order as it is, uncopied', () => {
    const list = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];
    expect(inKeyOrder(list, name)).toBe(list);
    const empty: { name: string }[] = [];
    expect(inKeyOrder(empty, name)).toBe(empty);
  });

  it('sorts a copy otherwise, stably: equal keys keep their order, the input is left alone', () => {
    const list = [{ name: 'b', n: 1 }, { name: 'a', n: 2 }, { name: 'b', n: 3 }, { name: 'B', n: 4 }];
    const sorted = inKeyOrder(list, name);
    expect(sorted).not.toBe(list);
    expect(sorted.map((v) => v.n)).toEqual([4, 2, 1, 3]);
    expect(list.map((v) => v.n)).toEqual([1, 2, 3, 4]);
    // Two equal keys side by side are not "strictly increasing": a copy, in the same order.
    const twins = [{ name: 'a', n: 1 }, { name: 'a', n: 2 }];
    expect(inKeyOrder(twins, name)).not.toBe(twins);
    expect(inKeyOrder(twins, name).map((v) => v.n)).toEqual([1, 2]);
  });
});
