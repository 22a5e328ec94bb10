// One request's way through the emulator (DESIGN §3 conventions): correlation id, login, the
// bearer token, the rate limit (429 with Retry-After), latency, a surface refused, the route, an
// injected fault (a 5xx on a call its handler records, an invocation, recorded first), the body,
// then the handler in one store transaction and its answer or ErrorBody.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CORRELATION_HEADER, TOKEN_PATH } from '../targets/llmgateway/wire.js';
import { bearer, issueToken, type Credentials } from './auth.js';
import { userFor, type Ctx, type Handler, type Reply } from './context.js';
import { ApiFailure, errorBody } from './errors.js';
import { correlationOf, readBody, readJson, sendJson, sendJsonBytes, setRateHeaders } from './http.js';
import type { RenderedPages } from './rendered-pages.js';
import type { FaultInjector, FaultKind, RateLimiter, RateStatus } from './limits.js';
import { matchRoute, type buildRoutes } from './routes.js';
import { settingOf, surfaceOf, type SurfaceName } from './surfaces.js';
import { StoreClosedError, type Store } from './store.js';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** What every request is handled with: the server's options and parts, built once at start. */
export interface Pipeline {
  clock: () => number;
  store: Store;
  creds: Credentials;
  ttl: number;
  latencyMs: number;
  publishDelayMs: number;
  limiter: RateLimiter;
  faults: FaultInjector;
  counters: { requests: number; rateLimited: number };
  routes: ReturnType<typeof buildRoutes>;
  pages: RenderedPages;
  refuse?: Partial<Record<SurfaceName, number>> | undefined;
  isClosing: () => boolean;
}

export async function handle(p: Pipeline, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const correlationId = correlationOf(req);
  res.setHeader(CORRELATION_HEADER, correlationId);
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const method = req.method ?? 'GET';
  const now = p.clock();
  // Unauthenticated responses report the caller's budget without spending it.
  const anonRate = p.limiter.peek(`anon:${req.socket.remoteAddress ?? ''}`, now);

  const fail = (f: ApiFailure, rate: RateStatus): void => {
    setRateHeaders(res, rate);
    for (const [k, v] of Object.entries(f.headers)) res.setHeader(k, v);
    sendJson(res, f.status, errorBody(f, correlationId));
  };
  if (p.isClosing()) return fail(goingAway(), anonRate);

  if (url.pathname === TOKEN_PATH) {
    if (method !== 'POST') return fail(methodNotAllowed(['POST'], res), anonRate);
    setRateHeaders(res, anonRate);
    return login(p, req, res);
  }
  if (!url.pathname.startsWith('/api/')) return fail(new ApiFailure(404, 'not.found', `no resource at ${url.pathname}`), anonRate);

  // The token is read outside the queue: issuing one never conflicts with checking another.
  // A token of another client than this emulator accepts (restarted on the same state with other
  // credentials) is refused as a rotated client's is: the caller must sign in again.
  const auth = p.store.peek((s) => bearer(s, req.headers.authorization, now));
  if (!auth || auth.rec.clientId !== p.creds.clientId) {
    const message = 'Invalid login credentials: the bearer token is missing, unknown or expired.';
    return fail(new ApiFailure(401, 'bad.credentials', message), anonRate);
  }
  const rate = p.limiter.hit(auth.hash, now);
  if (!rate.allowed) {
    p.counters.rateLimited++;
    const f = new ApiFailure(429, 'too.many.requests', `Rate limit exceeded: at most ${rate.limit} requests per ${describeWindow(p.limiter.windowMs)} per token`, [], undefined, {
      'Retry-After': String(rate.resetSeconds),
    });
    return fail(f, rate);
  }
  setRateHeaders(res, rate);
  if (p.latencyMs > 0) {
    await latency(res, p.latencyMs);
    if (p.isClosing() || res.destroyed) return;
  }

  let fault: FaultKind | undefined;
  try {
    refuseSurface(p.refuse, url.pathname);
    const match = matchRoute(p.routes, method, url.pathname);
    if (match.kind === 'none') throw new ApiFailure(404, 'not.found', `no resource at ${url.pathname}`);
    if (match.kind === 'method') throw methodNotAllowed(match.allowed, res);

    fault = p.faults.next();
    // A fault answered with a 5xx is an answered call: a handler that records its calls (an
    // invocation's, for the analytics) records it before it is sent. A 429 (above) never reaches a
    // handler: the rate limit refuses a call before any work, and the client sends it again; nor
    // does a connection dropped before the work, which was never answered.
    const injected = fault ? injectedFailure(fault) : undefined;
    if (fault === 'drop-before') return void res.destroy();
    if (injected && !match.handler.recordsRefusals) return fail(injected, rate);

    const { body, bodyFailure } = BODY_METHODS.has(method) ? await bodyFor(req, match.handler) : {};
    const user = userFor(auth.rec.clientId);
    const reply = await p.store.transact((state, reading): { value: Reply; changed: boolean } => {
      const ctx: Ctx = {
        state,
        reading,
        params: match.params,
        query: url.searchParams,
        body,
        path: url.pathname.replace(/\/+$/, ''),
        user,
        now: new Date(p.clock()).toISOString(),
        publishDelayMs: p.publishDelayMs,
        revision: p.store.listedRevision,
        pages: p.pages,
        correlationId,
        headers: req.headers,
        ...(bodyFailure ? { bodyFailure } : {}),
        ...(injected ? { fault: injected } : {}),
      };
      const r = match.handler(ctx);
      return { value: r, changed: r.changed };
    });
    reply.afterCommit?.();
    if (injected) return fail(injected, rate); // recorded; its headers (a 503's Retry-After) are the fault's
    if (fault === 'drop-after') {
      // The work is done and durable; the client never hears so.
      res.destroy();
      return;
    }
    if (reply.send) {
      await reply.send(res);
      return;
    }
    if (reply.json !== undefined) sendJsonBytes(res, reply.status, reply.json);
    else if (reply.body === undefined) {
      res.writeHead(reply.status);
      res.end();
    } else sendJson(res, reply.status, reply.body);
  } catch (err) {
    if (fault === 'drop-after') {
      res.destroy(); // the refusal is as unknown to the client as a success would be
      return;
    }
    if (err instanceof ApiFailure) return fail(err, rate);
    // Closed under a request already reading its body: its work is not done, as for one arriving now.
    if (err instanceof StoreClosedError) return fail(goingAway(), rate);
    fail(new ApiFailure(500, 'internal.server.error', `internal error: ${(err as Error).message}`), rate);
  }
}

/**
 * Waits out the latency option, or less once the connection is gone (closing the emulator ends
 * every connection): a wait left running held the process up to --latency-ms after
 * `emulator: stopped`, the answer it delayed going nowhere.
 */
function latency(res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}

/**
 * The request's JSON body. A body that cannot be read is refused here, except for a handler that
 * records its refusals: it gets the failure to record and answer (Handler.recordsRefusals).
 */
async function bodyFor(req: IncomingMessage, handler: Handler): Promise<{ body?: unknown; bodyFailure?: ApiFailure }> {
  try {
    return { body: await readJson(req) };
  } catch (err) {
    if (handler.recordsRefusals && err instanceof ApiFailure) return { bodyFailure: err };
    throw err;
  }
}

/** Throws the refusal EmulatorOptions.refuse sets for the path's surface, if any. */
function refuseSurface(refuse: Partial<Record<SurfaceName, number>> | undefined, pathname: string): void {
  const s = surfaceOf(pathname);
  const status = s ? settingOf(refuse, s) : undefined;
  if (status === undefined) return;
  if (status === 403) throw new ApiFailure(403, 'missing.any.permissions', `this client lacks the permissions for ${pathname}`);
  throw new ApiFailure(status, status >= 500 ? 'internal.server.error' : 'bad.request', `the ${s} feature is not enabled for this organization`);
}

/** The answer of a fault that answers with a status before the work (none for the dropped connections). */
function injectedFailure(fault: FaultKind): ApiFailure | undefined {
  switch (fault) {
    case '500':
      return new ApiFailure(500, 'internal.server.error', 'The server encountered an internal error (injected fault).');
    case '502':
      return new ApiFailure(502, 'bad.gateway', 'Bad gateway (injected fault).');
    case '503':
      return new ApiFailure(503, 'service.unavailable', 'Service temporarily unavailable (injected fault).', [], undefined, { 'Retry-After': '1' });
    case 'drop-before':
    case 'drop-after':
      return undefined;
  }
}

async function login(p: Pipeline, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = await readBody(req).catch(() => '');
  const type = String(req.headers['content-type'] ?? '');
  let form = new URLSearchParams(raw);
  if (/json/i.test(type)) {
    try {
      const j = JSON.parse(raw) as Record<string, unknown>;
      form = new URLSearchParams(Object.entries(j).map(([k, v]): [string, string] => [k, String(v)]));
    } catch {
      form = new URLSearchParams();
    }
  }
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  if (!form.has('grant_type') && url.searchParams.has('grant_type')) form.set('grant_type', url.searchParams.get('grant_type') ?? '');
  const now = p.clock();
  const out = issueToken(req.headers.authorization, form, p.creds, p.ttl, now);
  if (out.ok) {
    await p.store.transact((s) => {
      s.tokens[out.hash] = out.rec;
      return { value: undefined, changed: true };
    });
  }
  res.setHeader('Cache-Control', 'no-store');
  sendJson(res, out.status, out.body);
}

function describeWindow(ms: number): string {
  return ms === 60_000 ? 'minute' : `${ms / 1000} s`;
}

/**
 * The answer to a request that meets the emulator closing: the server going away (503, try again
 * later, on another connection), which a client retries or reports as such. Not a 500: its work
 * was not done, and the server did nothing wrong.
 */
export function goingAway(): ApiFailure {
  return new ApiFailure(503, 'service.unavailable', 'The emulator is shutting down; nothing was done. Try again once it is back.', [], undefined, { 'Retry-After': '1', Connection: 'close' });
}

function methodNotAllowed(allowed: string[], res: ServerResponse): ApiFailure {
  res.setHeader('Allow', allowed.join(', '));
  return new ApiFailure(405, 'method.not.allowed', `method not allowed here; allowed: ${allowed.join(', ')}`);
}
