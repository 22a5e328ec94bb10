// A regex assertion that starts with (?i) matches without regard to case, as a `responses:` match
// reads it: before, it failed to compile ("Invalid group") and a team had to write [Rr]efund.
// (?i) is no valid JavaScript pattern, so no pattern that compiled before reads otherwise now.
import { describe, expect, it } from 'vitest';
import { createSchemaCache, evaluate } from '../../../src/evals/assertions.js';
import type { Observation } from '../../../src/evals/types.js';
import type { Assertion } from '../../../src/model/types.js';
import { checkTests } from '../../../src/rules/tests.js';
import { promptTest, state, template, testCase, variable, version } from '../rules/build.js';

const schemas = createSchemaCache();
const answered = (output: string): Observation => ({ outcome: 'answered', version: '1.0.0', output, usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 }, costUsd: 0, latencyMs: 1, wallMs: 1, filters: [] });
const check = (value: string, output: string, not = false) => evaluate({ type: 'regex', value, not, path: 'spec.cases.0.expect.0' } as Assertion, answered(output), { inputs: [], schemas });

describe('a regex assertion starting with (?i)', () => {
  it('matches whatever the case', () => {
    expect(check('(?i)refund', 'Your REFUND is on its way')).toMatchObject({ passed: true, detail: 'matched "REFUND"' });
    expect(check('(?i)refund', 'no money back').passed).toBe(false);
    expect(check('(?i)refund', 'Refund issued', true).passed).toBe(false);
    // With a property escape, both flags: \p{L} needs u, élan against ÉLAN needs i.
    expect(check('(?i)\\p{L}+ élan', 'Grand ÉLAN').passed).toBe(true);
    expect(check('\\p{L}+ élan', 'Grand ÉLAN').passed).toBe(false);
  });

  it('is valid for validate; (?i) elsewhere is not', () => {
    const run = (value: string) => {
      const t = promptTest('a', { template: 'billing', version: '1.0.0' }, [testCase('c', { question: 'q' }, [{ type: 'regex', value, not: false }])]);
      return checkTests(state({ templates: [template('billing')], versions: [version('billing', '1.0.0', { userTemplate: '{{question}}', variables: [variable('question')] })], tests: [t] }));
    };
    expect(run('(?i)refund')).toEqual([]);
    expect(run('a(?i)b').map((d) => d.rule)).toEqual(['tests/invalid-regex']);
  });
});
