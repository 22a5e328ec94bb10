// A write whose answer was lost is read for (reconcile) before it is resent. When that read fails
// too, the call ends with the write's own error, its outcome unknown (it may have landed), the
// read's failure only a note: not the read's error, which named a GET and said nothing of the
// write, so apply reported a failed listing and not a write that may be live.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { paths } from '../../src/targets/llmgateway/paths.js';
import { filterBody, quickClient, rejection } from './client-support.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

/**
 * A server that drops the connection of every POST of a filter after reading it, and answers the
 * listing the reconcile reads with `listing` (a status, or 'drop').
 */
async function lossy(listing: number | 'drop'): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    seen.push(`${req.method} ${path}`);
    req.resume();
    req.on('end', () => {
      if (path === '/oauth/token') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'tok', token_type: 'bearer', expires_in: 3600 }));
      } else if (req.method === 'POST' || listing === 'drop') {
        res.socket?.destroy();
      } else {
        res.writeHead(listing, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'no listing for you', code: `http.${listing}`, status: listing }));
      }
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('a write of unknown outcome whose reconciling read fails', () => {
  it.each([
    ['answered 403', 403 as const],
    ['answered 500', 500 as const],
    ['dropped too', 'drop' as const],
  ])('ends with the write\'s own error, outcome unknown, not resent (the read %s)', async (_, listing) => {
    const { url, seen } = await lossy(listing);
    const c = quickClient(url);
    try {
      const err = await rejection(c.createFilter(filterBody('guard-one', 10)));
      expect(err).toMatchObject({ method: 'POST', path: paths.filters(), status: 0, outcomeUnknown: true });
      expect(err.message).toMatch(new RegExp(`^POST ${paths.filters()}`));
      // The read's failure is context, after the write's own words.
      expect(err.message).toMatch(/could not read whether it landed: GET /);
      // Once: it may have landed, and nothing read says it did not.
      expect(seen.filter((s) => s.startsWith('POST /api/'))).toHaveLength(1);
    } finally {
      await c.close();
    }
  });
});
