// A server that does not know promptctl's digest view (it ignores `view=digest`) answers whole
// objects, as it did before the view; its versions may carry no contentHash (LiveVersion leaves it
// optional), and a plan against it must still work; so must one against a server that refuses the
// parameter it does not know (400).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
  await s?.close();
  s = server = undefined;
});

/**
 * A server that does not know `view`: it drops it, or (`refuseView`) answers it 400 as an unknown
 * parameter; and whose versions may carry no contentHash.
 */
async function oldServer(upstream: URL, opts: { dropHash: boolean; refuseView?: boolean }): Promise<string> {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (opts.refuseView && url.searchParams.has('view')) {
      req.resume();
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'unknown query parameter view', code: 'bad.request', status: 400 }));
      return;
    }
    url.searchParams.delete('view');
    const headers = { ...req.headers };
    delete headers['accept-encoding'];
    const up = http.request({ host: upstream.hostname, port: upstream.port, path: url.pathname + url.search, method: req.method, headers }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => {
        let body = Buffer.concat(chunks);
        if (opts.dropHash && /json/.test(r.headers['content-type'] ?? '') && body.length > 0) {
          const text = body.toString('utf8').replace(/,?"contentHash":"[0-9a-f]{64}"/g, '');
          body = Buffer.from(text);
        }
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
  await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('a server that ignores view=digest', () => {
  it('plans no changes when it answers whole objects', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const url = await oldServer(new URL(s.emu.url), { dropHash: false });
    const plan = await s.cli(['plan'], { ...s.emu.env, GENESYSCLOUD_API_URL: url });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes');
  });

  it('plans no changes when its whole versions carry no contentHash (as LiveVersion allows, and as before the digest view)', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const url = await oldServer(new URL(s.emu.url), { dropHash: true });
    const plan = await s.cli(['plan'], { ...s.emu.env, GENESYSCLOUD_API_URL: url });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes');
  });

  it('lists the templates whole when it refuses the view as an unknown parameter (400)', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const url = await oldServer(new URL(s.emu.url), { dropHash: false, refuseView: true });
    const plan = await s.cli(['plan'], { ...s.emu.env, GENESYSCLOUD_API_URL: url });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes');
  });
});
