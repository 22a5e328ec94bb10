// A `type: number` variable is bounded by what it can be: the gateway writes a number as its
// JavaScript text, at most 24 characters ("-1.7976931348623157e+308"), so at most 24 tokens. It got
// the tokens/unbounded-variable warning and a worst case of defaultVariableTokens (1,000), though
// maxLength means nothing for a number and only a made-up maxTokens would silence it. A maxLength
// written on a number (or boolean) anyway was taken as its bound, one token per character, though
// the gateway checks maxLength on strings and enums only: `maxLength: 1` made the worst case 15
// tokens under a budget of 20, while the gateway took -0.0000012345678901234567 and counted 24.
import { describe, expect, it } from 'vitest';
import { budgetDiagnostics, versionTokens } from '../../../src/tokens/index.js';
import { createTokenMemo } from '../../../src/tokens/count.js';
import { checkedVariables } from '../../../src/targets/llmgateway/variables.js';
import { config, state, template, version } from './fixtures.js';

const memo = createTokenMemo();

describe('a number variable', () => {
  const numbered = version('t', '1.0.0', { userTemplate: 'Order total: {{total}}', variables: [{ name: 'total', type: 'number', required: true }] });
  const words = version('t', '1.0.0', { userTemplate: 'Order total: {{total}}', variables: [{ name: 'total', type: 'string', required: true, maxTokens: 24 }] });

  it('is bounded (no unbounded-variable warning)', () => {
    expect(budgetDiagnostics(state([template('t')], [numbered], config({ defaultVariableTokens: 1000 })), memo).map((d) => d.rule)).toEqual([]);
  });

  it('counts as at most 24 tokens in the worst case', () => {
    const n = versionTokens(numbered, template('t'), config({ defaultVariableTokens: 1000 }), memo).worstCasePromptTokens;
    const s = versionTokens(words, template('t'), config({ defaultVariableTokens: 1000 }), memo).worstCasePromptTokens;
    expect(n).toBe(s);
  });

  it('ignores a maxLength, which the gateway does not check on a number or a boolean', () => {
    const capped = version('t', '1.0.0', { userTemplate: 'Order total: {{total}}', variables: [{ name: 'total', type: 'number', required: true, maxLength: 1 }] });
    const long = -0.0000012345678901234567;
    expect(checkedVariables([{ name: 'total', type: 'number', maxLength: 1 }], '1.0.0', { total: long }).problems).toEqual([]);
    const worst = (v: typeof capped) => versionTokens(v, template('t'), config(), memo).worstCasePromptTokens;
    expect(worst(capped)).toBe(worst(numbered));
    expect(worst(capped) - worst(version('t', '1.0.0', { userTemplate: 'Order total: ', variables: [] }))).toBeGreaterThanOrEqual(memo.count(String(long), 'o200k_base'));
    const flag = (maxLength?: number) =>
      version('t', '1.0.0', { userTemplate: 'Paid: {{paid}}', variables: [{ name: 'paid', type: 'boolean', required: true, ...(maxLength ? { maxLength } : {}) }] });
    expect(worst(flag(1))).toBe(worst(flag()));
  });
});
