// A plan's summary line as data: its actions counted by what they do, a delete left pending (prune
// off) apart, and one no apply can make (unremovable) apart again. buildPlan writes it; a saved
// plan's is checked against its own actions (plan/file.ts), without loading the planner.
import type { PlanAction } from '../kinds/action.js';
import type { Plan } from './types.js';

export function planSummary(actions: readonly PlanAction[]): Plan['summary'] {
  const summary: Plan['summary'] = { create: 0, update: 0, delete: 0, noop: 0 };
  for (const a of actions) {
    // One no apply makes (a traffic split, which the gateway cannot remove) is not waiting for prune.
    if (a.action === 'delete' && a.unremovable) summary.unremovable = (summary.unremovable ?? 0) + 1;
    else if (a.action === 'delete' && a.pending) summary.pending = (summary.pending ?? 0) + 1;
    else summary[a.action]++;
  }
  return summary;
}
