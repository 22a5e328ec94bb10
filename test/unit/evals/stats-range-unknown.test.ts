// The interval on a difference of mean tokens when the target's analytics leave out min and max
// (DESIGN §3: `stats: {count, sum, min?, max?}`): an unknown range bounds nothing, so it must not
// collapse the spread to zero and make every difference "significant".
import { describe, expect, it } from 'vitest';
import { buildStatus, tokenVariance, type Totals } from '../../../src/evals/stats.js';
import type { AnalyticsMetric, AnalyticsResult, AnalyticsStats } from '../../../src/targets/llmgateway/wire.js';

/** One hourly bucket of n answered calls with these mean tokens, without min and max. */
function bucket(hour: number, n: number, prompt: number, completion: number) {
  const s = (count: number, sum: number): AnalyticsStats => ({ count, sum });
  const metrics: Array<{ metric: AnalyticsMetric; stats: AnalyticsStats }> = [
    { metric: 'nInvocations', stats: s(n, n) },
    { metric: 'nErrors', stats: s(0, 0) },
    { metric: 'nBlocked', stats: s(0, 0) },
    { metric: 'tLatency', stats: s(n, n * 200) },
    { metric: 'nPromptTokens', stats: s(n, n * prompt) },
    { metric: 'nCompletionTokens', stats: s(n, n * completion) },
    { metric: 'nCostMicros', stats: s(n, n * 1500) },
  ];
  const start = Date.parse('2025-06-01T00:00:00Z') + hour * 3_600_000;
  return { interval: `${new Date(start).toISOString()}/${new Date(start + 3_600_000).toISOString()}`, metrics };
}

const split = { strategy: 'random', routes: [{ version: '1.0.0', weight: 50 }, { version: '1.1.0', weight: 50 }] };
const meta = { target: 'test', interval: '2025-06-01T00:00:00Z/2025-06-08T00:00:00Z', since: '7d' };

describe('status without min and max in the analytics', () => {
  it('few buckets: no range to bound the spread, so no token interval (not a zero-width one)', () => {
    const r: AnalyticsResult = {
      results: [
        { group: { templateId: 't1', version: '1.0.0' }, data: [bucket(0, 100, 600, 400)] },
        { group: { templateId: 't1', version: '1.1.0' }, data: [bucket(0, 100, 601, 400)] },
      ],
    };
    const c = buildStatus(r, [{ id: 't1', name: 'billing', split }], meta).templates[0]!.comparison!;
    // One token more on average, from one bucket each: nothing says how calls spread.
    if (c.tokens) {
      expect(c.tokens.high).toBeGreaterThan(c.tokens.low);
      expect(c.tokens.significant).toBe(false);
    }
    expect(c.verdict).not.toMatch(/uses .* more tokens/);
    // And the verdict says why, not that 100 calls each are too few.
    expect(c.verdict).not.toMatch(/too few calls the model ran for/);
    expect(c.verdict).toMatch(/no min and max of tokens per call/);
  });

  it('enough buckets: the batch-means spread stands on its own, not capped to zero', () => {
    const data = Array.from({ length: 30 }, (_, h) => bucket(h, 10, 600 + (h % 2 ? 50 : -50), 400));
    const metrics = new Map<AnalyticsMetric, AnalyticsStats>([['nPromptTokens', { count: 300, sum: 300 * 600 }], ['nCompletionTokens', { count: 300, sum: 300 * 400 }]]);
    const g: Totals = { metrics, batches: data.map(() => ({ n: 10, tokens: 0 })) };
    data.forEach((_, h) => (g.batches[h]!.tokens = 10 * (1000 + (h % 2 ? 50 : -50))));
    const v = tokenVariance(g, 300)!;
    expect(v.method).toBe('batch means over 30 buckets');
    expect(v.variance).toBeGreaterThan(0);
  });
});
