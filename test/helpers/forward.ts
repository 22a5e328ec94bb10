// A request a test's stand-in server does not answer itself, passed on to the real one (an
// emulator) as it came, and its answer passed back: what a proxy in front of the target does.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export function forwardTo(upstream: URL, req: http.IncomingMessage, res: http.ServerResponse): void {
  const up = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
    res.writeHead(r.statusCode ?? 502, r.headers);
    r.pipe(res);
  });
  up.on('error', () => res.destroy());
  req.pipe(up);
}

/** A proxy in front of a target whose chosen writes are all answered 503, nothing done. */
export interface UnavailableProxy {
  url: string;
  /** How many requests it answered 503 so far. */
  answered(): number;
  close(): Promise<void>;
}

/**
 * Answers every request `picked` chooses with a 503 (after `before(n)`, n counting them from 1:
 * where a test makes another writer's move on the last attempt) and forwards the rest.
 */
export async function unavailableProxy(
  upstream: URL,
  picked: (method: string, url: string) => boolean,
  before: (n: number) => Promise<void> = async () => undefined,
): Promise<UnavailableProxy> {
  let n = 0;
  const server = http.createServer((req, res) => {
    if (!picked(req.method ?? '', req.url ?? '')) return forwardTo(upstream, req, res);
    n += 1;
    req.resume();
    void before(n).then(() => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'unavailable', code: 'service.unavailable', status: 503 }));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answered: () => n,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/** A proxy in front of a target that rewrites the JSON answers `rewrite` changes (it edits the parsed body in place). */
export interface RewritingProxy {
  url: string;
  close(): Promise<void>;
}

export function rewritingProxy(
  upstream: URL,
  rewrite: (path: string, body: unknown, query: URLSearchParams, method: string) => void,
): Promise<RewritingProxy> {
  return interposingProxy(upstream, {
    rewrite(text, url, method) {
      const parsed = JSON.parse(text) as unknown;
      rewrite(url.pathname, parsed, url.searchParams, method);
      return JSON.stringify(parsed);
    },
  });
}

/** What a proxy does with one request instead of passing it on as it came. */
export interface Interposed {
  /** Answered here with this status and JSON body (and headers: a 503's Retry-After), not passed on. */
  answer?: { status: number; body: unknown; headers?: Record<string, string> };
  /** Passed on to this path and query instead of the request's. */
  path?: string;
}

/**
 * A proxy in front of a target: `before` sees each request first (and may hold it, answer it or
 * send it elsewhere: a server of another kind, or the org changing between two reads), and
 * `rewrite` changes the text of each JSON answer (asked for without compression, so the answer
 * is JSON as it goes).
 */
export async function interposingProxy(
  upstream: URL,
  opts: {
    before?: (method: string, url: URL) => Interposed | undefined | Promise<Interposed | undefined>;
    rewrite?: (text: string, url: URL, method: string) => string;
  },
): Promise<RewritingProxy> {
  const server = http.createServer((req, res) => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://x');
    void Promise.resolve(opts.before?.(method, url)).then((i) => {
      if (i?.answer) {
        req.resume();
        res.writeHead(i.answer.status, { 'content-type': 'application/json', ...i.answer.headers });
        res.end(JSON.stringify(i.answer.body));
        return;
      }
      const headers = { ...req.headers };
      if (opts.rewrite) delete headers['accept-encoding'];
      const up = http.request({ host: upstream.hostname, port: upstream.port, path: i?.path ?? req.url, method, headers }, (r) => {
        if (!opts.rewrite) {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
          return;
        }
        const rewrite = opts.rewrite;
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => {
          let body = Buffer.concat(chunks);
          if (/json/.test(r.headers['content-type'] ?? '') && body.length > 0) body = Buffer.from(rewrite(body.toString('utf8'), url, method));
          const out = { ...r.headers };
          delete out['content-length'];
          delete out['transfer-encoding'];
          res.writeHead(r.statusCode ?? 502, { ...out, 'content-length': String(body.length) });
          res.end(body);
        });
      });
      up.on('error', () => res.destroy());
      req.pipe(up);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** A stand-in server in front of a target: what `answer` answers (it returns true) it answers, the rest is forwarded. */
export interface Interceptor {
  url: string;
  close(): Promise<void>;
}

export async function interceptor(upstream: URL, answer: (req: http.IncomingMessage, res: http.ServerResponse) => boolean): Promise<Interceptor> {
  const server = http.createServer((req, res) => {
    if (!answer(req, res)) forwardTo(upstream, req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
