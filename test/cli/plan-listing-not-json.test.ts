// A listing answered 200 with something that is not a listing (an HTML page: a wrong API URL, a
// proxy or a portal in front of the org) must not read as an empty org: the plan would then
// create everything again over what exists. It is an error naming the call, and nothing is planned.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forwardTo } from '../helpers/forward.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario;
let server: Server | undefined;
beforeEach(async () => {
  s = await scenario();
  const r = await s.cli(['apply', '--auto-approve']);
  expect(r.code, r.stderr).toBe(0);
});
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
  await s.close();
});

async function proxyAnsweringListingsWith(body: string, contentType: string): Promise<string> {
  const upstream = new URL(s.emu.url);
  server = createServer((req, res) => {
    if (req.method === 'GET' && /\/prompttemplates\?/.test(req.url ?? '')) {
      req.resume();
      res.writeHead(200, { 'content-type': contentType });
      res.end(body);
      return;
    }
    forwardTo(upstream, req, res);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('plan: a listing that is not one', () => {
  it('an HTML page is an error, not an empty org to create again', async () => {
    const url = await proxyAnsweringListingsWith('<html><body>Sign in</body></html>', 'text/html');
    const r = await s.cli(['plan'], { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/create PromptTemplate/);
    expect(r.stderr).toMatch(/prompttemplates.*not a listing/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('so is JSON whose entities are not a list', async () => {
    const url = await proxyAnsweringListingsWith(JSON.stringify({ entities: 'none', pageCount: 1 }), 'application/json');
    const r = await s.cli(['plan'], { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/create PromptTemplate/);
    expect(r.stderr).toMatch(/not a listing/);
  });
});
