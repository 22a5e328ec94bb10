// What `promptctl test` finds (DESIGN §7) and what `promptctl status` reports: plain data the
// views render. The runner (runner.ts) fills the test results; stats.ts the status report.
import type { AssertionType, JsonValue } from '../model/types.js';

/** One safety filter's verdict on a call, as the gateway reports it. */
export interface ObservedFilter {
  name: string;
  category: string;
  score: number;
  action: string;
  applied: boolean;
}

/**
 * What one call did: answered (an output), blocked (refused by a block_and_log filter) or error
 * (any other refusal, or a call that never got an answer). Cached as it is.
 */
export interface Observation {
  outcome: 'answered' | 'blocked' | 'error';
  /** The version that answered (a guide: the guide version's label); unknown when refused before routing. */
  version?: string;
  model?: string;
  /** The answer's text ('' when there is none). */
  output: string;
  finishReason?: string;
  /**
   * promptTokens and totalTokens are absent when the target does not say (a guide turn). A blocked
   * call has what its refusal says was spent (a block on the output: the model ran), else none.
   */
  usage?: { promptTokens?: number; completionTokens: number; totalTokens?: number };
  /** The token counts were made here (a guide turn reports none): approximate. */
  usageApproximate?: boolean;
  /** As usage: an answer's, or what a blocked call's refusal says it cost. */
  costUsd?: number;
  /** As the target reports it (the gateway's model latency); absent for guide turns. */
  latencyMs?: number;
  /** Measured by promptctl around the call. */
  wallMs: number;
  filters: ObservedFilter[];
  /** For outcome blocked: the filter that refused the call. */
  blocked?: { filter: string; category?: string; stage?: string; message: string };
  /** For outcome error (and blocked): what the target answered. */
  error?: { status: number; code: string; message: string };
  /**
   * The emulator answered from a canned response: a test's (`test`), or its responses file's;
   * `response` (as the call came, and in the cache): which one, util/canned-answer.ts's digest. A
   * run's observation in the report has it only when the answer is not one of the test's own
   * `responses:`, and never the digest.
   */
  canned?: { test?: string; response?: string };
}

/** One assertion checked against one call. */
export interface AssertionOutcome {
  type: AssertionType;
  not: boolean;
  value: JsonValue;
  passed: boolean;
  /** What was seen: why it failed, or a short confirmation. */
  detail: string;
}

/** One call of one case (one repetition, on one requested version). */
export interface TestRun {
  case: string;
  caseIndex: number;
  /** The line of its test's file where the case is written, when known: CI annotations are placed by file and line. */
  line?: number;
  /** The version the call asked for (pinned, or one side of --compare); undefined: the split routed it. */
  requested?: string;
  /** The version that answered, when known. */
  version?: string;
  /** 1-based. */
  repetition: number;
  /** The result came from .promptctl/cache/ (no call was made). */
  cached: boolean;
  /** The case could not be sent (e.g. a var the version does not declare): why. No call was made. */
  notRun?: string;
  /**
   * The case was not run: git defines what it targets and the target does not hold it yet (a
   * version before its apply): why. No call was made; the pass rate leaves it out (under
   * --require-live it fails the test instead).
   */
  notLive?: string;
  /**
   * The call was made and nothing of it was checked (under --compare, routedTo was the case's only
   * assertion): why. Not a pass (`passed` is false) and not a failure: the pass rate leaves it out.
   */
  notChecked?: string;
  observation: Observation;
  assertions: AssertionOutcome[];
  passed: boolean;
}

/** Pass rate of a test, or of one version's column under --compare. */
export interface PassRate {
  /** The requested version (--compare), undefined for the whole test. */
  version?: string;
  passed: number;
  total: number;
  /** passed / total; 0 when there was nothing to run. */
  rate: number;
  met: boolean;
}

export interface TestOutcome {
  /** metadata.name of the PromptTest. */
  name: string;
  address: string;
  /** Where the calls went, for people: "billing-assistant@1.1.0", "billing-assistant (traffic split)", "guide Returns assistant". */
  target: string;
  kind: 'template' | 'guide';
  threshold: number;
  repeat: number;
  runs: TestRun[];
  /** The whole test (every run). */
  rate: PassRate;
  /** Under --compare: one per version, in the order given. */
  byVersion: PassRate[];
  /** The test meets its threshold (under --compare: on every version); under --require-live, and no case is not live. */
  met: boolean;
  /** Cases (per version asked for) not run because their target is not live yet; absent when none. */
  notLive?: number;
  notes: string[];
  /** Where the test is defined (file:line). */
  source: string;
  /** Interrupted: cases (per version) of this test that did not finish, left out of `runs`; `met` is then false. */
  casesNotRun?: number;
}

/** Progress: one case (on one version asked for) has finished all its repetitions. */
export interface CaseDone {
  test: string;
  case: string;
  /** The version asked for (pinned or compared); undefined: routed. */
  version?: string;
  /**
   * Its runs, every repetition: the progress line counts them as the report's cell does (views'
   * `cellStats`: a run with nothing checked is no pass and no failure), so the two never disagree.
   */
  runs: readonly TestRun[];
  /** Cases (per version) finished so far, and in all. */
  done: number;
  of: number;
}

export interface TestReport {
  /** The target's label (never a secret). */
  target: string;
  tests: TestOutcome[];
  compare?: [string, string];
  /**
   * Calls sent (cache misses): gateway invocations and guide turns (a guide case of three user
   * messages sends three; one whose guide was not found sends none), less those an interrupt cut
   * off (`interrupted.callsCutOff`).
   */
  invocations: number;
  /** Calls answered from the cache instead, counted as `invocations` is (a cached guide case: its turns). */
  cached: number;
  /** Cases (per version asked for) not run because their target is not live yet; absent when none. */
  notLive?: number;
  /** --require-live: a case not run because its target is not live fails its test. */
  requireLive?: true;
  ok: boolean;
  durationMs: number;
  /**
   * The run was interrupted before every case finished: the report holds the finished cases only,
   * and `ok` is false (no threshold verdict is given for a test with cases missing).
   */
  interrupted?: {
    casesFinished: number;
    casesNotRun: number;
    /** Calls in flight when the interrupt came, cut off (not counted in `invocations`, nothing cached). */
    callsCutOff: number;
  };
}

// ---- status (DESIGN §4: per version, and a split's versions compared with its baseline) -------

export interface Interval95 {
  estimate: number;
  low: number;
  high: number;
}

export interface VersionStatus {
  /** null: calls refused before a version was chosen (unknown template, no published version). */
  version: string | null;
  invocations: number;
  /**
   * Of the template's invocations that reached a version (pinned ones included); null when it had
   * none in the interval, and for `version` null: calls refused before a version was chosen are in no share.
   */
  share: number | null;
  /** The live split's weight for this version (percent), when it has one. */
  weight?: number;
  errors: number;
  /** Of this version's invocations; null when it had none (no rate to speak of, not 0 %). */
  errorRate: number | null;
  blocked: number;
  blockedRate: number | null;
  /**
   * Invocations whose caller got an answer: neither refused (errors) nor blocked. A call whose
   * output a filter blocked reached the model but is blocked, not answered.
   */
  answered: number;
  /** Milliseconds; min and max when the target gives them, p50 and p95 when it answers the percentile query (promptctl's extension). */
  latencyMs: { mean: number; min?: number; max?: number; p50?: number; p95?: number } | null;
  /**
   * Over the `calls` the model ran for: those answered, and those whose output a filter then
   * blocked (their tokens were spent and billed all the same).
   */
  tokens: { calls: number; meanPrompt: number; meanCompletion: number; meanTotal: number; total: number } | null;
  costUsd: { total: number; mean: number } | null;
}

/** The difference of two rates, candidate minus baseline, with each rate (fractions 0..1) and whether its 95 % interval excludes 0. */
export type RateDifference = Interval95 & {
  baselineRate: number;
  candidateRate: number;
  /** Fisher's exact test, two-sided. */
  p: number;
  /** The interval excludes 0 and p < 0.05. */
  significant: boolean;
};

export interface SplitComparison {
  /** The incumbent: the route with the largest weight (of equal weights, the lower version). */
  baseline: string;
  /** Another routed version (weight above 0), compared with the baseline. */
  candidate: string;
  /** Mean tokens per call the model ran for, candidate minus baseline; null when a side has none. */
  tokens: (Interval95 & { relative: Interval95; method: string; significant: boolean }) | null;
  /**
   * Mean cost per call (the calls with a cost), candidate minus baseline, in US dollars (`relative`
   * a fraction of the baseline's), by the same interval as tokens; null when a side has too few.
   * Absent in a report made before it existed.
   */
  cost?: (Interval95 & { relative: Interval95; method: string; significant: boolean }) | null;
  /** The model each side runs (a version's own, else the template's), when status could read them; when they differ the verdict compares cost, not tokens. */
  models?: { baseline: string; candidate: string };
  /**
   * The side (its version) that takes the template's model, which was modified inside the interval:
   * which models its calls ran on is unknown (`models` is then absent), and the verdict says what
   * both tokens and cost per call show. Absent where the models are known.
   */
  modelsUnknown?: string[];
  /** Error rate, candidate minus baseline (Newcombe's hybrid score interval): refusals other than blocks. */
  errors: RateDifference | null;
  /**
   * Blocked rate (calls a block_and_log filter refused, on the input or the output), candidate
   * minus baseline, by the same interval: a blocked call's caller got no answer either, so it is
   * judged as errors are, beside them and not inside, so `errors` keeps its meaning.
   */
  blocked: RateDifference | null;
  verdict: string;
}

export interface TemplateStatus {
  template: string;
  templateId: string;
  /** The live split, when the template has one. */
  split?: { strategy: string; routes: Array<{ version: string; weight: number }> };
  /** The template had calls but is no longer on the target: named by its id, its split unknown. */
  gone?: true;
  invocations: number;
  versions: VersionStatus[];
  /** A split of exactly two routes (weight above 0): its one comparison, as `comparisons[0]`. */
  comparison?: SplitComparison;
  /** A split of two routes or more: each other routed version against the baseline, in version order. */
  comparisons?: SplitComparison[];
  /** Also which version is the baseline when that is not plain (a tie, several candidates), and why a comparison reaches no verdict. */
  notes: string[];
}

/**
 * How the calls `promptctl test` made are counted: left out (the default), counted
 * (--include-tests), or counted because the target cannot tell them apart.
 */
export type TestCalls = 'excluded' | 'included' | 'indistinguishable';

export interface StatusReport {
  target: string;
  /** start/end, ISO-8601. */
  interval: string;
  since: string;
  testCalls?: TestCalls;
  templates: TemplateStatus[];
  /** How the numbers were computed, said once. */
  method: string[];
}
