// SafetyFilter: its canonical form, model ⇄ wire, and the calls apply makes, including step 1 of
// a priority swap (staging at a free priority). Planning, with the priority order the server
// demands, is in plan.ts.
import { filterAddress } from '../../model/address.js';
import type { FilterAction, FilterCategory, SafetyFilter } from '../../model/types.js';
import type { FilterCreate, WireFilter } from '../../targets/llmgateway/wire.js';
import type { PlanAction, WriteAction } from '../action.js';
import { canonicalEqual, canonicalHash, optionalText, type Canonical } from '../canonical.js';
import { setEntry } from '../../util/entries.js';
import type { ApplyContext, CallResult, Kind, Snapshot, StagedFilter } from '../kind.js';
import { isManaged, labelsFor, sameOwnership, userLabels, type LabelOptions } from '../labels.js';
import { LIVE_SOURCE } from '../live-source.js';
import { filterWeakening, filterWidening } from './weakening.js';
import { assertWrite, desiredOf, guardedDelete, guardVersion, withLabels } from '../shared.js';
import { enabledFilterLimit, planFilters } from './plan.js';

export function canonical(f: FilterCreate): Canonical {
  const thresholds: Canonical = {};
  for (const [k, v] of Object.entries(f.thresholds ?? {})) setEntry(thresholds, k, v);
  const selector = f.appliesTo ?? {};
  const selectorLabels = selector.labels && Object.keys(selector.labels).length > 0 ? { ...selector.labels } : null;
  return {
    description: optionalText(f.description),
    enabled: f.enabled ?? true,
    priority: f.priority,
    // Categories are a set (unique by schema): order carries no meaning.
    categories: [...f.categories].sort(),
    action: f.action,
    thresholds,
    falsePositiveTolerance: f.falsePositiveTolerance,
    // No selector, an empty one and empty label maps all mean "every template".
    appliesTo: {
      templates: selector.templates ? [...selector.templates].sort() : null,
      labels: selectorLabels,
    },
    labels: userLabels(f.labels),
  };
}

export function toWire(f: SafetyFilter, opts: LabelOptions = {}): FilterCreate {
  const body: FilterCreate = {
    name: f.name,
    enabled: f.enabled,
    priority: f.priority,
    categories: [...f.categories],
    action: f.action,
    thresholds: { ...f.thresholds } as Record<string, number>,
    falsePositiveTolerance: f.falsePositiveTolerance,
    labels: labelsFor(f.labels, opts),
  };
  if (f.description !== undefined) body.description = f.description;
  if (f.appliesTo !== undefined) {
    body.appliesTo = {};
    if (f.appliesTo.templates) body.appliesTo.templates = [...f.appliesTo.templates];
    if (f.appliesTo.labels) body.appliesTo.labels = { ...f.appliesTo.labels };
  }
  return body;
}

export function fromWire(w: FilterCreate): SafetyFilter {
  const f: SafetyFilter = {
    kind: 'SafetyFilter',
    name: w.name,
    labels: userLabels(w.labels),
    enabled: w.enabled ?? true,
    priority: w.priority,
    categories: [...w.categories] as FilterCategory[],
    action: w.action as FilterAction,
    thresholds: { ...w.thresholds } as SafetyFilter['thresholds'],
    falsePositiveTolerance: w.falsePositiveTolerance,
    source: LIVE_SOURCE,
    locations: {},
  };
  if (w.description !== undefined && w.description !== null && w.description !== '') f.description = w.description;
  const sel = w.appliesTo;
  if (sel && (sel.templates !== undefined || (sel.labels && Object.keys(sel.labels).length > 0))) {
    f.appliesTo = {};
    if (sel.templates) f.appliesTo.templates = [...sel.templates];
    if (sel.labels && Object.keys(sel.labels).length > 0) f.appliesTo.labels = { ...sel.labels };
  }
  return f;
}

export function landed(sent: FilterCreate, live: WireFilter): boolean {
  return sent.name === live.name && canonicalEqual(canonical(sent), canonical(live)) && sameOwnership(sent.labels, live.labels);
}

export function snapshot(f: WireFilter): Snapshot {
  const content = canonical(f);
  return { version: f.version, hash: canonicalHash(content), content };
}

async function apply(a: PlanAction, ctx: ApplyContext): Promise<CallResult> {
  assertWrite(a);
  const { api, staged } = ctx;
  if (a.action === 'delete') return guardedDelete(a, (id) => api.getFilter(id), (id) => api.deleteFilter(id), ctx);
  const body = withLabels(desiredOf(a, 'SafetyFilter').body, ctx.own);
  if (a.action === 'create' && !staged) {
    const f = await api.createFilter(body);
    return { resourceId: f.id, after: snapshot(f), detail: `created (id ${f.id})` };
  }
  // An update, or the second step of a staged filter: it now exists with the staged id and version.
  const id = staged?.id ?? (a.action === 'update' ? a.liveId : undefined);
  if (!id) throw new Error(`${a.address}: the plan carries no live id to update`);
  const version = staged?.version ?? (a.action === 'update' ? guardVersion(a) : 0);
  // A staged filter's second step only moves it from its interim priority: "created" was said by the first.
  const verb = staged ? `took priority ${body.priority}` : a.action === 'create' ? `created (id ${id})` : 'updated';
  const f = await api.updateFilter(id, { ...body, version });
  return { resourceId: id, after: snapshot(f), detail: `${verb} (version ${f.version})` };
}

/** What step 1 of a priority swap makes (its audit intent's `after`): the desired content at the interim priority. */
export function stagedIntended(a: PlanAction): Snapshot {
  const content = canonical(stagedBody(a));
  return { version: null, hash: canonicalHash(content), content };
}

/** A staged filter's desired body at its interim priority (without promptctl's labels). */
function stagedBody(a: PlanAction): FilterCreate {
  assertStaged(a);
  return { ...desiredOf(a, 'SafetyFilter').body, priority: a.stagePriority };
}

function assertStaged(a: PlanAction): asserts a is WriteAction & { stagePriority: number } {
  if ((a.action !== 'create' && a.action !== 'update') || a.stagePriority === undefined) throw new Error(`${a.address}: not a staged filter`);
}

/**
 * Step 1 of a priority swap (see stagePriority in action.ts): the filter gets its desired content
 * at a free interim priority, so that no final priority is ever held twice.
 */
export async function stageFilter(a: PlanAction, ctx: ApplyContext): Promise<CallResult & { staged: StagedFilter }> {
  assertStaged(a);
  const body = withLabels(stagedBody(a), ctx.own);
  const { api } = ctx;
  if (a.action === 'create') {
    const f = await api.createFilter(body);
    return {
      resourceId: f.id,
      after: snapshot(f),
      detail: `created at interim priority ${a.stagePriority} (id ${f.id})`,
      staged: { id: f.id, version: f.version },
    };
  }
  const f = await api.updateFilter(a.liveId, { ...body, version: guardVersion(a) });
  return {
    resourceId: a.liveId,
    after: snapshot(f),
    detail: `moved to interim priority ${a.stagePriority} (version ${f.version})`,
    staged: { id: a.liveId, version: f.version },
  };
}

export const SafetyFilterKind: Kind<FilterCreate> = {
  kind: 'SafetyFilter',
  surface: 'llmgateway',
  phase: { write: 0, remove: 6 },
  canonical,
  documents: (desired) => desired.filters,
  managed: (live) => live.filters.filter((f) => isManaged(f.labels)).length,
  plan: (desired, live, ctx) => planFilters(desired.filters, live.filters, ctx),
  limits: (actions, live) => enabledFilterLimit(actions, live.filters),
  weakening: filterWeakening,
  widening: filterWidening,
  apply,
  // A delete reads the filter first (its guard); a priority swap moves the filter aside first.
  expectedRequests: (a) => (a.action === 'delete' ? 2 : a.action !== 'noop' && a.stagePriority !== undefined ? 2 : 1),
  *snapshots(live) {
    for (const f of live.filters) yield [filterAddress(f.name), snapshot(f), f.id];
  },
};
