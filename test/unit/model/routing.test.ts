// model/routing.ts: which versions may answer a call, how a variable is typed across them, and
// when a sticky split draws at random.
import { describe, expect, it } from 'vitest';
import { liveRoutes, routedVersions, unkeyedStickyRoutes, variableTypes, type VersionState } from '../../../src/model/routing.js';

const v = (version: string, state = 'Published'): VersionState => ({ version, state });
const labels = (r: ReturnType<typeof routedVersions>): string[] => (r.kind === 'routed' ? r.versions.map((x) => x.version) : []);
// Out of order on purpose: the rule sorts by version label, not by listing order.
const versions = [v('1.10.0'), v('1.2.0'), v('2.0.0', 'Draft'), v('1.0.0', 'Archived'), v('1.9.0')];

describe('routedVersions', () => {
  it('pinned: that version only, whatever the split says', () => {
    const r = routedVersions(versions, { pinned: '1.2.0', split: { routes: [{ version: '1.10.0', weight: 100 }] } });
    expect(r.kind).toBe('routed');
    expect(labels(r)).toEqual(['1.2.0']);
  });

  it('pinned to a version that is not there, or not Published: why, with the Published ones oldest first', () => {
    const missing = routedVersions(versions, { pinned: '3.0.0', split: null });
    expect(missing).toEqual({ kind: 'unknown', published: [v('1.2.0'), v('1.9.0'), v('1.10.0')] });
    const draft = routedVersions(versions, { pinned: '2.0.0', split: null });
    expect(draft).toEqual({ kind: 'unpublished', version: v('2.0.0', 'Draft'), published: [v('1.2.0'), v('1.9.0'), v('1.10.0')] });
  });

  it('a split: its routes with a weight above 0, a 0-weight route left out; no fallback when every route is Published', () => {
    const r = routedVersions(versions, { split: { routes: [{ version: '1.9.0', weight: 0 }, { version: '1.2.0', weight: 100 }] } });
    expect(labels(r)).toEqual(['1.2.0']);
  });

  it('a split routing to a version that is not Published: the newest Published answers too (not with fallback: false)', () => {
    const split = { routes: [{ version: '1.2.0', weight: 50 }, { version: '2.0.0', weight: 50 }] };
    expect(labels(routedVersions(versions, { split }))).toEqual(['1.2.0', '1.10.0']);
    expect(labels(routedVersions(versions, { split, fallback: false }))).toEqual(['1.2.0']);
    // The newest is not added twice when it is routed already.
    const withNewest = { routes: [{ version: '1.10.0', weight: 50 }, { version: '2.0.0', weight: 50 }] };
    expect(labels(routedVersions(versions, { split: withNewest }))).toEqual(['1.10.0']);
  });

  it('a split with no route above 0: the newest Published (none with fallback: false)', () => {
    const split = { routes: [{ version: '1.2.0', weight: 0 }] };
    expect(labels(routedVersions(versions, { split }))).toEqual(['1.10.0']);
    expect(labels(routedVersions(versions, { split, fallback: false }))).toEqual([]);
  });

  it('no split: the newest Published, with or without the fallback', () => {
    expect(labels(routedVersions(versions, { split: null }))).toEqual(['1.10.0']);
    expect(labels(routedVersions(versions, { split: null, fallback: false }))).toEqual(['1.10.0']);
  });

  it('the split not known (a listing without it): every Published version', () => {
    expect(labels(routedVersions(versions, { split: undefined }))).toEqual(['1.2.0', '1.9.0', '1.10.0']);
  });

  it('nothing Published: no version answers', () => {
    const none = [v('1.0.0', 'Draft'), v('1.1.0', 'Archived')];
    expect(routedVersions(none, { split: null })).toEqual({ kind: 'routed', versions: [], published: [] });
    expect(labels(routedVersions(none, { split: { routes: [{ version: '1.0.0', weight: 100 }] } }))).toEqual([]);
    expect(labels(routedVersions(none, { split: undefined }))).toEqual([]);
    expect(routedVersions(none, { pinned: '1.0.0', split: null }).kind).toBe('unpublished');
  });

  it('keeps the callers own objects', () => {
    const own = [{ version: '1.0.0', state: 'Published', body: 'x' }];
    const r = routedVersions(own, { split: null });
    expect(r.kind === 'routed' && r.versions[0]).toBe(own[0]);
  });
});

describe('liveRoutes', () => {
  it('keeps the routes with a weight above 0, in order', () => {
    expect(liveRoutes([{ version: 'a', weight: 0 }, { version: 'b', weight: 60 }, { version: 'c', weight: 40 }])).toEqual([
      { version: 'b', weight: 60 },
      { version: 'c', weight: 40 },
    ]);
  });
});

describe('variableTypes', () => {
  const n = { name: 'n', type: 'number' };
  it('types a name as the versions declare it; an enum agrees with a string; a name none declares is absent', () => {
    const r = variableTypes(
      [
        { version: '1.0.0', variables: [n, { name: 'tone', type: 'enum' }] },
        { version: '1.1.0', variables: [n, { name: 'tone', type: 'string' }] },
        { version: '1.2.0' },
      ],
      ['n', 'tone', 'other'],
    );
    expect(r.kind).toBe('typed');
    if (r.kind !== 'typed') return;
    expect(r.variables.get('n')).toBe(n);
    expect(r.variables.get('tone')?.type).toBe('enum');
    expect(r.variables.has('other')).toBe(false);
  });

  it('returns the first name the versions disagree on, with each declaration as the wire types it', () => {
    const r = variableTypes(
      [
        { version: '1.0.0', variables: [{ name: 'a', type: 'enum' }, { name: 'b', type: 'string' }] },
        { version: '1.1.0', variables: [{ name: 'a', type: 'number' }, { name: 'b', type: 'boolean' }] },
      ],
      ['a', 'b'],
    );
    expect(r).toEqual({ kind: 'disagree', name: 'a', declared: [{ version: '1.0.0', type: 'string' }, { version: '1.1.0', type: 'number' }] });
  });
});

describe('unkeyedStickyRoutes', () => {
  const sticky = { strategy: 'sticky', stickyKey: 'conversationId', routes: [{ version: '1.0.0', weight: 90 }, { version: '1.1.0', weight: 10 }, { version: '1.2.0', weight: 0 }] };
  it('a sticky split without a key: the routes drawn among', () => {
    expect(unkeyedStickyRoutes(sticky, undefined, new Map())).toEqual([{ version: '1.0.0', weight: 90 }, { version: '1.1.0', weight: 10 }]);
  });
  it('none when a key decides, the split is random or absent, or one route carries the calls', () => {
    expect(unkeyedStickyRoutes(sticky, 'conv-42', new Map())).toBeUndefined();
    expect(unkeyedStickyRoutes(sticky, undefined, new Map([['conversationId', 'c']]))).toBeUndefined();
    expect(unkeyedStickyRoutes({ ...sticky, strategy: 'random' }, undefined, new Map())).toBeUndefined();
    expect(unkeyedStickyRoutes(null, undefined, new Map())).toBeUndefined();
    expect(unkeyedStickyRoutes({ ...sticky, routes: [{ version: '1.0.0', weight: 100 }, { version: '1.1.0', weight: 0 }] }, undefined, new Map())).toBeUndefined();
  });
});
