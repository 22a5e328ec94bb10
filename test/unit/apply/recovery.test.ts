import { describe, expect, it } from 'vitest';
import { settle, settleOpenIntents } from '../../../src/apply/recovery.js';

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
});
