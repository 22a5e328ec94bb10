// What a trail records of one plan's runs counts changes, not records: a filter moved through an
// interim priority (two outcomes of one address) made "13 changes on record" of a plan of 12 (a review).
// And what each change made, as its last outcome says, for an apply of the same file again.
import { describe, expect, it } from 'vitest';
import { planOnRecord } from '../../../src/audit/plan-runs.js';

const line = (planId: string, address: string, outcome: string, timestamp: string, more: Record<string, unknown> = {}): string =>
  JSON.stringify({ format: 2, seq: 1, type: 'outcome', planId, address, outcome, timestamp, ...more });

describe('planOnRecord', () => {
  it('counts each address once, landed when any of its outcomes landed; other plans and intents left out', () => {
    const text = [
      line('p', 'SafetyFilter/a', 'success', '2026-12-07T10:00:00Z'),
      line('p', 'SafetyFilter/a', 'success', '2026-12-07T10:00:01Z'),
      line('p', 'PromptTemplate/t', 'failure', '2026-12-07T10:00:02Z'),
      line('p', 'PromptTemplate/u', 'failure', '2026-12-07T10:00:03Z'),
      line('p', 'PromptTemplate/u', 'succeeded (recovered)', '2026-12-07T10:05:00Z'),
      JSON.stringify({ format: 2, seq: 9, type: 'intent', planId: 'p', address: 'PromptTemplate/v', timestamp: '2026-12-07T10:06:00Z' }),
      line('q', 'PromptTemplate/w', 'success', '2026-12-07T11:00:00Z'),
    ].join('\n');
    expect(planOnRecord(text, 'p')).toMatchObject({ outcomes: 3, succeeded: 2, last: '2026-12-07T10:05:00Z' });
    expect(planOnRecord(text, 'none')).toBeNull();
  });

  it('says what each change made by its last outcome: the hash after, the id, a delete and what it took along', () => {
    const text = [
      line('p', 'SafetyFilter/a', 'success', 't1', { action: 'create', resourceId: 'f1', after: { version: 1, hash: 'interim', content: null } }),
      line('p', 'SafetyFilter/a', 'failure', 't2', { action: 'update', resourceId: 'f1', after: null }),
      line('p', 'PromptTemplate/t', 'success', 't3', { action: 'delete', resourceId: 't1', after: null, cascade: [{ address: 'TrafficSplit/t' }, { address: 7 }] }),
      line('p', 'PromptVersion/u@1.0.0', 'success', 't4', { action: 'create', resourceId: 'u1', after: { version: '1.0.0', hash: 'h', content: {} } }),
    ].join('\n');
    const made = planOnRecord(text, 'p')!.made;
    expect(made.get('SafetyFilter/a')).toEqual({ landed: false, outcome: 'failure', gone: false, hash: null, resourceId: 'f1', cascade: [] });
    expect(made.get('PromptTemplate/t')).toEqual({ landed: true, outcome: 'success', gone: true, hash: null, resourceId: 't1', cascade: ['TrafficSplit/t'] });
    expect(made.get('PromptVersion/u@1.0.0')).toEqual({ landed: true, outcome: 'success', gone: false, hash: 'h', resourceId: 'u1', cascade: [] });
  });

  it('an intent with no outcome after it is on record as started, not made (its run killed, not settled since): a plan of only such is on record', () => {
    const intent = (address: string, timestamp: string) => JSON.stringify({ format: 2, seq: 1, type: 'intent', planId: 'p', address, action: 'create', resourceId: null, after: { version: '1.0.0', hash: 'h', content: {} }, timestamp });
    const open = planOnRecord([intent('PromptVersion/u@1.0.0', 't1'), intent('PromptVersion/v@1.0.0', 't2')].join('\n'), 'p');
    expect(open).toMatchObject({ outcomes: 0, succeeded: 0, last: 't2' });
    expect(open!.made.get('PromptVersion/u@1.0.0')).toEqual({ landed: false, outcome: '', open: true, gone: false, hash: null, resourceId: null, cascade: [] });
    // Its outcome, once written, is the last word.
    const settled = planOnRecord([intent('PromptVersion/u@1.0.0', 't1'), line('p', 'PromptVersion/u@1.0.0', 'not applied', 't3')].join('\n'), 'p');
    expect(settled!.made.get('PromptVersion/u@1.0.0')).toMatchObject({ landed: false, outcome: 'not applied' });
    expect(settled!.made.get('PromptVersion/u@1.0.0')!.open).toBeUndefined();
  });
});
