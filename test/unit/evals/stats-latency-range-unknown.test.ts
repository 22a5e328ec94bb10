// Latency when the target's analytics leave out min and max (optional in DESIGN §3's stats): the
// report must not invent a 0 ms minimum and maximum, in JSON or in text.
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../../src/views/status.js';
import { oneVersionStatus } from '../../helpers/analytics.js';

describe('status latency without min and max', () => {
  const report = oneVersionStatus([
    { metric: 'nInvocations', stats: { count: 4, sum: 4 } },
    { metric: 'nErrors', stats: { count: 0, sum: 0 } },
    { metric: 'nBlocked', stats: { count: 0, sum: 0 } },
    { metric: 'tLatency', stats: { count: 4, sum: 800 } },
    { metric: 'nPromptTokens', stats: { count: 4, sum: 40 } },
    { metric: 'nCompletionTokens', stats: { count: 4, sum: 40 } },
    { metric: 'nCostMicros', stats: { count: 4, sum: 100 } },
  ]);
  const v = report.templates[0]!.versions[0]!;

  it('JSON gives the mean and no made-up range', () => {
    expect(v.latencyMs!.mean).toBe(200);
    expect(v.latencyMs!.min).toBeUndefined();
    expect(v.latencyMs!.max).toBeUndefined();
  });

  it('text shows the mean without a 0 ms–0 ms range', () => {
    const text = renderStatus(report, 'text');
    expect(text).not.toContain('0 ms–0 ms');
    expect(text).toMatch(/^ {2}1\.0\.0 .* 200 ms /m);
  });
});
