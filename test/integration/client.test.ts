// The production client against the real emulator over HTTP: every resource, pagination,
// error mapping, and token lifecycle.
import { afterEach, describe, expect, it } from 'vitest';
import { readLiveState } from '../../src/targets/live.js';
import { versionContentHash } from '../../src/targets/llmgateway/wire.js';
import { filterBody, rejection, setup, versionBody, type Env } from './client-support.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe('client CRUD over HTTP', () => {
  it('templates: create, read, list by name, update with version, stale update, delete', async () => {
    env = await setup();
    const c = env.client();
    const t = await c.createTemplate({ name: 'billing', description: 'Billing help', model: 'gpt-4o', labels: { team: 'billing' } });
    expect(t).toMatchObject({ name: 'billing', model: 'gpt-4o', labels: { team: 'billing' }, version: 1 });
    expect(await c.getTemplate(t.id)).toMatchObject({ id: t.id, name: 'billing' });
    await c.createTemplate({ name: 'billing-2', model: 'gpt-4o-mini' });
    expect((await c.listTemplates({ name: 'billing' })).map((x) => x.id)).toEqual([t.id]);
    expect((await c.listTemplates()).map((x) => x.name)).toEqual(['billing', 'billing-2']);

    const u = await c.updateTemplate(t.id, { name: 'billing', model: 'gpt-4o-mini', labels: {}, version: 1 });
    expect(u).toMatchObject({ model: 'gpt-4o-mini', version: 2, labels: {} });

    const stale = await rejection(c.updateTemplate(t.id, { name: 'billing', model: 'gpt-4o', version: 1 }));
    expect(stale).toMatchObject({ status: 409, code: 'version.mismatch', method: 'PUT', path: `/api/v2/llmgateway/prompttemplates/${t.id}` });
    expect(stale.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(stale.message).toContain('409 version.mismatch');
    expect(stale.message).toContain(stale.correlationId!);

    const dup = await rejection(c.createTemplate({ name: 'billing', model: 'gpt-4o' }));
    expect(dup).toMatchObject({ status: 409, code: 'duplicate.name', method: 'POST' });

    await c.deleteTemplate(t.id);
    expect(await rejection(c.getTemplate(t.id))).toMatchObject({ status: 404, code: 'not.found' });
    expect(await rejection(c.deleteTemplate(t.id))).toMatchObject({ status: 404, code: 'not.found' });
  });

  it('versions: create Draft, patch, publish through a job, immutability, delete', async () => {
    env = await setup({ publishDelayMs: 150 });
    const c = env.client();
    const t = await c.createTemplate({ name: 'support', model: 'gpt-4o' });
    const body = versionBody('1.0.0');
    const v = await c.createVersion(t.id, body);
    expect(v).toMatchObject({ version: '1.0.0', state: 'Draft', contentHash: versionContentHash(body) });

    const patched = await c.patchVersion(t.id, '1.0.0', { temperature: 0.7 });
    expect(patched.temperature).toBe(0.7);
    expect(patched.contentHash).toBe(versionContentHash({ ...body, temperature: 0.7 }));

    const exists = await rejection(c.createVersion(t.id, body));
    expect(exists).toMatchObject({ status: 409, code: 'version.exists' });
    const invalid = await rejection(c.createVersion(t.id, versionBody('1.1.0', { userTemplate: 'uses {{other}}' })));
    expect(invalid).toMatchObject({ status: 400, code: 'invalid.variables' });

    const job = await c.publishVersion(t.id, '1.0.0');
    expect(job.status).toBe('Succeeded');
    expect((await c.getVersion(t.id, '1.0.0')).state).toBe('Published');
    const immutable = await rejection(c.patchVersion(t.id, '1.0.0', { temperature: 1 }));
    expect(immutable).toMatchObject({ status: 409, code: 'version.immutable', method: 'PATCH' });

    await c.createVersion(t.id, versionBody('1.1.0'));
    expect((await c.listVersions(t.id)).map((x) => [x.version, x.state])).toEqual([
      ['1.0.0', 'Published'],
      ['1.1.0', 'Draft'],
    ]);
    await c.deleteVersion(t.id, '1.1.0');
    expect((await c.listVersions(t.id)).map((x) => x.version)).toEqual(['1.0.0']);
  });

  it('publish: a version deleted while its job runs is reported, not waited for', async () => {
    // The job never finishes on its own during the test: only the delete can end it.
    env = await setup({ publishDelayMs: 600_000 });
    let jobStarted!: () => void;
    const started = new Promise<void>((r) => (jobStarted = r));
    const c = env.client({ onResponse: (r) => r.method === 'POST' && r.path.endsWith('/jobs') && r.status === 202 && jobStarted() });
    const t = await c.createTemplate({ name: 'doomed', model: 'gpt-4o' });
    await c.createVersion(t.id, versionBody('1.0.0'));
    const publishing = c.publishVersion(t.id, '1.0.0');
    await started; // the server has answered the job's POST: the job runs
    await c.deleteVersion(t.id, '1.0.0');
    const err = await rejection(publishing);
    expect(err).toMatchObject({ status: 404, code: 'not.found' });
    expect(err.message).toMatch(/was deleted while it was being published/);
  });

  it('traffic: none → put → read back; a stale version is a clean 409', async () => {
    env = await setup();
    const c = env.client();
    const t = await c.createTemplate({ name: 'ab-test', model: 'gpt-4o' });
    expect(await c.getTraffic(t.id)).toBeNull();
    for (const label of ['1.0.0', '1.1.0']) {
      await c.createVersion(t.id, versionBody(label));
      await c.publishVersion(t.id, label);
    }
    const split = await c.putTraffic(t.id, {
      strategy: 'sticky',
      stickyKey: 'conversationId',
      routes: [
        { version: '1.0.0', weight: 90 },
        { version: '1.1.0', weight: 10 },
      ],
      version: 0,
    });
    expect(split).toMatchObject({ version: 1, strategy: 'sticky' });
    expect(await c.getTraffic(t.id)).toMatchObject({ version: 1, routes: split.routes });
    const stale = await rejection(c.putTraffic(t.id, { strategy: 'random', routes: [{ version: '1.1.0', weight: 100 }], version: 0 }));
    expect(stale).toMatchObject({ status: 409, code: 'version.mismatch' });
    const bad = await rejection(c.putTraffic(t.id, { strategy: 'random', routes: [{ version: '1.1.0', weight: 50 }], version: 1 }));
    expect(bad).toMatchObject({ status: 400, code: 'invalid.traffic' });
    const inUse = await rejection(c.deleteVersion(t.id, '1.0.0'));
    expect(inUse).toMatchObject({ status: 409, code: 'version.in.use' });
  });

  it('safety filters: create, list, get, update, conflicts, delete', async () => {
    env = await setup();
    const c = env.client();
    const f = await c.createFilter(filterBody('pii-guard', 10));
    expect(f).toMatchObject({ name: 'pii-guard', priority: 10, enabled: true, version: 1 });
    await c.createFilter(filterBody('violence-guard', 20, { enabled: false }));
    expect((await c.listFilters()).map((x) => x.name).sort()).toEqual(['pii-guard', 'violence-guard']);
    expect(await c.getFilter(f.id)).toMatchObject({ id: f.id });
    const u = await c.updateFilter(f.id, { ...filterBody('pii-guard', 11), version: 1 });
    expect(u).toMatchObject({ priority: 11, version: 2 });
    expect(await rejection(c.createFilter(filterBody('other', 11)))).toMatchObject({ status: 409, code: 'priority.conflict' });
    expect(await rejection(c.createFilter(filterBody('pii-guard', 12)))).toMatchObject({ status: 409, code: 'duplicate.name' });
    await c.deleteFilter(f.id);
    expect((await c.listFilters()).map((x) => x.name)).toEqual(['violence-guard']);
  });
});

describe('hooks', () => {
  it('onResponse reports every API response with its correlation id, in the caller’s async context', async () => {
    env = await setup();
    const { AsyncLocalStorage } = await import('node:async_hooks');
    const als = new AsyncLocalStorage<string>();
    const seen: Array<{ ctx: string | undefined; method: string; status: number; correlationId: string }> = [];
    const c = env.client({ onResponse: (i) => seen.push({ ctx: als.getStore(), method: i.method, status: i.status, correlationId: i.correlationId }) });
    const t = await als.run('create', () => c.createTemplate({ name: 'hooked', model: 'gpt-4o' }));
    const err = await als.run('read', () => rejection(c.getTemplate('no-such-id')));
    expect(seen.map((s) => [s.ctx, s.method, s.status])).toEqual([
      ['create', 'POST', 201],
      ['read', 'GET', 404],
    ]);
    expect(seen[1]!.correlationId).toBe(err.correlationId);
    expect(t.name).toBe('hooked');
  });
});

describe('listings', () => {
  it('reads all 250 templates: page 1, then the other pages concurrently', async () => {
    env = await setup();
    const c = env.client();
    const names = Array.from({ length: 250 }, (_, i) => `tpl-${String(i).padStart(3, '0')}`);
    await Promise.all(names.map((name) => c.createTemplate({ name, model: 'gpt-4o' })));
    const before = c.stats.requests;
    const all = await c.listTemplates();
    expect(c.stats.requests - before).toBe(3); // ceil(250 / 100) pages
    expect(all.map((t) => t.name).sort()).toEqual(names);
    expect(new Set(all.map((t) => t.id)).size).toBe(250);
  });

  it('readLiveState expands versions and traffic in a handful of calls', async () => {
    env = await setup();
    const c = env.client();
    for (let i = 0; i < 30; i++) {
      const t = await c.createTemplate({ name: `live-${i}`, model: 'gpt-4o' });
      if (i % 3 === 0) {
        await c.createVersion(t.id, versionBody('1.0.0'));
        await c.publishVersion(t.id, '1.0.0');
        await c.putTraffic(t.id, { strategy: 'random', routes: [{ version: '1.0.0', weight: 100 }], version: 0 });
      }
    }
    await c.createFilter(filterBody('guard', 1));
    const before = c.stats.requests;
    const live = await readLiveState({ gateway: c });
    expect(c.stats.requests - before).toBe(2);
    expect(live.templates).toHaveLength(30);
    expect(live.filters.map((f) => f.name)).toEqual(['guard']);
    const routed = live.templates.filter((t) => t.traffic);
    expect(routed).toHaveLength(10);
    for (const t of routed) expect(t.versions?.map((v) => v.state)).toEqual(['Published']);
    for (const t of live.templates.filter((x) => !x.traffic)) {
      expect(t.traffic).toBeNull();
      expect(t.versions).toEqual([]);
    }
  });
});

describe('tokens', () => {
  it('fetches one token lazily, shared by concurrent first calls', async () => {
    env = await setup();
    const c = env.client();
    expect(c.stats.requests).toBe(0);
    await Promise.all(Array.from({ length: 12 }, () => c.listFilters()));
    expect(c.stats.requests).toBe(12 + 1);
  });

  it('renews the token before it expires', async () => {
    // One clock for server and client, moved by hand: the token's lifetime passes without a wait.
    let now = Date.now();
    const clock = (): number => now;
    env = await setup({ tokenTtlSeconds: 1, now: clock });
    const c = env.client({ tokenClock: clock });
    await c.listFilters();
    now += 1100; // let the token's lifetime pass
    await c.listFilters();
    expect(c.stats).toMatchObject({ requests: 2 + 2, retries: 0 }); // two calls, two tokens, no 401
  });

  it('re-authenticates once when the server forgets its tokens, for all waiting calls together', async () => {
    env = await setup();
    const reasons: string[] = [];
    const c = env.client({ onRetry: (i) => reasons.push(i.reason) });
    const t = await c.createTemplate({ name: 'survivor', model: 'gpt-4o' });
    // A new server on the same port with fresh state: the client's token means nothing to it.
    await env.restart({ stateFile: `${env.dir}/fresh.json` });
    await expect(c.getTemplate(t.id)).rejects.toMatchObject({ status: 404 });
    expect(reasons).toEqual(['token refused (401), re-authenticating']);
    await env.restart({ stateFile: `${env.dir}/fresh2.json` });
    const before = c.stats.requests;
    await Promise.all(Array.from({ length: 6 }, () => c.listTemplates()));
    expect(c.stats.requests - before).toBe(6 * 2 + 1); // each call: refused + resent; one new token
  });

  it('a token refused twice in a row is an error, not a loop', async () => {
    env = await setup({ tokenTtlSeconds: 0 });
    const c = env.client();
    const err = await rejection(c.listFilters());
    expect(err).toMatchObject({ status: 401, code: 'bad.credentials' });
    expect(c.stats.retries).toBe(1);
  });
});
