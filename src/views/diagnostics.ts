// Diagnostics as validate (and every command that loads prompts) prints them: text
// `file:line:col: error|warning: message [rule]` (DESIGN §2), JSON, and GitHub Actions workflow
// commands for pull-request annotations; plus validate's one-line summary. Pure: data in,
// string out; colour through the injected Style.
import type { Diagnostic } from '../model/diagnostic.js';
import { annotationMessage, escapeProperty, oneLine, visible, visibleName } from '../util/escapes.js';
import { plain, type Style } from './style.js';
import { setEntry } from '../util/entries.js';

export const DIAGNOSTIC_FORMATS = ['text', 'json', 'github'] as const;
export type DiagnosticFormat = (typeof DIAGNOSTIC_FORMATS)[number];

/**
 * `path:line:col: error|warning: message [rule]` (DESIGN §2). The path is a file name as found on
 * disk, which may hold an ESC or a line break: made visible like the message, and kept on its line.
 */
export function formatText(d: Diagnostic, style: Style = plain): string {
  const sev = style(d.severity === 'error' ? 'red' : 'yellow', d.severity);
  const rule = style('dim', `[${d.rule}]`);
  return `${visibleName(d.file)}:${d.line}:${d.column}: ${sev}: ${oneLine(d.message)} ${rule}`;
}

/** GitHub Actions workflow command; escaping as in @actions/core (data vs property values). */
export function formatGithub(d: Diagnostic): string {
  const props = `file=${escapeProperty(visible(d.file))},line=${d.line},col=${d.column},title=${escapeProperty(d.rule)}`;
  return `::${d.severity} ${props}::${annotationMessage(d.message)}`;
}

// The workflow command escapes live where masking knows their forms (util/escapes.ts).
export { escapeData, escapeProperty } from '../util/escapes.js';

/** `warnings`: what concerns no file (a directory without YAML), said only when there is some. */
export function formatJson(ds: readonly Diagnostic[], warnings: readonly string[] = []): string {
  return JSON.stringify({ diagnostics: jsonDiagnostics(ds), ...(warnings.length ? { warnings } : {}) }, null, 2);
}

/**
 * The document a `--format json` command writes when it ends in an error instead of its own (a
 * plan, a test report): the error's one line and, for invalid files, their diagnostics as
 * `validate --format json` gives them. A reader then says why rather than failing on an empty file.
 */
export function formatJsonError(message: string, ds: readonly Diagnostic[]): string {
  return JSON.stringify({ error: message, diagnostics: jsonDiagnostics(ds) }, null, 2);
}

/** Diagnostics as every JSON document holds them: the six fields, in this order. */
export function jsonDiagnostics(ds: readonly Diagnostic[]) {
  return ds.map((d) => ({ file: d.file, line: d.line, column: d.column, severity: d.severity, rule: d.rule, message: d.message }));
}

/**
 * The whole report for a format ("" for text/github with no diagnostics); `style` colours text
 * only. `warnings` concern no file: JSON holds them, github annotates the run with them (text
 * says them in its summary line, on stderr).
 */
export function renderDiagnostics(ds: readonly Diagnostic[], format: DiagnosticFormat, style: Style = plain, warnings: readonly string[] = []): string {
  if (format === 'json') return formatJson(ds, warnings) + '\n';
  const lines = ds.map((d) => (format === 'github' ? formatGithub(d) : formatText(d, style)));
  if (format === 'github') for (const w of warnings) lines.push(`::warning title=promptctl validate::${annotationMessage(w)}`);
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** What validate says of a prompts directory without YAML: it passes, but a wrong --dir should not look like a pass. */
export const NO_YAML = 'no *.yaml or *.yml files found: nothing to validate (is --dir right?)';

/**
 * "3 files checked: no problems found". `environment`: the one --env named, whose documents were
 * checked (DESIGN §6), said in the line: a pass for prod is not one for staging. `filesUnknown`:
 * a directory could not be listed, so no file found is not "nothing to validate".
 */
export function summaryLine(ds: readonly Diagnostic[], fileCount: number, environment?: string, filesUnknown = false): string {
  const errors = ds.filter((d) => d.severity === 'error').length;
  const warnings = ds.length - errors;
  const files = `${fileCount} ${fileCount === 1 ? 'file' : 'files'}${environment !== undefined ? ` checked for environment ${visibleName(environment)}` : ' checked'}`;
  // A warning: an empty directory passes, but a --dir that names the wrong one should not look like a pass.
  if (fileCount === 0 && !filesUnknown) return `warning: ${NO_YAML}`;
  if (ds.length === 0) return `${files}: no problems found`;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${files}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

/** `value` with every string in it made visible (plain data: objects and arrays are copied). */
export function visibleIn<T>(value: T): T {
  if (typeof value === 'string') return visible(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => visibleIn(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setEntry(out, k, visibleIn(v));
    return out as T;
  }
  return value;
}
