// Pieces the kinds share when planning (settling an action against its live object) and when
// applying (guarded deletes, reading what may be gone, the guard that moved, stopping between
// calls on an interrupt).
import type { AiStudioApi } from '../targets/aistudio/api.js';
import type { ApiError } from '../targets/llmgateway/api.js';
import type { Labels } from '../model/types.js';
import type { DesiredBody, FieldChange, Guard, NoopAction, PlanAction, PlanPart, PlanProblem, UpdateAction, WriteAction } from './action.js';
import { canonicalHash, compareWithLive, diffCanonical, type Canonical } from './canonical.js';
import type { ApplyContext, CallResult, GitChange, LastAppliedFact, Snapshot, TrailFacts } from './kind.js';

/** Who last changed a live object and when, as the server says. */
export interface LiveStamp {
  modifiedBy?: { id: string };
  dateModified?: string;
}

/**
 * Whether the target changed an object (`liveAt`, its dateModified) after git last changed the
 * files defining it: true by hand on the target, false in git (uncommitted changes are git's
 * newest); undefined when either time is unknown. A commit's time is to the second: it may have
 * been made up to a second after the time it shows.
 */
export function changedAfterGit(liveAt: string | undefined, git: GitChange | null | undefined): boolean | undefined {
  if (git === 'uncommitted') return false;
  if (!git || liveAt === undefined) return undefined;
  const live = Date.parse(liveAt);
  const committed = Date.parse(git.at) + 1000;
  return Number.isFinite(live) && Number.isFinite(committed) ? live >= committed : undefined;
}

/**
 * What promptctl last applied to `address`, when the live object holds exactly that (its snapshot
 * hash the one the trail's last landed change of it left): a change on the target after git's last
 * is then an apply of some commit, not a hand change. Undefined otherwise.
 */
export function appliedByPromptctl(address: string, trail: TrailFacts): LastAppliedFact | undefined {
  const last = trail.applied.get(address);
  const now = trail.live.get(address);
  return last && last.hash !== null && now === last.hash ? last : undefined;
}

/**
 * Whether what promptctl applied is in this branch: applied from a commit HEAD holds, and not from
 * uncommitted changes of it (a dirty apply left content no commit holds, though it names HEAD).
 */
export function appliedFromBranch(fact: Pick<LastAppliedFact, 'inBranch' | 'dirty'>): boolean {
  return fact.inBranch === true && fact.dirty !== true;
}

/** Who last changed the live object, for drift reports; undefined when the server does not say. */
export function liveModified(live: LiveStamp): PlanAction['liveModified'] {
  const m: NonNullable<PlanAction['liveModified']> = {};
  if (live.modifiedBy?.id) m.by = live.modifiedBy.id;
  if (live.dateModified) m.at = live.dateModified;
  return m.by || m.at ? m : undefined;
}

/** What every action on a live object carries, whatever it comes to. */
export type LiveActionBase = Pick<UpdateAction, 'address' | 'kind' | 'name' | 'version' | 'dependsOn' | 'liveId' | 'guard'>;

/**
 * An unchanged object's action, its keys in sorted order: stable JSON then writes it natively
 * (the fingerprint hashes every action, and a large org's are mostly noops). The guard comes
 * apart from `base`, so that no caller copies an object to add it.
 */
export function noopAction(base: Omit<LiveActionBase, 'guard'>, guard: Guard): NoopAction {
  const a: NoopAction = {
    action: 'noop',
    address: base.address,
    changes: [],
    dependsOn: base.dependsOn,
    guard,
    kind: base.kind,
    liveId: base.liveId,
    name: base.name,
  };
  if (base.version !== undefined) a.version = base.version;
  return a;
}

/**
 * An action on an object that exists live: noop when both canonical forms agree, else an update
 * with its field changes, its body and who last changed the live side. The guard is `guard` with
 * the live form's hash (a noop's only when `sealed`: see PlanContext). The body is asked for only
 * for an update: most objects of a large org are unchanged. `beyond`: changes the canonical forms
 * cannot show (promptctl's own labels, labels.ts ownershipRestored), which make an update too.
 */
export function settleAgainstLive(
  base: Omit<LiveActionBase, 'guard'> & { guard: Omit<Guard, 'hash'> },
  desired: () => DesiredBody,
  before: Canonical,
  after: Canonical,
  live: LiveStamp,
  sealed?: boolean,
  beyond: readonly FieldChange[] = [],
): PlanAction {
  // An update is hashed always: its guard holds the live form's hash.
  const { hash, equal } = compareWithLive(before, after, sealed !== false || beyond.length > 0);
  const guard = hash === undefined ? base.guard : guardWithHash(base.guard, hash);
  if (equal && beyond.length === 0) return noopAction(base, guard);
  // The body where it always stood: before the live id and the guard.
  const { liveId, guard: _, ...head } = base;
  const a: UpdateAction = { ...head, desired: desired(), liveId, guard, action: 'update', changes: [...diffCanonical(before, after), ...beyond], live: before };
  const m = liveModified(live);
  if (m) a.liveModified = m;
  return a;
}

/**
 * The noop of an object its kind showed unchanged without building the canonical forms (a kind's
 * plainlySame shortcut): the same action settleAgainstLive makes of equal forms, the live form
 * built (and hashed) only when `sealed`.
 */
export function unchangedAction(base: Omit<LiveActionBase, 'guard'> & { guard: Omit<Guard, 'hash'> }, liveForm: () => Canonical, sealed?: boolean): NoopAction {
  return noopAction(base, sealed === false ? base.guard : guardWithHash(base.guard, canonicalHash(liveForm())));
}

/** The guard with the live form's hash, in key order (only a summary setting's dateModified sorts before hash), for stable JSON's native path. */
function guardWithHash(guard: Omit<Guard, 'hash'>, hash: string): Guard {
  return guard.dateModified === undefined ? { hash, ...guard } : { dateModified: guard.dateModified, hash, ...guard };
}

/**
 * A live AI Studio object whose name differs from git's only in case. AI Studio is taken to
 * compare these names without case (emulator E4): creating git's would be refused as a duplicate
 * halfway through an apply, so the plan refuses it first, saying how to settle it.
 */
export function caseTwin(kind: 'Guide' | 'SummarySetting', address: string, name: string, live: readonly { name: string }[]): PlanProblem | undefined {
  const folded = name.toLowerCase();
  const twin = live.find((l) => l.name !== name && l.name.toLowerCase() === folded);
  if (!twin) return undefined;
  return {
    address,
    rule: 'name-differs-in-case',
    field: 'metadata.name',
    message: `git names a ${kind} "${name}" and the org has "${twin.name}", which AI Studio takes for the same name (it compares names without case), so creating it would be refused; spell it "${twin.name}" in git, or rename the live one`,
  };
}

/** The live object changed since the plan: what apply would change is not what was reviewed. */
export class GuardMoved extends Error {
  override readonly name = 'GuardMoved';
  constructor(
    readonly action: PlanAction,
    readonly moved: string,
  ) {
    super(`${action.address} changed on the target since the plan (${moved}); run plan again`);
  }
}

/** What an action's calls so far have done, when an interrupt stops it before its next write. */
export interface Landed {
  /** Past tense, for the report ("created version 1.1.0 as a Draft"); empty: nothing changed. */
  done: readonly string[];
  /** The object as those calls left it (its audit outcome's `after`); null: nothing to show. */
  after: Snapshot | null;
  /** The object's id, once a call made it. */
  resourceId: string | null;
}

/**
 * An interrupt came between an action's calls: the next write was not started (DESIGN §5). What
 * the earlier calls did is kept, so the record and the report say it rather than "failed".
 */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
  constructor(
    readonly action: PlanAction,
    readonly landed: Landed,
    /** The call it stopped before ("confirming its publish"). */
    readonly next: string,
    /**
     * Its last write (a publish, a delete) started and was not confirmed: what is not known of it
     * ("whether it is published"); undefined when all it did is known.
     */
    readonly unconfirmed?: string,
  ) {
    super(
      landed.done.length === 0
        ? `interrupted before ${next}: nothing was changed`
        : `interrupted before ${next}: ${landed.done.join(', ')}${unconfirmed ? ` (not confirmed: the next plan shows ${unconfirmed})` : ''}; the next apply finishes it`,
    );
  }
}

/**
 * Called before a write that is not the action's first call: after the first interrupt no new
 * write starts, so the action ends here, saying what `landed` (its earlier calls) left.
 */
export function stopIfInterrupted(ctx: Pick<ApplyContext, 'stopped'>, a: PlanAction, next: string, landed: Landed = NOTHING_LANDED): void {
  if (ctx.stopped()) throw new Interrupted(a, landed, next);
}

const NOTHING_LANDED: Landed = { done: [], after: null, resourceId: null };

/**
 * A later write of an action failed (refused, or retried in vain) after its earlier writes
 * landed: the action failed, and what landed (the Draft it created) is kept for its record and
 * report, which would otherwise say that nothing happened.
 */
export class FailedAfterLanded extends Error {
  override readonly name = 'FailedAfterLanded';
  constructor(
    readonly action: PlanAction,
    readonly landed: Landed,
    readonly failure: unknown,
  ) {
    super(failure instanceof Error ? failure.message : String(failure));
  }
}

/**
 * A write that follows writes of the same action which landed (`landed`): when it fails only
 * because the run stopped resending it (an interrupt), the action ends interrupted, saying what
 * landed (the Draft it created); when it fails otherwise, the action fails saying the same.
 */
export async function afterLanded<T>(a: PlanAction, next: string, landed: Landed | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (!landed || landed.done.length === 0 || err instanceof Interrupted || err instanceof GuardMoved) throw err;
    // Not resent, and known not to have landed: interrupted midway. One that may have landed is
    // no interrupt's to describe: it fails, its outcome unknown (apply/failure.ts).
    if (isApiError(err) && err.notResent && !err.outcomeUnknown) {
      // Held back while it waited its turn, it never reached the server: not a failure to resend.
      throw new Interrupted(a, landed, `${next} (${err.notSent ? 'not sent: the run was interrupted while it waited its turn' : 'its request failed and was not resent'})`);
    }
    throw new FailedAfterLanded(a, landed, err);
  }
}

/**
 * A target's HTTP error (an ApiError from genesys/). Recognised by shape, because the core may
 * know the targets' types but not their code.
 */
export function isApiError(err: unknown): err is ApiError {
  return err instanceof Error && err.name === 'ApiError' && typeof (err as { status?: unknown }).status === 'number';
}

/** The object, or null when it no longer exists (404). */
export async function readOrGone<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (isApiError(err) && err.status === 404) return null;
    throw err;
  }
}

/**
 * Deletes an object with an integer version. A DELETE carries no version: the guard is checked
 * first, so a hand edit since the plan is a conflict, not a loss.
 */
export async function guardedDelete(
  a: Extract<PlanAction, { action: 'delete' }>,
  read: (id: string) => Promise<{ version: number }>,
  remove: (id: string) => Promise<void>,
  ctx: Pick<ApplyContext, 'stopped'>,
): Promise<CallResult> {
  const id = a.liveId;
  const live = await readOrGone(() => read(id));
  if (!live) return { resourceId: id, after: null, detail: `already gone (id ${id})` };
  if (live.version !== a.guard.version) throw new GuardMoved(a, `version ${a.guard.version} → ${live.version}`);
  stopIfInterrupted(ctx, a, 'the delete');
  await remove(id);
  return { resourceId: id, after: null, detail: `deleted (id ${id})` };
}

/** The body an action carries, checked to be of the kind that runs it. */
export function desiredOf<K extends DesiredBody['kind']>(a: WriteAction, kind: K): Extract<DesiredBody, { kind: K }> {
  if (a.desired.kind !== kind) throw new Error(`${a.address}: the plan carries no ${kind} body to send`);
  return a.desired as Extract<DesiredBody, { kind: K }>;
}

/** An update's guard version: every PUT carries it, so a change made since the plan is a clean 409. */
export function guardVersion(a: UpdateAction): number {
  const v = a.guard.version;
  if (typeof v !== 'number') throw new Error(`${a.address}: the plan carries no guard version to update with`);
  return v;
}

export function withLabels<T extends { labels?: Labels }>(body: T, own: Labels): T {
  return { ...body, labels: { ...(body.labels ?? {}), ...own } };
}

export function pastTense(a: PlanAction): string {
  return a.action === 'create' ? 'created' : a.action === 'delete' ? 'deleted' : 'updated';
}

/** The target's AI Studio client, which Guide and SummarySetting actions need. */
export function aiStudioOf(ctx: Pick<ApplyContext, 'aistudio'>, a: PlanAction): AiStudioApi {
  if (!ctx.aistudio) throw new Error(`${a.address}: the target has no AI Studio client to apply it with`);
  return ctx.aistudio;
}

/** Narrows an action the executor passed to a kind: never a noop. */
export function assertWrite(a: PlanAction): asserts a is Exclude<PlanAction, { action: 'noop' }> {
  if (a.action === 'noop') throw new Error(`${a.address}: nothing to apply for an unchanged resource`);
}

/** The words every rename note holds: drift shows a create's reason only when they are in it (plan/drift.ts). */
export const UNDER_ANOTHER_NAME = 'under another name';

/**
 * An AI Studio object git defines and the target lacks, and one the plan leaves alone (a name git
 * never defined) that holds the same content, paired one to one: renamed by hand on the target
 * (Genesys keeps its id), or made there alike. Said on the create (what it costs: a second object
 * under a new id, which what calls the other by id does not follow) and on the one left alone,
 * with how to keep the id. A pairing that is not one to one says nothing: a wrong note is worse
 * than none. A pair's `caveat` (what the new object cannot be that the other is) ends the create's note.
 */
export function noteRenamedOnTarget(
  part: PlanPart,
  noun: 'guide' | 'summary setting',
  pairs: readonly { create: PlanAction; left: { address: string; id: string }; caveat?: string }[],
): void {
  const once = pairs.filter((p) => pairs.filter((o) => o.create === p.create || o.left.address === p.left.address).length === 1);
  const callers = noun === 'guide' ? 'Architect flows that call' : 'whatever refers to';
  for (const { create, left, caveat } of once) {
    const entry = part.unmanaged.find((u) => u.address === left.address);
    const keep = `to keep the id, rename it back to "${create.name}" in Genesys Cloud, or rename the ${noun} to "${left.address.slice(left.address.indexOf('/') + 1)}" in git`;
    create.reason = `${create.reason ? `${create.reason}; ` : ''}on the target ${UNDER_ANOTHER_NAME}, ${left.address} (id ${left.id}), which holds the same content: renamed by hand on the target (or made there alike), it is left alone, and this plan creates a second ${noun} with that content under a new id, which ${callers} ${left.address} do${noun === 'guide' ? '' : 'es'} not follow (${keep})${caveat ? `; ${caveat}` : ''}`;
    if (entry) entry.reason = `${entry.reason}; it holds the same content as ${create.address}, which git defines and this plan creates anew: that ${noun} renamed by hand on the target, or made there alike (${keep})`;
  }
}

/**
 * An AI Studio object created beside the delete of one with the same content reads as a rename:
 * what one costs (a new id, which what calls the old one does not follow), and how to keep the id
 * (Genesys renames an object in place; the next plan finds it under the new name).
 */
export function renameNote(noun: 'guide' | 'summary setting', removed: { address: string; pending?: boolean }): string {
  const fate = removed.pending ? 'would delete with prune' : 'deletes';
  const callers = noun === 'guide' ? 'flows that call' : 'whatever refers to';
  return `the same content as ${removed.address}, which this plan ${fate}: renamed in git, a ${noun} is a new one with a new id, which ${callers} ${removed.address} do${noun === 'guide' ? '' : 'es'} not follow (to keep the id, rename the ${noun} in Genesys as well before applying: the next plan finds it under the new name)`;
}
