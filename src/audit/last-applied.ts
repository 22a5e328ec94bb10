// What promptctl last applied to each of some addresses, as the audit trail says: the last outcome
// record of each that landed, with the hash of what it left, the commit it was applied from and
// whether the working tree was dirty then (what it left may be in no commit).
// Plan and drift ask it of objects the target changed after git last changed them, to tell an
// apply of another commit (a stacked pull request's base, merged and applied) from a hand change.
// Pure: the caller reads the text; read-only, never locking or repairing the trail.
import { LANDED } from './plan-runs.js';
import { recordsMentioning } from './trail-lines.js';

/** The last change promptctl's apply made to an address and that landed. */
export interface LastApplied {
  /** The snapshot hash of what the write left (the record's `after.hash`); null where it says none (a delete). */
  hash: string | null;
  /** The commit the apply ran from, as the record names it; null where it names none. */
  commit: string | null;
  /** The org the record names (its id); null where it names none. */
  org: string | null;
  /** The record says `dirty: true`: applied from uncommitted changes, which no commit holds. */
  dirty: boolean;
}

/**
 * The last landed outcome record of each of `addresses` in the trail's `text`, by address (an
 * address with none is absent). A line that is not a record (torn, defaced) counts for nothing:
 * `audit verify` is where it is reported.
 */
export function lastAppliedEach(text: string, addresses: ReadonlySet<string>): Map<string, LastApplied> {
  const out = new Map<string, LastApplied>();
  if (addresses.size === 0) return out;
  // Outcome records of these addresses alone: most lines are other objects' and are skipped before they are parsed.
  // An address JSON may write otherwise (a quote, a non-ASCII letter escaped) is not looked for in the text.
  const named = [...addresses].map((a) => JSON.stringify(a));
  const plain = named.every((a) => /^"[\x20-\x7e]*"$/.test(a) && !a.slice(1, -1).includes('\\'));
  for (const r of recordsMentioning(text, '"outcome"', plain ? (line) => named.some((a) => line.includes(a)) : undefined)) {
    if (r.type !== 'outcome' || typeof r.address !== 'string' || !addresses.has(r.address)) continue;
    if (typeof r.outcome !== 'string' || !LANDED.has(r.outcome)) continue;
    const after = typeof r.after === 'object' && r.after !== null ? (r.after as Record<string, unknown>) : null;
    const org = typeof r.org === 'object' && r.org !== null ? (r.org as Record<string, unknown>).id : null;
    // Records are in the order they were written: a later one is the last word.
    out.set(r.address, {
      hash: typeof after?.hash === 'string' ? after.hash : null,
      commit: typeof r.commit === 'string' && r.commit !== '' ? r.commit : null,
      org: typeof org === 'string' ? org : null,
      dirty: r.dirty === true,
    });
  }
  return out;
}
