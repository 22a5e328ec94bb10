// A saved plan. Written (`plan --out`): as the file holds it, the run's secrets masked and the
// seal made over that. Read (`apply PLANFILE`, `show PLANFILE`): the file, then its schema
// (schemas/plan.schema.json, every problem at file:line:column), then its seal.
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { isInside, realPathOr } from '../util/inside.js';
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
    if (code === 'ENOENT') throw new UserError(`plan file ${file} does not exist`);
    if (code === 'EISDIR') throw new UserError(`plan file ${file} is a directory: give the file \`plan --out\` wrote`);
    throw new UserError(`cannot read plan file ${file}: ${visibleName((err as Error).message)}`);
  }
  const { checkPlanFile } = await import('../schema/plan-file.js');
  const checked = checkPlanFile(text, file);
  if (!checked.ok) {
    const lines = checked.diagnostics.map((d) => formatText(d));
    throw new UserError(`${file} is not a valid plan file; nothing was done:\n${lines.join('\n')}`);
  }
  return sealedPlan(checked.data, file);
}

/**
 * Refuses a `plan --out` path that holds something other than a plan, before anything is read or
 * planned: plan is read-only, and a slip of the path must not replace the emulator's state, the
 * audit trail or a prompt document. An empty file or a plan of an earlier run is replaced; a new
 * YAML file in the prompts directory would be read as one of its documents.
 */
export async function checkPlanOut(cwd: string, out: string, dir: string): Promise<void> {
  const path = resolve(cwd, out);
  const name = visibleName(out);
  if (/\.ya?ml$/i.test(path) && (isInside(resolve(cwd, dir), path) || isInside(realPathOr(resolve(cwd, dir)), realParent(path)))) {
    throw new UserError(`--out ${name} is in the prompts directory ${visibleName(dir)}, where it would be read as a YAML document: give a path outside it (plan.json, say)`);
  }
  let size: number;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw new UserError(`--out ${name} is a directory: give a file path (${visibleName(`${out.replace(/\/+$/, '')}/plan.json`)}, say)`);
    size = st.size;
  } catch (err) {
    if (err instanceof UserError) throw err;
    return; // not there (or not reachable): writing it says what is wrong
  }
  if (size === 0 || isPlanJson(await readFile(path, 'utf8').catch(() => ''))) return;
  throw new UserError(`--out ${name} exists and is not a promptctl plan: refusing to replace it (move it aside, or give another path)`);
}

/** Whether a text is a plan file's JSON (its frame; apply checks the rest). */
function isPlanJson(text: string): boolean {
  try {
    const data = JSON.parse(text) as { formatVersion?: unknown; actions?: unknown; fingerprint?: unknown } | null;
    return typeof data === 'object' && data !== null && typeof data.formatVersion === 'number' && Array.isArray(data.actions) && typeof data.fingerprint === 'string';
  } catch {
    return false;
  }
}

/** A file that may not exist yet, through its directory's real path (a link to the prompts directory). */
function realParent(path: string): string {
  return join(realPathOr(dirname(path)), basename(path));
}
