// promptctl validate: every problem in the prompts directory, at its file:line:column.
import { relative, resolve, sep } from 'node:path';
import { Option, type Command } from 'commander';
import { hasErrors, type Diagnostic } from '../model/diagnostic.js';
import { isInside } from '../util/inside.js';
import { DIAGNOSTIC_FORMATS, formatJsonError, NO_YAML, renderDiagnostics, summaryLine, type DiagnosticFormat } from '../views/diagnostics.js';
import type { CliContext } from './context.js';

export function registerValidate(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('check the prompt YAML: schema, semantic rules, token budgets; exit 1 on any error')
    .option('--dir <dir>', 'prompts directory', 'prompts')
    .addOption(new Option('--format <format>', 'output format').choices(DIAGNOSTIC_FORMATS).default('text'))
    // With json, a run that ends in an error (no prompts directory) still writes a document.
    .on('option:format', (format: string) => {
      ctx.failureDocument = format === 'json' ? (message) => ({ kind: 'json', text: formatJsonError(message, []) }) : undefined;
    })
    .action(async (opts: { dir: string; format: DiagnosticFormat }) => {
      const { loadProject } = await import('../load/index.js');
      // --env: that environment's resulting state (DESIGN §6); without it, every environment's.
      const environment = ctx.environment?.name;
      const result = await loadProject({ dir: opts.dir, cwd: ctx.cwd, tokenMemo: ctx.tokenMemo, knownSecrets: ctx.knownSecrets, secretOf: ctx.secretOf, ...(environment !== undefined ? { environment } : {}) });
      ctx.learnConfigSecrets((result.union ?? result.state)?.config);
      const ds = result.diagnostics;
      // Colour in text only; ctx.style itself honours TTY, NO_COLOR and --no-color.
      const shown = opts.format === 'github' ? fromWorkspace(ds, ctx.cwd, ctx.env.GITHUB_WORKSPACE) : ds;
      const yamlCount = result.files.filter((f) => /\.ya?ml$/i.test(f)).length;
      // A directory that could not be listed is said as such: "none found" would contradict it.
      const noYaml = yamlCount === 0 && result.unlisted === undefined;
      const report = renderDiagnostics(shown, opts.format, opts.format === 'text' ? ctx.style : undefined, noYaml ? [NO_YAML] : []);
      ctx.failureDocument = undefined;
      if (report) ctx.outAs(opts.format, report);
      const summary = summaryLine(ds, yamlCount, environment, result.unlisted === true);
      const failed = hasErrors(ds);
      ctx.info(failed ? ctx.style('red', summary) : summary);
      ctx.exitCode = failed ? 1 : 0;
    });
}

/**
 * GitHub places an annotation by a path from the repository's root (the workspace), not from the
 * step's working directory: a step run in a subdirectory (the action's `working-directory`) would
 * annotate files that do not exist. A file outside the workspace keeps its path.
 */
export function fromWorkspace(ds: readonly Diagnostic[], cwd: string, workspace: string | undefined): readonly Diagnostic[] {
  if (!workspace) return ds;
  const root = resolve(workspace);
  if (resolve(cwd) === root) return ds;
  return ds.map((d) => {
    const file = resolve(cwd, d.file);
    return isInside(root, file) ? { ...d, file: relative(root, file).split(sep).join('/') } : d;
  });
}
