// The removal gate: deletes wait for every action of earlier phases, writes and deletes, except
// those that wait for a delete of a later phase themselves (else two such deletes would wait for
// each other).
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

  it('holds a filter delete until the template deletes before it have succeeded (a failed one keeps the filter)', () => {
    // Found with the binary: a filter removed beside the template it guarded was deleted at once,
    // and when the template's delete failed the template went on serving without its filter.
    const t = del('PromptTemplate/old', 'PromptTemplate');
    const v = del('PromptVersion/kept@1.0.0', 'PromptVersion');
    const f = del('SafetyFilter/guard', 'SafetyFilter');
    const todo = [v, t, f];
    const gate = removalGate(todo, depsOf(todo));
    expect(gate.open(v)).toBe(true);
    expect(gate.open(t)).toBe(false);
    expect(gate.open(f)).toBe(false);
    gate.done(v);
    expect(gate.open(t)).toBe(true);
    expect(gate.open(f)).toBe(false);
    gate.done(t);
    expect(gate.open(f)).toBe(true);
    expect(gate.openings()).toBe(2);
  });

  it('does not hold a delete for a delete that waits for it', () => {
    const f = del('SafetyFilter/old', 'SafetyFilter');
    const t = del('PromptTemplate/old', 'PromptTemplate', [f.address]);
    const todo = [t, f];
    const gate = removalGate(todo, depsOf(todo));
    expect(gate.open(f)).toBe(true);
  });
});
