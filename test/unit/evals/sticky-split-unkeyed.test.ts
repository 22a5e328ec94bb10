// A test through a sticky split sends no routing key: a case decides its version only through the
// variable the split is sticky on. Without it, each call went to a version drawn at random and a
// routedTo passed or failed by chance (and stayed so in the cache), without a word; `run` says it.
import { describe, expect, it } from 'vitest';
import { liveFacts } from '../../../src/evals/live-facts.js';
import { planTests } from '../../../src/evals/render.js';
import type { WireTemplate } from '../../../src/targets/llmgateway/wire.js';
import { promptTest, split, state, template, testCase, variable, version } from '../rules/build.js';

const q = variable('question');
const conv = variable('conversationId');
const routed = [{ type: 'routedTo', value: '1.0.0', not: false }] as never;

function withSplit(declaresKey: boolean) {
  const vars = declaresKey ? [q, conv] : [q];
  const tpl = declaresKey ? '{{question}} {{conversationId}}' : '{{question}}';
  return state({
    templates: [template('triage')],
    versions: ['1.0.0', '1.1.0'].map((v) => version('triage', v, { userTemplate: tpl, variables: vars })),
    splits: [split('triage', [['1.0.0', 90], ['1.1.0', 10]], { strategy: 'sticky', stickyKey: 'conversationId' })],
  });
}

describe('a test through a sticky split', () => {
  it('says which cases give no key, that their version is drawn at random, and how to pin it', () => {
    const s = withSplit(true);
    const t = promptTest('routing', { template: 'triage' }, [testCase('keyed', { question: 'a', conversationId: 'c-1' }, routed), testCase('loose', { question: 'b' }, routed)]);
    expect(planTests(s, [t], { targetLabel: 'org' })[0]!.notes).toContain(
      'the split is sticky on conversationId, but case "loose" gives no conversationId: its calls go to a version drawn at random (1.0.0 90 %, 1.1.0 10 %); a routedTo on it holds by chance; give it a conversationId var, or pin target.version',
    );
  });

  it('offers only pinning when the versions do not declare the key (a test sends no routing key)', () => {
    const t = promptTest('routing', { template: 'triage' }, [testCase('a', { question: 'a' })]);
    const [p] = planTests(withSplit(false), [t], { targetLabel: 'org' });
    expect(p!.notes).toContain(
      'the split is sticky on conversationId, but its case gives no conversationId: its calls go to a version drawn at random (1.0.0 90 %, 1.1.0 10 %); pin target.version to test one version (a test sends no routing key)',
    );
  });

  it("says nothing of git's split while the target routes by another (not applied yet)", () => {
    const live = { id: 't1', name: 'triage', versions: ['1.0.0', '1.1.0'].map((v) => ({ version: v, state: 'Published' })), traffic: { strategy: 'random', routes: [{ version: '1.0.0', weight: 100 }] } } as unknown as WireTemplate;
    const t = promptTest('routing', { template: 'triage' }, [testCase('a', { question: 'a' })]);
    const [p] = planTests(withSplit(true), [t], { targetLabel: 'org', live: liveFacts({ templates: [live], filters: [] }) });
    expect(p!.notes.filter((n) => n.includes('sticky'))).toEqual([]);
    expect(p!.notes).toContain("git's traffic split (1.0.0 90 %, 1.1.0 10 %) is not applied to the target yet: its calls were routed by the target's");
  });

  it('says nothing when every case gives the key, or the test pins its version', () => {
    const s = withSplit(true);
    const keyed = promptTest('routing', { template: 'triage' }, [testCase('a', { question: 'a', conversationId: 'c-1' })]);
    expect(planTests(s, [keyed], { targetLabel: 'org' })[0]!.notes.filter((n) => n.includes('sticky'))).toEqual([]);
    const pinned = promptTest('pinned', { template: 'triage', version: '1.1.0' }, [testCase('a', { question: 'a' })]);
    expect(planTests(s, [pinned], { targetLabel: 'org' })[0]!.notes.filter((n) => n.includes('sticky'))).toEqual([]);
  });
});
