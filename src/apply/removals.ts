// Removals come last (DESIGN §5: … → traffic → retire unrouted versions → delete templates, and
// a filter goes only once the new protections exist). dependsOn names what a delete waits for;
// a delete that names nothing (a renamed template's old name) would otherwise start at once,
// beside the writes, and leave a window where neither name serves. This gate holds each delete
// until every write of an earlier phase has succeeded. Pure bookkeeping, no I/O.
import { phaseOf } from '../plan/order.js';
import type { PlanAction } from '../plan/types.js';

export interface RemovalGate {
  /** Whether the phase order lets `a` start (always, for a write). */
  open(a: PlanAction): boolean;
  /** Notes that `a` succeeded. */
  done(a: PlanAction): void;
  /** How many phases have had their last gated write succeed: `open` can change only when this does. */
  openings(): number;
}

/**
 * `deps` holds each action's dependencies within `todo`. A write that waits, directly or not, for
 * a delete (a filter taking a leaving filter's place at the enabled-filter limit, or the priority
 * of a pruned one) is left out of the gate: counting it would make that delete wait for its own
 * dependent, and two such deletes wait for each other.
 */
export function removalGate(todo: readonly PlanAction[], deps: ReadonlyMap<string, readonly string[]>): RemovalGate {
  const byAddress = new Map(todo.map((a) => [a.address, a]));
  const afterDelete = new Map<string, boolean>();
  const waitsForDelete = (address: string): boolean => {
    const known = afterDelete.get(address);
    if (known !== undefined) return known;
    afterDelete.set(address, false); // dependsOn is acyclic (orderActions checks); this only stops a loop
    const result = (deps.get(address) ?? []).some((d) => byAddress.get(d)?.action === 'delete' || waitsForDelete(d));
    afterDelete.set(address, result);
    return result;
  };
  const gated = new Set<string>();
  const openWrites: number[] = [];
  let openings = 0;
  for (const a of todo) {
    if (a.action === 'delete' || waitsForDelete(a.address)) continue;
    gated.add(a.address);
    const p = phaseOf(a);
    openWrites[p] = (openWrites[p] ?? 0) + 1;
  }
  return {
    open(a) {
      if (a.action !== 'delete') return true;
      const p = phaseOf(a);
      for (let q = 0; q < p; q++) if ((openWrites[q] ?? 0) > 0) return false;
      return true;
    },
    done(a) {
      if (gated.delete(a.address) && --openWrites[phaseOf(a)]! === 0) openings += 1;
    },
    openings: () => openings,
  };
}
