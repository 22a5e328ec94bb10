// Listing pages kept while the state stands: rendered once per revision and query, rendered again
// once anything a listing shows moves (a write, a rolled-back batch; not a login's token or an
// invocation's record), and never more than their cap.
import { describe, expect, it } from 'vitest';
import { RenderedPages } from '../../../src/emulator/rendered-pages.js';
import { Store, type TemplateRec } from '../../../src/emulator/store.js';

const who = { id: 'u1' };
const template = (id: string): TemplateRec => ({ id, name: id, model: 'gpt-4o', labels: {}, version: 1, dateCreated: 'd', dateModified: 'd', createdBy: who, modifiedBy: who });

describe('RenderedPages', () => {
  it('renders a page once per revision and key', () => {
    const pages = new RenderedPages();
    let renders = 0;
    const render = (text: string) => () => {
      renders++;
      return Buffer.from(text);
    };
    expect(pages.page(1, '/a?p=1', render('one')).toString()).toBe('one');
    expect(pages.page(1, '/a?p=1', render('other')).toString()).toBe('one');
    expect(renders).toBe(1);
    expect(pages.page(1, '/a?p=2', render('two')).toString()).toBe('two');
    expect(pages.page(2, '/a?p=1', render('moved')).toString()).toBe('moved');
    expect(renders).toBe(3);
    // Back at the first page of the new revision: still held; the old revision's are gone.
    expect(pages.page(2, '/a?p=1', render('x')).toString()).toBe('moved');
    expect(pages.page(2, '/a?p=2', render('two again')).toString()).toBe('two again');
    expect(renders).toBe(4);
  });

  it('keeps no more bytes than its cap, the oldest pages going first', () => {
    const pages = new RenderedPages(10);
    let renders = 0;
    const bytes = (n: number) => () => {
      renders++;
      return Buffer.alloc(n);
    };
    pages.page(1, 'a', bytes(4));
    pages.page(1, 'b', bytes(4));
    pages.page(1, 'c', bytes(4)); // 12 > 10: a goes
    expect(renders).toBe(3);
    pages.page(1, 'c', bytes(4));
    pages.page(1, 'b', bytes(4));
    expect(renders).toBe(3);
    pages.page(1, 'a', bytes(4));
    expect(renders).toBe(4);
    // A page larger than the cap is served, not kept.
    pages.page(1, 'huge', bytes(11));
    pages.page(1, 'huge', bytes(11));
    expect(renders).toBe(6);
  });
});

describe('Store.listedRevision', () => {
  it('moves with every write and every rolled-back batch, never with a read', async () => {
    const store = await Store.open();
    try {
      const r0 = store.listedRevision;
      await store.transact((s) => ({ value: Object.keys(s.templates).length, changed: false }));
      expect(store.listedRevision).toBe(r0);

      await store.transact((s) => {
        s.templates['a'] = template('a');
        return { value: undefined, changed: true };
      });
      const r1 = store.listedRevision;
      expect(r1).toBeGreaterThan(r0);

      // A second write to an entry the batch already changed moves it too.
      const seen: number[] = [];
      await store.transact((s) => {
        s.templates['a']!.description = 'one';
        seen.push(store.listedRevision);
        s.templates['a']!.description = 'two';
        seen.push(store.listedRevision);
        return { value: undefined, changed: true };
      });
      expect(seen[0]).toBeGreaterThan(r1);
      expect(seen[1]).toBeGreaterThan(seen[0]!);

      // A batch that fails is rolled back: the state is the one before it, under a new revision.
      const before = store.listedRevision;
      await expect(
        store.transact((s) => {
          s.templates['b'] = template('b');
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.transact((s) => ({ value: Object.keys(s.templates), changed: false }))).toEqual(['a']);
      expect(store.listedRevision).toBeGreaterThan(before + 1);

      // A login's token and an invocation's record: no listing shows them, so they leave it.
      const listed = store.listedRevision;
      await store.transact((s) => {
        s.tokens['h'] = { clientId: 'c', expiresAt: 1 } as (typeof s.tokens)[string];
        s.invocations['i'] = { id: 'i' } as (typeof s.invocations)[string];
        return { value: undefined, changed: true };
      });
      expect(store.listedRevision).toBe(listed);
    } finally {
      await store.close();
    }
  });
});
