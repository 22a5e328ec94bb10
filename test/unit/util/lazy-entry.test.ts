// setLazyEntry: a member made on its first read, once, and otherwise like any other: enumerable,
// written by JSON, copied by a spread, replaced by an assignment. The loader keeps each prompt
// text's origin this way (load/texts.ts), so a clean run never reads the source around it.
import { describe, expect, it } from 'vitest';
import { setLazyEntry } from '../../../src/util/entries.js';

describe('setLazyEntry', () => {
  it('makes the value on the first read only, and keeps it', () => {
    let made = 0;
    const map: Record<string, { n: number }> = {};
    setLazyEntry(map, 'a', () => ({ n: ++made }));
    expect(made).toBe(0);
    const first = map.a;
    expect(first).toEqual({ n: 1 });
    expect(map.a).toBe(first);
    expect(made).toBe(1);
  });

  it('is an own enumerable member: keys, JSON and spreads see its value', () => {
    const map: Record<string, number> = { b: 2 };
    setLazyEntry(map, 'a', () => 1);
    expect(Object.keys(map)).toEqual(['b', 'a']);
    expect(JSON.stringify(map)).toBe('{"b":2,"a":1}');
    expect({ ...map }).toEqual({ b: 2, a: 1 });
  });

  it('is replaced by an assignment, and the maker is then never called', () => {
    const map: Record<string, number> = {};
    setLazyEntry(map, 'a', () => {
      throw new Error('must not be made');
    });
    map.a = 5;
    expect(map.a).toBe(5);
  });

  it('takes __proto__ as a key like any other', () => {
    const map: Record<string, number> = {};
    setLazyEntry(map, '__proto__', () => 7);
    expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
    expect(Object.keys(map)).toEqual(['__proto__']);
    expect(map['__proto__']).toBe(7);
  });
});
