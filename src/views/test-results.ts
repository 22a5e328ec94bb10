// `promptctl test` results (DESIGN §7) as progress lines, text and JSON; markdown is
// test-markdown.ts, JUnit XML test-junit.ts, and the pieces they share test-cells.ts. Pure: the
// report in, a string out.
import type { CaseDone, PassRate, TestOutcome, TestReport } from '../evals/types.js';
import { visibleName } from '../util/escapes.js';
import { plain, type Style } from './style.js';
import { alignColumns, int } from './table.js';
import { atVersion, callsLine, cells, cellStats, failures, interruptedBeforeAny, interruptedPhrase, notLiveLine, notLiveNote, notRunPhrase, runsLabel, statCells, tally, verdictWord, type Cell, type CellStats } from './test-cells.js';
import { rateLine } from './test-rate.js';

// ---- progress (stderr) -----------------------------------------------------------------------

/**
 * One line per finished case: "✓ billing-smoke · refund timing @1.1.0: 3/3 passed (2 cached) [case 4/9]".
 * Its runs are counted by `cellStats`, as the report's cell for the case counts them: a run with
 * nothing checked (--compare, routedTo alone) is neither passed nor failed ("0/1 passed (2 not checked)").
 */
export function testProgressLine(done: CaseDone, style: Style = plain): string {
  // Names come from YAML: a control character in one must not reach the terminal.
  const where = `${visibleName(done.test)} · ${visibleName(done.case)}${done.version !== undefined ? ` @${visibleName(done.version)}` : ''}`;
  // Cases, not calls: "running 6 calls of 3 tests" counts calls, this counts the cases finished.
  const of = `[case ${done.done}/${done.of}]`;
  const s = cellStats(done);
  if (s.notLive) return `– ${where}: not run (not on this target yet) ${of}`;
  if (s.notChecked) return `– ${where}: not checked ${of}`;
  const ok = s.passed === s.total;
  const mark = ok ? style('green', '✓') : style('red', '✗');
  const unchecked = done.runs.length - s.total;
  const aside = [
    ...(unchecked > 0 ? [`${unchecked} not checked`] : []),
    ...(s.cached === 0 ? [] : [s.cached === done.runs.length ? 'cached' : `${s.cached} cached`]),
  ];
  return `${mark} ${where}: ${s.passed}/${s.total} passed${aside.length ? ` (${aside.join(', ')})` : ''} ${of}`;
}

/**
 * The note on stderr for a test --compare leaves out: "note: PromptTest/smoke is not compared: case
 * "refund": var "plan" is not a variable of version 1.0.0". Test and case names are the YAML's:
 * made visible, each on this one line.
 */
export function notComparedLine(test: string, why: string): string {
  return visibleName(`note: PromptTest/${test} is not compared: ${why}`);
}

// ---- text ------------------------------------------------------------------------------------

function resultCell(s: CellStats, style: Style, requireLive = false): string {
  if (s.notLive) return `${requireLive ? style('red', '✗') : '–'} not run (not on this target yet)`;
  if (s.notChecked) return '– not checked';
  const ok = s.passed === s.total;
  const mark = ok ? style('green', '✓') : style('red', '✗');
  const count = s.total > 1 || !ok ? ` ${s.passed}/${s.total}` : '';
  const word = ok ? 'pass' : 'fail';
  return `${mark} ${word}${count}${s.outcome ? ` (${s.outcome})` : ''}`;
}


/**
 * `dir`, the prompts directory the run read, names where no PromptTest was found: in text the
 * report is the one place that says so (the command says it on stderr only for the formats whose
 * stdout is a document).
 */
export function renderTestText(report: TestReport, style: Style = plain, dir?: string): string {
  if (report.tests.length === 0 && dir !== undefined && !report.interrupted) return style('yellow', `No PromptTest in ${visibleName(dir)}: nothing to run.`);
  const lines: string[] = [];
  const strict = report.requireLive === true;
  for (const t of report.tests) {
    const word = verdictWord(t, strict);
    const verdict = t.casesNotRun
      ? style('yellow', `not checked (${notRunPhrase(t)})`)
      : (word === 'met' ? style('green', word) : word === 'NOT met' ? style('red', word) : style('yellow', word)) + notLiveNote(t, strict);
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
      lines.push(`  ${mark} ${visibleName(f.case)}${atVersion(f.version, visibleName)}${runsLabel(f)}: ${visibleName(f.message)}`);
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

// ---- json ------------------------------------------------------------------------------------

/**
 * The whole report, each test with its `verdict` as the other formats say it: `met` alone is true
 * for a test none of whose cases could run yet (the exit code's rule), which a reader of JSON
 * should not have to work out from `notLive`.
 */
export function renderTestJson(report: TestReport): string {
  const strict = report.requireLive === true;
  const tests = report.tests.map((t) => ({ ...t, rate: rateOrNull(t.rate), byVersion: t.byVersion.map(rateOrNull), verdict: testVerdict(t, strict) }));
  return JSON.stringify({ formatVersion: 1, ...report, tests }, null, 2);
}

/** A pass rate with `rate: null` when no run counted (each was not on the target yet): 0 would read as all failed. */
function rateOrNull(r: PassRate): Omit<PassRate, 'rate'> & { rate: number | null } {
  return r.total === 0 ? { ...r, rate: null } : r;
}

/** A test's verdict in words: its threshold met or not, not run (nothing could run yet), or not checked (interrupted). */
function testVerdict(t: TestOutcome, requireLive: boolean): 'met' | 'not met' | 'not run' | 'not checked' {
  if (t.casesNotRun) return 'not checked';
  const word = verdictWord(t, requireLive);
  return word === 'NOT met' ? 'not met' : word;
}
