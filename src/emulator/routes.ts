// The route table of DESIGN §3, built from the shared `paths` so emulator and client cannot drift apart.
import { paths } from '../targets/llmgateway/paths.js';
import type { Handler, Reply } from './context.js';
import { ApiFailure, badRequest } from './errors.js';
import { queryAggregates } from './analytics.js';
import { aiStudioRoutes, type AiStudioRuntime } from './aistudio.js';
import { keptListing } from './listing.js';
import { createFilter, deleteFilter, getFilter, listFilters, updateFilter } from './filters.js';
import { createGatewayRuntime, invoke, type GatewayRuntime } from './invocations.js';
import type { JobRec } from './state.js';
import { createTemplate, deleteTemplate, getTemplate, listTemplates, updateTemplate } from './templates.js';
import { getTraffic, putTraffic } from './traffic.js';
import { createVersion, deleteVersion, getJob, getVersion, listVersions, patchVersion, startPublish } from './versions.js';
import { randomUUID } from 'node:crypto';
import { ORGANIZATION_PATH, type WireOrganization } from '../targets/llmgateway/wire.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Route {
  /** Path segments; `:name` captures one (URI-decoded) segment. */
  segments: string[];
  handlers: Partial<Record<Method, Handler>>;
}

export type Match =
  | { kind: 'found'; handler: Handler; params: Record<string, string> }
  | { kind: 'method'; allowed: string[] }
  | { kind: 'none' };

const notImplemented = (what: string): Handler => (): Reply => {
  throw new ApiFailure(501, 'not.implemented', `${what} is not implemented by the emulator yet`);
};

/** Builds the table; ':x' markers go through `paths` and come back as parameters. */
export function buildRoutes(
  schedulePublish: (job: JobRec) => void,
  runtime: GatewayRuntime = createGatewayRuntime(),
  /** The AI Studio surface (DESIGN §3b), when served. */
  aiStudio?: AiStudioRuntime,
  org: WireOrganization = { id: randomUUID(), name: 'Emulated organization' },
): Route[] {
  const seg = (p: string): string[] => p.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  const T = ':templateId';
  const L = ':label';
  const table: Array<[string, Partial<Record<Method, Handler>>]> = [
    [paths.templates(), { GET: keptListing(listTemplates), POST: createTemplate }],
    [paths.template(T), { GET: getTemplate, PUT: updateTemplate, DELETE: deleteTemplate }],
    [paths.versions(T), { GET: keptListing(listVersions), POST: createVersion }],
    [paths.version(T, L), { GET: getVersion, PATCH: patchVersion, DELETE: deleteVersion }],
    [paths.jobs(T, L), { POST: startPublish(schedulePublish) }],
    [paths.job(T, L, ':jobId'), { GET: getJob }],
    [paths.traffic(T), { GET: getTraffic, PUT: putTraffic }],
    [paths.filters(), { GET: keptListing(listFilters), POST: createFilter }],
    [paths.filter(':filterId'), { GET: getFilter, PUT: updateFilter, DELETE: deleteFilter }],
    [paths.invocations(), { POST: invoke(runtime) }],
    [paths.analytics(), { POST: queryAggregates }],
    // Platform, not a surface: the org a token belongs to.
    [ORGANIZATION_PATH, { GET: () => ({ status: 200, body: org, changed: false }) }],
    ...(aiStudio ? aiStudioRoutes(aiStudio) : []),
  ];
  return table.map(([p, handlers]) => ({ segments: seg(p), handlers }));
}

export function matchRoute(routes: Route[], method: string, pathname: string): Match {
  let parts: string[];
  try {
    parts = pathname
      .replace(/\/+$/, '')
      .split('/')
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
  } catch {
    throw badRequest(`the path ${pathname} is not validly percent-encoded`);
  }
  for (const r of routes) {
    if (r.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = r.segments.every((s, i) => {
      const p = parts[i] ?? '';
      if (s.startsWith(':')) {
        params[s.slice(1)] = p;
        return true;
      }
      return s === p;
    });
    if (!ok) continue;
    const handler = r.handlers[servedAs(method)];
    if (!handler) return { kind: 'method', allowed: allowedOn(r) };
    return { kind: 'found', handler, params };
  }
  return { kind: 'none' };
}

/**
 * The method whose handler answers `method`. HEAD is GET's (RFC 9110 §9.3.2): the same status and
 * headers, rate limit and faults included. Node's response leaves out the body of an answer to a
 * HEAD itself, keeping the Content-Length the GET's body would have.
 */
function servedAs(method: string): Method {
  return (method === 'HEAD' ? 'GET' : method) as Method;
}

/** What a 405's Allow header lists: the route's methods, HEAD beside GET where GET is served. */
function allowedOn(r: Route): string[] {
  return Object.keys(r.handlers).flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));
}
