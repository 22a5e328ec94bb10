// Streamed answers: one attempt of a streaming call, whose 2xx answer is held until its first
// byte (so that a connection dropped before any of the body is an attempt to retry like any
// other, and one dropped later is the caller's to report), then handed over as a stream.
import type { Readable } from 'node:stream';
import type { IncomingHttpHeaders } from 'node:http';
import type { Got } from 'got';
import { countEvent } from './stats.js';
import { transportFailure } from './failures.js';
import { answerCorrelationId, definedParams, inTurn, MAX_ANSWER_BYTES, parseBody, relativePath, requestHeaders, TOO_LARGE, type Channel } from './attempt.js';
import type { Attempt, CallSpec, ResponseStream, StreamOptions } from './exchange.js';

/**
 * One attempt of a streaming call. An error answer is read whole (it is small), as in `attempt`;
 * a 2xx answer is held until its first byte. got does not run afterResponse hooks for streams:
 * the rate-limit bookkeeping is done here.
 */
export function attemptStream<T>(ch: Channel, spec: CallSpec<T>, so: StreamOptions, correlationId: string, token: string | undefined): Promise<Attempt> {
  const headers = { ...spec.headers, ...requestHeaders(correlationId, token), accept: so.acceptHeader };
  return inTurn(ch, spec, true, () => streamOnce(ch, spec, so, headers, correlationId));
}

/** The request of one streaming attempt, its slot and the pacer's turn taken, and what it produced. */
async function streamOnce<T>(ch: Channel, spec: CallSpec<T>, so: StreamOptions, headers: Record<string, string>, correlationId: string): Promise<Attempt> {
  let req: ReturnType<Got['stream']> | undefined;
  try {
    const idle = so.idleTimeoutMs ?? ch.timeoutMs;
    req = ch.http.stream(relativePath(spec.path), {
      prefixUrl: ch.apiUrl,
      agent: ch.agents.api,
      method: spec.method,
      searchParams: definedParams(spec.searchParams),
      json: spec.json,
      headers,
      context: { paced: true },
      // No limit on the whole exchange (a stream lasts as long as it lasts): on the wait for the head, and on silence.
      timeout: { request: undefined, response: ch.timeoutMs, socket: idle },
      ...(so.signal ? { signal: so.signal } : {}),
    });
    const response = await new Promise<{ statusCode: number; headers: IncomingHttpHeaders }>((resolve, reject) => {
      req!.once('response', resolve);
      req!.once('error', reject);
    });
    if (response.statusCode === 429) countEvent(ch.stats, 'rateLimited');
    ch.pacer.observe(response.headers);
    const base = { status: response.statusCode, headers: response.headers, correlationId: answerCorrelationId(response.headers, correlationId) };
    if (response.statusCode < 200 || response.statusCode >= 300) {
      // Read up to MAX_ANSWER_BYTES, as `attempt` reads one: an error answer that never ends
      // (a hostile host) would otherwise be held whole, however large it grew.
      const chunks: Buffer[] = [];
      let bytes = 0;
      for await (const c of req) {
        chunks.push(c as Buffer);
        bytes += (c as Buffer).length;
        if (bytes > MAX_ANSWER_BYTES) {
          req.destroy();
          return { kind: 'response', res: { ...base, body: undefined, undecodable: TOO_LARGE } };
        }
      }
      return { kind: 'response', res: { ...base, body: parseBody(Buffer.concat(chunks).toString('utf8')) } };
    }
    const first = await firstChunk(req);
    if (first === null) {
      req.destroy();
      return { kind: 'transport', code: 'ERR_STREAM_PREMATURE_CLOSE', detail: 'the answer ended before its first byte' };
    }
    const stream = responseStream(base, first, req);
    const opened = so.opening ? await so.opening(stream) : stream;
    if ('failed' in opened) {
      stream.close();
      return { kind: 'response', res: { ...base, ...opened.failed } };
    }
    if ('dropped' in opened) {
      stream.close();
      return { kind: 'transport', code: 'ERR_STREAM_PREMATURE_CLOSE', detail: opened.dropped };
    }
    return { kind: 'response', res: { ...base, body: undefined, stream: opened } };
  } catch (err) {
    req?.destroy();
    if (so.signal?.aborted) throw so.signal.reason;
    return transportFailure(err);
  } finally {
    ch.pacer.done();
  }
}

/** The first chunk of a readable (null if it ends first; rejects if it fails first), leaving the rest unread. */
export function firstChunk(s: Readable): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      s.off('readable', onReadable);
      s.off('end', onEnd);
      s.off('error', onError);
    };
    const onReadable = (): void => {
      const c = s.read() as Buffer | null;
      if (c === null) return;
      cleanup();
      resolve(c);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(null);
    };
    const onError = (err: unknown): void => {
      cleanup();
      reject(err);
    };
    s.on('readable', onReadable);
    s.once('end', onEnd);
    s.once('error', onError);
  });
}

export function responseStream(
  head: { status: number; headers: IncomingHttpHeaders; correlationId: string },
  first: Buffer,
  req: Readable,
): ResponseStream {
  let closed = false;
  return {
    ...head,
    body: (async function* () {
      yield first;
      for await (const c of req) yield c as Buffer;
    })(),
    close() {
      if (closed) return;
      closed = true;
      req.destroy();
    },
  };
}
