// Reading a saved plan (`apply PLANFILE`, `show PLANFILE`): the file, then its schema
// (schemas/plan.schema.json, every problem at file:line:column), then its seal.
import { readFile } from 'node:fs/promises';
import { sealedPlan } from '../plan/file.js';
import type { Plan } from '../plan/types.js';
import { UserError } from '../util/errors.js';

/** The plan in `path`; `file` is how messages name it. Throws UserError on anything amiss. */
export async function readPlanFile(path: string, file: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `plan file ${file} does not exist` : `cannot read plan file ${file}: ${(err as Error).message}`);
  }
  const { checkPlanFile } = await import('../schema/plan-file.js');
  const checked = checkPlanFile(text, file);
  if (!checked.ok) {
    const lines = checked.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: error: ${d.message} [${d.rule}]`);
    throw new UserError(`${file} is not a valid plan file; nothing was done:\n${lines.join('\n')}`);
  }
  return sealedPlan(checked.data, file);
}
