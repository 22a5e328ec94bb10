// apply's audit sinks go through the proxy the environment names for their host, as the org's
// calls do: a CI runner that reaches the internet only through HTTPS_PROXY applied to the org and
// then warned that every record's delivery failed. Here the org is the test emulator (loopback:
// never proxied) and the sink a name only the proxy could reach; the proxy refuses the tunnel.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
let proxy: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const c of sockets.splice(0)) c.destroy();
  if (proxy) await new Promise((r) => proxy!.close(r));
  proxy = undefined;
  await s?.close();
  s = undefined;
});

describe('an audit sink behind HTTPS_PROXY', () => {
  it('is posted to through the proxy, and its refusal is said as the proxy\'s', async () => {
    const tunnels: string[] = [];
    proxy = createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, client: Socket) => {
      sockets.push(client);
      tunnels.push(req.url ?? '');
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    const port = (proxy.address() as AddressInfo).port;
    s = await scenario();
    await writeFile(
      join(s.dir.path, 'prompts/promptctl.yaml'),
      'apiVersion: promptctl/v1\nkind: Config\nspec:\n  audit:\n    http: [{url: "https://audit.promptctl.test/hook", secretEnv: AUDIT_HMAC}]\n',
    );
    const r = await s.cli(['apply', '--auto-approve'], { HTTPS_PROXY: `http://127.0.0.1:${port}`, AUDIT_HMAC: 'sink-key-0123456789' });
    expect(r.code, r.stderr).toBe(0);
    expect(tunnels.length).toBeGreaterThan(0);
    expect(new Set(tunnels)).toEqual(new Set(['audit.promptctl.test:443']));
    expect(r.stderr).toContain(`warning: audit sink https://audit.promptctl.test/hook: the proxy refused the connection (HTTP 403) (through the proxy 127.0.0.1:${port}) after 1 attempt`);
  });
});
