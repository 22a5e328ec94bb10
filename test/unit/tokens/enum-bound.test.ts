// An enum's worst case is its longest value in tokens, whatever its maxLength says: maxLength
// counts characters, and "🧿🧿🧿" is 3 characters and 6 tokens. A review found validate reporting
// 14 worst-case tokens (a near-limit warning under a budget of 15) for a version that `run` sent
// at 20, over the budget.
import { describe, expect, it } from 'vitest';
import { budgetDiagnostics, versionTokens } from '../../../src/tokens/index.js';
import { createTokenMemo } from '../../../src/tokens/count.js';
import { countTokensUncached } from '../../../src/tokens/encoder.js';
import { renderPrompt } from '../../../src/evals/case-vars.js';
import { checkedVariables } from '../../../src/targets/llmgateway/variables.js';
import type { PromptVersion, Variable } from '../../../src/model/types.js';
import { config, state, template, version } from './fixtures.js';
import { cookbookPromptTokens } from '../../helpers/cookbook-tokens.js';

const memo = createTokenMemo();

/** What a call with `vars` is billed, as OpenAI's cookbook counts the rendered messages (roles too). */
function sentTokens(v: PromptVersion, vars: Record<string, string>): number {
  return cookbookPromptTokens(renderPrompt(v, vars, []), 'o200k_base');
}

const mood = (over: Partial<Variable> = {}): Variable => ({ name: 'mood', type: 'enum', required: true, values: ['🧿🧿🧿', 'ok'], ...over });
const moodVersion = (variable: Variable): PromptVersion =>
  version('t', '1.0.0', { systemInstruction: '', userTemplate: '{{mood}}', variables: [variable] });

describe('an enum variable bounded by its values', () => {
  it('counts its longest value in tokens, not its maxLength in characters (the review repro)', () => {
    const v = moodVersion(mood({ maxLength: 3 }));
    // The gateway takes "🧿🧿🧿" under maxLength 3: it is 3 characters.
    expect(checkedVariables([{ name: 'mood', type: 'enum', values: ['🧿🧿🧿', 'ok'], maxLength: 3 }], '1.0.0', { mood: '🧿🧿🧿' }).problems).toEqual([]);
    const r = versionTokens(v, template('t'), config(), memo);
    expect(r.worstCasePromptTokens).toBe(sentTokens(v, { mood: '🧿🧿🧿' }));
    expect(r.worstCasePromptTokens).toBeGreaterThan(15);
    // The same as without maxLength.
    expect(versionTokens(moodVersion(mood()), template('t'), config(), memo).worstCasePromptTokens).toBe(r.worstCasePromptTokens);
    // Over a budget of 15: an error, not a near-limit warning.
    const t = template('t', { budget: { maxPromptTokens: 15, warnAt: 0.9 } });
    const found = budgetDiagnostics(state([t], [v]), memo);
    expect(found.map((d) => `${d.severity} ${d.rule}`)).toEqual(['error tokens/budget']);
  });

  it('leaves out a value the gateway refuses (longer than maxLength, more tokens than maxTokens)', () => {
    const values = ['ok', 'fine', 'extraordinarily'];
    const counted = (over: Partial<Variable>) => versionTokens(moodVersion(mood({ values, ...over })), template('t'), config(), memo).worstCasePromptTokens;
    const frame = sentTokens(moodVersion(mood({ values })), { mood: '' });
    expect(counted({})).toBe(frame + countTokensUncached('extraordinarily', 'o200k_base'));
    // "extraordinarily" is refused at maxLength 4 (variables/max-length says so at validate).
    expect(counted({ maxLength: 4 })).toBe(frame + countTokensUncached('fine', 'o200k_base'));
    // maxTokens above its longest value bounds nothing: the values are all it can take.
    expect(counted({ maxTokens: 500 })).toBe(frame + countTokensUncached('extraordinarily', 'o200k_base'));
  });
});
