// The comparison behind `promptctl status` for a traffic split (DESIGN §4), pure: which route is
// the baseline, each other routed version against it (candidate minus baseline) with 95 %
// intervals and a plain-words verdict, and notes saying which baseline was chosen and why a
// comparison reaches no verdict.
//
// Baseline: the route with the largest weight; a tie goes to the lower (older) version, so the
// same split always reads the same way. Every other route with a weight above 0 is a candidate,
// compared with the baseline on its own (its intervals are 95 % each, not jointly).
//
// The intervals, from what the analytics shape allows (count, sum, min, max per bucket):
// - the difference of error rates, and of blocked rates: Newcombe's hybrid score interval (from
//   two Wilson intervals), which behaves at 0 errors and small counts where the textbook one does
//   not; a difference counts only when Fisher's exact test agrees (fisher.ts), which the interval
//   alone overstates at a handful of calls. Blocks are compared apart from errors (which are refusals other than blocks): a blocked
//   call's caller got no answer, so a candidate blocked more often is as much a reason to route
//   back as one failing more often, and the verdict says which of the two it is (a filter's
//   logs, not the gateway's errors, are where to look);
// - the difference of mean tokens per call the model ran for (a call whose output a filter then
//   blocked included: its tokens were spent, though the caller got no answer): a normal interval,
//   from MIN_CALLS such calls per version on (the normal approximation needs them, and so does
//   the range bound). Its spread is estimated by batch means when the calls spread over at least MIN_BATCHES buckets per
//   version (the variance of per-bucket means, scaled by bucket size, estimates the per-call
//   variance), capped by, and otherwise replaced with, the largest variance the observed range
//   allows (Popoviciu: variance <= (max - min)^2 / 4), which makes the interval conservative
//   (wider); a target that gives no min and max bounds nothing: then batch means alone, or none;
// - the difference of mean cost per call (the calls with a cost: those the model ran for), by the
//   same interval, spread and minimum of calls. Versions may run different models (a version's
//   `model` overrides the template's, DESIGN §2), whose tokens are priced, and may be counted,
//   differently: when the routes' models differ, the verdict leads with cost, not tokens. A
//   version naming no model takes the template's as it is at each call: when the template was
//   modified inside the interval, which model such a version's calls ran is unknown (only its
//   model now is read), so the verdict says what both tokens and cost per call show.
import { liveRoutes } from '../model/routing.js';
import { fisherExact } from './fisher.js';
import type { AnalyticsMetric, AnalyticsStats } from '../targets/llmgateway/wire.js';
import { compareVersionLabels } from '../util/semver.js';
import { percentText } from '../util/numbers.js';
import type { Interval95, RateDifference, SplitComparison, VersionStatus } from './types.js';
import { andList } from '../util/plural.js';

export const Z95 = 1.959963984540054;
/** Buckets per version before batch means are trusted for the spread of tokens per call. */
export const MIN_BATCHES = 20;
/** Answered calls per version before a mean's normal interval is trusted (and the observed range says much about the spread). */
export const MIN_CALLS = 30;

/** One group's totals, and its per-bucket (count, sum) of tokens per call, and of cost per call, for batch means. */
export interface Totals {
  metrics: Map<AnalyticsMetric, AnalyticsStats>;
  batches: Array<{ n: number; tokens: number }>;
  /** Micro-dollars; absent: none known (the cost then has no batch means). */
  costs?: Array<{ n: number; micros: number }>;
}

/**
 * The template was modified inside the interval: a version that takes its model (names none of
 * its own) may have run another one for some of its calls. A version's own model cannot change
 * (a published version is immutable).
 */
export interface TemplateModelChanged {
  /** The template's dateModified, inside the interval. */
  at: string;
  /** Its model now. */
  model: string;
  /** The routed versions that take its model. */
  inheriting: ReadonlySet<string>;
}

/** What a comparison's verdict leads with: tokens (the same model), cost per call (different ones), or both (unknown). */
type Lead = 'tokens' | 'cost' | 'both';

/**
 * A split's comparisons, one per candidate in version order, each against the baseline; and the
 * notes they call for: which route is the baseline when that is not plain (a tie, or several
 * candidates), and why a comparison reaches no verdict (no calls, too few). None below two routes.
 */
export function compareSplit(
  split: { routes: ReadonlyArray<{ version: string; weight: number }> } | undefined,
  versions: readonly VersionStatus[],
  groups: ReadonlyMap<string, Totals>,
  /** The model each routed version runs (its own, else the template's), when status could read them. */
  models?: ReadonlyMap<string, string>,
  /** The template was modified inside the interval: the models its inheriting versions ran are unknown. */
  changed?: TemplateModelChanged,
): { comparisons: SplitComparison[]; notes: string[] } {
  const routes = liveRoutes(split?.routes ?? []);
  if (routes.length < 2) return { comparisons: [], notes: [] };
  const ranked = [...routes].sort((a, b) => b.weight - a.weight || compareVersionLabels(a.version, b.version));
  const top = ranked[0]!;
  const candidates = [...new Set(ranked.slice(1).map((r) => r.version))].filter((v) => v !== top.version).sort(compareVersionLabels);
  const notes: string[] = [];
  const tied = ranked.filter((r) => r.weight === top.weight).map((r) => r.version);
  const others = `${andList(candidates)} ${candidates.length === 1 ? 'is' : 'are each'} compared with it`;
  if (tied.length > 1) notes.push(`${andList(tied)} share the largest weight (${top.weight} %): the lower version, ${top.version}, is the baseline; ${others}`);
  else if (candidates.length > 1) notes.push(`${top.version} is the baseline, the route with the largest weight (${top.weight} %); ${others}`);
  const a = versions.find((v) => v.version === top.version)!;
  const comparisons = candidates.map((candidate): SplitComparison => {
    const b = versions.find((v) => v.version === candidate)!;
    const both = a.invocations > 0 && b.invocations > 0;
    const errors = both ? rateDifference(a.errors, a.invocations, b.errors, b.invocations) : null;
    const blocked = both ? rateDifference(a.blocked, a.invocations, b.blocked, b.invocations) : null;
    const tokens = tokenDifference(a, b, groups.get(top.version), groups.get(candidate));
    const cost = costDifference(a, b, groups.get(top.version), groups.get(candidate));
    // Both taking the template's model ran the same one as each other at every call: tokens compare.
    const unsure = [top.version, candidate].filter((v) => changed?.inheriting.has(v) === true);
    const pair = unsure.length === 0 ? modelsOf(models, top.version, candidate) : undefined;
    const lead: Lead = unsure.length === 1 ? 'both' : pair !== undefined && pair.baseline !== pair.candidate ? 'cost' : 'tokens';
    if (lead === 'cost') {
      notes.push(`${candidate} runs ${pair!.candidate} and ${top.version} ${pair!.baseline}: their tokens are priced (and may be counted) differently, so the verdict compares cost per call, not tokens`);
    }
    if (lead === 'both') notes.push(modelsUnknownNote(unsure[0]!, unsure[0] === candidate ? top.version : candidate, changed!, models));
    const why = noVerdict(a, b, lead);
    if (why) notes.push(`no verdict for ${candidate} vs ${top.version}: ${why}`);
    // Too few calls for any verdict: said so, not "not different yet" beside a note saying there is none.
    const said = why && a.invocations > 0 && b.invocations > 0 ? `${candidate} vs ${top.version}: no verdict yet, too few calls (${callsOf(b, a, (v) => v.invocations)}): keep collecting` : undefined;
    return {
      baseline: top.version,
      candidate,
      tokens,
      cost,
      ...(pair !== undefined ? { models: pair } : {}),
      ...(lead === 'both' ? { modelsUnknown: unsure } : {}),
      errors,
      blocked,
      verdict: said ?? verdict(top.version, candidate, a, b, { tokens, cost, errors, blocked }, candidates.length > 1, lead, groups),
    };
  });
  return { comparisons, notes };
}


/** "1 for 1.1.0, 3 for 1.0.0": each count named by its version, the candidate's first, as in "candidate vs baseline". */
function callsOf(candidate: VersionStatus, baseline: VersionStatus, count: (v: VersionStatus) => number): string {
  return `${count(candidate)} for ${candidate.version}, ${count(baseline)} for ${baseline.version}`;
}

/** Both sides' models, when known for both. */
function modelsOf(models: ReadonlyMap<string, string> | undefined, baseline: string, candidate: string): { baseline: string; candidate: string } | undefined {
  const [a, b] = [models?.get(baseline), models?.get(candidate)];
  return a !== undefined && b !== undefined ? { baseline: a, candidate: b } : undefined;
}

/**
 * Said of a pair where one side takes the template's model and the template was modified inside
 * the interval: the models its calls ran are unknown (an audit trail may say what changed; status
 * does not read it), so neither tokens nor cost per call alone can be trusted to compare them.
 */
function modelsUnknownNote(inheriting: string, other: string, changed: TemplateModelChanged, models: ReadonlyMap<string, string> | undefined): string {
  const own = models?.get(other);
  const others = own !== undefined ? ` (${other} runs ${own} of its own)` : '';
  return (
    `${inheriting} takes the template's model, ${changed.model} now, but the template was modified at ${changed.at}, inside the interval${others}: ` +
    `which model ${inheriting}'s calls ran on is unknown, so the verdict says what both tokens and cost per call show`
  );
}

/** What a verdict led by `lead` needs MIN_CALLS calls of. */
const NEEDS: Record<Lead, string> = { tokens: 'tokens need', cost: 'cost per call needs', both: 'tokens and cost per call need' };

/** Why a comparison cannot decide anything yet for want of calls; undefined when it can. `lead`: what its verdict compares. */
function noVerdict(a: VersionStatus, b: VersionStatus, lead: Lead): string | undefined {
  if (a.invocations === 0 && b.invocations === 0) return 'neither has had a call in the interval';
  if (a.invocations === 0 || b.invocations === 0) return `${(a.invocations === 0 ? a : b).version} has had no call in the interval`;
  // Even every call of one failing and none of the other would not stand out: the counts are too small.
  const [n1, n2] = [a.invocations, b.invocations];
  if (!rateDifference(0, n1, n2, n2).significant && !rateDifference(n1, n1, 0, n2).significant) {
    return `too few calls (${callsOf(b, a, (v) => v.invocations)}): not even every call of one failing and none of the other would stand out at 95 %, and ${NEEDS[lead]} ${MIN_CALLS} calls the model ran for each`;
  }
  return undefined;
}

/**
 * x2/n2 − x1/n1 (candidate minus baseline) by Newcombe's interval; both sides have had calls. It
 * differs only when Fisher's exact test agrees (p < 0.05): at a handful of calls the interval
 * alone excludes 0 where the exact test does not (1 of 1 against 0 of 10: p 0.09).
 */
function rateDifference(x1: number, n1: number, x2: number, n2: number): RateDifference {
  const d = newcombe(x1, n1, x2, n2);
  const p = fisherExact(x1, n1, x2, n2);
  return { ...d, baselineRate: x1 / n1, candidateRate: x2 / n2, p, significant: (d.low > 0 || d.high < 0) && p < 0.05 };
}

/** A measure without min and max (optional in the analytics shape) has no known range: it bounds nothing. */
function rangeOf(s: AnalyticsStats | undefined): number {
  return s && s.max !== undefined && s.min !== undefined ? s.max - s.min : s && s.count > 0 ? Number.POSITIVE_INFINITY : 0;
}

/**
 * The variance per call of a mean over `n` calls, from per-bucket (count, sum) batches and a bound
 * on its standard deviation (Popoviciu: half the observed range): batch means capped by the bound
 * from MIN_BATCHES buckets on, else the bound alone; undefined below MIN_CALLS or without either.
 */
function spreadOf(batches: ReadonlyArray<{ n: number; sum: number }>, sdBound: number, n: number): { variance: number; method: string } | undefined {
  if (n < Math.max(2, MIN_CALLS)) return undefined;
  const bound = sdBound * sdBound * (n / (n - 1));
  if (batches.length >= MIN_BATCHES) {
    const mean = batches.reduce((s, b) => s + b.sum, 0) / n;
    const ss = batches.reduce((s, b) => s + b.n * (b.sum / b.n - mean) ** 2, 0);
    const batch = ss / (batches.length - 1);
    return { variance: Math.min(batch, bound), method: `batch means over ${batches.length} buckets` };
  }
  if (!Number.isFinite(bound)) return undefined;
  return { variance: bound, method: 'bounded by the observed range (conservative)' };
}

/** A spread estimate of tokens per call for one version: its variance and how it was found. */
export function tokenVariance(g: Totals | undefined, n: number): { variance: number; method: string } | undefined {
  if (!g) return undefined;
  // Popoviciu on prompt and completion tokens, summed as standard deviations (the worst case of their correlation).
  const sdBound = (rangeOf(g.metrics.get('nPromptTokens')) + rangeOf(g.metrics.get('nCompletionTokens'))) / 2;
  return spreadOf(g.batches.map((b) => ({ n: b.n, sum: b.tokens })), sdBound, n);
}

/** A spread estimate of cost per call (micro-dollars) for one version, as tokenVariance's. */
export function costVariance(g: Totals | undefined, n: number): { variance: number; method: string } | undefined {
  if (!g) return undefined;
  return spreadOf((g.costs ?? []).map((b) => ({ n: b.n, sum: b.micros })), rangeOf(g.metrics.get('nCostMicros')) / 2, n);
}

/** The difference of two means (b − a) with its interval relative to a's mean, and how the spread was found. */
function differenceOf(
  a: { version: string | null; mean: number; n: number; spread: { variance: number; method: string } },
  b: { version: string | null; mean: number; n: number; spread: { variance: number; method: string } },
): NonNullable<SplitComparison['tokens']> {
  const d = meanDifference(a.mean, a.spread.variance, a.n, b.mean, b.spread.variance, b.n);
  const relative: Interval95 = a.mean > 0 ? { estimate: d.estimate / a.mean, low: d.low / a.mean, high: d.high / a.mean } : { estimate: 0, low: 0, high: 0 };
  const method = a.spread.method === b.spread.method ? a.spread.method : `${a.version}: ${a.spread.method}; ${b.version}: ${b.spread.method}`;
  return { ...d, relative, method, significant: d.low > 0 || d.high < 0 };
}

function tokenDifference(a: VersionStatus, b: VersionStatus, ga: Totals | undefined, gb: Totals | undefined): SplitComparison['tokens'] {
  if (!a.tokens || !b.tokens) return null;
  const va = tokenVariance(ga, a.tokens.calls);
  const vb = tokenVariance(gb, b.tokens.calls);
  if (!va || !vb) return null;
  return differenceOf({ version: a.version, mean: a.tokens.meanTotal, n: a.tokens.calls, spread: va }, { version: b.version, mean: b.tokens.meanTotal, n: b.tokens.calls, spread: vb });
}

/** Calls with a cost, and their mean in micro-dollars. */
function costOf(g: Totals | undefined): { n: number; mean: number } | undefined {
  const c = g?.metrics.get('nCostMicros');
  return c && c.count > 0 ? { n: c.count, mean: c.sum / c.count } : undefined;
}

/** Mean cost per call, candidate minus baseline, in US dollars (as `costUsd`); null when a side has too few calls or no known spread. */
function costDifference(a: VersionStatus, b: VersionStatus, ga: Totals | undefined, gb: Totals | undefined): SplitComparison['cost'] {
  const [ca, cb] = [costOf(ga), costOf(gb)];
  if (!ca || !cb) return null;
  const va = costVariance(ga, ca.n);
  const vb = costVariance(gb, cb.n);
  if (!va || !vb) return null;
  const d = differenceOf({ version: a.version, mean: ca.mean, n: ca.n, spread: va }, { version: b.version, mean: cb.mean, n: cb.n, spread: vb });
  const usd = (micros: number): number => Math.round(micros * 1e6) / 1e12;
  return { ...d, estimate: usd(d.estimate), low: usd(d.low), high: usd(d.high) };
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

/** A proportion as a percentage: whole from 10 % (and at 0), one decimal below (util/numbers.ts). */
export const pct = percentText;

/**
 * The plain-words verdict: what differs with 95 % confidence, and what to do. With several
 * candidates, routing back names the candidate whose traffic should go back to the baseline.
 * Blocks are said only when either side had one: of a template no filter blocked, "blocks not
 * different yet" would be said of every split and decide nothing.
 */
function verdict(
  baseline: string,
  candidate: string,
  a: VersionStatus,
  b: VersionStatus,
  d: Pick<SplitComparison, 'tokens' | 'errors' | 'blocked'> & { cost: SplitComparison['cost'] | undefined },
  several: boolean,
  /** What the verdict leads with: tokens (the same model), cost per call (different models: tokens are not comparable), or both (the models unknown). */
  lead: Lead,
  groups: ReadonlyMap<string, Totals>,
): string {
  if (a.invocations === 0 || b.invocations === 0) {
    const none = [a, b].filter((v) => v.invocations === 0).map((v) => v.version);
    return `no calls to ${none.join(' or ')} yet: nothing to compare`;
  }
  const { tokens, cost, errors, blocked } = d;
  const firstPart =
    lead === 'cost' ? costPart(candidate, a, b, cost ?? null, groups) : lead === 'tokens' ? tokenPart(candidate, a, b, tokens) : bothPart(candidate, a, b, tokens, cost ?? null, groups);
  const leadSignificant = lead === 'cost' ? cost?.significant === true : lead === 'tokens' ? tokens?.significant === true : tokens?.significant === true || cost?.significant === true;
  const errorPart = ratePart(errors, 'errors not comparable', 'errors not different yet', (higher) => `errors ${higher ? 'higher' : 'lower'}`);
  const blocks = blocked !== null && (a.blocked > 0 || b.blocked > 0);
  const blockPart = blocks ? ratePart(blocked, '', 'blocks not different yet', (higher) => `blocked ${higher ? 'more' : 'less'} often by safety filters`) : undefined;
  // A candidate whose callers get no answer more often, by errors or by blocks, is the worse one.
  const worse = [errors, blocks ? blocked : null].some((r) => r?.significant && r.estimate > 0);
  const undecided = !leadSignificant || !errors?.significant || (blocks && !blocked!.significant);
  const back = several ? `${candidate}'s traffic` : 'traffic';
  const tail = worse ? `: consider routing ${back} back to ${baseline}` : undecided ? ': keep collecting' : '';
  const subject = leadSignificant ? '' : `${candidate} vs ${baseline}: `;
  return `${subject}${[firstPart, errorPart, ...(blockPart !== undefined ? [blockPart] : [])].join(', ')}${tail}`;
}

/** The verdict's words on tokens: "1.1.0 uses 18 % fewer tokens", "tokens not different yet", or why there is no interval. */
function tokenPart(candidate: string, a: VersionStatus, b: VersionStatus, tokens: SplitComparison['tokens']): string {
  const [na, nb] = [a.tokens?.calls ?? 0, b.tokens?.calls ?? 0];
  if (!tokens && na >= MIN_CALLS && nb >= MIN_CALLS) {
    return `tokens not comparable yet (the target gives no min and max of tokens per call, and fewer than ${MIN_BATCHES} buckets hold calls)`;
  }
  if (!tokens) return `too few calls the model ran for to compare tokens (${callsOf(b, a, (v) => v.tokens?.calls ?? 0)}; ${MIN_CALLS} each needed)`;
  if (tokens.significant) return `${candidate} uses ${pct(Math.abs(tokens.relative.estimate))} ${tokens.estimate < 0 ? 'fewer' : 'more'} tokens`;
  return 'tokens not different yet';
}

/**
 * The verdict's words on cost per call: "1.1.0 costs 7.7× more per call" (twice the baseline's or
 * more), "… 30 % more per call", "… 45 % less per call", "cost per call not different yet", or why
 * there is no interval.
 */
function costPart(candidate: string, a: VersionStatus, b: VersionStatus, cost: SplitComparison['cost'], groups: ReadonlyMap<string, Totals>): string {
  const calls = (v: VersionStatus): number => (v.version !== null ? (costOf(groups.get(v.version))?.n ?? 0) : 0);
  if (!cost && calls(a) >= MIN_CALLS && calls(b) >= MIN_CALLS) {
    return `cost not comparable yet (the target gives no min and max of cost per call, and fewer than ${MIN_BATCHES} buckets hold calls)`;
  }
  if (!cost) return `too few calls with a cost to compare cost per call (${callsOf(b, a, calls)}; ${MIN_CALLS} each needed)`;
  if (!cost.significant) return 'cost per call not different yet';
  return `${candidate} ${costWords(cost)}`;
}

/** "costs 7.7× more per call" (twice the baseline's or more), "costs 30 % more per call", "costs 45 % less per call". */
function costWords(cost: NonNullable<SplitComparison['cost']>): string {
  const ratio = 1 + cost.relative.estimate;
  if (ratio >= 2) return `costs ${ratio.toFixed(1)}× more per call`;
  return `costs ${pct(Math.abs(cost.relative.estimate))} ${cost.estimate < 0 ? 'less' : 'more'} per call`;
}

/**
 * The verdict's words where the models the calls ran are unknown: what tokens and cost per call
 * show that is significant ("1.2.0 uses 45 % fewer tokens and costs 3.0× more per call"), or,
 * neither being so, what each says.
 */
function bothPart(candidate: string, a: VersionStatus, b: VersionStatus, tokens: SplitComparison['tokens'], cost: SplitComparison['cost'], groups: ReadonlyMap<string, Totals>): string {
  if (tokens?.significant && cost?.significant) return `${tokenPart(candidate, a, b, tokens)} and ${costWords(cost)}`;
  if (tokens?.significant) return tokenPart(candidate, a, b, tokens);
  if (cost?.significant) return costPart(candidate, a, b, cost, groups);
  return `${tokenPart(candidate, a, b, tokens)}, ${costPart(candidate, a, b, cost, groups)}`;
}

/** A rate difference in the verdict's words: "errors higher (8.7 % vs 1.0 %)", "… not different yet", or `none` without one. */
function ratePart(r: RateDifference | null, none: string, same: string, differs: (higher: boolean) => string): string {
  if (!r) return none;
  if (!r.significant) return same;
  return `${differs(r.estimate > 0)} (${pct(r.candidateRate)} vs ${pct(r.baselineRate)})`;
}
