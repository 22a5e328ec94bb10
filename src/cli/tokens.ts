// `promptctl tokens`: per-version token counts, worst case, context use and cost (DESIGN §4).
import { Option, type Command } from 'commander';
import { hasErrors, type Diagnostic } from '../model/diagnostic.js';
import { formatText } from '../views/diagnostics.js';
import { configIgnoredNote, hasAiStudioTexts, renderTokens, tokensNote } from '../views/tokens.js';
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
    // With json, a run that ends in an error (no prompts directory) still writes a document; one
    // refused for invalid files (--env on an invalid promptctl.yaml) carries their diagnostics.
    .on('option:format', (format: string) => {
      ctx.failureDocument = format === 'json' ? async (message, error) => (await import('./common.js')).jsonFailureDocument(ctx)(message, error) : undefined;
    })
    .action(async (opts: TokensOptions) => {
      ctx.exitCode = await runTokens(ctx, opts);
    });
}

async function runTokens(ctx: CliContext, opts: TokensOptions): Promise<number> {
  const { tokenMemo } = ctx;
  const [{ loadProject }, { tokenReport, aiStudioTokenReport, notCountedVersions }, { credentialMasker }, { maskStrings }] = await Promise.all([
    import('../load/index.js'),
    import('../tokens/index.js'),
    import('../rules/secrets.js'),
    import('../util/secrets.js'),
  ]);
  const environment = ctx.environment?.name; // --env: that environment's documents (DESIGN §6)
  const loaded = await loadProject({ dir: opts.dir, cwd: ctx.cwd, tokenMemo, knownSecrets: ctx.knownSecrets, secretOf: ctx.secretOf, ...(environment !== undefined ? { environment } : {}) });
  ctx.learnConfigSecrets((loaded.union ?? loaded.state)?.config);
  // Counts are reported for whatever loaded, even when something else is invalid: they are
  // often the very thing being investigated. Every error is shown and makes the exit code 1;
  // of the warnings only the token ones (the rest are validate's business). Nothing loaded at
  // all: every diagnostic.
  const { state } = loaded;
  // What the report quotes of the files (a guide's free-text name, an unknown model id, the
  // template a broken version names) is masked where it holds a credential, as the diagnostics
  // are: secrets/detected reports it by its kind, and no output repeats it.
  const mask = credentialMasker();
  const counted = state ? tokenReport(state, tokenMemo) : [];
  const reports = maskStrings(counted, mask);
  const texts = state ? maskStrings(aiStudioTokenReport(state, tokenMemo), mask) : undefined;
  const shown = state ? loaded.diagnostics.filter((d) => d.severity === 'error' || d.rule.startsWith('tokens/')) : loaded.diagnostics;
  // The versions not counted, each at the error that explains it (nothing on a clean run).
  const notCounted = maskStrings(notCountedVersions(loaded, counted, environment), mask);
  const rendered = renderTokens(reports, opts.format, ctx.style, texts, notCounted, shown);
  ctx.failureDocument = undefined;
  if (rendered !== '') ctx.outAs(opts.format, rendered);
  printDiagnostics(ctx, shown);
  const textsShown = texts !== undefined && hasAiStudioTexts(texts);
  const note = tokensNote(reports.length, notCounted, opts.dir, textsShown, hasErrors(shown));
  if (note !== undefined) ctx.info(note);
  // What was counted without a promptctl.yaml that failed to load is priced and bounded without it.
  if (loaded.configDropped && (reports.length > 0 || textsShown)) ctx.info(configIgnoredNote(loaded.configFile));
  return hasErrors(shown) ? 1 : 0;
}

/** Already in file:line:column order (the loader sorts them). */
function printDiagnostics(ctx: CliContext, ds: Diagnostic[]): void {
  for (const d of ds) ctx.info(formatText(d, ctx.style));
}
