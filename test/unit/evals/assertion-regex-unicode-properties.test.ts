// A regex assertion compiles without flags (the schema says so), and without the u flag `\p{L}`
// matches the text "p{L}": `regex: "\\p{L}+"` failed on every ordinary answer, and validate said
// nothing. A pattern that uses a Unicode property escape (\p{…}, \P{…}) now compiles with the u
// flag, which is what it can only mean; one that does not compile so is refused by validate.
import { describe, expect, it } from 'vitest';
import { createSchemaCache, evaluate } from '../../../src/evals/assertions.js';
import type { Observation } from '../../../src/evals/types.js';
import type { Assertion } from '../../../src/model/types.js';
import { checkTests } from '../../../src/rules/tests.js';
import { promptTest, state, template, testCase, variable, version } from '../rules/build.js';

const schemas = createSchemaCache();
const answered = (output: string): Observation => ({ outcome: 'answered', version: '1.0.0', output, usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 }, costUsd: 0, latencyMs: 1, wallMs: 1, filters: [] });
const check = (value: string, output: string) => evaluate({ type: 'regex', value, not: false, path: 'spec.cases.0.expect.0' } as Assertion, answered(output), { inputs: [], schemas });

describe('a regex assertion with a Unicode property escape', () => {
  it('matches letters of any script, as \\p{…} says', () => {
    expect(check('^\\p{L}+ \\p{Lu}', 'Rückerstattung Élan')).toMatchObject({ passed: true, detail: 'matched "Rückerstattung É"' });
    expect(check('\\P{ASCII}', 'plain text').passed).toBe(false);
    expect(check('\\P{ASCII}', 'naïve').passed).toBe(true);
    // An escaped backslash before p is a backslash and a p, as before.
    expect(check('a\\\\p{2}', 'a\\pp').passed).toBe(true);
  });

  it('validate refuses one that does not compile with the u flag', () => {
    const t = promptTest('a', { template: 'billing', version: '1.0.0' }, [testCase('c', { account: 'A1', question: 'q' }, [{ type: 'regex', value: '\\p{Letter}+\\-', not: false }])]);
    const vars = [variable('account', { maxLength: 5 }), variable('question')];
    const ds = checkTests(state({ templates: [template('billing')], versions: [version('billing', '1.0.0', { userTemplate: '{{account}} {{question}}', variables: vars })], tests: [t] }));
    expect(ds.map((d) => d.rule)).toEqual(['tests/invalid-regex']);
    expect(ds[0]!.message).toMatch(/^regex does not compile: .*\(it uses \\p\{…\}, so it is read with the u flag\)$/);
  });
});
