// The pieces every `promptctl test` view shares (DESIGN §7): a test's runs grouped into cells
// (case × version) with their figures, its failures in words, and the report's summary phrases.
// Pure: the report in, strings and plain data out.
import type { AssertionOutcome, TestOutcome, TestReport, TestRun } from '../evals/types.js';
import { plural } from '../util/plural.js';
import { int, ms, usd } from './table.js';
import { unchecked, waiting } from './test-rate.js';

/** The runs of one test, grouped into table cells: one per case and version. */
export interface Cell {
  case: string;
  caseIndex: number;
  version: string;
  runs: TestRun[];
}

/** The version column of a call that got none: a routed or guide case that did not run, or failed before routing. */
export const NO_VERSION = '—';

/** The run's version, or NO_VERSION (versions are labels like 1.2.0: none is a dash). */
export function versionOf(r: TestRun): string {
  return r.requested ?? r.version ?? NO_VERSION;
}

/** " @1.1.0" after a case's name, or nothing for NO_VERSION; `show` escapes the label for the format. */
export function atVersion(version: string, show: (s: string) => string = (s) => s): string {
  return version === NO_VERSION ? '' : ` @${show(version)}`;
}

/**
 * Columns of a test's table: the versions asked for under --compare; otherwise the versions that
 * answered (a routed test may spread over several), NO_VERSION for a call that got no version.
 */
export function cells(t: TestOutcome): Cell[] {
  const out = new Map<string, Cell>();
  for (const r of t.runs) {
    const version = versionOf(r);
    const k = `${r.caseIndex}\u0000${version}`;
    let c = out.get(k);
    if (!c) out.set(k, (c = { case: r.case, caseIndex: r.caseIndex, version, runs: [] }));
    c.runs.push(r);
  }
  return [...out.values()];
}

export function mean(xs: number[]): number | undefined {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined;
}

export interface CellStats {
  passed: number;
  total: number;
  latency?: number;
  tokens?: number;
  tokensApprox: boolean;
  cost?: number;
  cached: number;
  outcome: string;
  /** Every run of the cell was not run: its target is not on the target yet. */
  notLive: boolean;
  /** Every run of the cell had nothing checked (--compare, routedTo alone): no pass, no failure. */
  notChecked: boolean;
}

/** A cell's figures (or a finished case's, for its progress line: the same counts). */
export function cellStats(c: { readonly runs: readonly TestRun[] }): CellStats {
  const answered = c.runs.filter((r) => r.observation.outcome === 'answered');
  const lat = mean(answered.map((r) => r.observation.latencyMs ?? r.observation.wallMs));
  // Tokens and cost are what the calls spent: a call blocked on its output was run and billed too
  // (its refusal says so), as status counts it; one blocked on its input spent nothing and says none.
  const spent = c.runs.filter((r) => r.observation.outcome !== 'error');
  const tok = mean(spent.filter((r) => r.observation.usage).map((r) => r.observation.usage!.totalTokens ?? r.observation.usage!.completionTokens));
  const cost = mean(spent.filter((r) => r.observation.costUsd !== undefined).map((r) => r.observation.costUsd!));
  const outcomes = [...new Set(c.runs.map((r) => (r.notRun ? 'not run' : r.notLive !== undefined ? 'not run (not on this target yet)' : r.notChecked !== undefined ? 'not checked' : r.observation.outcome)))];
  // A run with nothing checked is neither passed nor failed: not counted.
  const checked = c.runs.filter((r) => r.notChecked === undefined);
  return {
    passed: checked.filter((r) => r.passed).length,
    total: checked.length,
    ...(lat !== undefined ? { latency: lat } : {}),
    ...(tok !== undefined ? { tokens: tok } : {}),
    tokensApprox: spent.some((r) => r.observation.usageApproximate),
    ...(cost !== undefined ? { cost } : {}),
    cached: c.runs.filter((r) => r.cached).length,
    outcome: outcomes.filter((o) => o !== 'answered').join(', '),
    notLive: c.runs.length > 0 && c.runs.every((r) => r.notLive !== undefined),
    notChecked: c.runs.length > 0 && c.runs.every((r) => r.notChecked !== undefined),
  };
}

/** `contains "refund"`, `not blockedBy support-phishing-block`, `jsonSchema`. */
export function describeAssertion(a: Pick<AssertionOutcome, 'type' | 'not' | 'value'>): string {
  const v = a.value;
  let s: string;
  switch (a.type) {
    case 'contains':
    case 'notContains':
    case 'equals':
      s = `${a.type} ${JSON.stringify(v)}`;
      break;
    case 'regex':
      s = `regex /${String(v)}/`;
      break;
    case 'isJson':
    case 'jsonSchema':
      s = a.type;
      break;
    case 'maxCostUsd':
      s = `${a.type} ${usd(Number(v))}`;
      break;
    default:
      s = `${a.type} ${String(v)}`;
  }
  return a.not ? `not ${s}` : s;
}

/** What went wrong in failed runs, one entry per distinct problem with the runs it hit. */
export interface Failure {
  case: string;
  version: string;
  /** The failed runs' repetition numbers. */
  runs: number[];
  /** The runs those numbers count among: the case's (all of them, where the split routed them). */
  total: number;
  /** waiting: not run, its target is not on the target yet (an error under --require-live). */
  kind: 'failure' | 'error' | 'waiting';
  message: string;
}

export function failures(t: TestOutcome, requireLive = false): Failure[] {
  const out = new Map<string, Failure>();
  // A run's number counts its case's repetitions. Where the split routed them, a version's cell
  // holds some of them only: its failures are counted among all of the case's runs.
  const caseRuns = new Map<number, number>();
  for (const r of t.runs) caseRuns.set(r.caseIndex, (caseRuns.get(r.caseIndex) ?? 0) + 1);
  for (const c of cells(t)) {
    const total = c.runs.some((r) => r.requested === undefined) ? caseRuns.get(c.caseIndex)! : c.runs.length;
    for (const r of c.runs) {
      if (r.passed) continue;
      const problems: Array<{ kind: Failure['kind']; message: string }> =
        r.notRun !== undefined
          ? [{ kind: 'error', message: `not run: ${r.notRun}` }]
          : r.notLive !== undefined
            ? [{ kind: requireLive ? 'error' : 'waiting', message: `not run: ${r.notLive}` }]
          : r.observation.outcome === 'error'
            ? [{ kind: 'error', message: callError(r.observation.error) }]
            : r.assertions.filter((a) => !a.passed).map((a) => ({ kind: 'failure' as const, message: `${describeAssertion(a)}: ${a.detail}` }));
      for (const p of problems) {
        const k = `${c.caseIndex}\u0000${c.version}\u0000${p.message}`;
        const f = out.get(k) ?? { case: c.case, version: c.version, runs: [], total, kind: p.kind, message: p.message };
        f.runs.push(r.repetition);
        out.set(k, f);
      }
    }
  }
  return [...out.values()];
}

export function runsLabel(f: Failure): string {
  if (f.total === 1) return '';
  if (f.runs.length === f.total) return ` (all ${f.total} runs)`;
  return ` (run${f.runs.length === 1 ? '' : 's'} ${f.runs.sort((a, b) => a - b).join(', ')} of ${f.total})`;
}

export function cases(n: number): string {
  return `${int(n)} case${n === 1 ? '' : 's'}`;
}

/** What the pass rate left out: "2 cases not run", or under --require-live what failed the test. */
export function notLiveNote(t: TestOutcome, requireLive: boolean): string {
  if (!t.notLive) return '';
  if (requireLive) return ` (--require-live: ${cases(t.notLive)} not on this target)`;
  return waiting(t) ? '' : ` (${cases(t.notLive)} not run: not on this target yet)`;
}

/** The verdict after a test's pass rate: met, NOT met, not run (nothing could run yet), or not checked (nothing that ran was checked). */
export function verdictWord(t: TestOutcome, requireLive: boolean): 'met' | 'NOT met' | 'not run' | 'not checked' {
  if (!t.met) return 'NOT met';
  if (waiting(t) && !requireLive) return 'not run';
  return unchecked(t) ? 'not checked' : 'met';
}

/**
 * The count line for cases not run because their target is not on the target yet, or '' when
 * there is none: "2 cases not run: their versions are not on this target yet (apply them, then test)".
 */
export function notLiveLine(report: TestReport): string {
  const n = report.notLive ?? 0;
  if (n === 0) return '';
  const kinds = new Set(report.tests.filter((t) => t.notLive).map((t) => t.kind));
  const what = kinds.size > 1 ? 'version or guide' : kinds.has('guide') ? 'guide' : 'version';
  const line =
    n === 1
      ? `1 case not run: its ${what} is not on this target yet (apply it, then test)`
      : `${cases(n)} not run: their ${what.replace(/(version|guide)/g, '$1s')} are not on this target yet (apply them, then test)`;
  return report.requireLive ? `${line}; --require-live makes ${n === 1 ? 'it an error' : 'them errors'}` : line;
}

/** Interrupted: the cases of a test that did not run, in words ("3 cases did not run"). */
export function notRunPhrase(t: TestOutcome): string {
  const n = t.casesNotRun ?? 0;
  return `${plural(n, 'case')} did not run`;
}

/** Interrupted before any case of the test finished: what stands in for its results. */
export function interruptedBeforeAny(t: TestOutcome): string {
  return `not run: interrupted before any of its ${plural(t.casesNotRun ?? 0, 'case')} finished`;
}

/** Cases (per version asked for) of a test that finished: what its runs cover. */
export function casesFinished(t: TestOutcome): number {
  return new Set(t.runs.map((r) => `${r.caseIndex}\u0000${r.requested ?? ''}`)).size;
}

/** "2 of 3 tests met their threshold; 1 not run yet" (or "no test ran yet"): what the report's summary line starts with. */
export function tally(report: TestReport): string {
  if (report.tests.length === 0) return 'no PromptTest to run';
  // A test none of whose cases could run yet is counted apart (under --require-live it failed).
  const later = report.requireLive ? [] : report.tests.filter(waiting);
  // And a test nothing of which was checked (it met no threshold, it missed none).
  const blank = report.tests.filter((t) => !later.includes(t) && t.met && unchecked(t));
  const ran = report.tests.filter((t) => !later.includes(t) && !blank.includes(t));
  if (ran.length === 0 && later.length > 0 && blank.length === 0) return 'no test ran yet';
  if (ran.length === 0 && blank.length > 0) return `no test was checked${later.length ? `; ${later.length} not run yet` : ''}`;
  const met = ran.filter((t) => t.met).length;
  const rest = `${blank.length ? `; ${blank.length} not checked` : ''}${later.length ? `; ${later.length} not run yet` : ''}`;
  return `${met} of ${plural(ran.length, 'test')} met ${ran.length === 1 ? 'its' : 'their'} threshold${rest}`;
}

/** "interrupted, 3 of 12 cases finished, 9 did not run" (the report is interrupted). */
export function interruptedPhrase(i: NonNullable<TestReport['interrupted']>): string {
  const all = i.casesFinished + i.casesNotRun;
  return `${i.casesFinished} of ${plural(all, 'case')} finished, ${i.casesNotRun} did not run`;
}

export function callsLine(report: TestReport): string {
  const made = `${int(report.invocations)} call${report.invocations === 1 ? '' : 's'} made`;
  return report.cached > 0 ? `${made}, ${int(report.cached)} answered from the cache` : made;
}

export function statCells(s: CellStats): string[] {
  return [
    s.latency !== undefined ? ms(s.latency) : '—',
    s.tokens !== undefined ? `${s.tokensApprox ? '≈' : ''}${int(s.tokens)}` : '—',
    s.cost !== undefined ? usd(s.cost) : '—',
  ];
}

/**
 * A failed call in a failure's words: its HTTP status (where the server answered one: a transport
 * failure has none), its code, and what was said. The status told a 500 from a 503 (a review).
 */
function callError(e: { status?: number; code?: string; message?: string } | undefined): string {
  const code = e?.code ?? 'error';
  const message = e?.message ?? 'the call failed';
  // Not twice: a message of promptctl's own may name them already ("… (403 missing.any.permissions)").
  const status = typeof e?.status === 'number' && e.status > 0 && !message.includes(`${e.status} ${code}`) ? `${e.status} ` : '';
  return `${status}${code}: ${message}`;
}
