// A 429 whose Retry-After ends past the call's time for retries (the promotion check's quick read
// allows 5 s) ends the call at once: the message says why it gave up after one attempt, and counts it
// in the singular. A Retry-After is never shortened (one past 60 s was cut to 60 s and resent
// early): past the budget the call gives up at once, saying what the server asked.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { createGatewayClient } from '../../src/targets/llmgateway/client.js';
import { gatewayWriteChecks } from '../../src/kinds/index.js';
import { CLIENT_ID, CLIENT_SECRET, rejection } from './client-support.js';

const servers: Server[] = [];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

it('a wait past the retry budget: "gave up after 1 attempt", the wait asked for and the budget', async () => {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/oauth/token')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: 'tok-busy-123456', token_type: 'bearer', expires_in: 3600 }));
      return;
    }
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '120' });
    res.end(JSON.stringify({ message: 'rate limit exceeded', code: 'too.many.requests', status: 429 }));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const c = createGatewayClient({ landed: gatewayWriteChecks, apiUrl: url, loginUrl: url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, targetLabel: url, timeoutMs: 5_000, retryBudgetMs: 5_000 });
  closers.push(() => c.close());
  const err = await rejection(c.listFilters());
  expect(err.status).toBe(429);
  expect(err.message).toMatch(/gave up after 1 attempt in \d+\.\d s: the server asked to wait 120\.0 s \(Retry-After\) before the next try, past the 5\.0 s this call may spend retrying/);
  expect(err.message).not.toMatch(/1 attempts/);
});

it('a Retry-After past 60 s is not cut to 60 s: past the budget, the call gives up at once saying what the server asked', async () => {
  let sent = 0;
  const url = await busyServer('70', () => sent++);
  // A budget of 65 s: a Retry-After cut to 60 s fitted it, and the call waited 60 s to be refused again.
  const c = createGatewayClient({ landed: gatewayWriteChecks, apiUrl: url, loginUrl: url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, targetLabel: url, retryBudgetMs: 65_000 });
  closers.push(() => c.close());
  const err = await rejection(c.listFilters());
  expect(sent).toBe(1);
  expect(err.message).toMatch(/gave up after 1 attempt in \d\.\d s: the server asked to wait 70\.0 s \(Retry-After\) before the next try, past the 65\.0 s this call may spend retrying/);
}, 10_000);

/** A server that answers every API call 429 with this Retry-After (`onCall` hears each), and issues tokens. */
async function busyServer(retryAfter: string, onCall: () => void = () => {}): Promise<string> {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/oauth/token')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: 'tok-busy-123456', token_type: 'bearer', expires_in: 3600 }));
      return;
    }
    onCall();
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': retryAfter });
    res.end(JSON.stringify({ message: 'rate limit exceeded', code: 'too.many.requests', status: 429 }));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
