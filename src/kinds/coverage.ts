// Which templates the enabled safety filters guard once a plan is applied: git's templates and
// filters, and the live ones git does not name (left as they are). A label selector covers
// templates by their labels, so a filter's new selector, or a template's new labels, can leave a
// template unguarded while no field change says so (`team: billing` → `team: billing-eu`).
import { filterAddress, templateAddress } from '../model/address.js';
import { filterCovers } from '../model/filters.js';
import type { DesiredState, Labels, SafetyFilter } from '../model/types.js';
import type { LiveState } from './kind.js';
import { userLabels } from './labels.js';

export interface GuardedTemplate {
  name: string;
  labels: Labels;
}

export interface Guard {
  name: string;
  appliesTo: SafetyFilter['appliesTo'];
}

/** What weakenings are judged against, each part made on its first use (most plans change no filter and no template's labels). */
export interface Coverage {
  /** Templates as the plan leaves them, with their own labels (promptctl's left out). */
  readonly templates: readonly GuardedTemplate[];
  /** Enabled filters as the plan leaves them. */
  readonly filters: readonly Guard[];
}

/**
 * `deleted`: the addresses of live objects the plan deletes (pruned, not pending): a template the
 * plan removes is no template left unguarded, and a filter it removes guards nothing after it.
 */
export function coverageAfter(desired: DesiredState, live: LiveState, deleted: ReadonlySet<string> = new Set()): Coverage {
  let templates: GuardedTemplate[] | undefined;
  let filters: Guard[] | undefined;
  return {
    get templates() {
      if (templates) return templates;
      const inGit = new Set(desired.templates.map((t) => t.name));
      templates = desired.templates.map((t) => ({ name: t.name, labels: t.labels }));
      for (const t of live.templates) {
        if (!inGit.has(t.name) && !deleted.has(templateAddress(t.name))) templates.push({ name: t.name, labels: userLabels(t.labels ?? undefined) });
      }
      return templates;
    },
    get filters() {
      if (filters) return filters;
      const inGit = new Set(desired.filters.map((f) => f.name));
      filters = desired.filters.filter((f) => f.enabled).map((f) => ({ name: f.name, appliesTo: f.appliesTo }));
      for (const f of live.filters) {
        if (!inGit.has(f.name) && f.enabled !== false && !deleted.has(filterAddress(f.name))) filters.push({ name: f.name, appliesTo: f.appliesTo });
      }
      return filters;
    },
  };
}

/** The first ten names of a list, and how many more. */
export function namesList(names: readonly string[]): string {
  return names.length > 10 ? `${names.slice(0, 10).join(', ')} and ${names.length - 10} more` : names.join(', ');
}

/** The templates `before` covered that `after` does not, by name. */
export function templatesLost(templates: readonly GuardedTemplate[], before: SafetyFilter['appliesTo'], after: SafetyFilter['appliesTo']): string[] {
  return templates.filter((t) => filterCovers(before, t.name, t.labels) && !filterCovers(after, t.name, t.labels)).map((t) => t.name).sort();
}

/** The filters that guard template `name` with its labels `before`, but not with `after`. */
export function guardsLost(filters: readonly Guard[], name: string, before: Labels, after: Labels): string[] {
  return filters.filter((f) => filterCovers(f.appliesTo, name, before) && !filterCovers(f.appliesTo, name, after)).map((f) => f.name).sort();
}
