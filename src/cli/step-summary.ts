// GitHub Actions' job summary: the markdown plan or test report is appended to the file
// GITHUB_STEP_SUMMARY names. A summary that cannot be written is a warning: the report is on
// stdout already, and the command's own exit code (a plan's 2, a test's 0) must stand.
import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describeFsError } from '../util/errors.js';
import { visibleName } from '../util/escapes.js';
import type { CliContext } from './context.js';

/** Appends `markdown` (masked, ending in a newline) to the job summary, when there is one. */
export async function appendStepSummary(ctx: CliContext, markdown: string): Promise<void> {
  const summary = ctx.env.GITHUB_STEP_SUMMARY;
  if (!summary) return;
  const masked = ctx.mask(markdown);
  try {
    await appendFile(resolve(ctx.cwd, summary), masked.endsWith('\n') ? masked : `${masked}\n`);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    ctx.info(`warning: cannot append to the job summary GITHUB_STEP_SUMMARY=${visibleName(summary)}: ${e.code ? `${e.code} ` : ''}${describeFsError(e)}; the report is on stdout`);
  }
}
