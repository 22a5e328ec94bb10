// Removals come last and in their phases' order (DESIGN §5: … → traffic → retire unrouted
// versions → delete templates → delete filters; a filter goes only once what it guarded is gone or
// the new protections exist). dependsOn names what a delete waits for; a delete that names nothing
// (a renamed template's old name, a filter whose templates are deleted too) would otherwise start
// at once, beside the writes or the deletes before it: a window where neither name serves, or a
// template still serving without the filter that guarded it when its own delete fails. This gate
// holds each delete until every action of an earlier phase, write or delete, has succeeded.
// Pure bookkeeping, no I/O.
import { phaseOf } from '../plan/order.js';
import type { PlanAction } from '../plan/types.js';

export interface RemovalGate {
  /** Whether the phase order lets `a` start (always, for a write). */
  open(a: PlanAction): boolean;
  /** Notes that `a` succeeded. */
  done(a: PlanAction): void;
  /** How many phases have had their last gated action succeed: `open` can change only when this does. */
  openings(): number;
}

/**
 * `deps` holds each action's dependencies within `todo`. An action that waits, directly or not,
 * for a delete of a later phase (a filter taking a leaving filter's place at the enabled-filter
 * limit, or the priority of a pruned one) is left out of the gate: counting it would make that
 * delete wait for its own dependent, and two such deletes wait for each other. One that waits
 * only for deletes of its own phase or earlier ones holds no delete it waits for.
 */
export function removalGate(todo: readonly PlanAction[], deps: ReadonlyMap<string, readonly string[]>): RemovalGate {
  const byAddress = new Map(todo.map((a) => [a.address, a]));
  // The latest phase among the deletes an action waits for, directly or not (-1: none).
  const latestDelete = new Map<string, number>();
  const latestDeleteBefore = (address: string): number => {
    const known = latestDelete.get(address);
    if (known !== undefined) return known;
    latestDelete.set(address, -1); // dependsOn is acyclic (orderActions checks); this only stops a loop
    let latest = -1;
    for (const d of deps.get(address) ?? []) {
      const dep = byAddress.get(d);
      if (dep?.action === 'delete') latest = Math.max(latest, phaseOf(dep));
      latest = Math.max(latest, latestDeleteBefore(d));
    }
    latestDelete.set(address, latest);
    return latest;
  };
  const gated = new Set<string>();
  const unfinished: number[] = [];
  let openings = 0;
  for (const a of todo) {
    const p = phaseOf(a);
    if (latestDeleteBefore(a.address) > p) continue;
    gated.add(a.address);
    unfinished[p] = (unfinished[p] ?? 0) + 1;
  }
  return {
    open(a) {
      if (a.action !== 'delete') return true;
      const p = phaseOf(a);
      for (let q = 0; q < p; q++) if ((unfinished[q] ?? 0) > 0) return false;
      return true;
    },
    done(a) {
      if (gated.delete(a.address) && --unfinished[phaseOf(a)]! === 0) openings += 1;
    },
    openings: () => openings,
  };
}
