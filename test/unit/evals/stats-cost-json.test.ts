// status --format json wrote costs with binary float noise (0.00010845000000000001 for 108.45
// micro-dollars): the micro-dollar sum divided by a million. Costs are now given to the
// picodollar, so the JSON says what the text says.
import { describe, expect, it } from 'vitest';
import { buildStatus } from '../../../src/evals/stats.js';
import type { AnalyticsResult } from '../../../src/targets/llmgateway/wire.js';

describe('status costs in JSON', () => {
  const result: AnalyticsResult = {
    results: [
      {
        group: { templateId: 't1', version: '1.0.0' },
        data: [
          {
            interval: '2025-06-01T00:00:00.000Z/2025-06-01T01:00:00.000Z',
            metrics: [
              { metric: 'nInvocations', stats: { count: 3, sum: 3 } },
              { metric: 'nErrors', stats: { count: 0, sum: 0 } },
              { metric: 'nBlocked', stats: { count: 0, sum: 0 } },
              { metric: 'nPromptTokens', stats: { count: 3, sum: 30 } },
              { metric: 'nCompletionTokens', stats: { count: 3, sum: 30 } },
              { metric: 'nCostMicros', stats: { count: 3, sum: 108.45 } },
            ],
          },
        ],
      },
    ],
  };

  it('are the micro-dollar figures in dollars, without float noise', () => {
    const report = buildStatus(result, [{ id: 't1', name: 'billing' }], { target: 'test', interval: '2025-06-01T00:00:00Z/2025-06-08T00:00:00Z', since: '7d' });
    const json = JSON.stringify(report.templates[0]!.versions[0]!.costUsd);
    expect(json).toBe('{"total":0.00010845,"mean":0.00003615}');
  });
});
