// Which templates a safety filter covers: the one reading of `appliesTo` (DESIGN §2). Pure.
import type { Labels, SafetyFilter } from './types.js';

/**
 * Whether a filter's selector covers a template: no selector covers every template; otherwise
 * the template is named in `templates`, or carries every label of `labels`.
 */
export function filterCovers(appliesTo: SafetyFilter['appliesTo'], template: string, labels: Labels): boolean {
  const names = appliesTo?.templates;
  const sel = appliesTo?.labels;
  const hasSel = sel !== undefined && Object.keys(sel).length > 0;
  if (names === undefined && !hasSel) return true;
  if (names?.includes(template)) return true;
  return hasSel && Object.entries(sel).every(([k, v]) => labels[k] === v);
}
