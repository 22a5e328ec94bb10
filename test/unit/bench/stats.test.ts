// The bench's pair statistics (bench/stats.mjs): the median, its bootstrap interval and the
// verdict that says when a run on this machine cannot settle a target.
import { describe, expect, it } from 'vitest';
import { medianInterval, medianOf, verdictWithin } from '../../../bench/stats.mjs';

describe('medianOf', () => {
  it('takes the middle of an odd count, the upper middle of an even one, whatever the order', () => {
    expect(medianOf([3, 1, 2])).toBe(2);
    expect(medianOf([4, 1, 3, 2])).toBe(3);
    expect(medianOf([7])).toBe(7);
  });
});

describe('medianInterval', () => {
  const noisy = [0.93, 1.02, 1.05, 1.08, 1.1, 1.11, 1.12, 1.14, 1.2, 1.3, 1.44];

  it('brackets the median, within the values, and is the same for the same pairs', () => {
    const [low, high] = medianInterval(noisy);
    expect(low).toBeLessThanOrEqual(medianOf(noisy));
    expect(high).toBeGreaterThanOrEqual(medianOf(noisy));
    expect(low).toBeGreaterThanOrEqual(0.93);
    expect(high).toBeLessThanOrEqual(1.44);
    expect(low).toBeLessThan(high);
    expect(medianInterval(noisy)).toEqual([low, high]);
  });

  it('is a point for pairs that agree, and narrows as the pairs grow in number', () => {
    expect(medianInterval([1.07, 1.07, 1.07, 1.07, 1.07])).toEqual([1.07, 1.07]);
    const few = medianInterval(noisy);
    const many = medianInterval(Array.from({ length: 5 }, () => noisy).flat());
    expect(many[1] - many[0]).toBeLessThan(few[1] - few[0]);
  });

  it('widens with the level asked for', () => {
    const ninety = medianInterval(noisy, { level: 0.9 });
    const fifty = medianInterval(noisy, { level: 0.5 });
    expect(fifty[0]).toBeGreaterThanOrEqual(ninety[0]);
    expect(fifty[1]).toBeLessThanOrEqual(ninety[1]);
  });

  it('refuses no values', () => {
    expect(() => medianInterval([])).toThrow(/no values/);
  });
});

describe('verdictWithin', () => {
  it('says ✓ or ✗ plainly when the whole interval is on one side of the limit', () => {
    expect(verdictWithin(1.05, [1.03, 1.08], 1.1)).toBe('✓');
    expect(verdictWithin(1.1, [1.08, 1.1], 1.1)).toBe('✓');
    expect(verdictWithin(1.15, [1.12, 1.2], 1.1)).toBe('✗');
  });

  it('marks the verdict unsettled, with the interval, when the interval spans the limit', () => {
    expect(verdictWithin(1.09, [1.07, 1.12], 1.1)).toBe('✓ (unsettled: 1.07–1.12×)');
    expect(verdictWithin(1.11, [1.08, 1.14], 1.1)).toBe('✗ (unsettled: 1.08–1.14×)');
  });
});
