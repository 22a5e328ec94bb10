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

/** A proxy to the emulator answering the template listings with `body` (the first `times` of them: by default all). */
async function proxyAnsweringListingsWith(body: string, contentType: string, times = Infinity): Promise<string> {
  const upstream = new URL(s.emu.url);
  let answered = 0;
  server = createServer((req, res) => {
    if (req.method === 'GET' && /\/prompttemplates\?/.test(req.url ?? '') && answered++ < times) {
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

  it('JSON cut short under a JSON content type is a damaged answer, not a wrong URL: the listing is asked again, and the plan made', async () => {
    const url = await proxyAnsweringListingsWith('{"broken:', 'application/json', 1);
    const r = await s.cli(['plan', '--detailed-exitcode'], { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/API URL|not sent again/);
  });

  it('JSON cut short under another content type is named so, not as a wrong URL', async () => {
    const url = await proxyAnsweringListingsWith('{"entities": [{"id": "a", "na', 'text/plain');
    const r = await s.cli(['plan'], { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/prompttemplates answered 200 with JSON that could not be read \(cut short or not valid JSON\), not a listing/);
    expect(r.stderr).not.toMatch(/API URL/);
  });

  it('so is JSON whose entities are not a list', async () => {
    const url = await proxyAnsweringListingsWith(JSON.stringify({ entities: 'none', pageCount: 1 }), 'application/json');
    const r = await s.cli(['plan'], { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/create PromptTemplate/);
    expect(r.stderr).toMatch(/not a listing/);
  });

  it('so is a JSON object with no entities and none of a listing page\'s counts (a wrong URL answering {})', async () => {
    const url = await proxyAnsweringListingsWith('{}', 'application/json');
    const r = await s.cli(['plan'], { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/create PromptTemplate/);
    expect(r.stderr).toMatch(/prompttemplates answered 200 with JSON without a list of entities, not a listing: is the API URL right\?/);
  });

  it('so is a listing whose entities are not objects with a string id and name (named by the entity\'s own shape)', async () => {
    const cases: Array<[unknown[], string]> = [
      [[null], 'prompt template is null, not an object'],
      [[{ id: 'a', name: 5, version: 1 }], 'prompt template "a" whose name is the integer 5, not a string'],
      [[['a']], 'prompt template is a list, not an object'],
    ];
    for (const [entities, said] of cases) {
      const url = await proxyAnsweringListingsWith(JSON.stringify({ entities, pageCount: 1 }), 'application/json');
      const r = await s.cli(['plan'], { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`prompttemplates answered ${said}: promptctl cannot rely on an answer of that shape`);
      expect(r.stderr).not.toMatch(/internal/);
      server?.closeAllConnections();
      await new Promise((done) => server!.close(done));
      server = undefined;
    }
  });

  it('a page that claims a billion pages is refused before any is read', async () => {
    const url = await proxyAnsweringListingsWith(JSON.stringify({ entities: [], pageCount: 1_000_000_000, total: 5 }), 'application/json');
    const r = await s.cli(['plan'], { GENESYSCLOUD_API_URL: url, GENESYSCLOUD_LOGIN_URL: url });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/prompttemplates says it has 1,000,000,000 pages, more than promptctl reads \(10,000\)/);
  });
});

describe('a login URL without a token endpoint', () => {
  it('is an authentication error for every command, not an org without the APIs', async () => {
    const login = { GENESYSCLOUD_LOGIN_URL: `${s.emu.url}/typo` };
    for (const args of [['plan'], ['export', '--out', 'exported'], ['drift']]) {
      const r = await s.cli(args, login);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toContain(`authentication failed: there is no OAuth token endpoint at ${s.emu.url}/typo/oauth/token (POST answered 404); check the login URL or region`);
      expect(r.stderr).not.toMatch(/does not serve/);
    }
  });
});
