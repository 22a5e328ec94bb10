// Templates over real HTTP: listings and paging, name filter, expand, updates, duplicate names, cascade delete.
import { beforeAll, describe, expect, it } from 'vitest';
import { paths } from '../../src/targets/llmgateway/paths.js';
import { emulatorForFile, type Res } from './emulator-fixture.js';

const api = emulatorForFile({ publishDelayMs: 1 });

describe('listing 31 templates', () => {
  const names = Array.from({ length: 31 }, (_, i) => `page-${String(i).padStart(2, '0')}`);

  beforeAll(async () => {
    // Created out of order and concurrently: the listing sorts by name regardless.
    await Promise.all([...names].reverse().map((n) => api.template(n, { labels: { set: 'paging' } })));
  });

  it('pages with the default size of 25, sorted by name, with relative URIs', async () => {
    const p1 = await api.get(`${paths.templates()}`);
    expect(p1.status).toBe(200);
    expect(p1.body).toMatchObject({ pageSize: 25, pageNumber: 1, total: 31, pageCount: 2 });
    expect(p1.body.entities.map((t: { name: string }) => t.name)).toEqual(names.slice(0, 25));
    expect(p1.body.firstUri).toBe(`${paths.templates()}?pageSize=25&pageNumber=1`);
    expect(p1.body.selfUri).toBe(`${paths.templates()}?pageSize=25&pageNumber=1`);
    expect(p1.body.lastUri).toBe(`${paths.templates()}?pageSize=25&pageNumber=2`);
    expect(p1.body.nextUri).toBe(`${paths.templates()}?pageSize=25&pageNumber=2`);
    expect(p1.body.previousUri).toBeUndefined();

    const p2 = await api.get(p1.body.nextUri);
    expect(p2.body).toMatchObject({ pageNumber: 2, total: 31, pageCount: 2 });
    expect(p2.body.entities.map((t: { name: string }) => t.name)).toEqual(names.slice(25));
    expect(p2.body.nextUri).toBeUndefined();
    expect(p2.body.previousUri).toBe(`${paths.templates()}?pageSize=25&pageNumber=1`);
  });

  it('walks every page at pageSize 10 following nextUri, keeping other query parameters', async () => {
    const seen: string[] = [];
    let uri: string | undefined = `${paths.templates()}?expand=versions&pageSize=10`;
    let pages = 0;
    while (uri) {
      const r: Res = await api.get(uri);
      expect(r.body.pageCount).toBe(4);
      expect(r.body.entities.every((t: { versions?: unknown[] }) => Array.isArray(t.versions))).toBe(true);
      seen.push(...r.body.entities.map((t: { name: string }) => t.name));
      uri = r.body.nextUri;
      if (uri) expect(uri).toContain('expand=versions');
      pages++;
    }
    expect(pages).toBe(4);
    expect(seen).toEqual(names);
    const last = await api.get(`${paths.templates()}?pageSize=10&pageNumber=4`);
    expect(last.body.entities).toHaveLength(1);
    expect(last.body.lastUri).toBe(`${paths.templates()}?pageSize=10&pageNumber=4`);
  });

  it('accepts pageSize 100, answers an empty page past the end, and refuses bad paging with 400', async () => {
    const all = await api.get(`${paths.templates()}?pageSize=100`);
    expect(all.body).toMatchObject({ pageSize: 100, pageCount: 1, total: 31 });
    expect(all.body.entities).toHaveLength(31);
    const beyond = await api.get(`${paths.templates()}?pageNumber=9`);
    expect(beyond.status).toBe(200);
    expect(beyond.body.entities).toEqual([]);
    for (const q of ['pageSize=101', 'pageSize=0', 'pageSize=abc', 'pageNumber=0', 'pageNumber=-1', 'expand=owners', 'view=full']) {
      const r = await api.get(`${paths.templates()}?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.code).toBe('invalid.value');
      expect(r.body.details[0].fieldName).toBe(q.split('=')[0]);
    }
  });

  it('filters by exact name', async () => {
    const r = await api.get(`${paths.templates()}?name=page-07`);
    expect(r.body.total).toBe(1);
    expect(r.body.entities[0].name).toBe('page-07');
    expect(r.body.selfUri).toBe(`${paths.templates()}?name=page-07&pageSize=25&pageNumber=1`);
    expect((await api.get(`${paths.templates()}?name=page-0`)).body.total).toBe(0);
  });
});

describe('one template', () => {
  it('creates, reads, updates with the current version, and refuses a duplicate name', async () => {
    const created = await api.post(paths.templates(), { name: 'crud-one', model: 'gpt-4o', description: 'first', labels: { a: '1' } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const dup = await api.post(paths.templates(), { name: 'crud-one', model: 'o3' });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 'duplicate.name', status: 409 });

    const got = await api.get(paths.template(id));
    expect(got.body).toEqual(created.body);

    // A PUT is a whole replacement: the description goes, the labels are replaced.
    const put = await api.put(paths.template(id), { name: 'crud-renamed', model: 'o3', labels: { b: '2' }, version: 1 });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ name: 'crud-renamed', model: 'o3', labels: { b: '2' }, version: 2, dateCreated: created.body.dateCreated });
    expect(put.body.description).toBeUndefined();
    // Renaming onto another template's name is a duplicate too.
    const other = await api.template('crud-two');
    const clash = await api.put(paths.template(other), { name: 'crud-renamed', model: 'o3', version: 1 });
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe('duplicate.name');
    // A PUT may carry back the read-only fields it was read with.
    const back = await api.put(paths.template(id), { ...put.body, description: 'back' });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ version: 3, description: 'back' });
    const missingVersion = await api.put(paths.template(id), { name: 'crud-renamed', model: 'o3' });
    expect(missingVersion.status).toBe(400);
    expect(missingVersion.body.details[0].fieldName).toBe('version');
  });

  it('expands versions and traffic on get and list (traffic null when none)', async () => {
    const id = await api.template('expand-me');
    const plain = await api.get(paths.template(id));
    expect(plain.body.versions).toBeUndefined();
    expect(plain.body).not.toHaveProperty('traffic');
    const none = await api.get(`${paths.template(id)}?expand=versions,traffic`);
    expect(none.body.versions).toEqual([]);
    expect(none.body.traffic).toBeNull();

    expect((await api.version(id, '1.0.0')).status).toBe(201);
    expect((await api.publish(id, '1.0.0')).status).toBe('Succeeded');
    expect((await api.version(id, '1.1.0')).status).toBe(201);
    expect((await api.put(paths.traffic(id), { strategy: 'random', routes: [{ version: '1.0.0', weight: 100 }], version: 0 })).status).toBe(200);

    const full = await api.get(`${paths.template(id)}?expand=versions&expand=traffic`);
    expect(full.body.versions.map((v: { version: string; state: string }) => [v.version, v.state])).toEqual([
      ['1.0.0', 'Published'],
      ['1.1.0', 'Draft'],
    ]);
    expect(full.body.traffic).toMatchObject({ templateId: id, strategy: 'random', routes: [{ version: '1.0.0', weight: 100 }], version: 1 });
    const listed = await api.get(`${paths.templates()}?name=expand-me&expand=traffic,versions`);
    expect(listed.body.entities[0].versions).toHaveLength(2);
    expect(listed.body.entities[0].traffic.version).toBe(1);
  });

  it("lists in promptctl's digest view: a version's content as its hash, no metadata but who changed it and when", async () => {
    const id = await api.template('digest-me', { description: 'd', labels: { team: 't' } });
    expect((await api.version(id, '1.0.0')).status).toBe(201);
    expect((await api.publish(id, '1.0.0')).status).toBe('Succeeded');
    expect((await api.put(paths.traffic(id), { strategy: 'random', routes: [{ version: '1.0.0', weight: 100 }], version: 0 })).status).toBe(200);
    const whole = (await api.get(`${paths.template(id)}?expand=versions,traffic`)).body;
    const listed = await api.get(`${paths.templates()}?name=digest-me&expand=versions,traffic&view=digest`);
    expect(listed.status).toBe(200);
    const v = whole.versions[0];
    expect(listed.body.entities).toEqual([
      {
        id,
        name: 'digest-me',
        description: 'd',
        model: whole.model,
        labels: { team: 't' },
        version: 1,
        dateModified: whole.dateModified,
        modifiedBy: { id: whole.modifiedBy.id },
        versions: [{ id: v.id, templateId: id, version: '1.0.0', state: 'Published', contentHash: v.contentHash, dateModified: v.dateModified, modifiedBy: { id: v.modifiedBy.id } }],
        traffic: { templateId: id, strategy: 'random', routes: [{ version: '1.0.0', weight: 100 }], version: 1, dateModified: whole.traffic.dateModified, modifiedBy: { id: whole.traffic.modifiedBy.id } },
      },
    ]);
    // The listing's own links keep the view.
    expect(listed.body.selfUri).toContain('view=digest');
  });

  it('delete answers 204 and cascades to versions, split and jobs', async () => {
    const id = await api.template('cascade');
    await api.version(id, '1.0.0');
    const job = await api.post(paths.jobs(id, '1.0.0'), { state: 'Published' });
    let j = await api.get(paths.job(id, '1.0.0', job.body.id));
    while (j.body.status === 'Running') j = await api.get(paths.job(id, '1.0.0', job.body.id));
    await api.put(paths.traffic(id), { routes: [{ version: '1.0.0', weight: 100 }], version: 0 });

    const del = await api.del(paths.template(id));
    expect(del.status).toBe(204);
    expect(del.body).toBeUndefined();
    for (const p of [paths.template(id), paths.versions(id), paths.version(id, '1.0.0'), paths.traffic(id), paths.job(id, '1.0.0', job.body.id)]) {
      const r = await api.get(p);
      expect(r.status, p).toBe(404);
      expect(r.body.code).toBe('not.found');
    }
    expect((await api.del(paths.template(id))).status).toBe(404);
    // The name is free again.
    expect((await api.post(paths.templates(), { name: 'cascade', model: 'gpt-4o' })).status).toBe(201);
  });
});
