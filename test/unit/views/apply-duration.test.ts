// The line a long apply prints before it starts, the request count behind it, and the line after it.
import { describe, expect, it } from 'vitest';
import { expectedDurationLine, tookLine, roughly } from '../../../src/views/apply.js';
import { expectedDurationMs, expectedRequests } from '../../../src/plan/cost.js';
import { buildPlan } from '../../../src/plan/build.js';
import { liveAfterApply, opts, sampleDesired } from '../plan/fixtures.js';

describe('expected duration', () => {
  it('is requests ÷ the announced rate for an apply of many windows', () => {
    expect(expectedDurationMs(6_000, { allowed: 300, windowMs: 60_000 })).toBe(1_200_000);
    expect(expectedDurationMs(10, { allowed: 0, windowMs: 60_000 })).toBe(Number.POSITIVE_INFINITY);
  });

  it('lets what the current window still allows go at once, the rest a window at each reset', () => {
    const budget = { allowed: 300, windowMs: 60_000, remaining: 286, resetInMs: 52_000 };
    // Within what is left: the rate holds nothing back (requests ÷ rate said 37 s; it took 1.4 s).
    expect(expectedDurationMs(183, budget)).toBe(0);
    expect(expectedDurationMs(286, budget)).toBe(0);
    // One more waits for the reset; 300 more go then, the next at the reset after.
    expect(expectedDurationMs(287, budget)).toBe(52_000);
    expect(expectedDurationMs(586, budget)).toBe(52_000);
    expect(expectedDurationMs(587, budget)).toBe(112_000);
    // The bench's rate-limited apply: 615 requests, the window full (300) at the start: the last goes at 120 s.
    expect(expectedDurationMs(615, { allowed: 300, windowMs: 60_000, remaining: 300, resetInMs: 60_000 })).toBe(120_000);
    // Nothing left now, no reset named: a whole window first.
    expect(expectedDurationMs(10, { allowed: 300, windowMs: 60_000, remaining: 0 })).toBe(60_000);
  });

  it('is said only for a long apply, roughly', () => {
    const budget = { allowed: 300, windowMs: 60_000 };
    expect(expectedDurationLine(6_077, 1_215_400, budget)).toBe(
      "This apply makes about 6,077 requests: about 20 min at the target's rate (300 requests per 60 s).",
    );
    expect(expectedDurationLine(40, 8_000, budget)).toBeUndefined();
    expect([roughly(12_400), roughly(89_000), roughly(95_000), roughly(80 * 60_000), roughly(95 * 60_000)]).toEqual(['12 s', '89 s', '2 min', '80 min', '1 h 35 min']);
  });
});

describe('expectedRequests', () => {
  it('counts what each kind calls: nothing for a plan with no change', () => {
    const d = sampleDesired();
    const fresh = buildPlan(d, { templates: [], filters: [] }, opts());
    const kinds = fresh.actions.filter((a) => a.action === 'create').map((a) => a.kind).sort();
    // One POST per template, split and filter; per version a POST, a publish job and a share of a listing page.
    const versions = kinds.filter((k) => k === 'PromptVersion').length;
    expect(expectedRequests(fresh)).toBe(Math.ceil(kinds.length - versions + versions * (2 + 1 / 25)));
    expect(expectedRequests(buildPlan(d, liveAfterApply(d), opts()))).toBe(0);
  });
});

describe('after a long apply', () => {
  it('says how long it took beside what was expected (retries and waits are what the expectation cannot know)', () => {
    expect(tookLine(65_200, 41_000)).toBe("The apply took 65 s (about 41 s was expected at the target's rate).");
    expect(tookLine(125_000, undefined)).toBe('The apply took 2 min.');
    // A short apply says nothing more; a long one expected short, only its time.
    expect(tookLine(9_000, 41_000)).toBeUndefined();
    expect(tookLine(12_000, 3_000)).toBe('The apply took 12 s.');
  });
});
