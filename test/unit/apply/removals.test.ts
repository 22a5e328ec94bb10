// The removal gate: deletes wait for the writes of earlier phases, except writes that wait for a
// delete themselves (else two such deletes would wait for each other).
import { describe, expect, it } from 'vitest';
import { removalGate } from '../../../src/apply/removals.js';
import type { PlanAction } from '../../../src/plan/types.js';

const write = (address: string, kind: PlanAction['kind'], dependsOn: string[] = []): PlanAction =>
  ({ address, kind, name: address, action: 'create', changes: [], dependsOn, desired: { kind, body: {} } }) as unknown as PlanAction;
const del = (address: string, kind: PlanAction['kind'], dependsOn: string[] = []): PlanAction =>
  ({ address, kind, name: address, action: 'delete', changes: [], dependsOn, liveId: 'x', guard: {} }) as unknown as PlanAction;
const depsOf = (todo: PlanAction[]) => new Map(todo.map((a) => [a.address, a.dependsOn]));

describe('removalGate', () => {
  it('holds a template delete until every earlier write has succeeded', () => {
    const t = write('PromptTemplate/new', 'PromptTemplate');
    const s = write('TrafficSplit/new', 'TrafficSplit', [t.address]);
    const d = del('PromptTemplate/old', 'PromptTemplate');
    const todo = [t, s, d];
    const gate = removalGate(todo, depsOf(todo));
    expect(gate.open(t)).toBe(true);
    expect(gate.open(d)).toBe(false);
    gate.done(t);
    expect(gate.open(d)).toBe(false);
    gate.done(s);
    expect(gate.open(d)).toBe(true);
  });

  it('does not hold a delete for writes that wait for a delete (the enabled-filter limit)', () => {
    const d1 = del('SafetyFilter/old-a', 'SafetyFilter');
    const d2 = del('SafetyFilter/old-b', 'SafetyFilter');
    const n1 = write('SafetyFilter/new-a', 'SafetyFilter', [d1.address]);
    const n2 = write('SafetyFilter/new-b', 'SafetyFilter', [d2.address]);
    const v = write('PromptVersion/t@1.0.0', 'PromptVersion', [n1.address]);
    const todo = [d1, d2, n1, n2, v];
    const gate = removalGate(todo, depsOf(todo));
    expect(gate.open(d1)).toBe(true);
    expect(gate.open(d2)).toBe(true);
  });
});
