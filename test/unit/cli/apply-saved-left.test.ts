// What a saved plan's earlier run left undone, as the partly-applied refusal lists it
// (apply-saved.ts leftByItsRun): its changes that never started, and those whose last outcome did not land.
import { describe, expect, it } from 'vitest';
import type { MadeChange } from '../../../src/audit/plan-runs.js';
import { leftByItsRun } from '../../../src/cli/apply-saved.js';
import type { Plan } from '../../../src/plan/types.js';

const action = (address: string, act: string, more: object = {}) => ({ address, action: act, ...more });
const made = (outcome: string, landed = outcome === 'success'): MadeChange => ({ landed, outcome, gone: false, hash: 'h', resourceId: null, cascade: [] });

describe('leftByItsRun', () => {
  it('lists the changes with no outcome on record and those that did not land, in plan order; never a noop or a pending delete', () => {
    const saved = {
      actions: [
        action('PromptTemplate/a', 'create'),
        action('PromptVersion/a@1.0.0', 'create'),
        action('SafetyFilter/f', 'update'),
        action('TrafficSplit/a', 'create'),
        action('PromptTemplate/b', 'noop'),
        action('PromptTemplate/old', 'delete', { pending: true }),
      ],
    } as unknown as Plan;
    const records = new Map([
      ['PromptTemplate/a', made('success')],
      ['PromptVersion/a@1.0.0', made('succeeded (recovered)', true)],
      ['SafetyFilter/f', made('failure')],
    ]);
    expect(leftByItsRun(saved, records).map((l) => [l.action.address, l.outcome])).toEqual([
      ['SafetyFilter/f', 'failure'],
      ['TrafficSplit/a', undefined],
    ]);
  });
});
