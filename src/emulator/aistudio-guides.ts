// /guides, /guides/{id}, /guides/{id}/versions[/{version}]: guides with server-assigned versions
// ("1.0", "2.0", ...) in the states Draft, TestReady and ProductionReady, a new version only once
// the latest is ProductionReady, ProductionReady versions immutable. The asynchronous jobs that
// publish a version and delete a guide are aistudio-guide-jobs.ts. The choices where the real
// platform is undocumented are E1–E5 and E11 of src/targets/aistudio/assumptions.ts.
import { randomUUID } from 'node:crypto';
import { paths } from '../targets/aistudio/paths.js';
import {
  GUIDE_SORT_FIELDS,
  GUIDE_STATUSES,
  LATEST_NOT_PRODUCTION_READY,
  LATEST_NOT_PRODUCTION_READY_CODE,
  SORT_ORDERS,
  type GuideCreate,
  type GuideUpdate,
  type GuideVersionContent,
  type WireGuide,
  type WireGuideVersion,
} from '../targets/aistudio/wire.js';
import { stableStringify } from '../util/json.js';
import { own, type GuideJobRec, type GuideRec, type GuideVersionRec } from './aistudio-records.js';
import { validateAiStudio } from './aistudio-validate.js';
import { param, type Ctx, type Reply } from './context.js';
import { conflict, invalidValue, notFound } from './errors.js';
import { listReply, parsePaging, textParam } from './listing.js';
import type { State } from './state.js';

/** What the guide routes need from the server: job timers and the options of E1 and E6. */
export interface GuideRuntime {
  schedule(job: GuideJobRec): void;
  /** E1: a new guide starts with an empty Draft "1.0". */
  readonly newGuideDraft: boolean;
  /** E6: publish jobs are answered 202 with no body. */
  readonly emptyPublishBody: boolean;
  /** E6, E7: a job reads InProgress for ever, though its version reaches its state (its guide is gone) on time. */
  readonly jobsNeverFinish: boolean;
}

const CONTENT_KEYS = ['instruction', 'variables', 'resources', 'knowledgeSettings'] as const satisfies ReadonlyArray<keyof GuideVersionContent>;

// ---- rendering ---------------------------------------------------------------------------

/** A guide's versions, oldest first ("2.0" before "10.0"). */
export function sortedGuideVersions(state: State, guideId: string): GuideVersionRec[] {
  return Object.values(own(state.guideVersions, guideId) ?? {}).sort((a, b) => compareLabels(a.version, b.version));
}

export function renderGuide(state: State, g: GuideRec): WireGuide {
  const versions = sortedGuideVersions(state, g.id);
  const saved = versions.at(-1);
  const production = versions.filter((v) => v.state === 'ProductionReady').at(-1);
  const out: WireGuide = {
    id: g.id,
    name: g.name,
    status: production ? 'Published' : 'Draft',
    source: g.source,
    dateCreated: g.dateCreated,
    dateModified: g.dateModified,
    selfUri: paths.guide(g.id),
  };
  if (saved) out.latestSavedVersion = { version: saved.version, selfUri: paths.guideVersion(g.id, saved.version) };
  if (production) out.latestProductionReadyVersion = { version: production.version, selfUri: paths.guideVersion(g.id, production.version) };
  return out;
}

export function renderGuideVersion(v: GuideVersionRec): WireGuideVersion {
  const out: WireGuideVersion = {
    selfUri: paths.guideVersion(v.guideId, v.version),
    guide: { id: v.guideId, selfUri: paths.guide(v.guideId) },
    version: v.version,
    instruction: v.instruction,
    state: v.state,
    dateCreated: v.dateCreated,
    dateModified: v.dateModified,
    variables: v.variables ?? [],
    resources: { dataActions: v.resources?.dataActions ?? [] },
  };
  if (v.knowledgeSettings !== undefined) out.knowledgeSettings = v.knowledgeSettings;
  return out;
}

// ---- guides ------------------------------------------------------------------------------

/** GET /guides: name (exact, case-insensitive), nameContains, status, sortBy, sortOrder, paging. */
export function listGuides(ctx: Ctx): Reply {
  const paging = parsePaging(ctx.query);
  const name = textParam(ctx.query, 'name');
  const contains = textParam(ctx.query, 'nameContains');
  const status = enumParam(ctx.query, 'status', GUIDE_STATUSES);
  const sortBy = enumParam(ctx.query, 'sortBy', GUIDE_SORT_FIELDS) ?? 'dateModified';
  const order = enumParam(ctx.query, 'sortOrder', SORT_ORDERS) ?? 'desc';
  // A pure read over every guide: untracked.
  const all = Object.values(ctx.reading.guides)
    .map((g) => renderGuide(ctx.reading, g))
    .filter((g) => name === null || fold(g.name) === fold(name))
    .filter((g) => contains === null || fold(g.name).includes(fold(contains)))
    .filter((g) => status === undefined || g.status === status)
    .sort((a, b) => {
      const c = compare(a[sortBy], b[sortBy]) || compare(a.name, b.name) || compare(a.id, b.id);
      return order === 'asc' ? c : -c;
    });
  return listReply(ctx, paging, all, (g) => g);
}

export function getGuide(ctx: Ctx): Reply {
  return { status: 200, body: renderGuide(ctx.state, requireGuide(ctx)), changed: false };
}

export function createGuide(rt: GuideRuntime) {
  return (ctx: Ctx): Reply => {
    validateAiStudio('GuideCreate', ctx.body);
    const body = ctx.body as GuideCreate;
    assertGuideNameFree(ctx.reading, body.name);
    const g: GuideRec = { id: randomUUID(), name: body.name, source: body.source, dateCreated: ctx.now, dateModified: ctx.now };
    ctx.state.guides[g.id] = g;
    if (rt.newGuideDraft) {
      ctx.state.guideVersions[g.id] = {
        '1.0': { guideId: g.id, version: '1.0', instruction: '', state: 'Draft', dateCreated: ctx.now, dateModified: ctx.now },
      };
    }
    return { status: 200, body: renderGuide(ctx.state, g), changed: true };
  };
}

/** PATCH /guides/{id}: renames (UpdateGuide has nothing else). */
export function patchGuide(ctx: Ctx): Reply {
  validateAiStudio('GuideUpdate', ctx.body);
  const body = ctx.body as GuideUpdate;
  const g = requireGuide(ctx);
  const renamed = typeof body.name === 'string' && body.name !== g.name;
  if (renamed) {
    assertGuideNameFree(ctx.reading, body.name!, g.id);
    g.name = body.name!;
    g.dateModified = ctx.now;
  }
  return { status: 200, body: renderGuide(ctx.state, g), changed: renamed };
}

// ---- versions ----------------------------------------------------------------------------

/** POST /guides/{id}/versions: the next version ("N+1.0"), Draft; refused while the latest is not ProductionReady (E2). */
export function createGuideVersion(ctx: Ctx): Reply {
  validateAiStudio('GuideVersionCreate', ctx.body);
  const body = ctx.body as GuideVersionContent;
  const g = requireGuide(ctx);
  const versions = sortedGuideVersions(ctx.state, g.id);
  const latest = versions.at(-1);
  if (latest && latest.state !== 'ProductionReady') {
    throw conflict(LATEST_NOT_PRODUCTION_READY_CODE, LATEST_NOT_PRODUCTION_READY, g.id, latest.version);
  }
  const major = latest ? Number.parseInt(latest.version, 10) + 1 : 1;
  const v: GuideVersionRec = {
    guideId: g.id,
    version: `${Number.isFinite(major) ? major : versions.length + 1}.0`,
    ...pickContent(body),
    state: 'Draft',
    dateCreated: ctx.now,
    dateModified: ctx.now,
  };
  (ctx.state.guideVersions[g.id] ??= {})[v.version] = v;
  g.dateModified = ctx.now;
  return { status: 200, body: renderGuideVersion(v), changed: true };
}

export function getGuideVersion(ctx: Ctx): Reply {
  return { status: 200, body: renderGuideVersion(requireVersion(ctx).v), changed: false };
}

/**
 * PATCH /guides/{id}/versions/{version}: replaces the fields it names (null clears an optional
 * one); a ProductionReady version is immutable, a TestReady one whose content changes goes back
 * to Draft (E5).
 */
export function patchGuideVersion(ctx: Ctx): Reply {
  validateAiStudio('GuideVersionPatch', ctx.body);
  const body = ctx.body as Record<string, unknown>;
  const { g, v } = requireVersion(ctx);
  if (v.state === 'ProductionReady') {
    throw conflict('version.immutable', `version ${v.version} of guide ${g.name} is ProductionReady and cannot change; create a new version`, g.id, v.version);
  }
  if (Object.hasOwn(body, 'instruction') && body['instruction'] === null) throw invalidValue('instruction', 'instruction cannot be cleared');
  const merged: Record<string, unknown> = { ...pickContent(v) };
  for (const k of CONTENT_KEYS) {
    if (!Object.hasOwn(body, k) || body[k] === undefined) continue;
    if (body[k] === null) delete merged[k];
    else merged[k] = body[k];
  }
  // A PATCH that changes nothing leaves the version (and its state) as it is.
  if (stableStringify(merged) === stableStringify(pickContent(v))) return { status: 200, body: renderGuideVersion(v), changed: false };
  const next: GuideVersionRec = {
    guideId: v.guideId,
    version: v.version,
    ...(merged as unknown as GuideVersionContent),
    state: 'Draft',
    dateCreated: v.dateCreated,
    dateModified: ctx.now,
  };
  (ctx.state.guideVersions[g.id] ??= {})[v.version] = next;
  g.dateModified = ctx.now;
  return { status: 200, body: renderGuideVersion(next), changed: true };
}

// ---- helpers -----------------------------------------------------------------------------

export function requireGuide(ctx: Ctx): GuideRec {
  const id = param(ctx, 'guideId');
  const g = own(ctx.state.guides, id);
  if (!g) throw notFound(`guide ${id}`);
  return g;
}

export function requireVersion(ctx: Ctx): { g: GuideRec; v: GuideVersionRec } {
  const g = requireGuide(ctx);
  const label = param(ctx, 'version');
  const v = own(own(ctx.state.guideVersions, g.id), label);
  if (!v) throw notFound(`version ${label} of guide ${g.name}`);
  return { g, v };
}

/** E4: names are unique, compared case-insensitively. */
function assertGuideNameFree(state: State, name: string, self?: string): void {
  const other = Object.values(state.guides).find((g) => g.id !== self && fold(g.name) === fold(name));
  // The swagger's code and words for it (PATCH /guides/{id}: 409 conflict).
  if (other) throw conflict('conflict', 'Guide with that name already exists.', other.id, other.name);
}

function pickContent(src: GuideVersionContent): GuideVersionContent {
  const out: Record<string, unknown> = {};
  for (const k of CONTENT_KEYS) if (src[k] !== undefined && src[k] !== null) out[k] = src[k];
  return out as unknown as GuideVersionContent;
}

/** "N.M" labels in numeric order. */
function compareLabels(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn || compare(a, b);
}

export function enumParam<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[]): T | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!(allowed as readonly string[]).includes(raw)) throw invalidValue(name, `${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

export function fold(s: string): string {
  return s.toLocaleLowerCase('en-US');
}

export function compare(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}
