// Rate limiting and seeded fault injection over real HTTP; dropped-after writes are checked on disk.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { paths } from '../../src/targets/llmgateway/paths.js';
import { startEmulator } from '../../src/emulator/server.js';
import { FAULT_KINDS, FaultInjector } from '../../src/emulator/limits.js';
import { Api, boot } from './emulator-fixture.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-faults-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('rate limit', () => {
  it('429 too.many.requests with Retry-After once a token spends its budget; other tokens are unaffected', async () => {
    const { em, api } = await boot({ rateLimit: 5 });
    try {
      for (let i = 1; i <= 5; i++) {
        const r = await api.get(paths.templates());
        expect(r.status).toBe(200);
        expect(r.headers.get('inin-ratelimit-count')).toBe(String(i));
        expect(r.headers.get('inin-ratelimit-allowed')).toBe('5');
      }
      const limited = await api.get(paths.templates());
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ code: 'too.many.requests', status: 429 });
      expect(limited.body.contextId).toBe(limited.headers.get('inin-correlation-id'));
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(limited.headers.get('inin-ratelimit-count')).toBe('5');
      expect(limited.headers.get('inin-ratelimit-allowed')).toBe('5');
      expect(limited.headers.get('inin-ratelimit-reset')).toBe(String(retryAfter));
      // Writes are limited too, and a refused write does nothing.
      expect((await api.post(paths.templates(), { name: 'not-created', model: 'gpt-4o' })).status).toBe(429);

      const other = new Api(em.url);
      await other.login();
      expect((await other.get(`${paths.templates()}?name=not-created`)).body.total).toBe(0);
      expect(em.stats().rateLimited).toBe(2);
    } finally {
      await em.close();
    }
  });
});

describe('faults', () => {
  /** The fault sequence a seed produces, computed with the emulator's own injector. */
  function predicted(seed: number, rate: number, n: number): Array<string | undefined> {
    const f = new FaultInjector(rate, seed);
    return Array.from({ length: n }, () => f.next());
  }

  type Outcome = { kind: 'http'; status: number; code: string; retryAfter: string | null } | { kind: 'dropped' } | { kind: 'ok'; status: number };

  async function create(api: Api, name: string): Promise<Outcome> {
    try {
      const r = await api.post(paths.templates(), { name, model: 'gpt-4o' });
      if (r.status >= 500) return { kind: 'http', status: r.status, code: r.body.code, retryAfter: r.headers.get('retry-after') };
      return { kind: 'ok', status: r.status };
    } catch {
      return { kind: 'dropped' };
    }
  }

  it('with rate 1, every API call fails as the seed says; only drop-after writes are stored', async () => {
    const seed = 4242;
    const n = 30;
    const expected = predicted(seed, 1, n);
    expect(new Set(expected)).toEqual(new Set(FAULT_KINDS)); // the seed exercises every kind

    const stateFile = join(dir, 'state.json');
    const { em, api } = await boot({ stateFile, faultRate: 1, seed }); // /oauth/token is never faulted
    const outcomes: Outcome[] = [];
    try {
      for (let i = 0; i < n; i++) outcomes.push(await create(api, `fault-${String(i).padStart(2, '0')}`));
      const counts = em.stats().faults;
      for (const k of FAULT_KINDS) expect(counts[k]).toBe(expected.filter((e) => e === k).length);
    } finally {
      await em.close();
    }

    outcomes.forEach((o, i) => {
      const kind = expected[i];
      if (kind === '500') expect(o).toEqual({ kind: 'http', status: 500, code: 'internal.server.error', retryAfter: null });
      else if (kind === '502') expect(o).toMatchObject({ kind: 'http', status: 502 });
      else if (kind === '503') expect(o).toEqual({ kind: 'http', status: 503, code: 'service.unavailable', retryAfter: '1' });
      else expect(o).toEqual({ kind: 'dropped' });
    });

    // Restart on the same state without faults: exactly the drop-after creates happened.
    const again = await startEmulator({ stateFile });
    try {
      const a = new Api(again.url);
      await a.login();
      const stored = (await a.get(`${paths.templates()}?pageSize=100`)).body.entities.map((t: { name: string }) => t.name);
      const doneAfterDrop = expected.flatMap((k, i) => (k === 'drop-after' ? [`fault-${String(i).padStart(2, '0')}`] : []));
      expect(doneAfterDrop.length).toBeGreaterThan(0);
      expect(stored).toEqual(doneAfterDrop);
    } finally {
      await again.close();
    }
  });

  it('a partial rate faults that share of calls, the same ones for the same seed', async () => {
    const run = async (): Promise<string[]> => {
      const { em, api } = await boot({ faultRate: 0.3, seed: 7, rateLimit: 10_000 });
      try {
        const seen: string[] = [];
        for (let i = 0; i < 40; i++) {
          try {
            const r = await api.get(paths.filters());
            seen.push(String(r.status));
          } catch {
            seen.push('dropped');
          }
        }
        return seen;
      } finally {
        await em.close();
      }
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    const failures = first.filter((s) => s !== '200').length;
    expect(failures).toBe(predicted(7, 0.3, 40).filter(Boolean).length);
    expect(failures).toBeGreaterThan(0);
    expect(failures).toBeLessThan(40);
  });

  it('faultKinds draws from those kinds alone, every one of them', async () => {
    const stateFile = join(dir, 'kinds.json');
    const { em, api } = await boot({ stateFile, faultRate: 1, faultKinds: ['502', 'drop-before'], seed: 4242 });
    const outcomes: Outcome[] = [];
    try {
      for (let i = 0; i < 20; i++) outcomes.push(await create(api, `kinds-${i}`));
    } finally {
      await em.close();
    }
    expect(new Set(outcomes.map((o) => (o.kind === 'http' ? o.status : o.kind)))).toEqual(new Set([502, 'dropped']));
  });

  it('latency delays API calls but the answers are the same', async () => {
    const { em, api } = await boot({ latencyMs: 20 });
    try {
      const id = await api.template('slow-one');
      expect((await api.get(paths.template(id))).body.name).toBe('slow-one');
      expect(em.stats().requests).toBe(3);
    } finally {
      await em.close();
    }
  });
});
