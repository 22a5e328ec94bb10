// A test through git's sticky split says how its calls are routed (PlannedTest.sticky), so the
// note on a version that answered none of them does not advise raising repeat where every case
// gives the sticky key: a key always lands on the same version (a review). A random split, and a
// split the target routes by until git's is applied (its strategy unread), say nothing of it.
import { describe, expect, it } from 'vitest';
import { planTests } from '../../../src/evals/render.js';
import { promptTest, split, state, template, testCase, variable, version } from '../rules/build.js';

const vars = [variable('message'), variable('conversationId')];
const versions = [version('triage', '1.0.0', { userTemplate: '{{message}}', variables: vars }), version('triage', '1.1.0', { userTemplate: '{{message}}', variables: vars })];
const keyed = testCase('keyed', { message: 'refund', conversationId: 'c-1' });
const unkeyed = testCase('unkeyed', { message: 'refund' });
const plan = (s: ReturnType<typeof split>, cases = [keyed], live?: Map<string, { version: string; weight: number }[] | null>) =>
  planTests(state({ templates: [template('triage')], versions, splits: [s] }), [promptTest('t', { template: 'triage' }, cases)], { targetLabel: 'x', ...(live ? { live: { splits: live } } : {}) })[0]!;

describe('a test through a sticky split', () => {
  it('is planned with its key and whether every case gives it', () => {
    const sticky = split('triage', [['1.0.0', 90], ['1.1.0', 10]], { strategy: 'sticky', stickyKey: 'conversationId' });
    expect(plan(sticky).sticky).toEqual({ key: 'conversationId', keyed: 'every' });
    expect(plan(sticky, [keyed, unkeyed]).sticky).toEqual({ key: 'conversationId', keyed: 'some' });
    expect(plan(sticky, [unkeyed]).sticky).toEqual({ key: 'conversationId', keyed: 'none' });
    expect(plan(split('triage', [['1.0.0', 90], ['1.1.0', 10]], { strategy: 'sticky' })).sticky).toEqual({ keyed: 'none' });
    expect(plan(split('triage', [['1.0.0', 90], ['1.1.0', 10]])).sticky).toBeUndefined();
    // The target routes by its own split until git's is applied: its strategy is not known.
    const other = new Map([['triage', [{ version: '1.0.0', weight: 50 }, { version: '1.1.0', weight: 50 }]]]);
    expect(plan(sticky, [keyed], other).sticky).toBeUndefined();
  });
});
