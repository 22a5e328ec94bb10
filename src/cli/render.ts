// The three plan formats of DESIGN §4, behind one switch, for plan, apply and drift. The
// renderers (and their diff library) are loaded when a plan is rendered.
import { UserError } from '../util/errors.js';
import type { Plan } from '../plan/types.js';
import { renderJson } from '../views/plan-json.js';
import type { Style } from '../views/style.js';

export const PLAN_FORMATS = ['text', 'markdown', 'json'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export function parseFormat(value: string): PlanFormat {
  if ((PLAN_FORMATS as readonly string[]).includes(value)) return value as PlanFormat;
  throw new UserError(`--format must be one of ${PLAN_FORMATS.join(', ')}, not "${value}"`);
}

/** `dir` is the prompts directory, named in the "no changes" line; `style` colours text. */
export async function renderPlan(plan: Plan, format: PlanFormat, style: Style, dir?: string, more?: string): Promise<string> {
  switch (format) {
    case 'text':
      return (await import('../views/plan-text.js')).renderText(plan, { style, ...(dir ? { dir } : {}) });
    case 'markdown':
      return (await import('../views/plan-markdown.js')).renderMarkdown(plan, { ...(dir ? { dir } : {}), ...(more ? { more } : {}) });
    case 'json':
      return renderJson(plan);
  }
}

/**
 * Where a markdown plan cut to one comment's size points for all of it: in GitHub Actions the JSON
 * plan artifact the workflows upload, when the plan was saved to a file (`saved`); elsewhere, or
 * when nothing was saved to upload, the command that prints it whole (`verb`: how it is given the plan).
 */
export function wholePlanPointer(env: NodeJS.ProcessEnv, command: string, saved = true, verb = 'run'): string | undefined {
  return env.GITHUB_ACTIONS === 'true' && saved ? undefined : `${verb} \`${command}\` for all of it`;
}
