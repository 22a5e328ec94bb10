// `status --since 1M`: units were read without case, so someone who meant one month got a window of
// one minute and a report of almost nothing, without a word. An upper-case M is now refused as
// ambiguous, naming both readings; the lower-case units and H, D, W keep working.
import { describe, expect, it } from 'vitest';
import { parseSince } from '../../../src/evals/stats.js';

const now = Date.parse('2025-06-10T12:00:00.500Z');

describe('--since with an upper-case M', () => {
  it('is refused as ambiguous (minutes or months), saying how to write either', () => {
    expect(() => parseSince('1M', now)).toThrow(/^--since 1M: M is ambiguous: write 1m for minutes; for months give days \(30d\) or a date \(2025-05-10\)$/);
    expect(() => parseSince('3 M', now)).toThrow(/M is ambiguous/);
  });

  it('other units keep reading in either case', () => {
    expect(parseSince('90m', now).start).toBe(now - 90 * 60_000);
    expect(parseSince('2H', now).start).toBe(now - 2 * 3_600_000);
    expect(parseSince('7D', now).start).toBe(now - 7 * 86_400_000);
    expect(parseSince('1W', now).start).toBe(now - 7 * 86_400_000);
  });
});
