// Genesys entity listings: pageSize/pageNumber paging with relative first/last/next/previous URIs.
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type EntityListing } from '../targets/llmgateway/wire.js';
import type { Ctx, Handler, Reply } from './context.js';
import { invalidValue } from './errors.js';
import { jsonBytes } from './http.js';

export interface Paging {
  pageSize: number;
  pageNumber: number;
}

export function parsePaging(query: URLSearchParams): Paging {
  return {
    pageSize: intParam(query, 'pageSize', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
    pageNumber: intParam(query, 'pageNumber', 1, 1, Number.MAX_SAFE_INTEGER),
  };
}

function intParam(query: URLSearchParams, name: string, dflt: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return dflt;
  const n = /^-?\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
    throw invalidValue(name, `${name} must be an integer ${range}, got "${raw}"`);
  }
  return n;
}

/**
 * A text filter's value (`name`, `nameContains`, `language`), or null when absent: given empty (`name=`, as a
 * client or a form leaves an unset field), as absent, the way paging, `status=` and `sortBy=` take it.
 */
export function textParam(query: URLSearchParams, name: string): string | null {
  const raw = query.get(name);
  return raw === '' ? null : raw;
}

/** One page of `all` (already filtered and sorted); URIs keep the request's other query parameters. */
export function paginate<T>(all: T[], paging: Paging, path: string, query: URLSearchParams): EntityListing<T> {
  const { pageSize, pageNumber } = paging;
  const total = all.length;
  const pageCount = Math.ceil(total / pageSize);
  const start = (pageNumber - 1) * pageSize;
  const uri = (n: number): string => {
    const q = new URLSearchParams(query);
    q.set('pageSize', String(pageSize));
    q.set('pageNumber', String(n));
    return `${path}?${q.toString().replace(/%2C/gi, ',')}`; // commas read better and need no escaping in a query
  };
  const listing: EntityListing<T> = {
    entities: all.slice(start, start + pageSize),
    pageSize,
    pageNumber,
    total,
    pageCount,
    firstUri: uri(1),
    lastUri: uri(Math.max(1, pageCount)),
    selfUri: uri(pageNumber),
  };
  if (pageNumber < pageCount) listing.nextUri = uri(pageNumber + 1);
  if (pageNumber > 1) listing.previousUri = uri(Math.min(pageNumber - 1, Math.max(1, pageCount)));
  return listing;
}

/** A 200 listing: one page of `all` (already filtered and sorted), each entity rendered. */
export function listReply<T>(ctx: Ctx, paging: Paging, all: T[], render: (t: T) => unknown): Reply {
  const page = paginate(all, paging, ctx.path, ctx.query);
  return { status: 200, body: { ...page, entities: page.entities.map(render) }, changed: false };
}

/**
 * A listing handler whose pages are kept while the state stands (RenderedPages): `list` runs
 * only for a page not yet asked at this revision. A listing is a pure read of the state, its
 * path and its query; a refusal (a bad parameter) is thrown, never kept.
 */
export function keptListing(list: Handler): Handler {
  return (ctx: Ctx): Reply => {
    const json = ctx.pages.page(ctx.revision, `${ctx.path}?${ctx.query.toString()}`, () => {
      const r = list(ctx);
      if (r.status !== 200 || r.changed) throw new Error(`internal: a kept listing answered ${r.status}${r.changed ? ' and changed the state' : ''}`);
      return r.json ?? jsonBytes(r.body);
    });
    return { status: 200, json, changed: false };
  };
}

/** `expand=versions,traffic` (comma-separated or repeated); anything else is a 400. */
export function parseExpand(query: URLSearchParams, allowed: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const raw of query.getAll('expand')) {
    for (const part of raw.split(',')) {
      const v = part.trim();
      if (!v) continue;
      if (!allowed.includes(v)) throw invalidValue('expand', `expand must be among ${allowed.join(', ')}, got "${v}"`);
      out.add(v);
    }
  }
  return out;
}

export const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
