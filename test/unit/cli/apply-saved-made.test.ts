// Whether what an earlier run of a saved plan made still holds on the target: only then, and with
// nothing else moved, is the same file applied again "nothing to do" (apply-saved.ts madeStillHolds).
import { describe, expect, it } from 'vitest';
import type { MadeChange } from '../../../src/audit/plan-runs.js';
import { madeStillHolds, type LiveObject } from '../../../src/cli/apply-saved.js';

const write = (hash: string, more: Partial<MadeChange> = {}): MadeChange => ({ landed: true, outcome: 'success', gone: false, hash, resourceId: 'id1', cascade: [], ...more });
const object = (hash: string, id = 'id1'): LiveObject => ({ snapshot: { version: 1, hash }, id });
const reasons = (...addresses: string[]) => addresses.map((address) => ({ address, message: 'moved' }));

describe('madeStillHolds', () => {
  const made = new Map([['TrafficSplit/b', write('h50')]]);

  it('holds while the object holds what the write left, the disagreements all its own', () => {
    expect(madeStillHolds(made, reasons('TrafficSplit/b'), new Map([['TrafficSplit/b', object('h50')]]))).toBe(true);
  });

  it('does not hold when the object holds something else, is gone, or is another object', () => {
    expect(madeStillHolds(made, reasons('TrafficSplit/b'), new Map([['TrafficSplit/b', object('h60')]]))).toBe(false);
    expect(madeStillHolds(made, reasons('TrafficSplit/b'), new Map())).toBe(false);
    expect(madeStillHolds(made, reasons('TrafficSplit/b'), new Map([['TrafficSplit/b', object('h50', 'id2')]]))).toBe(false);
  });

  it('does not hold when something the plan left alone moved too', () => {
    expect(madeStillHolds(made, reasons('TrafficSplit/b', 'PromptTemplate/b'), new Map([['TrafficSplit/b', object('h50')]]))).toBe(false);
  });

  it('does not hold for a change that did not land, or whose record says nothing of what it left', () => {
    const live = new Map([['TrafficSplit/b', object('h50')]]);
    expect(madeStillHolds(new Map([['TrafficSplit/b', write('h50', { landed: false })]]), reasons('TrafficSplit/b'), live)).toBe(false);
    expect(madeStillHolds(new Map([['TrafficSplit/b', write('h50', { hash: null })]]), reasons('TrafficSplit/b'), live)).toBe(false);
  });

  it('a delete holds while its object and what it took along are gone', () => {
    const deleted = new Map([['PromptTemplate/t', write('', { gone: true, hash: null, cascade: ['TrafficSplit/t'] })]]);
    expect(madeStillHolds(deleted, reasons('PromptTemplate/t', 'TrafficSplit/t'), new Map())).toBe(true);
    expect(madeStillHolds(deleted, reasons('PromptTemplate/t'), new Map([['PromptTemplate/t', object('x')]]))).toBe(false);
    expect(madeStillHolds(deleted, reasons('PromptTemplate/t'), new Map([['TrafficSplit/t', object('x')]]))).toBe(false);
  });
});
