// Small HTTP plumbing for the emulator: bodies, JSON replies (gzip-compressed when accepted), correlation and rate-limit headers,
// and the answer to a request Node's HTTP parser refused before any handler saw it.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { CORRELATION_HEADER, RATELIMIT_HEADERS } from '../targets/llmgateway/wire.js';
import { ApiFailure, badRequest, errorBody } from './errors.js';
import type { RateStatus } from './limits.js';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export function correlationOf(req: IncomingMessage): string {
  const v = req.headers[CORRELATION_HEADER.toLowerCase()];
  const s = Array.isArray(v) ? v[0] : v;
  return s && /^[\x21-\x7e]{1,128}$/.test(s) ? s : randomUUID();
}

export function setRateHeaders(res: ServerResponse, r: RateStatus): void {
  if (res.headersSent) return;
  res.setHeader(RATELIMIT_HEADERS.count, String(r.count));
  res.setHeader(RATELIMIT_HEADERS.allowed, String(r.limit));
  res.setHeader(RATELIMIT_HEADERS.reset, String(r.resetSeconds));
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendJsonBytes(res, status, jsonBytes(body));
}

/** A JSON body as the bytes sent: encoded once, for its length and for the socket alike. */
export function jsonBytes(body: unknown): Buffer {
  return Buffer.from(JSON.stringify(body), 'utf8');
}

/** Bodies this long or longer go gzip-compressed to a client that accepts it (promptctl does, and the official SDKs' axios). */
const GZIP_MIN_BYTES = 1024;
/** A kept listing page (rendered-pages.ts) is the same Buffer each time it is sent: compressed once. */
const gzipped = new WeakMap<Buffer, Buffer>();

export function sendJsonBytes(res: ServerResponse, status: number, bytes: Buffer): void {
  const headers = { 'Content-Type': 'application/json; charset=UTF-8', Vary: 'Accept-Encoding' };
  if (bytes.length >= GZIP_MIN_BYTES && acceptsGzip(res.req.headers['accept-encoding'])) {
    let gz = gzipped.get(bytes);
    if (!gz) gzipped.set(bytes, (gz = gzipSync(bytes)));
    res.writeHead(status, { ...headers, 'Content-Encoding': 'gzip', 'Content-Length': gz.length });
    res.end(gz);
    return;
  }
  res.writeHead(status, { ...headers, 'Content-Length': bytes.length });
  res.end(bytes);
}

/**
 * Each name an Accept or Accept-Encoding header lists (lower case) with its q-value (1 when it
 * gives none), the first mention of a name standing (RFC 9110 §12.4.2).
 */
function weights(header: string | readonly string[] | undefined): Map<string, number> {
  const out = new Map<string, number>();
  const all = Array.isArray(header) ? header.join(',') : ((header as string | undefined) ?? '');
  for (const part of all.split(',')) {
    const [name = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => /^q\s*=/.test(p));
    if (name !== '' && !out.has(name)) out.set(name, q === undefined ? 1 : Number(q.slice(q.indexOf('=') + 1).trim()));
  }
  return out;
}

/** Whether an Accept-Encoding header takes gzip: named (or `*`) with a q-value above 0 (RFC 9110 §12.5.3). */
export function acceptsGzip(header: string | undefined): boolean {
  const w = weights(header);
  return (w.get('gzip') ?? w.get('x-gzip') ?? w.get('*') ?? 0) > 0;
}

/**
 * Whether an Accept header names `type` itself with a q-value above 0 (RFC 9110 §12.5.1): a type
 * the client ranks 0 is one it refuses, and a wildcard (`*\/*`, `text/*`) asks for nothing the
 * default answer does not already give.
 */
export function namesMediaType(header: string | readonly string[] | undefined, type: string): boolean {
  return (weights(header).get(type) ?? 0) > 0;
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c); // past the cap: keep draining, answer 413 at the end
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) reject(new ApiFailure(413, 'payload.too.large', `request body exceeds ${MAX_BODY_BYTES} bytes`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req);
  if (raw.trim() === '') throw badRequest('a JSON request body is required');
  try {
    return JSON.parse(raw) as unknown;
  } catch (err) {
    throw badRequest(`the request body is not valid JSON: ${(err as Error).message}`);
  }
}

/** What the parser's error codes mean to a client, as Node's own answer words them (status), with a dotted code. */
function unparsedFailure(err: NodeJS.ErrnoException): ApiFailure {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new ApiFailure(431, 'request.header.fields.too.large', 'the request line and headers exceed the server\'s size limit; send a shorter query or fewer headers');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new ApiFailure(413, 'payload.too.large', 'the request body\'s chunk extensions exceed the server\'s size limit');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new ApiFailure(408, 'request.timeout', 'the request did not arrive in time');
    default:
      return badRequest(`the request is not valid HTTP/1.1 (${err.code ?? err.message})`);
  }
}

/**
 * The server's `clientError`: a request its parser refused (headers past the size limit, a request
 * line that is no HTTP) is answered, as every API response is (DESIGN §3), with an ErrorBody, a
 * correlation id (the request's could not be read: a new one) and the rate-limit headers, where
 * Node's own answer is a bare status line. The connection is closed: nothing after the refused
 * bytes can be read. Nothing is written once a response on the connection has started (Node's
 * own rule, read from the same field it reads), which the error would corrupt.
 */
export function answerUnparsed(err: NodeJS.ErrnoException, socket: Duplex, rate: RateStatus): void {
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const f = unparsedFailure(err);
  const correlationId = randomUUID();
  const body = jsonBytes(errorBody(f, correlationId));
  const head = [
    `HTTP/1.1 ${f.status} ${STATUS_CODES[f.status] ?? ''}`,
    'Content-Type: application/json; charset=UTF-8',
    `Content-Length: ${body.length}`,
    `${CORRELATION_HEADER}: ${correlationId}`,
    `${RATELIMIT_HEADERS.count}: ${rate.count}`,
    `${RATELIMIT_HEADERS.allowed}: ${rate.limit}`,
    `${RATELIMIT_HEADERS.reset}: ${rate.resetSeconds}`,
    'Connection: close',
  ];
  socket.end(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), body]));
  socket.once('finish', () => socket.destroy());
}
