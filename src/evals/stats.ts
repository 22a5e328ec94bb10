// The numbers behind `promptctl status` (DESIGN §4), pure: per template and version, from the
// gateway's analytics aggregates (grouped by templateId and version, in hourly or daily buckets),
// and for a split the comparison of its versions (comparison.ts: each version against the
// baseline, the route with the largest weight, with 95 % intervals and a verdict).
//
// What the analytics shape allows. Each measure comes as {count, sum, min, max} per bucket: no
// sum of squares, and percentiles only through promptctl's optional `percentiles` extension,
// which do not add up across buckets. So latency's p50 and p95 come from a second query, one
// bucket over the whole interval, when the server answers it (the emulator does); otherwise
// latency is its mean (with min and max). The buckets are kept per version as batches of tokens
// per call, and of cost per call, from which comparison.ts estimates the spread its intervals need.
// Shares are of the calls that reached a version: those refused before one was chosen are apart.
import type { AnalyticsMetric, AnalyticsPredicate, AnalyticsQuery, AnalyticsResult, AnalyticsStats } from '../targets/llmgateway/wire.js';
import { compareVersionLabels } from '../util/semver.js';
import type { StatusReport, TemplateStatus, TestCalls, VersionStatus } from './types.js';
import { compareSplit, pct, type TemplateModelChanged, type Totals } from './comparison.js';
import { byCodeUnits } from '../util/compare.js';
import { isCalendarDay } from '../util/calendar.js';

export { costVariance, MIN_BATCHES, MIN_CALLS, meanDifference, newcombe, tokenVariance, wilson, Z95, type Totals } from './comparison.js';

export const STATUS_METRICS: AnalyticsMetric[] = ['nInvocations', 'nErrors', 'nBlocked', 'tLatency', 'nPromptTokens', 'nCompletionTokens', 'nCostMicros'];

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
/** Buckets one analytics query may hold: a year of hours (hourly up to 366 days back, daily beyond). */
const MAX_BUCKETS = 366 * 24;

/**
 * `--since`: a duration back from `now` (30m, 24h, 7d, 2w) or an ISO-8601 date or date-time (UTC unless it names an offset).
 * Returns the interval [start, end) and its granularity; throws an Error saying what is accepted.
 */
export function parseSince(text: string, now: number): { start: number; end: number; granularity: NonNullable<AnalyticsQuery['granularity']> } {
  const trimmed = text.trim();
  // RFC 3339 lets a date-time write its T and Z in lower case (the API takes them so): read as upper.
  const t = /^\d{4}-\d{2}-\d{2}t/i.test(trimmed) ? trimmed.toUpperCase() : trimmed;
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
  // Past a year of hours the query is made by the day, and holds as many days (the emulator's,
  // and Genesys's, bucket limit): counted as the server counts them, with the end's slack.
  if (Math.ceil((end - start) / UNITS.d!) > MAX_BUCKETS) {
    const earliest = new Date(Math.ceil((end - MAX_BUCKETS * UNITS.d!) / UNITS.d!) * UNITS.d!).toISOString().slice(0, 10);
    throw new Error(
      `--since ${text} reaches back too far: one analytics query holds ${MAX_BUCKETS.toLocaleString('en-US')} daily buckets, the last one today's; give at most ${MAX_BUCKETS - 1}d, or a date from ${earliest} on`,
    );
  }
  // Hourly up to 366 days back, judged from now (README): the end's slack of a second or two would
  // otherwise turn exactly 366 days daily. Such a query starts those seconds later instead, so that
  // it holds the 8,784 hourly buckets a query may (counted as the server counts them).
  if (now - start > MAX_BUCKETS * UNITS.h!) return { start, end, granularity: 'P1D' };
  return { start: Math.max(start, end - MAX_BUCKETS * UNITS.h!), end, granularity: 'PT1H' };
}

/** Micro-dollars in dollars, to the picodollar: no binary noise (0.00010845, not 0.00010845000000000001). */
function usdOfMicros(micros: number): number {
  return Math.round(micros * 1e6) / 1e12;
}

/**
 * The analytics query status makes: calls per template and version. `liveOnly`: only calls promptctl test did not
 * make (the `origin` dimension, promptctl's extension): test calls pin versions and may be answered
 * by canned fixtures, so counted they would skew shares and verdicts.
 */
export function statusQuery(interval: { start: number; end: number; granularity?: AnalyticsQuery['granularity'] }, templateId?: string, liveOnly = false): AnalyticsQuery {
  const predicates: AnalyticsPredicate[] = [
    ...(templateId ? [{ dimension: 'templateId' as const, value: templateId }] : []),
    ...(liveOnly ? [{ dimension: 'origin' as const, value: 'live' }] : []),
  ];
  return {
    interval: `${new Date(interval.start).toISOString()}/${new Date(interval.end).toISOString()}`,
    // Grouped by origin too when filtered on it: a server that ignores the dimension (it is no part of
    // DESIGN §3) answers groups without it, and the report then says test calls are counted.
    groupBy: liveOnly ? ['templateId', 'version', 'origin'] : ['templateId', 'version'],
    metrics: STATUS_METRICS,
    ...(interval.granularity ? { granularity: interval.granularity } : {}),
    ...(predicates.length > 0 ? { filter: { type: 'and', predicates } } : {}),
  };
}

/** What each way of counting promptctl test's own calls says in the method lines. */
const TEST_CALLS_SAID: Record<TestCalls, string> = {
  excluded: 'calls made by promptctl test are left out (--include-tests counts them)',
  included: 'calls made by promptctl test are counted (--include-tests)',
  indistinguishable: "calls made by promptctl test are counted: the target's analytics cannot tell them apart (they do not know the origin dimension, promptctl's extension)",
};

/** The latency percentiles status shows, from one bucket over the whole interval (promptctl's extension). */
export const LATENCY_PERCENTILES = [50, 95];

/** The second query: latency percentiles per template and version over the whole interval. */
export function percentileQuery(interval: { start: number; end: number }, templateId?: string, liveOnly = false): AnalyticsQuery {
  // No granularity: one bucket for the whole interval.
  return { ...statusQuery({ start: interval.start, end: interval.end }, templateId, liveOnly), metrics: ['tLatency'], percentiles: LATENCY_PERCENTILES };
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
  /** The model each routed version runs (its own, else the template's), when read: a split's comparison judges cost, not tokens, when they differ. */
  models?: ReadonlyMap<string, string>;
  /** The template was modified inside the interval: the models its versions naming none ran are unknown. */
  modelChanged?: TemplateModelChanged;
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
  const costs: NonNullable<Totals['costs']> = [];
  for (const bucket of data) {
    const by = new Map(bucket.metrics.map((m) => [m.metric, m.stats]));
    for (const [metric, stats] of by) metrics.set(metric, total(metrics.get(metric), stats));
    const p = by.get('nPromptTokens');
    const c = by.get('nCompletionTokens');
    if (p && p.count > 0) batches.push({ n: p.count, tokens: p.sum + (c?.sum ?? 0) });
    const cost = by.get('nCostMicros');
    if (cost && cost.count > 0) costs.push({ n: cost.count, micros: cost.sum });
  }
  return { metrics, batches, costs };
}

export function buildStatus(
  result: AnalyticsResult,
  templates: readonly TemplateInfo[],
  /** `trail`: the audit trail `formerNames` were read from (or looked for), which a gone template's note names when it does not name it. */
  meta: { target: string; interval: string; since: string; testCalls?: TestCalls; trail?: { file: string; exists: boolean } },
  percentiles: ReadonlyMap<string, { p50: number; p95: number }> = new Map(),
  /** The names templates no longer on the target had (from the audit trail), by id. */
  formerNames: ReadonlyMap<string, string> = new Map(),
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
    .map((id) => templateStatus(known.get(id) ?? { id, name: formerNames.get(id) ?? id }, byTemplate.get(id) ?? [], goneNote(known.has(id), formerNames.has(id), meta.trail), percentiles))
    .sort((a, b) => byCodeUnits(a.template, b.template));
  const measured = out.some((t) => t.versions.some((v) => v.latencyMs !== null));
  // Every line, in JSON; text and markdown show a line only under what it explains, telling them
  // apart by their openings (views/status.ts shownMethod): keep those when rewording.
  const method = [
    percentiles.size > 0
      ? 'latency: p50 and p95 per call over the whole interval (nearest rank), the mean beside them'
      : measured
        ? 'latency: the mean per call (the target gave no percentiles: the analytics give count, sum, min and max)'
        : 'latency: no call in the interval measured one',
    'share: of the calls that reached a version, pinned calls included; calls refused before a version was chosen are counted on their own, in no share',
    'differences: candidate minus baseline (the route with the largest weight; of equal weights, the lower version), 95 % intervals; error rates and blocked rates (blocks are not errors: each is compared on its own) by Newcombe\'s hybrid score interval; mean tokens per call the model ran for (its output blocked after or not) by a normal interval whose spread comes from batch means over buckets when there are enough, else from the observed range (conservative); mean cost per call alike (the calls with a cost), and when the routes run different models the verdict compares cost per call, not tokens (when which models they ran is unknown, a template\'s model changed during the interval, it says what both show)',
  ];
  if (out.some((t) => (t.comparisons?.length ?? 0) > 1)) {
    method.push('a split of three routes or more: each version against the baseline on its own, each interval 95 % by itself (of several comparisons, one stands out by chance more often than 1 in 20)');
  }
  if (unattributed > 0) method.push(`${unattributed} call${unattributed === 1 ? '' : 's'} named no known template and ${unattributed === 1 ? 'is' : 'are'} not shown`);
  if (meta.testCalls !== undefined) method.push(TEST_CALLS_SAID[meta.testCalls]);
  return { target: meta.target, interval: meta.interval, since: meta.since, ...(meta.testCalls !== undefined ? { testCalls: meta.testCalls } : {}), templates: out, method };
}

/**
 * What a template's note says of it when it is no longer on the target (undefined: it is on it). One
 * the trail does not name is shown by its id: the note says where its name was looked for, so that a
 * reader without the trail (a CI checkout) knows why, and what would name it.
 */
function goneNote(live: boolean, named: boolean, trail: { file: string; exists: boolean } | undefined): string | undefined {
  if (live) return undefined;
  const gone = 'this template is no longer on the target';
  if (named || trail === undefined) return gone;
  return trail.exists ? `${gone}, and the audit trail here (${trail.file}) does not name it: shown by its id` : `${gone}, and there is no audit trail here (${trail.file}) to name it: shown by its id`;
}

function templateStatus(
  t: TemplateInfo,
  groups: Array<{ version: string | null; totals: Totals }>,
  gone: string | undefined,
  percentiles: ReadonlyMap<string, { p50: number; p95: number }>,
): TemplateStatus {
  const sumOf = (g: Totals, m: AnalyticsMetric): number => g.metrics.get(m)?.sum ?? 0;
  const all = groups.reduce((s, g) => s + sumOf(g.totals, 'nInvocations'), 0);
  // Shares are of the calls that reached a version: those refused before one was chosen (a pinned
  // version that does not exist) were routed nowhere, and counted in would shrink every share
  // below its weight with the split routing exactly by it. They are said on their own.
  const routed = groups.reduce((s, g) => s + (g.version !== null ? sumOf(g.totals, 'nInvocations') : 0), 0);
  const weights = new Map((t.split?.routes ?? []).map((r) => [r.version, r.weight]));
  const versions: VersionStatus[] = groups.map(({ version, totals: g }) =>
    versionStatus(version, g, version !== null ? routed : 0, version !== null ? weights.get(version) : undefined, percentiles.get(`${t.id} ${version ?? ''}`)),
  );
  // Routed versions that had no calls still show, with their weight.
  for (const [v, w] of weights) if (w > 0 && !versions.some((x) => x.version === v)) versions.push(versionStatus(v, { metrics: new Map(), batches: [] }, routed, w));
  versions.sort((a, b) => (a.version === null ? 1 : b.version === null ? -1 : compareVersionLabels(a.version, b.version)));
  const notes: string[] = [];
  if (gone !== undefined) notes.push(gone);
  for (const v of versions) {
    if (v.version === null && v.invocations > 0) {
      notes.push(`${v.invocations} call${v.invocations === 1 ? ' was' : 's were'} refused before a version was chosen: they are not in the shares, which are of the calls that reached a version`);
    }
    if (v.weight === undefined || v.version === null || routed < 20) continue;
    // A share far from its weight (beyond 3 standard errors of a binomial draw) deserves a word.
    const w = v.weight / 100;
    const sd = Math.sqrt((routed * w * (1 - w)) || 1);
    if (Math.abs(v.invocations - routed * w) > 3 * sd) {
      // A sticky split keeps every call of a routing key on one version: calls are not drawn one by
      // one, so one long conversation moves the shares with nothing pinned and the split unchanged.
      const why = t.split?.strategy === 'sticky' ? 'pinned calls count too, the split changed during the interval, or (the split is sticky) a few routing keys made many of the calls' : 'pinned calls count too, or the split changed during the interval';
      notes.push(`${v.version} received ${pct(v.share ?? 0)} of calls against a weight of ${v.weight} %: ${why}`);
    }
  }
  const { comparisons, notes: why } = compareSplit(t.split, versions, new Map(groups.filter((g) => g.version !== null).map((g) => [g.version!, g.totals])), t.models, t.modelChanged);
  notes.push(...why);
  // A sticky split assigns routing keys, not calls: the intervals count calls as independent draws,
  // which a few keys making many calls are not (one customer's blocked messages read as a version's).
  if (t.split?.strategy === 'sticky' && comparisons.some((c) => c.errors !== null)) {
    notes.push('the split is sticky: each routing key keeps its version, so calls are not independent draws and the intervals, which count them so, are too narrow when a few keys make many of the calls; read a difference with the keys behind it in mind');
  }
  return {
    template: t.name,
    templateId: t.id,
    ...(t.split ? { split: t.split } : {}),
    ...(gone !== undefined ? { gone: true as const } : {}),
    invocations: all,
    versions,
    // A two-way split keeps its one `comparison` (the shape before splits of more routes were compared); every split of two routes or more has `comparisons`.
    ...(comparisons.length === 1 ? { comparison: comparisons[0]! } : {}),
    ...(comparisons.length > 0 ? { comparisons } : {}),
    notes,
  };
}

/** `routed`: the template's calls that reached a version, of which `share` is (0 for the version-less group: it has none). */
function versionStatus(version: string | null, g: Totals, routed: number, weight: number | undefined, latency?: { p50: number; p95: number }): VersionStatus {
  const m = (k: AnalyticsMetric): AnalyticsStats | undefined => g.metrics.get(k);
  const n = m('nInvocations')?.sum ?? 0;
  const errors = m('nErrors')?.sum ?? 0;
  const blocked = m('nBlocked')?.sum ?? 0;
  const lat = m('tLatency');
  const pt = m('nPromptTokens');
  const ct = m('nCompletionTokens');
  const cost = m('nCostMicros');
  // The token measures count every call the model ran for, an output blocked after it included:
  // answered is what reached the caller, which a blocked output did not.
  const answered = Math.max(0, n - errors - blocked);
  return {
    version,
    invocations: n,
    share: routed > 0 ? n / routed : null,
    ...(weight !== undefined ? { weight } : {}),
    errors,
    errorRate: n > 0 ? errors / n : null,
    blocked,
    blockedRate: n > 0 ? blocked / n : null,
    answered,
    latencyMs:
      lat && lat.count > 0
        ? { mean: lat.sum / lat.count, ...(lat.min !== undefined ? { min: lat.min } : {}), ...(lat.max !== undefined ? { max: lat.max } : {}), ...(latency ?? {}) }
        : null,
    tokens:
      pt && pt.count > 0
        ? { calls: pt.count, meanPrompt: pt.sum / pt.count, meanCompletion: (ct?.sum ?? 0) / pt.count, meanTotal: (pt.sum + (ct?.sum ?? 0)) / pt.count, total: pt.sum + (ct?.sum ?? 0) }
        : null,
    costUsd: cost && cost.count > 0 ? { total: usdOfMicros(cost.sum), mean: usdOfMicros(cost.sum / cost.count) } : null,
  };
}

/** Whether the target answered a live-only query (statusQuery's `liveOnly`) as one: each group says its origin. */
export function originHonoured(result: AnalyticsResult): boolean {
  return result.results.every((r) => r.group.origin !== undefined);
}
