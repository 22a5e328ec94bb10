// Labels promptctl owns on live objects: `managed-by: promptctl` (prune only ever deletes what
// carries it) and `promptctl.dev/*` (the source commit). They are never diffed against the YAML.
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, PROMPTCTL_LABEL_PREFIX } from '../model/types.js';
import type { WireLabels } from '../targets/llmgateway/wire.js';
import { setEntry } from '../util/entries.js';
import { sameLeaf } from './canonical.js';
import type { FieldChange, PlanAction } from './action.js';
import type { PlanContext } from './kind.js';

export const COMMIT_LABEL = `${PROMPTCTL_LABEL_PREFIX}commit`;

export function isOwnedLabel(key: string): boolean {
  return key === MANAGED_BY_LABEL || key.startsWith(PROMPTCTL_LABEL_PREFIX);
}

export function isManaged(labels: WireLabels | undefined): boolean {
  return labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
}

/** The `managed-by` value of another tool (terraform, say) that a live object carries; undefined when it is promptctl's or absent. */
export function otherManager(labels: WireLabels | undefined): string | undefined {
  const v = labels?.[MANAGED_BY_LABEL];
  return v !== undefined && v !== MANAGED_BY_VALUE ? v : undefined;
}

/**
 * An update of an object another tool manages takes it over: apply sets `managed-by: promptctl`,
 * and prune may then delete it. Owned labels are never diffed, so the update says it here, as a
 * change of its own that calls for a reviewer's attention; of one that carries no `managed-by`,
 * the label it gets.
 */
export function withTakeover(a: PlanAction, liveLabels: WireLabels | undefined): PlanAction {
  const other = otherManager(liveLabels);
  if (a.action !== 'update') return a;
  if (other === undefined) {
    // One made by hand (no managed-by, never stamped) is adopted by its first change: said, since
    // prune may delete it once it is promptctl's (a review: the plan showed only its `model`).
    const path = `labels.${MANAGED_BY_LABEL}`;
    if (!Object.hasOwn(liveLabels ?? {}, MANAGED_BY_LABEL) && !a.changes.some((c) => c.path === path)) a.changes.push({ path, after: MANAGED_BY_VALUE });
    return a;
  }
  a.changes.push({ path: `labels.${MANAGED_BY_LABEL}`, before: other, after: MANAGED_BY_VALUE });
  a.destructive = true;
  return a;
}

/**
 * A live object promptctl stamped whose `managed-by` label someone removed by hand: it carries a
 * `promptctl.dev/*` label, which only promptctl writes (git cannot hold one), and no `managed-by`.
 * Owned labels are never diffed, so without this the object read as unchanged while prune could
 * no longer delete it. Not one promptctl never stamped (made by hand, then exported: adopted by its
 * first change), nor one labelled another tool's (taken over only by a change: withTakeover).
 */
export function ownershipLost(labels: WireLabels | undefined): boolean {
  if (labels === undefined || Object.hasOwn(labels, MANAGED_BY_LABEL)) return false;
  for (const key of Object.keys(labels)) if (key.startsWith(PROMPTCTL_LABEL_PREFIX)) return true;
  return false;
}

/** The change that puts `managed-by: promptctl` back on an object that lost it (ownershipLost), or none. */
export function ownershipRestored(labels: WireLabels | undefined): FieldChange[] {
  return ownershipLost(labels) ? [{ path: `labels.${MANAGED_BY_LABEL}`, after: MANAGED_BY_VALUE }] : [];
}

/** The labels a user wrote (or may write): everything but promptctl's own, sorted. */
export function userLabels(labels: WireLabels | undefined): WireLabels {
  const out: WireLabels = {};
  for (const key of Object.keys(labels ?? {}).sort()) {
    if (!isOwnedLabel(key)) setEntry(out, key, labels![key]!);
  }
  return out;
}

/**
 * userLabels(x) and userLabels(y) are certainly one canonical value (each user label the same
 * JSON leaf on both sides); false is only "not shown here" (see the kinds' plainlySame).
 */
export function plainlySameUserLabels(x: WireLabels | undefined, y: WireLabels | undefined): boolean {
  let n = 0;
  for (const key of Object.keys(x ?? {})) {
    if (isOwnedLabel(key)) continue;
    if (!Object.hasOwn(y ?? {}, key) || !sameLeaf(x![key], y![key])) return false;
    n++;
  }
  for (const key of Object.keys(y ?? {})) if (!isOwnedLabel(key)) n--;
  return n === 0;
}

export interface LabelOptions {
  /** Source commit, recorded as `promptctl.dev/commit`. */
  commit?: string;
  /** Labels of the live object being updated: its `promptctl.dev/*` labels are kept unless replaced. */
  liveLabels?: WireLabels;
}

/** The user's labels plus promptctl's: `managed-by: promptctl` and, when known, the source commit. */
export function labelsFor(desired: WireLabels, opts: LabelOptions): WireLabels {
  const out: WireLabels = { ...userLabels(desired) };
  for (const [k, v] of Object.entries(opts.liveLabels ?? {})) {
    if (k.startsWith(PROMPTCTL_LABEL_PREFIX)) out[k] = v;
  }
  out[MANAGED_BY_LABEL] = MANAGED_BY_VALUE;
  if (opts.commit) out[COMMIT_LABEL] = opts.commit;
  return out;
}

/** Whether the live object carries the `managed-by` label that was sent (ownership landed too). */
export function sameOwnership(sent: WireLabels | undefined, live: WireLabels | undefined): boolean {
  return isManaged(sent) === isManaged(live);
}

/**
 * The labels the executor stamps on what it creates or updates: `managed-by: promptctl` (the
 * plan's bodies carry it already) and the commit being applied, `promptctl.dev/commit`, which is
 * added at apply time so that it is not part of the plan (a PR's plan and its merge's are equal).
 */
export function ownLabels(commit?: string | null): WireLabels {
  return { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, ...(commit ? { [COMMIT_LABEL]: commit } : {}) };
}

/**
 * What becomes of a live object git does not define: promptctl's own objects are deleted when
 * prune is on and shown as pending deletes when it is off (a file removed from git is a change,
 * even when nothing is deleted yet); anything else is left alone, with the reason (`absent`: why git
 * does not define it here, `notInGit`).
 */
export function absentFromGit(prune: boolean, labels: WireLabels, absent = 'not in git'): { fate: 'delete' | 'pending' } | { fate: 'kept'; reason: string } {
  if (!isManaged(labels)) return { fate: 'kept', reason: `${absent}; not labelled managed-by: promptctl` };
  return { fate: prune ? 'delete' : 'pending' };
}

/** The reason a pending delete gives. */
export const PENDING_REASON = 'pending: prune is off (run with --prune, or set prune: true in promptctl.yaml, to delete)';

/**
 * Why git does not define a live object in the plan's environment: not at all ("not in git"), or
 * its document is kept to other environments by `metadata.environments`.
 */
export function notInGit(ctx: Pick<PlanContext, 'keptOut'>, address: string): string {
  return keptOutWords(ctx, address) ?? 'not in git';
}

/** A pending delete's reason: prune is off, and why git does not define it here when it is kept out. */
export function pendingReason(ctx: Pick<PlanContext, 'keptOut'>, address: string): string {
  const kept = keptOutWords(ctx, address);
  return kept ? `${PENDING_REASON}; ${kept}` : PENDING_REASON;
}

/** The words keptOutWords writes, as found in a reason. */
export const KEPT_OUT_WORDS = /kept out of \S+ by its document's metadata\.environments \([^)]*\)/;

/** "kept out of prod by its document's metadata.environments (dev, staging)", when git does so. */
export function keptOutWords(ctx: Pick<PlanContext, 'keptOut'>, address: string): string | undefined {
  const envs = ctx.keptOut?.addresses.get(address);
  return envs ? `kept out of ${ctx.keptOut!.environment} by its document's metadata.environments (${envs.join(', ')})` : undefined;
}
