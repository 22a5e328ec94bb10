// The client under the injected faults it retries (502, 503 + Retry-After, connection dropped
// before the work, connection dropped after the work was stored; a 500 is not retried:
// client-server-error.test.ts): every write lands exactly once, and a retried PUT never reports
// its own earlier success as a conflict.
import { afterEach, describe, expect, it } from 'vitest';
import type { RetryInfo } from '../../src/targets/llmgateway/client.js';
import { readLiveState } from '../../src/targets/live.js';
import type { WireTemplate } from '../../src/targets/llmgateway/wire.js';
import { filterBody, setup, startRecordingProxy, versionBody, type Env } from './client-support.js';
import { RETRIED_FAULTS } from '../helpers/emulator.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const N = 24;
const names = Array.from({ length: N }, (_, i) => `faulty-${String(i).padStart(2, '0')}`);

describe('client under faultRate 0.3', () => {
  it('creates, publishes, updates and deletes exactly once, with no false conflicts', { timeout: 180_000 }, async () => {
    env = await setup({ faultRate: 0.3, faultKinds: RETRIED_FAULTS, seed: 20240601, publishDelayMs: 20, rateLimit: 100_000 });
    const retries: RetryInfo[] = [];
    const wire = await startRecordingProxy(() => env!.emulator.url);
    const c = env.client({ apiUrl: wire.url, loginUrl: wire.url, onRetry: (i) => retries.push(i) });

    const templates = await Promise.all(
      names.map((name) => c.createTemplate({ name, model: 'gpt-4o', labels: { 'managed-by': 'promptctl' } })),
    );
    const filters = await Promise.all(names.map((name, i) => c.createFilter(filterBody(`guard-${name}`, i + 1))));

    await Promise.all(
      templates.map(async (t) => {
        await c.createVersion(t.id, versionBody('1.0.0'));
        await c.publishVersion(t.id, '1.0.0');
        await c.createVersion(t.id, versionBody('1.1.0'));
        await c.patchVersion(t.id, '1.1.0', { temperature: 0.9 });
        await c.publishVersion(t.id, '1.1.0');
        await c.createVersion(t.id, versionBody('2.0.0-rc.1'));
        await c.deleteVersion(t.id, '2.0.0-rc.1');
        let split = await c.putTraffic(t.id, {
          strategy: 'random',
          routes: [
            { version: '1.0.0', weight: 50 },
            { version: '1.1.0', weight: 50 },
          ],
          version: 0,
        });
        split = await c.putTraffic(t.id, {
          strategy: 'random',
          routes: [
            { version: '1.0.0', weight: 20 },
            { version: '1.1.0', weight: 80 },
          ],
          version: split.version,
        });
        let current: WireTemplate = t;
        for (let round = 1; round <= 3; round++) {
          current = await c.updateTemplate(t.id, {
            name: t.name,
            model: 'gpt-4o',
            labels: { 'managed-by': 'promptctl', round: String(round) },
            version: current.version,
          });
        }
      }),
    );
    await Promise.all(
      filters.map(async (f, i) => {
        let current = f;
        for (let round = 1; round <= 2; round++) {
          current = await c.updateFilter(f.id, { ...filterBody(f.name, i + 1, { description: `round ${round}` }), version: current.version });
        }
      }),
    );
    const doomed = await Promise.all(names.slice(0, 6).map((name) => c.createTemplate({ name: `${name}-tmp`, model: 'gpt-4o' })));
    await Promise.all(doomed.map((t) => c.deleteTemplate(t.id)));

    // Every kind of fault happened, and the client recovered from both 5xx and dropped connections on writes.
    const faults = env.emulator.stats().faults;
    for (const kind of RETRIED_FAULTS) expect(faults[kind], kind).toBeGreaterThan(0);
    for (const method of ['POST', 'PUT']) {
      expect(retries.some((r) => r.method === method && r.code === 'ECONNRESET'), `${method} after a dropped connection`).toBe(true);
      expect(retries.some((r) => r.method === method && (r.status ?? 0) >= 500), `${method} after a 5xx`).toBe(true);
    }
    expect(retries.some((r) => r.status === 503 && r.retryAfterMs === 1000 && r.delayMs >= 1000)).toBe(true);
    expect(c.stats.retries).toBe(retries.length);
    // Unknown outcomes were settled by reading, never by resending blindly: a blind resend after a
    // connection dropped once the work was stored would have met 409 duplicate.name / version.exists.
    expect(wire.log.filter((x) => x.code === 'duplicate.name' || x.code === 'version.exists')).toEqual([]);
    expect(wire.log.filter((x) => x.status === 'dropped' || (typeof x.status === 'number' && x.status >= 500)).length).toBeGreaterThan(0);
    await wire.close();

    // Read the outcome from the same state through a fault-free server.
    await env.restart({ faultRate: 0 });
    const live = await readLiveState({ gateway: env.client() });
    expect(live.templates.map((t) => t.name).sort()).toEqual(names);
    for (const t of live.templates) {
      expect(t.version, t.name).toBe(4);
      expect(t.labels.round).toBe('3');
      expect(t.versions?.map((v) => [v.version, v.state, v.temperature])).toEqual([
        ['1.0.0', 'Published', 0.2],
        ['1.1.0', 'Published', 0.9],
      ]);
      expect(t.traffic).toMatchObject({
        version: 2,
        routes: [
          { version: '1.0.0', weight: 20 },
          { version: '1.1.0', weight: 80 },
        ],
      });
    }
    expect(live.filters.map((f) => f.name).sort()).toEqual(names.map((n) => `guard-${n}`));
    for (const f of live.filters) {
      expect(f.version).toBe(3);
      expect(f.description).toBe('round 2');
    }
  });

  it('reports a real conflict under faults: a create that meets different content', async () => {
    env = await setup({ faultRate: 0.3, faultKinds: RETRIED_FAULTS, seed: 7 });
    const c = env.client();
    await c.createTemplate({ name: 'taken', model: 'gpt-4o' });
    // Not our content: whatever faults happen on the way, this is a conflict, never a silent success.
    await expect(c.createTemplate({ name: 'taken', model: 'gpt-4o-mini' })).rejects.toMatchObject({ status: 409, code: 'duplicate.name' });
    const t = (await c.listTemplates({ name: 'taken' }))[0]!;
    await c.createVersion(t.id, versionBody('1.0.0'));
    await expect(c.createVersion(t.id, versionBody('1.0.0', { temperature: 1.5 }))).rejects.toMatchObject({
      status: 409,
      code: 'version.exists',
    });
    await expect(c.updateTemplate(t.id, { name: 'taken', model: 'gpt-4o', version: 99 })).rejects.toMatchObject({
      status: 409,
      code: 'version.mismatch',
    });
  });
});
