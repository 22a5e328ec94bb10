// A test through a split makes calls that name no version: the target's split routes them. Before
// git's split is applied, the report named git's split while the target's answered (4 of 6 calls
// to a version git routes nothing to, under a header saying 100 % to the other).
import { describe, expect, it } from 'vitest';
import { liveFacts } from '../../../src/evals/live-facts.js';
import { planTests } from '../../../src/evals/render.js';
import type { WireTemplate } from '../../../src/targets/llmgateway/wire.js';
import { promptTest, split, state, template, testCase, variable, version } from '../rules/build.js';

const q = variable('question');
const s = state({
  templates: [template('billing')],
  versions: [version('billing', '1.0.0', { userTemplate: '{{question}}', variables: [q] }), version('billing', '1.1.0', { userTemplate: '{{question}}', variables: [q] })],
  splits: [split('billing', [['1.1.0', 100], ['1.0.0', 0]])],
});
const t = promptTest('through-split', { template: 'billing' }, [testCase('c', { question: 'refund?' })]);
const live = (traffic: WireTemplate['traffic']): WireTemplate =>
  ({ id: 't1', name: 'billing', versions: ['1.0.0', '1.1.0'].map((v) => ({ version: v, state: 'Published' })), traffic }) as unknown as WireTemplate;

describe('the split a test reports', () => {
  it("names the target's split, and says git's is not applied, when they differ", () => {
    const facts = liveFacts({ templates: [live({ strategy: 'random', routes: [{ version: '1.0.0', weight: 80 }, { version: '1.1.0', weight: 20 }] } as never)], filters: [] });
    const [p] = planTests(s, [t], { targetLabel: 'org', live: facts });
    expect(p!.target).toBe("billing (the target's traffic split: 1.0.0 80 %, 1.1.0 20 %)");
    expect(p!.notes).toContain("git's traffic split (1.1.0 100 %) is not applied to the target yet: its calls were routed by the target's");
    // The routes whose draws the report checks its calls against: the target's, which route them.
    expect(p!.routedBy).toEqual([
      { version: '1.0.0', weight: 80 },
      { version: '1.1.0', weight: 20 },
    ]);
  });

  it("says nothing of the target's routing when no case runs: a version git routes to is not on the target yet", () => {
    // Found by a review: the cases said "not run: … not on this target yet" under a note that their calls were routed.
    const only100 = live({ strategy: 'random', routes: [{ version: '1.0.0', weight: 100 }] } as never);
    const facts = liveFacts({ templates: [{ ...only100, versions: [{ version: '1.0.0', state: 'Published' }] } as unknown as WireTemplate], filters: [] });
    const [p] = planTests(s, [t], { targetLabel: 'org', live: facts });
    expect(p!.calls.every((c) => c.notLive !== undefined)).toBe(true);
    expect(p!.notes.join('\n')).not.toMatch(/routed by the target's/);
  });

  it("names git's split when the target holds the same (in any order, zero weights left out), and the target's none as none", () => {
    const same = liveFacts({ templates: [live({ strategy: 'random', routes: [{ version: '1.1.0', weight: 100 }] } as never)], filters: [] });
    const [p] = planTests(s, [t], { targetLabel: 'org', live: same });
    expect(p!.target).toBe('billing (traffic split: 1.1.0 100 %)');
    expect(p!.notes).toEqual([]);
    const none = liveFacts({ templates: [live(null)], filters: [] });
    expect(planTests(s, [t], { targetLabel: 'org', live: none })[0]!.target).toBe("billing (the target's traffic split: none, its newest published version answers)");
    expect(planTests(s, [t], { targetLabel: 'org' })[0]!.target).toBe('billing (traffic split: 1.1.0 100 %)');
  });

  it("names the target's split when git has none for the template", () => {
    const noSplit = { ...s, splits: [] };
    const facts = liveFacts({ templates: [live({ strategy: 'random', routes: [{ version: '1.0.0', weight: 100 }] } as never)], filters: [] });
    const [p] = planTests(noSplit, [t], { targetLabel: 'org', live: facts });
    expect(p!.target).toBe("billing (the target's traffic split: 1.0.0 100 %)");
    expect(p!.notes).toContain("git has no traffic split for this template, but the target has one: its calls were routed by the target's");
    expect(planTests(noSplit, [t], { targetLabel: 'org', live: liveFacts({ templates: [live(null)], filters: [] }) })[0]!.target).toBe('billing (no split: its newest published version answers)');
  });
});
