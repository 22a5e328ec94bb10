import { getEncoding } from 'js-tiktoken';
import { describe, expect, it } from 'vitest';
import { budgetDiagnostics, aiStudioTokenReport, createTokenMemo } from '../../../src/tokens/index.js';
import { config } from '../../helpers/desired.js';
import { guide, state, summary } from '../rules/build.js';

const o200k = getEncoding('o200k_base');
const cl100k = getEncoding('cl100k_base');
const count = (text: string, enc = o200k) => enc.encode(text, [], []).length;

describe('AI Studio token counts', () => {
  const instruction = 'Greet {{Variable.name}} and help with the return.\n';
  const prompt = 'Summarise the call in three bullet points.\n';

  it('guides and summary prompts, as written; approximate o200k_base unless a guide declares its model', () => {
    const s = state({
      guides: [guide('Returns', { instruction, budget: { maxPromptTokens: 100, warnAt: 0.9 } }), guide('Claude guide', { instruction, model: 'claude-sonnet-4' }), guide('Exact', { instruction, model: 'gpt-4o' })],
      summarySettings: [summary('Voice', { prompt }), summary('Basic')],
    });
    expect(aiStudioTokenReport(s, createTokenMemo())).toEqual({
      guides: [
        { address: 'Guide/Claude guide', model: 'claude-sonnet-4', encoding: 'cl100k_base', approximate: true, textTokens: count(instruction, cl100k), maxPromptTokens: null, contextWindow: 200_000 },
        { address: 'Guide/Exact', model: 'gpt-4o', encoding: 'o200k_base', approximate: false, textTokens: count(instruction), maxPromptTokens: null, contextWindow: 128_000 },
        { address: 'Guide/Returns', model: null, encoding: 'o200k_base', approximate: true, textTokens: count(instruction), maxPromptTokens: 100, contextWindow: null },
      ],
      summarySettings: [{ address: 'SummarySetting/Voice', model: null, encoding: 'o200k_base', approximate: true, textTokens: count(prompt), maxPromptTokens: null, contextWindow: null }],
    });
  });

  it('budgets: an error above maxPromptTokens, a warning above warnAt, the count marked approximate', () => {
    const n = count(instruction);
    const over = guide('Over', { instruction, budget: { maxPromptTokens: n - 1, warnAt: 0.9 } });
    const near = guide('Near', { instruction, budget: { maxPromptTokens: n + 1, warnAt: 0.5 } });
    const ds = budgetDiagnostics(state({ guides: [over, near] }), createTokenMemo());
    expect(ds.map((d) => [d.rule, d.severity, d.message])).toEqual([
      ['tokens/budget', 'error', `instruction of ${n} tokens (approximate: counted with o200k_base, as Genesys does not publish its tokenizer) exceeds the budget of ${n - 1} (budget.maxPromptTokens)`],
      ['tokens/near-limit', 'warning', expect.stringMatching(/^instruction of \d+ tokens \(approximate: .*\) is 9\d\.\d% of the budget of \d+ \(budget.maxPromptTokens\) \(warnAt 0.5\)$/)],
    ]);
    expect(ds[0]).toMatchObject({ line: over.locations['spec.instruction']!.line });
  });

  it('an unknown guide model is an error with a did-you-mean; a model of the config is known', () => {
    const g = guide('G', { model: 'gpt-4o-mni' });
    expect(budgetDiagnostics(state({ guides: [g] }), createTokenMemo())).toEqual([
      expect.objectContaining({ line: g.locations['spec.model']!.line, rule: 'tokens/unknown-model', message: 'unknown model "gpt-4o-mni"; did you mean "gpt-4o-mini"?' }),
    ]);
    const own = config({ models: { 'acme-llm': { encoding: 'cl100k_base', contextWindow: 10 } } });
    const ds = budgetDiagnostics(state({ guides: [guide('G', { model: 'acme-llm', instruction: 'word '.repeat(20) })], config: own }), createTokenMemo());
    expect(ds.map((d) => [d.rule, d.message])).toEqual([['tokens/context-window', `instruction of ${count('word '.repeat(20), cl100k)} tokens exceeds acme-llm's context window of 10`]]);
  });
});
