import { describe, expect, it } from 'vitest';
import { settle, settleOpenIntents } from '../../../src/apply/recovery.js';
import { canonicalHash } from '../../../src/kinds/canonical.js';
import { canonical as guideCanonical, snapshot as guideSnapshot } from '../../../src/kinds/Guide/index.js';
import { midwayOf } from '../../../src/kinds/index.js';

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
    const midway = [{ hash: 'half', note: 'partly applied: half of it' }];
    const intent = { action: 'create', before: null, after: snap('new') };
    expect(settle(intent, snap('half'), midway)).toEqual({ outcome: 'not applied', after: snap('half'), note: 'partly applied: half of it' });
    // What was intended, or what was planned against, is said as before whatever the midway states.
    expect(settle(intent, snap('new'), [{ hash: 'new', note: 'x' }]).outcome).toBe('succeeded (recovered)');
    expect(settle({ action: 'update', before: snap('old'), after: snap('new') }, snap('old'), [{ hash: 'old', note: 'x' }])).toEqual({ outcome: 'not applied', after: snap('old') });
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
      { outcome: 'succeeded (recovered)', resourceId: 'id-d' },
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
});
