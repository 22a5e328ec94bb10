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
//   (wider); a target that gives no min and max bounds nothing: then batch means alone, or none.
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

/** One group's totals, and its per-bucket (count, sum) of tokens per call for batch means. */
export interface Totals {
  metrics: Map<AnalyticsMetric, AnalyticsStats>;
  batches: Array<{ n: number; tokens: number }>;
}

/**
 * A split's comparisons, one per candidate in version order, each against the baseline; and the
 * notes they call for: which route is the baseline when that is not plain (a tie, or several
 * candidates), and why a comparison reaches no verdict (no calls, too few). None below two routes.
 */
export function compareSplit(
  split: { routes: ReadonlyArray<{ version: string; weight: number }> } | undefined,
  versions: readonly VersionStatus[],
  groups: ReadonlyMap<string, Totals>,
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
    const why = noVerdict(a, b);
    if (why) notes.push(`no verdict for ${candidate} vs ${top.version}: ${why}`);
    // Too few calls for any verdict: said so, not "not different yet" beside a note saying there is none.
    const said = why && a.invocations > 0 && b.invocations > 0 ? `${candidate} vs ${top.version}: no verdict yet, too few calls (${callsOf(b, a, (v) => v.invocations)}): keep collecting` : undefined;
    return { baseline: top.version, candidate, tokens, errors, blocked, verdict: said ?? verdict(top.version, candidate, a, b, { tokens, errors, blocked }, candidates.length > 1) };
  });
  return { comparisons, notes };
}


/** "1 for 1.1.0, 3 for 1.0.0": each count named by its version, the candidate's first, as in "candidate vs baseline". */
function callsOf(candidate: VersionStatus, baseline: VersionStatus, count: (v: VersionStatus) => number): string {
  return `${count(candidate)} for ${candidate.version}, ${count(baseline)} for ${baseline.version}`;
}

/** Why a comparison cannot decide anything yet for want of calls; undefined when it can. */
function noVerdict(a: VersionStatus, b: VersionStatus): string | undefined {
  if (a.invocations === 0 && b.invocations === 0) return 'neither has had a call in the interval';
  if (a.invocations === 0 || b.invocations === 0) return `${(a.invocations === 0 ? a : b).version} has had no call in the interval`;
  // Even every call of one failing and none of the other would not stand out: the counts are too small.
  const [n1, n2] = [a.invocations, b.invocations];
  if (!rateDifference(0, n1, n2, n2).significant && !rateDifference(n1, n1, 0, n2).significant) {
    return `too few calls (${callsOf(b, a, (v) => v.invocations)}): not even every call of one failing and none of the other would stand out at 95 %, and tokens need ${MIN_CALLS} calls the model ran for each`;
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
  const va = tokenVariance(ga, a.tokens.calls);
  const vb = tokenVariance(gb, b.tokens.calls);
  if (!va || !vb) return null;
  const d = meanDifference(a.tokens.meanTotal, va.variance, a.tokens.calls, b.tokens.meanTotal, vb.variance, b.tokens.calls);
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
  d: Pick<SplitComparison, 'tokens' | 'errors' | 'blocked'>,
  several: boolean,
): string {
  if (a.invocations === 0 || b.invocations === 0) {
    const none = [a, b].filter((v) => v.invocations === 0).map((v) => v.version);
    return `no calls to ${none.join(' or ')} yet: nothing to compare`;
  }
  const { tokens, errors, blocked } = d;
  let tokenPart: string;
  const [na, nb] = [a.tokens?.calls ?? 0, b.tokens?.calls ?? 0];
  if (!tokens && na >= MIN_CALLS && nb >= MIN_CALLS) {
    tokenPart = `tokens not comparable yet (the target gives no min and max of tokens per call, and fewer than ${MIN_BATCHES} buckets hold calls)`;
  } else if (!tokens) tokenPart = `too few calls the model ran for to compare tokens (${callsOf(b, a, (v) => v.tokens?.calls ?? 0)}; ${MIN_CALLS} each needed)`;
  else if (tokens.significant) tokenPart = `${candidate} uses ${pct(Math.abs(tokens.relative.estimate))} ${tokens.estimate < 0 ? 'fewer' : 'more'} tokens`;
  else tokenPart = 'tokens not different yet';
  const errorPart = ratePart(errors, 'errors not comparable', 'errors not different yet', (higher) => `errors ${higher ? 'higher' : 'lower'}`);
  const blocks = blocked !== null && (a.blocked > 0 || b.blocked > 0);
  const blockPart = blocks ? ratePart(blocked, '', 'blocks not different yet', (higher) => `blocked ${higher ? 'more' : 'less'} often by safety filters`) : undefined;
  // A candidate whose callers get no answer more often, by errors or by blocks, is the worse one.
  const worse = [errors, blocks ? blocked : null].some((r) => r?.significant && r.estimate > 0);
  const undecided = !tokens?.significant || !errors?.significant || (blocks && !blocked!.significant);
  const back = several ? `${candidate}'s traffic` : 'traffic';
  const tail = worse ? `: consider routing ${back} back to ${baseline}` : undecided ? ': keep collecting' : '';
  const subject = tokens?.significant ? '' : `${candidate} vs ${baseline}: `;
  return `${subject}${[tokenPart, errorPart, ...(blockPart !== undefined ? [blockPart] : [])].join(', ')}${tail}`;
}

/** A rate difference in the verdict's words: "errors higher (8.7 % vs 1.0 %)", "… not different yet", or `none` without one. */
function ratePart(r: RateDifference | null, none: string, same: string, differs: (higher: boolean) => string): string {
  if (!r) return none;
  if (!r.significant) return same;
  return `${differs(r.estimate > 0)} (${pct(r.candidateRate)} vs ${pct(r.baselineRate)})`;
}
