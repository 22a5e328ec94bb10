// `promptctl tokens` output (DESIGN §4): per-version counts, worst case, context use and cost,
// as an aligned table with totals or as JSON; then AI Studio texts (guide instructions, summary
// prompts), whose counts are approximate unless a guide declares its model. Pure: data in, string
// out; colour through the injected Style.
import type { AiStudioTokenReport, NotCountedText, NotCountedVersion, TextTokenReport, VersionTokenReport } from '../tokens/index.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { jsonDiagnostics } from './diagnostics.js';
import { plain, type Style } from './style.js';
import { alignColumns } from './table.js';
import { groupThousands, percentOf } from '../util/numbers.js';
import { plural } from '../util/plural.js';
import { visibleName } from '../util/escapes.js';

export const TOKENS_FORMATS = ['text', 'json'] as const;
export type TokensFormat = (typeof TOKENS_FORMATS)[number];

/**
 * The report in `format`; empty text when there is nothing to show in a table (`tokensNote` says
 * so). `texts` adds the AI Studio texts (JSON keys `guides` and `summarySettings`, present when any).
 */
export function renderTokens(
  reports: readonly VersionTokenReport[],
  format: TokensFormat,
  style: Style = plain,
  texts?: AiStudioTokenReport,
  notCounted: readonly NotCountedVersion[] = [],
  diagnostics: readonly Diagnostic[] = [],
): string {
  if (format === 'json') return renderTokensJson(reports, texts, notCounted, diagnostics);
  const hasTexts = texts !== undefined && hasAiStudioTexts(texts);
  const table = reports.length === 0 ? '' : renderTable(reports, style);
  if (!hasTexts) return table;
  const textTable = renderTextTable(texts, style);
  return table === '' ? textTable : `${table}\n\n${textTable}`;
}

/** Whether the AI Studio table has a row: a text counted, or a guide not counted. */
export function hasAiStudioTexts(texts: AiStudioTokenReport): boolean {
  return texts.guides.length + texts.summarySettings.length + (texts.notCounted?.length ?? 0) > 0;
}

/** `diagnostics`: what the run reports on stderr too (its errors and token warnings), in the document a script reads. */
export function renderTokensJson(
  reports: readonly VersionTokenReport[],
  texts?: AiStudioTokenReport,
  notCounted: readonly NotCountedVersion[] = [],
  diagnostics: readonly Diagnostic[] = [],
): string {
  const doc: {
    versions: readonly VersionTokenReport[];
    notCounted?: readonly NotCountedVersion[];
    guides?: readonly TextTokenReport[];
    summarySettings?: readonly TextTokenReport[];
    guidesNotCounted?: readonly NotCountedText[];
    diagnostics?: ReturnType<typeof jsonDiagnostics>;
  } = { versions: reports };
  if (notCounted.length > 0) doc.notCounted = notCounted;
  if (texts?.guides.length) doc.guides = texts.guides;
  // Beside `guides`, whose rows are all counts: a script reading textTokens meets no null.
  if (texts?.notCounted?.length) doc.guidesNotCounted = texts.notCounted;
  if (texts?.summarySettings.length) doc.summarySettings = texts.summarySettings;
  if (diagnostics.length > 0) doc.diagnostics = jsonDiagnostics(diagnostics);
  return JSON.stringify(doc, null, 2);
}

/**
 * What `tokens` says on stderr after the diagnostics, in every format: the versions it could not
 * count and why (each at the error above that explains it), or that `dir` holds nothing to count
 * (`errors`: the run has errors). Undefined when every version was counted.
 */
export function tokensNote(counted: number, notCounted: readonly NotCountedVersion[], dir: string, textsShown: boolean, errors: boolean): string | undefined {
  const where = visibleName(dir);
  if (notCounted.length === 0) {
    if (counted > 0 || textsShown) return undefined;
    // With errors, a file that did not load may have held versions no one can name.
    return errors ? `no prompt versions counted under ${where}, for the errors above` : `no prompt versions under ${where}: nothing to count`;
  }
  const n = plural(notCounted.length, 'version');
  const head = counted === 0 ? `no prompt version under ${where} counted: ${n} not counted, for the errors above:` : `${n} not counted, for the errors above:`;
  const lines = notCounted.map((v) => `  ${visibleName(v.address.replace(/^PromptVersion\//, ''))}: ${v.reason} (${visibleName(`${v.file}:${v.line}:${v.column}`)})`);
  return [head, ...lines].join('\n');
}

/**
 * What `tokens` says on stderr, last, when promptctl.yaml (`configFile`) failed to load and
 * something was counted: the counts and costs shown are of the built-in registry and defaults,
 * and no budget was checked, which nothing else says.
 */
export function configIgnoredNote(configFile: string): string {
  return `${visibleName(configFile)} has errors: these counts and costs use the built-in models and defaults, not its models or defaultVariableTokens, and no budget was checked`;
}

/**
 * Guides and summary settings: one row each, their text counted as written, against the budget or
 * context window when there is one. "≈" marks approximate counts.
 */
export function renderTextTable(texts: AiStudioTokenReport, style: Style = plain): string {
  const header = ['AI STUDIO', 'MODEL', 'TEXT', 'LIMIT', 'USE'];
  const notCounted = texts.notCounted ?? [];
  // A guide not counted keeps its row among the guides, by address, its count a dash.
  const guides: (TextTokenReport | NotCountedText)[] = [...texts.guides, ...notCounted].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const rows = [...guides, ...texts.summarySettings].map((r) => {
    if (!('textTokens' in r)) return [visibleName(r.address), visibleName(r.model), '-', '-', '-'];
    const limit = r.maxPromptTokens ?? r.contextWindow;
    return [
      // A guide's or setting's name is free text (validate refuses a control character in it, but
      // tokens still counts it): shown so it cannot drive the terminal or reorder the row.
      visibleName(r.address),
      r.model ?? `(${r.encoding})`,
      (r.approximate ? '≈' : '') + num(r.textTokens),
      limit === null ? '-' : num(limit),
      limit === null ? '-' : percentOf(r.textTokens, limit),
    ];
  });
  const [head, ...body] = alignRows(header, rows, 2);
  const lines = [style('bold', head!), ...body];
  const standIns = [...new Set([...texts.guides, ...texts.summarySettings].filter((r) => r.approximate).map((r) => (r.model ? `${r.model} with ${r.encoding}` : r.encoding)))];
  if (standIns.length > 0) {
    lines.push(`≈ approximate: Genesys does not publish the tokenizers of AI Studio models; counted with ${standIns.join(', ')}`);
  }
  for (const r of notCounted) lines.push(`- not counted: ${visibleName(r.address)}: ${visibleName(r.reason)} (${visibleName(`${r.file}:${r.line}:${r.column}`)})`);
  lines.push('TEXT is the instruction or prompt as written (variable values are filled in at run time); LIMIT is the budget, else the model\'s context window');
  return lines.join('\n');
}

/** Header and rows as aligned lines: the first `left` columns left-aligned, the rest (numbers) right-aligned. */
function alignRows(header: readonly string[], rows: readonly string[][], left: number): string[] {
  return alignColumns(header, rows, new Set(header.map((_, i) => i).filter((i) => i >= left)));
}

const num = groupThousands;

/** The aligned table: one row per version, then totals. "≈" marks approximate counts. */
export function renderTable(reports: readonly VersionTokenReport[], style: Style = plain): string {
  const header = ['VERSION', 'MODEL', 'SYSTEM', 'USER', 'FEW-SHOT', 'WORST CASE', 'MAX OUT', 'CONTEXT', 'USE', '$/1K CALLS'];
  const rows = reports.map((r) => {
    const a = r.approximate ? '≈' : '';
    // As tokens/context-window measures it (DESIGN §4): the worst case plus the version's maxTokens.
    const needed = r.worstCasePromptTokens + (r.maxTokens ?? 0);
    return [
      r.address.replace(/^PromptVersion\//, ''),
      r.model,
      a + num(r.systemTokens),
      a + num(r.userTemplateTokens),
      a + num(r.fewShotTokens),
      a + num(r.worstCasePromptTokens),
      r.maxTokens === null ? '-' : num(r.maxTokens),
      num(r.contextWindow),
      percentOf(needed, r.contextWindow),
      r.costPer1kCalls === undefined ? '-' : `${a}${r.costPer1kCalls.toFixed(4)}`,
    ];
  });
  const t = reports.some((r) => r.approximate) ? '≈' : '';
  const sum = (f: (r: VersionTokenReport) => number): number => reports.reduce((s, r) => s + f(r), 0);
  const totals = [
    `TOTAL (${reports.length} version${reports.length === 1 ? '' : 's'})`,
    '',
    t + num(sum((r) => r.systemTokens)),
    t + num(sum((r) => r.userTemplateTokens)),
    t + num(sum((r) => r.fewShotTokens)),
    t + num(sum((r) => r.worstCasePromptTokens)),
    '',
    '',
    '',
    // Cost per 1,000 calls is per version: a sum over versions means nothing.
    '',
  ];
  // VERSION and MODEL left; numbers align right.
  const [head, ...body] = alignRows(header, [...rows, totals], 2);
  const lines = [style('bold', head!), ...body];
  const standIns = [...new Set(reports.filter((r) => r.approximate).map((r) => `${r.model} with ${r.encoding}`))];
  if (standIns.length > 0) {
    lines.push(`≈ approximate: these models' tokenizers are not public; counted ${standIns.join(', ')}`);
  }
  // A "-" in the cost column would otherwise read as free, or as a failure to count.
  const unpriced = [...new Set(reports.filter((r) => r.costPer1kCalls === undefined && !r.outputUnbounded).map((r) => r.model))];
  if (unpriced.length > 0) {
    lines.push(`$/1K CALLS - : no price for ${unpriced.join(', ')} (a model needs both inputCostPer1M and outputCostPer1M in promptctl.yaml's models:)`);
  }
  const assumed = assumedOutputNote(reports);
  if (assumed !== undefined) lines.push(assumed);
  const unbounded = [...new Set(reports.filter((r) => r.outputUnbounded).map((r) => r.model))];
  if (unbounded.length > 0) {
    lines.push(`$/1K CALLS - : no maxTokens, and no maxOutputTokens for ${unbounded.join(', ')} in promptctl.yaml's models: the output, and so the cost, has no bound`);
  }
  // Once per model: a snapshot's own price, window or output limit may differ from its family's.
  const pricedAs = [...new Map(reports.filter((r) => r.pricedAs !== undefined).map((r) => [r.model, r.pricedAs!])).entries()];
  for (const [model, family] of pricedAs) {
    lines.push(`${model}: counted and priced as ${family}, its family; declare it under models: in promptctl.yaml if its price, window or output limit differ`);
  }
  // The columns do not add up to the worst case by themselves: say what else it holds.
  lines.push(
    'SYSTEM and USER are the fixed text, plus 1 token a side where a placeholder meets text or another; WORST CASE adds FEW-SHOT, each variable\'s bound and the chat framing (3 tokens and the role a message, 3 priming the reply); USE is WORST CASE plus MAX OUT of CONTEXT',
  );
  return lines.join('\n');
}

/**
 * MAX OUT "-" costs an output, not nothing: the model's maximum (once per model), or, where the
 * context window leaves less after a version's worst-case prompt, that (per version).
 */
function assumedOutputNote(reports: readonly VersionTokenReport[]): string | undefined {
  const open = reports.filter((r) => r.assumedOutputTokens !== undefined);
  const byModel = [...new Map(open.filter((r) => r.assumedOutputFrom !== 'contextWindow').map((r) => [r.model, `${r.model}: ${num(r.assumedOutputTokens!)}`])).values()];
  const byWindow = open.filter((r) => r.assumedOutputFrom === 'contextWindow').map((r) => `${r.address.replace(/^PromptVersion\//, '')}: ${num(r.assumedOutputTokens!)} of ${r.model}'s ${num(r.contextWindow)}`);
  if (open.length === 0) return undefined;
  const window = `what the context window leaves after the worst-case prompt, less than the model's maximum output (${byWindow.join(', ')})`;
  const assumes =
    byModel.length === 0 ? window : `the model's maximum output (${byModel.join(', ')})${byWindow.length > 0 ? `, or ${window}` : ''}`;
  return `MAX OUT - : no maxTokens; the cost assumes ${assumes}: set maxTokens to bound it`;
}
