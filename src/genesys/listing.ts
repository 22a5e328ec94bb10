// Reading a whole listing of the Platform API, page by page (genesys/rest.ts `listAll` asks for
// each page): page 1 first, then the rest concurrently when page 1 says how many there are, else
// by each page's nextUri; a listing that cannot be read whole (a server that ignores the page it
// is asked for, a walk that goes round) is refused, since a plan of part of an org would create
// what exists and miss what it should delete. Entities that shifted pages meanwhile are kept once.
import type { EntityListing } from './conventions.js';
import { ApiError } from './errors.js';

/** How the walk asks for a page: by its number, or by the query a page's nextUri names. */
export interface PageReader<T> {
  page(pageNumber: number): Promise<EntityListing<T>>;
  pageAt(query: Record<string, string>): Promise<EntityListing<T>>;
}

/** Every entity of the listing at `path`. */
export async function readListing<T>(path: string, reader: PageReader<T>): Promise<T[]> {
  const page = (n: number): Promise<EntityListing<T>> => reader.page(n);
  const first = await page(1);
  const known = pageCountOf(first);
  const rest: EntityListing<T>[] = [];
  if (known !== undefined && known > MAX_FOLLOWED_PAGES) {
    // No org holds that much of one kind: a server that says so is not to be believed (or read).
    throw new ApiError(
      `GET ${path} says it has ${known.toLocaleString('en-US')} pages, more than promptctl reads (${MAX_FOLLOWED_PAGES.toLocaleString('en-US')}): is the API URL right?`,
      200,
      'unexpected.answer',
      undefined,
      'GET',
      path,
    );
  }
  if (known !== undefined) {
    rest.push(...(await Promise.all(Array.from({ length: Math.max(0, known - 1) }, (_, i) => page(i + 2)))));
    // A page that holds only entities of the pages before it is page 1 again (a server that
    // ignores pageNumber): the rest of the listing was never read, and a plan of its first page
    // would create what exists and miss what it should delete.
    const read = new Set(keysOf(first));
    rest.forEach((listing, i) => {
      const keys = keysOf(listing);
      if (keys.length > 0 && keys.every((k) => read.has(k))) {
        throw new ApiError(
          `GET ${path}: page ${i + 2} of ${known} held only entities of the pages before it: promptctl cannot read the whole listing (does the server ignore the page it is asked for?)`,
          200,
          'unexpected.answer',
          undefined,
          'GET',
          path,
        );
      }
      keys.forEach((k) => read.add(k));
    });
  } else {
    // pageCount and total are optional in the Platform API's listings: nextUri alone says there
    // is more, and where: it is followed as written (a cursor, the server's own page size), so
    // long as it names this listing's path. A page that holds only what was read already, and
    // names yet another, is a walk that would go round to the bound: refused, since a plan of
    // part of the org would create what exists and miss what it should delete.
    const read = new Set(keysOf(first));
    for (let last = first, n = 2; hasNext(last) && n <= MAX_FOLLOWED_PAGES; n++) {
      const next = nextQuery(last.nextUri!, path);
      last = next ? await reader.pageAt(next) : await page(n);
      rest.push(last);
      const added = keysOf(last).filter((k) => !read.has(k));
      added.forEach((k) => read.add(k));
      if (added.length === 0 && hasNext(last)) {
        throw new ApiError(
          `GET ${path}: page ${n}, read by the nextUri of the page before it, held only entities already read and named another page: promptctl cannot read the whole listing (does the server ignore the page it is asked for?)`,
          200,
          'unexpected.answer',
          undefined,
          'GET',
          path,
        );
      }
    }
  }
  // An entity can shift pages if something is created or deleted meanwhile: keep each once.
  const seen = new Set<string>();
  const out: T[] = [];
  for (const listing of [first, ...rest]) {
    for (const e of listing.entities ?? []) {
      const key = entityKey(e);
      if (key !== undefined && seen.has(key)) continue;
      if (key !== undefined) seen.add(key);
      out.push(e);
    }
  }
  return out;
}

/**
 * A bound on a listing's pages (a million entities at 100 a page): read by following nextUri (a
 * server that always names one must not loop forever), or announced by page 1.
 */
const MAX_FOLLOWED_PAGES = 10_000;

/** How many pages a listing has, from its first page: pageCount, else total over pageSize; undefined if it does not say. */
export function pageCountOf(first: Partial<EntityListing<unknown>>): number | undefined {
  if (isCount(first.pageCount)) return first.pageCount;
  if (isCount(first.total) && isCount(first.pageSize) && first.pageSize > 0) return Math.ceil(first.total / first.pageSize);
  return undefined;
}

/** Whether a page read by following names a next one (and was not empty, so the walk moves on). */
function hasNext(listing: Partial<EntityListing<unknown>>): boolean {
  return typeof listing.nextUri === 'string' && listing.nextUri !== '' && (listing.entities?.length ?? 0) > 0;
}

/** A listing's count (pageSize, total, pageCount…): a finite number, not negative. */
export function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0;
}

/** The keys of a page's entities (those that have one). */
function keysOf(listing: Partial<EntityListing<unknown>>): string[] {
  return (listing.entities ?? []).map(entityKey).filter((k): k is string => k !== undefined);
}

/**
 * The query a nextUri asks for, when it names `path` on the same server (relative, as the
 * Platform API writes it) and each parameter once; undefined otherwise (the page is then asked
 * for by its number, as before).
 */
function nextQuery(nextUri: string, path: string): Record<string, string> | undefined {
  let u: URL;
  try {
    u = new URL(nextUri, 'http://listing.invalid');
  } catch {
    return undefined;
  }
  if (u.origin !== 'http://listing.invalid' || u.pathname !== path) return undefined;
  const keys = [...u.searchParams.keys()];
  if (keys.length === 0 || new Set(keys).size !== keys.length) return undefined;
  return Object.fromEntries(u.searchParams);
}

function entityKey(e: unknown): string | undefined {
  const o = e as { id?: unknown; version?: unknown };
  return typeof o.id === 'string' ? o.id : typeof o.version === 'string' ? o.version : undefined;
}
