// The emulator keeps a listing's pages while the state stands (emulator/rendered-pages.ts): the
// same page asked twice is the same bytes, and any change between the two asks (a write, a
// publish job the emulator's clock finishes, a delete) shows in the second.
import { describe, expect, it } from 'vitest';
import { paths } from '../../src/targets/llmgateway/paths.js';
import { startEmulator } from '../../src/emulator/server.js';
import { Api, emulatorForFile, versionBody } from './emulator-fixture.js';

const api = emulatorForFile({ rateLimit: 10_000, publishDelayMs: 5 });
const page = (query = 'expand=versions,traffic&pageSize=2&pageNumber=1') => api.get(`${paths.templates()}?${query}`);

describe('listing pages kept between asks', () => {
  it('answer the same page alike, and every change made between two asks', async () => {
    const a = await api.template('kept-a');
    await api.template('kept-b');
    const first = await page();
    expect((await page()).body).toEqual(first.body);
    expect(first.body.entities.map((t: { name: string }) => t.name)).toEqual(['kept-a', 'kept-b']);

    expect((await api.version(a, '1.0.0')).status).toBe(201);
    const withVersion = await page();
    expect(withVersion.body.entities[0].versions.map((v: { version: string; state: string }) => [v.version, v.state])).toEqual([['1.0.0', 'Draft']]);

    // Published by the emulator's own timer, between two asks of the same page.
    expect((await api.publish(a, '1.0.0')).status).toBe('Succeeded');
    expect((await page()).body.entities[0].versions[0].state).toBe('Published');

    expect((await api.put(paths.traffic(a), { routes: [{ version: '1.0.0', weight: 100 }], version: 0 })).status).toBe(200);
    expect((await page()).body.entities[0].traffic.routes).toEqual([{ version: '1.0.0', weight: 100 }]);

    // Another query of the same state is its own page.
    expect((await page('pageSize=1&pageNumber=2')).body.entities.map((t: { name: string }) => t.name)).toEqual(['kept-b']);

    expect((await api.del(paths.template(a))).status).toBe(204);
    expect((await page()).body.entities.map((t: { name: string }) => t.name)).toEqual(['kept-b']);
  });

  it('serve a client that logs in again (a new command, a new token) and calls run from the pages kept', async () => {
    const em = await startEmulator({ port: 0, rateLimit: 10_000 });
    try {
      const first = new Api(em.url);
      await first.login();
      const id = await first.template('kept-c');
      expect((await first.post(paths.versions(id), versionBody('1.0.0'))).status).toBe(201);
      expect((await first.publish(id, '1.0.0')).status).toBe('Succeeded');
      const url = `${paths.templates()}?expand=versions,traffic&pageSize=100&pageNumber=1`;
      const before = (await first.get(url)).body;
      const counts = em.stats().listingPages;

      // The next command: a token of its own, and an invocation (its record is kept for analytics).
      const next = new Api(em.url);
      await next.login();
      const call = await next.post(paths.invocations(), { template: 'kept-c', version: '1.0.0', variables: { customer: 'Ada', question: 'Why?' } });
      expect(call.status, JSON.stringify(call.body)).toBe(200);
      expect((await next.get(url)).body).toEqual(before);
      expect(em.stats().listingPages).toEqual({ rendered: counts.rendered, kept: counts.kept + 1 });
    } finally {
      await em.close();
    }
  });

  it('never keeps a refusal', async () => {
    expect((await page('pageSize=0')).status).toBe(400);
    expect((await page('pageSize=0')).status).toBe(400);
    expect((await api.get(`${paths.versions('no-such-template')}`)).status).toBe(404);
  });
});
