// `promptctl test --format markdown`: one pull-request comment section (DESIGN §7), failed tests
// first when the section must be cut to its share of the comment. Pure: the report in, a string out.
import type { TestOutcome, TestReport } from '../evals/types.js';
import { escapeTestCode, escapeTestMarkdown as escapeMd } from '../util/escapes.js';
import { codeSpan } from './code-span.js';
import { capLines } from './markdown-cap.js';
import { formatInt } from './plan-common.js';
import { atVersion, cases, cells, type Cell, type CellStats, cellStats, callsLine, failures, interruptedBeforeAny, interruptedPhrase, notLiveLine, notLiveNote, notRunPhrase, runsLabel, statCells, tally } from './test-cells.js';
import { passRate, rateLine, thresholdPercent, unchecked, waiting } from './test-rate.js';

/** A pull-request comment shares its 65,536 characters with the plan: the test section takes at most this. */
export const TEST_MARKDOWN_CAP = 20_000;

/** The whole report a cut section points to, when the caller names none (the run's own command, with its --env and --dir). */
const FULL_REPORT = 'promptctl test --format json';

function code(s: string): string {
  return codeSpan(escapeTestCode(s));
}

/**
 * ❌ not ok; ⏳ when no test could run yet, ➖ when nothing that ran was checked (nothing passed
 * either way: a green check would say it did); else ✅.
 */
function headIcon(report: TestReport): string {
  if (!report.ok) return '❌';
  // Nothing to run passed nothing either.
  if (report.tests.length === 0) return '➖';
  if (!report.requireLive && report.tests.every(waiting)) return '⏳';
  return report.tests.every((t) => unchecked(t) || (waiting(t) && !report.requireLive)) ? '➖' : '✅';
}

/** `full`: the command that writes the whole report, which a section cut to fit points to (default: the bare one). */
export function renderTestMarkdown(report: TestReport, opts: { cap?: number; full?: string } = {}): string {
  const cap = opts.cap ?? TEST_MARKDOWN_CAP;
  const full = opts.full ?? FULL_REPORT;
  const strict = report.requireLive === true;
  const intro = [
    report.interrupted ? `### ⏹️ promptctl test: interrupted, ${interruptedPhrase(report.interrupted)}` : `### ${headIcon(report)} promptctl test: ${tally(report)}`,
    '',
    `<sub>target: ${escapeMd(report.target)} · ${callsLine(report)}${report.compare ? ` · comparing ${escapeMd(report.compare.join(' and '))}` : ''}</sub>`,
    '',
    ...(notLiveLine(report) ? [`${report.requireLive ? '❌' : '⏳'} ${escapeMd(notLiveLine(report))}.`, ''] : []),
  ].join('\n') + '\n';
  if (report.tests.length === 0) return intro;
  const top = `${intro}| | Test | Target | Pass rate | Threshold |\n|---|---|---|---|---|\n`;
  const rows = report.tests.map((t) => summaryRow(t, strict));
  // What a reviewer needs most goes in first: the verdict above; the failed tests' rows of the
  // summary table, then their blocks (a long one with its passing cases left out, a longer one with
  // its first failing cases only); then the other tests' rows, the ones left out counted in a last
  // row; then their blocks while they fit. Blocks are shown in the report's order.
  const failed = report.tests.flatMap((t, i) => (t.met ? [] : [i]));
  const others = report.tests.flatMap((t, i) => (t.met ? [i] : []));
  const order = [...failed, ...others];
  const rowsLength = (ix: readonly number[]) => ix.reduce((n, i) => n + rows[i]!.length + 1, 0);
  const tableMore = (kept: number) => tableNote(order.slice(kept).map((i) => report.tests[i]!), strict, full);
  // Room for the longest note that could be printed under the blocks: it names the first five tests
  // left out, which may be the longest names of all. The blank line after the table counts too.
  let room = cap - top.length - 1 - leftOutNote(report.tests.map((t) => t.name).sort((a, b) => code(b).length - code(a).length), full).length;
  // The failed tests' blocks keep room for the other rows, or for the row counting them when they are longer.
  let blockRoom = room - rowsLength(failed) - Math.min(rowsLength(others), tableMore(0).length + 1);
  // Each failed test keeps room for the smallest block of every failed test after it.
  const smallest = new Map(failed.map((i) => [i, markdownBlock(report.tests[i]!, strict, full, true, 1).length]));
  const chosen = new Map<number, string>();
  for (const i of failed) {
    const t = report.tests[i]!;
    smallest.delete(i);
    const reserve = [...smallest.values()].reduce((n, x) => n + x, 0);
    const block = fittingBlock(t, strict, full, blockRoom - reserve) ?? fittingBlock(t, strict, full, blockRoom);
    if (block === undefined) continue;
    chosen.set(i, block);
    blockRoom -= block.length;
    room -= block.length;
  }
  const table = capLines(order.map((i) => rows[i]!), room, tableMore);
  room -= table.reduce((n, line) => n + line.length + 1, 0);
  // The rows kept lead `table`; a last line that is no test's row counts the others.
  let kept = 0;
  while (kept < table.length && kept < order.length && table[kept] === rows[order[kept]!]) kept++;
  const listed = new Set(order.slice(0, kept));
  for (const i of others) {
    if (!listed.has(i)) continue;
    const block = fittingBlock(report.tests[i]!, strict, full, room);
    if (block === undefined) continue;
    chosen.set(i, block);
    room -= block.length;
  }
  // A whole table in the report's order; a cut one failed tests first, as kept: a later cut from
  // the end (the PR workflow's, to share the comment) still leaves their names.
  const shown = kept === order.length ? rows : table;
  const out = top + shown.map((line) => line + '\n').join('') + '\n' + report.tests.map((_, i) => chosen.get(i) ?? '').join('');
  const left = report.tests.filter((_, i) => !chosen.has(i)).map((t) => t.name);
  return left.length === 0 ? out : out + leftOutNote(left, full);
}

/** A test's row in the summary table. */
function summaryRow(t: TestOutcome, requireLive: boolean): string {
  const rate = waiting(t)
    ? 'not run'
    : passRate(t, { between: '<br>', version: escapeMd }) +
      (t.notLive ? ` · ${cases(t.notLive)} not run` : '');
  return `| ${mark(t, requireLive)} | ${code(t.name)} | ${escapeMd(t.target)} | ${rate} | ${thresholdPercent(t.threshold)} |`;
}

/** What each mark of the summary table says, in the order the last row counts them. */
const MARK_WORDS: ReadonlyArray<readonly [string, string]> = [
  ['❌', 'failed'],
  ['⏹️', 'cut short'],
  ['⏳', 'not run'],
  ['➖', 'not checked'],
  ['✅', 'passed'],
];

/** The summary table's last row when it was cut: how many tests it leaves out, by their mark. */
function tableNote(left: readonly TestOutcome[], requireLive: boolean, full: string): string {
  const n = left.length;
  const counts = MARK_WORDS.map(([m, word]) => [word, left.filter((t) => mark(t, requireLive) === m).length] as const).filter(([, k]) => k > 0);
  const tests = `${formatInt(n)} more test${n === 1 ? '' : 's'}`;
  const what = counts.length === 1 ? `${tests} ${counts[0]![0]}` : `${tests}: ${counts.map(([word, k]) => `${formatInt(k)} ${word}`).join(', ')}`;
  return `| | _… and ${what}; ${code(full)} lists every test._ | | | |`;
}

/** The note under a cut section, naming the tests left out (the first five). */
function leftOutNote(names: readonly string[], full: string): string {
  const n = names.length;
  const named = names.slice(0, 5).map(code).join(', ') + (n > 5 ? ', …' : '');
  return `\n_${n} more test${n === 1 ? '' : 's'} did not fit (${named}): run ${code(full)} for all of them._\n`;
}

/**
 * The fullest block of `t` within `room` characters: whole; for a failed test, then without its
 * passing cases, then with as many of its first failing cases as fit. Undefined if none does.
 */
function fittingBlock(t: TestOutcome, strict: boolean, full: string, room: number): string | undefined {
  const whole = markdownBlock(t, strict, full);
  if (whole.length <= room) return whole;
  if (t.met) return undefined;
  const failing = markdownBlock(t, strict, full, true);
  if (failing.length <= room) return failing;
  // The most rows that fit, by bisection (a block grows with its rows).
  let lo = 0;
  let hi = cells(t).length;
  let best: string | undefined;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const b = markdownBlock(t, strict, full, true, mid);
    if (b.length <= room) {
      best = b;
      lo = mid;
    } else hi = mid - 1;
  }
  return best;
}

/** ✅ met, ❌ not met, ⏹️ not checked (interrupted with cases missing), ⏳ nothing could run yet (its target is not applied), ➖ nothing that ran was checked. */
function mark(t: TestOutcome, requireLive: boolean): string {
  if (t.casesNotRun) return '⏹️';
  if (!t.met) return '❌';
  if (waiting(t) && !requireLive) return '⏳';
  return unchecked(t) ? '➖' : '✅';
}

/** Every run of the cell passed, and it ran (a cell not on the target yet is never left out as passing). */
function passedWhole(s: CellStats): boolean {
  return s.passed === s.total && !s.notLive;
}

/** A cell's result as a table shows it, from its stats. */
function resultText(c: Cell, s: CellStats, requireLive: boolean): string {
  const ok = s.passed === s.total;
  if (s.notLive) return `${requireLive ? '❌' : '⏳'} not run (not on this target yet)`;
  if (s.notChecked) return `➖ not checked${s.cached === c.runs.length ? ' · cached' : ''}`;
  return `${ok ? '✅' : '❌'} ${s.passed}/${s.total}${s.outcome ? ` (${escapeMd(s.outcome)})` : ''}${s.cached === s.total ? ' · cached' : ''}`;
}

/**
 * A test's collapsible block; `onlyFailing`: its table without the cases that passed (a long test's,
 * when it does not fit whole); `rows`: at most that many table rows and failure lines (a longer one's);
 * `full`: the command whose report has the cases left out.
 */
function markdownBlock(t: TestOutcome, requireLive: boolean, full: string, onlyFailing = false, rows = Infinity): string {
  const lines: string[] = [];
  if (t.casesNotRun && t.runs.length === 0) {
    return `<details><summary>${mark(t, requireLive)} <code>${escapeMd(t.name)}</code>: ${interruptedBeforeAny(t)}</summary>\n\n</details>\n\n`;
  }
  const verdict = t.casesNotRun ? `: not checked (${notRunPhrase(t)})` : (waiting(t) && !requireLive ? ': not run' : '') + notLiveNote(t, requireLive);
  lines.push(`<details${t.met ? '' : ' open'}><summary>${mark(t, requireLive)} <code>${escapeMd(t.name)}</code>: ${escapeMd(rateLine(t) + verdict)}</summary>`, '');
  // Under --compare, the two versions side by side on each case (DESIGN §7), as the text report has them.
  const pair = t.byVersion.length === 2 ? (t.byVersion.map((x) => x.version!) as [string, string]) : undefined;
  const cs = cells(t);
  const stats = new Map(cs.map((c) => [c, cellStats(c)]));
  const rowsOf: Cell[][] = pair
    ? [...new Set(cs.map((c) => c.caseIndex))].sort((x, y) => x - y).map((i) => cs.filter((c) => c.caseIndex === i))
    : cs.map((c) => [c]);
  lines.push(
    ...(pair
      ? [`| Case | ${escapeMd(pair[0])} | ${escapeMd(pair[1])} |`, '|---|---|---|']
      : ['| Case | Version | Result | Latency | Tokens | Cost |', '|---|---|---|---:|---:|---:|']),
  );
  let hidden = 0;
  let cut = 0;
  let shown = 0;
  for (const row of rowsOf) {
    if (onlyFailing && row.every((c) => passedWhole(stats.get(c)!))) {
      hidden++;
      continue;
    }
    if (shown >= rows) {
      cut++;
      continue;
    }
    shown++;
    if (pair) {
      const side = (v: string): string => {
        const c = row.find((x) => x.version === v);
        return c ? [resultText(c, stats.get(c)!, requireLive), ...statCells(stats.get(c)!)].join(' · ') : '—';
      };
      lines.push(`| ${escapeMd(row[0]!.case)} | ${side(pair[0])} | ${side(pair[1])} |`);
    } else {
      const c = row[0]!;
      lines.push(`| ${escapeMd(c.case)} | ${escapeMd(c.version)} | ${resultText(c, stats.get(c)!, requireLive)} | ${statCells(stats.get(c)!).join(' | ')} |`);
    }
  }
  if (hidden > 0) lines.push('', `_${hidden} passing case${hidden === 1 ? '' : 's'} left out to fit: ${code(full)} has them._`);
  if (cut > 0) lines.push('', `_${cut} more failing case${cut === 1 ? '' : 's'} left out to fit: ${code(full)} has them._`);
  const fs = failures(t, requireLive);
  const most = Math.min(30, rows);
  if (fs.length) {
    lines.push('');
    for (const f of fs.slice(0, most)) lines.push(`- ${f.kind === 'waiting' ? '⏳' : f.kind === 'error' ? '⚠️' : '❌'} **${escapeMd(f.case)}**${atVersion(f.version, escapeMd)}${escapeMd(runsLabel(f))}: ${escapeMd(f.message)}`);
    if (fs.length > most) lines.push(`- … and ${fs.length - most} more`);
  }
  for (const n of t.notes) lines.push('', `_note: ${escapeMd(n)}_`);
  lines.push('', '</details>', '');
  return lines.join('\n') + '\n';
}
