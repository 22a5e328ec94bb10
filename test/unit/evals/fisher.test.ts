// Fisher's exact test, two-sided, against R's fisher.test (values checked with exact fractions), and the small counts where
// Newcombe's interval alone claimed a difference (found by a review: status told a user to route
// back after one failed call).
import { describe, expect, it } from 'vitest';
import { fisherExact } from '../../../src/evals/fisher.js';
import { buildStatus } from '../../../src/evals/stats.js';
import { renderStatus } from '../../../src/views/status.js';
import type { AnalyticsResult } from '../../../src/targets/llmgateway/wire.js';

describe('fisherExact', () => {
  it('matches R fisher.test (two-sided)', () => {
    // fisher.test(matrix(c(3, 1, 1, 3), 2))$p.value = 0.4857143 (the tea-tasting lady)
    expect(fisherExact(1, 4, 3, 4)).toBeCloseTo(0.4857143, 6);
    // 0 of 3 against 1 of 1: 0.25; 0 of 10 against 1 of 1: 1/11
    expect(fisherExact(0, 3, 1, 1)).toBeCloseTo(0.25, 10);
    expect(fisherExact(0, 10, 1, 1)).toBeCloseTo(1 / 11, 10);
    // fisher.test(matrix(c(10, 390, 1, 99), 2))$p.value = 0.7017 (no difference)
    expect(fisherExact(10, 400, 1, 100)).toBeCloseTo(0.7017285, 6);
    // fisher.test(matrix(c(0, 400, 20, 20), 2))$p.value < 2.2e-16
    expect(fisherExact(0, 400, 20, 40)).toBeLessThan(1e-15);
    // fisher.test(matrix(c(2, 8, 7, 3), 2))$p.value = 0.06978
    expect(fisherExact(2, 10, 7, 10)).toBeCloseTo(0.06978, 4);
  });

  it('is symmetric, 1 without events, and stays finite at large counts', () => {
    expect(fisherExact(7, 10, 2, 10)).toBeCloseTo(fisherExact(2, 10, 7, 10), 12);
    expect(fisherExact(0, 5, 0, 7)).toBe(1);
    expect(fisherExact(5, 5, 7, 7)).toBe(1);
    const p = fisherExact(5_000, 1_000_000, 5_400, 1_000_000);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(0.01);
    expect(fisherExact(5_000, 1_000_000, 5_010, 1_000_000)).toBeGreaterThan(0.5);
  });
});

describe('status at a handful of calls', () => {
  const split = { strategy: 'random', routes: [{ version: '1.0.0', weight: 50 }, { version: '1.1.0', weight: 50 }] };
  const meta = { target: 'test', interval: '2025-06-01T00:00:00Z/2025-06-08T00:00:00Z', since: '7d' };
  const calls = (n: number, errors: number) => [
    {
      interval: '2025-06-01T00:00:00Z/2025-06-01T01:00:00Z',
      metrics: [
        { metric: 'nInvocations' as const, stats: { count: n, sum: n } },
        { metric: 'nErrors' as const, stats: { count: n, sum: errors } },
      ],
    },
  ];
  const report = (a: [number, number], b: [number, number]) => {
    const r: AnalyticsResult = {
      results: [
        { group: { templateId: 't1', version: '1.0.0' }, data: calls(...a) },
        { group: { templateId: 't1', version: '1.1.0' }, data: calls(...b) },
      ],
    };
    return buildStatus(r, [{ id: 't1', name: 'mdl', split }], meta);
  };
  const compare = (a: [number, number], b: [number, number]) => report(a, b).templates[0]!;

  it('one failed call against three clean ones reaches no verdict (it said: route back)', () => {
    const t = compare([3, 0], [1, 1]);
    expect(t.comparison!.verdict).toBe('1.1.0 vs 1.0.0: no verdict yet, too few calls (1 for 1.1.0, 3 for 1.0.0): keep collecting');
    expect(t.comparison!.errors).toMatchObject({ significant: false });
    expect(t.comparison!.errors!.p).toBeCloseTo(0.25, 10);
    expect(t.notes.join('\n')).toMatch(/no verdict for 1\.1\.0 vs 1\.0\.0: too few calls \(1 for 1\.1\.0, 3 for 1\.0\.0\)/);
  });

  it('the interval alone excluding 0 does not count: Fisher must agree', () => {
    // 0 of 10 against 2 of 3: Newcombe's interval excludes 0, Fisher's p 0.038: a difference.
    const shown = compare([10, 0], [3, 2]).comparison!;
    expect(shown.errors!.low).toBeGreaterThan(0);
    expect(shown.errors!.significant).toBe(true);
    // 0 of 10 against 1 of 2: the interval excludes 0 too, p 0.17: not a difference.
    const c = compare([10, 0], [2, 1]).comparison!;
    expect(c.errors!.low).toBeGreaterThan(0);
    expect(c.errors!.p).toBeCloseTo(2 / 12, 10);
    expect(c.errors!.significant).toBe(false);
    expect(c.verdict).not.toMatch(/routing/);
    // The line says why an interval that excludes 0 is not a difference; one that is says nothing more.
    expect(renderStatus(report([10, 0], [2, 1]), 'text')).toContain(
      "error rate: 50 % vs 0 %, difference +50.0 points, 95 % interval +0.9 to +90.5, but Fisher's exact test gives p 0.17: not significant at these counts",
    );
    expect(renderStatus(report([10, 0], [3, 2]), 'text')).not.toContain('Fisher');
  });
});
