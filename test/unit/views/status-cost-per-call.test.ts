// status's cost column says the cost per call beside the total: the versions of a split take
// unequal shares, so totals alone compare nothing (a review: a candidate costing 16.6× a call read
// as "$0.01016 / $0.1797", totals of 194 and 206 calls).
import { describe, expect, it } from 'vitest';
import type { StatusReport, VersionStatus } from '../../../src/evals/types.js';
import { renderStatus } from '../../../src/views/status.js';

function version(label: string, calls: number, total: number): VersionStatus {
  return { version: label, invocations: calls, share: 0.5, errors: 0, errorRate: 0, blocked: 0, blockedRate: 0, answered: calls, latencyMs: null, tokens: null, costUsd: { total, mean: total / calls } };
}

const report: StatusReport = {
  target: 'test',
  interval: '2025-06-01T00:00:00Z/2025-06-08T00:00:00Z',
  since: '7d',
  templates: [{ template: 'mdl', templateId: 't1', invocations: 400, versions: [version('1.0.0', 194, 0.01016), version('1.1.0', 206, 0.1797)], notes: [] }],
  method: [],
};

describe('status cost', () => {
  for (const format of ['text', 'markdown'] as const) {
    it(`shows each version's total and its cost per call (${format})`, () => {
      // Markdown escapes the dollar sign (it would start math in some renderers).
      const out = renderStatus(report, format).replace(/\\\$/g, '$');
      expect(out).toContain('cost (per call)');
      expect(out).toContain('$0.01016 ($0.00005237)');
      expect(out).toContain('$0.1797 ($0.0008723)');
    });
  }
});
