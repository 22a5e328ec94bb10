// The versioned plan JSON of DESIGN §4 (`plan --format json`, `plan --out FILE`): the plan as it
// is, schemas/plan.schema.json its published shape.
import type { Plan } from '../plan/types.js';
import { requireSealed } from './plan-common.js';

export function renderJson(plan: Plan): string {
  requireSealed(plan);
  return JSON.stringify(plan, null, 2) + '\n';
}
