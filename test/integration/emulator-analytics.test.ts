// The analytics aggregates query over real HTTP: every invocation the server answered (results,
// refusals, blocks) is counted exactly, by template, version and filter, in time buckets, and the
// counts survive a restart of the emulator.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { paths } from '../../src/targets/llmgateway/paths.js';
import type { AnalyticsResult } from '../../src/targets/llmgateway/wire.js';
import { Api } from './emulator-fixture.js';

const ALL = ['nInvocations', 'nErrors', 'nBlocked', 'tLatency', 'nPromptTokens', 'nCompletionTokens', 'nCostMicros'];

let dir: string;
let em: RunningEmulator;
const api = new Api('');
const ids: Record<string, string> = {};
/** Usage of every successful invocation, by template name and version. */
const usage: Record<string, Array<{ prompt: number; completion: number; cost: number; latency: number }>> = {};
let start: number;
let middle: number;
let end: number;
/** How far the emulator's clock runs ahead of the real one (moved by hand to open a gap in time). */
let skew = 0;
const clock = (): number => Date.now() + skew;

const VARS = { customer: 'Ada', question: 'Why was I charged twice?' };

async function call(body: Record<string, unknown>, expectStatus: number): Promise<void> {
  const r = await api.post(paths.invocations(), body);
  expect(r.status, JSON.stringify(r.body)).toBe(expectStatus);
  if (r.status === 200) {
    const key = `${r.body.template.name}@${r.body.version}`;
    (usage[key] ??= []).push({ prompt: r.body.usage.promptTokens, completion: r.body.usage.completionTokens, cost: r.body.costUsd, latency: r.body.latencyMs });
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-analytics-'));
  em = await startEmulator({ port: 0, stateFile: join(dir, 'state.json'), publishDelayMs: 1, latencyMs: 2, rateLimit: 100_000, now: clock });
  api.url = em.url;
  await api.login();
  for (const name of ['alpha-bot', 'beta-bot']) {
    ids[name] = await api.template(name);
    for (const label of ['1.0.0', '1.1.0']) {
      await api.version(ids[name]!, label, { maxTokens: 40 });
      await api.publish(ids[name]!, label);
    }
  }
  await api.post(paths.filters(), {
    name: 'alpha-pii',
    priority: 1,
    categories: ['pii'],
    action: 'block_and_log',
    thresholds: { pii: 0.5 },
    falsePositiveTolerance: 0,
    appliesTo: { templates: ['alpha-bot'] },
  });
  await api.post(paths.filters(), {
    name: 'alpha-politics',
    priority: 2,
    categories: ['political'],
    action: 'flag_and_pass',
    thresholds: { political: 0.3 },
    falsePositiveTolerance: 0,
    appliesTo: { templates: ['alpha-bot'] },
  });

  start = clock();
  const q = (i: number) => ({ customer: `c${i}`, question: `question ${i}` });
  for (let i = 0; i < 7; i++) await call({ template: 'alpha-bot', version: '1.0.0', variables: q(i) }, 200);
  for (let i = 0; i < 3; i++) await call({ template: 'alpha-bot', version: '1.0.0', variables: { customer: 'x' } }, 400);
  // A gap in the emulator's clock: every call so far is before `middle`, every later one after it.
  middle = clock() + 5;
  skew += 10;
  for (let i = 0; i < 5; i++) await call({ template: 'alpha-bot', version: '1.1.0', variables: q(i) }, 200);
  for (let i = 0; i < 2; i++) await call({ template: 'alpha-bot', version: '1.1.0', variables: { customer: 'x', question: `mail x${i}@example.org` } }, 400);
  await call({ template: 'alpha-bot', version: '1.1.0', variables: { customer: 'x', question: 'who wins the election?' } }, 200);
  await call({ template: 'missing-bot', variables: VARS }, 404);
  for (let i = 0; i < 4; i++) await call({ template: 'beta-bot', version: '1.0.0', variables: q(i) }, 200);
  end = clock() + 1;
});

afterAll(async () => {
  await em?.close();
  await rm(dir, { recursive: true, force: true });
});

const iso = (ms: number) => new Date(ms).toISOString();
const query = (body: Record<string, unknown>) => api.post<AnalyticsResult>(paths.analytics(), body);

function stats(res: AnalyticsResult, group: Record<string, string>, metric: string) {
  const g = res.results.find((r) => JSON.stringify(r.group) === JSON.stringify(group));
  if (!g) return undefined;
  expect(g.data).toHaveLength(1);
  return g.data[0]!.metrics.find((m) => m.metric === metric)?.stats;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('POST /api/v2/analytics/llmgateway/aggregates/query', () => {
  it('counts exactly the invocations answered, grouped by template and version', async () => {
    const r = await query({ interval: `${iso(start - 1000)}/${iso(end)}`, groupBy: ['templateId', 'version'], metrics: ALL });
    expect(r.status).toBe(200);
    const res = r.body;
    expect(res.results.map((x) => x.group)).toHaveLength(4);
    expect(res.results.map((x) => x.group)).toEqual(
      expect.arrayContaining([
        {},
        { templateId: ids['alpha-bot'], version: '1.0.0' },
        { templateId: ids['alpha-bot'], version: '1.1.0' },
        { templateId: ids['beta-bot'], version: '1.0.0' },
      ]),
    );

    const a10 = { templateId: ids['alpha-bot']!, version: '1.0.0' };
    const a11 = { templateId: ids['alpha-bot']!, version: '1.1.0' };
    const b10 = { templateId: ids['beta-bot']!, version: '1.0.0' };
    expect(stats(res, a10, 'nInvocations')).toEqual({ count: 10, sum: 10 });
    expect(stats(res, a10, 'nErrors')).toEqual({ count: 3, sum: 3 });
    expect(stats(res, a10, 'nBlocked')).toEqual({ count: 0, sum: 0 });
    expect(stats(res, a11, 'nInvocations')).toEqual({ count: 8, sum: 8 });
    expect(stats(res, a11, 'nBlocked')).toEqual({ count: 2, sum: 2 });
    expect(stats(res, a11, 'nErrors')).toEqual({ count: 0, sum: 0 });
    expect(stats(res, b10, 'nInvocations')).toEqual({ count: 4, sum: 4 });
    expect(stats(res, {}, 'nInvocations')).toEqual({ count: 1, sum: 1 });
    expect(stats(res, {}, 'nErrors')).toEqual({ count: 1, sum: 1 });
    expect(stats(res, {}, 'nPromptTokens')).toEqual({ count: 0, sum: 0 });

    for (const [group, key] of [[a10, 'alpha-bot@1.0.0'], [a11, 'alpha-bot@1.1.0'], [b10, 'beta-bot@1.0.0']] as const) {
      const u = usage[key]!;
      expect(stats(res, group, 'nPromptTokens'), key).toEqual({
        count: u.length,
        sum: sum(u.map((x) => x.prompt)),
        min: Math.min(...u.map((x) => x.prompt)),
        max: Math.max(...u.map((x) => x.prompt)),
      });
      expect(stats(res, group, 'nCompletionTokens')!.sum, key).toBe(sum(u.map((x) => x.completion)));
      expect(stats(res, group, 'nCostMicros')!.sum, key).toBeCloseTo(sum(u.map((x) => x.cost)) * 1e6, 2);
      const latency = stats(res, group, 'tLatency')!;
      expect(latency.count, key).toBe(u.length);
      expect(latency.sum, key).toBe(sum(u.map((x) => x.latency)));
      expect(latency.min).toBeGreaterThanOrEqual(1);
      expect(latency.max).toBeLessThanOrEqual(3);
    }
  });

  it('answers promptctl’s percentiles of every measure, nearest rank over the bucket, and only when asked', async () => {
    const body = { interval: `${iso(start - 1000)}/${iso(end)}`, groupBy: ['templateId', 'version'], metrics: ['tLatency', 'nPromptTokens', 'nInvocations'] };
    const r = await query({ ...body, percentiles: [50, 95] });
    expect(r.status).toBe(200);
    const a10 = { templateId: ids['alpha-bot']!, version: '1.0.0' };
    const prompts = usage['alpha-bot@1.0.0']!.map((x) => x.prompt).sort((a, b) => a - b);
    const latencies = usage['alpha-bot@1.0.0']!.map((x) => x.latency).sort((a, b) => a - b);
    // 7 answered calls: p50 is the 4th smallest, p95 the 7th.
    expect(stats(r.body, a10, 'nPromptTokens')!.percentiles).toEqual({ '50': prompts[3], '95': prompts[6] });
    expect(stats(r.body, a10, 'tLatency')!.percentiles).toEqual({ '50': latencies[3], '95': latencies[6] });
    // Counts of events have no percentiles; without the field nothing changes.
    expect(stats(r.body, a10, 'nInvocations')).toEqual({ count: 10, sum: 10 });
    expect(stats((await query(body)).body, a10, 'tLatency')!.percentiles).toBeUndefined();
    for (const bad of [[0], [100], [50.5], []]) expect((await query({ ...body, percentiles: bad })).status, JSON.stringify(bad)).toBe(400);
  });

  it('groups by filter name (an invocation counts under each filter that acted on it) and filters by dimension', async () => {
    const interval = `${iso(start - 1000)}/${iso(end)}`;
    const byFilter = (await query({ interval, groupBy: ['filterName'], metrics: ['nInvocations', 'nBlocked'] })).body;
    expect(byFilter.results.map((x) => x.group)).toEqual([{}, { filterName: 'alpha-pii' }, { filterName: 'alpha-politics' }]);
    expect(stats(byFilter, { filterName: 'alpha-pii' }, 'nBlocked')).toEqual({ count: 2, sum: 2 });
    expect(stats(byFilter, { filterName: 'alpha-politics' }, 'nInvocations')).toEqual({ count: 1, sum: 1 });
    expect(stats(byFilter, {}, 'nInvocations')).toEqual({ count: 20, sum: 20 }); // 23 answered, 3 of them acted on by a filter

    const onlyV11 = (
      await query({
        interval,
        metrics: ['nInvocations'],
        filter: { type: 'and', predicates: [{ type: 'dimension', dimension: 'templateId', operator: 'matches', value: ids['alpha-bot'] }, { dimension: 'version', value: '1.1.0' }] },
      })
    ).body;
    expect(onlyV11.results).toEqual([{ group: {}, data: [{ interval, metrics: [{ metric: 'nInvocations', stats: { count: 8, sum: 8 } }] }] }]);
    const either = (
      await query({ interval, metrics: ['nInvocations'], filter: { type: 'or', predicates: [{ dimension: 'templateId', value: ids['beta-bot'] }, { dimension: 'filterName', value: 'alpha-pii' }] } })
    ).body;
    expect(either.results[0]!.data[0]!.metrics[0]!.stats).toEqual({ count: 6, sum: 6 });
  });

  it('buckets by granularity from the interval start, leaving empty buckets and intervals out', async () => {
    // A bucket boundary exactly at `middle`: the first ten calls fall before it, the rest after.
    const interval = `${iso(middle - 3_600_000)}/${iso(middle + 3_600_000)}`;
    const r = (await query({ interval, granularity: 'PT1H', metrics: ['nInvocations'] })).body;
    expect(r.results).toHaveLength(1);
    expect(r.results[0]!.data).toEqual([
      { interval: `${iso(middle - 3_600_000)}/${iso(middle)}`, metrics: [{ metric: 'nInvocations', stats: { count: 10, sum: 10 } }] },
      { interval: `${iso(middle)}/${iso(middle + 3_600_000)}`, metrics: [{ metric: 'nInvocations', stats: { count: 13, sum: 13 } }] },
    ]);
    const daily = (await query({ interval: `${iso(start - 1000)}/${iso(end + 5 * 86_400_000)}`, granularity: 'P1D', metrics: ['nInvocations'] })).body;
    expect(daily.results[0]!.data).toHaveLength(1);
    expect(daily.results[0]!.data[0]!.interval).toBe(`${iso(start - 1000)}/${iso(start - 1000 + 86_400_000)}`);
    const before = (await query({ interval: `${iso(start - 7_200_000)}/${iso(start - 3_600_000)}`, metrics: ['nInvocations'] })).body;
    expect(before).toEqual({ results: [] });
  });

  it('refuses bad bodies with 400 and an ErrorBody naming the field', async () => {
    const ok = { interval: `${iso(start)}/${iso(end)}`, metrics: ['nInvocations'] };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ metrics: ['nInvocations'] }, 'interval'],
      [{ interval: ok.interval }, 'metrics'],
      [{ ...ok, interval: 'yesterday/today' }, 'interval'],
      [{ ...ok, interval: '2024-05-01/2024-05-02' }, 'interval'],
      [{ ...ok, interval: `${iso(end)}/${iso(start)}` }, 'interval'],
      [{ ...ok, metrics: ['nTokens'] }, 'metrics[0]'],
      [{ ...ok, metrics: [] }, 'metrics'],
      [{ ...ok, groupBy: ['conversationId'] }, 'groupBy[0]'],
      [{ ...ok, granularity: 'PT5M' }, 'granularity'],
      [{ ...ok, filter: { type: 'and', predicates: [{ dimension: 'model', value: 'x' }] } }, 'filter.predicates[0].dimension'],
      [{ ...ok, filter: { type: 'not', predicates: [{ dimension: 'version', value: 'x' }] } }, 'filter.type'],
      [{ ...ok, paging: {} }, 'paging'],
    ];
    for (const [body, field] of cases) {
      const r = await api.post(paths.analytics(), body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.code, JSON.stringify(body)).toBe('invalid.value');
      expect(r.body.details[0].fieldName, JSON.stringify(body)).toBe(field);
      expect(r.body.contextId).toBe(r.headers.get('inin-correlation-id'));
    }
  });

  it('keeps the invocations across a restart', async () => {
    const body = { interval: `${iso(start - 1000)}/${iso(end)}`, groupBy: ['templateId', 'version'], metrics: ALL };
    const before = (await query(body)).body;
    const port = em.port;
    await em.close();
    em = await startEmulator({ port, stateFile: join(dir, 'state.json'), rateLimit: 100_000, now: clock });
    await api.login();
    expect((await query(body)).body).toEqual(before);
  });
});

describe('invocations refused for their body', () => {
  it('are answered, so they are counted as errors like any other refusal', async () => {
    const own = await startEmulator({ port: 0 });
    try {
      const a = new Api(own.url);
      await a.login();
      const from = Date.now() - 1000;
      // Not JSON, no body at all, and a schema-valid call for a missing template: each answered 400 or 404.
      const bad = await a.req('POST', paths.invocations(), '{"template":');
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('bad.request');
      const empty = await a.req('POST', paths.invocations(), '');
      expect(empty.status).toBe(400);
      const missing = await a.post(paths.invocations(), { template: 'missing-bot', variables: {} });
      expect(missing.status).toBe(404);
      const r = await a.post<AnalyticsResult>(paths.analytics(), { interval: `${iso(from)}/${iso(Date.now() + 1000)}`, metrics: ['nInvocations', 'nErrors'] });
      expect(r.body.results).toHaveLength(1);
      expect(r.body.results[0]!.data[0]!.metrics).toEqual([
        { metric: 'nInvocations', stats: { count: 3, sum: 3 } },
        { metric: 'nErrors', stats: { count: 3, sum: 3 } },
      ]);
    } finally {
      await own.close();
    }
  });
});
