// Durability of the emulator's store: acknowledged writes are on disk, survive restarts, and
// concurrent requests are serialised.
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { paths } from '../../src/targets/llmgateway/paths.js';
import { startEmulator } from '../../src/emulator/server.js';
import { readStoredState } from '../../src/emulator/store.js';
import { Api, boot, filterBody } from './emulator-fixture.js';

let dir: string;
let stateFile: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-store-'));
  stateFile = join(dir, 'nested', 'local-state.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// What the files hold right now (snapshot plus journal), read afresh as a restart would.
const onDisk = async (): Promise<any> => readStoredState(stateFile);

describe('durable store', () => {
  it('has every acknowledged write on disk when the response arrives', async () => {
    const { em, api } = await boot({ stateFile, publishDelayMs: 1 });
    try {
      const id = await api.template('durable');
      expect((await onDisk()).templates[id].name).toBe('durable');
      await api.version(id, '1.0.0');
      expect((await onDisk()).versions[id]['1.0.0'].state).toBe('Draft');
      const put = await api.put(paths.template(id), { name: 'durable', model: 'o3', version: 1 });
      expect(put.status).toBe(200);
      expect((await onDisk()).templates[id]).toMatchObject({ model: 'o3', version: 2 });
      const f = await api.post(paths.filters(), filterBody('durable-filter', 3));
      expect((await onDisk()).filters[f.body.id].priority).toBe(3);
      await api.del(paths.filter(f.body.id));
      expect((await onDisk()).filters[f.body.id]).toBeUndefined();
    } finally {
      await em.close();
    }
  });

  it('restores everything after a restart, including the tokens (stored only as hashes)', async () => {
    const first = await boot({ stateFile, publishDelayMs: 1 });
    const id = await first.api.template('restart-me', { labels: { team: 'a' } });
    await first.api.version(id, '1.0.0');
    await first.api.publish(id, '1.0.0');
    await first.api.put(paths.traffic(id), { routes: [{ version: '1.0.0', weight: 100 }], version: 0 });
    const filter = await first.api.post(paths.filters(), filterBody('restart-filter', 9));
    expect((await first.api.put(paths.template(id), { name: 'restart-me', model: 'gpt-4o-mini', labels: { team: 'a' }, version: 1 })).status).toBe(200);
    const before = await first.api.get(`${paths.template(id)}?expand=versions,traffic`);
    await first.em.close();

    const text = await readFile(stateFile, 'utf8');
    expect(text).not.toContain(first.api.token);
    expect(text).not.toContain('local-secret');

    const second = await startEmulator({ stateFile });
    try {
      const api = new Api(second.url);
      api.token = first.api.token; // the old token is still valid
      const after = await api.get(`${paths.template(id)}?expand=versions,traffic`);
      expect(after.status).toBe(200);
      expect(after.body).toEqual(before.body);
      expect((await api.get(paths.filter(filter.body.id))).body).toEqual(filter.body);
      // Versions keep counting from where they were.
      expect((await api.put(paths.template(id), { name: 'restart-me', model: 'o3', version: 1 })).body.code).toBe('version.mismatch');
      expect((await api.put(paths.template(id), { name: 'restart-me', model: 'o3', version: 2 })).body.version).toBe(3);
    } finally {
      await second.close();
    }
  });

  it('serialises concurrent writes: one of many same-name creates wins, every acknowledged create is stored', async () => {
    const { em, api } = await boot({ stateFile });
    try {
      const racing = await Promise.all(Array.from({ length: 12 }, () => api.post(paths.templates(), { name: 'contended', model: 'gpt-4o' })));
      expect(racing.filter((r) => r.status === 201)).toHaveLength(1);
      expect(racing.filter((r) => r.status === 409 && r.body.code === 'duplicate.name')).toHaveLength(11);

      const many = await Promise.all(Array.from({ length: 40 }, (_, i) => api.post(paths.templates(), { name: `many-${i}`, model: 'gpt-4o' })));
      expect(many.every((r) => r.status === 201)).toBe(true);
      const stored = await onDisk();
      for (const r of many) expect(stored.templates[r.body.id].name).toBe(r.body.name);
      expect(Object.keys(stored.templates)).toHaveLength(41);

      // Concurrent PUTs on one version: exactly one wins, the rest are stale.
      const id = racing.find((r) => r.status === 201)?.body.id as string;
      const puts = await Promise.all(Array.from({ length: 8 }, (_, i) => api.put(paths.template(id), { name: 'contended', model: `m-${i}`, version: 1 })));
      expect(puts.filter((r) => r.status === 200)).toHaveLength(1);
      expect(puts.filter((r) => r.body.code === 'version.mismatch')).toHaveLength(7);
      expect((await onDisk()).templates[id].version).toBe(2);
    } finally {
      await em.close();
    }
  });

  it('a write that cannot be made durable is refused (500) and not visible; later writes succeed', async () => {
    const { em, api } = await boot({ stateFile });
    try {
      await api.template('kept');
      const nested = join(dir, 'nested');
      await rm(nested, { recursive: true });
      await writeFile(nested, 'a file where the state directory was');
      const lost = await api.post(paths.templates(), { name: 'lost', model: 'gpt-4o' });
      expect(lost.status).toBe(500);
      expect(lost.body.code).toBe('internal.server.error');
      expect((await api.get(`${paths.templates()}?name=lost`)).body.total).toBe(0);
      expect((await api.get(`${paths.templates()}?name=kept`)).body.total).toBe(1);

      await rm(nested);
      await mkdir(nested);
      expect((await api.post(paths.templates(), { name: 'after', model: 'gpt-4o' })).status).toBe(201);
      const names = Object.values((await onDisk()).templates).map((t) => (t as { name: string }).name).sort();
      expect(names).toEqual(['after', 'kept']);
    } finally {
      await em.close();
    }
  });

  it('leaves no temp files behind, and removes ones a killed process left', async () => {
    const { em, api } = await boot({ stateFile });
    await api.template('tidy');
    await em.close();
    const nestedDir = join(dir, 'nested');
    expect(await readdir(nestedDir)).toEqual(['local-state.json']);

    // A temp file from a process that died between write and rename (pid 2^22+1 is never live).
    await writeFile(join(nestedDir, '.local-state.json.4194305.7.tmp'), '{"formatVersion":1,"templ');
    const again = await startEmulator({ stateFile });
    try {
      // While running: the snapshot, its journal and the lock; the dead process's temp file is gone.
      expect((await readdir(nestedDir)).sort()).toEqual(['local-state.json', 'local-state.json.journal', 'local-state.json.lock']);
      const a = new Api(again.url);
      await a.login();
      expect((await a.get(`${paths.templates()}?name=tidy`)).body.total).toBe(1);
    } finally {
      await again.close();
    }
  });

  it('refuses to start on a state file that is not emulator state, naming it', async () => {
    await startEmulator({ stateFile }).then((e) => e.close()); // creates the directory
    await writeFile(stateFile, '{"templates": ');
    await expect(startEmulator({ stateFile })).rejects.toThrow(/local-state\.json is not valid JSON/);
    await writeFile(stateFile, '{"hello": "world"}');
    await expect(startEmulator({ stateFile })).rejects.toThrow(/not a promptctl emulator state/);
  });

  it('keeps state in memory only when no state file is given', async () => {
    const first = await boot();
    await first.api.template('ephemeral');
    await first.em.close();
    const second = await boot();
    try {
      expect((await second.api.get(paths.templates())).body.total).toBe(0);
    } finally {
      await second.em.close();
    }
  });
});
