// A `type: number` variable is bounded by what it can be: the gateway writes a number as its
// JavaScript text, at most 24 characters ("-1.7976931348623157e+308"), so at most 24 tokens. It got
// the tokens/unbounded-variable warning and a worst case of defaultVariableTokens (1,000), though
// maxLength means nothing for a number and only a made-up maxTokens would silence it.
import { describe, expect, it } from 'vitest';
import { budgetDiagnostics, versionTokens } from '../../../src/tokens/index.js';
import { createTokenMemo } from '../../../src/tokens/count.js';
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
});
