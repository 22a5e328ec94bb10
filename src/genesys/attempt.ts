// One attempt of a call over got: a slot, the pacer's turn, one request, and what it produced
// (an answer read whole, or a transport failure) as an Attempt. No decision to retry is made here
// (retry.ts, unknown-outcome.ts); a streamed answer's attempt is in stream.ts.
import type http from 'node:http';
import type https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { Got } from 'got';
import type { Pacer, Semaphore } from './ratelimit.js';
import type { TransportStats } from './stats.js';
import { transportFailure } from './failures.js';
import { ACCEPT_ENCODING, BodyDecodeError, decodeBody, sizeText } from './body-encoding.js';
import { CORRELATION_HEADER } from './conventions.js';
import type { Attempt, CallSpec, HttpResult } from './exchange.js';
import { capAnswer, type CappedAnswer } from '../util/capped-answer.js';

/** The most of an answer's bytes read (as sent, before decoding): far past any page (a listing of 100 templates is about 0.4 MB). */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;
export const TOO_LARGE = tooLargeText(MAX_ANSWER_BYTES);

/** Why a body past `bytes` was not read. */
function tooLargeText(bytes: number): string {
  return `the answer's body is larger than ${sizeText(bytes)}; promptctl reads no more of it`;
}

/** The sockets to one host: kept alive, through a proxy where the environment names one for it. */
export interface HostAgents {
  http: http.Agent;
  /** Absent where no URL of the target is https (got then never asks for it). */
  https?: https.Agent;
}

/** What an attempt goes through: the transport's got instance, sockets, slots and pacing. */
export interface Channel {
  http: Got;
  agents: Record<'api' | 'login', HostAgents>;
  slots: Semaphore;
  pacer: Pacer;
  stats: TransportStats;
  apiUrl: string;
  loginUrl: string;
  timeoutMs: number;
  /** The most of one answer taken in, as sent and decoded alike (default MAX_ANSWER_BYTES). */
  maxAnswerBytes?: number;
  /** Aborted by the transport's close(): nothing more is sent. */
  closing: AbortSignal;
  /** What one attempt of `spec` waits through before it is sent (the transport's). */
  gate(spec: CallSpec<unknown>): Gate;
}

/**
 * The waits of one attempt before its request is sent: a slot, the pacer's turn. Each ends early
 * on close(), on the call's abort, or on the run's stop (an apply's interrupt), and then throws
 * why: closedError, the signal's reason, or a held-back error (failures.ts `heldBackError`): after
 * the stop a write is not sent at all, and a read only if it need not wait, except the calls that
 * settle a write of unknown outcome (and token requests), which wait as before.
 */
export interface Gate {
  /** A slot among the requests in flight; the release. */
  slot(): Promise<() => void>;
  /** The pacer's sleep. */
  pause(ms: number): Promise<void>;
  /** Right before the request goes: throws if it may not (closed, aborted, a write after the stop). */
  send(): void;
}

/** Waits for the pacer's turn, then is sent at the end of the wait, unless the run stopped meanwhile (the turn is then given back). */
async function pacedTurn(ch: Channel, gate: Gate): Promise<void> {
  await ch.pacer.acquire((ms) => gate.pause(ms));
  try {
    gate.send();
  } catch (err) {
    ch.pacer.done();
    throw err;
  }
}

/**
 * Takes a slot and, for a paced call, the pacer's turn, then runs `send`: its attempt, with how
 * long it waited (`queuedMs`: the run's own queueing and pacing, not the call's retrying, by which
 * transport.ts extends its budget). Shared by whole and streamed answers (stream.ts).
 */
export async function inTurn(ch: Channel, spec: CallSpec<unknown>, paced: boolean, send: () => Promise<Attempt>): Promise<Attempt> {
  const gate = ch.gate(spec);
  const queueing = Date.now();
  const release = await gate.slot();
  try {
    gate.send();
    if (paced) await pacedTurn(ch, gate);
    const queuedMs = Date.now() - queueing;
    return { ...(await send()), queuedMs };
  } finally {
    release();
  }
}

/** One attempt of a call whose answer is read whole. */
export function attempt<T>(ch: Channel, spec: CallSpec<T>, correlationId: string, token: string | undefined): Promise<Attempt> {
  const host = spec.host ?? 'api';
  const headers = { ...spec.headers, ...requestHeaders(correlationId, token) };
  if (token === undefined && typeof spec.authorization === 'object') headers['authorization'] = spec.authorization.header;
  return inTurn(ch, spec, host === 'api', () => sendOnce(ch, spec, host, headers, correlationId));
}

/** The request of one attempt, its slot and the pacer's turn taken, and what it produced. */
async function sendOnce<T>(ch: Channel, spec: CallSpec<T>, host: 'api' | 'login', headers: Record<string, string>, correlationId: string): Promise<Attempt> {
  const paced = host === 'api';
  // In flight for the pacer until answered: the server has counted it by then, and the pacer
  // would count it twice against the window while its body is decoded (Pacer.observe).
  let inFlight = paced;
  const answered = (): void => {
    if (inFlight) ch.pacer.done();
    inFlight = false;
  };
  // The answer's head, kept for a body given up as too large (its status still says what was done).
  let capped: CappedAnswer | undefined;
  const maxBytes = ch.maxAnswerBytes ?? MAX_ANSWER_BYTES;
  try {
    const request = ch.http(relativePath(spec.path), {
      prefixUrl: host === 'api' ? ch.apiUrl : ch.loginUrl,
      agent: ch.agents[host],
      method: spec.method,
      searchParams: definedParams(spec.searchParams),
      json: spec.json,
      form: spec.form,
      headers: { ...headers, 'accept-encoding': ACCEPT_ENCODING },
      // The body is decoded here, in one piece (body-encoding.ts), not streamed through got's.
      decompress: false,
      responseType: 'buffer',
      context: { paced },
      ...(spec.signal ? { signal: spec.signal } : {}),
    });
    // A body past MAX_ANSWER_BYTES is given up as it arrives (13.7 GB of memory for 6 GB sent, before).
    capped = capAnswer(request, maxBytes);
    const response = await request;
    answered();
    const res: HttpResult = {
      status: response.statusCode,
      headers: response.headers,
      body: undefined,
      correlationId: answerCorrelationId(response.headers, correlationId),
    };
    try {
      Object.assign(res, answerBody(await decodeBody(response.body, response.headers['content-encoding'], maxBytes), response.headers['content-type'], res.status));
    } catch (err) {
      // The answer came whole; only its body is unreadable (a proxy that altered it): its status stands.
      if (!(err instanceof BodyDecodeError)) throw err;
      res.undecodable = err.message;
      if (err.damaged) res.damaged = true;
      if (err.tooLarge) res.tooLarge = true;
    }
    return { kind: 'response', res };
  } catch (err) {
    // Cut off by the caller: not a failure to retry or report, the end of the call.
    if (spec.signal?.aborted) throw spec.signal.reason;
    // Answered, its body too large to read: judged by its status, as an unreadable body is.
    const head = capped?.tooLarge ? capped.head : undefined;
    if (head) {
      return { kind: 'response', res: { status: head.status, headers: head.headers, body: undefined, correlationId: answerCorrelationId(head.headers, correlationId), undecodable: tooLargeText(maxBytes), tooLarge: true } };
    }
    return transportFailure(err);
  } finally {
    answered();
  }
}

/**
 * got's limits for one attempt. Each phase (DNS, connect, TLS, upload, the wait for the answer's
 * head) and every silence on the socket get `timeoutMs`; the whole exchange only the call's
 * budget, since got's `request` timeout runs until the body's last byte (got docs, 6-timeout.md)
 * and would cut off a large listing still arriving steadily. Per-phase events also tell retry.ts
 * whether a timeout came before anything was sent.
 */
export function attemptTimeouts(timeoutMs: number, budgetMs: number): { lookup: number; connect: number; secureConnect: number; send: number; response: number; socket: number; request: number } {
  return {
    lookup: timeoutMs,
    connect: timeoutMs,
    secureConnect: timeoutMs,
    send: timeoutMs,
    response: timeoutMs,
    socket: timeoutMs,
    request: Math.max(timeoutMs, budgetMs),
  };
}

/** Our correlation id on every request, and the bearer token when the call carries one. */
export function requestHeaders(correlationId: string, token: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { [CORRELATION_HEADER]: correlationId };
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
  return headers;
}

/** The server's correlation id (ours echoed, or its own), else ours. */
export function answerCorrelationId(headers: IncomingHttpHeaders, ours: string): string {
  const v = headers[CORRELATION_HEADER.toLowerCase()];
  return (Array.isArray(v) ? v[0] : v) ?? ours;
}

/** got's prefixUrl wants a path without its leading slash. */
export function relativePath(path: string): string {
  return path.replace(/^\/+/, '');
}

/** A media type that says its body is JSON: application/json, or a +json one (application/problem+json). */
const JSON_TYPE = /^[^;]*[/+]json\s*(;|$)/i;

/**
 * What an answer's text reads as. A 2xx whose content type says JSON and whose text does not parse
 * (cut short, `{"broken:`) was damaged on the way: unreadable, not the text of an answer (a listing
 * read it as text and asked "is the API URL right?"); a read so answered is retried
 * (transport.ts). An error answer keeps its text, which its message quotes; a 2xx in another
 * type (an HTML page from a portal at a wrong URL) is its text, which the caller names as such.
 */
export function answerBody(text: string, contentType: string | undefined, status: number): Pick<HttpResult, 'body' | 'undecodable' | 'damaged'> {
  if (text === '' || status < 200 || status >= 300 || !JSON_TYPE.test(contentType ?? '')) return { body: parseBody(text) };
  try {
    return { body: JSON.parse(text) as unknown };
  } catch (err) {
    return { body: undefined, undecodable: `the answer's JSON body could not be read, cut short or not valid JSON: ${(err as Error).message}`, damaged: true };
  }
}

export function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function definedParams(p: Record<string, string | number | undefined> | undefined): Record<string, string | number> | undefined {
  if (!p) return undefined;
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(p)) if (v !== undefined) out[k] = v;
  return out;
}
