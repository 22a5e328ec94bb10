// `promptctl tokens`: per-version token counts, worst case, context use and cost (DESIGN §4).
import { Option, type Command } from 'commander';
import { hasErrors, type Diagnostic } from '../model/diagnostic.js';
import { formatText } from '../views/diagnostics.js';
import { relative, join, resolve, sep } from 'node:path';
import { isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { CONFIG_FILE } from '../config/discover.js';
import { readTextFileSync } from '../config/read.js';
import type { LoadResult } from '../load/index.js';
import { formatAddress } from '../model/address.js';
import type { VersionTokenReport } from '../tokens/index.js';
import { byCodeUnits } from '../util/compare.js';
import { renderTokens, tokensNote, type NotCountedVersion } from '../views/tokens.js';
import type { CliContext } from './context.js';

interface TokensOptions {
  dir: string;
  format: 'text' | 'json';
}

export function registerTokens(program: Command, ctx: CliContext): void {
  program
    .command('tokens')
    .description('count tokens per prompt version: texts, worst case with every variable at its bound, context use, cost per 1,000 calls')
    .option('--dir <dir>', 'prompts directory', 'prompts')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts: TokensOptions) => {
      ctx.exitCode = await runTokens(ctx, opts);
    });
}

async function runTokens(ctx: CliContext, opts: TokensOptions): Promise<number> {
  const { tokenMemo } = ctx;
  const [{ loadProject }, { tokenReport, aiStudioTokenReport }] = await Promise.all([import('../load/index.js'), import('../tokens/index.js')]);
  const environment = ctx.environment?.name; // --env: that environment's documents (DESIGN §6)
  const loaded = await loadProject({ dir: opts.dir, cwd: ctx.cwd, tokenMemo, knownSecrets: ctx.knownSecrets, ...(environment !== undefined ? { environment } : {}) });
  // Counts are reported for whatever loaded, even when something else is invalid: they are
  // often the very thing being investigated. Every error is shown and makes the exit code 1;
  // of the warnings only the token ones (the rest are validate's business). Nothing loaded at
  // all: every diagnostic.
  const { state } = loaded;
  const reports = state ? tokenReport(state, tokenMemo) : [];
  const texts = state ? aiStudioTokenReport(state, tokenMemo) : undefined;
  const shown = state ? loaded.diagnostics.filter((d) => d.severity === 'error' || d.rule.startsWith('tokens/')) : loaded.diagnostics;
  const notCounted = notCountedVersions(ctx.cwd, opts.dir, loaded, reports, environment);
  const rendered = renderTokens(reports, opts.format, ctx.style, texts, notCounted);
  if (rendered !== '') ctx.out(rendered);
  printDiagnostics(ctx, shown);
  const textsShown = texts !== undefined && texts.guides.length + texts.summarySettings.length > 0;
  const note = tokensNote(reports.length, notCounted, opts.dir, textsShown, hasErrors(shown));
  if (note !== undefined) ctx.info(note);
  return hasErrors(shown) ? 1 : 0;
}

/** Already in file:line:column order (the loader sorts them). */
function printDiagnostics(ctx: CliContext, ds: Diagnostic[]): void {
  for (const d of ds) ctx.info(formatText(d, ctx.style));
}

/**
 * The prompt versions under the prompts directory that `tokens` could not count, each with the
 * error that explains it: a version whose document did not load (a schema error beside a text
 * that is fine, a YAML error), found by reading the files with errors again leniently; and a
 * loaded version whose template is not there or whose model is unknown. Only files with errors
 * are read again, so a clean run reads nothing more.
 */
function notCountedVersions(
  cwd: string,
  dir: string,
  loaded: LoadResult,
  reports: readonly VersionTokenReport[],
  environment: string | undefined,
): NotCountedVersion[] {
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return [];
  const out: NotCountedVersion[] = [];
  const failed = failedDocuments(cwd, errors);
  const loadedVersions = new Set((loaded.union?.versions ?? []).map((v) => versionAddress(v.template, v.version)));
  const inThisEnvironment = (d: FailedDocument) => environment === undefined || d.environments === undefined || d.environments.includes(environment);
  for (const d of failed) {
    if (d.kind !== 'PromptVersion' || loadedVersions.has(d.address) || !inThisEnvironment(d)) continue;
    out.push({ address: d.address, reason: 'its document did not load', ...d.firstError });
  }
  const { state, union } = loaded;
  if (state) {
    const counted = new Set(reports.map((r) => r.address));
    const templates = new Map(state.templates.map((t) => [t.name, t] as const));
    const configFile = relative(cwd, join(resolve(cwd, dir), CONFIG_FILE)).split(sep).join('/');
    const configError = errors.find((e) => e.file === configFile);
    for (const v of state.versions) {
      const address = versionAddress(v.template, v.version);
      if (counted.has(address)) continue;
      const template = templates.get(v.template);
      const id = v.model ?? template?.model;
      if (id === undefined) {
        const at = v.locations['spec.template'] ?? v.source;
        const unloaded = failed.find((d) => d.kind === 'PromptTemplate' && d.name === v.template && inThisEnvironment(d));
        if (unloaded) out.push({ address, reason: `its template "${v.template}" did not load`, ...unloaded.firstError });
        else if (union?.templates.some((t) => t.name === v.template)) out.push({ address, reason: `its template "${v.template}" is not in environment ${environment ?? ''}`.trimEnd(), ...where(at) });
        else out.push({ address, reason: `its template "${v.template}" is not defined`, ...where(at) });
        continue;
      }
      if (configError !== undefined) {
        out.push({ address, reason: `its model "${id}" is not known while promptctl.yaml has errors`, ...where(configError) });
        continue;
      }
      const at = v.model !== undefined ? (v.locations['spec.model'] ?? v.source) : (template!.locations['spec.model'] ?? template!.source);
      out.push({ address, reason: `its model "${id}" is unknown`, ...where(at) });
    }
  }
  return out.sort((a, b) => byCodeUnits(a.address, b.address));
}

const versionAddress = (template: string, version: string): string => formatAddress({ kind: 'PromptVersion', name: template, version });

function where(at: { file: string; line: number; column: number }): { file: string; line: number; column: number } {
  return { file: at.file, line: at.line, column: at.column };
}

interface FailedDocument {
  kind: 'PromptVersion' | 'PromptTemplate';
  /** A version's address; a template's name. */
  address: string;
  name: string;
  environments: string[] | undefined;
  /** The first error inside the document. */
  firstError: { file: string; line: number; column: number };
}

/**
 * The PromptVersion and PromptTemplate documents of the YAML files with errors that have an error
 * of their own, read leniently (as the loader reads text: a byte-order mark dropped, lone CRs as
 * line breaks). A document runs from its start to the next one's; the first runs from line 1.
 */
function failedDocuments(cwd: string, errors: readonly Diagnostic[]): FailedDocument[] {
  const byFile = new Map<string, Diagnostic[]>();
  for (const e of errors) {
    if (!/\.ya?ml$/i.test(e.file)) continue;
    const list = byFile.get(e.file) ?? [];
    list.push(e);
    byFile.set(e.file, list);
  }
  const out: FailedDocument[] = [];
  for (const [file, fileErrors] of byFile) {
    const read = readTextFileSync(resolve(cwd, file));
    if (!read.ok) continue;
    const text = read.text.replace(/\r(?!\n)/g, '\n');
    const lineCounter = new LineCounter();
    let docs: Document.Parsed[];
    try {
      docs = parseAllDocuments(text, { lineCounter, uniqueKeys: false }) as Document.Parsed[];
      if (!Array.isArray(docs)) continue;
    } catch {
      continue;
    }
    const starts = docs.map((d, i) => (i === 0 ? 1 : lineCounter.linePos(d.range[0]).line));
    docs.forEach((doc, i) => {
      const first = fileErrors.find((e) => e.line >= starts[i]! && (i + 1 === docs.length || e.line < starts[i + 1]!));
      if (first === undefined) return;
      const found = describeDocument(doc, text);
      if (found) out.push({ ...found, firstError: where(first) });
    });
  }
  return out;
}

function describeDocument(doc: Document.Parsed, text: string): Omit<FailedDocument, 'firstError'> | undefined {
  const kind = scalarText(doc.get('kind', true), text);
  if (kind !== 'PromptVersion' && kind !== 'PromptTemplate') return undefined;
  const envNode = doc.getIn(['metadata', 'environments'], true);
  const environments = isSeq(envNode) ? envNode.items.map((item) => scalarText(item, text) ?? '') : undefined;
  if (kind === 'PromptTemplate') {
    const name = scalarText(doc.getIn(['metadata', 'name'], true), text);
    return name === undefined ? undefined : { kind, name, address: formatAddress({ kind, name }), environments };
  }
  const template = scalarText(doc.getIn(['spec', 'template'], true), text);
  const version = scalarText(doc.getIn(['spec', 'version'], true), text);
  if (template === undefined || version === undefined) return undefined;
  return { kind, name: template, address: versionAddress(template, version), environments };
}

/** A scalar's string, or a plain number's text as written (`version: 1.0` is "1.0", not 1). */
function scalarText(node: unknown, text: string): string | undefined {
  if (!isScalar(node)) return undefined;
  if (typeof node.value === 'string') return node.value;
  if (typeof node.value === 'number' && node.range) return text.slice(node.range[0], node.range[1]).trim();
  return undefined;
}
