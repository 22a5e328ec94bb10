// Which AI Studio objects are promptctl's. Guides and summary settings carry no labels, so the
// `managed-by: promptctl` label the gateway kinds use cannot mark them. The record is git itself:
// an object is promptctl's when a document of its kind and name was ever committed under the
// prompts directory (src/git/ownership.ts reads that from history; the CLI passes it in here as
// data). Deleting a document from git therefore makes the object a pending delete (or, with prune,
// a delete), while an object made by hand in Genesys, which git never named, is left alone.
// Pure: no I/O.
import type { AiStudioKind } from '../model/address.js';
import { ownEntry } from '../util/entries.js';
import { PENDING_REASON } from './labels.js';

export interface Ownership {
  /** Per kind, the names of every document ever committed under the prompts directory. */
  names: Partial<Record<AiStudioKind, readonly string[]>>;
  /**
   * Per kind, of the names git no longer defines: when it stopped (ISO-8601, the commit that took
   * each out). A live object of such a name made after that is someone else's namesake.
   */
  removedAt?: Partial<Record<AiStudioKind, Readonly<Record<string, string>>>>;
  /**
   * False when the history read was partial or impossible (a shallow clone, no repository): an
   * object not found may still be promptctl's, and the reason it is left alone says so.
   */
  complete: boolean;
  /** Where the record comes from, for reasons: "git history of prompts/". */
  source: string;
  /** Why the record is incomplete, when it is ("a shallow clone: fetch full history"). */
  caveat?: string;
}

export function isOwned(owned: Ownership | undefined, kind: AiStudioKind, name: string): boolean {
  return owned?.names[kind]?.includes(name) ?? false;
}

/** How many of `names` are promptctl's. */
export function countOwned(owned: Ownership | undefined, kind: AiStudioKind, names: Iterable<string>): number {
  let n = 0;
  for (const name of names) if (isOwned(owned, kind, name)) n += 1;
  return n;
}

/**
 * What becomes of a live AI Studio object git does not define: promptctl's (git once defined it)
 * is deleted with prune and a pending delete without; anything else is left alone, with why.
 */
export function aiStudioAbsentFromGit(
  prune: boolean,
  owned: Ownership | undefined,
  kind: AiStudioKind,
  name: string,
  /** Why this environment's documents lack it, when git keeps it to others (labels.ts `keptOutWords`). */
  keptOut?: string,
  /** When the live object was made (its dateCreated). */
  created?: string,
): { fate: 'delete' | 'pending'; reason: string } | { fate: 'kept'; reason: string } {
  const removed = ownEntry(owned?.removedAt?.[kind], name);
  // git dates a commit to the second: only an object made a whole second after it is surely later.
  if (removed !== undefined && created !== undefined && Date.parse(created) >= Date.parse(removed) + 1000) {
    // Made after git stopped defining the name (by hand, say, after promptctl deleted the one it
    // made): not what git defined.
    return { fate: 'kept', reason: `${keptOut ?? 'not in git'}; ${owned!.source} defined a ${kind} of this name until ${removed}, and this one was made after that (${created}): not promptctl's, left alone` };
  }
  if (isOwned(owned, kind, name)) {
    const was = keptOut ?? `removed from git (${owned!.source} defined it)`;
    return prune ? { fate: 'delete', reason: `pruned: ${was}` } : { fate: 'pending', reason: `${PENDING_REASON}; ${was}` };
  }
  const absent = keptOut ?? 'not in git';
  if (!owned) return { fate: 'kept', reason: `${absent}; promptctl cannot tell whether it made it (no git history was read), so it is left alone` };
  const partial = owned.complete ? '' : ` (${owned.caveat ?? 'the history read was incomplete'})`;
  return { fate: 'kept', reason: `${absent}, and ${owned.source} never defined it: not promptctl's, left alone${partial}` };
}
