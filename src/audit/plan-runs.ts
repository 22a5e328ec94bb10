// What an audit trail holds of one plan's runs, by the plan id its records carry: whether a saved
// plan was applied already (apply of the same file twice), and when. Pure: the caller reads the text.
import { recordsMentioning } from './trail-lines.js';

export interface PlanOnRecord {
  /** The changes the plan attempted, by address: one each, though a change may take two records (a filter's move through an interim priority). */
  outcomes: number;
  /** Of them, those that landed (an outcome `success` or `succeeded (recovered)`). */
  succeeded: number;
  /** The last outcome's timestamp, as the record has it. */
  last: string;
}

const LANDED = new Set(['success', 'succeeded (recovered)']);

/**
 * The changes the trail records for plan `planId` (their outcome records, by address); null when
 * it records none. A line that is not a record (torn, defaced) counts for nothing: `audit verify`
 * is where such a line is reported.
 */
export function planOnRecord(text: string, planId: string): PlanOnRecord | null {
  const attempted = new Set<string>();
  const landed = new Set<string>();
  let last = '';
  // Most lines are other plans': skipped before they are parsed.
  for (const r of recordsMentioning(text, planId)) {
    if (r.planId !== planId || r.type !== 'outcome') continue;
    const address = typeof r.address === 'string' ? r.address : '';
    attempted.add(address);
    if (typeof r.outcome === 'string' && LANDED.has(r.outcome)) landed.add(address);
    if (typeof r.timestamp === 'string') last = r.timestamp;
  }
  return attempted.size > 0 ? { outcomes: attempted.size, succeeded: landed.size, last } : null;
}
