// status --format json wrote costs with binary float noise (0.00010845000000000001 for 108.45
// micro-dollars): the micro-dollar sum divided by a million. Costs are now given to the
// picodollar, so the JSON says what the text says.
import { describe, expect, it } from 'vitest';
import { oneVersionStatus } from '../../helpers/analytics.js';

describe('status costs in JSON', () => {
  it('are the micro-dollar figures in dollars, without float noise', () => {
    const report = oneVersionStatus([
      { metric: 'nInvocations', stats: { count: 3, sum: 3 } },
      { metric: 'nErrors', stats: { count: 0, sum: 0 } },
      { metric: 'nBlocked', stats: { count: 0, sum: 0 } },
      { metric: 'nPromptTokens', stats: { count: 3, sum: 30 } },
      { metric: 'nCompletionTokens', stats: { count: 3, sum: 30 } },
      { metric: 'nCostMicros', stats: { count: 3, sum: 108.45 } },
    ]);
    const json = JSON.stringify(report.templates[0]!.versions[0]!.costUsd);
    expect(json).toBe('{"total":0.00010845,"mean":0.00003615}');
  });
});
