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

/** An action's phase, checked: phases are small whole numbers (a kind's mistake otherwise). */
function checkedPhase(a: PlanAction): number {
  const phase = phaseOf(a);
  if (!Number.isInteger(phase) || phase < 0) throw new Error(`internal: ${a.kind} has phase ${phase}`);
  return phase;
}

/** Orders actions; dependsOn must name actions of the same list (else a programming error). */
export function orderActions(actions: PlanAction[]): PlanAction[] {
  const n = actions.length;
  const index = new Map<string, number>();
  const phase = new Array<number>(n);
  // Those ready from the start, and those that wait: a plan with nothing to do (thousands of
  // noops, none waiting) is only sorted, in one pass over it.
  const start: number[] = [];
  const waits: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = actions[i]!;
    if (index.has(a.address)) throw new Error(`internal: two plan actions for ${a.address}`);
    index.set(a.address, i);
    phase[i] = checkedPhase(a);
    const deps = a.dependsOn;
    if (deps.length === 0) {
      start.push(i);
      continue;
    }
    a.dependsOn = deps.length === 1 ? [deps[0]!] : [...new Set(deps)].sort();
    waits.push(i);
  }
  // Among the actions ready at once: by phase, then by address (code-unit order, as sort() has it).
  sortReady(start, phase, actions);
  if (waits.length === 0) return start.map((i) => actions[i]!);

  const before = (i: number, j: number): boolean => {
    if (phase[i] !== phase[j]) return phase[i]! < phase[j]!;
    return actions[i]!.address < actions[j]!.address;
  };
  const waiting = new Array<number>(n).fill(0);
  const dependents = new Array<number[] | undefined>(n);
  for (const i of waits) {
    const a = actions[i]!;
    for (const d of a.dependsOn) {
      const at = index.get(d);
      if (at === undefined) throw new Error(`internal: ${a.address} depends on ${d}, which has no action`);
      (dependents[at] ??= []).push(i);
    }
    waiting[i] = a.dependsOn.length;
  }
  // The actions ready from the start, in order; those that become ready later wait in a heap.
  const later = new Heap<number>(before);
  const out: PlanAction[] = [];
  let next = 0;
  for (;;) {
    const top = later.peek();
    let i: number | undefined;
    if (next < start.length && (top === undefined || before(start[next]!, top))) i = start[next++];
    else i = later.pop();
    if (i === undefined) break;
    out.push(actions[i]!);
    for (const d of dependents[i] ?? []) if (--waiting[d]! === 0) later.push(d);
  }
  if (out.length !== n) {
    const stuck = actions.filter((_, i) => waiting[i]! > 0).map((a) => a.address);
    throw new Error(`internal: dependency cycle among ${stuck.join(', ')}`);
  }
  return out;
}

/**
 * Sorts `ready` (indices into `actions`) by phase, then address. Phases are few and kinds plan in
 * address order, so each phase's run is usually sorted already: it is only checked, which keeps a
 * large plan with nothing to do (thousands of noops, all ready at once) linear.
 */
function sortReady(ready: number[], phase: readonly number[], actions: readonly PlanAction[]): void {
  const byPhase: number[][] = [];
  for (const i of ready) (byPhase[phase[i]!] ??= []).push(i);
  let k = 0;
  for (const run of byPhase) {
    if (!run) continue;
    let sorted = true;
    for (let j = 1; j < run.length && sorted; j++) sorted = actions[run[j - 1]!]!.address < actions[run[j]!]!.address;
    if (!sorted) run.sort((i, j) => (actions[i]!.address < actions[j]!.address ? -1 : 1));
    for (const i of run) ready[k++] = i;
  }
}

/**
 * The addresses in `only` that have actions, plus everything they depend on, transitively, plus
 * the staged actions (stagePriority) their kind's changes may rely on.
 */
export function dependencyClosure(actions: PlanAction[], only: ReadonlySet<string>): Set<string> {
  const byAddress = new Map(actions.map((a) => [a.address, a]));
  const keep = new Set<string>();
  const visit = (from: Iterable<string>): void => {
    const stack = [...from].filter((x) => byAddress.has(x));
    while (stack.length > 0) {
      const address = stack.pop()!;
      if (keep.has(address)) continue;
      keep.add(address);
      for (const d of byAddress.get(address)!.dependsOn) stack.push(d);
    }
  };
  visit(only);
  // A staged action vacates its live priority in step 1, before anything else runs, so the one
  // that takes that priority cannot name it in dependsOn (the pair would be a cycle). A slice that
  // keeps a change of that kind keeps the staged actions too, or the taker meets a 409.
  const staged = actions.filter((a) => (a.action === 'create' || a.action === 'update') && a.stagePriority !== undefined);
  for (;;) {
    const kinds = new Set(actions.filter((a) => keep.has(a.address) && a.action !== 'noop').map((a) => a.kind));
    const more = staged.filter((a) => !keep.has(a.address) && kinds.has(a.kind));
    if (more.length === 0) return keep;
    visit(more.map((a) => a.address));
  }
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
  peek(): T | undefined {
    return this.items[0];
  }
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
