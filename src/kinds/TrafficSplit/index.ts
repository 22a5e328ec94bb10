// TrafficSplit: a template's A/B routing. Its canonical form (routes keyed by version), model ⇄
// wire, planning against the live split, and the one call apply makes (a guarded PUT).
import { splitAddress } from '../../model/address.js';
import type { TrafficSplit } from '../../model/types.js';
import type { TrafficPut, WireTraffic } from '../../targets/llmgateway/wire.js';
import type { PlanAction } from '../action.js';
import { canonicalEqual, canonicalHash, describeCreate, sameLeaf, type Canonical } from '../canonical.js';
import { setEntry } from '../../util/entries.js';
import type { ApplyContext, CallResult, Kind, Snapshot } from '../kind.js';
import { LIVE_SOURCE } from '../live-source.js';
import { inKeyOrder } from '../../util/compare.js';
import { assertWrite, desiredOf, pastTense, settleAgainstLive, stopIfInterrupted, unchangedAction } from '../shared.js';

export type TrafficBody = Omit<TrafficPut, 'version'>;

/** A route's key in the canonical form (one function, not one made per call: a large org has thousands). */
const routeKey = (r: TrafficBody['routes'][number]): string => r.version;

export function canonical(t: TrafficBody): Canonical {
  const routes: Canonical = {};
  for (const r of inKeyOrder(t.routes, routeKey)) setEntry(routes, r.version, r.weight);
  // Keys in sorted order at every level: stable JSON then writes it natively (util/json).
  return {
    routes,
    stickyKey: t.stickyKey ?? null,
    strategy: t.strategy ?? 'random',
  };
}

/**
 * canonical(s) and canonical(t) are certainly one value, shown without building them: the same
 * routes in the same order, the form being made from that sequence (false: not shown here).
 */
export function plainlySame(s: TrafficBody, t: TrafficBody): boolean {
  if (!sameLeaf(s.strategy ?? 'random', t.strategy ?? 'random') || !sameLeaf(s.stickyKey ?? null, t.stickyKey ?? null)) return false;
  const x = s.routes;
  const y = t.routes;
  if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    const r = x[i];
    const q = y[i];
    if (!r || !q || typeof r.version !== 'string' || r.version !== q.version || !sameLeaf(r.weight, q.weight)) return false;
  }
  return true;
}

export function toWire(s: TrafficSplit): TrafficBody {
  const body: TrafficBody = {
    strategy: s.strategy,
    routes: s.routes.map((r) => ({ version: r.version, weight: r.weight })),
  };
  if (s.stickyKey !== undefined) body.stickyKey = s.stickyKey;
  return body;
}

export function fromWire(w: TrafficBody, template: string): TrafficSplit {
  const s: TrafficSplit = {
    kind: 'TrafficSplit',
    template,
    strategy: w.strategy ?? 'random',
    routes: w.routes.map((r) => ({ version: r.version, weight: r.weight })),
    source: LIVE_SOURCE,
    locations: {},
  };
  if (w.stickyKey !== undefined && w.stickyKey !== null) s.stickyKey = w.stickyKey;
  return s;
}

export function landed(sent: TrafficBody, live: WireTraffic): boolean {
  return canonicalEqual(canonical(sent), canonical(live));
}

export function snapshot(t: WireTraffic): Snapshot {
  const content = canonical(t);
  return { version: t.version, hash: canonicalHash(content), content };
}

/**
 * The split in git against the live one; `templateId` is the live template's, when it exists.
 * `sealed`: PlanContext's.
 */
export function planSplit(split: TrafficSplit, live: WireTraffic | null, templateId: string | undefined, sealed?: boolean): PlanAction {
  // The model has the wire's fields (its canonical form is its body's); the body is made for a write.
  const desired = () => ({ kind: 'TrafficSplit' as const, body: toWire(split) });
  const common = { address: splitAddress(split.template), kind: 'TrafficSplit' as const, name: split.template, dependsOn: [] };
  if (!live || templateId === undefined) {
    return { ...common, desired: desired(), action: 'create', changes: describeCreate(canonical(split)), ...(templateId !== undefined ? { parentId: templateId } : {}) };
  }
  const base = { address: common.address, kind: common.kind, name: common.name, dependsOn: common.dependsOn, liveId: templateId, guard: { version: live.version } };
  if (plainlySame(split, live)) return unchangedAction(base, () => canonical(live), sealed);
  return settleAgainstLive(base, desired, canonical(live), canonical(split), live, sealed);
}

async function apply(a: PlanAction, ctx: ApplyContext): Promise<CallResult> {
  assertWrite(a);
  if (a.action === 'delete') {
    // The gateway has no way to remove a split on its own; deleting the template removes it.
    throw new Error(`${a.address}: a traffic split cannot be deleted on its own; delete its template or route it`);
  }
  const templateId = a.action === 'create' ? (a.parentId ?? (await ctx.ids.templateId(a.name))) : a.liveId;
  const body = desiredOf(a, 'TrafficSplit').body;
  // Version 0 when the template has no split yet.
  const version = a.action === 'update' ? (a.guard.version ?? 0) : 0;
  // Finding the template's id may have taken a read.
  stopIfInterrupted(ctx, a, 'routing the traffic');
  const t = await ctx.api.putTraffic(templateId, { ...body, version });
  return { resourceId: templateId, after: snapshot(t), detail: `${pastTense(a)} (version ${t.version})` };
}

export const TrafficSplitKind: Kind<TrafficBody> = {
  kind: 'TrafficSplit',
  surface: 'llmgateway',
  phase: { write: 3, remove: 3 },
  canonical,
  documents: (desired) => desired.splits,
  apply,
  expectedRequests: () => 1,
  *snapshots(live) {
    for (const t of live.templates) if (t.traffic) yield [splitAddress(t.name), snapshot(t.traffic), t.id];
  },
};
