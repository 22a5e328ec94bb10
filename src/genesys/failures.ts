// Turning what one attempt produced into words: got's transport errors (whose objects carry the
// request headers, so only their code and short message are kept) and error response bodies.
import http from 'node:http';
import { RequestError, TimeoutError } from 'got';
import type { Attempt, HttpResult } from './transport.js';
import type { ErrorBody } from './conventions.js';

export function transportFailure(err: unknown): Attempt {
  if (err instanceof TimeoutError) {
    return { kind: 'transport', code: 'ETIMEDOUT', timeoutEvent: err.event, detail: `timed out (${err.event})` };
  }
  if (err instanceof RequestError) {
    const code = err.code || 'ERR_REQUEST';
    // got's message for socket errors is short and header-free ("socket hang up", "connect ECONNREFUSED 127.0.0.1:80").
    return { kind: 'transport', code, detail: err.message };
  }
  return { kind: 'transport', code: 'ERR_REQUEST', detail: err instanceof Error ? err.message : String(err) };
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
    default:
      return `${a.detail} (${a.code})`;
  }
}

/** The code and message of an error response: Genesys ErrorBody, OAuth error, or anything else. */
export function errorParts(res: HttpResult): { code: string; message: string } {
  const b = res.body;
  if (b && typeof b === 'object') {
    const e = b as Partial<ErrorBody> & { error?: unknown; error_description?: unknown; description?: unknown };
    if (typeof e.code === 'string') return { code: e.code, message: typeof e.message === 'string' ? e.message : e.code };
    if (typeof e.error === 'string') {
      const d = typeof e.error_description === 'string' ? e.error_description : typeof e.description === 'string' ? e.description : e.error;
      return { code: e.error, message: d };
    }
  }
  const text = typeof b === 'string' ? b.replace(/\s+/g, ' ').trim().slice(0, 200) : '';
  return { code: `http.${res.status}`, message: text || (http.STATUS_CODES[res.status] ?? 'error') };
}
