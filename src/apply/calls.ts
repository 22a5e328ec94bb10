// The API calls behind one plan action, and how their before/after is recorded.
// One function per kind; the executor (executor.ts) decides when each runs.
import { createHash } from 'node:crypto';
import { ApiError, type GatewayApi } from '../genesys/api.js';
import {
  stableStringify,
  versionContentHash,
  type FilterCreate,
  type TemplateCreate,
  type WireFilter,
  type WireTemplate,
  type WireTraffic,
} from '../genesys/wire.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, type Labels } from '../model/types.js';
import type { DesiredBody, PlanAction } from '../plan/types.js';

/** A {version, hash} pair as audit records carry it. */
export interface Snapshot {
  version: number | string | null;
  hash: string | null;
}

export interface CallResult {
  resourceId: string | null;
  after: Snapshot | null;
  /** Past-tense summary for the progress line: "created (id 1234…)". */
  detail: string;
}

/** Live ids the executor learns while it runs (templates created earlier in the same apply). */
export interface IdBook {
  templateId(name: string): Promise<string>;
  setTemplateId(name: string, id: string): void;
}

export function createIdBook(api: GatewayApi, actions: readonly PlanAction[]): IdBook {
  const ids = new Map<string, string>();
  for (const a of actions) {
    // For versions and splits liveId is the template's id, so every kind seeds the map.
    if (a.liveId && a.kind !== 'SafetyFilter' && !ids.has(a.name)) ids.set(a.name, a.liveId);
  }
  return {
    async templateId(name) {
      const known = ids.get(name);
      if (known) return known;
      // Not created in this apply and not in the plan: look it up once.
      const found = (await api.listTemplates({ name })).find((t) => t.name === name);
      if (!found) throw new ApiError(`template ${name} does not exist on the target`, 404, 'not.found', undefined);
      ids.set(name, found.id);
      return found.id;
    },
    setTemplateId(name, id) {
      ids.set(name, id);
    },
  };
}

/** Runs one non-noop action against the gateway. Throws ApiError (or Error) on failure. */
export async function runAction(
  api: GatewayApi,
  action: PlanAction,
  ids: IdBook,
  ownLabels: Labels,
  staged?: StagedFilter,
): Promise<CallResult> {
  switch (action.kind) {
    case 'PromptTemplate':
      return runTemplate(api, action, ids, ownLabels);
    case 'PromptVersion':
      return runVersion(api, action, ids);
    case 'TrafficSplit':
      return runTraffic(api, action, ids);
    case 'SafetyFilter':
      return runFilter(api, action, ownLabels, staged);
  }
}

/**
 * The label promptctl guarantees on what it creates or updates: `managed-by: promptctl` (prune
 * only ever deletes objects carrying it). The plan's bodies normally carry it already, with the
 * source commit; this is the executor's own guarantee.
 */
export function ownedLabels(): Labels {
  return { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };
}

async function runTemplate(api: GatewayApi, a: PlanAction, ids: IdBook, own: Labels): Promise<CallResult> {
  if (a.action === 'delete') {
    return guardedDelete(a, (id) => api.getTemplate(id), (id) => api.deleteTemplate(id));
  }
  const body = withLabels(desiredOf(a, 'PromptTemplate').body, own);
  if (a.action === 'create') {
    const t = await api.createTemplate(body);
    ids.setTemplateId(t.name, t.id);
    return { resourceId: t.id, after: templateSnapshot(t), detail: `created (id ${t.id})` };
  }
  // Every PUT carries the guard version: a change made since the plan is a clean 409. (The client
  // tells its own retried, already-applied PUT apart from someone else's change.)
  const id = needLiveId(a);
  const t = await api.updateTemplate(id, { ...body, version: needGuardVersion(a) });
  return { resourceId: id, after: templateSnapshot(t), detail: `updated (version ${t.version})` };
}

async function runVersion(api: GatewayApi, a: PlanAction, ids: IdBook): Promise<CallResult> {
  const label = a.version;
  if (!label) throw new Error(`${a.address}: the plan names no version label`);
  const templateId = a.liveId ?? (await ids.templateId(a.name));
  if (a.action === 'delete') {
    const live = await readOrGone(() => api.getVersion(templateId, label));
    if (!live) return { resourceId: templateId, after: null, detail: 'already gone' };
    if (a.guard?.hash && live.contentHash !== a.guard.hash) {
      throw new GuardMoved(a, `content hash ${a.guard.hash.slice(0, 12)} → ${live.contentHash.slice(0, 12)}`);
    }
    await api.deleteVersion(templateId, label);
    return { resourceId: templateId, after: null, detail: 'retired' };
  }
  const d = desiredOf(a, 'PromptVersion');
  let hash: string | undefined;
  const done: string[] = [];
  if (a.action === 'create') {
    hash = (await api.createVersion(templateId, d.body)).contentHash;
    done.push('created');
  } else if (d.patch) {
    const { version: _label, ...content } = d.body;
    void _label;
    hash = (await api.patchVersion(templateId, label, content)).contentHash;
    done.push('updated');
  }
  if (d.publish) {
    await api.publishVersion(templateId, label);
    done.push('published');
  }
  // Publishing does not change content; without a response to read, the hash is the desired content's.
  hash ??= versionContentHash(d.body);
  return {
    resourceId: templateId,
    after: { version: label, hash },
    detail: `${done.join(' and ') || 'unchanged'} (hash ${hash.slice(0, 12)})`,
  };
}

async function runTraffic(api: GatewayApi, a: PlanAction, ids: IdBook): Promise<CallResult> {
  if (a.action === 'delete') {
    // The gateway has no way to remove a split on its own; deleting the template removes it.
    throw new Error(`${a.address}: a traffic split cannot be deleted on its own; delete its template or route it`);
  }
  const templateId = a.liveId ?? (await ids.templateId(a.name));
  const body = desiredOf(a, 'TrafficSplit').body;
  // 0 when the template has no split yet.
  const t = await api.putTraffic(templateId, { ...body, version: a.guard?.version ?? 0 });
  return { resourceId: templateId, after: trafficSnapshot(t), detail: `${pastTense(a)} (version ${t.version})` };
}

async function runFilter(api: GatewayApi, a: PlanAction, own: Labels, staged?: StagedFilter): Promise<CallResult> {
  if (a.action === 'delete') {
    return guardedDelete(a, (id) => api.getFilter(id), (id) => api.deleteFilter(id));
  }
  const body = withLabels(desiredOf(a, 'SafetyFilter').body, own);
  if (a.action === 'create' && !staged) {
    const f = await api.createFilter(body);
    return { resourceId: f.id, after: filterSnapshot(f), detail: `created (id ${f.id})` };
  }
  // An update, or the second step of a staged filter: it now exists with the staged id and version.
  const id = staged?.id ?? needLiveId(a);
  const version = staged?.version ?? needGuardVersion(a);
  const verb = a.action === 'create' ? `created (id ${id})` : 'updated';
  const f = await api.updateFilter(id, { ...body, version });
  return { resourceId: id, after: filterSnapshot(f), detail: `${verb} (version ${f.version})` };
}

/** A filter moved to its stage priority before the plan's other actions run. */
export interface StagedFilter {
  id: string;
  version: number;
}

/**
 * Step 1 of a priority swap (see PlanAction.stagePriority): the filter gets its desired content
 * at a free interim priority, so that no final priority is ever held twice.
 */
export async function stageFilter(api: GatewayApi, a: PlanAction, own: Labels): Promise<CallResult & { staged: StagedFilter }> {
  if (a.stagePriority === undefined) throw new Error(`${a.address}: not a staged filter`);
  const body = { ...withLabels(desiredOf(a, 'SafetyFilter').body, own), priority: a.stagePriority };
  if (a.action === 'create') {
    const f = await api.createFilter(body);
    return { resourceId: f.id, after: filterSnapshot(f), detail: `created at interim priority ${a.stagePriority} (id ${f.id})`, staged: { id: f.id, version: f.version } };
  }
  const id = needLiveId(a);
  const f = await api.updateFilter(id, { ...body, version: needGuardVersion(a) });
  return { resourceId: id, after: filterSnapshot(f), detail: `moved to interim priority ${a.stagePriority} (version ${f.version})`, staged: { id, version: f.version } };
}

/** The live object changed since the plan: what apply would delete is not what was reviewed. */
export class GuardMoved extends Error {
  override readonly name = 'GuardMoved';
  constructor(
    readonly action: PlanAction,
    readonly moved: string,
  ) {
    super(`${action.address} changed on the target since the plan (${moved}); run plan again`);
  }
}

/**
 * Deletes a template or filter. A DELETE carries no version: the guard is checked first, so a
 * hand edit since the plan is a conflict, not a loss.
 */
async function guardedDelete(
  a: PlanAction,
  read: (id: string) => Promise<{ version: number }>,
  remove: (id: string) => Promise<void>,
): Promise<CallResult> {
  const id = needLiveId(a);
  const live = await readOrGone(() => read(id));
  if (!live) return { resourceId: id, after: null, detail: `already gone (id ${id})` };
  if (live.version !== a.guard?.version) throw new GuardMoved(a, `version ${a.guard?.version} → ${live.version}`);
  await remove(id);
  return { resourceId: id, after: null, detail: `deleted (id ${id})` };
}

/** The object, or null when it no longer exists (404). */
async function readOrGone<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** What the action was planned against, as an audit `before`. */
export function beforeSnapshot(a: PlanAction): Snapshot | null {
  if (!a.guard) return null;
  if (a.kind === 'PromptVersion') return { version: a.version ?? null, hash: a.guard.hash ?? null };
  return { version: a.guard.version ?? null, hash: a.guard.hash ?? null };
}

function desiredOf<K extends DesiredBody['kind']>(a: PlanAction, kind: K): Extract<DesiredBody, { kind: K }> {
  const d = a.desired;
  if (!d || d.kind !== kind) throw new Error(`${a.address}: the plan carries no ${kind} body to send`);
  return d as Extract<DesiredBody, { kind: K }>;
}

function needLiveId(a: PlanAction): string {
  if (!a.liveId) throw new Error(`${a.address}: the plan carries no live id to ${a.action}`);
  return a.liveId;
}

function needGuardVersion(a: PlanAction): number {
  const v = a.guard?.version;
  if (typeof v !== 'number') throw new Error(`${a.address}: the plan carries no guard version to update with`);
  return v;
}

function pastTense(a: PlanAction): string {
  return a.action === 'create' ? 'created' : a.action === 'delete' ? 'deleted' : 'updated';
}

function withLabels<T extends TemplateCreate | FilterCreate>(body: T, own: Labels): T {
  return { ...body, labels: { ...(body.labels ?? {}), ...own } };
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('hex');
}

function templateContent(t: TemplateCreate): unknown {
  return { name: t.name, description: t.description ?? null, model: t.model, labels: t.labels ?? {} };
}

function filterContent(f: FilterCreate): unknown {
  return {
    name: f.name,
    description: f.description ?? null,
    enabled: f.enabled ?? true,
    priority: f.priority,
    categories: f.categories,
    action: f.action,
    thresholds: f.thresholds,
    falsePositiveTolerance: f.falsePositiveTolerance,
    appliesTo: f.appliesTo ?? null,
    labels: f.labels ?? {},
  };
}

function trafficContent(t: { strategy: string; stickyKey?: string; routes: { version: string; weight: number }[] }): unknown {
  return { strategy: t.strategy, stickyKey: t.stickyKey ?? null, routes: t.routes.map((r) => ({ version: r.version, weight: r.weight })) };
}

export function templateSnapshot(t: WireTemplate): Snapshot {
  return { version: t.version, hash: hashOf(templateContent(t)) };
}

export function filterSnapshot(f: WireFilter): Snapshot {
  return { version: f.version, hash: hashOf(filterContent(f)) };
}

export function trafficSnapshot(t: WireTraffic): Snapshot {
  return { version: t.version, hash: hashOf(trafficContent(t)) };
}
