// status's tokens/call cell, "442 (61 + 381)": the mean per call and its prompt and completion
// parts, each rounded on its own, did not add up to the total beside them when both parts end in
// a half (61.5 + 380.5 = 442 was shown as "442 (62 + 381)"). The parts now add up to the total
// shown, each within one token of its mean, in text and markdown alike.
import { describe, expect, it } from 'vitest';
import type { StatusReport, VersionStatus } from '../../../src/evals/types.js';
import { renderStatus } from '../../../src/views/status.js';

function version(label: string, meanPrompt: number, meanCompletion: number): VersionStatus {
  return {
    version: label,
    invocations: 2,
    share: 0.5,
    errors: 0,
    errorRate: 0,
    blocked: 0,
    blockedRate: 0,
    answered: 2,
    latencyMs: null,
    tokens: { calls: 2, meanPrompt, meanCompletion, meanTotal: meanPrompt + meanCompletion, total: 2 * (meanPrompt + meanCompletion) },
    costUsd: null,
  };
}

const means: Array<[number, number]> = [
  [61.5, 380.5],
  [880.4, 323.4],
  [64.6, 409.6],
  [1202.5, 3.25],
];

const report: StatusReport = {
  target: 'test',
  interval: '2025-06-01T00:00:00Z/2025-06-08T00:00:00Z',
  since: '7d',
  templates: [{ template: 'billing', templateId: 't1', invocations: 8, versions: means.map(([p, c], i) => version(`1.${i}.0`, p, c)), notes: [] }],
  method: [],
};

/** Each "total (prompt + completion)" cell of a rendered table, as numbers. */
function cells(out: string): Array<{ total: number; prompt: number; completion: number }> {
  const n = (s: string): number => Number(s.replace(/,/g, ''));
  return [...out.matchAll(/([\d,]+) \(([\d,]+) \+ ([\d,]+)\)/g)].map((m) => ({ total: n(m[1]!), prompt: n(m[2]!), completion: n(m[3]!) }));
}

describe('status tokens per call', () => {
  for (const format of ['text', 'markdown'] as const) {
    it(`shows prompt and completion parts that add up to the total (${format})`, () => {
      const shown = cells(renderStatus(report, format));
      expect(shown).toHaveLength(means.length);
      shown.forEach((c, i) => {
        const [p, q] = means[i]!;
        expect(c.prompt + c.completion, JSON.stringify(c)).toBe(c.total);
        expect(c.total).toBe(Math.round(p + q));
        expect(Math.abs(c.prompt - p)).toBeLessThan(1);
        expect(Math.abs(c.completion - q)).toBeLessThan(1);
      });
    });
  }
});
