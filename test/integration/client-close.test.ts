// Closing a client ends what it is doing: a call waiting out a Retry-After rejects at once with
// client.closed and sends nothing more, and a later call sends nothing at all. (plan and apply
// close a target whose early read is no longer wanted: invalid files.)
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createGatewayClient } from '../../src/targets/llmgateway/client.js';
import { gatewayWriteChecks } from '../../src/kinds/index.js';
import { CLIENT_ID, CLIENT_SECRET, rejection } from './client-support.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((r) => server?.close(r));
  server = undefined;
});

describe('GatewayClient.close', () => {
  it('stops a call in its Retry-After wait, and refuses new calls without sending them', async () => {
    let requests = 0;
    let firstSeen: () => void = () => undefined;
    const seen = new Promise<void>((r) => (firstSeen = r));
    server = createServer((req, res) => {
      requests += 1;
      firstSeen();
      // Always busy, come back in a minute.
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '60' });
      res.end(JSON.stringify({ message: 'busy', code: 'service.unavailable', status: 503 }));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const c = createGatewayClient({ landed: gatewayWriteChecks, apiUrl: url, loginUrl: url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, targetLabel: url, retryBudgetMs: 300_000 });
    const call = c.listFilters();
    await seen;
    await c.close();
    expect(await rejection(call)).toMatchObject({ code: 'client.closed' });
    expect(requests).toBe(1);
    expect(await rejection(c.listTemplates())).toMatchObject({ code: 'client.closed' });
    expect(requests).toBe(1);
  });
});
