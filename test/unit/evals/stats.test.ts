// The statistics behind `promptctl status`: Wilson and Newcombe intervals against published
// values, the interval on a difference of mean tokens, and the per-version report built from an
// analytics answer.
import { describe, expect, it } from 'vitest';
import { buildStatus, MIN_CALLS, newcombe, parseSince, statusQuery, wilson } from '../../../src/evals/stats.js';
import type { AnalyticsMetric, AnalyticsResult, AnalyticsStats } from '../../../src/targets/llmgateway/wire.js';

describe('intervals', () => {
  it('Wilson score intervals match the textbook values', () => {
    const w = wilson(0, 10);
    expect(w.low).toBe(0);
    expect(w.high).toBeCloseTo(0.2775, 4);
    const h = wilson(5, 10);
    expect(h.low).toBeCloseTo(0.2366, 4);
    expect(h.high).toBeCloseTo(0.7634, 4);
  });

  it("Newcombe's hybrid score interval (method 10) matches his published examples", () => {
    // Newcombe (1998), Statistics in Medicine 17:873-890, table II: p1 − p2 for (x1/n1, x2/n2).
    const cases: Array<[number, number, number, number, number, number]> = [
      [56, 70, 48, 80, 0.0524, 0.3339],
      [9, 10, 3, 10, 0.1705, 0.809],
      [6, 7, 2, 7, 0.0582, 0.8062],
      [5, 56, 0, 29, -0.0381, 0.1926],
      [0, 10, 0, 20, -0.1611, 0.2775],
      [10, 10, 0, 20, 0.6791, 1],
    ];
    for (const [x1, n1, x2, n2, low, high] of cases) {
      // newcombe(a, b) is b − a: pass the second proportion first.
      const d = newcombe(x2, n2, x1, n1);
      expect(d.estimate).toBeCloseTo(x1 / n1 - x2 / n2, 10);
      expect(d.low, `${x1}/${n1} − ${x2}/${n2}`).toBeCloseTo(low, 3);
      expect(d.high, `${x1}/${n1} − ${x2}/${n2}`).toBeCloseTo(high, 3);
    }
  });
});

describe('--since', () => {
  const now = Date.parse('2025-06-10T12:00:00.400Z');
  it('takes a duration back from now or a date; the end is the next whole second plus one', () => {
    expect(parseSince('7d', now)).toEqual({ start: now - 7 * 86_400_000, end: Date.parse('2025-06-10T12:00:02.000Z'), granularity: 'PT1H' });
    expect(parseSince('90m', now).start).toBe(now - 90 * 60_000);
    expect(parseSince('2w', now).start).toBe(now - 14 * 86_400_000);
    expect(parseSince('2025-06-01', now).start).toBe(Date.parse('2025-06-01'));
    expect(parseSince('2020-01-01', now).granularity).toBe('P1D');
    expect(() => parseSince('3x', now)).toThrow(/not a duration \(30m, 24h, 7d, 2w\) or an ISO-8601 date/);
    expect(() => parseSince('0d', now)).toThrow(/above zero/);
    expect(() => parseSince('2030-01-01', now)).toThrow(/in the future/);
    // Not rolled into March: a day the month lacks is refused.
    expect(() => parseSince('2025-02-30', now)).toThrow(/2025-02-30 is not a day of the calendar/);
    expect(() => parseSince('2025-04-31T10:00:00Z', now)).toThrow(/not a day of the calendar/);
    expect(parseSince('2024-02-29', now).start).toBe(Date.parse('2024-02-29'));
  });

  it('goes by the hour up to 366 days back, then by the day, as far as one query holds (counted as the server counts buckets)', () => {
    expect(parseSince('365d', now).granularity).toBe('PT1H');
    expect(parseSince('366d', now).granularity).toBe('PT1H');
    expect(parseSince('367d', now).granularity).toBe('P1D');
    expect(parseSince('8783d', now).granularity).toBe('P1D');
    const far = /--since 8784d reaches back too far: one analytics query holds 8,784 daily buckets, the last one today's; give at most 8783d, or a date from 2001-05-24 on$/;
    expect(() => parseSince('8784d', now)).toThrow(far);
    const q = statusQuery(parseSince('2001-05-24', now));
    const [from, to] = q.interval.split('/').map((x) => Date.parse(x));
    expect(Math.ceil((to! - from!) / 86_400_000)).toBe(8784);
    expect(() => parseSince('2001-05-23', now)).toThrow(/reaches back too far/);
  });

  it('the query groups by template and version, in buckets, and filters on one template when asked', () => {
    const q = statusQuery(parseSince('1h', now), 'tid-1');
    expect(q).toMatchObject({ groupBy: ['templateId', 'version'], granularity: 'PT1H', filter: { type: 'and', predicates: [{ dimension: 'templateId', value: 'tid-1' }] } });
    expect(q.metrics).toEqual(['nInvocations', 'nErrors', 'nBlocked', 'tLatency', 'nPromptTokens', 'nCompletionTokens', 'nCostMicros']);
    expect(q.interval).toBe('2025-06-10T11:00:00.400Z/2025-06-10T12:00:02.000Z');
  });
});

/** One hourly bucket of one version: n calls, e errors, tokens per call split prompt/completion. */
function bucket(hour: number, n: number, e: number, prompt: number, completion: number, spread = { p: [500, 700], c: [300, 500] }) {
  const s = (count: number, sum: number, min?: number, max?: number): AnalyticsStats => ({ count, sum, ...(min !== undefined ? { min, max } : {}) });
  const answered = n - e;
  const metrics: Array<{ metric: AnalyticsMetric; stats: AnalyticsStats }> = [
    { metric: 'nInvocations', stats: s(n, n) },
    { metric: 'nErrors', stats: s(e, e) },
    { metric: 'nBlocked', stats: s(0, 0) },
    { metric: 'tLatency', stats: s(answered, answered * 200, 100, 300) },
    { metric: 'nPromptTokens', stats: s(answered, answered * prompt, spread.p[0], spread.p[1]) },
    { metric: 'nCompletionTokens', stats: s(answered, answered * completion, spread.c[0], spread.c[1]) },
    { metric: 'nCostMicros', stats: s(answered, answered * 1500, 1000, 2000) },
  ];
  const start = Date.parse('2025-06-01T00:00:00Z') + hour * 3_600_000;
  return { interval: `${new Date(start).toISOString()}/${new Date(start + 3_600_000).toISOString()}`, metrics };
}

const split = { strategy: 'random', routes: [{ version: '1.0.0', weight: 80 }, { version: '1.1.0', weight: 20 }] };
const meta = { target: 'test', interval: '2025-06-01T00:00:00Z/2025-06-08T00:00:00Z', since: '7d' };

describe('status', () => {
  // 40 hours of traffic: 1.0.0 gets 10 calls an hour at 1,000 tokens (±20 hour to hour), 1.1.0
  // gets 2.5 an hour (10 every 4th hour... spread as 40 buckets of 2 or 3) at 820 tokens.
  const base = Array.from({ length: 40 }, (_, h) => bucket(h, 10, h % 4 === 0 ? 1 : 0, 600 + (h % 2 ? 20 : -20), 400));
  const cand = Array.from({ length: 40 }, (_, h) => bucket(h, h % 2 ? 3 : 2, h === 7 ? 1 : 0, 420 + (h % 2 ? 20 : -20), 400));
  const result: AnalyticsResult = {
    results: [
      { group: { templateId: 't1', version: '1.0.0' }, data: base },
      { group: { templateId: 't1', version: '1.1.0' }, data: cand },
      { group: { templateId: 't1' }, data: [bucket(3, 2, 2, 0, 0)] },
      { group: {}, data: [bucket(5, 4, 4, 0, 0)] },
    ],
  };
  const report = buildStatus(result, [{ id: 't1', name: 'billing-assistant', split }], meta);
  const t = report.templates[0]!;

  it('per version: calls, share against weight, errors, latency mean, tokens and cost', () => {
    expect(report.templates).toHaveLength(1);
    expect(t.invocations).toBe(400 + 100 + 2);
    const [a, b, none] = t.versions;
    expect(a).toMatchObject({ version: '1.0.0', invocations: 400, weight: 80, errors: 10, answered: 390, blocked: 0 });
    // Of the calls that reached a version: the 2 refused before one was chosen are in no share.
    expect(a!.share).toBeCloseTo(400 / 500, 10);
    expect(a!.errorRate).toBeCloseTo(10 / 400, 10);
    expect(a!.latencyMs).toEqual({ mean: 200, min: 100, max: 300 });
    expect(a!.tokens!.meanTotal).toBeCloseTo(1000.5, 0); // the error hours are the low ones
    expect(a!.costUsd!.total).toBeCloseTo((390 * 1500) / 1e6, 10);
    expect(b).toMatchObject({ version: '1.1.0', invocations: 100, weight: 20, errors: 1, answered: 99 });
    expect(none).toMatchObject({ version: null, invocations: 2, errors: 2, share: null });
    expect(t.notes).toContain('2 calls were refused before a version was chosen: they are not in the shares, which are of the calls that reached a version');
    expect(report.method.at(-1)).toBe('4 calls named no known template and are not shown');
    expect(report.method[0]).toMatch(/mean per call.*no percentiles/);
  });

  it('for a two-way split: the token difference with a 95 % interval by batch means, the error difference by Newcombe, and a verdict', () => {
    const c = t.comparison!;
    expect(c).toMatchObject({ baseline: '1.0.0', candidate: '1.1.0' });
    expect(c.tokens!.method).toBe('batch means over 40 buckets');
    expect(c.tokens!.estimate).toBeCloseTo(-176.7, 1);
    expect(c.tokens!.relative.estimate).toBeCloseTo(-0.18, 2);
    expect(c.tokens!.significant).toBe(true);
    expect(c.tokens!.high).toBeLessThan(-150);
    expect(c.errors!.significant).toBe(false);
    expect(c.errors!.low).toBeLessThan(0);
    expect(c.errors!.high).toBeGreaterThan(0);
    expect(c.verdict).toBe('1.1.0 uses 18 % fewer tokens, errors not different yet: keep collecting');
  });

  it('with few buckets, the spread is bounded by the observed range: a wider, conservative interval', () => {
    const few: AnalyticsResult = {
      results: [
        { group: { templateId: 't1', version: '1.0.0' }, data: [bucket(0, 200, 0, 600, 400)] },
        { group: { templateId: 't1', version: '1.1.0' }, data: [bucket(0, 50, 0, 580, 400)] },
      ],
    };
    const c = buildStatus(few, [{ id: 't1', name: 'billing-assistant', split }], meta).templates[0]!.comparison!;
    expect(c.tokens!.method).toBe('bounded by the observed range (conservative)');
    // Range 200 + 200 → sd at most 200 per side: se = sqrt(200²·200/199/200 + 200²·50/49/50) ≈ 31.6.
    expect(c.tokens!.high - c.tokens!.estimate).toBeCloseTo(1.96 * Math.sqrt((40000 * 200) / 199 / 200 + (40000 * 50) / 49 / 50), 1);
    expect(c.tokens!.significant).toBe(false);
    expect(c.verdict).toBe('1.1.0 vs 1.0.0: tokens not different yet, errors not different yet: keep collecting');
  });

  it('too few calls give no token interval; more errors on the candidate say to route back', () => {
    const r: AnalyticsResult = {
      results: [
        { group: { templateId: 't1', version: '1.0.0' }, data: [bucket(0, 400, 0, 600, 400)] },
        { group: { templateId: 't1', version: '1.1.0' }, data: [bucket(0, 40, 20, 600, 400)] },
      ],
    };
    const c = buildStatus(r, [{ id: 't1', name: 'billing-assistant', split }], meta).templates[0]!.comparison!;
    expect(c.tokens).toBeNull();
    expect(c.errors!.significant).toBe(true);
    expect(c.verdict).toBe(`1.1.0 vs 1.0.0: too few calls the model ran for to compare tokens (20 for 1.1.0, 400 for 1.0.0; ${MIN_CALLS} each needed), errors higher (50 % vs 0 %): consider routing traffic back to 1.0.0`);
  });

  it('a sticky split: a share far from its weight may be a few routing keys making many calls, and the note says so', () => {
    // 100 calls of one conversation: all on 1.0.0 (each key keeps its version), none pinned, the split unchanged.
    const r: AnalyticsResult = { results: [{ group: { templateId: 't1', version: '1.0.0' }, data: [bucket(0, 100, 0, 600, 400)] }] };
    const sticky = { strategy: 'sticky', routes: split.routes };
    const notes = buildStatus(r, [{ id: 't1', name: 'billing-assistant', split: sticky }], meta).templates[0]!.notes.join('\n');
    expect(notes).toContain('1.0.0 received 100 % of calls against a weight of 80 %: pinned calls count too, the split changed during the interval, or (the split is sticky) a few routing keys made many of the calls');
    // A random split keeps its two causes.
    const random = buildStatus(r, [{ id: 't1', name: 'billing-assistant', split }], meta).templates[0]!.notes.join('\n');
    expect(random).toContain('1.0.0 received 100 % of calls against a weight of 80 %: pinned calls count too, or the split changed during the interval');
  });

  it("a sticky split's comparison says its intervals count calls as independent, which one key's many calls are not", () => {
    // A review: 25 blocked calls of one customer on the beta read as "blocked more often … route back".
    const both: AnalyticsResult = {
      results: [
        { group: { templateId: 't1', version: '1.0.0' }, data: [bucket(0, 100, 0, 600, 400)] },
        { group: { templateId: 't1', version: '1.1.0' }, data: [bucket(0, 30, 0, 600, 400)] },
      ],
    };
    const note = /the split is sticky: each routing key keeps its version, so calls are not independent draws/;
    const sticky = buildStatus(both, [{ id: 't1', name: 'billing-assistant', split: { strategy: 'sticky', routes: split.routes } }], meta).templates[0]!;
    expect(sticky.notes.join('\n')).toMatch(note);
    expect(buildStatus(both, [{ id: 't1', name: 'billing-assistant', split }], meta).templates[0]!.notes.join('\n')).not.toMatch(note);
  });

  it('a routed version without calls still shows; a share far from its weight is noted; no split, no comparison', () => {
    const r: AnalyticsResult = { results: [{ group: { templateId: 't1', version: '1.0.0' }, data: [bucket(0, 100, 0, 600, 400)] }] };
    const s = buildStatus(r, [{ id: 't1', name: 'billing-assistant', split }, { id: 't2', name: 'quiet' }], meta);
    const [billing, quiet] = s.templates;
    expect(billing!.versions.map((v) => [v.version, v.invocations, v.weight])).toEqual([
      ['1.0.0', 100, 80],
      ['1.1.0', 0, 20],
    ]);
    expect(billing!.notes.join('\n')).toMatch(/1\.0\.0 received 100 % of calls against a weight of 80 %/);
    expect(billing!.comparison!.verdict).toBe('no calls to 1.1.0 yet: nothing to compare');
    expect(quiet).toMatchObject({ template: 'quiet', invocations: 0, versions: [] });
    expect(quiet!.comparison).toBeUndefined();
    // No call, no rate: null, not 0 (a dashboard would read 0 % errors); a share of none when the template had none.
    expect(billing!.versions[1]).toMatchObject({ invocations: 0, share: 0, errorRate: null, blockedRate: null });
    const idle = buildStatus({ results: [] }, [{ id: 't1', name: 'billing-assistant', split }], meta).templates[0]!;
    expect(idle.versions.map((v) => [v.version, v.share, v.errorRate, v.blockedRate])).toEqual([
      ['1.0.0', null, null, null],
      ['1.1.0', null, null, null],
    ]);
  });
});
