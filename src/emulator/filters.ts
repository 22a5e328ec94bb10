// /safetyfilters: unique names, at most 50 enabled filters, a priority held by one enabled filter at most.
import { randomUUID } from 'node:crypto';
import { paths } from '../targets/llmgateway/paths.js';
import { type FilterCreate, type FilterUpdate, type WireFilter } from '../targets/llmgateway/wire.js';
import { checkVersion, own, param, stamps, type Ctx, type Reply } from './context.js';
import { conflict, invalidValue, notFound } from './errors.js';
import { byName, listReply, parsePaging, textParam } from './listing.js';
import { validateBody } from './schemas.js';
import type { FilterRec, State } from './state.js';

export const MAX_ENABLED_FILTERS = 50;

export function renderFilter(f: FilterRec): WireFilter {
  return { ...f, selfUri: paths.filter(f.id) };
}

export function listFilters(ctx: Ctx): Reply {
  const paging = parsePaging(ctx.query);
  const name = textParam(ctx.query, 'name');
  const all = Object.values(ctx.reading.filters)
    .filter((f) => name === null || f.name === name)
    .sort(byName);
  return listReply(ctx, paging, all, renderFilter);
}

export function getFilter(ctx: Ctx): Reply {
  return { status: 200, body: renderFilter(requireFilter(ctx)), changed: false };
}

export function createFilter(ctx: Ctx): Reply {
  validateBody('FilterCreate', ctx.body);
  const body = ctx.body as FilterCreate;
  const f: FilterRec = { id: randomUUID(), ...fields(body), version: 1, ...stamps(ctx) };
  checkRules(ctx.reading, f);
  ctx.state.filters[f.id] = f;
  return { status: 201, body: renderFilter(f), changed: true };
}

export function updateFilter(ctx: Ctx): Reply {
  validateBody('FilterUpdate', ctx.body);
  const body = ctx.body as FilterUpdate;
  const cur = requireFilter(ctx);
  checkVersion(body.version, cur.version, `safety filter ${cur.name}`, cur.id);
  const next: FilterRec = { id: cur.id, ...fields(body), version: cur.version + 1, ...stamps(ctx, cur) };
  checkRules(ctx.reading, next);
  ctx.state.filters[cur.id] = next;
  return { status: 200, body: renderFilter(next), changed: true };
}

export function deleteFilter(ctx: Ctx): Reply {
  const f = requireFilter(ctx);
  delete ctx.state.filters[f.id];
  return { status: 204, changed: true };
}

function requireFilter(ctx: Ctx): FilterRec {
  const f = own(ctx.state.filters, param(ctx, 'filterId'));
  if (!f) throw notFound(`safety filter ${param(ctx, 'filterId')}`);
  return f;
}

/** The stored fields of a create/update body, with defaults applied (enabled true, labels {}). */
function fields(b: FilterCreate): Omit<FilterRec, 'id' | 'version' | 'dateCreated' | 'dateModified' | 'createdBy' | 'modifiedBy'> {
  return {
    name: b.name,
    ...(b.description !== undefined ? { description: b.description } : {}),
    enabled: b.enabled ?? true,
    priority: b.priority,
    categories: [...b.categories],
    action: b.action,
    thresholds: { ...b.thresholds },
    falsePositiveTolerance: b.falsePositiveTolerance,
    ...(b.appliesTo !== undefined ? { appliesTo: b.appliesTo } : {}),
    labels: b.labels ?? {},
  };
}

/** Checks f against every other filter (f.id excluded, so an update does not collide with itself). */
function checkRules(state: State, f: FilterRec): void {
  for (const key of Object.keys(f.thresholds)) {
    if (!f.categories.includes(key)) {
      throw invalidValue(`thresholds.${key}`, `thresholds.${key}: ${key} is not among the filter's categories (${f.categories.join(', ')})`);
    }
  }
  const others = Object.values(state.filters).filter((o) => o.id !== f.id);
  const sameName = others.find((o) => o.name === f.name);
  if (sameName) throw conflict('duplicate.name', `a safety filter named ${f.name} already exists`, sameName.id, sameName.name);
  if (!f.enabled) return;
  const enabled = others.filter((o) => o.enabled);
  if (enabled.length >= MAX_ENABLED_FILTERS) {
    throw conflict('filter.limit.exceeded', `an organisation may have at most ${MAX_ENABLED_FILTERS} enabled safety filters`);
  }
  const holder = enabled.find((o) => o.priority === f.priority);
  if (holder) {
    throw conflict('priority.conflict', `priority ${f.priority} is held by the enabled safety filter ${holder.name}`, holder.id, holder.name);
  }
}
