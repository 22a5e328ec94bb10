// Status compared a split's models as they are now, not as its calls ran: a version naming no
// model takes the template's, which may have changed during the interval. All of 1.0.0's calls
// on gpt-4o-mini, the template then switched to gpt-4o, read "1.1.0 runs gpt-4o-mini and 1.0.0
// gpt-4o … so the verdict compares cost per call"; models that differed during the interval and
// match now brought the token verdict back. With the template modified inside the interval, the
// models such a version ran are unknown: a note says so, and the verdict says what both tokens
// and cost per call show. Where the models are certain the verdict is as it was.
import { describe, expect, it } from 'vitest';
import { modifiedSince } from '../../../src/cli/status.js';
import type { TemplateModelChanged } from '../../../src/evals/comparison.js';
import { buildStatus } from '../../../src/evals/stats.js';
import type { AnalyticsMetric, AnalyticsResult, AnalyticsStats } from '../../../src/targets/llmgateway/wire.js';

/** One hourly bucket: n calls the model ran for, `tokens` per call (±20), `micros` per call (±10 %). */
function bucket(n: number, tokens: number, micros: number) {
  const s = (count: number, sum: number, min: number, max: number): AnalyticsStats => ({ count, sum, min, max });
  const metrics: Array<{ metric: AnalyticsMetric; stats: AnalyticsStats }> = [
    { metric: 'nInvocations', stats: { count: n, sum: n } },
    { metric: 'nErrors', stats: { count: 0, sum: 0 } },
    { metric: 'nBlocked', stats: { count: 0, sum: 0 } },
    { metric: 'nPromptTokens', stats: s(n, n * (tokens - 200), tokens - 220, tokens - 180) },
    { metric: 'nCompletionTokens', stats: s(n, n * 200, 190, 210) },
    { metric: 'nCostMicros', stats: s(n, n * micros, micros * 0.9, micros * 1.1) },
  ];
  return { interval: '2025-06-01T00:00:00.000Z/2025-06-01T01:00:00.000Z', metrics };
}

const split = { strategy: 'random', routes: [{ version: '1.0.0', weight: 50 }, { version: '1.1.0', weight: 50 }] };
const meta = { target: 'test', interval: '2025-06-01T00:00:00Z/2025-06-02T00:00:00Z', since: '1d' };

/** 40 calls a version: 1.0.0 at 1,000 tokens and 300 µ$ a call, 1.1.0 at `tokens` and `micros`. */
function twoVersions(tokens: number, micros: number): AnalyticsResult {
  return {
    results: [
      { group: { templateId: 't1', version: '1.0.0' }, data: [bucket(40, 1000, 300)] },
      { group: { templateId: 't1', version: '1.1.0' }, data: [bucket(40, tokens, micros)] },
    ],
  };
}

const AT = '2025-06-01T12:00:00.000Z';
const changedFor = (model: string, ...inheriting: string[]): TemplateModelChanged => ({ at: AT, model, inheriting: new Set(inheriting) });

function comparison(result: AnalyticsResult, models: Record<string, string>, modelChanged?: TemplateModelChanged) {
  const t = buildStatus(result, [{ id: 't1', name: 'abt', split, models: new Map(Object.entries(models)), ...(modelChanged ? { modelChanged } : {}) }], meta).templates[0]!;
  return { c: t.comparison!, notes: t.notes };
}

const UNKNOWN = (now: string) =>
  `1.0.0 takes the template's model, ${now} now, but the template was modified at ${AT}, inside the interval (1.1.0 runs gpt-4o-mini of its own): which model 1.0.0's calls ran on is unknown, so the verdict says what both tokens and cost per call show`;

describe("status: a version taking the template's model, the template modified inside the interval", () => {
  it('models that differ now: no "runs" note and no verdict on cost alone; what tokens and cost both show', () => {
    const { c, notes } = comparison(twoVersions(550, 165), { '1.0.0': 'gpt-4o', '1.1.0': 'gpt-4o-mini' }, changedFor('gpt-4o', '1.0.0'));
    expect(c.models).toBeUndefined();
    expect(c.modelsUnknown).toEqual(['1.0.0']);
    expect(notes).toContain(UNKNOWN('gpt-4o'));
    expect(notes.join('\n')).not.toMatch(/1\.1\.0 runs gpt-4o-mini and 1\.0\.0 gpt-4o/);
    expect(c.verdict).toBe('1.1.0 uses 45 % fewer tokens and costs 45 % less per call, errors not different yet: keep collecting');
  });

  it('models that match now: not the token verdict alone; each measure said when only it stands out, both when neither does', () => {
    const same = { '1.0.0': 'gpt-4o-mini', '1.1.0': 'gpt-4o-mini' };
    const dearer = comparison(twoVersions(550, 2310), same, changedFor('gpt-4o-mini', '1.0.0'));
    expect(dearer.notes).toContain(UNKNOWN('gpt-4o-mini'));
    expect(dearer.c.verdict).toBe('1.1.0 uses 45 % fewer tokens and costs 7.7× more per call, errors not different yet: keep collecting');
    // Tokens alone stand out, or cost alone.
    expect(comparison(twoVersions(550, 301), same, changedFor('gpt-4o-mini', '1.0.0')).c.verdict).toBe('1.1.0 uses 45 % fewer tokens, errors not different yet: keep collecting');
    expect(comparison(twoVersions(1001, 2310), same, changedFor('gpt-4o-mini', '1.0.0')).c.verdict).toBe('1.1.0 costs 7.7× more per call, errors not different yet: keep collecting');
    expect(comparison(twoVersions(1001, 301), same, changedFor('gpt-4o-mini', '1.0.0')).c.verdict).toBe(
      '1.1.0 vs 1.0.0: tokens not different yet, cost per call not different yet, errors not different yet: keep collecting',
    );
  });

  it('both taking the template\'s model ran the same one at every call: tokens, as before, and no models named', () => {
    const { c, notes } = comparison(twoVersions(550, 165), { '1.0.0': 'gpt-4o', '1.1.0': 'gpt-4o' }, changedFor('gpt-4o', '1.0.0', '1.1.0'));
    expect(c.verdict).toBe('1.1.0 uses 45 % fewer tokens, errors not different yet: keep collecting');
    expect(c.models).toBeUndefined();
    expect(c.modelsUnknown).toBeUndefined();
    expect(notes.join('\n')).not.toMatch(/model/);
  });

  it('models certain (no change inside the interval): the verdict as before', () => {
    expect(comparison(twoVersions(550, 2310), { '1.0.0': 'gpt-4o-mini', '1.1.0': 'gpt-4o' }).c.verdict).toBe('1.1.0 costs 7.7× more per call, errors not different yet: keep collecting');
    expect(comparison(twoVersions(550, 165), { '1.0.0': 'gpt-4o', '1.1.0': 'gpt-4o' }).c.verdict).toBe('1.1.0 uses 45 % fewer tokens, errors not different yet: keep collecting');
  });
});

describe('modifiedSince: whether a template may have had another model inside the interval', () => {
  const start = Date.parse('2025-06-01T00:00:00Z');
  const t = (version: number, dateCreated: string, dateModified: string) => ({ version, dateCreated, dateModified });
  it('modified at or after the start: yes; created then and never modified, modified before, or no readable date: no', () => {
    expect(modifiedSince(t(2, '2025-05-01T00:00:00Z', '2025-06-01T03:00:00Z'), start)).toBe(true);
    expect(modifiedSince(t(2, '2025-06-01T01:00:00Z', '2025-06-01T03:00:00Z'), start)).toBe(true);
    expect(modifiedSince(t(1, '2025-06-01T01:00:00Z', '2025-06-01T01:00:00Z'), start)).toBe(false);
    expect(modifiedSince(t(3, '2025-05-01T00:00:00Z', '2025-05-31T23:59:59Z'), start)).toBe(false);
    expect(modifiedSince(t(3, '', ''), start)).toBe(false);
  });
});
