// Safety filters over real HTTP: whitelist, thresholds, duplicate names, priorities, the 50-filter limit.
import { describe, expect, it } from 'vitest';
import { paths } from '../../src/targets/llmgateway/paths.js';
import { boot, emulatorForFile, filterBody } from './emulator-fixture.js';

const api = emulatorForFile({ rateLimit: 10_000 });

describe('safety filters', () => {
  it('creates with defaults (enabled, labels {}), reads, updates with version, deletes', async () => {
    const created = await api.post(paths.filters(), filterBody('pii-guard', 10, { appliesTo: { templates: ['billing-assistant'], labels: { team: 'billing' } } }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'pii-guard',
      enabled: true,
      labels: {},
      priority: 10,
      categories: ['pii', 'phishing'],
      action: 'redact_and_log',
      thresholds: { pii: 0.5 },
      falsePositiveTolerance: 0.1,
      appliesTo: { templates: ['billing-assistant'], labels: { team: 'billing' } },
      version: 1,
    });
    const id = created.body.id as string;
    expect(created.body.selfUri).toBe(paths.filter(id));
    expect((await api.get(paths.filter(id))).body).toEqual(created.body);

    const upd = await api.put(paths.filter(id), { ...filterBody('pii-guard', 11, { action: 'block_and_log' }), version: 1 });
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({ priority: 11, action: 'block_and_log', version: 2 });
    expect(upd.body.appliesTo).toBeUndefined();
    const stale = await api.put(paths.filter(id), { ...filterBody('pii-guard', 12), version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('version.mismatch');
    expect((await api.get(paths.filter(id))).body.priority).toBe(11);

    expect((await api.del(paths.filter(id))).status).toBe(204);
    expect((await api.get(paths.filter(id))).status).toBe(404);
  });

  it('validates categories, thresholds and ranges with 400 naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ categories: ['pii', 'spam'] }, 'categories[1]'],
      [{ categories: [] }, 'categories'],
      [{ categories: ['pii', 'pii'] }, 'categories'],
      [{ thresholds: { violence: 0.5 } }, 'thresholds.violence'],
      [{ thresholds: { spam: 0.5 } }, 'thresholds.spam'],
      [{ thresholds: {} }, 'thresholds'],
      [{ thresholds: { pii: 1.5 } }, 'thresholds.pii'],
      [{ priority: 0 }, 'priority'],
      [{ priority: 101 }, 'priority'],
      [{ action: 'delete' }, 'action'],
      [{ falsePositiveTolerance: -0.1 }, 'falsePositiveTolerance'],
      [{ appliesTo: { teams: ['x'] } }, 'appliesTo.teams'],
    ];
    for (const [extra, field] of cases) {
      const r = await api.post(paths.filters(), filterBody('bad-filter', 99, extra));
      expect(r.status, JSON.stringify(extra)).toBe(400);
      expect(r.body.code).toBe('invalid.value');
      expect(r.body.details[0].fieldName, JSON.stringify(extra)).toBe(field);
    }
    expect((await api.get(`${paths.filters()}?name=bad-filter`)).body.total).toBe(0);
  });

  it('409 duplicate.name, and 409 priority.conflict against enabled filters only (create and update)', async () => {
    const a = await api.post(paths.filters(), filterBody('prio-a', 20));
    expect((await api.post(paths.filters(), filterBody('prio-a', 21))).body.code).toBe('duplicate.name');
    const clash = await api.post(paths.filters(), filterBody('prio-b', 20));
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe('priority.conflict');
    expect(clash.body.message).toContain('prio-a');

    // A disabled filter holds no priority: it may share one, and others may take its.
    const disabled = await api.post(paths.filters(), filterBody('prio-b', 20, { enabled: false }));
    expect(disabled.status).toBe(201);
    // Enabling it while prio-a holds 20 conflicts.
    const enable = await api.put(paths.filter(disabled.body.id), { ...filterBody('prio-b', 20), enabled: true, version: 1 });
    expect(enable.status).toBe(409);
    expect(enable.body.code).toBe('priority.conflict');
    // An update that keeps its own priority does not conflict with itself.
    const self = await api.put(paths.filter(a.body.id), { ...filterBody('prio-a', 20, { description: 'same priority' }), version: 1 });
    expect(self.status).toBe(200);
    // Swapping priorities: move a away, then b can take 20.
    expect((await api.put(paths.filter(a.body.id), { ...filterBody('prio-a', 22), version: 2 })).status).toBe(200);
    expect((await api.put(paths.filter(disabled.body.id), { ...filterBody('prio-b', 20), version: 1 })).status).toBe(200);
    // Renaming onto another filter's name is a duplicate.
    const rename = await api.put(paths.filter(a.body.id), { ...filterBody('prio-b', 22), version: 3 });
    expect(rename.body.code).toBe('duplicate.name');
  });

  it('allows 50 enabled filters; the 51st enabled one is 409 filter.limit.exceeded, a disabled one is fine', async () => {
    const own = await boot({ rateLimit: 10_000 });
    try {
      const created = await Promise.all(
        Array.from({ length: 50 }, (_, i) => own.api.post(paths.filters(), filterBody(`limit-${String(i).padStart(2, '0')}`, i + 1))),
      );
      expect(created.map((r) => r.status)).toEqual(Array(50).fill(201));
      const over = await own.api.post(paths.filters(), filterBody('limit-50', 51));
      expect(over.status).toBe(409);
      expect(over.body.code).toBe('filter.limit.exceeded');
      const off = await own.api.post(paths.filters(), filterBody('limit-50', 51, { enabled: false }));
      expect(off.status).toBe(201);
      // Enabling the disabled 51st is refused too; disabling one first makes room.
      const enable = await own.api.put(paths.filter(off.body.id), { ...filterBody('limit-50', 51), version: 1 });
      expect(enable.body.code).toBe('filter.limit.exceeded');
      const first = created[0]?.body;
      expect((await own.api.put(paths.filter(first.id), { ...filterBody(first.name, 1), enabled: false, version: 1 })).status).toBe(200);
      expect((await own.api.put(paths.filter(off.body.id), { ...filterBody('limit-50', 51), version: 1 })).status).toBe(200);

      const list = await own.api.get(`${paths.filters()}?pageSize=100`);
      expect(list.body.total).toBe(51);
      expect(list.body.entities.filter((f: { enabled: boolean }) => f.enabled)).toHaveLength(50);
      expect(list.body.entities.map((f: { name: string }) => f.name)).toEqual([...list.body.entities.map((f: { name: string }) => f.name)].sort());
      const page = await own.api.get(`${paths.filters()}?pageSize=20&pageNumber=3&name=limit-07`);
      expect(page.body).toMatchObject({ total: 1, pageCount: 1, entities: [] });
    } finally {
      await own.em.close();
    }
  });
});
