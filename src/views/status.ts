// `promptctl status` (DESIGN §4) as text, markdown and JSON: per template and version what the
// gateway served, and for a split each other version against the baseline (the route with the
// largest weight), with 95 % intervals and a verdict each; of several templates, those without a
// call are said on one line (JSON keeps each). Pure.
import type { RateDifference, SplitComparison, StatusReport, TemplateStatus, VersionStatus } from '../evals/types.js';
import { escapeStatusMarkdown as escapeMd, visibleName } from '../util/escapes.js';
import { compareVersionLabels } from '../util/semver.js';
import { codeSpan } from './code-span.js';
import { plain, type Style } from './style.js';
import { alignColumns, int, ms, percent, signed, usd } from './table.js';

export type StatusFormat = 'text' | 'markdown' | 'json';

/**
 * `applySteps`: the commands that apply git's state to this target, in order (the run's --env and
 * --dir kept; a protected environment's saved plan and its apply), said when the target has no
 * template; the plain `promptctl apply` without them. `gitDefinesNoTemplate`: git surely defines
 * none (a guides- or summary-only repository), so applying would make none: no apply is advised.
 */
export interface StatusRenderOptions {
  applySteps?: readonly string[];
  gitDefinesNoTemplate?: boolean;
}

export function renderStatus(report: StatusReport, format: StatusFormat, style: Style = plain, opts: StatusRenderOptions = {}): string {
  if (format === 'json') return JSON.stringify({ formatVersion: 1, ...report }, null, 2);
  if (format === 'markdown') return renderStatusMarkdown(report, opts);
  return renderStatusText(report, style, opts);
}

/** The header, with the latency column the report can fill: percentiles when the target gave them. */
function header(percentiles: boolean): string[] {
  return ['version', 'calls', 'share (weight)', 'errors', 'blocked', percentiles ? 'latency p50 / p95 (mean)' : 'latency mean (min–max)', 'tokens/call', 'cost (per call)'];
}

function latencyCell(v: VersionStatus, percentiles: boolean): string {
  const l = v.latencyMs;
  if (!l) return '—';
  if (percentiles) return l.p50 !== undefined && l.p95 !== undefined ? `${ms(l.p50)} / ${ms(l.p95)} (${ms(l.mean)})` : `— (${ms(l.mean)})`;
  return l.min !== undefined && l.max !== undefined ? `${ms(l.mean)} (${ms(l.min)}–${ms(l.max)})` : ms(l.mean);
}

function hasPercentiles(report: StatusReport): boolean {
  return report.templates.some((t) => t.versions.some((v) => v.latencyMs?.p50 !== undefined));
}

/**
 * "1,204 (880 + 324)": tokens per call and its prompt and completion parts. Each part rounded on
 * its own need not add up to the total (61.5 + 380.5 = 442 read "442 (62 + 381)"): the parts are
 * rounded down and the tokens the total still lacks go to the larger remainder first, so each
 * part is within one token of its mean and the cell adds up.
 */
function tokensCell(t: { meanTotal: number; meanPrompt: number; meanCompletion: number }): string {
  const parts = [Math.floor(t.meanPrompt), Math.floor(t.meanCompletion)];
  const remainders = [t.meanPrompt - parts[0]!, t.meanCompletion - parts[1]!];
  // Two remainders under 1 each: the total lacks 0, 1 or 2 tokens, at most one a part.
  let lacking = Math.min(2, Math.max(0, Math.round(t.meanTotal) - parts[0]! - parts[1]!));
  for (const i of remainders[0]! >= remainders[1]! ? [0, 1] : [1, 0]) {
    if (lacking === 0) break;
    parts[i]! += 1;
    lacking -= 1;
  }
  const [prompt, completion] = parts as [number, number];
  return `${int(prompt + completion)} (${int(prompt)} + ${int(completion)})`;
}

function row(v: VersionStatus, percentiles: boolean): string[] {
  return [
    visibleName(v.version ?? '(none)'),
    int(v.invocations),
    `${v.share === null ? '—' : percent(v.share)}${v.weight !== undefined ? ` (${v.weight} %)` : ''}`,
    v.errorRate !== null ? `${int(v.errors)} (${percent(v.errorRate)})` : '—',
    v.blockedRate !== null ? `${int(v.blocked)} (${percent(v.blockedRate)})` : '—',
    latencyCell(v, percentiles),
    v.tokens ? tokensCell(v.tokens) : '—',
    // Per call too: the versions of a split take unequal shares, so totals alone compare nothing.
    v.costUsd ? `${usd(v.costUsd.total)} (${usd(v.costUsd.mean)})` : '—',
  ];
}

/** The split's comparisons (a report made before `comparisons` existed has only `comparison`). */
function comparisonsOf(t: TemplateStatus): SplitComparison[] {
  return t.comparisons ?? (t.comparison ? [t.comparison] : []);
}

function splitLabel(t: TemplateStatus): string {
  // Of a template that is gone, nothing says whether it had a split.
  if (t.gone) return 'no longer on the target';
  if (!t.split) return 'no traffic split';
  // In version order, as test's headings and the versions' rows below list them (not as the split was written).
  const routes = [...t.split.routes].sort((a, b) => compareVersionLabels(a.version, b.version));
  return `split ${t.split.strategy}: ${routes.map((r) => `${visibleName(r.version)} ${r.weight} %`).join(', ')}`;
}

/**
 * "8.7 % vs 1.0 %, difference +7.7 points, 95 % interval +5.3 to +10.9": candidate first; with
 * Fisher's p where it keeps an interval that excludes 0 from counting (the verdict says "not different").
 */
function rateLine(r: RateDifference): string {
  const line = `${percent(r.candidateRate)} vs ${percent(r.baselineRate)}, difference ${signed(r.estimate * 100, 1)} points, 95 % interval ${signed(r.low * 100, 1)} to ${signed(r.high * 100, 1)}`;
  const excludesZero = r.low > 0 || r.high < 0;
  return excludesZero && !r.significant ? `${line}, but Fisher's exact test gives p ${r.p.toFixed(2)}: not significant at these counts` : line;
}

/** "+$0.0041", "−$0.00012", "$0": a difference of dollars, signed as `signed` signs numbers. */
function signedUsd(x: number): string {
  const s = usd(Math.abs(x));
  return s === '$0' ? s : `${x > 0 ? '+' : '−'}${s}`;
}

/** "tokens per call −18 % (95 % interval −24 % to −12 %); error rate +1.0 points (−0.8 to +2.9)"; cost per call and blocked rate likewise. */
function differenceLines(c: SplitComparison): string[] {
  const lines: string[] = [];
  if (c.tokens) {
    const r = c.tokens.relative;
    lines.push(
      `tokens per call: ${signed(c.tokens.estimate, 1)} (${signed(r.estimate * 100, 1)} %), 95 % interval ${signed(c.tokens.low, 1)} to ${signed(c.tokens.high, 1)} (${signed(r.low * 100, 1)} % to ${signed(r.high * 100, 1)} %); spread: ${c.tokens.method}`,
    );
  } else lines.push('tokens per call: no interval (see the verdict)');
  if (c.cost) {
    const r = c.cost.relative;
    lines.push(
      `cost per call: ${signedUsd(c.cost.estimate)} (${signed(r.estimate * 100, 1)} %), 95 % interval ${signedUsd(c.cost.low)} to ${signedUsd(c.cost.high)} (${signed(r.low * 100, 1)} % to ${signed(r.high * 100, 1)} %); spread: ${c.cost.method}`,
    );
  } else if ((c.models && c.models.baseline !== c.models.candidate) || c.modelsUnknown) lines.push('cost per call: no interval (see the verdict)');
  if (c.errors) lines.push(`error rate: ${rateLine(c.errors)}`);
  // Its own line, as the verdict judges it on its own (errors are refusals other than blocks); as
  // the verdict, said only when either side had a block: "0 % vs 0 %" under every split decides nothing.
  if (c.blocked && (c.blocked.baselineRate > 0 || c.blocked.candidateRate > 0)) lines.push(`blocked rate: ${rateLine(c.blocked)}`);
  return lines;
}

/** An org with no template where git defines none either: what status reports, and what it does not. */
export const NO_TEMPLATE_IN_GIT =
  'No prompt template on the target, and git defines none: status reports the calls of prompt templates only (guides and summary settings have no analytics in the contract).';

/**
 * An empty org, as `run` says it (cli/next-commands.ts applyFirst): what to do next, not only what
 * is not there, as a command to copy: `code` writes each as the format shows a command.
 */
function noTemplate(opts: StatusRenderOptions, code: (command: string) => string, text: (s: string) => string): string {
  if (opts.gitDefinesNoTemplate) return text(NO_TEMPLATE_IN_GIT);
  const [first, then] = opts.applySteps ?? ['promptctl apply'];
  const run = then === undefined ? `${text('run ')}${code(first!)}${text(' first')}` : `${text('run ')}${code(first!)}${text(', review it, then ')}${code(then)}`;
  return `${text('No template on the target (it has none: ')}${run}${text(').')}`;
}

/**
 * The method lines (JSON's `method`, each) that explain something the text or markdown shows: how
 * latency, shares and which calls count only under a version table, the differences' intervals
 * only under a comparison, the several-comparisons caveat only under several. An empty org, or
 * templates without a call, get none of them (a review: a 640-character footnote under "No
 * template on the target"). A line of calls not shown is said whatever is shown. The lines are
 * told apart by how evals/stats.ts buildStatus opens each.
 */
function shownMethod(report: StatusReport, shown: readonly TemplateStatus[]): string[] {
  const tables = shown.some((t) => t.versions.length > 0);
  const compared = shown.map((t) => comparisonsOf(t).length);
  return report.method.filter((m) => {
    if (m.startsWith('differences:')) return compared.some((n) => n > 0);
    if (m.startsWith('a split of three routes or more:')) return compared.some((n) => n > 1);
    if (/^(latency|share):|^calls made by promptctl test /.test(m)) return tables;
    return true;
  });
}

/** Templates named on the line of those without calls, at most; the JSON report lists each. */
const IDLE_NAMED = 20;

/**
 * The templates shown each with its table, and those said together on one line: of several, the
 * ones without a call in the interval (a table of dashes and "no calls yet" notes a template, which
 * at 1,000 templates was 10,000 lines saying nothing). One template asked for is shown whole.
 */
function shownApart(report: StatusReport): { shown: TemplateStatus[]; idle: TemplateStatus[] } {
  if (report.templates.length <= 1) return { shown: report.templates, idle: [] };
  return { shown: report.templates.filter((t) => t.invocations > 0), idle: report.templates.filter((t) => t.invocations === 0) };
}

/** "No calls to 3 templates: a, b, c", naming IDLE_NAMED at most, each as `name` makes it, the rest counted. */
function idleLine(idle: readonly TemplateStatus[], name: (t: string) => string, code: (t: string) => string): string {
  const named = idle.slice(0, IDLE_NAMED).map((t) => name(t.template)).join(', ');
  const more = idle.length > IDLE_NAMED ? `, and ${int(idle.length - IDLE_NAMED)} more (${code('--format json')} lists each)` : '';
  return `No calls to ${int(idle.length)} template${idle.length === 1 ? '' : 's'}: ${named}${more}.`;
}

export function renderStatusText(report: StatusReport, style: Style = plain, opts: StatusRenderOptions = {}): string {
  const lines: string[] = [`Calls since ${report.since} (${report.interval.replace('/', ' to ')})`, ''];
  if (report.templates.length === 0) lines.push(noTemplate(opts, (c) => `\`${visibleName(c)}\``, (t) => t), '');
  const p = hasPercentiles(report);
  const { shown, idle } = shownApart(report);
  for (const t of shown) {
    lines.push(`${style('bold', visibleName(t.template))} (${splitLabel(t)}): ${int(t.invocations)} call${t.invocations === 1 ? '' : 's'}`);
    if (t.versions.length) lines.push(...alignColumns(header(p), t.versions.map((v) => row(v, p)), new Set([1, 6, 7])).map((l) => `  ${l}`));
    for (const c of comparisonsOf(t)) {
      lines.push(`  ${visibleName(c.candidate)} (candidate) vs ${visibleName(c.baseline)} (baseline):`);
      for (const l of differenceLines(c)) lines.push(`    ${l}`);
      lines.push(`  ${style('bold', 'verdict:')} ${visibleName(c.verdict)}`);
    }
    for (const n of t.notes) lines.push(`  ${style('dim', `note: ${visibleName(n)}`)}`);
    lines.push('');
  }
  if (idle.length > 0) lines.push(idleLine(idle, visibleName, (c) => `\`${c}\``), '');
  for (const m of shownMethod(report, shown)) lines.push(style('dim', `· ${m}`));
  return lines.join('\n');
}

export function renderStatusMarkdown(report: StatusReport, opts: StatusRenderOptions = {}): string {
  const lines: string[] = [`### promptctl status: calls since ${escapeMd(report.since)}`, '', `<sub>target: ${escapeMd(report.target)} · ${escapeMd(report.interval)}</sub>`, ''];
  const p = hasPercentiles(report);
  const head = header(p);
  const { shown, idle } = shownApart(report);
  for (const t of shown) {
    lines.push(`#### ${codeSpan(visibleName(t.template))} (${escapeMd(splitLabel(t))}): ${int(t.invocations)} call${t.invocations === 1 ? '' : 's'}`, '');
    if (t.versions.length) {
      lines.push(`| ${head.map((h) => escapeMd(h)).join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
      for (const v of t.versions) lines.push(`| ${row(v, p).map(escapeMd).join(' | ')} |`);
      lines.push('');
    }
    const comparisons = comparisonsOf(t);
    for (const c of comparisons) {
      // One comparison is the split's verdict; of several, each names its pair (once: not again as the verdict's subject).
      const pair = `${c.candidate} vs ${c.baseline}`;
      const title = comparisons.length === 1 ? 'Verdict:' : `Verdict, ${escapeMd(pair)}:`;
      const said = comparisons.length > 1 && c.verdict.startsWith(`${pair}: `) ? c.verdict.slice(pair.length + 2) : c.verdict;
      lines.push(`**${title}** ${escapeMd(said)}`, '');
      for (const l of differenceLines(c)) lines.push(`- ${escapeMd(l)}`);
      lines.push('');
    }
    for (const n of t.notes) lines.push(`_note: ${escapeMd(n)}_`, '');
  }
  if (idle.length > 0) lines.push(idleLine(idle, (n) => codeSpan(visibleName(n)), codeSpan).replace(/^No calls/, '**No calls**'), '');
  if (report.templates.length === 0) lines.push(noTemplate(opts, (c) => codeSpan(visibleName(c)), escapeMd), '');
  lines.push(...shownMethod(report, shown).map((m) => `<sub>${escapeMd(m)}</sub><br>`));
  return lines.join('\n');
}
