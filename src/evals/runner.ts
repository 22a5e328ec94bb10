// The PromptTest runner (DESIGN §7): makes the planned calls (render.ts) concurrently through a
// bounded pool, each by calls.ts, answers what it can from the results cache, checks each call's
// assertions (assertions.ts) and sums the pass rates against the thresholds. The target's clients
// are passed in (types only here): the gateway's `invoke` for templates, AI Studio's session turns
// for guides. A refusal is a result (blocked, or an error the report shows); only a failure of
// the target itself (unreachable, bad credentials) stops the run.
import type { AiStudioApi } from '../targets/aistudio/api.js';
import type { GatewayRuntimeApi } from '../targets/llmgateway/api.js';
import { invokeTemplate, requestsOf, turnGuide, type GuideLookup } from './calls.js';
import { createSchemaCache, evaluate, type AssertionContext, type SchemaCache } from './assertions.js';
import type { ResultCache } from './cache.js';
import type { EncodingName } from '../tokens/count.js';
import { pool } from './pool.js';
import { cannedAsReported, ownAnswerDigests } from './responses.js';
import type { PlannedCall, PlannedTest } from './render.js';
import type { AssertionOutcome, CaseDone, Observation, PassRate, TestOutcome, TestReport, TestRun } from './types.js';
import type { Assertion, JsonValue } from '../model/types.js';
import { byCodeUnits } from '../util/compare.js';

export type { CaseDone } from './types.js';

/** Calls in flight at once, by default. */
export const DEFAULT_CONCURRENCY = 8;

export interface RunnerDeps {
  gateway: Pick<GatewayRuntimeApi, 'invoke'>;
  /** Needed only when a test targets a guide. */
  guides?: Pick<AiStudioApi, 'listGuides' | 'sessionTurn'>;
  cache: ResultCache;
  concurrency?: number;
  /** Output tokens of a guide's answer (a guide turn reports no usage), with the guide's model's encoding: approximate. */
  countTokens(text: string, encoding: EncodingName): number;
  /** Milliseconds, for wall time (default performance.now). */
  clock?: () => number;
  /** The language guide turns are sent in (default en-US). */
  languageCode?: string;
  onCaseDone?(e: CaseDone): void;
  /**
   * The user's interrupt: once aborted, no call starts, the calls in flight are cut off (nothing
   * of theirs is cached), and the report holds the cases that had finished (`interrupted`), and
   * those that make no call (not live, not run as written, in the cache), which are reported all the same.
   */
  signal?: AbortSignal;
  /**
   * Masks secret values (the run's credentials) in a text: every observation and assertion is
   * reported masked, and an answer it changed is never cached, so none is saved or printed.
   */
  mask?(text: string): string;
  /**
   * The target is the embedded emulator: a guide session's turns name the test they are made for
   * too (a gateway call always does), so that test's own `responses:` answer it before the other
   * tests'. Never set for another target.
   */
  namesTests?: boolean;
  /**
   * false (--no-cache): every call is made, an identical one too. Otherwise a call identical to
   * one already made this run (same key) waits for that one's answer and is counted as cached,
   * as the cache would answer it: how many calls are made does not hang on which finishes first.
   */
  sharesIdenticalCalls?: boolean;
  /**
   * What a call's error on what the target lacks (not found, not published) tells the user to run:
   * "run `promptctl apply --env staging` first", with the run's --env and --dir, so the command
   * copied as written applies to the target tested (default: the plain `promptctl apply`).
   */
  applyFirst?: string;
}

export async function runTests(planned: readonly PlannedTest[], deps: RunnerDeps, meta: { target: string; compare?: [string, string]; requireLive?: boolean }): Promise<TestReport> {
  const clock = deps.clock ?? (() => performance.now());
  const started = clock();
  const schemas = createSchemaCache();
  const guides = new Map<string, Promise<GuideLookup>>();
  // Each run's call key: the draws a split made are told apart from the results that repeat one.
  const callKeys = new WeakMap<TestRun, string>();
  const owned = new Map<PlannedTest, ReadonlySet<string>>();
  const ownAnswers = (p: PlannedTest): ReadonlySet<string> => {
    let own = owned.get(p);
    if (!own) owned.set(p, (own = ownAnswerDigests(p.test)));
    return own;
  };

  const jobs = planned.filter((p) => !p.skip).flatMap((p) => p.calls.map((call) => ({ p, call })));
  // Progress is per case (per version asked for): when its last repetition finishes.
  const groupKey = (p: PlannedTest, c: PlannedCall): string => `${p.test.name}\u0000${c.caseIndex}\u0000${c.requested ?? ''}`;
  const remaining = new Map<string, TestRun[]>();
  const sizes = new Map<string, number>();
  for (const { p, call } of jobs) sizes.set(groupKey(p, call), (sizes.get(groupKey(p, call)) ?? 0) + 1);
  let casesDone = 0;
  let invocations = 0;
  let cachedCalls = 0;
  let cutOff = 0;

  const { signal } = deps;
  // The first call of each key this run: its answer, or undefined when it gave none to share (an
  // error, which is never cached, or a call cut off); the identical calls after it wait for it.
  const firstCalls = new Map<string, Promise<Observation | undefined>>();
  const shares = deps.sharesIdenticalCalls !== false;
  /** One call made: its observation as it came (cached unless a credential was in it); undefined when the interrupt cut it off. */
  const makeCall = async (test: string, call: PlannedCall): Promise<Observation | undefined> => {
    // Counted as each request goes out: a guide case's every turn, and none for a guide its lookup did not find.
    let sent = 0;
    const onSent = (): void => {
      sent++;
    };
    let obs: Observation;
    try {
      obs = call.call.kind === 'template' ? await invokeTemplate(deps, test, call, clock, onSent) : await turnGuide(deps, test, call, clock, guides, onSent);
    } catch (err) {
      // Cut off by the interrupt: no result, so nothing is cached or reported for it. The request
      // in flight (the last one sent) is cut off; a guide's turns answered before it were made.
      if (signal?.aborted) {
        invocations += Math.max(0, sent - 1);
        if (sent > 0) cutOff++;
        return undefined;
      }
      throw err;
    }
    invocations += sent;
    // Judged as it came (an assertion that the answer never holds a secret must see it) and masked
    // for the report after (judged below). An answer a secret was masked in is never kept, so the
    // cache holds no secret, and a cached run judges what a fresh call would.
    if (!call.uncached && shownAs(obs, deps.mask) === obs) await deps.cache.set(call.key, obs);
    return obs;
  };
  const runs = await pool(jobs, deps.concurrency ?? DEFAULT_CONCURRENCY, async ({ p, call }) => {
    // Interrupted: no call that has not started starts (below, after the cache). A case that makes
    // none (not on the target yet, not sendable as written, answered by the cache) is known
    // already: it is reported all the same.
    let cached = false;
    let obs: Observation | undefined;
    if (call.notRun === undefined && call.notLive !== undefined) {
      // Not on the target yet: no call, nothing cached (the case runs once it is applied).
      obs = { outcome: 'error', output: '', wallMs: 0, filters: [], error: { status: 0, code: 'not.live', message: call.notLive } };
    } else if (call.notRun === undefined) {
      obs = call.uncached ? undefined : await deps.cache.get(call.key);
      const first = shares && !call.uncached && !obs ? firstCalls.get(call.key) : undefined;
      if (first) obs = await first;
      if (obs) {
        cached = true;
        // In the tally's unit: the requests the cache spared (a guide case's every turn).
        cachedCalls += requestsOf(call);
      } else {
        if (signal?.aborted) return undefined;
        const made = makeCall(p.test.name, call);
        if (shares && !call.uncached) {
          firstCalls.set(
            call.key,
            made.then((o) => (o?.outcome === 'error' ? undefined : o), () => undefined),
          );
        }
        obs = await made;
        if (!obs) return undefined;
      }
    } else {
      obs = { outcome: 'error', output: '', wallMs: 0, filters: [], error: { status: 0, code: 'not.run', message: call.notRun } };
    }
    const judged = judge(call, obs, shownAs(obs, deps.mask), cached, schemas, meta.compare !== undefined, deps.mask);
    const run = { ...judged, observation: withCannedAsReported(judged.observation, p.test.name, ownAnswers(p)) };
    const k = groupKey(p, call);
    const list = remaining.get(k) ?? [];
    list.push(run);
    remaining.set(k, list);
    if (list.length === sizes.get(k)) {
      casesDone++;
      deps.onCaseDone?.({
        test: p.test.name,
        case: call.case.name,
        ...(call.requested !== undefined ? { version: call.requested } : {}),
        runs: [...list].sort((a, b) => a.repetition - b.repetition),
        done: casesDone,
        of: sizes.size,
      });
    }
    callKeys.set(run, call.key);
    return { test: p.test.name, key: k, run };
  });

  // A case is reported once all its repetitions have finished. After an interrupt, the runs of a
  // case cut short are left out (those that completed are cached all the same).
  const finished = (k: string): boolean => remaining.get(k)?.length === sizes.get(k);
  const unfinished = new Map<string, number>();
  for (const [k] of sizes) {
    if (finished(k)) continue;
    const test = k.slice(0, k.indexOf('\u0000'));
    unfinished.set(test, (unfinished.get(test) ?? 0) + 1);
  }
  const done = runs.filter((r): r is NonNullable<typeof r> => r !== undefined && finished(r.key));
  const tests = planned
    .filter((p) => !p.skip)
    .map((p) => outcome(p, done.filter((r) => r.test === p.test.name).map((r) => r.run), unfinished.get(p.test.name) ?? 0, meta.requireLive === true, (r) => callKeys.get(r) ?? ''));
  const notRun = sizes.size - casesDone;
  const notLive = tests.reduce((n, t) => n + (t.notLive ?? 0), 0);
  return {
    target: meta.target,
    tests,
    ...(meta.compare ? { compare: meta.compare } : {}),
    invocations,
    cached: cachedCalls,
    ...(notLive > 0 ? { notLive } : {}),
    ...(meta.requireLive ? { requireLive: true as const } : {}),
    ok: notRun === 0 && tests.every((t) => t.met),
    durationMs: Math.round(clock() - started),
    ...(notRun > 0 ? { interrupted: { casesFinished: casesDone, casesNotRun: notRun, callsCutOff: cutOff } } : {}),
  };
}

/** `obs` with `mask` applied to every text the target sent back (the answer, a block's or an error's message). */
export function maskObservation(obs: Observation, mask: (text: string) => string): Observation {
  const out: Observation = { ...obs, output: mask(obs.output) };
  if (obs.blocked) out.blocked = { ...obs.blocked, message: mask(obs.blocked.message) };
  if (obs.error) out.error = { ...obs.error, message: mask(obs.error.message) };
  return out;
}

/**
 * What the report shows of an answer: with the run's credentials masked, or the answer itself
 * (the same object) when none is in it, which is also what may be cached.
 */
function shownAs(obs: Observation, mask: ((text: string) => string) | undefined): Observation {
  if (!mask) return obs;
  const m = maskObservation(obs, mask);
  return m.output === obs.output && m.blocked?.message === obs.blocked?.message && m.error?.message === obs.error?.message ? obs : m;
}

/**
 * The observation as a test's run reports it: `canned` only where another test's response (or a
 * responses file's) answered, never the digest that tells them apart (responses.ts cannedAsReported).
 */
function withCannedAsReported(obs: Observation, test: string, own: ReadonlySet<string>): Observation {
  if (obs.canned === undefined) return obs;
  const { canned, ...rest } = obs;
  const said = cannedAsReported(canned, test, own);
  return said ? { ...rest, canned: said } : rest;
}

/** A JSON value with `mask` applied to every string in it. */
function maskJson(v: JsonValue, mask: (text: string) => string): JsonValue {
  if (typeof v === 'string') return mask(v);
  if (Array.isArray(v)) return v.map((x) => maskJson(x, mask));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskJson(x, mask)]));
  return v;
}

/**
 * One assertion on the answer as it came (`obs`), said as the report shows the answer (`shown`,
 * credentials masked): what it saw is described on the masked text, so no excerpt holds a part of
 * a credential; where masking would change the verdict, the detail says the answer as it came decided.
 */
function judgeOne(a: Assertion, obs: Observation, shown: Observation, ctx: AssertionContext, mask: ((text: string) => string) | undefined): AssertionOutcome {
  const outcome = evaluate(a, obs, ctx);
  // The value as the report shows it (a test file that names a credential prints it masked).
  if (mask) outcome.value = maskJson(outcome.value, mask);
  if (shown === obs) return outcome;
  const seen = evaluate(a, shown, ctx);
  const detail =
    seen.passed === outcome.passed
      ? seen.detail
      : `${outcome.passed ? 'passed' : 'failed'} on the answer as it came, which held a credential this report masks (on the masked answer it would have ${seen.passed ? 'passed' : 'failed'}: ${seen.detail})`;
  return { ...outcome, detail };
}

/** Why a --compare call of a case that asserts only routedTo is not checked. */
export const ROUTED_TO_ONLY = 'routedTo is its only assertion, and --compare does not check it (each call names its version)';

function judge(call: PlannedCall, obs: Observation, shown: Observation, cached: boolean, schemas: SchemaCache, comparing: boolean, mask: ((text: string) => string) | undefined): TestRun {
  const expect = comparing ? call.case.expect.filter((a) => a.type !== 'routedTo') : call.case.expect;
  const made = call.notRun === undefined && call.notLive === undefined;
  const ctx = { inputs: call.inputs, schemas };
  const assertions = made ? expect.map((a) => judgeOne(a, obs, shown, ctx, mask)) : [];
  // An answer with nothing to check it by is no pass (a call that failed is still an error).
  const notChecked = made && expect.length === 0 && obs.outcome !== 'error' ? ROUTED_TO_ONLY : undefined;
  const version = obs.version ?? call.requested;
  return {
    case: call.case.name,
    caseIndex: call.caseIndex,
    ...(call.requested !== undefined ? { requested: call.requested } : {}),
    ...(version !== undefined ? { version } : {}),
    repetition: call.repetition,
    cached,
    ...(call.notRun !== undefined ? { notRun: call.notRun } : call.notLive !== undefined ? { notLive: call.notLive } : {}),
    ...(notChecked !== undefined ? { notChecked } : {}),
    observation: shown,
    assertions,
    passed: notChecked === undefined && obs.outcome !== 'error' && assertions.every((a) => a.passed),
  };
}

/** The pass rate of the runs that ran and were checked: a case not on the target yet, or with nothing checked, is left out. */
function rate(all: readonly TestRun[], threshold: number, version?: string): PassRate {
  const runs = all.filter((r) => r.notLive === undefined && r.notChecked === undefined);
  const passed = runs.filter((r) => r.passed).length;
  const total = runs.length;
  const r = total === 0 ? 0 : passed / total;
  // Exact, up to floating-point noise: 2 of 3 meets 0.66, not 0.67.
  return { ...(version !== undefined ? { version } : {}), passed, total, rate: r, met: total === 0 || r >= threshold - 1e-9 };
}

/**
 * Through a split, each call's version is the split's draw: a version with a small weight may
 * answer none of a test's calls, and pass or fail as no version of it ran (a review: a 10 % route
 * was untested in 3 runs of 6, and the cache kept the first draw). Said, with the way to test it:
 * counted in draws, not runs (a result the cache or a shared call answered repeats a draw), and
 * for a sticky split whose every case gives its key, not by repeating (each key lands on one version).
 */
function untested(p: PlannedTest, runs: readonly TestRun[], keyOf: (r: TestRun) => string): string[] {
  if (!p.routedBy || p.versions) return [];
  const answered = runs.filter((r) => r.version !== undefined);
  if (answered.length === 0) return [];
  const seen = new Set(answered.map((r) => r.version));
  const missing = p.routedBy.filter((r) => r.weight > 0 && !seen.has(r.version));
  if (missing.length === 0) return [];
  const one = missing.length === 1;
  const which = missing.map((r) => `${r.version} (${r.weight} %)`).join(' and ');
  const n = draws(answered, keyOf);
  const calls = `${n} call${n === 1 ? '' : 's'}`;
  return [`${which} answered none of the ${calls} the split routed: ${one ? 'it was' : 'they were'} not tested (${howToTest(p.sticky, one)})`];
}

/**
 * The split's draws among `runs`: each call made, and once each a call not made this run whose
 * result the cache (or an identical call) gave: repeated, it is the same draw, not another.
 */
function draws(runs: readonly TestRun[], keyOf: (r: TestRun) => string): number {
  const made = runs.filter((r) => !r.cached);
  const madeKeys = new Set(made.map(keyOf));
  const earlier = new Set(runs.filter((r) => r.cached && !madeKeys.has(keyOf(r))).map(keyOf));
  return made.length + earlier.size;
}

/** What tests a version the split routed none of a test's calls to: repeat draws again only where no sticky key decides. */
function howToTest(sticky: PlannedTest['sticky'], one: boolean): string {
  const pin = `pin target.version to test ${one ? 'it' : 'each'}`;
  // No case gives the key: each call is drawn at random, as through a random split.
  if (!sticky?.key || sticky.keyed === 'none') return `raise repeat, or ${pin}`;
  const others = `add cases with other ${sticky.key} values`;
  if (sticky.keyed === 'every') return `the split is sticky on ${sticky.key}, which sends a case's ${sticky.key} to the same version on every call, so raising repeat cannot help: ${others}, or ${pin}`;
  return `the split is sticky on ${sticky.key}: raising repeat draws again only for the cases that give no ${sticky.key}; ${others}, or ${pin}`;
}

/**
 * Calls the emulator answered with another test's canned response (its `responses:` stand in where
 * a test gives none): their text, tokens and cost are that response's, not the simulator's (a
 * review: a --compare column read 11× cheaper because another test's fixture answered it). Only
 * those the test's own responses would not have given (`withCannedAsReported`): a call shared with
 * a test that gives the same answer is answered as its own. An emulator's own responses file
 * answers by the choice of whoever started it: not said.
 */
function cannedElsewhere(p: PlannedTest, runs: readonly TestRun[]): string[] {
  const by = new Map<string, number>();
  for (const r of runs) {
    const other = r.observation.canned?.test;
    if (other === undefined || other === p.test.name) continue;
    by.set(other, (by.get(other) ?? 0) + 1);
  }
  return [...by].map(([test, n]) => `${n} of its calls ${n === 1 ? 'was' : 'were'} answered by a canned response of PromptTest ${test}'s responses, not its own: ${n === 1 ? 'its' : 'their'} output, tokens and cost are that response's`);
}

function outcome(p: PlannedTest, runs: TestRun[], unfinished: number, requireLive: boolean, keyOf: (r: TestRun) => string): TestOutcome {
  runs.sort((a, b) => a.caseIndex - b.caseIndex || byCodeUnits(a.requested ?? '', b.requested ?? '') || a.repetition - b.repetition);
  if (p.versions) runs.sort((a, b) => p.versions!.indexOf(a.requested ?? '') - p.versions!.indexOf(b.requested ?? '') || a.caseIndex - b.caseIndex || a.repetition - b.repetition);
  const whole = rate(runs, p.threshold);
  const byVersion = p.versions ? p.versions.map((v) => rate(runs.filter((r) => r.requested === v), p.threshold, v)) : [];
  const t = p.test;
  // Counted per case and version asked for, as the report's cells are.
  const notLive = new Set(runs.filter((r) => r.notLive !== undefined).map((r) => `${r.caseIndex}\u0000${r.requested ?? ''}`)).size;
  const rated = p.versions ? byVersion.every((b) => b.met) : whole.met;
  // Each run placed at its case's line, as validate places a case's problems (read only here, once a run is done).
  for (const r of runs) {
    const at = t.locations[`spec.cases.${r.caseIndex}`] ?? t.locations[`spec.cases.${r.caseIndex}.name`];
    if (at && at.file === t.source.file) r.line = at.line;
  }
  return {
    name: t.name,
    address: `PromptTest/${t.name}`,
    target: p.target,
    kind: p.kind,
    threshold: p.threshold,
    repeat: p.repeat,
    runs,
    rate: whole,
    byVersion,
    // Cases that did not run (an interrupt) leave the threshold unchecked: never met.
    met: unfinished === 0 && rated && !(requireLive && notLive > 0),
    ...(notLive > 0 ? { notLive } : {}),
    notes: [...p.notes, ...untested(p, runs, keyOf), ...cannedElsewhere(p, runs)],
    source: `${t.source.file}:${t.source.line}`,
    ...(unfinished > 0 ? { casesNotRun: unfinished } : {}),
  };
}
