// What each listing of a live read held (its objects' ids and names), and a read of those listings
// alone, for export: a read of the org whose listings changed between two of their pages by a
// delete and a create that cancel out passes every check one read can make (genesys/listing.ts),
// and its files would hold the deleted object and lack a live one, which a prune of them deletes.
// Export keeps a read only when a read of the listings made after it holds the same objects under
// the same names (cli/export.ts). The listings are read without expand: their ids and names are
// all that is compared, and the check costs one page per hundred objects.
import type { LiveState, Surface, Targets } from './live.js';

/** The listings a live read holds, by their LiveState field. */
export type ListingName = 'templates' | 'filters' | 'guides' | 'summarySettings';

/** Each listing a read held: its objects as sorted `id name` keys. */
export type Listed = Partial<Record<ListingName, readonly string[]>>;

/** How the listings appear in messages. */
export const LISTING_NOUNS: Readonly<Record<ListingName, string>> = {
  templates: 'prompt templates',
  filters: 'safety filters',
  guides: 'guides',
  summarySettings: 'summary settings',
};

/** The listings a read holds: the gateway's unless it was refused or is not served, AI Studio's where it holds them. */
export function listingsHeld(live: LiveState, refused: readonly Surface[]): ListingName[] {
  const gateway = !refused.includes('llmgateway') && !(live.unavailable ?? []).includes('llmgateway');
  return [...(gateway ? (['templates', 'filters'] as const) : []), ...(live.guides ? (['guides'] as const) : []), ...(live.summarySettings ? (['summarySettings'] as const) : [])];
}

/** What each listing of `live` in `names` held (a listing the read left out, refused or unserved, is not named). */
export function listedIn(live: LiveState, names: readonly ListingName[]): Listed {
  const out: Listed = {};
  for (const n of names) {
    const objects = live[n];
    if (objects !== undefined) out[n] = keysOf(objects);
  }
  return out;
}

/** The listings in `names`, read again now: ids and names alone. */
export async function readListed(t: Targets, names: readonly ListingName[]): Promise<Listed> {
  const read = async (n: ListingName): Promise<readonly { id: string; name: string }[]> => {
    if (n === 'templates') return t.gateway.listTemplates();
    if (n === 'filters') return t.gateway.listFilters();
    if (!t.aistudio) return [];
    return n === 'guides' ? t.aistudio.listGuides() : t.aistudio.listSummarySettings();
  };
  const lists = await Promise.all(names.map(async (n) => [n, keysOf(await read(n))] as const));
  return Object.fromEntries(lists) as Listed;
}

/** The listings `before` and `after` hold apart (other ids, or an object under another name): none when they agree. */
export function listingsApart(before: Listed, after: Listed): ListingName[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])] as ListingName[];
  return names.filter((n) => !sameKeys(before[n], after[n]));
}

function sameKeys(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return a !== undefined && b !== undefined && a.length === b.length && a.every((k, i) => k === b[i]);
}

function keysOf(objects: readonly { id: string; name: string }[]): string[] {
  // NUL sits in neither an id nor a name the API serves, so no two pairs make one key.
  return objects.map((o) => `${o.id}\u0000${o.name}`).sort();
}
