import { describe, expect, it } from 'vitest';
import { KINDS } from '../../../src/kinds/index.js';
import type { AnyResourceKind } from '../../../src/model/address.js';
import { isValidOrder, orderActions, phaseOf } from '../../../src/plan/order.js';
import type { PlanAction } from '../../../src/plan/types.js';
import { seeded, type Random } from '../../helpers/json-values.js';

/**
 * The order as first written: Kahn's algorithm, taking among the ready actions the one with the
 * lowest phase, then the lowest address, from a heap compared through phaseOf. orderActions must
 * give exactly this order, and the same dependsOn lists.
 */
function reference(actions: PlanAction[]): PlanAction[] {
  const before = (a: PlanAction, b: PlanAction) => (phaseOf(a) !== phaseOf(b) ? phaseOf(a) < phaseOf(b) : a.address < b.address);
  const byAddress = new Map(actions.map((a) => [a.address, a]));
  const waiting = new Map<string, number>();
  const dependents = new Map<string, PlanAction[]>();
  for (const a of actions) {
    a.dependsOn = [...new Set(a.dependsOn)].sort();
    for (const d of a.dependsOn) {
      if (!byAddress.has(d)) throw new Error(`internal: ${a.address} depends on ${d}, which has no action`);
      dependents.set(d, [...(dependents.get(d) ?? []), a]);
    }
    waiting.set(a.address, a.dependsOn.length);
  }
  const ready = actions.filter((a) => a.dependsOn.length === 0);
  const out: PlanAction[] = [];
  while (ready.length > 0) {
    let m = 0;
    for (let i = 1; i < ready.length; i++) if (before(ready[i]!, ready[m]!)) m = i;
    const [a] = ready.splice(m, 1);
    out.push(a!);
    for (const d of dependents.get(a!.address) ?? []) {
      const left = waiting.get(d.address)! - 1;
      waiting.set(d.address, left);
      if (left === 0) ready.push(d);
    }
  }
  return out;
}

const KIND_NAMES = Object.keys(KINDS) as AnyResourceKind[];
const ACTIONS = ['create', 'update', 'delete', 'noop'] as const;

/** Random actions over random kinds, with dependencies on earlier ones only (no cycles), repeats included. */
function randomActions(r: Random, n: number): PlanAction[] {
  const out: PlanAction[] = [];
  const names = Array.from({ length: n }, (_, i) => `n${Math.floor(r() * n * 3)}-${i}`).sort(() => r() - 0.5);
  for (let i = 0; i < n; i++) {
    const kind = KIND_NAMES[Math.floor(r() * KIND_NAMES.length)]!;
    const dependsOn: string[] = [];
    for (let k = Math.floor(r() * 4); k > 0 && out.length > 0; k--) dependsOn.push(out[Math.floor(r() * out.length)]!.address);
    if (dependsOn.length > 0 && r() < 0.3) dependsOn.push(dependsOn[0]!);
    out.push({
      address: `${kind}/${names[i]}`,
      kind,
      name: names[i]!,
      action: ACTIONS[Math.floor(r() * ACTIONS.length)]!,
      dependsOn,
      changes: [],
    } as unknown as PlanAction);
  }
  return out.sort(() => r() - 0.5);
}

describe('orderActions', () => {
  it('gives the reference order (phase, then address, among the ready ones), on random graphs', () => {
    const r = seeded(5);
    for (let round = 0; round < 300; round++) {
      const actions = randomActions(r, 1 + Math.floor(r() * 60));
      // Half the rounds come in address order, as the kinds plan them (each phase's ready run is then only checked).
      if (round % 2 === 0) actions.sort((x, y) => (x.address < y.address ? -1 : 1));
      const want = reference(structuredClone(actions)).map((a) => [a.address, a.dependsOn]);
      const got = orderActions(actions);
      expect(got.map((a) => [a.address, a.dependsOn])).toEqual(want);
      expect(isValidOrder(got)).toBe(true);
    }
  });

  it('refuses duplicate addresses, unknown dependencies and cycles', () => {
    const a = (address: string, dependsOn: string[] = []) => ({ address, kind: 'PromptTemplate', action: 'create', dependsOn, changes: [] }) as unknown as PlanAction;
    expect(() => orderActions([a('PromptTemplate/x'), a('PromptTemplate/x')])).toThrow('internal: two plan actions for PromptTemplate/x');
    expect(() => orderActions([a('PromptTemplate/x', ['PromptTemplate/y'])])).toThrow('internal: PromptTemplate/x depends on PromptTemplate/y, which has no action');
    expect(() => orderActions([a('PromptTemplate/x', ['PromptTemplate/y']), a('PromptTemplate/y', ['PromptTemplate/x']), a('PromptTemplate/z')])).toThrow(
      'internal: dependency cycle among PromptTemplate/x, PromptTemplate/y',
    );
  });
});
