// PromptTemplate: the named prompt callers invoke. Its canonical form, model ⇄ wire, and the
// calls apply makes. It also plans its family (plan.ts): its versions and its traffic split.
import { templateAddress } from '../../model/address.js';
import type { PromptTemplate } from '../../model/types.js';
import type { TemplateCreate, WireTemplate } from '../../targets/llmgateway/wire.js';
import type { DeleteAction, PlanAction } from '../action.js';
import { canonicalEqual, canonicalHash, optionalText, sameLeaf, type Canonical } from '../canonical.js';
import type { ApplyContext, CallResult, Kind, Snapshot } from '../kind.js';
import { guardsLost, namesList, type Coverage } from '../coverage.js';
import { isManaged, labelsFor, plainlySameUserLabels, sameOwnership, userLabels, type LabelOptions } from '../labels.js';
import { LIVE_SOURCE } from '../live-source.js';
import { assertWrite, desiredOf, guardedDelete, GuardMoved, guardVersion, withLabels } from '../shared.js';
import { cascaded, cascadeMoved, planTemplates } from './plan.js';

export function canonical(t: TemplateCreate): Canonical {
  // Keys in sorted order (labels come sorted): stable JSON then writes it natively (util/json).
  return {
    description: optionalText(t.description),
    labels: userLabels(t.labels),
    model: t.model,
  };
}

/** canonical(t) and canonical(u) are certainly one value, shown without building them (false: not shown here). */
export function plainlySame(t: TemplateCreate, u: TemplateCreate): boolean {
  return sameLeaf(t.model, u.model) && sameLeaf(optionalText(t.description), optionalText(u.description)) && plainlySameUserLabels(t.labels, u.labels);
}

export function toWire(t: PromptTemplate, opts: LabelOptions = {}): TemplateCreate {
  const body: TemplateCreate = { name: t.name, model: t.model, labels: labelsFor(t.labels, opts) };
  if (t.description !== undefined) body.description = t.description;
  return body;
}

export function fromWire(w: TemplateCreate | WireTemplate): PromptTemplate {
  const t: PromptTemplate = {
    kind: 'PromptTemplate',
    name: w.name,
    labels: userLabels(w.labels),
    model: w.model,
    source: LIVE_SOURCE,
    locations: {},
  };
  if (w.description !== undefined && w.description !== null && w.description !== '') t.description = w.description;
  return t;
}

/** "Did my write land?": the live template holds what was sent. */
export function landed(sent: TemplateCreate, live: WireTemplate): boolean {
  return sent.name === live.name && canonicalEqual(canonical(sent), canonical(live)) && sameOwnership(sent.labels, live.labels);
}

export function snapshot(t: WireTemplate): Snapshot {
  const content = canonical(t);
  return { version: t.version, hash: canonicalHash(content), content };
}

async function apply(a: PlanAction, ctx: ApplyContext): Promise<CallResult> {
  assertWrite(a);
  const { api } = ctx;
  if (a.action === 'delete') {
    // Read with what the server's cascade takes along (the same one read), which must be what the plan showed.
    const read = async (id: string): Promise<WireTemplate> => takesAsPlanned(a, await api.getTemplate(id, { expand: ['versions', 'traffic'] }));
    return guardedDelete(a, read, (id) => api.deleteTemplate(id), ctx);
  }
  const body = withLabels(desiredOf(a, 'PromptTemplate').body, ctx.own);
  if (a.action === 'create') {
    const t = await api.createTemplate(body);
    ctx.ids.setTemplateId(t.name, t.id);
    return { resourceId: t.id, after: snapshot(t), detail: `created (id ${t.id})` };
  }
  // The client tells its own retried, already-applied PUT apart from someone else's change.
  const t = await api.updateTemplate(a.liveId, { ...body, version: guardVersion(a) });
  return { resourceId: a.liveId, after: snapshot(t), detail: `updated (version ${t.version})` };
}

/**
 * A template read just before its delete, refused when the delete would now take along other
 * versions or another split than the plan showed: someone's version made since would go without
 * a conflict, and the delete's audit records (`cascade`) would not name it. A plan that names no
 * cascade (a pending delete, never run) is not checked.
 */
function takesAsPlanned(a: DeleteAction, live: WireTemplate): WireTemplate {
  const moved = a.cascade === undefined ? '' : cascadeMoved(a.cascade, cascaded(live));
  if (moved !== '') throw new GuardMoved(a, moved);
  return live;
}

/**
 * The filters a template's new labels leave it outside of: a label selector guards templates by
 * their labels, so `team: billing` → `team: billing-eu` unguards the template with no filter's
 * field changing.
 */
function templateWeakening(a: PlanAction, coverage: Coverage): string[] {
  if (a.action !== 'update' || a.live === undefined) return [];
  const before = (a.live as { labels?: Record<string, string> }).labels ?? {};
  const lost = guardsLost(coverage.filters, a.name, before, userLabels((a.desired.body as TemplateCreate).labels));
  return lost.length > 0 ? [`no longer guarded by safety filter${lost.length === 1 ? '' : 's'} ${namesList(lost)}`] : [];
}

export const PromptTemplateKind: Kind<TemplateCreate> = {
  kind: 'PromptTemplate',
  surface: 'llmgateway',
  phase: { write: 1, remove: 5 },
  canonical,
  documents: (desired) => desired.templates,
  managed: (live) => live.templates.filter((t) => isManaged(t.labels)).length,
  // With their versions and split, which a template's delete takes along (plan.ts cascaded).
  managedWithParts: (live) => live.templates.reduce((n, t) => (isManaged(t.labels) ? n + 1 + (t.versions?.length ?? 0) + (t.traffic ? 1 : 0) : n), 0),
  plan: planTemplates,
  weakening: templateWeakening,
  apply,
  // A delete reads the template first (its guard).
  expectedRequests: (a) => (a.action === 'delete' ? 2 : 1),
  *snapshots(live) {
    for (const t of live.templates) yield [templateAddress(t.name), snapshot(t), t.id];
  },
};
