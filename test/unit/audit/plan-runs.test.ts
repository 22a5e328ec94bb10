// What a trail records of one plan's runs counts changes, not records: a filter moved through an
// interim priority (two outcomes of one address) made "13 changes on record" of a plan of 12 (a review).
import { describe, expect, it } from 'vitest';
import { planOnRecord } from '../../../src/audit/plan-runs.js';

const line = (planId: string, address: string, outcome: string, timestamp: string): string =>
  JSON.stringify({ format: 2, seq: 1, type: 'outcome', planId, address, outcome, timestamp });

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
    expect(planOnRecord(text, 'p')).toEqual({ outcomes: 3, succeeded: 2, last: '2026-12-07T10:05:00Z' });
    expect(planOnRecord(text, 'none')).toBeNull();
  });
});
