// A saved plan. Written (`plan --out`): as the file holds it, the run's secrets masked and the
// seal made over that. Read (`apply PLANFILE`, `show PLANFILE`): the file, then its schema
// (schemas/plan.schema.json, every problem at file:line:column), then its seal.
import { readFile } from 'node:fs/promises';
import { maskedPlan, sealedPlan } from '../plan/file.js';
import type { Plan } from '../plan/types.js';
import { UserError } from '../util/errors.js';
import { renderJson } from '../views/plan-json.js';
import { formatText } from '../views/diagnostics.js';
import { visibleName } from '../util/escapes.js';
import type { CliContext } from './context.js';

/**
 * `plan` as a file of this run holds it (its plan JSON, and that plan): every secret value the run
 * knows masked, and sealed over the masked content, so that the file's own seal holds and `apply`
 * of it in the same environment can compare it with a fresh plan (apply/stale.ts). One scan of the
 * JSON when, as nearly always, it holds no secret.
 */
export function asSaved(ctx: CliContext, plan: Plan): { plan: Plan; json: string } {
  const json = renderJson(plan);
  if (ctx.mask(json) === json) return { plan, json };
  const masked = maskedPlan(plan, (text) => ctx.mask(text));
  // Masked again as a whole: a value the strings hold only between them (never seen) is still not written.
  return { plan: masked, json: ctx.mask(renderJson(masked)) };
}

/** The plan in `path`; `file` is how messages name it (made visible by the caller). Throws UserError on anything amiss. */
export async function readPlanFile(path: string, file: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `plan file ${file} does not exist` : `cannot read plan file ${file}: ${visibleName((err as Error).message)}`);
  }
  const { checkPlanFile } = await import('../schema/plan-file.js');
  const checked = checkPlanFile(text, file);
  if (!checked.ok) {
    const lines = checked.diagnostics.map((d) => formatText(d));
    throw new UserError(`${file} is not a valid plan file; nothing was done:\n${lines.join('\n')}`);
  }
  return sealedPlan(checked.data, file);
}
