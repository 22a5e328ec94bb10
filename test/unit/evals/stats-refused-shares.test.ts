// status counted the calls refused before a version was chosen (a pinned version that does not
// exist: 404) in every version's share and in the share-vs-weight check: half of a 70/30 split's
// calls so refused read "1.0.0 35 % (70 %)" and a note blaming pinned calls or a split change,
// though the split had routed 35/15, exactly 70/30. Shares are now of the calls that reached a
// version; the refused ones are counted on their own, in no share, and a note says so.
import { describe, expect, it } from 'vitest';
import { buildStatus } from '../../../src/evals/stats.js';
import type { AnalyticsMetric, AnalyticsResult, AnalyticsStats } from '../../../src/targets/llmgateway/wire.js';

/** One hourly bucket of n calls, e of them refused, each answered one at 100 + 40 tokens. */
function bucket(n: number, e: number) {
  const s = (count: number, sum: number): AnalyticsStats => ({ count, sum, ...(count > 0 ? { min: sum / count, max: sum / count } : {}) });
  const answered = n - e;
  const metrics: Array<{ metric: AnalyticsMetric; stats: AnalyticsStats }> = [
    { metric: 'nInvocations', stats: s(n, n) },
    { metric: 'nErrors', stats: s(e, e) },
    { metric: 'nBlocked', stats: s(0, 0) },
    { metric: 'nPromptTokens', stats: s(answered, answered * 100) },
    { metric: 'nCompletionTokens', stats: s(answered, answered * 40) },
    { metric: 'nCostMicros', stats: s(answered, answered * 30) },
  ];
  return { interval: '2025-06-01T00:00:00.000Z/2025-06-01T01:00:00.000Z', metrics };
}

const split = { strategy: 'random', routes: [{ version: '1.0.0', weight: 70 }, { version: '1.1.0', weight: 30 }] };
const meta = { target: 'test', interval: '2025-06-01T00:00:00Z/2025-06-02T00:00:00Z', since: '1d' };

describe('status shares with calls refused before a version was chosen', () => {
  const result: AnalyticsResult = {
    results: [
      { group: { templateId: 't1', version: '1.0.0' }, data: [bucket(35, 0)] },
      { group: { templateId: 't1', version: '1.1.0' }, data: [bucket(15, 0)] },
      { group: { templateId: 't1' }, data: [bucket(50, 50)] },
    ],
  };
  const t = buildStatus(result, [{ id: 't1', name: 'abt', split }], meta).templates[0]!;

  it('gives each version its share of the calls that reached a version, and the refused ones none', () => {
    expect(t.invocations).toBe(100);
    expect(t.versions.map((v) => [v.version, v.invocations, v.share])).toEqual([
      ['1.0.0', 35, 0.7],
      ['1.1.0', 15, 0.3],
      [null, 50, null],
    ]);
  });

  it('says the refused calls are in no share, and blames neither pinning nor the split', () => {
    expect(t.notes).toContain('50 calls were refused before a version was chosen: they are not in the shares, which are of the calls that reached a version');
    expect(t.notes.join('\n')).not.toMatch(/received .* of calls against a weight/);
  });

  it('still notes a share far from its weight among the calls that reached a version', () => {
    const skewed: AnalyticsResult = {
      results: [
        { group: { templateId: 't1', version: '1.0.0' }, data: [bucket(15, 0)] },
        { group: { templateId: 't1', version: '1.1.0' }, data: [bucket(35, 0)] },
        { group: { templateId: 't1' }, data: [bucket(50, 50)] },
      ],
    };
    const notes = buildStatus(skewed, [{ id: 't1', name: 'abt', split }], meta).templates[0]!.notes;
    expect(notes).toContain('1.0.0 received 30 % of calls against a weight of 70 %: pinned calls count too, or the split changed during the interval');
  });

  it('a template whose every call was refused has no shares', () => {
    const refused: AnalyticsResult = { results: [{ group: { templateId: 't1' }, data: [bucket(30, 30)] }] };
    const s = buildStatus(refused, [{ id: 't1', name: 'abt', split }], meta).templates[0]!;
    expect(s.versions.map((v) => [v.version, v.share])).toEqual([
      ['1.0.0', null],
      ['1.1.0', null],
      [null, null],
    ]);
    expect(s.notes.join('\n')).not.toMatch(/received/);
  });
});
