// `promptctl tokens`: per-version token counts, worst case, context use and cost (DESIGN §4).
import { Option, type Command } from 'commander';
import { hasErrors, type Diagnostic } from '../model/diagnostic.js';
import type { VersionTokenReport } from '../tokens/index.js';
import { out, paint } from './output.js';
import { formatText } from './validate.js';

interface TokensOptions {
  dir: string;
  format: 'text' | 'json';
}

export function registerTokens(program: Command): void {
  program
    .command('tokens')
    .description('Count tokens per prompt version: texts, worst case with every variable at its bound, context use, cost per 1,000 calls')
    .option('--dir <dir>', 'prompts directory', 'prompts')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts: TokensOptions) => {
      process.exitCode = await runTokens(opts);
    });
}

async function runTokens(opts: TokensOptions): Promise<number> {
  const [{ loadProject }, { tokenReport }] = await Promise.all([import('../config/project.js'), import('../tokens/index.js')]);
  const loaded = await loadProject({ dir: opts.dir });
  if (!loaded.state) {
    printDiagnostics(loaded.diagnostics);
    return 1;
  }
  // Counts are reported for whatever loaded, even when something else is invalid: they are
  // often the very thing being investigated. Every error is shown and makes the exit code 1;
  // of the warnings only the token ones (the rest are validate's business).
  const reports = tokenReport(loaded.state);
  const shown = loaded.diagnostics.filter((d) => d.severity === 'error' || d.rule.startsWith('tokens/'));
  out(opts.format === 'json' ? JSON.stringify({ versions: reports }, null, 2) : renderTable(reports, opts.dir));
  printDiagnostics(shown);
  return hasErrors(shown) ? 1 : 0;
}

/** Already in file:line:column order (the loader sorts them). */
function printDiagnostics(ds: Diagnostic[]): void {
  for (const d of ds) process.stderr.write(`${formatText(d, true)}\n`);
}

const num = (n: number): string => n.toLocaleString('en-US');

/** The aligned table: one row per version, then totals. "≈" marks approximate counts. */
export function renderTable(reports: VersionTokenReport[], dir: string): string {
  if (reports.length === 0) return `no prompt versions under ${dir}`;
  const header = ['VERSION', 'MODEL', 'SYSTEM', 'USER', 'FEW-SHOT', 'WORST CASE', 'MAX OUT', 'CONTEXT', 'USE', '$/1K CALLS'];
  const rows = reports.map((r) => {
    const a = r.approximate ? '≈' : '';
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
      `${((needed / r.contextWindow) * 100).toFixed(1)}%`,
      r.costPer1kCalls === undefined ? '-' : `${a}${r.costPer1kCalls.toFixed(4)}`,
    ];
  });
  const t = reports.some((r) => r.approximate) ? '≈' : '';
  const sum = (f: (r: VersionTokenReport) => number): number => reports.reduce((s, r) => s + f(r), 0);
  const priced = reports.filter((r) => r.costPer1kCalls !== undefined);
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
    priced.length === 0 ? '-' : t + sum((r) => r.costPer1kCalls ?? 0).toFixed(4),
  ];
  const all = [header, ...rows, totals];
  const widths = header.map((_, i) => Math.max(...all.map((row) => [...(row[i] ?? '')].length)));
  const leftAligned = 2; // VERSION and MODEL; numbers align right
  const line = (row: string[]): string =>
    row
      .map((cell, i) => {
        const pad = ' '.repeat(widths[i]! - [...cell].length);
        return i < leftAligned ? cell + pad : pad + cell;
      })
      .join('  ')
      .trimEnd();
  const lines = [paint('bold', line(header)), ...rows.map(line), line(totals)];
  const standIns = [...new Set(reports.filter((r) => r.approximate).map((r) => `${r.model} with ${r.encoding}`))];
  if (standIns.length > 0) {
    lines.push(`≈ approximate: these models' tokenizers are not public; counted ${standIns.join(', ')}`);
  }
  return lines.join('\n');
}
