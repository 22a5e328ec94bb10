// Rate limiting and seeded fault injection over real HTTP; dropped-after writes are checked on disk,
// and invocations a fault answered are counted by the analytics, as errors of the version routed to.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { paths } from '../../src/targets/llmgateway/paths.js';
import { startEmulator } from '../../src/emulator/server.js';
import { FAULT_KINDS, FaultInjector } from '../../src/emulator/limits.js';
import { stickyPoint } from '../../src/emulator/invocations.js';
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

  it('an invocation a 5xx fault answers counts in the analytics as an error of the version it was routed to', async () => {
    // Set up without faults, invoke under nothing but 5xx faults, then count without faults again.
    const stateFile = join(dir, 'invocations.json');
    const ids: Record<string, string> = {};
    const setup = await boot({ stateFile, publishDelayMs: 1 });
    try {
      for (const name of ['sticky-bot', 'coin-bot']) {
        ids[name] = await setup.api.template(name);
        for (const label of ['1.0.0', '1.1.0']) {
          await setup.api.version(ids[name]!, label);
          await setup.api.publish(ids[name]!, label);
        }
        const strategy = name === 'sticky-bot' ? 'sticky' : 'random';
        const split = await setup.api.put(paths.traffic(ids[name]!), { strategy, ...(strategy === 'sticky' ? { stickyKey: 'conversationId' } : {}), routes: [{ version: '1.0.0', weight: 50 }, { version: '1.1.0', weight: 50 }], version: 0 });
        expect(split.status).toBe(200);
      }
      await setup.api.version(ids['sticky-bot']!, '2.0.0'); // a Draft: a call pinned to it cannot be routed
    } finally {
      await setup.em.close();
    }

    const vars = { customer: 'Ada', question: 'Why?' };
    const keys = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'];
    const stickyVersion = (key: string): string => (stickyPoint(ids['sticky-bot']!, key) < 50 ? '1.0.0' : '1.1.0');
    expect(new Set(keys.map(stickyVersion))).toEqual(new Set(['1.0.0', '1.1.0'])); // both routes are exercised
    const calls = [
      ...[1, 2, 3].map(() => ({ template: 'sticky-bot', version: '1.1.0', variables: vars })),
      ...keys.map((routingKey) => ({ template: 'sticky-bot', routingKey, variables: vars })),
      ...[1, 2, 3, 4, 5, 6].map(() => ({ template: 'coin-bot', variables: vars })),
      { template: 'ghost-bot', variables: vars },
      { template: 'sticky-bot', version: '2.0.0', variables: vars },
    ];
    const faulty = await boot({ stateFile, faultRate: 1, faultKinds: ['500', '502', '503'], seed: 11 });
    try {
      for (const body of calls) {
        const r = await faulty.api.post(paths.invocations(), body);
        expect([500, 502, 503]).toContain(r.status);
        expect(r.headers.get('retry-after')).toBe(r.status === 503 ? '1' : null); // answered as the fault, not the handler's refusal
      }
      expect(Object.values(faulty.em.stats().faults).reduce((a, b) => a + b, 0)).toBe(calls.length);
    } finally {
      await faulty.em.close();
    }

    const counting = await boot({ stateFile });
    try {
      const interval = `${new Date(Date.now() - 3_600_000).toISOString()}/${new Date(Date.now() + 60_000).toISOString()}`;
      const r = await counting.api.post(paths.analytics(), { interval, groupBy: ['templateId', 'version'], metrics: ['nInvocations', 'nErrors'] });
      expect(r.status).toBe(200);
      const counted: Record<string, { calls: number; errors: number }> = {};
      for (const g of r.body.results as Array<{ group: { templateId?: string; version?: string }; data: Array<{ metrics: Array<{ metric: string; stats: { count: number } }> }> }>) {
        const name = Object.keys(ids).find((n) => ids[n] === g.group.templateId) ?? '(none)';
        const m = Object.fromEntries(g.data.flatMap((d) => d.metrics).map((x) => [x.metric, x.stats.count]));
        counted[`${name}@${g.group.version ?? '(none)'}`] = { calls: m['nInvocations']!, errors: m['nErrors']! };
      }
      const sticky = (v: string): number => keys.filter((k) => stickyVersion(k) === v).length;
      expect(counted['sticky-bot@1.0.0']).toEqual({ calls: sticky('1.0.0'), errors: sticky('1.0.0') });
      expect(counted['sticky-bot@1.1.0']).toEqual({ calls: 3 + sticky('1.1.0'), errors: 3 + sticky('1.1.0') });
      // The pinned Draft resolves the template, not a version; the unknown template neither.
      expect(counted['sticky-bot@(none)']).toEqual({ calls: 1, errors: 1 });
      expect(counted['(none)@(none)']).toEqual({ calls: 1, errors: 1 });
      // The random split routes each faulted call to one of its versions.
      const coin = ['1.0.0', '1.1.0'].map((v) => counted[`coin-bot@${v}`] ?? { calls: 0, errors: 0 });
      expect(coin.reduce((a, c) => a + c.errors, 0)).toBe(6);
      expect(coin.map((c) => c.calls)).toEqual(coin.map((c) => c.errors));
      expect(Object.values(counted).reduce((a, c) => a + c.calls, 0)).toBe(calls.length); // each counted once
    } finally {
      await counting.em.close();
    }
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
