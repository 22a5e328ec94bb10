// `promptctl test` results (DESIGN §7) as text, markdown (one pull-request comment section) and
// JSON, and the pieces JUnit XML shares (test-junit.ts). Pure: the report in, a string out.
import type { AssertionOutcome, CaseDone, TestOutcome, TestReport, TestRun } from '../evals/types.js';
import { escapeTestCode, escapeTestMarkdown as escapeMd, visibleName } from '../util/escapes.js';
import { plural } from '../util/plural.js';
import { plain, type Style } from './style.js';
import { alignColumns, int, ms, usd } from './table.js';
import { passRate, rateLine, thresholdPercent, waiting } from './test-rate.js';

// ---- shared ----------------------------------------------------------------------------------

/** The runs of one test, grouped into table cells: one per case and version. */
interface Cell {
  case: string;
  caseIndex: number;
  version: string;
  runs: TestRun[];
}

/**
 * Columns of a test's table: the versions asked for under --compare; otherwise the versions that
 * answered (a routed test may spread over several), "?" for a call that got no version.
 */
function cells(t: TestOutcome): Cell[] {
  const out = new Map<string, Cell>();
  for (const r of t.runs) {
    const version = r.requested ?? r.version ?? '?';
    const k = `${r.caseIndex}\u0000${version}`;
    let c = out.get(k);
    if (!c) out.set(k, (c = { case: r.case, caseIndex: r.caseIndex, version, runs: [] }));
    c.runs.push(r);
  }
  return [...out.values()];
}

function mean(xs: number[]): number | undefined {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined;
}

interface CellStats {
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
}

function cellStats(c: Cell): CellStats {
  const answered = c.runs.filter((r) => r.observation.outcome === 'answered');
  const lat = mean(answered.map((r) => r.observation.latencyMs ?? r.observation.wallMs));
  const tok = mean(answered.filter((r) => r.observation.usage).map((r) => r.observation.usage!.totalTokens ?? r.observation.usage!.completionTokens));
  const cost = mean(answered.filter((r) => r.observation.costUsd !== undefined).map((r) => r.observation.costUsd!));
  const outcomes = [...new Set(c.runs.map((r) => (r.notRun ? 'not run' : r.notLive !== undefined ? 'not run (not on this target yet)' : r.observation.outcome)))];
  return {
    passed: c.runs.filter((r) => r.passed).length,
    total: c.runs.length,
    ...(lat !== undefined ? { latency: lat } : {}),
    ...(tok !== undefined ? { tokens: tok } : {}),
    tokensApprox: answered.some((r) => r.observation.usageApproximate),
    ...(cost !== undefined ? { cost } : {}),
    cached: c.runs.filter((r) => r.cached).length,
    outcome: outcomes.filter((o) => o !== 'answered').join(', '),
    notLive: c.runs.length > 0 && c.runs.every((r) => r.notLive !== undefined),
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
interface Failure {
  case: string;
  version: string;
  runs: number[];
  total: number;
  /** waiting: not run, its target is not on the target yet (an error under --require-live). */
  kind: 'failure' | 'error' | 'waiting';
  message: string;
}

function failures(t: TestOutcome, requireLive = false): Failure[] {
  const out = new Map<string, Failure>();
  for (const c of cells(t)) {
    for (const r of c.runs) {
      if (r.passed) continue;
      const problems: Array<{ kind: Failure['kind']; message: string }> =
        r.notRun !== undefined
          ? [{ kind: 'error', message: `not run: ${r.notRun}` }]
          : r.notLive !== undefined
            ? [{ kind: requireLive ? 'error' : 'waiting', message: `not run: ${r.notLive}` }]
          : r.observation.outcome === 'error'
            ? [{ kind: 'error', message: `${r.observation.error?.code ?? 'error'}: ${r.observation.error?.message ?? 'the call failed'}` }]
            : r.assertions.filter((a) => !a.passed).map((a) => ({ kind: 'failure' as const, message: `${describeAssertion(a)}: ${a.detail}` }));
      for (const p of problems) {
        const k = `${c.caseIndex}\u0000${c.version}\u0000${p.message}`;
        const f = out.get(k) ?? { case: c.case, version: c.version, runs: [], total: c.runs.length, kind: p.kind, message: p.message };
        f.runs.push(r.repetition);
        out.set(k, f);
      }
    }
  }
  return [...out.values()];
}

function runsLabel(f: Failure): string {
  if (f.total === 1) return '';
  if (f.runs.length === f.total) return ` (all ${f.total} runs)`;
  return ` (run${f.runs.length === 1 ? '' : 's'} ${f.runs.sort((a, b) => a - b).join(', ')} of ${f.total})`;
}

function cases(n: number): string {
  return `${int(n)} case${n === 1 ? '' : 's'}`;
}

/** What the pass rate left out: "2 cases not run", or under --require-live what failed the test. */
function notLiveNote(t: TestOutcome, requireLive: boolean): string {
  if (!t.notLive) return '';
  if (requireLive) return ` (--require-live: ${cases(t.notLive)} not on this target)`;
  return waiting(t) ? '' : ` (${cases(t.notLive)} not run: not on this target yet)`;
}

/** The verdict after a test's pass rate: met, NOT met, or not run (nothing could run yet). */
function verdictWord(t: TestOutcome, requireLive: boolean): 'met' | 'NOT met' | 'not run' {
  if (!t.met) return 'NOT met';
  return waiting(t) && !requireLive ? 'not run' : 'met';
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
function notRunPhrase(t: TestOutcome): string {
  const n = t.casesNotRun ?? 0;
  return `${plural(n, 'case')} did not run`;
}

/** Interrupted before any case of the test finished: what stands in for its results. */
function interruptedBeforeAny(t: TestOutcome): string {
  return `not run: interrupted before any of its ${plural(t.casesNotRun ?? 0, 'case')} finished`;
}

/** Cases (per version asked for) of a test that finished: what its runs cover. */
export function casesFinished(t: TestOutcome): number {
  return new Set(t.runs.map((r) => `${r.caseIndex}\u0000${r.requested ?? ''}`)).size;
}

/** "2 of 3 tests met their threshold; 1 not run yet" (or "no test ran yet"): what the report's summary line starts with. */
export function tally(report: TestReport): string {
  // A test none of whose cases could run yet is counted apart (under --require-live it failed).
  const later = report.requireLive ? [] : report.tests.filter(waiting);
  const ran = report.tests.filter((t) => !later.includes(t));
  if (ran.length === 0 && later.length > 0) return 'no test ran yet';
  const met = ran.filter((t) => t.met).length;
  const rest = later.length ? `; ${later.length} not run yet` : '';
  return `${met} of ${plural(ran.length, 'test')} met ${ran.length === 1 ? 'its' : 'their'} threshold${rest}`;
}

/** "interrupted, 3 of 12 cases finished, 9 did not run" (the report is interrupted). */
export function interruptedPhrase(i: NonNullable<TestReport['interrupted']>): string {
  const all = i.casesFinished + i.casesNotRun;
  return `${i.casesFinished} of ${plural(all, 'case')} finished, ${i.casesNotRun} did not run`;
}

function callsLine(report: TestReport): string {
  const made = `${int(report.invocations)} call${report.invocations === 1 ? '' : 's'} made`;
  return report.cached > 0 ? `${made}, ${int(report.cached)} answered from the cache` : made;
}

// ---- progress (stderr) -----------------------------------------------------------------------

/** One line per finished case: "✓ billing-smoke · refund timing @1.1.0: 3/3 passed (2 cached) [4/9]". */
export function testProgressLine(done: CaseDone, style: Style = plain): string {
  // Names come from YAML: a control character in one must not reach the terminal.
  const e = { ...done, test: visibleName(done.test), case: visibleName(done.case), ...(done.version !== undefined ? { version: visibleName(done.version) } : {}) };
  if (e.notLive) return `– ${e.test} · ${e.case}${e.version !== undefined ? ` @${e.version}` : ''}: not run (not on this target yet) [${e.done}/${e.of}]`;
  const ok = e.passed === e.total;
  const mark = ok ? style('green', '✓') : style('red', '✗');
  const cached = e.cached === 0 ? '' : e.cached === e.total ? ' (cached)' : ` (${e.cached} cached)`;
  return `${mark} ${e.test} · ${e.case}${e.version !== undefined ? ` @${e.version}` : ''}: ${e.passed}/${e.total} passed${cached} [${e.done}/${e.of}]`;
}

// ---- text ------------------------------------------------------------------------------------

function resultCell(s: CellStats, style: Style, requireLive = false): string {
  if (s.notLive) return `${requireLive ? style('red', '✗') : '–'} not run (not on this target yet)`;
  const ok = s.passed === s.total;
  const mark = ok ? style('green', '✓') : style('red', '✗');
  const count = s.total > 1 || !ok ? ` ${s.passed}/${s.total}` : '';
  const word = ok ? 'pass' : 'fail';
  return `${mark} ${word}${count}${s.outcome ? ` (${s.outcome})` : ''}`;
}

function statCells(s: CellStats): string[] {
  return [
    s.latency !== undefined ? ms(s.latency) : '—',
    s.tokens !== undefined ? `${s.tokensApprox ? '≈' : ''}${int(s.tokens)}` : '—',
    s.cost !== undefined ? usd(s.cost) : '—',
  ];
}

export function renderTestText(report: TestReport, style: Style = plain): string {
  const lines: string[] = [];
  const strict = report.requireLive === true;
  for (const t of report.tests) {
    const word = verdictWord(t, strict);
    const verdict = t.casesNotRun
      ? style('yellow', `not checked (${notRunPhrase(t)})`)
      : (word === 'met' ? style('green', word) : word === 'not run' ? style('yellow', word) : style('red', word)) + notLiveNote(t, strict);
    lines.push(`${style('bold', visibleName(t.address))} → ${visibleName(t.target)}`);
    if (t.casesNotRun && t.runs.length === 0) {
      lines.push(`  ${style('yellow', interruptedBeforeAny(t))}`, '');
      continue;
    }
    const cs = cells(t);
    if (t.byVersion.length === 2) {
      const [a, b] = t.byVersion.map((x) => x.version!) as [string, string];
      const cases = [...new Map(cs.map((c) => [c.caseIndex, c.case])).entries()].sort(([x], [y]) => x - y);
      const cellText = (c: Cell | undefined): string => {
        if (!c) return '—';
        const s = cellStats(c);
        return [resultCell(s, style, strict), ...statCells(s)].join(' · ');
      };
      const rows = cases.map(([i, name]) => [visibleName(name), cellText(cs.find((c) => c.caseIndex === i && c.version === a)), cellText(cs.find((c) => c.caseIndex === i && c.version === b))]);
      lines.push(...alignColumns(['case', a, b], rows).map((l) => `  ${l}`));
      lines.push(`  ${style('dim', '(each version: result · latency · tokens · cost)')}`);
    } else {
      const rows = cs.map((c) => {
        const s = cellStats(c);
        return [visibleName(c.case), visibleName(c.version), resultCell(s, style, strict), ...statCells(s)];
      });
      lines.push(...alignColumns(['case', 'version', 'result', 'latency', 'tokens', 'cost'], rows, new Set([3, 4, 5])).map((l) => `  ${l}`));
    }
    lines.push(`  ${rateLine(t)}: ${verdict}`);
    for (const f of failures(t, strict)) {
      const mark = f.kind === 'waiting' ? '–' : f.kind === 'error' ? style('red', '!') : style('red', '✗');
      lines.push(`  ${mark} ${visibleName(f.case)} @${visibleName(f.version)}${runsLabel(f)}: ${visibleName(f.message)}`);
    }
    for (const n of t.notes) lines.push(`  ${style('dim', `note: ${n}`)}`);
    lines.push('');
  }
  if (report.interrupted) {
    const cut = report.interrupted.callsCutOff;
    lines.push(style('yellow', `Interrupted: ${interruptedPhrase(report.interrupted)}; ${callsLine(report)}${cut > 0 ? `, ${int(cut)} cut off` : ''}.`));
    return lines.join('\n');
  }
  const t = tally(report);
  const later = notLiveLine(report);
  const summary = `${t.charAt(0).toUpperCase()}${t.slice(1)}; ${callsLine(report)}.${later ? ` ${later}.` : ''}`;
  lines.push(report.ok ? style('green', summary) : style('red', summary));
  return lines.join('\n');
}

// ---- markdown --------------------------------------------------------------------------------

/** A pull-request comment shares its 65,536 characters with the plan: the test section takes at most this. */
export const TEST_MARKDOWN_CAP = 20_000;

function code(s: string): string {
  const clean = escapeTestCode(s);
  const ticks = Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length)) + 1;
  const fence = '`'.repeat(ticks);
  return `${fence}${ticks > 1 ? ' ' : ''}${clean}${ticks > 1 ? ' ' : ''}${fence}`;
}

/** ❌ not ok; ⏳ when no test could run yet (nothing passed: a green check would say it did); else ✅. */
function headIcon(report: TestReport): string {
  if (!report.ok) return '❌';
  return !report.requireLive && report.tests.length > 0 && report.tests.every(waiting) ? '⏳' : '✅';
}

export function renderTestMarkdown(report: TestReport, opts: { cap?: number } = {}): string {
  const cap = opts.cap ?? TEST_MARKDOWN_CAP;
  const head = [
    report.interrupted ? `### ⏹️ promptctl test: interrupted, ${interruptedPhrase(report.interrupted)}` : `### ${headIcon(report)} promptctl test: ${tally(report)}`,
    '',
    `<sub>target: ${escapeMd(report.target)} · ${callsLine(report)}${report.compare ? ` · comparing ${escapeMd(report.compare.join(' and '))}` : ''}</sub>`,
    '',
    ...(notLiveLine(report) ? [`${report.requireLive ? '❌' : '⏳'} ${escapeMd(notLiveLine(report))}.`, ''] : []),
    '| | Test | Target | Pass rate | Threshold |',
    '|---|---|---|---|---|',
    ...report.tests.map((t) => {
      const rate = waiting(t)
        ? 'not run'
        : passRate(t, { between: '<br>', version: escapeMd }) +
          (t.notLive ? ` · ${cases(t.notLive)} not run` : '');
      return `| ${mark(t, report.requireLive === true)} | ${code(t.name)} | ${escapeMd(t.target)} | ${rate} | ${thresholdPercent(t.threshold)} |`;
    }),
    '',
    '',
  ].join('\n');
  const strict = report.requireLive === true;
  const note = '\n_More results did not fit: run `promptctl test --format json` for all of them._\n';
  // What a reviewer needs most goes in first: the failed tests' blocks (a long one with its
  // passing cases left out), then the others while they fit; shown in the report's order.
  const order = report.tests.map((_, i) => i).sort((a, b) => Number(report.tests[a]!.met) - Number(report.tests[b]!.met) || a - b);
  const chosen = new Map<number, string>();
  let room = cap - head.length - note.length;
  for (const i of order) {
    const t = report.tests[i]!;
    const forms = t.met ? [markdownBlock(t, strict)] : [markdownBlock(t, strict), markdownBlock(t, strict, true)];
    const fits = forms.find((b) => b.length <= room);
    if (fits === undefined) continue;
    chosen.set(i, fits);
    room -= fits.length;
  }
  const out = head + report.tests.map((_, i) => chosen.get(i) ?? '').join('');
  const left = report.tests.length - chosen.size;
  return left === 0 ? out : `${out}${note.replace('More results', `${left} more test${left === 1 ? '' : 's'}`)}`;
}

/** ✅ met, ❌ not met, ⏹️ not checked (interrupted with cases missing), ⏳ nothing could run yet (its target is not applied). */
function mark(t: TestOutcome, requireLive: boolean): string {
  if (t.casesNotRun) return '⏹️';
  if (!t.met) return '❌';
  return waiting(t) && !requireLive ? '⏳' : '✅';
}

/** A test's collapsible block; `onlyFailing`: its table without the cases that passed (a long test's, when it does not fit whole). */
function markdownBlock(t: TestOutcome, requireLive: boolean, onlyFailing = false): string {
  const lines: string[] = [];
  if (t.casesNotRun && t.runs.length === 0) {
    return `<details><summary>${mark(t, requireLive)} <code>${escapeMd(t.name)}</code>: ${interruptedBeforeAny(t)}</summary>\n\n</details>\n\n`;
  }
  const verdict = t.casesNotRun ? `: not checked (${notRunPhrase(t)})` : (waiting(t) && !requireLive ? ': not run' : '') + notLiveNote(t, requireLive);
  lines.push(`<details${t.met ? '' : ' open'}><summary>${mark(t, requireLive)} <code>${escapeMd(t.name)}</code>: ${escapeMd(rateLine(t) + verdict)}</summary>`, '');
  lines.push('| Case | Version | Result | Latency | Tokens | Cost |', '|---|---|---|---:|---:|---:|');
  let hidden = 0;
  for (const c of cells(t)) {
    const s = cellStats(c);
    const ok = s.passed === s.total;
    if (onlyFailing && ok && !s.notLive) {
      hidden++;
      continue;
    }
    const result = s.notLive
      ? `${requireLive ? '❌' : '⏳'} not run (not on this target yet)`
      : `${ok ? '✅' : '❌'} ${s.passed}/${s.total}${s.outcome ? ` (${escapeMd(s.outcome)})` : ''}${s.cached === s.total ? ' · cached' : ''}`;
    lines.push(`| ${escapeMd(c.case)} | ${escapeMd(c.version)} | ${result} | ${statCells(s).join(' | ')} |`);
  }
  if (hidden > 0) lines.push('', `_${hidden} passing case${hidden === 1 ? '' : 's'} left out to fit: \`promptctl test --format json\` has them._`);
  const fs = failures(t, requireLive);
  if (fs.length) {
    lines.push('');
    for (const f of fs.slice(0, 30)) lines.push(`- ${f.kind === 'waiting' ? '⏳' : f.kind === 'error' ? '⚠️' : '❌'} **${escapeMd(f.case)}** @${escapeMd(f.version)}${escapeMd(runsLabel(f))}: ${escapeMd(f.message)}`);
    if (fs.length > 30) lines.push(`- … and ${fs.length - 30} more`);
  }
  for (const n of t.notes) lines.push('', `_note: ${escapeMd(n)}_`);
  lines.push('', '</details>', '');
  return lines.join('\n') + '\n';
}

// ---- json ------------------------------------------------------------------------------------

/**
 * The whole report, each test with its `verdict` as the other formats say it: `met` alone is true
 * for a test none of whose cases could run yet (the exit code's rule), which a reader of JSON
 * should not have to work out from `notLive`.
 */
export function renderTestJson(report: TestReport): string {
  const strict = report.requireLive === true;
  const tests = report.tests.map((t) => ({ ...t, verdict: testVerdict(t, strict) }));
  return JSON.stringify({ formatVersion: 1, ...report, tests }, null, 2);
}

/** A test's verdict in words: its threshold met or not, not run (nothing could run yet), or not checked (interrupted). */
function testVerdict(t: TestOutcome, requireLive: boolean): 'met' | 'not met' | 'not run' | 'not checked' {
  if (t.casesNotRun) return 'not checked';
  const word = verdictWord(t, requireLive);
  return word === 'NOT met' ? 'not met' : word;
}

// ---- JUnit XML -------------------------------------------------------------------------------
