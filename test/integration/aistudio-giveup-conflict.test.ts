// A new guide version whose POSTs are all answered 503 is read before it counts as failed. When
// that last read finds someone else's Draft as the guide's latest version, the lost answer would
// have been the refusal of a second Draft: the call ends in that 409 (A3), which apply reports
// as a conflict, not as the 503 give-up.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { AiStudioApi } from '../../src/targets/aistudio/api.js';
import { LATEST_NOT_PRODUCTION_READY_CODE } from '../../src/targets/aistudio/wire.js';
import { content, rejection, setup, type Env } from './aistudio-support.js';

let env: Env;
let proxy: http.Server;
let posts = 0;
/** The other writer's move, made on the last (third) POST before the proxy answers it 503. */
let onLast: () => Promise<void> = async () => undefined;

beforeEach(async () => {
  env = await setup({ aiStudio: { newGuideDraft: false } });
  const upstream = new URL(env.emulator.url);
  posts = 0;
  onLast = async () => undefined;
  proxy = http.createServer((req, res) => {
    if (req.method === 'POST' && /\/guides\/[^/]+\/versions$/.test(req.url ?? '')) {
      posts += 1;
      req.resume();
      void (posts === 3 ? onLast() : Promise.resolve()).then(() => {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'unavailable', code: 'service.unavailable', status: 503 }));
      });
      return;
    }
    const up = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', ok));
});
afterEach(async () => {
  await new Promise((ok) => proxy.close(ok));
  await env.close();
});

it('ends a new version whose last read finds someone else\'s Draft in the 409 a second Draft gets', async () => {
  const other: AiStudioApi = env.client();
  const g = await other.createGuide({ name: 'Returns', source: 'Manual' });
  await other.createGuideVersion(g.id, content(1));
  await other.publishGuideVersion(g.id, '1.0', 'ProductionReady');
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const c = env.client({ apiUrl: url, loginUrl: url, backoffBaseMs: 1, backoffCapMs: 5, maxRetries: 2 });
  onLast = async () => void (await other.createGuideVersion(g.id, content(3)));
  const err = await rejection(c.createGuideVersion(g.id, content(2)));
  expect(posts).toBe(3);
  expect({ status: err.status, code: err.code, outcomeUnknown: err.outcomeUnknown }).toEqual({ status: 409, code: LATEST_NOT_PRODUCTION_READY_CODE, outcomeUnknown: undefined });
});
