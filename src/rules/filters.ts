// Safety filters: thresholds only for listed categories, an appliesTo that covers some template, a unique priority among enabled
// filters, and at most 50 enabled (the gateway's limit). Priorities and the limit are an org's:
// filters kept to environments they do not share (metadata.environments) never meet, so they
// never conflict, and each environment's enabled filters are counted on their own.
import type { Diagnostic } from '../model/diagnostic.js';
import { MAX_ENABLED_FILTERS, type DesiredState, type SafetyFilter } from '../model/types.js';
import { diagnostic, locate, where } from './util.js';

export function checkFilters(state: DesiredState): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byPriority = new Map<number, SafetyFilter[]>();

  for (const f of state.filters) {
    for (const category of Object.keys(f.thresholds)) {
      if ((f.categories as string[]).includes(category)) continue;
      out.push(
        diagnostic(
          // At the category (the key), not the threshold's value beside it.
          f.keyLocations?.[`spec.thresholds.${category}`] ?? locate(f, `spec.thresholds.${category}`),
          'error',
          'filters/threshold-category',
          `threshold for "${category}", which is not among the filter's categories (${f.categories.join(', ')}); add it to categories or remove the threshold`,
        ),
      );
    }
    if (!f.enabled) continue;
    // `templates: []` is a selector that selects nothing (model/filters.ts, as the gateway reads
    // it), not the default, every template: a filter enabled to protect nothing, said nowhere else.
    const labels = f.appliesTo?.labels;
    if (f.appliesTo?.templates?.length === 0 && (labels === undefined || Object.keys(labels).length === 0)) {
      out.push(
        diagnostic(
          locate(f, 'spec.appliesTo.templates'),
          'warning',
          'filters/covers-nothing',
          `appliesTo.templates is empty and no labels are given, so filter "${f.name}" covers no template and screens nothing; remove appliesTo to cover every template, or name the templates`,
        ),
      );
    }
    let holders = byPriority.get(f.priority);
    if (!holders) byPriority.set(f.priority, (holders = []));
    const holder = holders.find((h) => shareAnEnvironment(h, f));
    if (holder) {
      out.push(
        diagnostic(
          locate(f, 'spec.priority'),
          'error',
          'filters/priority-conflict',
          `priority ${f.priority} is already held by enabled filter "${holder.name}" (${where(locate(holder, 'spec.priority'))}); enabled filters need distinct priorities`,
        ),
      );
    }
    holders.push(f);
  }
  out.push(...limitDiagnostics(state.filters.filter((f) => f.enabled), Object.keys(state.config.environments)));
  return out;
}

/**
 * More than MAX_ENABLED_FILTERS enabled filters in one org, reported at the first past the limit:
 * one org when no filter is kept to environments, else each environment configured or named (a
 * filter without metadata.environments is in every one).
 */
function limitDiagnostics(enabled: readonly SafetyFilter[], configured: readonly string[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (enabled.length <= MAX_ENABLED_FILTERS) return out;
  const named = enabled.flatMap((f) => f.environments ?? []);
  const orgs: (string | undefined)[] = named.length === 0 ? [undefined] : [...new Set([...configured, ...named])];
  const reported = new Set<SafetyFilter>();
  for (const env of orgs) {
    const inOrg = env === undefined ? enabled : enabled.filter((f) => f.environments === undefined || f.environments.includes(env));
    const f = inOrg[MAX_ENABLED_FILTERS];
    if (!f || reported.has(f)) continue;
    reported.add(f);
    out.push(
      diagnostic(
        f.locations['spec.enabled'] ?? locate(f, 'metadata.name'),
        'error',
        'filters/limit',
        `${inOrg.length} safety filters are enabled${env === undefined ? '' : ` in environment ${env}`}; the gateway allows at most ${MAX_ENABLED_FILTERS} (this is number ${MAX_ENABLED_FILTERS + 1}): disable or remove some`,
      ),
    );
  }
  return out;
}

/** Whether two documents can be in one org: either is in every environment, or they name one in common. */
function shareAnEnvironment(a: { environments?: string[] }, b: { environments?: string[] }): boolean {
  return a.environments === undefined || b.environments === undefined || a.environments.some((e) => b.environments!.includes(e));
}
