// The emulator keeps a listing's pages while the state stands (emulator/rendered-pages.ts): the
// same page asked twice is the same bytes, and any change between the two asks (a write, a
// publish job the emulator's clock finishes, a delete) shows in the second.
import { describe, expect, it } from 'vitest';
import { paths } from '../../src/targets/llmgateway/paths.js';
import { emulatorForFile } from './emulator-fixture.js';

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

  it('never keeps a refusal', async () => {
    expect((await page('pageSize=0')).status).toBe(400);
    expect((await page('pageSize=0')).status).toBe(400);
    expect((await api.get(`${paths.versions('no-such-template')}`)).status).toBe(404);
  });
});
