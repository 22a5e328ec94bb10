// The actions of an apply not started yet, and the order in which the executor looks at them
// (apply/executor.ts decides what starts). Kept apart so that a wake costs what may start, not a
// scan of every pending action: with one scan per finished call, an apply of n families took
// O(n²) (1,000 templates: 27 s of CPU; 5,000: 208 s). Pure bookkeeping: no I/O.
//
// `begun`: the deletes and the writes of begun families not started, in plan order. `fresh`: the
// writes in plan order, looked at while their family has not begun; those before `freshHead` have
// all begun or started, and are passed over for good. Deletes the removal gate holds (an earlier
// phase still writing) wait apart, `parked`, until a phase's writes are all done: a retire of
// every template's old versions was looked at once per finished write.
import type { PlanAction } from '../plan/types.js';

export class LaunchQueue {
  /** Not started yet, in plan order (an action interrupted before its first call comes back at the end). */
  private readonly pending: Set<PlanAction>;
  private readonly position: Map<PlanAction, number>;
  private readonly familyOf: Map<PlanAction, string>;
  private readonly begun: PlanAction[];
  private readonly fresh: PlanAction[];
  private freshHead = 0;
  private readonly parked: PlanAction[] = [];
  private seenOpenings = 0;
  private readonly writesOf = new Map<string, PlanAction[]>();
  /** The families begun: a write of them has started (a delete begins none: it holds no place). */
  private readonly startedFamilies = new Set<string>();

  constructor(todo: readonly PlanAction[], family: (a: PlanAction) => string) {
    this.pending = new Set(todo);
    this.position = new Map(todo.map((a, i) => [a, i]));
    this.familyOf = new Map(todo.map((a) => [a, family(a)]));
    this.begun = todo.filter((a) => a.action === 'delete');
    this.fresh = todo.filter((a) => a.action !== 'delete');
    for (const a of this.fresh) {
      const f = this.familyOf.get(a)!;
      const list = this.writesOf.get(f);
      if (list) list.push(a);
      else this.writesOf.set(f, [a]);
    }
  }

  /** The actions not started, in plan order (those put back at the end). */
  notStarted(): PlanAction[] {
    return [...this.pending];
  }

  get size(): number {
    return this.pending.size;
  }

  /** Whether family `f` has begun (a write of it has started). */
  hasBegun(f: string): boolean {
    return this.startedFamilies.has(f);
  }

  /** `a`'s family, as the constructor's `family` gave it. */
  family(a: PlanAction): string {
    return this.familyOf.get(a)!;
  }

  /** Taken out without starting (a staged step failed, or the run gives up on what is left). */
  drop(a: PlanAction): void {
    this.pending.delete(a);
  }

  clear(): void {
    this.pending.clear();
  }

  /** Back among those not started: interrupted before its first call, nothing of it happened. */
  putBack(a: PlanAction): void {
    this.pending.add(a);
    this.enter(a);
  }

  /**
   * Starts `a` as far as the queue knows: no longer pending; the first write of a family begins
   * it, and its other writes are then looked at with the begun families'.
   */
  launched(a: PlanAction): void {
    this.pending.delete(a);
    const f = this.familyOf.get(a)!;
    if (a.action === 'delete' || this.startedFamilies.has(f)) return;
    this.startedFamilies.add(f);
    for (const w of this.writesOf.get(f) ?? []) if (w !== a && this.pending.has(w)) this.enter(w);
  }

  /**
   * The begun families' writes and the deletes, in plan order: each that is `ready` is started
   * (`start`) while `room()` lasts. A delete the gate holds (`gateOpen` false) is parked until
   * `openings` (how many phases the gate has opened) changes.
   */
  offerBegun(openings: number, gateOpen: (a: PlanAction) => boolean, room: () => boolean, ready: (a: PlanAction) => boolean, start: (a: PlanAction) => void): void {
    if (openings !== this.seenOpenings) {
      this.seenOpenings = openings;
      for (const a of this.parked.splice(0)) this.enter(a);
    }
    for (let i = 0; i < this.begun.length && room(); ) {
      const a = this.begun[i]!;
      if (a.action === 'delete' && !gateOpen(a)) {
        this.parked.push(...this.begun.splice(i, 1));
        continue;
      }
      if (!ready(a)) {
        i += 1;
        continue;
      }
      this.begun.splice(i, 1);
      start(a);
    }
  }

  /**
   * The writes of families not begun, in plan order, each offered to `take` while `room()` lasts:
   * `take` answers 'started', 'skipped' (not ready: the next is offered) or 'wait' (no room for a
   * new family: none after it goes first).
   */
  offerFresh(room: () => boolean, take: (a: PlanAction) => 'started' | 'skipped' | 'wait'): void {
    const passed = (a: PlanAction): boolean => !this.pending.has(a) || this.startedFamilies.has(this.familyOf.get(a)!);
    while (this.freshHead < this.fresh.length && passed(this.fresh[this.freshHead]!)) this.freshHead += 1;
    for (let i = this.freshHead; i < this.fresh.length && room(); i += 1) {
      const a = this.fresh[i]!;
      if (passed(a)) continue;
      if (take(a) === 'wait') break;
    }
  }

  /** Into `begun`, at its place in plan order. */
  private enter(a: PlanAction): void {
    const at = this.position.get(a)!;
    let lo = 0;
    let hi = this.begun.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.position.get(this.begun[mid]!)! < at) lo = mid + 1;
      else hi = mid;
    }
    this.begun.splice(lo, 0, a);
  }
}
