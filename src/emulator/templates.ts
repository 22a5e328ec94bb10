// /prompttemplates and /prompttemplates/{id}: list (name filter, expand), create, read, update, delete.
import { randomUUID } from 'node:crypto';
import { paths } from '../targets/llmgateway/paths.js';
import { DIGEST_VIEW, versionDigest, type TemplateCreate, type TemplateUpdate, type WireTemplate, type WireTemplateDigest } from '../targets/llmgateway/wire.js';
import { checkVersion, requireTemplate, stamps, type Ctx, type Reply } from './context.js';
import { conflict, invalidValue } from './errors.js';
import { byName, listReply, parseExpand, parsePaging, textParam } from './listing.js';
import { validateBody } from './schemas.js';
import type { State, TemplateRec } from './state.js';
import { renderTraffic } from './traffic.js';
import { renderVersion, sortedVersions } from './versions.js';

const EXPANDS = ['versions', 'traffic'] as const;

export function renderTemplate(state: State, t: TemplateRec, expand: Set<string>): WireTemplate {
  const out: WireTemplate = { ...t, labels: { ...t.labels }, selfUri: paths.template(t.id) };
  if (expand.has('versions')) out.versions = sortedVersions(state, t.id).map(renderVersion);
  if (expand.has('traffic')) {
    const split = state.traffic[t.id];
    out.traffic = split ? renderTraffic(t.id, split) : null;
  }
  return out;
}

/**
 * A template in promptctl's digest view (wire.ts DIGEST_VIEW): what a plan compares, a version's
 * content as its hash, no entity metadata but who last changed it and when.
 */
export function renderTemplateDigest(state: State, t: TemplateRec, expand: Set<string>): WireTemplateDigest {
  const out: WireTemplateDigest = { id: t.id, name: t.name, model: t.model, labels: { ...t.labels }, version: t.version, dateModified: t.dateModified, modifiedBy: { id: t.modifiedBy.id } };
  if (t.description !== undefined) out.description = t.description;
  if (expand.has('versions')) {
    out.versions = sortedVersions(state, t.id).map(versionDigest);
  }
  if (expand.has('traffic')) {
    const split = state.traffic[t.id];
    if (!split) out.traffic = null;
    else {
      const { selfUri: _, modifiedBy, ...traffic } = renderTraffic(t.id, split);
      out.traffic = { ...traffic, modifiedBy: { id: modifiedBy.id } };
    }
  }
  return out;
}

export function listTemplates(ctx: Ctx): Reply {
  const paging = parsePaging(ctx.query);
  const expand = parseExpand(ctx.query, EXPANDS);
  const digest = parseView(ctx.query);
  const name = textParam(ctx.query, 'name');
  // A pure read over every template: untracked.
  const all = Object.values(ctx.reading.templates)
    .filter((t) => name === null || t.name === name)
    .sort(byName);
  return listReply(ctx, paging, all, (t) => (digest ? renderTemplateDigest(ctx.reading, t, expand) : renderTemplate(ctx.reading, t, expand)));
}

/** `view=digest` (wire.ts DIGEST_VIEW) or none (`view=` too, as every empty parameter); anything else is a 400. */
function parseView(query: URLSearchParams): boolean {
  const view = query.get('view');
  if (view === null || view === '') return false;
  if (view !== DIGEST_VIEW) throw invalidValue('view', `view must be ${DIGEST_VIEW}, got "${view}"`);
  return true;
}

export function getTemplate(ctx: Ctx): Reply {
  const expand = parseExpand(ctx.query, EXPANDS);
  return { status: 200, body: renderTemplate(ctx.state, requireTemplate(ctx), expand), changed: false };
}

export function createTemplate(ctx: Ctx): Reply {
  validateBody('TemplateCreate', ctx.body);
  const body = ctx.body as TemplateCreate;
  assertNameFree(ctx.reading, body.name);
  const t: TemplateRec = { id: randomUUID(), ...fields(body), version: 1, ...stamps(ctx) };
  ctx.state.templates[t.id] = t;
  return { status: 201, body: renderTemplate(ctx.state, t, new Set()), changed: true };
}

export function updateTemplate(ctx: Ctx): Reply {
  validateBody('TemplateUpdate', ctx.body);
  const body = ctx.body as TemplateUpdate;
  const t = requireTemplate(ctx);
  checkVersion(body.version, t.version, `prompt template ${t.name}`, t.id);
  if (body.name !== t.name) assertNameFree(ctx.reading, body.name);
  const next: TemplateRec = { id: t.id, ...fields(body), version: t.version + 1, ...stamps(ctx, t) };
  ctx.state.templates[t.id] = next;
  return { status: 200, body: renderTemplate(ctx.state, next, new Set()), changed: true };
}

/** Deleting a template removes its versions, its split and its jobs. */
export function deleteTemplate(ctx: Ctx): Reply {
  const t = requireTemplate(ctx);
  delete ctx.state.templates[t.id];
  delete ctx.state.versions[t.id];
  delete ctx.state.traffic[t.id];
  for (const [id, job] of Object.entries(ctx.state.jobs)) if (job.templateId === t.id) delete ctx.state.jobs[id];
  return { status: 204, changed: true };
}

/** The stored fields of a create/update body, with defaults applied (labels {}). */
function fields(b: TemplateCreate): Pick<TemplateRec, 'name' | 'description' | 'model' | 'labels'> {
  return {
    name: b.name,
    ...(b.description !== undefined ? { description: b.description } : {}),
    model: b.model,
    labels: b.labels ?? {},
  };
}

function assertNameFree(state: State, name: string): void {
  const other = Object.values(state.templates).find((t) => t.name === name);
  if (other) throw conflict('duplicate.name', `a prompt template named ${name} already exists`, other.id, other.name);
}
