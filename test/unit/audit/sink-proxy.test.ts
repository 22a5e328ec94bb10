// Audit sinks behind a proxy: a CI runner that reaches the internet only through HTTPS_PROXY
// reached the org, and then every record's delivery failed, since the sinks went direct. The
// sink's request goes through the agents the command gives it (a CONNECT tunnel here), and the
// command gives them for a host HTTPS_PROXY covers, none for one NO_PROXY names.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { deliverToSink } from '../../../src/audit/sink.js';
import { tunnelAgents } from '../../../src/genesys/connection.js';
import { sinkProxyOptions } from '../../../src/cli/sink-agents.js';

let servers: Server[] = [];
let sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets) s.destroy();
  for (const s of servers) await new Promise((r) => s.close(r));
  servers = [];
  sockets = [];
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

describe('audit sink through a proxy', () => {
  it('posts through the agents it is given: the proxy sees the CONNECT, the sink the record', async () => {
    const bodies: string[] = [];
    const sinkPort = await listen(
      createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString('utf8')));
        req.on('end', () => {
          bodies.push(body);
          res.writeHead(204).end();
        });
      }),
    );
    const tunnels: string[] = [];
    const proxy = createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, client: Socket) => {
      sockets.push(client);
      tunnels.push(req.url ?? '');
      const up = connect(Number((req.url ?? '').split(':').pop()), '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        up.pipe(client).pipe(up);
      });
      sockets.push(up);
    });
    const proxyPort = await listen(proxy);
    const url = `http://127.0.0.1:${sinkPort}/audit`;
    const warning = (await deliverToSink({ url }, '{"seq":1}', 'key-1', {}, { agentsFor: () => tunnelAgents(`http://127.0.0.1:${proxyPort}`, { keepAlive: false, timeout: 2_000 }), retries: 0 }))?.warning ?? null;
    expect(warning).toBeNull();
    expect(tunnels).toEqual([`127.0.0.1:${sinkPort}`]);
    expect(bodies).toEqual(['{"seq":1}']);
  });

  it('gives agents for a sink HTTPS_PROXY covers, none for one NO_PROXY names or without a proxy', () => {
    const env = { HTTPS_PROXY: 'http://proxy.corp.example:3128', NO_PROXY: 'internal.example' };
    const { agentsFor } = sinkProxyOptions(env)!;
    expect(agentsFor!(new URL('https://audit.example.com/promptctl'))?.https).toBeDefined();
    expect(agentsFor!(new URL('https://audit.internal.example/promptctl'))).toBeUndefined();
    expect(sinkProxyOptions({})).toBeUndefined();
  });

  it("says a proxy's refusal of the tunnel as the target's calls do, through which proxy, with the attempts made", async () => {
    const proxy = createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (_req, client: Socket) => {
      sockets.push(client);
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    });
    const proxyPort = await listen(proxy);
    const options = sinkProxyOptions({ HTTPS_PROXY: `http://user:pw-not-shown@127.0.0.1:${proxyPort}` })!;
    const warning = (await deliverToSink({ url: 'https://audit.example.test/hook' }, '{}', 'key-1', {}, { ...options, retries: 2, backoffLimitMs: 1 }))?.warning ?? null;
    // hpagent's refusal has no code, which got does not retry: one attempt, not "after 3 attempts".
    expect(warning).toBe(`audit sink https://audit.example.test/hook: the proxy refused the connection (HTTP 502) (through the proxy 127.0.0.1:${proxyPort}) after 1 attempt`);
  });
});
