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

/**
 * Milliseconds until the last of `requests` may go at the target's rate: those the current window
 * still allows (`remaining`) go at once, the rest `allowed` at each reset (`resetInMs` away, then
 * every `windowMs`), as a window-limited server lets them. 0: the rate holds nothing back (the
 * apply is as long as its calls). Requests ÷ rate would say 37 s for an apply of 183 requests that
 * a budget of 300 a minute lets through in one second.
 */
export function expectedDurationMs(requests: number, budget: { allowed: number; windowMs: number; remaining?: number; resetInMs?: number }): number {
  if (!(budget.allowed > 0)) return Number.POSITIVE_INFINITY;
  const waiting = requests - Math.max(0, budget.remaining ?? 0);
  if (waiting <= 0) return 0;
  return (budget.resetInMs ?? budget.windowMs) + Math.floor((waiting - 1) / budget.allowed) * budget.windowMs;
}
