// A 2xx answer read as it arrives: held until its first byte (so that a connection dropped
// before any of the body is an attempt to retry like any other), then handed over as a stream.
import type { Readable } from 'node:stream';
import type { IncomingHttpHeaders } from 'node:http';
import type { ResponseStream } from './exchange.js';

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
