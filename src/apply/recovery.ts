// Settling what an earlier run left open: an intent on record with no outcome (a kill -9, a
// lost machine), or with an `unknown` one (a write whose answer was lost and that no read could
// settle), is decided by the live state the next apply reads anyway, so no change ever stays
// without a record. Where that state cannot tell, the change is settled as unknown for good (a
// later read would only be further away). The decision is pure; the records go through the audit log.
import type { AuditLog, AuditOrg, AuditRecord, AuditRecoverer } from '../audit/log.js';
import type { LaterIntent, LaterWrite } from '../audit/chain-walker.js';
import type { Midway, Snapshot } from '../kinds/kind.js';

export type AuditRecoverySink = Pick<AuditLog, 'pendingIntents' | 'recover'> & Partial<Pick<AuditLog, 'writtenSince' | 'plannedSince'>>;

export interface Settlement {
  /**
   * `unknown`: what was read cannot say whether the write landed (the object it wrote to is gone,
   * or was written since by others too). It closes the intent: a later read would tell no more.
   */
  outcome: 'succeeded (recovered)' | 'not applied' | 'unknown';
  /** What was read, for the record: only ever the intent's own object, never another one now at its address. */
  after: Snapshot | null;
  note?: string;
}

/**
 * Which object the live one is. Objects are told apart by id, not by address: a name can be given
 * to another object (deleted and made again by hand) or taken away from it (renamed).
 */
export interface LiveIdentity {
  /** The id of the object now at the intent's address (a version's and a split's: their template's); undefined: none there, or not known. */
  id?: string;
  /** The intent's own object (its resourceId) when it is now at another address (renamed since), and its snapshot there. */
  moved?: { address: string; snapshot: Snapshot };
  /**
   * The id is not the object's own but its parent's (a prompt version's: its template's): it tells
   * an object under another template apart, not one re-made under the same one (a retired label
   * made again by hand).
   */
  parents?: boolean;
}

/**
 * The version an object's first write gives it, where versions count writes (an integer `version`
 * that every PUT must send, DESIGN §3): each write since adds one (genesys/rest.ts guardedRead).
 */
const FIRST_VERSION = 1;

/**
 * How an open intent ended, from the live object now at its address (undefined: none) and who it
 * is (`identity`). A delete happened when its object is gone, though another may hold its name
 * now; a write happened when its object holds what was intended; a write of several calls stopped
 * between them when it holds one of `midway` (the kind's). Where its object is gone, or was
 * written since more often than the one write the intent could make (its version, where versions
 * count writes, moved past that), nothing read says whether the write landed: `unknown`, whatever
 * the object holds. Without ids (older records), an object at the address is taken for the
 * intent's as before, except that a delete's counts as its own only while it holds what the delete
 * was planned against.
 */
export function settle(
  intent: Pick<AuditRecord, 'action' | 'before' | 'after'> & { resourceId?: string | null },
  live: Snapshot | undefined,
  midway: readonly Midway[] = [],
  identity: LiveIdentity = {},
  /** Whether the live object holds what was intended where the write left fields to the org (kinds' `holdsIntended`). */
  holdsIntended: (own: Snapshot) => boolean = () => false,
): Settlement {
  const ours = intent.resourceId ?? null;
  // Another object holds the address: not the one this intent wrote to.
  const replaced = isReplaced(live, ours, identity);
  const moved = identity.moved;
  const renamed = moved ? `renamed since to ${moved.address}` : undefined;
  const removal = intent.after === null && intent.before !== null;
  if (removal) {
    if (moved) return { outcome: 'not applied', after: moved.snapshot, note: `the object (id ${ours}) is still there, ${renamed}` };
    if (!live) return { outcome: 'succeeded (recovered)', after: null };
    if (replaced) {
      return { outcome: 'succeeded (recovered)', after: null, note: `the object (id ${ours}) is gone; a new object (id ${identity.id}) holds its name now, made since` };
    }
    // Only an id of the object's own says the object at the address is the one the delete meant.
    const known = ours !== null && identity.id !== undefined && !identity.parents;
    if (known || (intent.before?.hash && live.hash === intent.before.hash)) return { outcome: 'not applied', after: live };
    return {
      outcome: 'unknown',
      after: null,
      note: 'an object holds the name with other content than the delete was planned against, and no id says whether it is the one the delete meant',
    };
  }
  const own = ownObject(live, ours, identity);
  const noted = (s: Settlement): Settlement => (renamed ? { ...s, note: s.note ? `${s.note} (${renamed})` : renamed } : s);
  if (replaced && !moved) {
    return {
      outcome: 'unknown',
      after: null,
      note: `the object this ${intent.action} wrote to (id ${ours}) is gone; a new object (id ${identity.id}) holds its name now, made since: whether the write landed before cannot be told`,
    };
  }
  if (!own && intent.before !== null) {
    return { outcome: 'unknown', after: null, note: 'the object is gone, deleted since: whether the write landed before cannot be told' };
  }
  // Written since more often than this write alone would have: by someone else, or by a later
  // apply. What it holds then proves nothing, the intended content included (a later write may
  // have put it there).
  const planned = intent.before === null ? FIRST_VERSION - 1 : intent.before.version;
  if (own && typeof planned === 'number' && typeof own.version === 'number' && own.version > planned + 1) {
    const was = intent.before === null ? 'none' : `version ${planned}`;
    return noted({
      outcome: 'unknown',
      after: own,
      note: `the object was written since more often than this write alone would (${was} → version ${own.version}): whether this write landed before the others cannot be told`,
    });
  }
  // A write that changes nothing the canonical form holds (promptctl's own labels: a lost
  // managed-by put back) leaves the hash as it was: only its version, counting writes, says it landed.
  const sameContent = intent.before?.hash !== undefined && intent.before.hash === intent.after?.hash;
  if (own && sameContent && typeof planned === 'number' && own.version === planned) return noted({ outcome: 'not applied', after: own });
  if (own && intent.after?.hash && (own.hash === intent.after.hash || holdsIntended(own))) return noted({ outcome: 'succeeded (recovered)', after: own });
  const unchanged = own && intent.before?.hash && own.hash === intent.before.hash;
  const absentAsBefore = !own && intent.before === null;
  if (unchanged || absentAsBefore) return noted({ outcome: 'not applied', after: own ?? null });
  const partly = own && midway.find((m) => m.hash === own.hash);
  if (partly) return noted({ outcome: 'not applied', after: own, note: partly.note });
  return noted({
    outcome: 'not applied',
    after: own ?? null,
    note: 'the live object holds neither what was planned against nor what was intended: changed by someone else since',
  });
}

/**
 * What the trail itself proves: a later run's write to the same object succeeded, planned against
 * the very state this intent was planned against, or against a state this intent's calls leave
 * midway (`midway`, the kind's: a version created as a Draft and not published). Had this write
 * landed whole first, that one would have been planned against what this one made (or met a stale
 * version and been refused); so this one never landed, or landed only that far, and the rest was
 * that run's. Settling from the live object alone would read that run's write as this one's
 * (another CI runner within the hour, a run of the same change, made or finished it meanwhile).
 *
 * `planned` (every later intent on the address, whatever its outcome) proves as much without a
 * success: a later intent planned against a midway state saw this one stopped there, whether or
 * not its own write then landed, so only a later one can have finished it; and of open intents
 * meaning the same change from the same state, only the latest may be read as the one that landed
 * (its plan saw what the others left), or one job would be recorded as made by several runs.
 */
export function settledByTrail(
  intent: Pick<AuditRecord, 'before'> & { resourceId?: string | null; after?: AuditRecord['after'] },
  later: readonly LaterWrite[],
  own: Snapshot | undefined,
  midway: readonly Midway[] = [],
  planned: readonly LaterIntent[] = [],
): Settlement | undefined {
  const ours = intent.resourceId ?? null;
  const onOurs = later.filter((w) => ours === null || w.resourceId === null || w.resourceId === ours);
  const proof = onOurs.find((w) => sameState(w.before, intent.before));
  if (proof) {
    return {
      outcome: 'not applied',
      after: own ?? null,
      note: `a later run's write (intent ${proof.intent}) was planned against the same state and succeeded (record ${proof.record}): this one never landed`,
    };
  }
  for (const w of onOurs) {
    const step = w.before && midway.find((m) => m.hash === w.before!.hash);
    if (step) {
      return {
        outcome: 'not applied',
        after: own ?? null,
        note: `partly applied: ${step.left} when a later run's ${w.removed ? 'removal' : 'write'} (intent ${w.intent}), planned against that, succeeded (record ${w.record}) and ${w.removed ? 'removed' : 'finished'} it`,
      };
    }
  }
  const plannedOnOurs = planned.filter((w) => ours === null || w.resourceId === null || w.resourceId === ours);
  for (const w of plannedOnOurs) {
    // A state this intent was planned against too (a publish's Draft) is where it started, not how far it got.
    const step = w.before && !sameState(w.before, intent.before) && midway.find((m) => m.hash === w.before!.hash);
    if (step) {
      return {
        outcome: 'not applied',
        after: own ?? null,
        note: `partly applied: ${step.left} when a later run's ${w.removed ? 'removal' : 'write'} (intent ${w.intent}, ${outcomeWords(w.outcome)}) was planned against that: only a later run can have ${w.removed ? 'removed' : 'finished'} it`,
      };
    }
  }
  const afterHash = intent.after?.hash ?? null;
  const twin = plannedOnOurs.filter((w) => w.outcome === undefined && afterHash !== null && w.afterHash === afterHash && sameState(w.before, intent.before)).at(-1);
  if (twin) {
    return {
      outcome: 'not applied',
      after: own ?? null,
      note: `a later run's intent ${twin.intent}, the same change planned against the same state, is open too: only one of them can have landed, and the latest, whose plan saw what this one left, is settled as that one`,
    };
  }
  return undefined;
}

/** A later intent's outcome, as a note names it. */
function outcomeWords(outcome: string | undefined): string {
  return outcome === undefined ? 'no outcome yet' : `outcome ${outcome}`;
}

/** One object state as two intents name it: absent, the same integer version (versions count writes), or else the same content hash. */
function sameState(a: AuditRecord['before'], b: AuditRecord['before']): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a.version === 'number' && typeof b.version === 'number') return a.version === b.version;
  return typeof a.hash === 'string' && a.hash === b.hash;
}

/** Another object than the intent's own (`ours`) holds its address now. */
function isReplaced(live: Snapshot | undefined, ours: string | null, identity: LiveIdentity): boolean {
  return live !== undefined && ours !== null && identity.id !== undefined && identity.id !== ours;
}

/** The intent's own object: at its address (`live`), or where it was renamed to; undefined when gone or replaced. */
function ownObject(live: Snapshot | undefined, ours: string | null, identity: LiveIdentity): Snapshot | undefined {
  return identity.moved ? identity.moved.snapshot : isReplaced(live, ours, identity) ? undefined : live;
}

/** One settled intent, for the apply report. */
export interface Settled {
  address: string;
  outcome: Settlement['outcome'];
  /** Why, as its record's `error` says it: for an unknown outcome, and for one partly applied or changed since. */
  note?: string;
}

/**
 * Writes an outcome for every open intent of this org, decided from `live` (the snapshots of
 * kinds/index.ts liveSnapshots). Intents of another org stay open for a run against it.
 * Returns what was settled, for the apply report.
 */
export async function settleOpenIntents(
  audit: AuditRecoverySink,
  live: ReadonlyMap<string, Snapshot>,
  opts: SettleScope & {
    /** The run settling them (this one), its CI run included when it runs in one. */
    by: AuditRecoverer;
  },
): Promise<Settled[]> {
  const settled: Settled[] = [];
  for (const intent of toSettle(audit, opts)) {
    const identity = identityOf(intent, live, opts);
    const atAddress = live.get(intent.address);
    const midway = opts.midway?.(intent) ?? [];
    const s = settledByTrail(intent, audit.writtenSince?.(intent) ?? [], ownObject(atAddress, intent.resourceId ?? null, identity), midway, audit.plannedSince?.(intent) ?? []) ?? settle(intent, atAddress, midway, identity, (own) => opts.holdsIntended?.(intent, own) ?? false);
    const note = s.note ? { note: s.note } : {};
    const written = await audit.recover(intent, {
      outcome: s.outcome,
      by: opts.by,
      // A create's intent knows no id yet: the object it left live has one.
      resourceId: intent.resourceId ?? (s.after ? (opts.resourceIds?.get(intent.address) ?? null) : null),
      after: s.after,
      ...(s.note ? { error: s.note } : {}),
    });
    if (written) settled.push({ address: intent.address, outcome: s.outcome, ...note });
  }
  return settled;
}

/**
 * The open intents settleOpenIntents would settle whose own object still holds a state a publish
 * job of their write leaves until it ends (`publishing`, the kind's): their run, killed, may have
 * started that job, which may still end as it meant. Not one the trail settles already.
 */
export function awaitingPublish(
  audit: AuditRecoverySink,
  live: ReadonlyMap<string, Snapshot>,
  opts: SettleScope & {
    /** The snapshot hashes an intent's object holds while its publish job runs (kinds/index.ts publishingOf). */
    publishing: (intent: AuditRecord) => readonly string[];
  },
): AuditRecord[] {
  return toSettle(audit, opts).filter((intent) => {
    const hashes = opts.publishing(intent);
    if (hashes.length === 0) return false;
    const own = ownObject(live.get(intent.address), intent.resourceId ?? null, identityOf(intent, live, opts));
    if (!own?.hash || !hashes.includes(own.hash)) return false;
    return settledByTrail(intent, audit.writtenSince?.(intent) ?? [], own, opts.midway?.(intent) ?? [], audit.plannedSince?.(intent) ?? []) === undefined;
  });
}

/** The open intents of this org that `live` can say how they ended. */
function toSettle(audit: AuditRecoverySink, opts: Pick<SettleScope, 'org' | 'readable'>): AuditRecord[] {
  return audit.pendingIntents().filter((intent) => !(opts.org && intent.org && intent.org.id !== opts.org.id) && (!opts.readable || opts.readable(intent)));
}

/** Which open intents are settled, and how their live objects are found. */
export interface SettleScope {
  /** The org applied to: another org's intents stay open for a run against it. */
  org: AuditOrg | null;
  /** The half-done states of each intent's write (kinds/index.ts midwayOf). */
  midway?: (intent: AuditRecord) => readonly Midway[];
  /** Whether the live object holds what the intent meant where its write left fields to the org (kinds/index.ts holdsIntendedOf). Default: the hashes decide. */
  holdsIntended?: (intent: AuditRecord, own: Snapshot) => boolean;
  /**
   * Whether `live` can say how the intent ended: its address is of a kind on a surface that was
   * read. An intent it cannot (a surface refused or not served, a kind unknown) stays open, since
   * absence from `live` would otherwise read as "deleted" or "never created". Default: all.
   */
  readable?: (intent: AuditRecord) => boolean;
  /**
   * The live objects' ids (kinds/index.ts liveResourceIds): which object is at an intent's
   * address (its own, or another since), and what a create that landed, whole or in part, made.
   */
  resourceIds?: ReadonlyMap<string, string>;
  /**
   * Where the live object of an intent's kind with this id is (kinds/index.ts addressOfId): an
   * intent's own object renamed since. Default: none is looked for.
   */
  addressOf?: (intentAddress: string, id: string) => string | undefined;
  /** Whether the id of an address's objects is their parent's, not their own (kinds/index.ts idIsParents). Default: never. */
  idIsParents?: (address: string) => boolean;
}

/** Who the live object at an intent's address is, and where the intent's own object is when it is not there. */
function identityOf(
  intent: AuditRecord,
  live: ReadonlyMap<string, Snapshot>,
  opts: { resourceIds?: ReadonlyMap<string, string>; addressOf?: (intentAddress: string, id: string) => string | undefined; idIsParents?: (address: string) => boolean },
): LiveIdentity {
  const id = opts.resourceIds?.get(intent.address);
  const identity: LiveIdentity = id !== undefined ? { id, ...(opts.idIsParents?.(intent.address) ? { parents: true } : {}) } : {};
  if (intent.resourceId === null || id === intent.resourceId) return identity;
  const elsewhere = opts.addressOf?.(intent.address, intent.resourceId);
  const snapshot = elsewhere !== undefined && elsewhere !== intent.address ? live.get(elsewhere) : undefined;
  return snapshot && elsewhere ? { ...identity, moved: { address: elsewhere, snapshot } } : identity;
}
