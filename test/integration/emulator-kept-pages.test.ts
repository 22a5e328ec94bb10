// The emulator keeps a listing's pages while the state stands (emulator/rendered-pages.ts): the
// same page asked twice is the same bytes, and any change between the two asks (a write, a
// publish job the emulator's clock finishes, a delete) shows in the second. A client that accepts
// gzip is sent a page compressed, and a kept page is compressed once.
import http, { type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
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

  it('go gzip-compressed to a client that accepts it (a kept page compressed once), plain to one that does not', async () => {
    const em = await startEmulator({ port: 0, rateLimit: 10_000 });
    try {
      const a = new Api(em.url);
      await a.login();
      for (let i = 0; i < 5; i++) await a.template(`gz-${i}`);
      const ask = (path: string, encoding?: string): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> =>
        new Promise((resolve, reject) => {
          const headers = { authorization: `Bearer ${a.token}`, ...(encoding !== undefined ? { 'accept-encoding': encoding } : {}) };
          http
            .get(em.url + path, { headers }, (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
            })
            .on('error', reject);
        });
      const listing = `${paths.templates()}?pageSize=100&pageNumber=1`;
      const plain = await ask(listing);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers['vary']).toBe('Accept-Encoding');
      expect(plain.body.length).toBeGreaterThan(1024);
      expect(JSON.parse(plain.body.toString()).entities).toHaveLength(5);

      const gz = await ask(listing, 'br, gzip;q=0.8');
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(Number(gz.headers['content-length'])).toBe(gz.body.length);
      expect(gz.body.length).toBeLessThan(plain.body.length);
      expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
      expect((await ask(listing, 'gzip')).body.equals(gz.body)).toBe(true);

      expect((await ask(listing, 'gzip;q=0, br')).headers['content-encoding']).toBeUndefined();
      // An answer under 1 KiB goes as it is.
      const one = await ask(`${paths.templates()}?pageSize=1&pageNumber=1`, 'gzip');
      expect(one.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(one.body.toString()).entities).toHaveLength(1);
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
