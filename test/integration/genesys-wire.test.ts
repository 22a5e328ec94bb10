// The shared Genesys client code (src/genesys) against a tiny local HTTP server that answers the
// way a real org may: listings, token endpoint, rate-limit headers. Only loopback.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { RestClient } from '../../src/genesys/rest.js';
import { ApiError } from '../../src/genesys/errors.js';
import { targetVariables } from '../../src/genesys/target.js';
import { openTarget } from '../../src/cli/target.js';
import type { SelectedEnvironment } from '../../src/cli/environments.js';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

let server: Server | undefined;
const clients: RestClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await new Promise<void>((r) => {
    if (!server) return r();
    server.closeAllConnections();
    server.close(() => r());
  });
  server = undefined;
});

/** A server that hands out a token at /oauth/token and passes every other request to `api`. */
async function fakeOrg(api: Handler): Promise<string> {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/oauth/token') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: 'tok-123456', token_type: 'bearer', expires_in: 86400 }));
      return;
    }
    api(req, res, url);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

function client(url: string, extra: Partial<ConstructorParameters<typeof RestClient>[0]> = {}): RestClient {
  const c = new RestClient({ apiUrl: url, loginUrl: url, clientId: 'client-1', clientSecret: 'secret-abcdef', targetLabel: url, backoffBaseMs: 5, backoffCapMs: 20, ...extra });
  clients.push(c);
  return c;
}

/** A create's check for the things these tests make: an object with a string id, holding anything. */
const ANY_THING = {
  shape: { what: 'thing', problem: (e: unknown) => (typeof (e as { id?: unknown }).id === 'string' ? undefined : 'thing without id') },
  holds: () => true,
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

describe('RestClient.listAll', () => {
  // The Platform API's listings (GuideEntityListing, SummarySettingEntityListing, ... in the
  // official SDK) make pageCount and total optional; nextUri says there is more.
  it('follows nextUri when a listing gives no pageCount or total, instead of stopping at page 1', async () => {
    const all = Array.from({ length: 7 }, (_, i) => ({ id: `id-${i}`, name: `n${i}` }));
    const size = 3;
    const url = await fakeOrg((_req, res, u) => {
      const n = Number(u.searchParams.get('pageNumber') ?? '1');
      const entities = all.slice((n - 1) * size, n * size);
      const more = n * size < all.length;
      sendJson(res, 200, { entities, pageSize: size, pageNumber: n, selfUri: u.pathname, ...(more ? { nextUri: `${u.pathname}?pageNumber=${n + 1}` } : {}) });
    });
    const got = await client(url).listAll<{ id: string }>('/api/v2/things', {});
    expect(got.map((e) => e.id)).toEqual(all.map((e) => e.id));
  });

  it('reads total and pageSize when pageCount is absent', async () => {
    const all = Array.from({ length: 5 }, (_, i) => ({ id: `id-${i}`, name: `n${i}` }));
    const url = await fakeOrg((_req, res, u) => {
      const n = Number(u.searchParams.get('pageNumber') ?? '1');
      sendJson(res, 200, { entities: all.slice((n - 1) * 2, n * 2), pageSize: 2, pageNumber: n, total: all.length });
    });
    const got = await client(url).listAll<{ id: string }>('/api/v2/things', {});
    expect(got.map((e) => e.id)).toEqual(all.map((e) => e.id));
  });
});

describe('RestClient.listAll following nextUri', () => {
  // A nextUri is the server's word for where the next page is: one that pages by a cursor
  // (`after=`) was asked for by page number instead, got page 1 again and again, and the walk
  // went on to its bound of 10,000 requests, then planned from the first page alone.
  it('follows a nextUri as written, a cursor included', async () => {
    const all = Array.from({ length: 7 }, (_, i) => ({ id: `id-${i}`, name: `n${i}` }));
    const size = 3;
    let requests = 0;
    const expanded: (string | null)[] = [];
    const url = await fakeOrg((_req, res, u) => {
      requests += 1;
      expanded.push(u.searchParams.get('expand'));
      const at = Number(u.searchParams.get('after') ?? '0');
      const more = at + size < all.length;
      sendJson(res, 200, { entities: all.slice(at, at + size), pageSize: size, ...(more ? { nextUri: `${u.pathname}?pageSize=${size}&after=${at + size}` } : {}) });
    });
    const got = await client(url).listAll<{ id: string }>('/api/v2/things', { expand: 'versions' });
    expect(got.map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(requests).toBe(3);
    // What the call asked for stays asked for on the pages its nextUri names.
    expect(expanded).toEqual(['versions', 'versions', 'versions']);
  });

  it('refuses a listing that says how many pages it has and answers page 1 for each', async () => {
    const first = Array.from({ length: 3 }, (_, i) => ({ id: `id-${i}`, name: `n${i}` }));
    const url = await fakeOrg((_req, res) => sendJson(res, 200, { entities: first, pageSize: 3, pageNumber: 1, pageCount: 3, total: 9 }));
    const err = await client(url).listAll('/api/v2/things', {}).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'unexpected.answer' });
    expect((err as Error).message).toMatch(/^GET \/api\/v2\/things: page 2 of 3 held only entities of the pages before it/);
  });

  it('refuses a listing whose next page repeats what was read, after that page, not 10,000 requests later', async () => {
    const first = Array.from({ length: 3 }, (_, i) => ({ id: `id-${i}`, name: `n${i}` }));
    let requests = 0;
    const url = await fakeOrg((_req, res, u) => {
      requests += 1;
      // Ignores the page asked for: always page 1, always naming page 2.
      sendJson(res, 200, { entities: first, pageSize: 3, nextUri: `${u.pathname}?pageSize=3&pageNumber=2` });
    });
    const err = await client(url).listAll('/api/v2/things', {}).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'unexpected.answer' });
    expect((err as Error).message).toMatch(/^GET \/api\/v2\/things: page 2, read by the nextUri .* held only entities already read/);
    expect(requests).toBe(2);
  });
});

describe('attempt timeouts', () => {
  // got's `timeout.request` spans the whole exchange, body included (got docs, 6-timeout.md): as the
  // only limit it cut off a listing that was still arriving, steadily, after timeoutMs.
  it('lets a slow but steadily arriving listing finish past the attempt timeout', async () => {
    const entities = Array.from({ length: 8 }, (_, i) => ({ id: `id-${i}`, name: `n${i}` }));
    const retries: unknown[] = [];
    const url = await fakeOrg((_req, res) => {
      const text = JSON.stringify({ entities, pageSize: 100, pageNumber: 1, pageCount: 1, total: entities.length });
      const parts = 8;
      const size = Math.ceil(text.length / parts);
      res.writeHead(200, { 'content-type': 'application/json' });
      let i = 0;
      const timer = setInterval(() => {
        res.write(text.slice(i * size, (i + 1) * size));
        if (++i === parts) {
          clearInterval(timer);
          res.end();
        }
      }, 100);
      res.on('close', () => clearInterval(timer));
    });
    const c = client(url, { timeoutMs: 300, maxRetries: 0, onRetry: (r) => retries.push(r) });
    const got = await c.listAll<{ id: string }>('/api/v2/things', {});
    expect(got).toHaveLength(8);
    expect(retries).toEqual([]);
  });

  it('still gives up on an answer that stalls', async () => {
    const url = await fakeOrg((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"entities": ['); // then nothing
    });
    const c = client(url, { timeoutMs: 200, maxRetries: 0 });
    await expect(c.get('/api/v2/things')).rejects.toThrow(/timed out/);
  });
});

describe('a login server that refuses the credentials of an environment (DESIGN §6)', () => {
  it('names the environment\'s own variables, not GENESYSCLOUD_*', async () => {
    server = createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_client', description: 'authentication failed', error_description: 'authentication failed' }));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
    const environment = { name: 'prod', spec: { name: 'prod', vars: targetVariables('GC_PROD') }, stateFile: 'unused' } as unknown as SelectedEnvironment;
    const env = { GC_PROD_API_URL: url, GC_PROD_OAUTHCLIENT_ID: 'prod-client', GC_PROD_OAUTHCLIENT_SECRET: 'prod-secret-value' };
    const target = await openTarget({ cwd: '/nonexistent', env, track: () => {}, environment });
    try {
      const err = await target.api.listFilters().then(() => undefined, (e: unknown) => e as Error);
      expect(err?.message).toContain('check GC_PROD_OAUTHCLIENT_ID and GC_PROD_OAUTHCLIENT_SECRET');
      expect(err?.message).not.toContain('GENESYSCLOUD_');
      expect(err?.message).not.toContain('prod-secret-value');
    } finally {
      await target.close();
    }
  });
});

describe('a proxy that never answers the tunnel request', () => {
  // got's phase timeouts start once the agent hands over a socket; through a proxy that is only
  // after CONNECT is answered, so a silent proxy was bounded by the whole call's budget alone.
  it('fails the attempt within the attempt timeout, not the call budget', async () => {
    const { createServer: createTcp } = await import('node:net');
    const held: import('node:net').Socket[] = [];
    const silent = createTcp((s) => held.push(s)); // accepts, reads nothing, answers nothing
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const port = (silent.address() as AddressInfo).port;
      const c = client('https://api.example.invalid', { timeoutMs: 200, retryBudgetMs: 20_000, maxRetries: 0, proxy: { https: `http://127.0.0.1:${port}` } });
      const started = Date.now();
      await expect(c.get('/api/v2/things')).rejects.toThrow(/timed out/);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      for (const s of held) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  }, 30_000);
});

describe('compressed answers', () => {
  // A plan reads every page of an org's listings: gzip sends a fifteenth of the bytes.
  it('asks for gzip and reads a gzip answer', async () => {
    const asked: (string | undefined)[] = [];
    const url = await fakeOrg((req, res) => {
      asked.push(req.headers['accept-encoding']);
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify({ entities: [{ id: 'a', name: 'ä' }], pageSize: 100, pageNumber: 1, pageCount: 1 })));
    });
    expect(await client(url).listAll<{ id: string; name: string }>('/api/v2/things', {})).toEqual([{ id: 'a', name: 'ä' }]);
    expect(asked).toEqual(['gzip']);
  });

  // A proxy that decodes an answer and keeps its Content-Encoding (the tests' own recording proxy did).
  const misencoded = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'content-encoding': 'gzip', ...headers });
    res.end(JSON.stringify(body));
  };

  // The pacer counts a request in flight until it is answered; a gzip body is decoded after that
  // (on zlib's pool), and an answer read meanwhile must not count the decoded one a second time.
  it('does not count an answered request against the window while its body is decoded', async () => {
    const waiting: ServerResponse[] = [];
    let count = 0;
    const answer = (res: ServerResponse) => {
      count++;
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'inin-ratelimit-count': String(count), 'inin-ratelimit-allowed': '3', 'inin-ratelimit-reset': '3600' });
      res.end(gzipSync(JSON.stringify({ n: count, pad: 'x'.repeat(50_000) })));
    };
    const url = await fakeOrg((_req, res) => {
      if (count >= 2) return answer(res);
      // The first two are answered together: the second answer arrives while the first decodes.
      waiting.push(res);
      if (waiting.length === 2) for (const w of waiting.splice(0)) answer(w);
    });
    const c = client(url);
    await Promise.all([c.get('/api/v2/one'), c.get('/api/v2/two')]);
    // One request of the window's three is left: it goes now, not after the window's hour.
    const third = c.get<{ n: number }>('/api/v2/three');
    let guard: NodeJS.Timeout | undefined;
    const late = new Promise<'held'>((resolve) => (guard = setTimeout(() => resolve('held'), 10_000)));
    expect(await Promise.race([third, late])).toMatchObject({ n: 3 });
    clearTimeout(guard);
  });

  it('asks a read again when its 2xx body cannot be decoded (damaged on the way: a GET is safe to repeat), and past the retries says why', async () => {
    let asked = 0;
    const url = await fakeOrg((_req, res) => {
      asked++;
      misencoded(res, 200, { not: 'gzip' });
    });
    const err = (await client(url, { maxRetries: 2 }).get('/api/v2/things').catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(200);
    expect(err.message).toMatch(/^GET \/api\/v2\/things failed: 200 http\.200: OK \(the answer's gzip body could not be decoded: incorrect header check\) \(correlation id [^)]+\); gave up after 3 attempts/);
    expect(err.message).not.toMatch(/not sent again/);
    expect(asked).toBe(3);
  });

  it('never asks a read again whose 2xx body is in a coding promptctl cannot read: it would be so again', async () => {
    let asked = 0;
    const url = await fakeOrg((_req, res) => {
      asked++;
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'zstd-future' });
      res.end('{}');
    });
    const err = (await client(url).get('/api/v2/things').catch((e: unknown) => e)) as ApiError;
    expect(err.message).toMatch(/encoded as "zstd-future", which promptctl cannot read\).*answered 200; not sent again/);
    expect(asked).toBe(1);
  });

  it('judges an error answer whose body cannot be decoded by its status: a 429 waits its Retry-After, a 404 is absent', async () => {
    const times: number[] = [];
    const url = await fakeOrg((req, res) => {
      if (req.url?.startsWith('/api/v2/gone')) return misencoded(res, 404, { code: 'not.found' });
      times.push(Date.now());
      if (times.length === 1) return misencoded(res, 429, { code: 'too.many.requests' }, { 'retry-after': '1' });
      sendJson(res, 200, { id: 'a' });
    });
    const c = client(url);
    expect(await c.get('/api/v2/things')).toEqual({ id: 'a' });
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(900);
    expect(await c.getIfExists('/api/v2/gone')).toBeUndefined();
  });

  /** An org whose POST makes the object and answers 201 unreadably; its listing shows the object once `listed`. */
  const unreadCreate = async (listed: boolean) => {
    const seen = { posts: 0 };
    const url = await fakeOrg((req, res) => {
      if (req.method === 'POST') {
        seen.posts++;
        return misencoded(res, 201, { id: 'made', name: 'n' });
      }
      sendJson(res, 200, { entities: listed ? [{ id: 'made', name: 'n' }] : [], pageSize: 100, pageNumber: 1, pageCount: 1 });
    });
    return { c: client(url), seen };
  };

  it('a write answered 201 with a body it cannot decode, its object not yet listed, ends of unknown outcome, not as failed', async () => {
    const { c, seen } = await unreadCreate(false);
    const err = (await c
      .createNamed<{ id: string }>('/api/v2/things', { name: 'n' }, 'thing', async () => undefined, ANY_THING)
      .catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(201);
    expect(err.outcomeUnknown).toBe(true);
    expect(seen.posts).toBe(1);
  });

  it('reads for its own object after an unreadable refusal that follows an attempt of unknown outcome', async () => {
    let posts = 0;
    let reads = 0;
    const url = await fakeOrg((req, res) => {
      if (req.method === 'POST') {
        posts++;
        // The first lands but its answer is a 503; the resend meets the name the first took.
        if (posts === 1) return sendJson(res, 503, { code: 'service.unavailable', message: 'try again' });
        return misencoded(res, 409, { code: 'duplicate.name', message: 'taken' });
      }
      reads++;
      // The read before the resend comes too early to list it.
      sendJson(res, 200, { entities: reads === 1 ? [] : [{ id: 'made', name: 'n' }], pageSize: 100, pageNumber: 1, pageCount: 1 });
    });
    const c = client(url);
    const made = await c.createNamed<{ id: string }>('/api/v2/things', { name: 'n' }, 'thing', async () => (await c.listAll<{ id: string; name: string }>('/api/v2/things', {})).find((t) => t.name === 'n'), ANY_THING);
    expect(made).toEqual({ id: 'made', name: 'n' });
    expect([posts, reads]).toEqual([2, 2]);
  });

  it('reads for a write answered 201 with a body it cannot decode instead of sending it again', async () => {
    const { c, seen } = await unreadCreate(true);
    const made = await c.createNamed<{ id: string }>('/api/v2/things', { name: 'n' }, 'thing', async () => (await c.listAll<{ id: string; name: string }>('/api/v2/things', {})).find((t) => t.name === 'n'), ANY_THING);
    expect(made).toEqual({ id: 'made', name: 'n' });
    expect(seen.posts).toBe(1);
  });

});

// A connection refused after the org has answered this run is an outage (a restart), not a wrong
// URL: it was retried only three times, quickly, so an org back within seconds failed an apply.
describe('a connection refused', () => {
  async function restartable() {
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      if ((req.url ?? '').startsWith('/oauth/token')) return sendJson(res, 200, { access_token: 'tok-123456', token_type: 'bearer', expires_in: 86400 });
      sendJson(res, 200, { id: 'x', name: 'x' });
    };
    let s = createServer(handler);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    const stop = async () => {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    };
    return {
      url: `http://127.0.0.1:${port}`,
      stop,
      /** Listens again on the same port. */
      async start() {
        s = createServer(handler);
        await new Promise<void>((r) => s.listen(port, '127.0.0.1', r));
      },
      close: stop,
    };
  }

  it('once the org has answered this run, is retried through a restart (five refusals)', async () => {
    const org = await restartable();
    let refusals = 0;
    const c = client(org.url, {
      onRetry: (info) => {
        if (info.code !== 'ECONNREFUSED') return;
        // Back after the fifth refusal: more than the three a URL that never answered gets.
        if (++refusals === 5) void org.start();
      },
    });
    try {
      await c.get('/api/v2/llmgateway/prompttemplates/x');
      await org.stop();
      await expect(c.get('/api/v2/llmgateway/prompttemplates/x')).resolves.toMatchObject({ id: 'x' });
      // Listening again takes a lookup: a retry may still meet one more refusal.
      expect(refusals).toBeGreaterThanOrEqual(5);
      expect(refusals).toBeLessThanOrEqual(8);
    } finally {
      await org.close();
    }
  });

  it('from a URL that never answered, fails after three quick retries', async () => {
    const org = await restartable();
    await org.stop();
    let refusals = 0;
    const c = client(org.url, { onRetry: (info) => void (info.code === 'ECONNREFUSED' && refusals++) });
    await expect(c.get('/api/v2/llmgateway/prompttemplates/x')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(refusals).toBe(3);
  });

  it('from an API URL that never answered, fails after three quick retries though the login host answered', async () => {
    const login = await restartable();
    const api = await restartable();
    await api.stop();
    let refusals = 0;
    const c = client(api.url, { loginUrl: login.url, onRetry: (info) => void (info.code === 'ECONNREFUSED' && refusals++) });
    try {
      await expect(c.get('/api/v2/llmgateway/prompttemplates/x')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      expect(refusals).toBe(3);
    } finally {
      await login.close();
    }
  });
});
