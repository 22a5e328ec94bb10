// Where values sit in a JSON text, found in one pass (schema/json-locate.ts): what a saved plan's
// schema errors are named at.
import { describe, expect, it } from 'vitest';
import { locateJsonValues } from '../../../src/schema/json-locate.js';

describe('locateJsonValues', () => {
  const text = [
    '{',
    '  "a\\"b": "x\\\\",',
    '  "list": [1, {"k": "v\\""}, [true, null]],',
    '  "obj": {"deep": {"n": -1.5e3}},',
    '  "ünï": "😀", "last": {}',
    '}',
  ].join('\n');

  it('finds the start of each value by keys and indexes, escapes and all', () => {
    expect(JSON.parse(text)).toBeTruthy();
    expect(locateJsonValues(text, [[], ['a"b'], ['list'], ['list', '1'], ['list', '1', 'k'], ['list', '2', '1'], ['obj', 'deep', 'n'], ['ünï'], ['last']])).toEqual([
      { line: 1, column: 1 },
      { line: 2, column: 11 },
      { line: 3, column: 11 },
      { line: 3, column: 15 },
      { line: 3, column: 21 },
      { line: 3, column: 36 },
      { line: 4, column: 25 },
      { line: 5, column: 10 },
      { line: 5, column: 24 },
    ]);
  });

  it('names the deepest part present of a path the text lacks (a missing member: the object)', () => {
    expect(locateJsonValues(text, [['obj', 'deep', 'missing'], ['list', '9'], ['nope', 'x']])).toEqual([
      { line: 4, column: 19 },
      { line: 3, column: 11 },
      { line: 1, column: 1 },
    ]);
  });

  it('reads a one-line text and a long string without a regex over it', () => {
    const long = JSON.stringify({ pad: 'y'.repeat(1_000_000) + '"\\', after: [0] });
    expect(locateJsonValues(long, [['after', '0']])).toEqual([{ line: 1, column: long.length - 2 }]);
  });
});
