// A split whose versions run different models (a version's `model` overrides the template's,
// DESIGN §2) was judged on tokens alone: a candidate costing 7.7× more per call read "1.1.0 uses
// 45 % fewer tokens". Mean cost per call is now compared too, as tokens are (batch means or the
// observed range, the same minimum of calls), as `cost`; when the routes' models differ the
// verdict leads with cost, as tokens of different models are not comparable; otherwise the verdict
// is what it was.
import { describe, expect, it } from 'vitest';
import { buildStatus, costVariance, MIN_CALLS, type Totals } from '../../../src/evals/stats.js';
import type { AnalyticsMetric, AnalyticsResult, AnalyticsStats } from '../../../src/targets/llmgateway/wire.js';

/** One hourly bucket: n calls the model ran for, `tokens` per call (±20), `micros` per call (±10 %). */
function bucket(hour: number, n: number, tokens: number, micros: number) {
  const s = (count: number, sum: number, min?: number, max?: number): AnalyticsStats => ({ count, sum, ...(min !== undefined ? { min, max } : {}) });
  const metrics: Array<{ metric: AnalyticsMetric; stats: AnalyticsStats }> = [
    { metric: 'nInvocations', stats: s(n, n) },
    { metric: 'nErrors', stats: s(0, 0) },
    { metric: 'nBlocked', stats: s(0, 0) },
    { metric: 'nPromptTokens', stats: s(n, n * (tokens - 200), tokens - 220, tokens - 180) },
    { metric: 'nCompletionTokens', stats: s(n, n * 200, 190, 210) },
    { metric: 'nCostMicros', stats: s(n, n * micros, micros * 0.9, micros * 1.1) },
  ];
  const start = Date.parse('2025-06-01T00:00:00Z') + hour * 3_600_000;
  return { interval: `${new Date(start).toISOString()}/${new Date(start + 3_600_000).toISOString()}`, metrics };
}

const split = { strategy: 'random', routes: [{ version: '1.0.0', weight: 50 }, { version: '1.1.0', weight: 50 }] };
const meta = { target: 'test', interval: '2025-06-01T00:00:00Z/2025-06-02T00:00:00Z', since: '1d' };

/** 40 calls a version in one bucket: 1.0.0 at 1,000 tokens and 300 µ$ a call, 1.1.0 at `tokens` and `micros`. */
function twoVersions(tokens: number, micros: number): AnalyticsResult {
  return {
    results: [
      { group: { templateId: 't1', version: '1.0.0' }, data: [bucket(0, 40, 1000, 300)] },
      { group: { templateId: 't1', version: '1.1.0' }, data: [bucket(0, 40, tokens, micros)] },
    ],
  };
}

function comparison(result: AnalyticsResult, models?: Record<string, string>) {
  const t = buildStatus(result, [{ id: 't1', name: 'abt', split, ...(models ? { models: new Map(Object.entries(models)) } : {}) }], meta).templates[0]!;
  return { c: t.comparison!, notes: t.notes };
}

describe('status: cost per call beside tokens', () => {
  it('a candidate on a dearer model: the verdict leads with its cost, not its fewer tokens', () => {
    const { c, notes } = comparison(twoVersions(550, 2310), { '1.0.0': 'gpt-4o-mini', '1.1.0': 'gpt-4o' });
    expect(c.tokens!.significant).toBe(true);
    expect(c.cost).toMatchObject({ estimate: 0.00201, significant: true, method: 'bounded by the observed range (conservative)' });
    expect(c.cost!.relative.estimate).toBeCloseTo(6.7, 10);
    expect(c.cost!.low).toBeGreaterThan(0);
    expect(c.models).toEqual({ baseline: 'gpt-4o-mini', candidate: 'gpt-4o' });
    expect(c.verdict).toBe('1.1.0 costs 7.7× more per call, errors not different yet: keep collecting');
    expect(notes).toContain('1.1.0 runs gpt-4o and 1.0.0 gpt-4o-mini: their tokens are priced (and may be counted) differently, so the verdict compares cost per call, not tokens');
  });

  it('a candidate on a cheaper model: "… % less per call"; not different: said so', () => {
    expect(comparison(twoVersions(1400, 165), { '1.0.0': 'gpt-4o', '1.1.0': 'gpt-4o-mini' }).c.verdict).toBe('1.1.0 costs 45 % less per call, errors not different yet: keep collecting');
    expect(comparison(twoVersions(1400, 390), { '1.0.0': 'gpt-4o', '1.1.0': 'o4-mini' }).c.verdict).toBe('1.1.0 costs 30 % more per call, errors not different yet: keep collecting');
    expect(comparison(twoVersions(600, 301), { '1.0.0': 'gpt-4o', '1.1.0': 'o4-mini' }).c.verdict).toBe('1.1.0 vs 1.0.0: cost per call not different yet, errors not different yet: keep collecting');
  });

  it('the same model on both routes, or models not known: the verdict is about tokens as before, the cost compared beside it', () => {
    for (const models of [{ '1.0.0': 'gpt-4o', '1.1.0': 'gpt-4o' }, undefined]) {
      const { c, notes } = comparison(twoVersions(550, 165), models);
      expect(c.verdict).toBe('1.1.0 uses 45 % fewer tokens, errors not different yet: keep collecting');
      expect(c.cost).toMatchObject({ estimate: -0.000135, significant: true });
      expect(notes.join('\n')).not.toMatch(/runs/);
    }
  });

  it('too few calls with a cost: no cost interval, and the verdict says so when it leads with cost', () => {
    const few: AnalyticsResult = {
      results: [
        { group: { templateId: 't1', version: '1.0.0' }, data: [bucket(0, 200, 1000, 300)] },
        { group: { templateId: 't1', version: '1.1.0' }, data: [bucket(0, 20, 550, 2310)] },
      ],
    };
    const { c } = comparison(few, { '1.0.0': 'gpt-4o-mini', '1.1.0': 'gpt-4o' });
    expect(c.cost).toBeNull();
    expect(c.verdict).toBe(`1.1.0 vs 1.0.0: too few calls with a cost to compare cost per call (20 for 1.1.0, 200 for 1.0.0; ${MIN_CALLS} each needed), errors not different yet: keep collecting`);
  });

  it('the spread of cost per call comes from batch means over enough buckets, capped by the observed range', () => {
    const costs = Array.from({ length: 24 }, (_, h) => ({ n: 5, micros: 5 * (h % 2 ? 310 : 290) }));
    const g: Totals = { metrics: new Map([['nCostMicros', { count: 120, sum: 120 * 300, min: 200, max: 400 }]]), batches: [], costs };
    const v = costVariance(g, 120)!;
    expect(v.method).toBe('batch means over 24 buckets');
    // Per-bucket means 290 and 310 about 300, 5 calls each: 24 · 5 · 100 / 23.
    expect(v.variance).toBeCloseTo((24 * 5 * 100) / 23, 10);
    expect(costVariance(g, MIN_CALLS - 1)).toBeUndefined();
  });
});
