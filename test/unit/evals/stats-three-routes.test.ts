// A split of three routes or more in `promptctl status`: every other routed version compared with
// the baseline (the largest weight; of equal weights the lower version), each with its intervals
// and verdict; a two-way split keeps its one `comparison` beside `comparisons`; the notes say
// which version is the baseline and why a comparison reaches no verdict. Views render each one.
import { describe, expect, it } from 'vitest';
import { buildStatus } from '../../../src/evals/stats.js';
import type { StatusReport } from '../../../src/evals/types.js';
import type { AnalyticsMetric, AnalyticsResult, AnalyticsStats } from '../../../src/targets/llmgateway/wire.js';
import { renderStatus } from '../../../src/views/status.js';

/** One hourly bucket: n calls, e of them errors, answered calls at `prompt` + 400 tokens (range 500–700 and 300–500). */
function bucket(hour: number, n: number, e: number, prompt: number) {
  const s = (count: number, sum: number, min?: number, max?: number): AnalyticsStats => ({ count, sum, ...(min !== undefined ? { min, max } : {}) });
  const answered = n - e;
  const metrics: Array<{ metric: AnalyticsMetric; stats: AnalyticsStats }> = [
    { metric: 'nInvocations', stats: s(n, n) },
    { metric: 'nErrors', stats: s(e, e) },
    { metric: 'nBlocked', stats: s(0, 0) },
    { metric: 'tLatency', stats: s(answered, answered * 200, 100, 300) },
    { metric: 'nPromptTokens', stats: s(answered, answered * prompt, 500, 700) },
    { metric: 'nCompletionTokens', stats: s(answered, answered * 400, 300, 500) },
    { metric: 'nCostMicros', stats: s(answered, answered * 1500, 1000, 2000) },
  ];
  const start = Date.parse('2025-06-01T00:00:00Z') + hour * 3_600_000;
  return { interval: `${new Date(start).toISOString()}/${new Date(start + 3_600_000).toISOString()}`, metrics };
}

const meta = { target: 'test', interval: '2025-06-01T00:00:00Z/2025-06-08T00:00:00Z', since: '7d' };
const split = (...routes: Array<[string, number]>) => ({ strategy: 'random', routes: routes.map(([version, weight]) => ({ version, weight })) });

/** 40 hours: 1.0.0 at 14 calls an hour (1,000 tokens), 1.1.0 at 4 (820 tokens: fewer), 1.2.0 at 2 with one of them an error. */
const result: AnalyticsResult = {
  results: [
    { group: { templateId: 't1', version: '1.0.0' }, data: Array.from({ length: 40 }, (_, h) => bucket(h, 14, 0, 600 + (h % 2 ? 20 : -20))) },
    { group: { templateId: 't1', version: '1.1.0' }, data: Array.from({ length: 40 }, (_, h) => bucket(h, 4, 0, 420 + (h % 2 ? 20 : -20))) },
    { group: { templateId: 't1', version: '1.2.0' }, data: Array.from({ length: 40 }, (_, h) => bucket(h, 2, 1, 600 + (h % 2 ? 20 : -20))) },
  ],
};

describe('status: a split of three routes', () => {
  const report = buildStatus(result, [{ id: 't1', name: 'billing', split: split(['1.0.0', 72], ['1.1.0', 18], ['1.2.0', 10]) }], meta);
  const t = report.templates[0]!;

  it('compares each other version with the largest route, in version order, each with its intervals and verdict', () => {
    expect(t.comparison).toBeUndefined();
    const [fewer, failing] = t.comparisons!;
    expect(fewer).toMatchObject({ baseline: '1.0.0', candidate: '1.1.0' });
    expect(fewer!.tokens!.significant).toBe(true);
    expect(fewer!.tokens!.estimate).toBeCloseTo(-180, 0);
    expect(fewer!.verdict).toBe('1.1.0 uses 18 % fewer tokens, errors not different yet: keep collecting');
    expect(failing).toMatchObject({ baseline: '1.0.0', candidate: '1.2.0' });
    expect(failing!.errors!.significant).toBe(true);
    expect(failing!.errors!.low).toBeGreaterThan(0);
    expect(failing!.verdict).toBe("1.2.0 vs 1.0.0: tokens not different yet, errors higher (50 % vs 0 %): consider routing 1.2.0's traffic back to 1.0.0");
    expect(t.notes).toEqual(['1.0.0 is the baseline, the route with the largest weight (72 %); 1.1.0 and 1.2.0 are each compared with it']);
    expect(report.method).toContain(
      'a split of three routes or more: each version against the baseline on its own, each interval 95 % by itself (of several comparisons, one stands out by chance more often than 1 in 20)',
    );
  });

  it('text and markdown show every comparison and its verdict; markdown names each pair once', () => {
    const text = renderStatus(report, 'text');
    expect(text).toContain("  1.2.0 (candidate) vs 1.0.0 (baseline):\n    tokens per call: ");
    expect(text).toMatch(/^ {4}error rate: 50 % vs 0 %, difference \+50\.0 points, 95 % interval \+\d+\.\d to \+\d+\.\d$/m);
    expect(text).toContain("  verdict: 1.2.0 vs 1.0.0: tokens not different yet, errors higher (50 % vs 0 %): consider routing 1.2.0's traffic back to 1.0.0");
    expect(text).toContain('  verdict: 1.1.0 uses 18 % fewer tokens, errors not different yet: keep collecting');
    const md = renderStatus(report, 'markdown');
    expect(md).toContain("**Verdict, 1.2.0 vs 1.0.0:** tokens not different yet, errors higher (50 % vs 0 %): consider routing 1.2.0's traffic back to 1.0.0");
    expect(md).toContain('**Verdict, 1.1.0 vs 1.0.0:** 1.1.0 uses 18 % fewer tokens, errors not different yet: keep collecting');
  });

  it('routes of weight 0 are left out; four routes give three comparisons', () => {
    const four = buildStatus(result, [{ id: 't1', name: 'billing', split: split(['0.9.0', 0], ['1.0.0', 40], ['1.1.0', 30], ['1.2.0', 20], ['1.3.0', 10]) }], meta).templates[0]!;
    expect(four.comparisons!.map((c) => `${c.candidate} vs ${c.baseline}`)).toEqual(['1.1.0 vs 1.0.0', '1.2.0 vs 1.0.0', '1.3.0 vs 1.0.0']);
    expect(four.comparisons![2]!.verdict).toBe('no calls to 1.3.0 yet: nothing to compare');
    expect(four.notes).toContain('no verdict for 1.3.0 vs 1.0.0: 1.3.0 has had no call in the interval');
  });

  it('of equal largest weights the lower version is the baseline, and a note says so (two routes too)', () => {
    const tie = buildStatus(result, [{ id: 't1', name: 'billing', split: split(['1.2.0', 40], ['1.0.0', 20], ['1.1.0', 40]) }], meta).templates[0]!;
    expect(tie.comparisons!.map((c) => `${c.candidate} vs ${c.baseline}`)).toEqual(['1.0.0 vs 1.1.0', '1.2.0 vs 1.1.0']);
    expect(tie.notes).toContain('1.1.0 and 1.2.0 share the largest weight (40 %): the lower version, 1.1.0, is the baseline; 1.0.0 and 1.2.0 are each compared with it');
    const half = buildStatus(result, [{ id: 't1', name: 'billing', split: split(['1.1.0', 50], ['1.0.0', 50]) }], meta).templates[0]!;
    expect(half.comparison).toMatchObject({ baseline: '1.0.0', candidate: '1.1.0' });
    expect(half.notes).toContain('1.0.0 and 1.1.0 share the largest weight (50 %): the lower version, 1.0.0, is the baseline; 1.1.0 is compared with it');
  });
});

describe('status: a two-way split keeps its shape', () => {
  const two: AnalyticsResult = { results: result.results.filter((r) => r.group.version !== '1.1.0') };
  const report = buildStatus(two, [{ id: 't1', name: 'billing', split: split(['1.0.0', 88], ['1.2.0', 12]) }], meta);
  const t = report.templates[0]!;

  it('one `comparison`, also as the one entry of `comparisons`; no baseline note, no several-comparisons method line', () => {
    expect(t.comparison).toMatchObject({ baseline: '1.0.0', candidate: '1.2.0' });
    expect(t.comparisons).toEqual([t.comparison]);
    expect(t.comparison!.verdict).toBe('1.2.0 vs 1.0.0: tokens not different yet, errors higher (50 % vs 0 %): consider routing traffic back to 1.0.0');
    expect(t.notes).toEqual([]);
    expect(report.method.join('\n')).not.toMatch(/three routes/);
    const json = JSON.parse(renderStatus(report, 'json'));
    expect(json.templates[0].comparison.verdict).toBe(t.comparison!.verdict);
    expect(renderStatus(report, 'markdown')).toContain(`**Verdict:** 1.2.0 vs 1.0.0: tokens not different yet`);
  });

  it('a report holding only `comparison` (as made before) still renders its comparison', () => {
    const { comparisons: _dropped, ...old } = t;
    const before: StatusReport = { ...report, templates: [old] };
    expect(renderStatus(before, 'text')).toContain('  1.2.0 (candidate) vs 1.0.0 (baseline):');
    expect(renderStatus(before, 'markdown')).toContain('**Verdict:** ');
  });

  it('counts too small for any verdict are named in the notes', () => {
    const tiny: AnalyticsResult = {
      results: [
        { group: { templateId: 't1', version: '1.0.0' }, data: [bucket(0, 1, 0, 600)] },
        { group: { templateId: 't1', version: '1.2.0' }, data: [bucket(0, 1, 1, 600)] },
      ],
    };
    const s = buildStatus(tiny, [{ id: 't1', name: 'billing', split: split(['1.0.0', 50], ['1.2.0', 50]) }], meta).templates[0]!;
    expect(s.comparison!.errors!.significant).toBe(false);
    // The verdict agrees with the note: none yet (it said "errors not different yet" beside it).
    expect(s.comparison!.verdict).toBe('1.2.0 vs 1.0.0: no verdict yet, too few calls (1 for 1.2.0, 1 for 1.0.0): keep collecting');
    expect(s.notes).toEqual([
      '1.0.0 and 1.2.0 share the largest weight (50 %): the lower version, 1.0.0, is the baseline; 1.2.0 is compared with it',
      'no verdict for 1.2.0 vs 1.0.0: too few calls (1 for 1.2.0, 1 for 1.0.0): not even every call of one failing and none of the other would stand out at 95 %, and tokens need 30 calls the model ran for each',
    ]);
  });
});
