// DESIGN §3 offers `expand=versions,traffic` on the template listing alone; one template's read is
// "read". A conforming server that ignores `expand` there answered without versions or split, and
// a plan read the template as holding none: every version planned as a create that met 409 on every
// run, a hand-made version unseen (a review, through a proxy stripping `expand`). The client now
// asks the listing by name when the read did not expand what was asked.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gatewayWriteChecks } from '../../src/kinds/index.js';
import { createGatewayClient } from '../../src/targets/llmgateway/client.js';
import type { GatewayApi } from '../../src/targets/llmgateway/api.js';
import { forwardTo } from '../helpers/forward.js';
import { CLIENT_ID, CLIENT_SECRET, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

let emu: TestEmulator;
let proxy: http.Server;
let client: GatewayApi;
let gets: string[];

beforeEach(async () => {
  emu = await startTestEmulator();
  gets = [];
  // Drops `expand` from one template's read (GET /prompttemplates/{id}), as a server keeping to §3 may ignore it.
  proxy = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET' && /^\/api\/v2\/llmgateway\/prompttemplates\/[^/]+$/.test(url.pathname)) url.searchParams.delete('expand');
    if (req.method === 'GET' && url.pathname.startsWith('/api/v2/llmgateway/prompttemplates')) gets.push(`${url.pathname}${url.search}`);
    req.url = `${url.pathname}${url.search}`;
    forwardTo(new URL(emu.url), req, res);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  client = createGatewayClient({ landed: gatewayWriteChecks, apiUrl: url, loginUrl: url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, targetLabel: 'strict server' });
});
afterEach(async () => {
  await client.close();
  proxy.closeAllConnections();
  await new Promise<void>((r) => proxy.close(() => r()));
  await emu.close();
});

describe("a template's read from a server that expands only listings", () => {
  it('still holds its versions and split, read from the listing by name', async () => {
    const t = await emu.api.createTemplate({ name: 'billing', model: 'gpt-4o' });
    await emu.api.createVersion(t.id, { version: '1.0.0', systemInstruction: 'Be brief.', userTemplate: 'Q' });
    await emu.api.publishVersion(t.id, '1.0.0');
    await emu.api.putTraffic(t.id, { strategy: 'random', routes: [{ version: '1.0.0', weight: 100 }], version: 0 });

    const read = await client.getTemplate(t.id, { expand: ['versions', 'traffic'] });
    expect(read.versions?.map((v) => `${v.version} ${v.state}`)).toEqual(['1.0.0 Published']);
    expect(read.traffic?.routes).toEqual([{ version: '1.0.0', weight: 100 }]);
    // The read, then the listing by name (the contract's way to expand).
    expect(gets.filter((g) => !g.includes('view=digest'))).toEqual([`/api/v2/llmgateway/prompttemplates/${t.id}`, expect.stringMatching(/^\/api\/v2\/llmgateway\/prompttemplates\?.*name=billing/)]);
    // A read that asks no expansion is one request.
    gets = [];
    expect((await client.getTemplate(t.id)).name).toBe('billing');
    expect(gets).toHaveLength(1);
  });
});
