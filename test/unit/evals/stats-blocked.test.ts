// A split's comparison in `promptctl status` judges blocked calls (a block_and_log filter refused
// them: their callers got no answer) beside errors, by the same Newcombe interval: the verdict
// says a candidate is blocked more or less often, routes back one blocked more often whatever its
// errors, and says nothing of blocks when neither side had one; `errors` keeps its meaning.
import { describe, expect, it } from 'vitest';
import { buildStatus } from '../../../src/evals/stats.js';
import type { SplitComparison } from '../../../src/evals/types.js';
import type { AnalyticsMetric, AnalyticsResult, AnalyticsStats } from '../../../src/targets/llmgateway/wire.js';

/** One hourly bucket: n calls, e errors, b blocked (after the model ran), the model's calls at `prompt` + 400 tokens. */
function bucket(hour: number, n: number, e: number, b: number, prompt: number) {
  const s = (count: number, sum: number, min?: number, max?: number): AnalyticsStats => ({ count, sum, ...(min !== undefined ? { min, max } : {}) });
  const ran = n - e;
  const metrics: Array<{ metric: AnalyticsMetric; stats: AnalyticsStats }> = [
    { metric: 'nInvocations', stats: s(n, n) },
    { metric: 'nErrors', stats: s(e, e) },
    { metric: 'nBlocked', stats: s(b, b) },
    { metric: 'tLatency', stats: s(ran, ran * 200, 100, 300) },
    { metric: 'nPromptTokens', stats: s(ran, ran * prompt, 500, 700) },
    { metric: 'nCompletionTokens', stats: s(ran, ran * 400, 300, 500) },
    { metric: 'nCostMicros', stats: s(ran, ran * 1500, 1000, 2000) },
  ];
  const start = Date.parse('2025-06-01T00:00:00Z') + hour * 3_600_000;
  return { interval: `${new Date(start).toISOString()}/${new Date(start + 3_600_000).toISOString()}`, metrics };
}

const meta = { target: 'test', interval: '2025-06-01T00:00:00Z/2025-06-08T00:00:00Z', since: '7d' };
const split = (...routes: Array<[string, number]>) => ({ strategy: 'random', routes: routes.map(([version, weight]) => ({ version, weight })) });

/** 40 hours of one version: `each(h)` gives [calls, errors, blocked, prompt tokens] of hour h. */
function hours(version: string, each: (h: number) => [number, number, number, number]) {
  return { group: { templateId: 't1', version }, data: Array.from({ length: 40 }, (_, h) => bucket(h, ...each(h))) };
}

function compare(result: AnalyticsResult, routes: Array<[string, number]> = [['1.0.0', 80], ['1.1.0', 20]]): SplitComparison[] {
  return buildStatus(result, [{ id: 't1', name: 'billing', split: split(...routes) }], meta).templates[0]!.comparisons!;
}

/** 1.0.0: 10 calls an hour at 1,000 tokens, one blocked every 10th hour (0.25 %). */
const baseline = hours('1.0.0', (h) => [10, 0, h % 10 === 0 ? 1 : 0, 600 + (h % 2 ? 20 : -20)]);

describe('status: blocked calls in a split comparison', () => {
  it('a candidate blocked far more often is told to route back, its errors lower or not', () => {
    // 1.1.0: 5 calls an hour, 2 of them blocked (40 %), no error; fewer tokens.
    const [c] = compare({ results: [baseline, hours('1.1.0', (h) => [5, 0, 2, 420 + (h % 2 ? 20 : -20)])] });
    expect(c!.errors).toMatchObject({ estimate: 0, significant: false });
    expect(c!.blocked).toMatchObject({ baselineRate: 4 / 400, candidateRate: 0.4, significant: true });
    expect(c!.blocked!.low).toBeGreaterThan(0.3);
    expect(c!.verdict).toBe('1.1.0 uses 18 % fewer tokens, errors not different yet, blocked more often by safety filters (40 % vs 1.0 %): consider routing traffic back to 1.0.0');

    // Fewer errors do not make up for callers left without an answer.
    const erring = hours('1.0.0', (h) => [10, 2, h % 10 === 0 ? 1 : 0, 600 + (h % 2 ? 20 : -20)]);
    const [d] = compare({ results: [erring, hours('1.1.0', (h) => [5, 0, 2, 420 + (h % 2 ? 20 : -20)])] });
    expect(d!.errors!.significant).toBe(true);
    expect(d!.verdict).toMatch(/errors lower \(0 % vs 20 %\), blocked more often by safety filters \(40 % vs 1\.0 %\): consider routing traffic back to 1\.0\.0$/);
  });

  it('of three routes, names the candidate whose traffic goes back', () => {
    const same = hours('1.1.0', (h) => [5, 0, h % 20 === 0 ? 1 : 0, 600 + (h % 2 ? 20 : -20)]);
    const blocked = hours('1.2.0', (h) => [5, 0, 3, 600 + (h % 2 ? 20 : -20)]);
    const [a, b] = compare({ results: [baseline, same, blocked] }, [['1.0.0', 72], ['1.1.0', 18], ['1.2.0', 10]]);
    expect(a!.verdict).toBe('1.1.0 vs 1.0.0: tokens not different yet, errors not different yet, blocks not different yet: keep collecting');
    expect(b!.verdict).toBe("1.2.0 vs 1.0.0: tokens not different yet, errors not different yet, blocked more often by safety filters (60 % vs 1.0 %): consider routing 1.2.0's traffic back to 1.0.0");
  });

  it('a candidate blocked less often says so, and a clear verdict needs the blocks decided too', () => {
    // The baseline blocked 30 % of its calls, with errors; the candidate none, with fewer errors and tokens.
    const blocking = hours('1.0.0', (h) => [10, 1, 3, 600 + (h % 2 ? 20 : -20)]);
    const [c] = compare({ results: [blocking, hours('1.1.0', (h) => [5, 0, 0, 420 + (h % 2 ? 20 : -20)])] });
    expect(c!.blocked).toMatchObject({ baselineRate: 0.3, candidateRate: 0, significant: true });
    expect(c!.verdict).toBe('1.1.0 uses 18 % fewer tokens, errors lower (0 % vs 10 %), blocked less often by safety filters (0 % vs 30 %)');
  });

  it('says nothing of blocks when neither side had one, and still gives the blocked rates in the comparison', () => {
    const none = hours('1.0.0', (h) => [10, 0, 0, 600 + (h % 2 ? 20 : -20)]);
    const [c] = compare({ results: [none, hours('1.1.0', (h) => [5, 0, 0, 420 + (h % 2 ? 20 : -20)])] });
    expect(c!.blocked).toMatchObject({ estimate: 0, baselineRate: 0, candidateRate: 0, significant: false });
    expect(c!.verdict).toBe('1.1.0 uses 18 % fewer tokens, errors not different yet: keep collecting');
  });
});
