// POST /api/v2/analytics/llmgateway/aggregates/query: the recorded invocations (store.invocations)
// aggregated in the Genesys analytics shape. An invocation belongs to the interval when it was
// answered at or after its start and before its end; buckets (granularity) start at the
// interval's start; groups and buckets without invocations are left out; every requested metric
// appears in each bucket (measures of invocations that never reached the model are not
// observations: their count is 0). `filterName` is many-valued: an invocation counts in the group
// of each filter that acted on it, and in the group without a filterName when none did. With
// `percentiles` (promptctl's extension) every measured metric also carries those percentiles;
// `origin` (promptctl's extension too) is `test` for a call of `promptctl test`, `live` otherwise.
import {
  ANALYTICS_DIMENSIONS,
  type AnalyticsDimension,
  type AnalyticsMetric,
  type AnalyticsQuery,
  type AnalyticsResult,
  type AnalyticsStats,
} from '../targets/llmgateway/wire.js';
import type { Ctx, Reply } from './context.js';
import { invalidValue } from './errors.js';
import { validateBody } from './schemas.js';
import type { InvocationRec } from './state.js';
import { isCalendarDay } from '../util/calendar.js';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const GRANULARITY_MS: Record<NonNullable<AnalyticsQuery['granularity']>, number> = { PT1H: 3_600_000, P1D: 86_400_000 };
/** At most this many buckets per query (a year by the hour). */
const MAX_BUCKETS = 366 * 24;

export function queryAggregates(ctx: Ctx): Reply {
  validateBody('AnalyticsQuery', ctx.body);
  const q = ctx.body as AnalyticsQuery;
  const { start, end } = parseInterval(q.interval);
  const step = q.granularity ? GRANULARITY_MS[q.granularity] : end - start;
  if (Math.ceil((end - start) / step) > MAX_BUCKETS) {
    throw invalidValue('granularity', `the interval holds more than ${MAX_BUCKETS} buckets of ${q.granularity}; use a shorter interval or a coarser granularity`);
  }
  const groupBy = ANALYTICS_DIMENSIONS.filter((d) => q.groupBy?.includes(d));
  const predicates = q.filter?.predicates ?? [];
  const any = q.filter?.type === 'or';
  const ps = q.percentiles ?? [];

  const groups = new Map<string, { group: Partial<Record<AnalyticsDimension, string>>; buckets: Map<number, Acc> }>();
  for (const rec of Object.values(ctx.reading.invocations ?? {})) {
    const at = Date.parse(rec.at);
    if (!(at >= start && at < end)) continue;
    if (predicates.length > 0) {
      const test = (p: (typeof predicates)[number]): boolean => valuesOf(rec, p.dimension).includes(p.value);
      if (any ? !predicates.some(test) : !predicates.every(test)) continue;
    }
    const bucket = Math.floor((at - start) / step);
    for (const group of groupsOf(rec, groupBy)) {
      const key = JSON.stringify(groupBy.map((d) => group[d] ?? null));
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { group, buckets: new Map() }));
      let acc = g.buckets.get(bucket);
      if (!acc) g.buckets.set(bucket, (acc = newAcc(ps.length > 0)));
      add(acc, rec);
    }
  }

  const iso = (ms: number): string => new Date(ms).toISOString();
  const results: AnalyticsResult['results'] = [...groups.entries()]
    .sort(([, a], [, b]) => compareGroups(groupBy, a.group, b.group))
    .map(([, g]) => ({
      group: g.group,
      data: [...g.buckets.entries()]
        .sort(([a], [b]) => a - b)
        .map(([i, acc]) => ({
          interval: `${iso(start + i * step)}/${iso(Math.min(end, start + (i + 1) * step))}`,
          metrics: q.metrics.map((metric) => ({ metric, stats: statsOf(acc, metric, ps) })),
        })),
    }));
  const body: AnalyticsResult = { results };
  return { status: 200, body, changed: false };
}

/** Dimension by dimension; a group without a value (none applies) sorts first. */
function compareGroups(dims: readonly AnalyticsDimension[], a: Partial<Record<AnalyticsDimension, string>>, b: Partial<Record<AnalyticsDimension, string>>): number {
  for (const d of dims) {
    const x = a[d];
    const y = b[d];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

function parseInterval(interval: string): { start: number; end: number } {
  const [a = '', b = ''] = interval.split('/');
  const bad = (why: string): never => {
    throw invalidValue('interval', `interval ${JSON.stringify(interval)} ${why}; expected start/end as ISO-8601 date-times, e.g. 2024-05-01T00:00:00.000Z/2024-05-08T00:00:00.000Z`);
  };
  if (!ISO_DATE_TIME.test(a) || !ISO_DATE_TIME.test(b)) bad('is not two ISO-8601 date-times with a time zone');
  const start = Date.parse(a);
  const end = Date.parse(b);
  // Date.parse rolls a day the month lacks into the next month (2025-02-30 is 2 March): refused too.
  if (Number.isNaN(start) || Number.isNaN(end) || !isCalendarDay(a) || !isCalendarDay(b)) bad('holds an invalid date');
  if (end < start) bad('ends before it starts');
  if (end === start) bad('is empty: it ends when it starts');
  return { start, end };
}

function valuesOf(rec: InvocationRec, d: AnalyticsDimension): string[] {
  switch (d) {
    case 'templateId':
      return rec.templateId === undefined ? [] : [rec.templateId];
    case 'version':
      return rec.version === undefined ? [] : [rec.version];
    case 'filterName':
      return rec.filters;
    case 'origin':
      return [rec.test ? 'test' : 'live'];
  }
}

/** The groups an invocation counts in: one per combination of its values (none: the dimension is absent). */
function groupsOf(rec: InvocationRec, groupBy: readonly AnalyticsDimension[]): Array<Partial<Record<AnalyticsDimension, string>>> {
  let out: Array<Partial<Record<AnalyticsDimension, string>>> = [{}];
  for (const d of groupBy) {
    const vs = valuesOf(rec, d);
    if (vs.length === 0) continue;
    out = out.flatMap((g) => vs.map((v) => ({ ...g, [d]: v })));
  }
  return out;
}

interface Measure {
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Every observation, kept only when the query asks for percentiles. */
  values?: number[];
}

interface Acc {
  invocations: number;
  errors: number;
  blocked: number;
  latency: Measure;
  promptTokens: Measure;
  completionTokens: Measure;
  costMicros: Measure;
}

const measure = (keep: boolean): Measure => ({ count: 0, sum: 0, min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY, ...(keep ? { values: [] } : {}) });

function newAcc(keep: boolean): Acc {
  return { invocations: 0, errors: 0, blocked: 0, latency: measure(keep), promptTokens: measure(keep), completionTokens: measure(keep), costMicros: measure(keep) };
}

function observe(m: Measure, v: number | undefined): void {
  if (v === undefined) return;
  m.count++;
  m.sum += v;
  m.min = Math.min(m.min, v);
  m.max = Math.max(m.max, v);
  m.values?.push(v);
}

/** Nearest-rank percentiles (the smallest observation with at least p % at or below it). */
export function percentilesOf(values: readonly number[], ps: readonly number[]): Record<string, number> {
  const sorted = [...values].sort((a, b) => a - b);
  const out: Record<string, number> = {};
  for (const p of ps) out[String(p)] = sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return out;
}

function add(acc: Acc, rec: InvocationRec): void {
  acc.invocations++;
  if (rec.outcome === 'error') acc.errors++;
  if (rec.outcome === 'blocked') acc.blocked++;
  observe(acc.latency, rec.latencyMs);
  observe(acc.promptTokens, rec.promptTokens);
  observe(acc.completionTokens, rec.completionTokens);
  observe(acc.costMicros, rec.costMicros);
}

function statsOf(acc: Acc, metric: AnalyticsMetric, ps: readonly number[]): AnalyticsStats {
  const events = (n: number): AnalyticsStats => ({ count: n, sum: n });
  const of = (m: Measure): AnalyticsStats =>
    m.count === 0
      ? { count: 0, sum: 0 }
      : { count: m.count, sum: Math.round(m.sum * 1000) / 1000, min: m.min, max: m.max, ...(m.values && ps.length ? { percentiles: percentilesOf(m.values, ps) } : {}) };
  switch (metric) {
    case 'nInvocations':
      return events(acc.invocations);
    case 'nErrors':
      return events(acc.errors);
    case 'nBlocked':
      return events(acc.blocked);
    case 'tLatency':
      return of(acc.latency);
    case 'nPromptTokens':
      return of(acc.promptTokens);
    case 'nCompletionTokens':
      return of(acc.completionTokens);
    case 'nCostMicros':
      return of(acc.costMicros);
  }
}
