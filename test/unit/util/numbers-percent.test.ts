// A share in tokens' table and in the warning about the same row reads the same (a review saw
// "97.9%" in the USE column and "97%" in the warning), and never 100.0% under a limit.
import { describe, expect, it } from 'vitest';
import { percentOf } from '../../../src/util/numbers.js';

describe('percentOf', () => {
  it('is rounded down to a tenth of a percent', () => {
    expect(percentOf(979, 1000)).toBe('97.9%');
    expect(percentOf(9999, 10000)).toBe('99.9%');
    expect(percentOf(1, 3)).toBe('33.3%');
    expect(percentOf(200, 200)).toBe('100.0%');
    expect(percentOf(0, 5)).toBe('0.0%');
  });

  it('is rounded up above the whole, so a breach never reads as 100.0%', () => {
    // Found by review: 100,031 tokens of a 100,000 context window showed as "100.0%" in tokens' USE column.
    expect(percentOf(100_031, 100_000)).toBe('100.1%');
    expect(percentOf(1_000_001, 1_000_000)).toBe('100.1%');
    expect(percentOf(300, 200)).toBe('150.0%');
    expect(percentOf(2001, 1000)).toBe('200.1%');
  });
});
