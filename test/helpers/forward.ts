// A request a test's stand-in server does not answer itself, passed on to the real one (an
// emulator) as it came, and its answer passed back: what a proxy in front of the target does.
import http from 'node:http';

export function forwardTo(upstream: URL, req: http.IncomingMessage, res: http.ServerResponse): void {
  const up = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
    res.writeHead(r.statusCode ?? 502, r.headers);
    r.pipe(res);
  });
  up.on('error', () => res.destroy());
  req.pipe(up);
}
