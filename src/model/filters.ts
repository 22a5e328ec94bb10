// Which templates a safety filter covers: the one reading of `appliesTo` (DESIGN §2), and how
// the filters covering a template on a target differ from git's, as `test` says it. Pure.
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

/**
 * Whether a live filter's selector covers a live template: as filterCovers, and a target's
 * `appliesTo.templates` may name the template by its id too (the gateway takes either).
 */
export function coversOnTarget(appliesTo: SafetyFilter['appliesTo'], template: { id: string; name: string; labels?: Labels | undefined }): boolean {
  return filterCovers(appliesTo, template.name, template.labels ?? {}) || appliesTo?.templates?.includes(template.id) === true;
}

/**
 * How the enabled safety filters covering a template on the target differ from git's covering it,
 * by filter name (kinds/as-in-git.ts finds them; `test` notes them: its calls met the target's).
 */
export interface FilterDifferences {
  /** Git's filters covering the template that the target does not hold. */
  absent: string[];
  /** Filters under the same name whose canonical forms differ (plan would update them). */
  differ: string[];
  /** The same filter on both sides, covering the template by git's labels for it and not by the target's. */
  coversInGitOnly: string[];
  /** The same filter on both sides, covering the template by the target's labels for it and not by git's. */
  coversOnTargetOnly: string[];
  /** The target's filters covering the template that git does not define. */
  notInGit: string[];
}
