// A crash while the store compacts its journal (new snapshot renamed in, journal not yet emptied)
// must leave files whose replay is a state the store really had: the batch that triggered the
// compaction applied whole or not at all, never half of it.
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Store, readStoredState, type TemplateRec, type VersionRec } from '../../../src/emulator/store.js';

const who = { id: 'u1' };
const template = (id: string): TemplateRec => ({ id, name: id, model: 'gpt-4o', labels: {}, version: 1, dateCreated: 'd', dateModified: 'd', createdBy: who, modifiedBy: who });

describe('journal compaction interrupted by a crash', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'promptctl-compaction-'));
    file = join(dir, 'state.json');
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  it('never replays older journal lines over a snapshot that holds a newer batch', async () => {
    const store = await Store.open(file);
    try {
      // The template is in the snapshot (first write); its versions only in the journal.
      await store.transact((s) => {
        s.templates.t = template('t');
        return { value: undefined, changed: true };
      });
      await store.transact((s) => {
        s.versions.t = { '1.0.0': { version: '1.0.0', templateId: 't' } as VersionRec };
        return { value: undefined, changed: true };
      });
      // Grow the journal past the compaction threshold (8 MiB, and larger than the snapshot).
      await store.transact((s) => {
        s.invocations.pad = { id: 'pad', at: 'x'.repeat(9 * 1024 * 1024) } as never;
        return { value: undefined, changed: true };
      });

      // The process dies right after the new snapshot is renamed in, before the journal is emptied.
      const probe = await open(join(dir, 'probe'), 'w');
      const FileHandleProto = Object.getPrototypeOf(probe) as { truncate: (len?: number) => Promise<void> };
      await probe.close();
      vi.spyOn(FileHandleProto, 'truncate').mockRejectedValueOnce(new Error('simulated crash before the journal is emptied'));

      // The next batch triggers the compaction: it deletes the template with its versions.
      await store
        .transact((s) => {
          delete s.templates.t;
          delete s.versions.t;
          return { value: undefined, changed: true };
        })
        .catch(() => undefined);

      // What a restart would load: the delete happened whole, or not at all.
      const after = await readStoredState(file);
      const hasTemplate = Object.hasOwn(after.templates, 't');
      expect(Object.hasOwn(after.versions, 't'), 'versions are stored exactly when their template is').toBe(hasTemplate);
    } finally {
      vi.restoreAllMocks();
      await store.close();
    }
  });
});
