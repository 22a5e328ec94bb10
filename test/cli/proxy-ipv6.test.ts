// A proxy at an IPv6 address (HTTPS_PROXY=http://[::1]:3128): its URL's host keeps the brackets
// ([::1]), and handed on so to the tunnel, it was looked up as a name: every command failed with
// "host not found" (ENOTFOUND). In-process, through a real CONNECT proxy listening on ::1 (the
// whole plan through one is in proxy.test.ts, with the built binary): skipped where this machine
// has no IPv6 loopback (test/unit/genesys/proxy.test.ts checks the host handed to the tunnel).
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { closedPort, hasIpv6Loopback } from '../helpers/ports.js';
import { fixtureCopy, type TempDir } from '../helpers/tmp.js';

const HOST = 'gateway.promptctl.test';
const PASSWORD = 'proxy-pa55word-6Vx';
const ENV = { GENESYSCLOUD_API_URL: `https://${HOST}`, GENESYSCLOUD_OAUTHCLIENT_ID: 'a', GENESYSCLOUD_OAUTHCLIENT_SECRET: 'client-secret-b' };

const IPV6 = await hasIpv6Loopback();

let open: { close(): unknown }[] = [];
let dir: TempDir | undefined;
afterEach(async () => {
  for (const o of open) await o.close();
  open = [];
  await dir?.remove();
  dir = undefined;
});

/** An HTTP CONNECT proxy on ::1 that records each tunnel asked for and refuses it: 407, it wants credentials. */
async function refusingProxy(): Promise<{ port: number; tunnels: string[] }> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client: Socket) => {
    sockets.add(client);
    tunnels.push(req.url ?? '');
    client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n');
  });
  server.listen(0, '::1');
  await once(server, 'listening');
  open.push({
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(r));
    },
  });
  return { port: (server.address() as AddressInfo).port, tunnels };
}

describe.skipIf(!IPV6)('behind a proxy at an IPv6 address', () => {
  it('asks the proxy on ::1 for the tunnel, and says its refusal as the proxy\'s', async () => {
    const p = await refusingProxy();
    dir = await fixtureCopy('basic');
    const r = await runCliInProcess(['plan'], { cwd: dir.path, env: { ...ENV, HTTPS_PROXY: `http://user:${PASSWORD}@[::1]:${p.port}` } });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('host not found');
    expect(r.stderr).toContain('the proxy refused the connection (HTTP 407: proxy authentication required)');
    expect(p.tunnels.length).toBeGreaterThan(0);
    expect(new Set(p.tunnels)).toEqual(new Set([`${HOST}:443`]));
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });

  it('names a proxy on ::1 that is not there by its address, as it names one on 127.0.0.1', async () => {
    const port = await closedPort('::1');
    dir = await fixtureCopy('basic');
    const r = await runCliInProcess(['plan'], { cwd: dir.path, env: { ...ENV, HTTPS_PROXY: `http://[::1]:${port}` } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`failed: the proxy [::1]:${port} refused the connection (is it running?) (https://${HOST} through the proxy [::1]:${port})`);
  });
});
