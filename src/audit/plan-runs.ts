// What an audit trail holds of one plan's runs, by the plan id its records carry: whether a saved
// plan was applied already (apply of the same file twice), when, and what each of its changes made.
// Pure: the caller reads the text.
import { recordsMentioning } from './trail-lines.js';

export interface PlanOnRecord {
  /** The changes the plan attempted whose outcome is on record, by address: one each, though a change may take two records (a filter's move through an interim priority). */
  outcomes: number;
  /** Of them, those that landed (an outcome `success` or `succeeded (recovered)`). */
  succeeded: number;
  /** The last outcome's timestamp, as the record has it. */
  last: string;
  /** What each attempted change made, by address, as its last outcome record says (`open`: only its intent is on record). */
  made: ReadonlyMap<string, MadeChange>;
}

/** One change of the plan as its last outcome record says it ended. */
export interface MadeChange {
  /** The outcome landed: `success` or `succeeded (recovered)`. */
  landed: boolean;
  /** The outcome as recorded (`failure`, `unknown`, …; empty where the record has none): what a message says of a change that did not land. */
  outcome: string;
  /** Only its intent is on record, no outcome yet (its run killed, and no apply settled it since): it may have made part of it, or all. */
  open?: true;
  /** A delete (a version's retirement): what it made is the object gone, with what it took along. */
  gone: boolean;
  /** The snapshot hash of what the write left (the record's `after.hash`); null where the record says none. */
  hash: string | null;
  /** The object's id as the record carries it (a version's and a split's: their template's); null where it has none. */
  resourceId: string | null;
  /** What a delete took with it, by address. */
  cascade: readonly string[];
}

/** The outcomes of a change that landed. */
export const LANDED: ReadonlySet<string> = new Set(['success', 'succeeded (recovered)']);
const DELETES = new Set(['delete', 'retire']);

/**
 * The changes the trail records for plan `planId` (their outcome records, by address); null when
 * it records none. A line that is not a record (torn, defaced) counts for nothing: `audit verify`
 * is where such a line is reported.
 */
export function planOnRecord(text: string, planId: string): PlanOnRecord | null {
  const landed = new Set<string>();
  const made = new Map<string, MadeChange>();
  let last = '';
  // When the plan's run started its last change: for a run killed before any outcome.
  let started = '';
  // Most lines are other plans': skipped before they are parsed.
  for (const r of recordsMentioning(text, planId)) {
    if (r.planId !== planId) continue;
    const address = typeof r.address === 'string' ? r.address : '';
    // An intent with no outcome after it is the plan's too: its run (killed) started that change.
    if (r.type === 'intent') {
      made.set(address, { ...madeBy({ ...r, outcome: '', after: null }), open: true });
      if (typeof r.timestamp === 'string') started = r.timestamp;
      continue;
    }
    if (r.type !== 'outcome') continue;
    const change = madeBy(r);
    if (change.landed) landed.add(address);
    // The last word on an address: a staged filter's final step after its interim one, a settled
    // outcome after the one its run left unknown.
    made.set(address, change);
    if (typeof r.timestamp === 'string') last = r.timestamp;
  }
  const outcomes = [...made.values()].filter((m) => !m.open).length;
  return made.size > 0 ? { outcomes, succeeded: landed.size, last: last || started, made } : null;
}

/** What one outcome record says its change made; anything malformed reads as nothing known. */
function madeBy(r: Record<string, unknown>): MadeChange {
  const after = typeof r.after === 'object' && r.after !== null ? (r.after as Record<string, unknown>) : null;
  const cascade = Array.isArray(r.cascade) ? r.cascade.flatMap((c: unknown) => (typeof c === 'object' && c !== null && typeof (c as { address?: unknown }).address === 'string' ? [(c as { address: string }).address] : [])) : [];
  return {
    landed: typeof r.outcome === 'string' && LANDED.has(r.outcome),
    outcome: typeof r.outcome === 'string' ? r.outcome : '',
    gone: typeof r.action === 'string' && DELETES.has(r.action),
    hash: typeof after?.hash === 'string' ? after.hash : null,
    resourceId: typeof r.resourceId === 'string' ? r.resourceId : null,
    cascade,
  };
}
