// A write the store could not make durable is refused (the client gets a 500) and rolled back in
// memory; it must not come back from the journal when the process is killed and restarted. A
// transaction that throws is undone alone: the others of its batch stand.
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Store, readStoredState, type TemplateRec } from '../../../src/emulator/store.js';

const who = { id: 'u1' };
const template = (id: string): TemplateRec => ({ id, name: id, model: 'gpt-4o', labels: {}, version: 1, dateCreated: 'd', dateModified: 'd', createdBy: who, modifiedBy: who });

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-refused-'));
  file = join(dir, 'state.json');
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe('a journal append that fails', () => {
  const put = (store: Store, t: TemplateRec) =>
    store.transact((s) => {
      s.templates[t.id] = t;
      return { value: undefined, changed: true };
    });

  it('leaves nothing of the refused batch for a restart to replay', async () => {
    const store = await Store.open(file);
    try {
      await put(store, template('a')); // the snapshot
      await put(store, template('b')); // journaled

      // The line reaches the file, but the fsync fails (EIO): the write is refused.
      const probe = await open(join(dir, 'probe'), 'w');
      const FileHandleProto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
      await probe.close();
      vi.spyOn(FileHandleProto, 'sync').mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
      await expect(put(store, template('refused'))).rejects.toThrow(/EIO/);
      vi.restoreAllMocks();
      expect(await store.transact((s) => ({ value: Object.keys(s.templates).sort(), changed: false }))).toEqual(['a', 'b']);

      // Killed now: a restart loads what the files hold.
      expect(Object.keys((await readStoredState(file)).templates).sort()).toEqual(['a', 'b']);
    } finally {
      await store.close();
    }
  });
});

describe('a transaction that throws', () => {
  it('is undone alone: the other writes of its batch are acknowledged and durable', async () => {
    const store = await Store.open(file);
    try {
      const write = (id: string, bug = false) =>
        store.transact((s) => {
          s.templates[id] = template(id);
          if (bug) throw new TypeError(`a handler's bug after writing ${id}`);
          return { value: id, changed: true };
        });
      // The first runs alone while its line is written; the next three queue meanwhile: one batch.
      const first = write('a');
      const batch = await Promise.allSettled([write('b'), write('broken', true), write('d')]);
      await first;
      expect(batch.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((batch[1] as PromiseRejectedResult).reason).toBeInstanceOf(TypeError);
      expect(await store.transact((s) => ({ value: Object.keys(s.templates).sort(), changed: false }))).toEqual(['a', 'b', 'd']);
      expect(Object.keys((await readStoredState(file)).templates).sort()).toEqual(['a', 'b', 'd']);
    } finally {
      await store.close();
    }
  });

  it('leaves nothing to make durable when it is all its batch did: no journal line, no fsync', async () => {
    const store = await Store.open(file);
    try {
      await store.transact((s) => {
        s.templates.a = template('a');
        return { value: undefined, changed: true };
      });
      const journal = await stat(`${file}.journal`).then((st) => st.size);
      const probe = await open(join(dir, 'probe'), 'w');
      const sync = vi.spyOn(Object.getPrototypeOf(probe) as { sync: () => Promise<void> }, 'sync');
      await probe.close();
      await expect(
        store.transact((s) => {
          s.templates.b = template('b');
          s.templates.a!.version = 2;
          throw new TypeError("a handler's bug");
        }),
      ).rejects.toBeInstanceOf(TypeError);
      expect(sync).not.toHaveBeenCalled();
      expect((await stat(`${file}.journal`)).size).toBe(journal);
    } finally {
      await store.close();
    }
  });
});
