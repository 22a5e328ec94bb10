// What an apply's progress events show of its depth first: how many object families were open at
// once (a write of them begun, some of their writes unfinished) and how many actions ran at once.
// Worked out here from the plan and the events alone, not from the executor's own bookkeeping.
import type { ApplyEvent } from '../../src/apply/executor.js';
import type { Plan, PlanAction } from '../../src/plan/types.js';

const family = (a: PlanAction) => `${a.kind === 'PromptVersion' || a.kind === 'TrafficSplit' ? 'PromptTemplate' : a.kind}:${a.name}`;

/** Most families begun (a write of them started) with writes unfinished, and most actions in flight, over the events. */
export function mostOpen(p: Plan, events: ApplyEvent[]): { open: number; inFlight: number } {
  const writes = new Map<string, number>();
  for (const a of p.actions) if (a.action !== 'noop' && a.action !== 'delete') writes.set(family(a), (writes.get(family(a)) ?? 0) + 1);
  const begun = new Set<string>();
  let open = 0;
  let inFlight = 0;
  let most = 0;
  for (const e of events) {
    if (e.type === 'start') {
      if (e.action.action !== 'delete') begun.add(family(e.action));
      inFlight += 1;
      most = Math.max(most, inFlight);
      open = Math.max(open, [...begun].filter((f) => (writes.get(f) ?? 0) > 0).length);
    } else if (e.type === 'finish') {
      inFlight -= 1;
      const a = e.result.action;
      if (a.action !== 'delete') writes.set(family(a), writes.get(family(a))! - 1);
    }
  }
  return { open, inFlight: most };
}
