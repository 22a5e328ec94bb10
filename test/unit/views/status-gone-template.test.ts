// Calls to a template no longer on the target (deleted since) are still shown, by its id: its
// heading said "(no traffic split)", which nobody knows of a template that is gone (it had a
// 50/50 split); it now says it is no longer on the target, and JSON marks it `gone`.
import { describe, expect, it } from 'vitest';
import { buildStatus } from '../../../src/evals/stats.js';
import type { AnalyticsResult } from '../../../src/targets/llmgateway/wire.js';
import { renderStatus } from '../../../src/views/status.js';

const calls = (n: number) => [
  {
    interval: '2025-06-01T00:00:00.000Z/2025-06-01T01:00:00.000Z',
    metrics: [
      { metric: 'nInvocations' as const, stats: { count: n, sum: n } },
      { metric: 'nErrors' as const, stats: { count: 0, sum: 0 } },
    ],
  },
];
const result: AnalyticsResult = {
  results: [
    { group: { templateId: 'gone-id', version: '1.0.0' }, data: calls(5) },
    { group: { templateId: 't1', version: '1.0.0' }, data: calls(3) },
  ],
};
const meta = { target: 'test', interval: '2025-06-01T00:00:00Z/2025-06-08T00:00:00Z', since: '7d' };

describe('status of a template no longer on the target', () => {
  const report = buildStatus(result, [{ id: 't1', name: 'billing' }], meta);

  it('says so in its heading instead of claiming it has no split, in text and markdown', () => {
    const text = renderStatus(report, 'text');
    expect(text).toMatch(/^gone-id \(no longer on the target\): 5 calls$/m);
    expect(text).toMatch(/^billing \(no traffic split\): 3 calls$/m);
    const md = renderStatus(report, 'markdown');
    expect(md).toContain('#### `gone-id` (no longer on the target): 5 calls');
  });

  it('JSON marks it gone; a template on the target is not', () => {
    const doc = JSON.parse(renderStatus(report, 'json')) as { templates: Array<{ template: string; gone?: boolean }> };
    expect(doc.templates.map((t) => [t.template, t.gone])).toEqual([
      ['billing', undefined],
      ['gone-id', true],
    ]);
  });
});

describe('a split in the heading', () => {
  it('lists its routes in version order (1.9.0 before 1.10.0), whatever order the split was written in', () => {
    const split = { strategy: 'random' as const, routes: [{ version: '1.10.0', weight: 50 }, { version: '1.9.0', weight: 50 }] };
    const report = buildStatus(result, [{ id: 't1', name: 'billing', split }], meta);
    expect(renderStatus(report, 'text')).toMatch(/^billing \(split random: 1\.9\.0 50 %, 1\.10\.0 50 %\): 3 calls$/m);
  });
});
