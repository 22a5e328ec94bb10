// Small HTTP plumbing for the emulator: bodies, JSON replies (gzip-compressed when accepted), correlation and rate-limit headers.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { CORRELATION_HEADER, RATELIMIT_HEADERS } from '../targets/llmgateway/wire.js';
import { ApiFailure, badRequest } from './errors.js';
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

/** Whether an Accept-Encoding header takes gzip: named (or `*`) with a q-value above 0 (RFC 9110 §12.5.3). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let gzip: number | undefined;
  let any: number | undefined;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (name === 'gzip' || name === 'x-gzip') gzip = weight;
    else if (name === '*') any = weight;
  }
  return (gzip ?? any ?? 0) > 0;
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
