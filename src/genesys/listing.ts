// Reading a whole listing of the Platform API, page by page (genesys/rest.ts `listAll` asks for
// each page): page 1 first, then the rest concurrently when page 1 says how many there are, else
// by each page's nextUri; a listing that cannot be read whole (a server that ignores the page it
// is asked for, a walk that goes round) is refused, since a plan of part of an org would create
// what exists and miss what it should delete. A listing that changed while it was read (another
// apply, a person: its pages' counts disagree, or what they hold does not come to their total)
// is read again from page 1, a few times, then refused: a torn read loses a live object and can
// keep a deleted one. A delete before the read point and a create after it, between two pages,
// keep the total and the distinct count, and sort order cannot show the entity that moved unseen
// across the pages' edge (nothing says one lies between page k's last and page k+1's first): no
// one read can tell, so export reads the listings again (targets/listed.ts). A page too large to take in is asked again at half the page size, the
// listing starting over at that size.
import { MAX_PAGE_SIZE, type EntityListing } from './conventions.js';
import { ApiError, isTooLarge } from './errors.js';

/** How the walk asks for a page: by its number at a page size, or by the query a page's nextUri names. */
export interface PageReader<T> {
  page(pageNumber: number, pageSize: number): Promise<EntityListing<T>>;
  pageAt(query: Record<string, string>): Promise<EntityListing<T>>;
}

export interface ListingOptions {
  /** The page size asked for first (default MAX_PAGE_SIZE). */
  pageSize?: number;
  /** Hears each smaller page size a page too large to take in made the listing start over at. */
  onSmallerPages?: (pageSize: number) => void;
}

/** How many times a listing is read from page 1 while it keeps changing under the reads, before it is refused. */
export const MAX_LISTING_READS = 3;

/** Every entity of the listing at `path`, from one read of it whole that its pages agree on. */
export async function readListing<T>(path: string, reader: PageReader<T>, opts: ListingOptions = {}): Promise<T[]> {
  let pageSize = opts.pageSize ?? MAX_PAGE_SIZE;
  for (let torn = 0; ; ) {
    let read: OneRead<T>;
    try {
      read = await readOnce(path, reader, pageSize);
    } catch (err) {
      // Page numbers mean other entities at another size: the listing starts over at the new one.
      if (!isTooLarge(err) || pageSize <= 1) throw err;
      pageSize = Math.max(1, Math.floor(pageSize / 2));
      opts.onSmallerPages?.(pageSize);
      continue;
    }
    if (read.consistent) return read.entities;
    torn += 1;
    if (torn >= MAX_LISTING_READS) throw changedWhileRead(path, torn);
  }
}

/** The error of a listing that changed under each of `reads` reads of it. */
export function changedWhileRead(path: string, reads: number): ApiError {
  return new ApiError(
    `GET ${path}: the org's listing changed while it was read, ${reads} times in a row (another apply or a person is changing it): nothing was planned from a part of it; run again`,
    200,
    'listing.changed',
    undefined,
    'GET',
    path,
  );
}

interface OneRead<T> {
  entities: T[];
  /** Its pages agree: the same counts on each, and as many entities as they say. */
  consistent: boolean;
}

/** One read of the listing from page 1 at `pageSize`. */
async function readOnce<T>(path: string, reader: PageReader<T>, pageSize: number): Promise<OneRead<T>> {
  const page = (n: number): Promise<EntityListing<T>> => reader.page(n, pageSize);
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
    // Pages that moved under the read are read again, before any is judged as a server's fault.
    if (!countsAgree(first, rest)) return { entities: [], consistent: false };
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
      if (!countsAgree(first, [last])) return { entities: [], consistent: false };
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
  // Each entity once: one read on two pages (the listing shifted under the read) is kept once,
  // and then the distinct ones no longer come to the total, which says that another was missed.
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
  const total = [first, ...rest].map((l) => l.total).findLast(isCount);
  return { entities: out, consistent: total === undefined || out.length === total };
}

/** Whether every later page says what page 1 said of the listing (its total and page count, where both say one). */
function countsAgree(first: Partial<EntityListing<unknown>>, later: ReadonlyArray<Partial<EntityListing<unknown>>>): boolean {
  const same = (a: unknown, b: unknown): boolean => !isCount(a) || !isCount(b) || a === b;
  return later.every((l) => same(first.total, l.total) && same(first.pageCount, l.pageCount));
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
