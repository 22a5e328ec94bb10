// The method lines under status's text and markdown explain only what is shown. Every run ended
// with a ~640-character "differences: … Newcombe's hybrid score interval … batch means over
// buckets …" footnote, under "No template on the target" too and under a template with no split to
// compare (a review; README's samples show none). JSON keeps every line in `method`, as before.
import { describe, expect, it } from 'vitest';
import type { AnalyticsMetric, AnalyticsStats } from '../../../src/targets/llmgateway/wire.js';
import { buildStatus } from '../../../src/evals/stats.js';
import { renderStatus } from '../../../src/views/status.js';
import type { StatusReport } from '../../../src/evals/types.js';

const meta = { target: 'test', interval: '2025-06-01T00:00:00Z/2025-06-08T00:00:00Z', since: '7d', testCalls: 'excluded' as const };

/** Hourly buckets of one version: `n` calls an hour, all answered. */
function buckets(n: number, hours = 30) {
  const s = (count: number, sum: number, min: number, max: number): AnalyticsStats => ({ count, sum, min, max });
  return Array.from({ length: hours }, (_, h) => {
    const metrics: Array<{ metric: AnalyticsMetric; stats: AnalyticsStats }> = [
      { metric: 'nInvocations', stats: s(n, n, 1, 1) },
      { metric: 'nErrors', stats: s(0, 0, 0, 0) },
      { metric: 'nBlocked', stats: s(0, 0, 0, 0) },
      { metric: 'tLatency', stats: s(n, n * 200, 100, 300) },
      { metric: 'nPromptTokens', stats: s(n, n * 600, 500, 700) },
      { metric: 'nCompletionTokens', stats: s(n, n * 400, 300, 500) },
      { metric: 'nCostMicros', stats: s(n, n * 1500, 1000, 2000) },
    ];
    const start = Date.parse('2025-06-01T00:00:00Z') + h * 3_600_000;
    return { interval: `${new Date(start).toISOString()}/${new Date(start + 3_600_000).toISOString()}`, metrics };
  });
}

/** The method lines each readable format shows: text's `· ` lines, markdown's <sub> lines. */
function shown(report: StatusReport): { text: string[]; markdown: string[] } {
  return {
    text: renderStatus(report, 'text').split('\n').filter((l) => l.startsWith('· ')).map((l) => l.slice(2)),
    markdown: renderStatus(report, 'markdown').split('\n').filter((l) => l.startsWith('<sub>') && l.endsWith('<br>')).map((l) => l.slice(5, -10)),
  };
}

const opening = (lines: string[]): string[] => lines.map((l) => l.split(/[:(]/)[0]!);

describe('status method lines', () => {
  it('an empty org: none, under "No template on the target"; JSON keeps them all', () => {
    const report = buildStatus({ results: [] }, [], meta);
    expect(renderStatus(report, 'text')).toContain('No template on the target');
    expect(shown(report)).toEqual({ text: [], markdown: [] });
    expect(opening(JSON.parse(renderStatus(report, 'json')).method)).toEqual(['latency', 'share', 'differences', 'calls made by promptctl test are left out ']);
  });

  it('a template without a split: how latency, shares and calls count, no differences', () => {
    const report = buildStatus({ results: [{ group: { templateId: 't1', version: '1.0.0' }, data: buckets(3) }] }, [{ id: 't1', name: 'faq-bot' }], meta);
    for (const lines of Object.values(shown(report))) expect(opening(lines)).toEqual(['latency', 'share', 'calls made by promptctl test are left out ']);
    expect(JSON.parse(renderStatus(report, 'json')).method).toHaveLength(4);
  });

  it('a split compared: the differences line too', () => {
    const split = { strategy: 'random', routes: [{ version: '1.0.0', weight: 80 }, { version: '1.1.0', weight: 20 }] };
    const report = buildStatus(
      { results: [{ group: { templateId: 't1', version: '1.0.0' }, data: buckets(8) }, { group: { templateId: 't1', version: '1.1.0' }, data: buckets(2) }] },
      [{ id: 't1', name: 'billing', split }],
      meta,
    );
    expect(renderStatus(report, 'text')).toContain('1.1.0 (candidate) vs 1.0.0 (baseline):');
    for (const lines of Object.values(shown(report))) expect(opening(lines)).toEqual(['latency', 'share', 'differences', 'calls made by promptctl test are left out ']);
  });

  it('templates without a call in the interval, said on one line: no method under it', () => {
    const report = buildStatus({ results: [] }, [{ id: 't1', name: 'a' }, { id: 't2', name: 'b' }], meta);
    expect(renderStatus(report, 'text')).toContain('No calls to 2 templates: a, b.');
    expect(shown(report)).toEqual({ text: [], markdown: [] });
  });
});
