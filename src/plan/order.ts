// Apply order: a topological order of dependsOn that, among the actions ready at each step,
// follows the phases of DESIGN §5 (filters → templates → versions → traffic → retired versions →
// deleted templates → deleted filters, as each kind's phase says) and then the address, so the
// order is deterministic.
import { kindOf } from '../kinds/index.js';
import type { PlanAction } from './types.js';

export function phaseOf(a: PlanAction): number {
  const { phase } = kindOf(a.kind);
  return a.action === 'delete' ? phase.remove : phase.write;
}

function before(a: PlanAction, b: PlanAction): boolean {
  const pa = phaseOf(a);
  const pb = phaseOf(b);
  if (pa !== pb) return pa < pb;
  return a.address < b.address;
}

/** Orders actions; dependsOn must name actions of the same list (else a programming error). */
export function orderActions(actions: PlanAction[]): PlanAction[] {
  const byAddress = new Map<string, PlanAction>();
  for (const a of actions) {
    if (byAddress.has(a.address)) throw new Error(`internal: two plan actions for ${a.address}`);
    byAddress.set(a.address, a);
  }
  const waiting = new Map<string, number>();
  const dependents = new Map<string, PlanAction[]>();
  for (const a of actions) {
    a.dependsOn = [...new Set(a.dependsOn)].sort();
    for (const d of a.dependsOn) {
      if (!byAddress.has(d)) throw new Error(`internal: ${a.address} depends on ${d}, which has no action`);
      const list = dependents.get(d) ?? [];
      list.push(a);
      dependents.set(d, list);
    }
    waiting.set(a.address, a.dependsOn.length);
  }
  const ready = new Heap<PlanAction>(before);
  for (const a of actions) if (a.dependsOn.length === 0) ready.push(a);
  const out: PlanAction[] = [];
  for (let a = ready.pop(); a !== undefined; a = ready.pop()) {
    out.push(a);
    for (const d of dependents.get(a.address) ?? []) {
      const left = waiting.get(d.address)! - 1;
      waiting.set(d.address, left);
      if (left === 0) ready.push(d);
    }
  }
  if (out.length !== actions.length) {
    const stuck = actions.filter((a) => waiting.get(a.address)! > 0).map((a) => a.address);
    throw new Error(`internal: dependency cycle among ${stuck.join(', ')}`);
  }
  return out;
}

/** The addresses in `only` that have actions, plus everything they depend on, transitively. */
export function dependencyClosure(actions: PlanAction[], only: ReadonlySet<string>): Set<string> {
  const byAddress = new Map(actions.map((a) => [a.address, a]));
  const keep = new Set<string>();
  const stack = [...only].filter((x) => byAddress.has(x));
  while (stack.length > 0) {
    const address = stack.pop()!;
    if (keep.has(address)) continue;
    keep.add(address);
    for (const d of byAddress.get(address)!.dependsOn) stack.push(d);
  }
  return keep;
}

/** Checks that `actions` is a valid topological order of its dependsOn (used by tests and apply). */
export function isValidOrder(actions: PlanAction[]): boolean {
  const seen = new Set<string>();
  for (const a of actions) {
    if (a.dependsOn.some((d) => !seen.has(d))) return false;
    seen.add(a.address);
  }
  return true;
}

class Heap<T> {
  private items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => boolean) {}
  push(x: T): void {
    const items = this.items;
    items.push(x);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }
  pop(): T | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.less(items[l]!, items[m]!)) m = l;
        if (r < items.length && this.less(items[r]!, items[m]!)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top;
  }
}
