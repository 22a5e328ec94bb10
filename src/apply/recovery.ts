// Settling what an earlier run left open: an intent on record with no outcome (a kill -9, a
// lost machine), or with an `unknown` one (a write whose answer was lost and that no read could
// settle), is decided by the live state the next apply reads anyway, so no change ever stays
// without a record. The decision is pure; the records go through the audit log.
import type { AuditLog, AuditOrg, AuditRecord, AuditRecoverer } from '../audit/log.js';
import type { Midway, Snapshot } from '../kinds/kind.js';

export type AuditRecoverySink = Pick<AuditLog, 'pendingIntents' | 'recover'>;

export interface Settlement {
  outcome: 'succeeded (recovered)' | 'not applied';
  /** What was read, for the record. */
  after: Snapshot | null;
  note?: string;
}

/**
 * How an open intent ended, from the live object now at its address (undefined: none). A delete
 * happened when the object is gone; a write happened when the object holds what was intended; a
 * write of several calls stopped between them when it holds one of `midway` (the kind's).
 */
export function settle(intent: Pick<AuditRecord, 'action' | 'before' | 'after'>, live: Snapshot | undefined, midway: readonly Midway[] = []): Settlement {
  const removal = intent.after === null && intent.before !== null;
  if (removal) {
    return live ? { outcome: 'not applied', after: live } : { outcome: 'succeeded (recovered)', after: null };
  }
  if (live && intent.after?.hash && live.hash === intent.after.hash) return { outcome: 'succeeded (recovered)', after: live };
  const unchanged = live && intent.before?.hash && live.hash === intent.before.hash;
  const absentAsBefore = !live && intent.before === null;
  if (unchanged || absentAsBefore) return { outcome: 'not applied', after: live ?? null };
  const partly = live && midway.find((m) => m.hash === live.hash);
  if (partly) return { outcome: 'not applied', after: live, note: partly.note };
  return {
    outcome: 'not applied',
    after: live ?? null,
    note: live
      ? 'the live object holds neither what was planned against nor what was intended: changed by someone else since'
      : 'the live object is gone: deleted by someone else since',
  };
}

/**
 * Writes an outcome for every open intent of this org, decided from `live` (the snapshots of
 * kinds/index.ts liveSnapshots). Intents of another org stay open for a run against it.
 * Returns what was settled, for the apply report.
 */
export async function settleOpenIntents(
  audit: AuditRecoverySink,
  live: ReadonlyMap<string, Snapshot>,
  opts: {
    org: AuditOrg | null;
    /** The run settling them (this one), its CI run included when it runs in one. */
    by: AuditRecoverer;
    /** The half-done states of each intent's write (kinds/index.ts midwayOf). */
    midway?: (intent: AuditRecord) => readonly Midway[];
    /**
     * Whether `live` can say how the intent ended: its address is of a kind on a surface that was
     * read. An intent it cannot (a surface refused or not served, a kind unknown) stays open, since
     * absence from `live` would otherwise read as "deleted" or "never created". Default: all.
     */
    readable?: (intent: AuditRecord) => boolean;
    /** The live objects' ids (kinds/index.ts liveResourceIds): what a create that landed, whole or in part, made. */
    resourceIds?: ReadonlyMap<string, string>;
  },
): Promise<{ address: string; outcome: Settlement['outcome'] }[]> {
  const settled: { address: string; outcome: Settlement['outcome'] }[] = [];
  for (const intent of audit.pendingIntents()) {
    if (opts.org && intent.org && intent.org.id !== opts.org.id) continue;
    if (opts.readable && !opts.readable(intent)) continue;
    const s = settle(intent, live.get(intent.address), opts.midway?.(intent));
    const written = await audit.recover(intent, {
      outcome: s.outcome,
      by: opts.by,
      // A create's intent knows no id yet: the object it left live has one.
      resourceId: intent.resourceId ?? (s.after ? (opts.resourceIds?.get(intent.address) ?? null) : null),
      after: s.after,
      ...(s.note ? { error: s.note } : {}),
    });
    if (written) settled.push({ address: intent.address, outcome: s.outcome });
  }
  return settled;
}
