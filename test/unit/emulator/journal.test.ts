// The emulator store's journal: change tracking through proxies, journal parsing (a torn last
// line was never acknowledged and is dropped; damage elsewhere is an error), replay, compaction,
// and the lock that keeps a second process off the same state file.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, lstat, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { types } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyOps, parseJournal } from '../../../src/emulator/journal.js';
import { StateLockedError, Store, emptyState, readStoredState, type State, type TemplateRec } from '../../../src/emulator/store.js';
import { ChangeTracker } from '../../../src/emulator/tracker.js';

function template(id: string, name: string): TemplateRec {
  const who = { id: 'u1' };
  return { id, name, model: 'gpt-4o', labels: { team: 'a' }, version: 1, dateCreated: 'd', dateModified: 'd', createdBy: who, modifiedBy: who };
}

function hasProxy(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (types.isProxy(v)) return true;
  return Object.values(v).some(hasProxy);
}

/** A tracker over a state holding template a: the state, a copy of it as it was, and the view transactions see. */
function tracked() {
  const raw = emptyState() as unknown as Record<string, Record<string, unknown>>;
  raw.templates!.a = template('a', 'alpha');
  const before = structuredClone(raw);
  const t = new ChangeTracker(raw);
  return { raw, before, t, s: t.state as unknown as State };
}

describe('ChangeTracker', () => {
  it('turns writes at any depth into entry-level operations, and stores no proxies', () => {
    const { raw, t, s } = tracked();

    t.begin();
    s.templates.b = template('b', 'beta');
    const a = s.templates.a!;
    s.templates.a = { ...a, version: 2 }; // a copy of a proxied entity (its nested objects are proxies)
    (s.versions.a ??= {})['1.0.0'] = { version: '1.0.0' } as never;
    (s.versions.a!['1.0.0'] as { state: string }).state = 'Published'; // in place, two levels down
    const ops = t.end();

    expect(ops.map(([c, k]) => `${c}/${k}`).sort()).toEqual(['templates/a', 'templates/b', 'versions/a']);
    expect(ops.find(([c, k]) => c === 'versions' && k === 'a')?.[2]).toEqual({ '1.0.0': { version: '1.0.0', state: 'Published' } });
    expect(hasProxy(raw)).toBe(false);
  });

  it('rolls a batch back to exactly what it was, deletions and additions included', () => {
    const { raw, before, t, s } = tracked();
    t.begin();
    s.templates.a!.labels.team = 'changed';
    delete s.templates.a;
    s.templates.c = template('c', 'gamma');
    s.jobs = { x: {} as never };
    t.end();
    t.rollback();
    expect(raw).toEqual(before);
  });

  it('undoes one transaction of a batch alone: those before it stand, and the batch still rolls back whole', () => {
    const { raw, before, t, s } = tracked();
    t.begin();
    t.beginTransaction();
    s.templates.a!.version = 2;
    s.templates.b = template('b', 'beta');
    t.beginTransaction();
    s.templates.a!.labels.team = 'changed';
    s.templates.c = template('c', 'gamma');
    delete s.templates.b;
    t.rollbackTransaction();
    expect(Object.keys(raw.templates!).sort()).toEqual(['a', 'b']);
    expect(raw.templates!.a).toMatchObject({ version: 2, labels: { team: 'a' } });

    // The first transaction to change an entry shares its saved copy with the batch's record: the
    // entry put back by the transaction's undo is a copy, so a later change cannot reach the record.
    t.beginTransaction();
    s.templates.a!.labels.team = 'later';
    // c was the undone transaction's alone: back as the batch found it, nothing to journal.
    expect(t.end().map(([c, k]) => `${c}/${k}`).sort()).toEqual(['templates/a', 'templates/b']);
    t.rollback();
    expect(raw).toEqual(before);
  });

  it('journals nothing of what only undone transactions changed (a batch whose every transaction failed writes no line)', () => {
    const { raw, before, t, s } = tracked();
    t.begin();
    t.beginTransaction();
    s.templates.a!.version = 2;
    s.templates.b = template('b', 'beta');
    t.rollbackTransaction();
    t.beginTransaction();
    s.templates = {};
    s.jobs = { x: {} as never };
    t.rollbackTransaction();
    expect(t.end()).toEqual([]);
    expect(raw).toEqual(before);

    // An entry an earlier transaction changed stays the batch's change when a later one that touched it is undone.
    t.begin();
    t.beginTransaction();
    s.templates.a!.version = 3;
    t.beginTransaction();
    s.templates.a!.version = 4;
    s.templates = { a: s.templates.a! };
    t.rollbackTransaction();
    expect(t.end()).toEqual([['templates', 'a', { ...before.templates!.a!, version: 3 }]]);
  });

  it('puts a whole collection back before its entries, whichever was recorded first', () => {
    const { raw, before, t, s } = tracked();
    for (const undo of [() => t.rollback(), () => t.rollbackTransaction()]) {
      t.begin();
      t.beginTransaction();
      s.templates.a!.labels.team = 'changed'; // the entry, recorded as it was
      s.templates = { z: template('z', 'zeta'), a: s.templates.a! }; // then the collection, holding the change
      undo();
      expect(raw).toEqual(before);
      t.end();
    }
  });

  it("records one version of a template's versions as that version alone, not the template's whole map", () => {
    // A template of 500 versions: copying and journaling all of them for each version's write made
    // apply quadratic in a template's versions (2,000 versions: 92 s of CPU against 23 s at 1,000).
    const raw = emptyState() as unknown as Record<string, Record<string, unknown>>;
    const many: Record<string, unknown> = {};
    for (let v = 0; v < 500; v++) many[`1.${v}.0`] = { version: `1.${v}.0`, state: 'Draft', text: 'x'.repeat(200) };
    raw.versions!.a = many;
    const before = structuredClone(raw);
    const t = new ChangeTracker(raw, new Set(['versions']));
    const s = t.state as unknown as State;

    t.begin();
    (s.versions.a!['1.7.0'] as { state: string }).state = 'Published'; // in place, below the version
    s.versions.a!['1.500.0'] = { version: '1.500.0' } as never; // a new version
    delete s.versions.a!['1.3.0'];
    const ops = t.end();
    expect(ops).toEqual([
      ['versions', 'a', '1.7.0', { ...(many['1.7.0'] as object), state: 'Published' }],
      ['versions', 'a', '1.500.0', { version: '1.500.0' }],
      ['versions', 'a', '1.3.0', null],
    ]);
    expect(JSON.stringify(ops).length).toBeLessThan(1000);
    // Replayed over the state as it was, the operations make the state as it is.
    const replayed = structuredClone(before);
    applyOps(replayed, ops);
    expect(replayed).toEqual(raw);
    t.rollback();
    expect(raw).toEqual(before);

    // A whole template's versions replaced after one of them changed: put back whole, then that one.
    for (const undo of [() => t.rollback(), () => t.rollbackTransaction()]) {
      t.begin();
      t.beginTransaction();
      (s.versions.a!['1.7.0'] as { state: string }).state = 'Published';
      s.versions.a = { '1.7.0': s.versions.a!['1.7.0']!, '9.0.0': { version: '9.0.0' } as never };
      delete s.versions.a;
      undo();
      expect(raw).toEqual(before);
      t.end();
    }
  });

  it('refuses a change made outside a transaction', () => {
    const t = new ChangeTracker(emptyState() as unknown as Record<string, Record<string, unknown>>);
    expect(() => {
      (t.state as unknown as State).templates.z = template('z', 'zeta');
    }).toThrow(/outside a store transaction/);
  });
});

describe('journal lines', () => {
  it('drops a torn last line (never acknowledged) and refuses damage before the end', () => {
    const good = `${JSON.stringify({ ops: [['templates', 'a', { id: 'a' }]] })}\n`;
    expect(parseJournal(good + '{"ops":[["templ', 'j')).toEqual({ batches: [[['templates', 'a', { id: 'a' }]]], tornTail: true });
    expect(parseJournal(good + 'garbage\n', 'j').tornTail).toBe(true);
    expect(() => parseJournal(`garbage\n${good}`, 'j')).toThrow(/damaged at line 1/);
  });

  it('replays names as data: a journal naming __proto__ or constructor reaches no prototype', () => {
    const s: Record<string, unknown> = { templates: {} };
    try {
      applyOps(s, [
        ['__proto__', 'polluted', 1],
        ['constructor', 'keys', 1],
        ['toString', 'x', 1],
        ['templates', '__proto__', { id: 'p' }],
        ['__proto__', null, { id: 'q' }],
      ]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(typeof Object.keys).toBe('function');
      expect(Object.getPrototypeOf(s)).toBe(Object.prototype);
      expect(Object.getPrototypeOf(s.templates)).toBe(Object.prototype);
      // Each is an own record like any other, as the store would hold it.
      expect(Object.hasOwn(s.templates as object, '__proto__')).toBe(true);
      expect(Object.getOwnPropertyDescriptor(s, '__proto__')?.value).toEqual({ id: 'q' });
      expect(Object.getOwnPropertyDescriptor(s, 'constructor')?.value).toEqual({ keys: 1 });
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted;
    }
  });

  it('replays absolute values, so replaying a batch twice changes nothing more', () => {
    const s: Record<string, unknown> = { templates: { a: { v: 1 } } };
    const ops: Parameters<typeof applyOps>[1] = [
      ['templates', 'a', null],
      ['templates', 'b', { v: 2 }],
    ];
    applyOps(s, ops);
    const once = structuredClone(s);
    applyOps(s, ops);
    expect(s).toEqual(once);
    expect(s).toEqual({ templates: { b: { v: 2 } } });
  });
});

describe('Store on disk', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'promptctl-journal-'));
    file = join(dir, 'state.json');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const put = (store: Store, t: TemplateRec) =>
    store.transact((s) => {
      s.templates[t.id] = t;
      return { value: undefined, changed: true };
    });

  it('journals each commit after the first snapshot; a restart folds the journal in', async () => {
    const store = await Store.open(file);
    await put(store, template('a', 'alpha')); // the first write creates the snapshot
    await put(store, template('b', 'beta'));
    await put(store, template('c', 'gamma'));
    const snapshot = JSON.parse(await readFile(file, 'utf8')) as State;
    expect(Object.keys(snapshot.templates)).toEqual(['a']);
    expect((await readFile(`${file}.journal`, 'utf8')).trim().split('\n')).toHaveLength(2);
    expect(Object.keys((await readStoredState(file)).templates).sort()).toEqual(['a', 'b', 'c']);
    await store.close();
    // A clean close leaves the snapshot alone, complete.
    expect(await readdir(dir)).toEqual(['state.json']);
    expect(Object.keys((JSON.parse(await readFile(file, 'utf8')) as State).templates).sort()).toEqual(['a', 'b', 'c']);
  });

  it("journals a version's write in as many bytes however many versions its template holds", async () => {
    const store = await Store.open(file);
    await put(store, template('a', 'alpha')); // the first write creates the snapshot
    const journalBytes = async () => (await stat(`${file}.journal`).catch(() => ({ size: 0 }))).size;
    const addVersion = (v: number) =>
      store.transact((s) => {
        (s.versions.a ??= {})[`1.${v}.0`] = { version: `1.${v}.0`, text: 'x'.repeat(200) } as never;
        return { value: undefined, changed: true };
      });
    await addVersion(0);
    const first = await journalBytes();
    for (let v = 1; v < 199; v++) await addVersion(v);
    const before = await journalBytes();
    await addVersion(199);
    const last = (await journalBytes()) - before;
    // 200 versions of 200 characters each held whole in one line would be 40 kB or more.
    expect(last).toBeLessThan(first * 2);
    // Replayed from the journal (as after a kill), then folded into the snapshot on close.
    expect(Object.keys((await readStoredState(file)).versions.a!)).toHaveLength(200);
    await store.close();
    expect(await journalBytes()).toBe(0);
    expect(Object.keys((await readStoredState(file)).versions.a!)).toHaveLength(200);
  });

  it('ignores a torn journal tail on open, and keeps working after it', async () => {
    const store = await Store.open(file);
    await put(store, template('a', 'alpha'));
    await put(store, template('b', 'beta'));
    // Simulate a crash: the process dies (no close), mid-way through appending a batch.
    await appendFile(`${file}.journal`, '{"ops":[["templates","x",{"id":"x","na');
    // The dead process's lock (pid 2^22+1 is never live) does not stop the next one.
    await writeFile(`${file}.lock`, '4194305\n');
    const again = await Store.open(file);
    try {
      const names = await again.transact((s) => ({ value: Object.values(s.templates).map((t) => t.name).sort(), changed: false }));
      expect(names).toEqual(['alpha', 'beta']);
      await put(again, template('c', 'gamma'));
      expect(Object.keys((await readStoredState(file)).templates).sort()).toEqual(['a', 'b', 'c']);
      expect((await stat(`${file}.journal`)).size).toBeGreaterThan(0);
    } finally {
      await again.close();
      await store.close(); // only to release its file handle; the test is over
    }
  });

  it('lets one store at a time use a state file', async () => {
    const store = await Store.open(file);
    await expect(Store.open(file)).rejects.toBeInstanceOf(StateLockedError);
    await store.close();
    const next = await Store.open(file);
    await next.close();
  });

  // `--state` naming a symbolic link (a state kept in a shared or synced folder): the snapshot's
  // rename replaced the link with a plain file, and the file it named was never written again.
  it('writes a state file that is a symbolic link through it, with its journal and lock beside the file it names', async () => {
    const elsewhere = join(dir, 'elsewhere');
    await mkdir(elsewhere);
    const real = join(elsewhere, 'state.json');
    const link = join(dir, 'link.json');
    await symlink(real, link); // dangling until the first write
    const store = await Store.open(link);
    await put(store, template('a', 'alpha')); // the snapshot
    await put(store, template('b', 'beta')); // journaled
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect((await readdir(elsewhere)).sort()).toEqual(['state.json', 'state.json.journal', 'state.json.lock']);
    // One lock whichever name opens the file.
    await expect(Store.open(real)).rejects.toBeInstanceOf(StateLockedError);
    await store.close();

    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['elsewhere', 'link.json']);
    expect(await readdir(elsewhere)).toEqual(['state.json']);
    expect(Object.keys((JSON.parse(await readFile(real, 'utf8')) as State).templates).sort()).toEqual(['a', 'b']);

    // Opened again by the file's own name, then by the link: the same state, the link kept.
    const byReal = await Store.open(real);
    await put(byReal, template('c', 'gamma'));
    await byReal.close();
    const again = await Store.open(link);
    await put(again, template('d', 'delta'));
    await again.close();
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(Object.keys((await readStoredState(link)).templates).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  // An emulator killed (kill -9) in a container whose first process reaps no orphans stays
  // <defunct>: signal 0 still reaches it, and its lock was taken for a live one's, for good.
  it.skipIf(!existsSync('/proc/self/stat'))('takes over a lock whose owner has exited but was never reaped (defunct)', async () => {
    // sh starts a sleep in the background, says its pid, then becomes a process that never reaps it.
    const parent = spawn('sh', ['-c', 'sleep 1000 & echo $!; exec sleep 1000'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const pid = Number(await new Promise<string>((r) => createInterface({ input: parent.stdout! }).once('line', r)));
      process.kill(pid, 'SIGKILL');
      const state = async (): Promise<string> => {
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
        return stat.charAt(stat.lastIndexOf(')') + 2);
      };
      while ((await state()) !== 'Z');
      expect(() => process.kill(pid, 0)).not.toThrow(); // what made it look alive
      await writeFile(`${file}.lock`, `${pid}\n`);
      const store = await Store.open(file);
      expect((await readFile(`${file}.lock`, 'utf8')).trim()).toBe(String(process.pid));
      await store.close();
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
