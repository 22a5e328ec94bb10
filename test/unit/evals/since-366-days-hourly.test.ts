// README: status's buckets are hourly, "or daily ones when --since reaches back more than 366
// days". `--since 366d` and `--since 8784h` went daily all the same: the end's second or two of
// slack (so a call made just now counts) took the interval past 8,784 hours. Exactly 366 days
// back is now hourly, the query starting those seconds later so that it holds the 8,784 hourly
// buckets one query may (as the emulator counts them: ceil of the interval over an hour).
import { describe, expect, it } from 'vitest';
import { parseSince, statusQuery } from '../../../src/evals/stats.js';

const HOUR = 3_600_000;

function hourlyBuckets(q: { interval: string }): number {
  const [from, to] = q.interval.split('/').map((x) => Date.parse(x));
  return Math.ceil((to! - from!) / HOUR);
}

describe('--since 366 days back', () => {
  for (const now of [Date.parse('2025-06-10T12:00:00.400Z'), Date.parse('2025-06-10T12:00:00.000Z')]) {
    it(`is hourly, in as many buckets as one query holds (now ${new Date(now).toISOString()})`, () => {
      for (const since of ['366d', '8784h', '527040m']) {
        const s = parseSince(since, now);
        expect(s.granularity, since).toBe('PT1H');
        expect(hourlyBuckets(statusQuery(s)), since).toBe(366 * 24);
        // Only the end's slack is given up at the start: a second or two.
        expect(s.start - (now - 366 * 24 * HOUR)).toBeGreaterThan(0);
        expect(s.start - (now - 366 * 24 * HOUR)).toBeLessThanOrEqual(2000);
      }
      // A date 366 days back, to the millisecond, is too.
      expect(parseSince(new Date(now - 366 * 24 * HOUR).toISOString(), now).granularity).toBe('PT1H');
    });
  }

  it('one more hour, or day, is daily, and the start stays where it was asked', () => {
    const now = Date.parse('2025-06-10T12:00:00.400Z');
    for (const since of ['8785h', '367d']) {
      const s = parseSince(since, now);
      expect(s.granularity, since).toBe('P1D');
      expect(s.start).toBe(now - Number(since.slice(0, -1)) * (since.endsWith('h') ? HOUR : 24 * HOUR));
    }
    // Below a year of hours nothing moves.
    expect(parseSince('365d', now)).toMatchObject({ start: now - 365 * 24 * HOUR, granularity: 'PT1H' });
  });
});
