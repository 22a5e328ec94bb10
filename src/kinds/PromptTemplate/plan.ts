// Templates with their family, one template name at a time: the template, its versions in git
// (PromptVersion's planVersion), its traffic split (TrafficSplit's planSplit) and the live
// versions git no longer declares. Changes wait for the safety filters that will guard them.
import { splitAddress, templateAddress, versionAddress } from '../../model/address.js';
import { routedVersions } from '../../model/routing.js';
import type { DesiredState, PromptTemplate, PromptVersion, TrafficSplit } from '../../model/types.js';
import type { WireTemplate, WireTraffic, WireVersion } from '../../targets/llmgateway/wire.js';
import { compareVersionLabels, parseSemver } from '../../util/semver.js';
import type { CascadedObject, DeleteAction, PlanAction, PlanPart } from '../action.js';
import { canonicalHash, describeCreate } from '../canonical.js';
import type { LiveState, PlanContext, Snapshot } from '../kind.js';
import { absentFromGit, isManaged, keptOutWords, notInGit, ownershipRestored, pendingReason, withTakeover } from '../labels.js';
import { canonical as versionCanonical, contentHash, snapshot as versionSnapshot, versionGuard } from '../PromptVersion/index.js';
import { planVersion, publishedAfterPlan, tokenDelta, type Published } from '../PromptVersion/plan.js';
import { guardedBy, protectorsOf, type Protector } from '../SafetyFilter/applies.js';
import { liveModified, settleAgainstLive, unchangedAction } from '../shared.js';
import { canonical as splitCanonical, planSplit, snapshot as splitSnapshot } from '../TrafficSplit/index.js';
import { canonical, fromWire, plainlySame, toWire } from './index.js';
import { noteRenames } from './renamed.js';

interface TemplateInputs {
  name: string;
  desired?: PromptTemplate;
  versions: PromptVersion[];
  split?: TrafficSplit;
  live?: WireTemplate;
}

export function planTemplates(desired: DesiredState, live: LiveState, ctx: PlanContext): PlanPart {
  const part: PlanPart = { actions: [], problems: [], unmanaged: [] };
  const protectors = protectorsOf(ctx.planned, desired.filters);
  const desiredTemplates = new Map(desired.templates.map((t) => [t.name, t]));
  const liveTemplates = new Map<string, WireTemplate>(live.templates.map((t) => [t.name, t]));
  const versionsOf = new Map<string, PromptVersion[]>();
  for (const v of desired.versions) {
    const list = versionsOf.get(v.template) ?? [];
    list.push(v);
    versionsOf.set(v.template, list);
  }
  const splits = new Map(desired.splits.map((s) => [s.template, s]));
  const names = new Set([...desiredTemplates.keys(), ...liveTemplates.keys(), ...versionsOf.keys(), ...splits.keys()]);
  for (const name of [...names].sort()) {
    const input: TemplateInputs = {
      name,
      versions: versionsOf.get(name) ?? [],
    };
    const d = desiredTemplates.get(name);
    const s = splits.get(name);
    const l = liveTemplates.get(name);
    if (d) input.desired = d;
    if (s) input.split = s;
    if (l) input.live = l;
    planTemplate(input, ctx, protectors, part);
  }
  // A template renamed by hand reads as one rename, not git's name created and the live one deleted apart.
  noteRenames(part, desired, live.templates, ctx);
  return part;
}

function planTemplate(input: TemplateInputs, ctx: PlanContext, protectors: readonly Protector[], part: PlanPart): void {
  const { name, desired: dT, live: lT } = input;

  if (!dT) {
    const orphans = [...input.versions.map((v) => versionAddress(name, v.version)), ...(input.split ? [splitAddress(name)] : [])];
    for (const address of orphans) {
      part.problems.push({
        address,
        rule: 'unknown-template',
        message: `template "${name}" is not defined in git (add a PromptTemplate named "${name}")`,
      });
    }
    if (lT) planAbsentTemplate(lT, ctx, part);
    return;
  }

  const guards = guardedBy(protectors, name, dT.labels);

  // The template itself.
  // The model has the wire's content fields (its canonical form is its body's); the body, with
  // promptctl's labels, is made only for a write.
  const desired = () => ({
    kind: 'PromptTemplate' as const,
    body: toWire(dT, ctx.commit !== undefined ? { commit: ctx.commit, liveLabels: lT?.labels } : { liveLabels: lT?.labels }),
  });
  const common = { address: templateAddress(name), kind: 'PromptTemplate' as const, name, dependsOn: [] };
  let tAction: PlanAction;
  if (!lT) {
    tAction = { ...common, desired: desired(), action: 'create', changes: describeCreate(canonical(dT)) };
  } else {
    // Named, not spread from `common`: a spread is a runtime call in the cold code a large plan runs.
    const base = { address: common.address, kind: common.kind, name, dependsOn: common.dependsOn, liveId: lT.id, guard: { version: lT.version } };
    const restore = ownershipRestored(lT.labels);
    tAction =
      plainlySame(dT, lT) && restore.length === 0
        ? unchangedAction(base, () => canonical(lT), ctx.sealed)
        : withTakeover(settleAgainstLive(base, desired, canonical(lT), canonical(dT), lT, ctx.sealed, restore), lT.labels);
  }
  if (tAction.action !== 'noop') tAction.dependsOn.push(...guards);
  if (tAction.action === 'update' && lT && lT.model !== dT.model) {
    const affects = modelSwitch(dT, lT, input.versions, ctx);
    if (affects.length > 0) tAction.affects = affects;
  }
  part.actions.push(tAction);
  // Versions and the split need the template to exist; its updates they do not wait for.
  const needsTemplate = tAction.action === 'create' ? [tAction.address] : [];

  // Versions in git.
  const liveVersions = new Map((lT?.versions ?? []).map((v) => [v.version, v]));
  // The live template as a model, made only if a version's live token count is asked for.
  let liveModel: PromptTemplate | undefined;
  const liveTemplate = lT
    ? {
        id: lT.id,
        get model(): PromptTemplate {
          return (liveModel ??= fromWire(lT));
        },
        versions: lT.versions ?? [],
      }
    : undefined;
  const versionActions = new Map<string, PlanAction>();
  // Live versions that git no longer declares, and whether a split routes them (which keeps them).
  const liveTraffic = lT?.traffic ?? null;
  const declared = new Set(input.versions.map((v) => v.version));
  const extra = (lT?.versions ?? []).filter((v) => !declared.has(v.version));
  const routedByGit = new Set(input.split?.routes.map((r) => r.version) ?? []);
  const routedLive = new Set(liveTraffic?.routes.map((r) => r.version) ?? []);
  // Why git has no split here: none at all, or its document kept to other environments (said so, as for every kind).
  const splitAbsent = () => notInGit(ctx, splitAddress(name));
  // Kept while routed: by git's split, or (git has none) by the live one.
  const stillRouted = (v: string) => routedByGit.has(v) || (!input.split && routedLive.has(v));
  // What each new version is shown against: the one just below it once the plan is applied, so
  // never a live version this plan prunes (a pending delete leaves it live). Made only for a new
  // version: most templates of a large org have none.
  let published: Published[] | undefined;
  const publishedOnceApplied = (): readonly Published[] => {
    if (published) return published;
    const pruned = new Set(ctx.prune && lT && isManaged(lT.labels) ? extra.filter((v) => !stillRouted(v.version)).map((v) => v.version) : []);
    return (published = publishedAfterPlan((lT?.versions ?? []).filter((v) => !pruned.has(v.version)), input.versions));
  };
  for (const dV of [...input.versions].sort((a, b) => compareVersionLabels(a.version, b.version))) {
    const a = planVersion(dV, dT, liveVersions.get(dV.version), liveTemplate, ctx, part.problems, publishedOnceApplied);
    if (!a) continue;
    if (a.action !== 'noop') a.dependsOn.push(...needsTemplate, ...guards);
    versionActions.set(dV.version, a);
    part.actions.push(a);
  }

  // Without a split, in git or live, the newest published version answers every call: a version
  // this plan makes the newest takes them all from the one answering now, which its action says
  // (a review: a pre-release took every call, the plan showing only its create).
  if (!input.split && !liveTraffic && lT) {
    const newest = publishedOnceApplied().at(-1)?.version;
    // As the gateway picks it without a split (model/routing.ts): the newest published.
    const now = routedVersions(lT.versions ?? [], { split: null });
    const answering = now.kind === 'routed' ? now.versions[0]?.version : undefined;
    const a = newest !== undefined && newest !== answering ? versionActions.get(newest) : undefined;
    if (a && (a.action === 'create' || a.action === 'update')) {
      const pre = parseSemver(newest!)?.pre ? ', a pre-release,' : '';
      const note = `once published, ${newest}${pre} answers every call${answering ? ` in place of ${answering}` : ''}: the template has no traffic split, so its newest published version answers them (route them in a TrafficSplit document to choose)`;
      a.reason = a.reason ? `${a.reason}; ${note}` : note;
    }
  }

  // The traffic split.
  let trafficAction: PlanAction | undefined;
  if (input.split) {
    trafficAction = planSplit(input.split, liveTraffic, lT?.id, ctx.sealed);
    if (trafficAction.action !== 'noop') {
      const routed = input.split.routes
        .map((r) => versionActions.get(r.version))
        .filter((a): a is PlanAction => a !== undefined && a.action !== 'noop')
        .map((a) => a.address);
      trafficAction.dependsOn.push(...needsTemplate, ...routed, ...guards);
    }
    part.actions.push(trafficAction);
  } else if (liveTraffic && lT && isManaged(lT.labels)) {
    // Of a template promptctl manages, its split's document taken out of git most likely meant
    // "no split": the gateway has no call that removes one, so it keeps routing. A difference no
    // apply can settle, counted and said with its routes and what to write instead (a review:
    // "No changes" and exit 0, while 10 % of the calls still went to a version git no longer had).
    part.actions.push(unremovableSplit(name, lT.id, liveTraffic, ctx));
  } else if (liveTraffic) {
    part.unmanaged.push({ address: splitAddress(name), reason: `live traffic split ${splitAbsent()}; left as is` });
  }

  // Live versions that git no longer declares.
  if (lT && extra.length > 0) {
    const becomePrunable: string[] = [];
    // The versions that answer the template's calls now, as the gateway picks them: a delete of
    // one stops it serving, which a reviewer must see called out, not only the split update above it.
    const route = routedVersions(lT.versions ?? [], { split: liveTraffic });
    const servingNow = new Set(route.kind === 'routed' ? route.versions.map((v) => v.version) : []);
    for (const lV of extra.sort((a, b) => compareVersionLabels(a.version, b.version))) {
      const address = versionAddress(name, lV.version);
      const absent = notInGit(ctx, address);
      if (!isManaged(lT.labels)) {
        part.unmanaged.push({ address, reason: `${absent}; template not labelled managed-by: promptctl` });
        // Left alone only until this plan's update labels the template promptctl's: say so there.
        if (!stillRouted(lV.version)) becomePrunable.push(lV.version);
      }
      else if (routedByGit.has(lV.version)) part.unmanaged.push({ address, reason: `${absent} but routed by the traffic split` });
      // Routed by a live split git no longer defines, which apply cannot remove (above): nor can it
      // retire the version while the split routes it (the gateway refuses, version.in.use).
      else if (stillRouted(lV.version)) part.actions.push(unremovableVersion(name, lT.id, lV, liveTraffic!, splitAbsent(), ctx));
      else {
        const serving = servingNow.has(lV.version);
        const a = versionDelete(name, lT.id, lV, {
          dependsOn: trafficAction && trafficAction.action !== 'noop' ? [trafficAction.address] : [],
          reason: ctx.prune ? `pruned: ${notInGit(ctx, address)} and ${unroutedBy(liveTraffic, lV.version, serving)}` : pendingReason(ctx, address),
        });
        // Pending too: the delete it announces takes those calls from callers once prune is on,
        // and a reviewer approving this plan is told so now, in the pruned delete's words.
        if (serving) {
          a.destructive = true;
          if (!ctx.prune) a.reason += `; ${unroutedBy(liveTraffic, lV.version, serving)}`;
        }
        if (!ctx.prune) {
          a.pending = true;
          a.dependsOn = [];
        }
        part.actions.push(a);
      }
    }
    if (tAction.action === 'update' && becomePrunable.length > 0) {
      // The update labels the template managed-by: promptctl, and with it its live versions git
      // does not hold (a colleague's Draft, say) become promptctl's to prune: the next plan deletes them.
      const list = becomePrunable.map((v) => versionAddress(name, v)).join(', ');
      tAction.reason = `labels the template managed-by: promptctl, so its live versions not in git (${list}) become promptctl's: the next plan with prune deletes them`;
      tAction.destructive = true;
    }
  }
}

/** Why such a delete is never made, in the words each one's reason gives it. */
const UNREMOVABLE_SPLIT = 'the gateway cannot remove a traffic split';

/**
 * The delete of a live split git does not define for this target, which no apply can make (the
 * gateway has no call that removes a split): shown and counted as a change, never run.
 */
function unremovableSplit(name: string, templateId: string, live: WireTraffic, ctx: PlanContext): DeleteAction {
  const address = splitAddress(name);
  const content = splitCanonical(live);
  const routes = [...live.routes].sort((a, b) => compareVersionLabels(a.version, b.version)).map((r) => `${r.version} ${r.weight} %`).join(', ');
  const kept = keptOutWords(ctx, address);
  const a: DeleteAction = {
    address,
    action: 'delete',
    kind: 'TrafficSplit',
    name,
    liveId: templateId,
    guard: { version: live.version, hash: canonicalHash(content) },
    live: content,
    changes: [],
    dependsOn: [],
    reason: `${kept ? `${kept}; ` : ''}${UNREMOVABLE_SPLIT}: it still routes ${routes}; keep the split in git, or route it 100 % to one version there`,
    pending: true,
    unremovable: true,
  };
  const m = liveModified(live);
  if (m) a.liveModified = m;
  return a;
}

/**
 * The delete of a version git does not define that a live split it does not define either still
 * routes: the gateway refuses to delete a routed version, and apply cannot remove the split.
 */
function unremovableVersion(name: string, templateId: string, lV: WireVersion, split: WireTraffic, splitAbsent: string, ctx: PlanContext): DeleteAction {
  const address = versionAddress(name, lV.version);
  const kept = keptOutWords(ctx, address);
  const weight = split.routes.find((r) => r.version === lV.version)?.weight ?? 0;
  return versionDelete(name, templateId, lV, {
    dependsOn: [],
    reason: `${kept ? `${kept}; ` : ''}still routed (${weight} %) by the live traffic split, which is ${splitAbsent}, and ${UNREMOVABLE_SPLIT}`,
    pending: true,
    unremovable: true,
  });
}

/** The delete of live version lV of template `templateId`, with who made or last changed it (for drift: a version made by hand names its author). */
function versionDelete(name: string, templateId: string, lV: WireVersion, rest: Pick<DeleteAction, 'dependsOn' | 'reason' | 'pending' | 'unremovable'>): DeleteAction {
  const a: DeleteAction = {
    address: versionAddress(name, lV.version),
    action: 'delete',
    kind: 'PromptVersion',
    name,
    version: lV.version,
    liveId: templateId,
    guard: versionGuard(lV, contentHash(lV)),
    live: versionCanonical(lV),
    changes: [],
    ...rest,
  };
  const m = liveModified(lV);
  if (m) a.liveModified = m;
  return a;
}

/** The versions that follow the template's model (no model of their own), counted on both. */
function modelSwitch(dT: PromptTemplate, lT: WireTemplate, versions: readonly PromptVersion[], ctx: PlanContext) {
  const before = fromWire(lT);
  const out: { address: string; tokens: ReturnType<typeof tokenDelta> }[] = [];
  // The live versions only: one this plan creates runs on the new model from the start (its own
  // create shows its count), so it has no "before" to move from.
  const live = new Set((lT.versions ?? []).map((x) => x.version));
  for (const v of [...versions].sort((a, b) => compareVersionLabels(a.version, b.version))) {
    if (v.model !== undefined || !live.has(v.version)) continue;
    let old: ReturnType<PlanContext['tokens']> | undefined;
    try {
      old = ctx.tokens(v, before, ctx.config);
    } catch {
      old = undefined; // the old model is unknown here: show the new count alone
    }
    out.push({ address: versionAddress(dT.name, v.version), tokens: tokenDelta(ctx.tokens(v, dT, ctx.config), old) });
  }
  return out;
}

function planAbsentTemplate(lT: WireTemplate, ctx: PlanContext, part: PlanPart): void {
  const address = templateAddress(lT.name);
  const fate = absentFromGit(ctx.prune, lT.labels, notInGit(ctx, address));
  if (fate.fate === 'kept') {
    part.unmanaged.push({ address, reason: fate.reason });
    return;
  }
  const a: DeleteAction = {
    address,
    action: 'delete',
    kind: 'PromptTemplate',
    name: lT.name,
    liveId: lT.id,
    guard: { version: lT.version, hash: canonicalHash(canonical(lT)) },
    live: canonical(lT),
    changes: [],
    dependsOn: [],
    reason: `${fate.fate === 'pending' ? pendingReason(ctx, address) : `pruned: ${notInGit(ctx, address)} (managed-by: promptctl)`}${cascade(lT)}`,
  };
  // A delete apply runs says what it takes along (its audit records carry it); always, [] too: a
  // saved plan without it showed nothing taken along (apply/stale.ts). A pending delete
  // is never run: its versions' content would only make the plan's seal move with them.
  if (fate.fate === 'pending') {
    a.pending = true;
    const along = cascadedAddresses(lT);
    if (along.length > 0) a.takesAlong = along;
  } else a.cascade = cascaded(lT);
  // Its versions go with it, and a split stops serving: a reviewer's attention, as a filter's removal.
  if ((lT.versions ?? []).length > 0 || lT.traffic) a.destructive = true;
  const m = liveModified(lT);
  if (m) a.liveModified = m;
  part.actions.push(a);
}

/** The objects deleting a template takes with it (the server cascades): its versions by label, then its split. */
export function cascaded(lT: WireTemplate): CascadedObject[] {
  const versions = [...(lT.versions ?? [])].sort((a, b) => compareVersionLabels(a.version, b.version));
  const out: CascadedObject[] = versions.map((v) => withAddress(versionAddress(lT.name, v.version), versionSnapshot(v.version, v, v.state)));
  if (lT.traffic) out.push(withAddress(splitAddress(lT.name), splitSnapshot(lT.traffic)));
  return out;
}

/** The addresses of what deleting a template takes with it, in cascaded's order. */
function cascadedAddresses(lT: WireTemplate): string[] {
  const labels = (lT.versions ?? []).map((v) => v.version).sort(compareVersionLabels);
  return [...labels.map((v) => versionAddress(lT.name, v)), ...(lT.traffic ? [splitAddress(lT.name)] : [])];
}

/**
 * How what a template's delete would take along now differs from what its plan showed, by
 * address and hash ('' when it does not): the DELETE carries no guard, and the template's own
 * `version` does not move when a version is added to it or its split is routed anew.
 */
export function cascadeMoved(planned: readonly CascadedObject[], now: readonly CascadedObject[]): string {
  const was = new Map(planned.map((c) => [c.address, c.hash]));
  const is = new Map(now.map((c) => [c.address, c.hash]));
  const added = [...is.keys()].filter((k) => !was.has(k));
  const changed = [...is.keys()].filter((k) => was.has(k) && was.get(k) !== is.get(k));
  const gone = [...was.keys()].filter((k) => !is.has(k));
  return [
    ...(added.length > 0 ? [`deleting it would now also take ${added.join(', ')}`] : []),
    ...(changed.length > 0 ? [`${changed.join(', ')} changed since the plan`] : []),
    ...(gone.length > 0 ? [`${gone.join(', ')} no longer exist${gone.length === 1 ? 's' : ''}`] : []),
  ].join('; ');
}

function withAddress(address: string, s: Snapshot): CascadedObject {
  return { address, version: s.version, hash: s.hash, content: s.content ?? null };
}

/** At most this many version labels are named in a template delete's reason; the rest are counted. */
const NAMED_VERSIONS = 10;

/**
 * What deleting a template takes with it (the server cascades), in words a reviewer can act on:
 * which versions, and where the split sends the template's calls now (they find nothing after).
 */
function cascade(lT: WireTemplate): string {
  const labels = [...(lT.versions ?? [])].map((v) => v.version).sort(compareVersionLabels);
  const n = labels.length;
  const parts: string[] = [];
  if (n > 0) {
    const named = labels.slice(0, NAMED_VERSIONS).join(', ');
    parts.push(`${n} version${n === 1 ? '' : 's'} (${n > NAMED_VERSIONS ? `${named} and ${n - NAMED_VERSIONS} more` : named})`);
  }
  if (lT.traffic) {
    const routed = lT.traffic.routes
      .filter((r) => r.weight > 0)
      .sort((a, b) => compareVersionLabels(a.version, b.version))
      .map((r) => `${r.version} (${r.weight} %)`);
    parts.push(routed.length > 0 ? `its traffic split, which routes its calls to ${routed.join(', ')} now` : 'its traffic split');
  }
  return parts.length > 0 ? `; also deletes ${parts.join(' and ')}` : '';
}

/**
 * Why a version git no longer declares may go: not routed, or routed live now and taken out of the
 * split by this plan's traffic update first (which the delete waits for), or answering the calls
 * now as the newest Published version that no split routes. A reviewer reading "not
 * routed" of a version that serves all the traffic would take the delete for a harmless one.
 */
function unroutedBy(liveTraffic: { routes: { version: string; weight: number }[] } | null, version: string, serving: boolean): string {
  const weight = liveTraffic?.routes.find((r) => r.version === version)?.weight ?? 0;
  if (weight > 0) return `routed to ${weight} % of the live traffic now, which this plan's traffic split takes from it first`;
  // No route carries calls to it, yet the gateway sends them to the newest Published version when
  // no split routes them (or its routes name nothing Published): "not routed" would read as harmless.
  if (serving) return `not routed, but it answers the template's calls now as its newest published version (${liveTraffic ? 'no route of the live traffic split carries them' : 'it has no traffic split'})`;
  return 'not routed';
}
