// What a filter update weakens (it acts less, on fewer categories or templates, or less often):
// called out for a reviewer as a destructive change is (plan/build.ts). And the one widening its
// field changes hide: `appliesTo` removed reads as a list taken away, yet covers every template.
import type { SafetyFilter } from '../../model/types.js';
import type { FieldChange, PlanAction } from '../action.js';
import { namesList, templatesLost, type Coverage } from '../coverage.js';

/** From strongest to weakest. */
const FILTER_ACTIONS = ['block_and_log', 'redact_and_log', 'flag_and_pass'];

export function filterWeakening(a: PlanAction, coverage: Coverage): string[] {
  if (a.action !== 'update' || a.live === undefined) return [];
  return [...a.changes.flatMap(fieldWeakened), ...coverageLost(a.live, a.desired.body, coverage)];
}

function fieldWeakened(c: FieldChange): string[] {
  if (c.path === 'action' && typeof c.before === 'string' && typeof c.after === 'string') {
    const [from, to] = [FILTER_ACTIONS.indexOf(c.before), FILTER_ACTIONS.indexOf(c.after)];
    return from >= 0 && to > from ? [`action ${c.before} → ${c.after}`] : [];
  }
  if (c.path === 'categories') {
    const gone = strings(c.before).filter((x) => !strings(c.after).includes(x));
    return gone.length > 0 ? [`no longer covers ${gone.join(', ')}`] : [];
  }
  // A higher threshold fires less often. One added or removed leaves or takes the server's
  // default, which promptctl does not know: not said.
  const threshold = /^thresholds\.(\w+)$/.exec(c.path);
  if (threshold && typeof c.before === 'number' && typeof c.after === 'number' && c.after > c.before) return [`${threshold[1]} threshold ${c.before} → ${c.after}`];
  return [];
}

/** "covers every template (was support-triage)": an update whose filter leaves its selector for none. */
export function filterWidening(a: PlanAction): string[] {
  if (a.action !== 'update' || a.live === undefined) return [];
  const before = selectorOf(a.live);
  if (every(before) || !every(selectorOf(a.desired.body))) return [];
  const by = [(before.templates ?? []).join(', '), before.labels !== null ? 'templates with its labels' : ''].filter(Boolean).join(' and ');
  return [`covers every template (was ${by || 'no template'})`];
}

interface Selector {
  templates: string[] | null;
  labels: Record<string, unknown> | null;
}

/**
 * Templates the filter stops covering. By name, from the selectors, among the templates the plan
 * leaves (a name of one that is gone guarded nothing); with a label selector on
 * either side, the templates the plan leaves (git's, and the live ones git does not name) that the
 * old selector covered and the new one does not: `team: billing` → `team: billing-eu` leaves every
 * billing template unguarded without a name changing. A filter that was or ends disabled guards
 * nothing here (disabling one is said apart).
 */
function coverageLost(live: unknown, desired: unknown, coverage: Coverage): string[] {
  const enabled = (f: unknown) => (f as { enabled?: unknown } | undefined)?.enabled !== false;
  if (!enabled(live) || !enabled(desired)) return [];
  const before = selectorOf(live);
  const after = selectorOf(desired);
  if (every(after)) return [];
  if (every(before)) {
    const names = after.templates ?? [];
    const by = [names.join(', '), after.labels !== null ? 'templates with its labels' : ''].filter(Boolean).join(' and ');
    return [by ? `covers only ${by} (was every template)` : 'covers no template (was every template)'];
  }
  const gone =
    before.labels !== null || after.labels !== null
      ? templatesLost(coverage.templates, appliesToOf(before), appliesToOf(after))
      : namedLost(before.templates ?? [], after.templates ?? [], coverage);
  return gone.length > 0 ? [`no longer covers template${gone.length === 1 ? '' : 's'} ${namesList(gone)}`] : [];
}

/**
 * The names `before` lists and `after` does not, among the templates the plan leaves: a name of a
 * template that is gone (deleted by hand, or by this plan) guarded nothing, so dropping it weakens nothing.
 */
function namedLost(before: readonly string[], after: readonly string[], coverage: Coverage): string[] {
  const gone = before.filter((t) => !after.includes(t));
  if (gone.length === 0) return gone;
  const left = new Set(coverage.templates.map((t) => t.name));
  return gone.filter((t) => left.has(t));
}

/** A selector as the model writes `appliesTo` (model/filters.ts filterCovers reads it). */
function appliesToOf(s: Selector): SafetyFilter['appliesTo'] {
  return { ...(s.templates !== null ? { templates: s.templates } : {}), ...(s.labels !== null ? { labels: s.labels as Record<string, string> } : {}) };
}

/** No names and no labels: every template (as model/filters.ts filterCovers has it). */
function every(s: Selector): boolean {
  return s.templates === null && s.labels === null;
}

/** A filter's appliesTo, live (canonical) or desired (wire): an empty label map is none. */
function selectorOf(filter: unknown): Selector {
  const s = (filter as { appliesTo?: { templates?: unknown; labels?: unknown } | null } | undefined)?.appliesTo;
  const labels = s?.labels && typeof s.labels === 'object' && Object.keys(s.labels).length > 0 ? (s.labels as Record<string, unknown>) : null;
  return { templates: Array.isArray(s?.templates) ? strings(s.templates) : null, labels };
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
