// promptctl validate: every problem in the prompts directory, at its file:line:column.
import { Option, type Command } from 'commander';
import { hasErrors, type Diagnostic } from '../model/diagnostic.js';
import { info, out, paint } from './output.js';

export const DIAGNOSTIC_FORMATS = ['text', 'json', 'github'] as const;
export type DiagnosticFormat = (typeof DIAGNOSTIC_FORMATS)[number];

/** `path:line:col: error|warning: message [rule]` (DESIGN §2). */
export function formatText(d: Diagnostic, color = false): string {
  const sev = color ? paint(d.severity === 'error' ? 'red' : 'yellow', d.severity) : d.severity;
  const rule = color ? paint('dim', `[${d.rule}]`) : `[${d.rule}]`;
  return `${d.file}:${d.line}:${d.column}: ${sev}: ${oneLine(d.message)} ${rule}`;
}

/** GitHub Actions workflow command; escaping as in @actions/core (data vs property values). */
export function formatGithub(d: Diagnostic): string {
  const props = `file=${escapeProperty(d.file)},line=${d.line},col=${d.column},title=${escapeProperty(d.rule)}`;
  return `::${d.severity} ${props}::${escapeData(d.message)}`;
}

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatJson(ds: readonly Diagnostic[]): string {
  const diagnostics = ds.map((d) => ({
    file: d.file,
    line: d.line,
    column: d.column,
    severity: d.severity,
    rule: d.rule,
    message: d.message,
  }));
  return JSON.stringify({ diagnostics }, null, 2);
}

/** The whole report for a format ("" for text/github with no diagnostics). */
export function renderDiagnostics(ds: readonly Diagnostic[], format: DiagnosticFormat, color = false): string {
  if (format === 'json') return formatJson(ds) + '\n';
  const lines = ds.map((d) => (format === 'github' ? formatGithub(d) : formatText(d, color)));
  return lines.length ? lines.join('\n') + '\n' : '';
}

export function summaryLine(ds: readonly Diagnostic[], fileCount: number): string {
  const errors = ds.filter((d) => d.severity === 'error').length;
  const warnings = ds.length - errors;
  const files = `${fileCount} ${fileCount === 1 ? 'file' : 'files'}`;
  if (fileCount === 0) return 'no *.yaml or *.yml files found: nothing to validate';
  if (ds.length === 0) return `${files} checked: no problems found`;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${files} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

/** Messages are one line in text output (a stray newline would break `file:line:` parsing). */
function oneLine(s: string): string {
  return s.replace(/\r?\n/g, ' ');
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check the prompt YAML: schema, semantic rules, token budgets; exit 1 on any error')
    .option('--dir <dir>', 'prompts directory', 'prompts')
    .addOption(new Option('--format <format>', 'output format').choices(DIAGNOSTIC_FORMATS).default('text'))
    .addHelpText(
      'after',
      `
Every problem is reported with where it is, one per line:
  prompts/billing/v1.yaml:12:7: error: placeholder {{acount}} in userTemplate is not a declared variable (did you mean "account"?) [placeholders/undeclared]

Formats:
  text    path:line:col: error|warning: message [rule]   (summary on stderr)
  json    {"diagnostics":[{"file","line","column","severity","rule","message"}]}
  github  ::error file=...,line=...,col=...,title=<rule>::message   (pull-request annotations)

Exit status: 1 if any error was found, 0 otherwise (warnings alone pass).

Examples:
  $ promptctl validate
  $ promptctl validate --dir prompts --format json | jq '.diagnostics[] | select(.severity=="error")'
  $ promptctl validate --format github        # in a GitHub Actions step`,
    )
    .action(async (opts: { dir: string; format: DiagnosticFormat }) => {
      const { loadProject } = await import('../config/project.js');
      const result = await loadProject({ dir: opts.dir });
      const ds = result.diagnostics;
      const color = opts.format === 'text'; // paint() itself honours TTY, NO_COLOR and --no-color
      const report = renderDiagnostics(ds, opts.format, color);
      if (report) out(report);
      const yamlCount = result.files.filter((f) => /\.ya?ml$/i.test(f)).length;
      const summary = summaryLine(ds, yamlCount);
      const failed = hasErrors(ds);
      info(failed ? paint('red', summary) : summary);
      if (failed) process.exitCode = 1;
    });
}
