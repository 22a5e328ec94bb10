// The method lines of `promptctl status` when no call in the interval measured a latency: there is
// nothing to say about percentiles, so the report must not claim the target gave none (the
// emulator does give them, and says so as soon as there is a call).
import { describe, expect, it } from 'vitest';
import { buildStatus } from '../../../src/evals/stats.js';

const meta = { target: 'test', interval: '2025-06-01T00:00:00Z/2025-06-08T00:00:00Z', since: '7d' };
const split = { strategy: 'random', routes: [{ version: '1.0.0', weight: 50 }, { version: '1.1.0', weight: 50 }] };

describe('status method without any latency measured', () => {
  it('no traffic: no claim about the target and percentiles', () => {
    const report = buildStatus({ results: [] }, [{ id: 't1', name: 'billing', split }], meta, new Map());
    expect(report.method.join('\n')).not.toMatch(/gave no percentiles/);
    expect(report.method[0]).toMatch(/^latency: no call in the interval measured one/);
  });

  it('calls refused before the model: still nothing measured', () => {
    const refused = {
      interval: '2025-06-01T00:00:00.000Z/2025-06-01T01:00:00.000Z',
      metrics: [
        { metric: 'nInvocations' as const, stats: { count: 2, sum: 2 } },
        { metric: 'nErrors' as const, stats: { count: 2, sum: 2 } },
        { metric: 'tLatency' as const, stats: { count: 0, sum: 0 } },
      ],
    };
    const report = buildStatus({ results: [{ group: { templateId: 't1', version: '1.0.0' }, data: [refused] }] }, [{ id: 't1', name: 'billing', split }], meta);
    expect(report.method.join('\n')).not.toMatch(/gave no percentiles/);
  });
});
