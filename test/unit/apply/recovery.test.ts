import { describe, expect, it } from 'vitest';
import { settledByTrail, settle, settleOpenIntents } from '../../../src/apply/recovery.js';
import { canonicalHash } from '../../../src/kinds/canonical.js';
import { canonical as guideCanonical, snapshot as guideSnapshot } from '../../../src/kinds/Guide/index.js';
import { addressOfId, midwayOf } from '../../../src/kinds/index.js';

const snap = (hash: string) => ({ version: 1, hash, content: { h: hash } });

describe('settling an interrupted run', () => {
  it('a create or update happened when the live object holds what was intended', () => {
    expect(settle({ action: 'create', before: null, after: snap('new') }, snap('new')).outcome).toBe('succeeded (recovered)');
    expect(settle({ action: 'update', before: snap('old'), after: snap('new') }, snap('new')).outcome).toBe('succeeded (recovered)');
  });

  it('did not happen when the object is as it was planned against (or still absent)', () => {
    expect(settle({ action: 'update', before: snap('old'), after: snap('new') }, snap('old'))).toEqual({ outcome: 'not applied', after: snap('old') });
    expect(settle({ action: 'create', before: null, after: snap('new') }, undefined)).toEqual({ outcome: 'not applied', after: null });
  });

  it('a write that changes no canonical content (a lost managed-by label put back) happened only if its version moved', () => {
    const at = (version: number) => ({ version, hash: 'same', content: { h: 'same' } });
    const intent = { action: 'update', before: at(4), after: { version: null, hash: 'same', content: { h: 'same' } } };
    expect(settle(intent, at(4))).toEqual({ outcome: 'not applied', after: at(4) });
    expect(settle(intent, at(5)).outcome).toBe('succeeded (recovered)');
  });

  it('a delete happened when the object is gone', () => {
    expect(settle({ action: 'delete', before: snap('old'), after: null }, undefined).outcome).toBe('succeeded (recovered)');
    expect(settle({ action: 'delete', before: snap('old'), after: null }, snap('old')).outcome).toBe('not applied');
  });

  it('says so when someone else changed the object meanwhile', () => {
    const s = settle({ action: 'update', before: snap('old'), after: snap('new') }, snap('theirs'));
    expect(s.outcome).toBe('not applied');
    expect(s.note).toMatch(/changed by someone else/);
  });

  it('reads a write cut short between its calls (the kind’s midway states) as not applied, saying what landed', () => {
    const midway = [{ hash: 'half', left: 'half of it', note: 'partly applied: half of it' }];
    const intent = { action: 'create', before: null, after: snap('new') };
    expect(settle(intent, snap('half'), midway)).toEqual({ outcome: 'not applied', after: snap('half'), note: 'partly applied: half of it' });
    // What was intended, or what was planned against, is said as before whatever the midway states.
    expect(settle(intent, snap('new'), [{ hash: 'new', left: 'x', note: 'x' }]).outcome).toBe('succeeded (recovered)');
    expect(settle({ action: 'update', before: snap('old'), after: snap('new') }, snap('old'), [{ hash: 'old', left: 'x', note: 'x' }])).toEqual({ outcome: 'not applied', after: snap('old') });
    expect(settle(intent, snap('other'), midway).note).toMatch(/changed by someone else/);
  });

  it('guides: a guide left without a version, or with the intended content below the state git asks for, is promptctl’s own', () => {
    const version = (instruction: string, state: 'Draft' | 'TestReady' | 'ProductionReady') =>
      ({ selfUri: '', guide: { id: 'g' }, version: '2.0', instruction, state, dateCreated: '', dateModified: '' }) as never;
    const content = guideCanonical({ content: { instruction: 'new text' }, state: 'ProductionReady' });
    const intent = { address: 'Guide/g', action: 'update' as const, before: guideSnapshot(version('old text', 'ProductionReady')), after: { version: null, hash: canonicalHash(content), content } };
    const settled = (live: ReturnType<typeof guideSnapshot>) => settle(intent as never, live, midwayOf(intent));
    expect(settled(guideSnapshot(version('new text', 'Draft'))).note).toBe(
      'partly applied: the guide’s latest version holds the intended content in Draft, not yet ProductionReady (the next apply publishes it)',
    );
    expect(settled(guideSnapshot(version('new text', 'TestReady'))).note).toMatch(/^partly applied: .* in TestReady, not yet ProductionReady/);
    expect(settled(guideSnapshot(version('new text', 'ProductionReady'))).outcome).toBe('succeeded (recovered)');
    expect(settled(guideSnapshot(version('other text', 'Draft'))).note).toMatch(/changed by someone else/);
    // An update's guide with no version at all was deleted and made again by someone else.
    expect(settled(guideSnapshot(undefined)).note).toMatch(/changed by someone else/);
    const created = { ...intent, action: 'create' as const, before: null };
    const fresh = 'partly applied: the guide exists but holds none of its content yet (the next apply writes it)';
    expect(settle(created as never, guideSnapshot(undefined), midwayOf(created)).note).toBe(fresh);
    expect(settle(created as never, guideSnapshot(version('', 'Draft')), midwayOf(created)).note).toBe(fresh);
    expect(settle(created as never, guideSnapshot(version('', 'TestReady')), midwayOf(created)).note).toMatch(/changed by someone else/);
    expect(settle(created as never, guideSnapshot(version('new text', 'Draft')), midwayOf(created)).note).toMatch(/^partly applied: .* in Draft/);
    // An address of no kind has no midway states.
    expect(midwayOf({ address: 'Nothing/x', before: null, after: intent.after })).toEqual([]);
  });

  it('guides: a publish alone is one call, so git’s content below the state it was planned in is someone else’s', () => {
    const version = (state: 'Draft' | 'TestReady') =>
      ({ selfUri: '', guide: { id: 'g' }, version: '2.0', instruction: 'new text', state, dateCreated: '', dateModified: '' }) as never;
    const content = guideCanonical({ content: { instruction: 'new text' }, state: 'ProductionReady' });
    const intent = { address: 'Guide/g', action: 'update' as const, before: guideSnapshot(version('TestReady')), after: { version: '2.0', hash: canonicalHash(content), content } };
    expect(midwayOf(intent)).toEqual([]);
    expect(settle(intent as never, guideSnapshot(version('TestReady')), midwayOf(intent))).toEqual({ outcome: 'not applied', after: guideSnapshot(version('TestReady')) });
    expect(settle(intent as never, guideSnapshot(version('Draft')), midwayOf(intent)).note).toMatch(/changed by someone else/);
  });

  it('records a settlement for each open intent of this org, leaving other orgs alone', async () => {
    const intents = [
      { address: 'PromptTemplate/a', action: 'create', before: null, after: snap('a1'), org: { id: 'o1', host: 'h' }, resourceId: null },
      { address: 'PromptTemplate/b', action: 'create', before: null, after: snap('b1'), org: { id: 'o2', host: 'h' }, resourceId: null },
    ];
    const written: unknown[] = [];
    const audit = {
      pendingIntents: () => intents as never,
      recover: async (i: unknown, r: unknown) => {
        written.push([i, r]);
        return {} as never;
      },
    };
    const out = await settleOpenIntents(audit, new Map([['PromptTemplate/a', snap('a1')]]), {
      org: { id: 'o1', host: 'h' },
      by: { actor: 'x', commit: null, planId: 'p' },
    });
    expect(out).toEqual([{ address: 'PromptTemplate/a', outcome: 'succeeded (recovered)' }]);
    expect(written).toHaveLength(1);
  });
  it("names the object a create left live by its id (the intent knows none yet), landed whole or in part; none when nothing landed", async () => {
    const intents = [
      { address: 'PromptTemplate/a', action: 'create', before: null, after: snap('a1'), org: null, resourceId: null },
      { address: 'PromptTemplate/b', action: 'create', before: null, after: snap('b1'), org: null, resourceId: null },
      { address: 'PromptTemplate/c', action: 'create', before: null, after: snap('c1'), org: null, resourceId: null },
      { address: 'PromptTemplate/d', action: 'update', before: snap('d0'), after: snap('d1'), org: null, resourceId: 'id-d' },
    ];
    const written: Array<{ outcome: string; resourceId: string | null }> = [];
    const audit = {
      pendingIntents: () => intents as never,
      recover: async (_i: unknown, r: { outcome: string; resourceId: string | null }) => {
        written.push({ outcome: r.outcome, resourceId: r.resourceId });
        return {} as never;
      },
    };
    await settleOpenIntents(audit as never, new Map([['PromptTemplate/a', snap('a1')], ['PromptTemplate/b', snap('b-half')], ['PromptTemplate/d', snap('d1')]]), {
      org: null,
      by: { actor: 'x', commit: null, planId: 'p' },
      resourceIds: new Map([['PromptTemplate/a', 'id-a'], ['PromptTemplate/b', 'id-b'], ['PromptTemplate/d', 'id-other']]),
    });
    expect(written).toEqual([
      { outcome: 'succeeded (recovered)', resourceId: 'id-a' },
      { outcome: 'not applied', resourceId: 'id-b' },
      { outcome: 'not applied', resourceId: null },
      // An update keeps its own object's id; the object now at its address is another one (id-other), so its content proves nothing.
      { outcome: 'unknown', resourceId: 'id-d' },
    ]);
  });

  it('leaves open an intent the live state cannot speak for (readable says no): its absence is no outcome', async () => {
    const intents = [
      { address: 'Guide/g', action: 'delete', before: snap('g1'), after: null, org: { id: 'o1', host: 'h' }, resourceId: null },
      { address: 'PromptTemplate/a', action: 'create', before: null, after: snap('a1'), org: { id: 'o1', host: 'h' }, resourceId: null },
    ];
    const written: unknown[] = [];
    const audit = {
      pendingIntents: () => intents as never,
      recover: async (i: unknown, r: unknown) => {
        written.push([i, r]);
        return {} as never;
      },
    };
    const out = await settleOpenIntents(audit, new Map([['PromptTemplate/a', snap('a1')]]), {
      org: { id: 'o1', host: 'h' },
      by: { actor: 'x', commit: null, planId: 'p' },
      readable: (i) => !i.address.startsWith('Guide/'),
    });
    expect(out).toEqual([{ address: 'PromptTemplate/a', outcome: 'succeeded (recovered)' }]);
    expect(written).toHaveLength(1);
  });

  describe('objects told apart by id, not by address', () => {
    const at = (hash: string, version: number) => ({ version, hash, content: { h: hash } });
    const del = { action: 'delete', resourceId: 'old-id', before: at('old', 1), after: null };
    const update = { action: 'update', resourceId: 'f-id', before: at('v1', 1), after: { version: null, hash: 'ours', content: { h: 'ours' } } };

    it('a delete whose object is gone landed, though a new object holds its name now: said, and the new object’s content is not its after', () => {
      const s = settle(del, at('by-hand', 1), [], { id: 'new-id' });
      expect(s).toEqual({ outcome: 'succeeded (recovered)', after: null, note: 'the object (id old-id) is gone; a new object (id new-id) holds its name now, made since' });
      // The same object still there: not applied, as before (its content changed or not).
      expect(settle(del, at('old', 1), [], { id: 'old-id' })).toEqual({ outcome: 'not applied', after: at('old', 1) });
      expect(settle(del, at('edited', 2), [], { id: 'old-id' })).toEqual({ outcome: 'not applied', after: at('edited', 2) });
    });

    it('a delete whose object was renamed did not land: its own object is its after', () => {
      const moved = { address: 'PromptTemplate/renamed', snapshot: at('old', 2) };
      expect(settle(del, undefined, [], { moved })).toEqual({ outcome: 'not applied', after: at('old', 2), note: 'the object (id old-id) is still there, renamed since to PromptTemplate/renamed' });
      expect(settle(del, at('by-hand', 1), [], { id: 'new-id', moved }).outcome).toBe('not applied');
    });

    it('without ids (older records), an object at the address is the delete’s own only while it holds what was planned against', () => {
      const older = { action: 'delete', before: at('old', 1), after: null };
      expect(settle(older, at('old', 1))).toEqual({ outcome: 'not applied', after: at('old', 1) });
      expect(settle(older, at('by-hand', 1))).toMatchObject({ outcome: 'unknown', after: null });
    });

    it('an update whose object was written since more than once past its guard is unknown, whatever it holds', () => {
      const s = settle(update, at('theirs', 3), [], { id: 'f-id' });
      expect(s.outcome).toBe('unknown');
      expect(s.after).toEqual(at('theirs', 3));
      expect(s.note).toMatch(/version 1 → version 3/);
      // What was intended, put there by a later write (a later apply's, say), proves nothing of this one.
      expect(settle(update, at('ours', 4), [], { id: 'f-id' }).outcome).toBe('unknown');
      // Written back to what it was planned against: whether ours landed in between cannot be told.
      expect(settle(update, at('v1', 3), [], { id: 'f-id' }).outcome).toBe('unknown');
      // One write past the guard that is not ours: theirs came first, and ours met a 409.
      expect(settle(update, at('theirs', 2), [], { id: 'f-id' })).toMatchObject({ outcome: 'not applied', note: expect.stringMatching(/changed by someone else/) });
      expect(settle(update, at('v1', 1), [], { id: 'f-id' })).toEqual({ outcome: 'not applied', after: at('v1', 1) });
      expect(settle(update, at('ours', 2), [], { id: 'f-id' }).outcome).toBe('succeeded (recovered)');
    });

    it('a create found written more than once since is unknown (ours may have been the first); once, by someone else’s content, not applied', () => {
      const create = { action: 'create', before: null, after: { version: null, hash: 'ours', content: { h: 'ours' } } };
      expect(settle(create, at('theirs', 2)).outcome).toBe('unknown');
      expect(settle(create, at('theirs', 1)).note).toMatch(/changed by someone else/);
      expect(settle(create, at('ours', 1)).outcome).toBe('succeeded (recovered)');
      expect(settle(create, at('ours', 2)).outcome).toBe('unknown');
    });

    it('labels are no write counters: a version or guide is judged by its content alone, as before', () => {
      const label = (hash: string, version: string) => ({ version, hash, content: { h: hash } });
      const publish = { action: 'publish', resourceId: 't-id', before: label('draft', '1.1.0'), after: label('published', '1.1.0') };
      expect(settle(publish, label('edited', '1.1.0'), [], { id: 't-id' })).toMatchObject({ outcome: 'not applied', note: expect.stringMatching(/changed by someone else/) });
    });

    it('an update whose object is gone, or replaced by another under its name, is unknown, with no other object’s content as its after', () => {
      const replaced = settle(update, at('ours', 1), [], { id: 'new-id' });
      expect(replaced).toMatchObject({ outcome: 'unknown', after: null });
      expect(replaced.note).toMatch(/\(id f-id\) is gone; a new object \(id new-id\) holds its name now/);
      expect(settle(update, undefined, [], {})).toMatchObject({ outcome: 'unknown', after: null, note: expect.stringMatching(/gone/) });
      // Renamed: judged on its own object where it is now.
      const moved = { address: 'SafetyFilter/renamed', snapshot: at('ours', 2) };
      expect(settle(update, undefined, [], { moved })).toEqual({ outcome: 'succeeded (recovered)', after: at('ours', 2), note: 'renamed since to SafetyFilter/renamed' });
      expect(settle(update, undefined, [], { moved: { ...moved, snapshot: at('v1', 2) } }).outcome).toBe('not applied');
      expect(settle(update, undefined, [], { moved: { ...moved, snapshot: at('ours', 3) } }).outcome).toBe('unknown');
    });

    it('a version or split is its template’s: a retire whose template was made again by hand landed', () => {
      const retire = { action: 'retire', resourceId: 'old-template', before: { version: '1.0.0', hash: 'v', content: { h: 'v' } }, after: null };
      expect(settle(retire, { version: '1.0.0', hash: 'v', content: { h: 'v' } }, [], { id: 'new-template' }).outcome).toBe('succeeded (recovered)');
      const create = { action: 'create', resourceId: 'old-template', before: null, after: { version: '1.1.0', hash: 'v2', content: { h: 'v2' } } };
      expect(settle(create, { version: '1.1.0', hash: 'v2', content: { h: 'v2' } }, [], { id: 'new-template' })).toMatchObject({ outcome: 'unknown', after: null });
    });

    it('finds an object renamed since by its kind, its id and (a version) its label', () => {
      const ids = new Map([
        ['PromptTemplate/new-name', 't1'],
        ['PromptVersion/new-name@1.0.0', 't1'],
        ['TrafficSplit/new-name', 't1'],
        ['SafetyFilter/f', 'f1'],
      ]);
      const where = addressOfId(ids);
      expect(where('PromptTemplate/old-name', 't1')).toBe('PromptTemplate/new-name');
      expect(where('PromptVersion/old-name@1.0.0', 't1')).toBe('PromptVersion/new-name@1.0.0');
      expect(where('PromptVersion/old-name@2.0.0', 't1')).toBeUndefined();
      expect(where('TrafficSplit/old-name', 't1')).toBe('TrafficSplit/new-name');
      expect(where('SafetyFilter/old', 't1')).toBeUndefined();
      expect(where('Nothing/x', 't1')).toBeUndefined();
    });

    it('settling records the delete of a replaced object as landed under its own id, and an unknown outcome for each intent read that cannot tell', async () => {
      const intents = [
        { seq: 1, address: 'PromptTemplate/t', action: 'delete', before: at('old', 1), after: null, org: null, resourceId: 'old-id' },
        { seq: 2, address: 'SafetyFilter/f', ...update, org: null },
        { seq: 3, address: 'SafetyFilter/g', ...update, org: null },
      ];
      const written: Array<{ address: string; outcome: string; resourceId: string | null; after: unknown; error?: string }> = [];
      const audit = {
        pendingIntents: () => intents as never,
        recover: async (i: { address: string }, r: { outcome: string; resourceId: string | null; after: unknown; error?: string }) => {
          written.push({ address: i.address, outcome: r.outcome, resourceId: r.resourceId, after: r.after, ...(r.error ? { error: r.error } : {}) });
          return {} as never;
        },
      };
      const live = new Map([['PromptTemplate/t', at('by-hand', 1)], ['SafetyFilter/f', at('theirs', 3)], ['SafetyFilter/g', at('theirs', 3)]]);
      const resourceIds = new Map([['PromptTemplate/t', 'new-id'], ['SafetyFilter/f', 'f-id'], ['SafetyFilter/g', 'f-id']]);
      const out = await settleOpenIntents(audit as never, live, { org: null, by: { actor: 'x', commit: null, planId: 'p' }, resourceIds, addressOf: addressOfId(resourceIds) });
      expect(written).toEqual([
        { address: 'PromptTemplate/t', outcome: 'succeeded (recovered)', resourceId: 'old-id', after: null, error: expect.stringMatching(/new object \(id new-id\)/) },
        { address: 'SafetyFilter/f', outcome: 'unknown', resourceId: 'f-id', after: at('theirs', 3), error: expect.stringMatching(/written since more often than this write alone would/) },
        { address: 'SafetyFilter/g', outcome: 'unknown', resourceId: 'f-id', after: at('theirs', 3), error: expect.stringMatching(/written since more often than this write alone would/) },
      ]);
      expect(out).toEqual([
        // The report says what the record says (the delete landed; another object holds the name now).
        { address: 'PromptTemplate/t', outcome: 'succeeded (recovered)', note: expect.stringMatching(/a new object \(id new-id\) holds its name now/) },
        { address: 'SafetyFilter/f', outcome: 'unknown', note: expect.stringMatching(/cannot be told/) },
        { address: 'SafetyFilter/g', outcome: 'unknown', note: expect.stringMatching(/cannot be told/) },
      ]);
    });
  });
});

describe('settling from what the trail shows after the intent', () => {
  const st = (version: number | string | null, hash: string) => ({ version, hash, content: null });
  const later = (before: ReturnType<typeof st> | null, resourceId: string | null = 'f1') => ({ intent: 20, record: 21, resourceId, before });

  it('a later write planned against the same state that succeeded proves this one never landed', () => {
    const s = settledByTrail({ before: st(1, 'a'), resourceId: 'f1' }, [later(st(1, 'a'))], snap('new'));
    expect(s).toEqual({ outcome: 'not applied', after: snap('new'), note: "a later run's write (intent 20) was planned against the same state and succeeded (record 21): this one never landed" });
    // Two creates of one name: had the first landed, the second would have been an update.
    expect(settledByTrail({ before: null, resourceId: null }, [later(null, 'x')], undefined)?.outcome).toBe('not applied');
    // Without integer versions (a prompt version's label, a summary setting's null), the content hash says it.
    expect(settledByTrail({ before: st('1.0.0', 'a'), resourceId: 't1' }, [later(st('1.0.0', 'a'), 't1')], undefined)?.outcome).toBe('not applied');
  });

  it('proves nothing from a write planned against another state, or made to another object', () => {
    // Planned against what this one made: this one landed first (the live state decides).
    expect(settledByTrail({ before: st(1, 'a'), resourceId: 'f1' }, [later(st(2, 'b'))], snap('new'))).toBeUndefined();
    expect(settledByTrail({ before: st(null, 'a'), resourceId: 'f1' }, [later(st(null, 'b'))], snap('new'))).toBeUndefined();
    // The name's object made again since: another object, whatever its state.
    expect(settledByTrail({ before: st(1, 'a'), resourceId: 'f1' }, [later(st(1, 'a'), 'f2')], snap('new'))).toBeUndefined();
    expect(settledByTrail({ before: st(1, 'a'), resourceId: 'f1' }, [later(null)], snap('new'))).toBeUndefined();
    expect(settledByTrail({ before: st(1, 'a'), resourceId: 'f1' }, [], snap('new'))).toBeUndefined();
  });

  it('a later write planned against a state this write leaves midway proves it landed only that far', () => {
    const midway = [{ hash: 'draft', left: 'the version holds the intended content as a Draft, not yet published', note: 'partly applied: …' }];
    const create = { before: null, resourceId: 't1' };
    expect(settledByTrail(create, [later(st('1.1.0', 'draft'), 't1')], snap('published'), midway)).toEqual({
      outcome: 'not applied',
      after: snap('published'),
      note: "partly applied: the version holds the intended content as a Draft, not yet published when a later run's write (intent 20), planned against that, succeeded (record 21) and finished it",
    });
    // Another state, or another object, proves nothing; the same state as the intent's still says it never landed.
    expect(settledByTrail(create, [later(st('1.1.0', 'other'), 't1')], snap('published'), midway)).toBeUndefined();
    expect(settledByTrail(create, [later(st('1.1.0', 'draft'), 't2')], snap('published'), midway)).toBeUndefined();
    expect(settledByTrail(create, [later(st('1.1.0', 'draft'), 't1'), later(null, 't1')], snap('published'), midway)?.note).toMatch(/never landed/);
  });

  describe('later intents whatever their outcome (none yet, a failure)', () => {
    const midway = [{ hash: 'draft', left: 'the version holds the intended content as a Draft, not yet published', note: 'partly applied: …' }];
    const planned = (before: ReturnType<typeof st> | null, outcome?: string, afterHash = 'published', resourceId: string | null = 't1') => ({ intent: 30, resourceId, before, afterHash, ...(outcome ? { outcome } : {}) });

    it('one planned against the state this write leaves midway proves it got only that far, landed or not', () => {
      const create = { before: null, resourceId: null, after: st(null, 'published') };
      expect(settledByTrail(create, [], snap('published'), midway, [planned(st('1.1.0', 'draft'))])).toEqual({
        outcome: 'not applied',
        after: snap('published'),
        note: "partly applied: the version holds the intended content as a Draft, not yet published when a later run's write (intent 30, no outcome yet) was planned against that: only a later run can have finished it",
      });
      expect(settledByTrail(create, [], snap('published'), midway, [planned(st('1.1.0', 'draft'), 'failure')])?.note).toMatch(/\(intent 30, outcome failure\) was planned against that/);
      // Another state, or another object, proves nothing.
      expect(settledByTrail(create, [], snap('published'), midway, [planned(st('1.1.0', 'other'))])).toBeUndefined();
      expect(settledByTrail({ ...create, resourceId: 't2' }, [], snap('published'), midway, [planned(st('1.1.0', 'draft'))])).toBeUndefined();
    });

    it('of open intents making the same change from the same state, only the latest may be the one that landed', () => {
      const publish = { before: st('1.1.0', 'draft'), resourceId: 't1', after: st('1.1.0', 'published') };
      const s = settledByTrail(publish, [], snap('published'), midway, [planned(st('1.1.0', 'draft')), { ...planned(st('1.1.0', 'draft')), intent: 40 }]);
      expect(s?.outcome).toBe('not applied');
      expect(s?.note).toMatch(/^a later run's intent 40, the same change planned against the same state, is open too/);
      // Its own start is no midway state: not "partly applied".
      expect(s?.note).not.toMatch(/partly/);
      // One that ended (failed, not applied) or meant something else leaves the live state to decide.
      expect(settledByTrail(publish, [], snap('published'), midway, [planned(st('1.1.0', 'draft'), 'failure')])).toBeUndefined();
      expect(settledByTrail(publish, [], snap('published'), midway, [planned(st('1.1.0', 'draft'), undefined, 'other')])).toBeUndefined();
    });

    it('settling two runs’ open publishes of one version credits the job to the latest alone', async () => {
      const draft = { version: null, hash: 'draft', content: null };
      const published = { version: null, hash: 'published', content: null };
      const mk = (seq: number) => ({ seq, address: 'PromptVersion/t@1.1.0', action: 'publish', resourceId: 't1', before: draft, after: published, org: null });
      const intents = [mk(1), mk(2)];
      const written: [number, string, string | undefined][] = [];
      const audit = {
        pendingIntents: () => intents as never,
        writtenSince: () => [],
        plannedSince: (i: { seq: number }) => (i.seq === 1 ? [{ intent: 2, resourceId: 't1', before: draft, afterHash: 'published' }] : []),
        recover: async (i: { seq: number }, r: { outcome: string; error?: string }) => {
          written.push([i.seq, r.outcome, r.error]);
          return {} as never;
        },
      };
      const live = new Map([['PromptVersion/t@1.1.0', { version: null, hash: 'published', content: null }]]);
      await settleOpenIntents(audit as never, live, { org: null, by: { actor: 'x', commit: null, planId: 'p' } as never });
      expect(written.map(([seq, outcome]) => [seq, outcome])).toEqual([
        [1, 'not applied'],
        [2, 'succeeded (recovered)'],
      ]);
      expect(written[0]![2]).toMatch(/intent 2/);
    });
  });
});
