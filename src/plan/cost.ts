// What an apply of a plan will cost the target: its requests (each kind says what its actions
// take) and, at the rate the target announces, about how long it will take.
import { isApplied } from '../kinds/action.js';
import { kindOf } from '../kinds/index.js';
import type { Plan } from './types.js';

/** The requests applying the plan makes when nothing goes wrong. */
export function expectedRequests(plan: Plan): number {
  let total = 0;
  for (const a of plan.actions) if (isApplied(a)) total += kindOf(a.kind).expectedRequests(a);
  return Math.ceil(total);
}

/** Milliseconds `requests` take at `allowed` requests per `windowMs`. */
export function expectedDurationMs(requests: number, budget: { allowed: number; windowMs: number }): number {
  return budget.allowed > 0 ? (requests / budget.allowed) * budget.windowMs : Number.POSITIVE_INFINITY;
}
