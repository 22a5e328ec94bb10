// What an audit trail holds of one plan's runs, by the plan id its records carry: whether a saved
// plan was applied already (apply of the same file twice), and when. Pure: the caller reads the text.
import { recordsMentioning } from './trail-lines.js';

export interface PlanOnRecord {
  /** Outcome records of the plan: one per attempted change (a settled intent's counts too). */
  outcomes: number;
  /** Of them, the changes that landed (`success`, `succeeded (recovered)`). */
  succeeded: number;
  /** The last of them's timestamp, as the record has it. */
  last: string;
}

const LANDED = new Set(['success', 'succeeded (recovered)']);

/**
 * The outcomes the trail records for plan `planId`; null when it records none. A line that is not
 * a record (torn, defaced) counts for nothing: `audit verify` is where such a line is reported.
 */
export function planOnRecord(text: string, planId: string): PlanOnRecord | null {
  let outcomes = 0;
  let succeeded = 0;
  let last = '';
  // Most lines are other plans': skipped before they are parsed.
  for (const r of recordsMentioning(text, planId)) {
    if (r.planId !== planId || r.type !== 'outcome') continue;
    outcomes += 1;
    if (typeof r.outcome === 'string' && LANDED.has(r.outcome)) succeeded += 1;
    if (typeof r.timestamp === 'string') last = r.timestamp;
  }
  return outcomes > 0 ? { outcomes, succeeded, last } : null;
}
