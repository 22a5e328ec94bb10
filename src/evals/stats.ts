// The numbers behind `promptctl status` (DESIGN §4), pure: per template and version, from the
// gateway's analytics aggregates (grouped by templateId and version, in hourly or daily buckets),
// and for a two-way split the difference between its versions with a 95 % interval and a verdict.
//
// What the analytics shape allows. Each measure comes as {count, sum, min, max} per bucket: no
// sum of squares, and percentiles only through promptctl's optional `percentiles` extension,
// which do not add up across buckets. So:
// - latency's p50 and p95 come from a second query, one bucket over the whole interval, when the
//   server answers it (the emulator does); otherwise latency is its mean (with min and max);
// - the spread of tokens per call, which the interval on the difference of means needs, is
//   estimated by batch means when the calls spread over at least MIN_BATCHES buckets per version
//   (the variance of per-bucket means, scaled by bucket size, estimates the per-call variance),
//   capped by, and otherwise replaced with, the largest variance the observed range allows
//   (Popoviciu: variance <= (max - min)^2 / 4), which makes the interval conservative (wider);
//   a target that gives no min and max bounds nothing: then batch means alone, or no interval;
// - a difference of mean tokens is given an interval only from MIN_CALLS answered calls per
//   version on (the normal approximation needs them, and so does the range bound);
// - the difference of error rates uses Newcombe's hybrid score interval (from two Wilson
//   intervals), which behaves at 0 errors and small counts where the textbook one does not.
import type { AnalyticsMetric, AnalyticsQuery, AnalyticsResult, AnalyticsStats } from '../targets/llmgateway/wire.js';
import { compareVersionLabels } from '../util/semver.js';
import type { Interval95, SplitComparison, StatusReport, TemplateStatus, VersionStatus } from './types.js';
import { byCodeUnits } from '../util/compare.js';
import { isCalendarDay } from '../util/calendar.js';

export const Z95 = 1.959963984540054;
/** Buckets per version before batch means are trusted for the spread of tokens per call. */
export const MIN_BATCHES = 20;
/** Answered calls per version before a mean's normal interval is trusted (and the observed range says much about the spread). */
export const MIN_CALLS = 30;

export const STATUS_METRICS: AnalyticsMetric[] = ['nInvocations', 'nErrors', 'nBlocked', 'tLatency', 'nPromptTokens', 'nCompletionTokens', 'nCostMicros'];

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
/** Buckets one analytics query may hold: a year of hours (hourly up to 366 days back, daily beyond). */
const MAX_BUCKETS = 366 * 24;

/**
 * `--since`: a duration back from `now` (30m, 24h, 7d, 2w) or an ISO-8601 date or date-time (UTC unless it names an offset).
 * Returns the interval [start, end) and its granularity; throws an Error saying what is accepted.
 */
export function parseSince(text: string, now: number): { start: number; end: number; granularity: NonNullable<AnalyticsQuery['granularity']> } {
  const t = text.trim();
  const m = /^(\d+)\s*([mhdw])$/i.exec(t);
  let start: number;
  if (m) {
    const n = Number(m[1]);
    if (n <= 0) throw new Error(`--since ${text}: give a duration above zero`);
    // Units are read without case, but 1M is as likely to mean a month as a minute.
    if (m[2] === 'M') {
      const back = new Date(now);
      back.setUTCMonth(back.getUTCMonth() - n);
      throw new Error(`--since ${t}: M is ambiguous: write ${n}m for minutes; for months give days (${n * 30}d) or a date (${back.toISOString().slice(0, 10)})`);
    }
    start = now - n * UNITS[m[2]!.toLowerCase()]!;
  } else if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(t) && !Number.isNaN(Date.parse(t))) {
    // Date.parse rolls a day the month lacks into the next month (2026-02-30 is 2 March).
    if (!isCalendarDay(t.slice(0, 10))) throw new Error(`--since ${text}: ${t.slice(0, 10)} is not a day of the calendar`);
    // A date alone is UTC to Date.parse, a date-time without an offset local time: both are read
    // as UTC (as the API's timestamps are), so the window does not depend on the machine's zone.
    start = Date.parse(/T[\d:.]+$/.test(t) ? `${t}Z` : t);
  } else {
    throw new Error(`--since ${JSON.stringify(text)} is not a duration (30m, 24h, 7d, 2w) or an ISO-8601 date (2025-06-01)`);
  }
  // The end is exclusive and whole seconds: one second ahead, so a call made just now counts.
  const end = Math.ceil(now / 1000) * 1000 + 1000;
  if (start >= end) throw new Error(`--since ${text} is in the future`);
  const hours = (end - start) / 3_600_000;
  // Past a year of hours the query is made by the day, and holds as many days (the emulator's,
  // and Genesys's, bucket limit): counted as the server counts them, with the end's slack.
  if (Math.ceil((end - start) / UNITS.d!) > MAX_BUCKETS) {
    const earliest = new Date(Math.ceil((end - MAX_BUCKETS * UNITS.d!) / UNITS.d!) * UNITS.d!).toISOString().slice(0, 10);
    throw new Error(
      `--since ${text} reaches back too far: one analytics query holds ${MAX_BUCKETS.toLocaleString('en-US')} daily buckets, the last one today's; give at most ${MAX_BUCKETS - 1}d, or a date from ${earliest} on`,
    );
  }
  return { start, end, granularity: hours <= MAX_BUCKETS ? 'PT1H' : 'P1D' };
}

/** Micro-dollars in dollars, to the picodollar: no binary noise (0.00010845, not 0.00010845000000000001). */
function usdOfMicros(micros: number): number {
  return Math.round(micros * 1e6) / 1e12;
}

/** The one analytics query status makes. */
export function statusQuery(interval: { start: number; end: number; granularity?: AnalyticsQuery['granularity'] }, templateId?: string): AnalyticsQuery {
  return {
    interval: `${new Date(interval.start).toISOString()}/${new Date(interval.end).toISOString()}`,
    groupBy: ['templateId', 'version'],
    metrics: STATUS_METRICS,
    ...(interval.granularity ? { granularity: interval.granularity } : {}),
    ...(templateId ? { filter: { type: 'and', predicates: [{ dimension: 'templateId', value: templateId }] } } : {}),
  };
}

/** The latency percentiles status shows, from one bucket over the whole interval (promptctl's extension). */
export const LATENCY_PERCENTILES = [50, 95];

/** The second query: latency percentiles per template and version over the whole interval. */
export function percentileQuery(interval: { start: number; end: number }, templateId?: string): AnalyticsQuery {
  // No granularity: one bucket for the whole interval.
  return { ...statusQuery({ start: interval.start, end: interval.end }, templateId), metrics: ['tLatency'], percentiles: LATENCY_PERCENTILES };
}

/** "templateId version" → {p50, p95}, from percentileQuery's answer (versions without them are left out). */
export function latencyPercentiles(result: AnalyticsResult): Map<string, { p50: number; p95: number }> {
  const out = new Map<string, { p50: number; p95: number }>();
  for (const r of result.results) {
    const stats = r.data[0]?.metrics.find((m) => m.metric === 'tLatency')?.stats;
    const p50 = stats?.percentiles?.['50'];
    const p95 = stats?.percentiles?.['95'];
    if (r.group.templateId !== undefined && p50 !== undefined && p95 !== undefined) out.set(`${r.group.templateId} ${r.group.version ?? ''}`, { p50, p95 });
  }
  return out;
}

export interface TemplateInfo {
  id: string;
  name: string;
  split?: { strategy: string; routes: Array<{ version: string; weight: number }> };
}

/** One group's totals, and its per-bucket (count, sum) of tokens per call for batch means. */
export interface Totals {
  metrics: Map<AnalyticsMetric, AnalyticsStats>;
  batches: Array<{ n: number; tokens: number }>;
}

function total(a: AnalyticsStats | undefined, b: AnalyticsStats): AnalyticsStats {
  if (!a) return { ...b };
  const out: AnalyticsStats = { count: a.count + b.count, sum: a.sum + b.sum };
  const min = [a.min, b.min].filter((x): x is number => x !== undefined);
  const max = [a.max, b.max].filter((x): x is number => x !== undefined);
  if (min.length) out.min = Math.min(...min);
  if (max.length) out.max = Math.max(...max);
  return out;
}

function totals(data: AnalyticsResult['results'][number]['data']): Totals {
  const metrics = new Map<AnalyticsMetric, AnalyticsStats>();
  const batches: Totals['batches'] = [];
  for (const bucket of data) {
    const by = new Map(bucket.metrics.map((m) => [m.metric, m.stats]));
    for (const [metric, stats] of by) metrics.set(metric, total(metrics.get(metric), stats));
    const p = by.get('nPromptTokens');
    const c = by.get('nCompletionTokens');
    if (p && p.count > 0) batches.push({ n: p.count, tokens: p.sum + (c?.sum ?? 0) });
  }
  return { metrics, batches };
}

export function buildStatus(
  result: AnalyticsResult,
  templates: readonly TemplateInfo[],
  meta: { target: string; interval: string; since: string },
  percentiles: ReadonlyMap<string, { p50: number; p95: number }> = new Map(),
): StatusReport {
  const byTemplate = new Map<string, Array<{ version: string | null; totals: Totals }>>();
  let unattributed = 0;
  for (const r of result.results) {
    const t = totals(r.data);
    const id = r.group.templateId;
    if (id === undefined) {
      unattributed += t.metrics.get('nInvocations')?.sum ?? 0;
      continue;
    }
    const list = byTemplate.get(id) ?? [];
    list.push({ version: r.group.version ?? null, totals: t });
    byTemplate.set(id, list);
  }
  const known = new Map(templates.map((t) => [t.id, t]));
  const ids = [...new Set([...templates.map((t) => t.id), ...byTemplate.keys()])];
  const out: TemplateStatus[] = ids
    .map((id) => templateStatus(known.get(id) ?? { id, name: id }, byTemplate.get(id) ?? [], !known.has(id), percentiles))
    .sort((a, b) => byCodeUnits(a.template, b.template));
  const measured = out.some((t) => t.versions.some((v) => v.latencyMs !== null));
  const method = [
    percentiles.size > 0
      ? 'latency: p50 and p95 per call over the whole interval (nearest rank), the mean beside them'
      : measured
        ? 'latency: the mean per call (the target gave no percentiles: the analytics give count, sum, min and max)'
        : 'latency: no call in the interval measured one',
    'share: of every call the template received, pinned calls (with a version) included',
    'differences: candidate minus baseline, 95 % intervals; error rates by Newcombe\'s hybrid score interval; mean tokens per answered call by a normal interval whose spread comes from batch means over buckets when there are enough, else from the observed range (conservative)',
  ];
  if (unattributed > 0) method.push(`${unattributed} call${unattributed === 1 ? '' : 's'} named no known template and ${unattributed === 1 ? 'is' : 'are'} not shown`);
  return { target: meta.target, interval: meta.interval, since: meta.since, templates: out, method };
}

function templateStatus(
  t: TemplateInfo,
  groups: Array<{ version: string | null; totals: Totals }>,
  deleted: boolean,
  percentiles: ReadonlyMap<string, { p50: number; p95: number }>,
): TemplateStatus {
  const sumOf = (g: Totals, m: AnalyticsMetric): number => g.metrics.get(m)?.sum ?? 0;
  const all = groups.reduce((s, g) => s + sumOf(g.totals, 'nInvocations'), 0);
  const weights = new Map((t.split?.routes ?? []).map((r) => [r.version, r.weight]));
  const versions: VersionStatus[] = groups.map(({ version, totals: g }) =>
    versionStatus(version, g, all, version !== null ? weights.get(version) : undefined, percentiles.get(`${t.id} ${version ?? ''}`)),
  );
  // Routed versions that had no calls still show, with their weight.
  for (const [v, w] of weights) if (w > 0 && !versions.some((x) => x.version === v)) versions.push(versionStatus(v, { metrics: new Map(), batches: [] }, all, w));
  versions.sort((a, b) => (a.version === null ? 1 : b.version === null ? -1 : compareVersionLabels(a.version, b.version)));
  const notes: string[] = [];
  if (deleted) notes.push('this template is no longer on the target');
  for (const v of versions) {
    if (v.version === null && v.invocations > 0) notes.push(`${v.invocations} call${v.invocations === 1 ? ' was' : 's were'} refused before a version was chosen`);
    if (v.weight === undefined || v.version === null || all < 20) continue;
    // A share far from its weight (beyond 3 standard errors of a binomial draw) deserves a word.
    const w = v.weight / 100;
    const sd = Math.sqrt((all * w * (1 - w)) || 1);
    if (Math.abs(v.invocations - all * w) > 3 * sd) {
      notes.push(`${v.version} received ${pct(v.share)} of calls against a weight of ${v.weight} %: pinned calls count too, or the split changed during the interval`);
    }
  }
  const comparison = compare(t, versions, new Map(groups.filter((g) => g.version !== null).map((g) => [g.version!, g.totals])));
  return {
    template: t.name,
    templateId: t.id,
    ...(t.split ? { split: t.split } : {}),
    invocations: all,
    versions,
    ...(comparison ? { comparison } : {}),
    notes,
  };
}

function versionStatus(version: string | null, g: Totals, all: number, weight: number | undefined, latency?: { p50: number; p95: number }): VersionStatus {
  const m = (k: AnalyticsMetric): AnalyticsStats | undefined => g.metrics.get(k);
  const n = m('nInvocations')?.sum ?? 0;
  const errors = m('nErrors')?.sum ?? 0;
  const blocked = m('nBlocked')?.sum ?? 0;
  const lat = m('tLatency');
  const pt = m('nPromptTokens');
  const ct = m('nCompletionTokens');
  const cost = m('nCostMicros');
  const answered = pt?.count ?? 0;
  return {
    version,
    invocations: n,
    share: all > 0 ? n / all : 0,
    ...(weight !== undefined ? { weight } : {}),
    errors,
    errorRate: n > 0 ? errors / n : 0,
    blocked,
    blockedRate: n > 0 ? blocked / n : 0,
    answered,
    latencyMs:
      lat && lat.count > 0
        ? { mean: lat.sum / lat.count, ...(lat.min !== undefined ? { min: lat.min } : {}), ...(lat.max !== undefined ? { max: lat.max } : {}), ...(latency ?? {}) }
        : null,
    tokens:
      pt && pt.count > 0
        ? { meanPrompt: pt.sum / pt.count, meanCompletion: (ct?.sum ?? 0) / pt.count, meanTotal: (pt.sum + (ct?.sum ?? 0)) / pt.count, total: pt.sum + (ct?.sum ?? 0) }
        : null,
    costUsd: cost && cost.count > 0 ? { total: usdOfMicros(cost.sum), mean: usdOfMicros(cost.sum / cost.count) } : null,
  };
}

// ---- the A/B comparison ------------------------------------------------------------------------

function compare(t: TemplateInfo, versions: VersionStatus[], groups: Map<string, Totals>): SplitComparison | undefined {
  const routes = (t.split?.routes ?? []).filter((r) => r.weight > 0);
  if (routes.length !== 2) return undefined;
  const [baseline, candidate] = [...routes].sort((a, b) => b.weight - a.weight || compareVersionLabels(a.version, b.version)).map((r) => r.version) as [string, string];
  const a = versions.find((v) => v.version === baseline)!;
  const b = versions.find((v) => v.version === candidate)!;
  const errors = a.invocations > 0 && b.invocations > 0 ? errorDifference(a, b) : null;
  const tokens = tokenDifference(a, b, groups.get(baseline), groups.get(candidate));
  return { baseline, candidate, tokens, errors, verdict: verdict(baseline, candidate, a, b, tokens, errors) };
}

function errorDifference(a: VersionStatus, b: VersionStatus): NonNullable<SplitComparison['errors']> {
  const d = newcombe(a.errors, a.invocations, b.errors, b.invocations);
  return { ...d, baselineRate: a.errorRate, candidateRate: b.errorRate, significant: d.low > 0 || d.high < 0 };
}

/** A spread estimate of tokens per call for one version: its variance and how it was found. */
export function tokenVariance(g: Totals | undefined, n: number): { variance: number; method: string } | undefined {
  if (!g || n < Math.max(2, MIN_CALLS)) return undefined;
  const p = g.metrics.get('nPromptTokens');
  const c = g.metrics.get('nCompletionTokens');
  // A measure without min and max (optional in the analytics shape) has no known range: it bounds nothing.
  const range = (s: AnalyticsStats | undefined): number => (s && s.max !== undefined && s.min !== undefined ? s.max - s.min : s && s.count > 0 ? Number.POSITIVE_INFINITY : 0);
  // Popoviciu on prompt and completion tokens, summed as standard deviations (the worst case of their correlation).
  const sdBound = (range(p) + range(c)) / 2;
  const bound = sdBound * sdBound * (n / (n - 1));
  if (g.batches.length >= MIN_BATCHES) {
    const mean = g.batches.reduce((s, b) => s + b.tokens, 0) / n;
    const ss = g.batches.reduce((s, b) => s + b.n * (b.tokens / b.n - mean) ** 2, 0);
    const batch = ss / (g.batches.length - 1);
    return { variance: Math.min(batch, bound), method: `batch means over ${g.batches.length} buckets` };
  }
  if (!Number.isFinite(bound)) return undefined;
  return { variance: bound, method: 'bounded by the observed range (conservative)' };
}

function tokenDifference(a: VersionStatus, b: VersionStatus, ga: Totals | undefined, gb: Totals | undefined): SplitComparison['tokens'] {
  if (!a.tokens || !b.tokens) return null;
  const va = tokenVariance(ga, a.answered);
  const vb = tokenVariance(gb, b.answered);
  if (!va || !vb) return null;
  const d = meanDifference(a.tokens.meanTotal, va.variance, a.answered, b.tokens.meanTotal, vb.variance, b.answered);
  const base = a.tokens.meanTotal;
  const relative: Interval95 = base > 0 ? { estimate: d.estimate / base, low: d.low / base, high: d.high / base } : { estimate: 0, low: 0, high: 0 };
  const method = va.method === vb.method ? va.method : `${a.version}: ${va.method}; ${b.version}: ${vb.method}`;
  return { ...d, relative, method, significant: d.low > 0 || d.high < 0 };
}

/** Difference of two means (b − a) with a normal 95 % interval from each side's variance. */
export function meanDifference(meanA: number, varA: number, nA: number, meanB: number, varB: number, nB: number): Interval95 {
  const se = Math.sqrt(varA / nA + varB / nB);
  const d = meanB - meanA;
  return { estimate: d, low: d - Z95 * se, high: d + Z95 * se };
}

/** Wilson score interval of a proportion x/n (95 %). */
export function wilson(x: number, n: number, z = Z95): { low: number; high: number } {
  if (n <= 0) return { low: 0, high: 1 };
  const p = x / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Newcombe's hybrid score interval (his method 10) for p2 − p1, with p1 = x1/n1 and p2 = x2/n2. */
export function newcombe(x1: number, n1: number, x2: number, n2: number, z = Z95): Interval95 {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const w1 = wilson(x1, n1, z);
  const w2 = wilson(x2, n2, z);
  const d = p2 - p1;
  return {
    estimate: d,
    low: d - Math.sqrt((p2 - w2.low) ** 2 + (w1.high - p1) ** 2),
    high: d + Math.sqrt((w2.high - p2) ** 2 + (p1 - w1.low) ** 2),
  };
}

function pct(x: number, digits?: number): string {
  const v = x * 100;
  const d = digits ?? (Math.abs(v) >= 10 || v === 0 ? 0 : 1);
  return `${v.toFixed(d)} %`;
}

/** The plain-words verdict: what differs with 95 % confidence, and what to do. */
function verdict(baseline: string, candidate: string, a: VersionStatus, b: VersionStatus, tokens: SplitComparison['tokens'], errors: SplitComparison['errors']): string {
  if (a.invocations === 0 || b.invocations === 0) {
    const none = [a, b].filter((v) => v.invocations === 0).map((v) => v.version);
    return `no calls to ${none.join(' or ')} yet: nothing to compare`;
  }
  let tokenPart: string;
  if (!tokens && a.answered >= MIN_CALLS && b.answered >= MIN_CALLS) {
    tokenPart = `tokens not comparable yet (the target gives no min and max of tokens per call, and fewer than ${MIN_BATCHES} buckets hold calls)`;
  } else if (!tokens) tokenPart = `too few answered calls to compare tokens (${a.answered} and ${b.answered}; ${MIN_CALLS} each needed)`;
  else if (tokens.significant) tokenPart = `${candidate} uses ${pct(Math.abs(tokens.relative.estimate))} ${tokens.estimate < 0 ? 'fewer' : 'more'} tokens`;
  else tokenPart = 'tokens not different yet';
  let errorPart: string;
  let worse = false;
  if (!errors) errorPart = 'errors not comparable';
  else if (errors.significant) {
    worse = errors.estimate > 0;
    errorPart = `errors ${worse ? 'higher' : 'lower'} (${pct(errors.candidateRate)} vs ${pct(errors.baselineRate)})`;
  } else errorPart = 'errors not different yet';
  const undecided = !tokens?.significant || !errors?.significant;
  const tail = worse ? `: consider routing traffic back to ${baseline}` : undecided ? ': keep collecting' : '';
  const subject = tokens?.significant ? '' : `${candidate} vs ${baseline}: `;
  return `${subject}${tokenPart}, ${errorPart}${tail}`;
}
