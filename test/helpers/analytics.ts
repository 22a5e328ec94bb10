// A status report built from a one-bucket analytics answer: template t1 (billing), version 1.0.0,
// with the metrics a test gives (each {count, sum}, min and max only where the test sets them).
import { buildStatus } from '../../src/evals/stats.js';
import type { StatusReport } from '../../src/evals/types.js';
import type { AnalyticsMetric, AnalyticsStats } from '../../src/targets/llmgateway/wire.js';

export function oneVersionStatus(metrics: Array<{ metric: AnalyticsMetric; stats: AnalyticsStats }>): StatusReport {
  const result = { results: [{ group: { templateId: 't1', version: '1.0.0' }, data: [{ interval: '2025-06-01T00:00:00.000Z/2025-06-01T01:00:00.000Z', metrics }] }] };
  return buildStatus(result, [{ id: 't1', name: 'billing' }], { target: 'test', interval: '2025-06-01T00:00:00Z/2025-06-08T00:00:00Z', since: '7d' });
}
