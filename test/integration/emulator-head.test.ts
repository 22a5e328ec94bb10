// HEAD on every route the emulator serves GET on (RFC 9110 §9.3.2): GET's status and headers, no
// body, counted against the rate limit as a GET is, nothing changed; and a 405's Allow lists HEAD.
import { request } from 'node:http';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { paths as studio } from '../../src/targets/aistudio/paths.js';
import { paths } from '../../src/targets/llmgateway/paths.js';
import { ORGANIZATION_PATH } from '../../src/targets/llmgateway/wire.js';
import { Api, filterBody } from './emulator-fixture.js';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request as the bytes arrive (no decompression, no header added but those given). */
function raw(url: string, method: string, headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The headers that must match between a GET and its HEAD: all but those that differ per request. */
function comparable(h: Raw['headers']): Record<string, unknown> {
  const { date: _d, 'inin-correlation-id': _c, 'inin-ratelimit-count': _n, 'inin-ratelimit-reset': _r, ...rest } = h;
  return rest;
}

let dir: string;
let em: RunningEmulator;
const api = new Api('');
/** Every path the emulator serves GET on, each with a real object behind it. */
const getPaths: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-head-'));
  em = await startEmulator({ port: 0, stateFile: join(dir, 'state.json'), publishDelayMs: 0 });
  api.url = em.url;
  await api.login();

  const t = await api.template('billing');
  await api.version(t, '1.0.0');
  const job = await api.publish(t, '1.0.0');
  await api.put(paths.traffic(t), { routes: [{ version: '1.0.0', weight: 100 }], version: 0 });
  const f = (await api.post(paths.filters(), filterBody('pii-guard', 1))).body.id as string;
  const g = (await api.post(studio.guides(), { name: 'Greeter', source: 'Manual' })).body.id as string;
  const publish = (await api.post(studio.guideVersionJobs(g, '1.0'), { guideVersion: { state: 'TestReady' } })).body.id as string;
  const gone = (await api.post(studio.guides(), { name: 'Gone', source: 'Manual' })).body.id as string;
  const del = (await api.del(studio.guideJobs(gone))).body.id as string;
  const s = (await api.post(studio.summarySettings(), { name: 'Short', language: 'en-US', summaryType: 'Concise' })).body.id as string;
  // Every job done now: a GET (or HEAD) of one has nothing left to finish.
  await em.jobsSettled();

  getPaths.push(
    paths.templates(),
    `${paths.templates()}?expand=versions,traffic&pageSize=1`,
    paths.template(t),
    paths.versions(t),
    paths.version(t, '1.0.0'),
    paths.job(t, '1.0.0', job.id as string),
    paths.traffic(t),
    paths.filters(),
    paths.filter(f),
    ORGANIZATION_PATH,
    studio.guides(),
    studio.guide(g),
    studio.guideJob(gone, del),
    studio.guideVersion(g, '1.0'),
    studio.guideVersionJob(g, '1.0', publish),
    studio.summarySettings(),
    studio.summarySetting(s),
    paths.template('00000000-0000-0000-0000-000000000000'), // a GET's 404 is HEAD's too
  );
});

afterAll(async () => {
  await em?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('HEAD', () => {
  it('answers every GET route with the GET status and headers, no body, and changes nothing', async () => {
    const files = async (): Promise<string[]> =>
      Promise.all((await readdir(dir)).sort().map(async (n) => `${n}:${(await readFile(join(dir, n))).toString('base64')}`));
    const before = await files();
    const missing = getPaths.at(-1);
    let gzipped = 0;
    for (const encoding of ['identity', 'gzip']) {
      const headers = { Authorization: `Bearer ${api.token}`, 'Accept-Encoding': encoding };
      for (const p of getPaths) {
        const get = await raw(api.url + p, 'GET', headers);
        const head = await raw(api.url + p, 'HEAD', headers);
        expect({ p, status: get.status }).toEqual({ p, status: p === missing ? 404 : 200 });
        expect({ p, status: head.status }).toEqual({ p, status: get.status });
        if (head.headers['content-encoding'] === 'gzip') gzipped++;
        expect(head.body.length).toBe(0);
        expect(comparable(head.headers)).toEqual(comparable(get.headers));
        expect(Number(head.headers['content-length'])).toBe(get.body.length);
        expect(head.headers['inin-correlation-id']).toEqual(expect.any(String));
        expect(head.headers['inin-ratelimit-reset']).toEqual(expect.any(String));
        // Spent from the same budget as the GET before it.
        expect(Number(head.headers['inin-ratelimit-count'])).toBe(Number(get.headers['inin-ratelimit-count']) + 1);
      }
    }
    expect(gzipped).toBeGreaterThan(0);
    expect(await files()).toEqual(before);
  });

  it('echoes the correlation id sent, and is refused 429 like a GET once the budget is spent', async () => {
    const limited = await startEmulator({ port: 0, rateLimit: 2 });
    try {
      const a = new Api(limited.url);
      await a.login();
      const headers = { Authorization: `Bearer ${a.token}`, 'ININ-Correlation-Id': 'head-check-1' };
      const first = await raw(limited.url + paths.templates(), 'HEAD', headers);
      expect(first.status).toBe(200);
      expect(first.headers['inin-correlation-id']).toBe('head-check-1');
      expect(first.headers['inin-ratelimit-count']).toBe('1');
      expect((await raw(limited.url + paths.templates(), 'GET', headers)).headers['inin-ratelimit-count']).toBe('2');
      const over = await raw(limited.url + paths.templates(), 'HEAD', headers);
      expect(over.status).toBe(429);
      expect(over.headers['retry-after']).toEqual(expect.any(String));
      expect(over.body.length).toBe(0);
    } finally {
      await limited.close();
    }
  });

  it('is listed in Allow where GET is, on a 405; not where GET is not served', async () => {
    const headers = { Authorization: `Bearer ${api.token}` };
    const onListing = await raw(api.url + paths.templates(), 'PATCH', headers);
    expect(onListing.status).toBe(405);
    expect(onListing.headers.allow).toBe('GET, HEAD, POST');
    const onFilter = await raw(api.url + paths.filter('x'), 'POST', headers);
    expect(onFilter.headers.allow).toBe('GET, HEAD, PUT, DELETE');
    const onInvocations = await raw(api.url + paths.invocations(), 'HEAD', headers);
    expect(onInvocations.status).toBe(405);
    expect(onInvocations.headers.allow).toBe('POST');
    const onGuideDelete = await raw(api.url + studio.guideJobs('x'), 'HEAD', headers);
    expect(onGuideDelete.status).toBe(405);
    expect(onGuideDelete.headers.allow).toBe('DELETE');
  });
});
