// Turning what one attempt produced into words: got's transport errors (whose objects carry the
// request headers, so only their code and short message are kept), error response bodies, and
// the ApiError a call ends with. Our own words only, scrubbed of anything secret.
import http from 'node:http';
import { RequestError, TimeoutError } from 'got';
import { collapseWhitespace, visibleName } from '../util/escapes.js';
import { ApiError } from './errors.js';
import type { Attempt, HttpResult, Method } from './exchange.js';
import type { ErrorBody } from './conventions.js';
import { messageOf } from '../util/errors.js';

export function transportFailure(err: unknown): Attempt {
  if (err instanceof TimeoutError) {
    return { kind: 'transport', code: 'ETIMEDOUT', timeoutEvent: err.event, detail: `timed out (${err.event})` };
  }
  if (err instanceof RequestError) {
    // hpagent's words when the proxy refuses the tunnel (407: it wants credentials in the URL).
    // A tunnel never answered: nothing reached the server, so it is as safe to resend as a connect timeout.
    if (err.message === 'Proxy timeout') return { kind: 'transport', code: 'ETIMEDOUT', timeoutEvent: 'connect', detail: 'timed out (the proxy did not answer the tunnel request)' };
    const refused = /^Bad response: (\d{3})$/.exec(err.message);
    if (refused) return { kind: 'transport', code: 'EPROXY', detail: `the proxy refused the connection (HTTP ${refused[1]}${refused[1] === '407' ? ': proxy authentication required' : ''})` };
    const code = err.code || 'ERR_REQUEST';
    // got's message for socket errors is short and header-free ("socket hang up", "connect ECONNREFUSED 127.0.0.1:80").
    return { kind: 'transport', code, detail: err.message };
  }
  return { kind: 'transport', code: 'ERR_REQUEST', detail: messageOf(err) };
}

export function describeTransport(a: Extract<Attempt, { kind: 'transport' }>): string {
  switch (a.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the server running?)';
    case 'ENOTFOUND':
      return 'host not found';
    case 'ECONNRESET':
    case 'EPIPE':
      return `connection dropped (${a.code})`;
    case 'ETIMEDOUT':
      return `timed out${a.timeoutEvent ? ` (${a.timeoutEvent})` : ''}`;
    case 'EPROXY':
      return a.detail;
    default:
      return `${a.detail} (${a.code})`;
  }
}

/** A transport failure in words, `proxy` (host:port) the one the request went through, if any. */
export function describeProxiedTransport(a: Extract<Attempt, { kind: 'transport' }>, proxy: string | undefined): string {
  // Through a proxy, the socket that failed is the proxy's: a refusal there is not the server's.
  return proxy !== undefined && a.code === 'ECONNREFUSED' ? `the proxy ${proxy} refused the connection (is it running?)` : describeTransport(a);
}

/** How much of an answer that is not an ErrorBody (an HTML page from a proxy, say) a message quotes. */
const MESSAGE_CHARS = 200;

/**
 * The code and message of an error response: Genesys ErrorBody, OAuth error, or anything else.
 * `scrub` cleans a text answer before it is cut: a credential it echoes across the cut would
 * otherwise leave its first characters before the mark, where no scrubbing finds a whole value.
 */
export function errorParts(res: HttpResult, scrub: (text: string) => string = (t) => t): { code: string; message: string } {
  const b = res.body;
  if (b && typeof b === 'object') {
    const e = b as Partial<ErrorBody> & { error?: unknown; error_description?: unknown; description?: unknown };
    // The server's words on one line, as a text body's are: a line break in them would print a
    // line of the server's making after the error line (a forged "applied" or a workflow command).
    if (typeof e.code === 'string') return { code: oneLineWords(e.code), message: oneLineWords(typeof e.message === 'string' ? e.message : e.code) };
    if (typeof e.error === 'string') {
      const d = typeof e.error_description === 'string' ? e.error_description : typeof e.description === 'string' ? e.description : e.error;
      return { code: oneLineWords(e.error), message: oneLineWords(d) };
    }
  }
  // Scrubbed whole, then cut at 200 characters with a mark.
  const flat = typeof b === 'string' ? scrub(collapseWhitespace(b).trim()) : '';
  const text = flat.length > MESSAGE_CHARS ? `${flat.slice(0, MESSAGE_CHARS)}\u2026` : flat;
  const status = http.STATUS_CODES[res.status] ?? 'error';
  if (res.undecodable !== undefined) return { code: `http.${res.status}`, message: `${status} (${res.undecodable})` };
  return { code: `http.${res.status}`, message: text || status };
}

/** A server's words quoted in a one-line message: each run of whitespace (line breaks too) one space. */
export function oneLineWords(s: string): string {
  return collapseWhitespace(s).trim();
}

/** The permission a call (method, path without its query) needs, where the API names one. */
export type RightOf = (method: string, path: string) => string | undefined;

/** Where a failed call went, and how its words are cleaned before anyone sees them. */
export interface FailureContext {
  apiUrl: string;
  loginUrl: string;
  scrub: (text: string) => string;
  /** The proxy (host:port) each host is reached through, if any: a connection failure is the proxy's then. */
  proxies?: { api?: string | undefined; login?: string | undefined };
  /** Names the permission a refused call (403) needed: the error's `right`. */
  rightOf?: RightOf;
}

/** The error a failed attempt ends its call with: nothing from got's error object (which holds the request headers) is copied whole. */
export function apiErrorOf(
  spec: { method: Method; path: string; host?: 'api' | 'login' },
  correlationId: string,
  attempt: Attempt,
  ctx: FailureContext,
): ApiError {
  const where = `${spec.method} ${spec.path}`;
  if (attempt.kind === 'transport') {
    const base = spec.host === 'login' ? ctx.loginUrl : ctx.apiUrl;
    const proxy = spec.host === 'login' ? ctx.proxies?.login : ctx.proxies?.api;
    const what = describeProxiedTransport(attempt, proxy);
    return new ApiError(
      ctx.scrub(`${where} failed: ${what} (${origin(base)}${proxy !== undefined ? ` through the proxy ${proxy}` : ''})`),
      0,
      attempt.code,
      correlationId,
      spec.method,
      spec.path,
    );
  }
  const { res } = attempt;
  // The server's words, its code and its correlation id header alike: each is printed, and a
  // server (or a proxy before it) may echo the request's credentials in any of them.
  const parts = errorParts(res, ctx.scrub);
  const code = ctx.scrub(parts.code);
  const message = parts.message;
  const cid = ctx.scrub(res.correlationId);
  const error = new ApiError(
    ctx.scrub(`${where} failed: ${res.status} ${code}: ${message} (correlation id ${cid})`),
    res.status,
    code,
    cid,
    spec.method,
    spec.path,
  );
  if (res.tooLarge) error.tooLarge = true;
  if (res.status === 403) {
    const right = ctx.rightOf?.(spec.method, spec.path.split('?')[0]!);
    if (right !== undefined) error.right = right;
  }
  const body = res.body as Partial<ErrorBody> | undefined;
  if (body && typeof body === 'object' && typeof body.code === 'string' && typeof body.message === 'string') {
    try {
      error.body = JSON.parse(ctx.scrub(JSON.stringify(body))) as ErrorBody;
    } catch {
      // scrubbing broke the JSON: leave the body out rather than risk showing a secret
    }
  }
  return error;
}

/** The same error with why the call stopped there. */
export function withNote(err: ApiError, note: string): ApiError {
  const noted = new ApiError(`${err.message}; ${note}`, err.status, err.code, err.correlationId, err.method, err.path);
  if (err.body) noted.body = err.body;
  if (err.right) noted.right = err.right;
  if (err.outcomeUnknown) noted.outcomeUnknown = true;
  if (err.notResent) noted.notResent = true;
  if (err.tooLarge) noted.tooLarge = true;
  return noted;
}

/** What a call says once the client is closed (the command is ending: nobody reports it). */
export function closedError(spec?: { method: Method; path: string }): ApiError {
  if (!spec) return new ApiError('the client was closed', 0, 'client.closed', undefined);
  return new ApiError(`${spec.method} ${spec.path}: the client was closed`, 0, 'client.closed', undefined, spec.method, spec.path);
}

/** The code of a call held back: not sent, because the run has stopped starting calls. */
export const HELD_BACK_CODE = 'not.sent';

/**
 * What a call says when the run has stopped starting calls (an apply's interrupt) before its request
 * was sent: nothing reached the server, so nothing of it is unknown, and it is not sent later.
 */
export function heldBackError(spec: { method: Method; path: string }): ApiError {
  const err = new ApiError(`${spec.method} ${spec.path}: not sent: interrupted, no new call is started`, 0, HELD_BACK_CODE, undefined, spec.method, spec.path);
  err.notResent = true;
  err.notSent = true;
  return err;
}

export function isHeldBack(err: unknown): err is ApiError {
  return err instanceof ApiError && err.code === HELD_BACK_CODE && err.status === 0;
}

/** The scheme, host and port of a URL: what messages name (never a path or credentials). */
export function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/**
 * A job (publishing a version, deleting a guide) that ended Failed, as the error of the call that
 * started it: its errors' codes and messages, the first one's status and context id. `scrub`
 * cleans the server's words as a failed call's are (FailureContext.scrub: a job's reason may quote
 * a credential, a key of the content it refused).
 */
export function jobFailed(
  what: string,
  job: { id: string; errors?: Array<{ code?: string; message?: string; status?: number; contextId?: string }> },
  method: Method,
  path: string,
  scrub: (text: string) => string,
): ApiError {
  const errors = job.errors ?? [];
  const why = errors.map((e) => oneLineWords(`${e.code ?? 'error'}: ${e.message ?? ''}`)).join('; ') || 'no reason given';
  const first = errors[0];
  // The job's id is the server's word: one line, shown as it is (a line break in it could forge a line).
  const contextId = first?.contextId === undefined ? undefined : scrub(first.contextId);
  return new ApiError(scrub(`${what} failed (job ${visibleName(job.id)}): ${why}`), first?.status ?? 500, 'job.failed', contextId, method, path);
}
