// Counted nouns in messages group their thousands as every other count does: export said
// "exported 2000 templates" beside "1,999 pending deletes" (a review of a large org).
import { describe, expect, it } from 'vitest';
import { andList, plural } from '../../../src/util/plural.js';

describe('plural', () => {
  it('says one, many, and thousands grouped', () => {
    expect(plural(1, 'template')).toBe('1 template');
    expect(plural(0, 'template')).toBe('0 templates');
    expect(plural(2000, 'template')).toBe('2,000 templates');
    expect(plural(1204, 'address', 'addresses')).toBe('1,204 addresses');
  });
});

describe('andList', () => {
  it('joins a list as a message says it', () => {
    expect(andList([])).toBe('');
    expect(andList(['a'])).toBe('a');
    expect(andList(['a', 'b'])).toBe('a and b');
    expect(andList(['a', 'b', 'c'])).toBe('a, b and c');
  });
});
