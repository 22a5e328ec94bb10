import { describe, expect, it } from 'vitest';
import { budgetDiagnostics, versionTokens } from '../../../src/tokens/index.js';
import { createTokenMemo } from '../../../src/tokens/count.js';
import type { PromptTemplate, PromptVersion } from '../../../src/model/types.js';
import { at, config, state, template, version } from './fixtures.js';

const memo = createTokenMemo();

const rules = (ds: { rule: string }[]): string[] => ds.map((d) => d.rule);

describe('budgetDiagnostics', () => {
  it('is silent for a comfortable version', () => {
    expect(budgetDiagnostics(state([template('t')], [version('t', '1.0.0', { maxTokens: 512 })]), memo)).toEqual([]);
  });

  it('reports an unknown template model once, at its spec.model, with a did-you-mean', () => {
    const ds = budgetDiagnostics(state([template('t', { model: 'gpt-4o-mni' })], [version('t', '1.0.0'), version('t', '1.1.0')]), memo);
    expect(ds).toEqual([
      {
        ...at('prompts/t.yaml', 6, 10),
        severity: 'error',
        rule: 'tokens/unknown-model',
        // The suggestion may be another real model (gpt-5.1 → gpt-4.1, a review): declaring the id stays the other way out.
        message: 'unknown model "gpt-4o-mni"; did you mean "gpt-4o-mini"? If "gpt-4o-mni" is the model you mean, declare it under `models:` in promptctl.yaml',
      },
    ]);
  });

  it('names a model id written with a look-alike (a Cyrillic о in gpt-4о) as the one it looks like, and the character', () => {
    const ds = budgetDiagnostics(state([template('t', { model: 'gpt-4\u043e' })], [version('t', '1.0.0')]), memo);
    // It was "did you mean "gpt-4"?", one edit away too: followed, the template ran on another model.
    expect(ds.map((d) => d.message)).toEqual(['unknown model "gpt-4\u043e"; did you mean "gpt-4o"? (it holds U+043E, a look-alike of "o")']);
  });

  it("reports a version's own unknown model at the version's spec.model", () => {
    const ds = budgetDiagnostics(state([template('t')], [version('t', '1.0.0', { model: 'acme-xl' })]), memo);
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ ...at('prompts/t-1.0.0.yaml', 12, 10), severity: 'error', rule: 'tokens/unknown-model' });
    expect(ds[0]!.message).toMatch(/^unknown model "acme-xl"; declare it under `models:`/);
  });

  it('warns about each used variable without a bound, at its name (a number is bounded by its text)', () => {
    const v = version('t', '1.0.0', {
      userTemplate: '{{a}} {{b}} {{c}}',
      variables: [
        { name: 'a', type: 'string', required: true, maxLength: 10 },
        { name: 'b', type: 'string', required: true },
        { name: 'c', type: 'number', required: true },
      ],
    });
    const ds = budgetDiagnostics(state([template('t')], [v], config({ defaultVariableTokens: 1500 })), memo);
    expect(ds.map((d) => [d.line, d.column, d.severity, d.rule])).toEqual([[11, 15, 'warning', 'tokens/unbounded-variable']]);
    expect(ds[0]!.message).toBe('variable "b" has no maxTokens or maxLength; the worst case assumes 1,500 tokens (defaultVariableTokens)');
  });

  it('does not warn at exactly warnAt of a budget or window, though warnAt × limit rounds below it (0.57 × 100 = 56.99999999999999)', () => {
    // A version whose worst case is exactly 57 tokens: the question's bound makes up the rest.
    const probe = version('t', '1.0.0');
    const base = versionTokens(probe, template('t'), config(), memo).worstCasePromptTokens - 200;
    const v = version('t', '1.0.0', { variables: [{ name: 'question', type: 'string', required: true, maxTokens: 57 - base }] });
    const budgeted = template('t', { budget: { maxPromptTokens: 100, warnAt: 0.57 } });
    expect(versionTokens(v, budgeted, config(), memo).worstCasePromptTokens).toBe(57);
    expect(budgetDiagnostics(state([budgeted], [v]), memo)).toEqual([]);
    // The same at the context window: a model of 100 tokens, warnAt 0.57, no maxTokens.
    const windowed = template('t', { model: 'acme-100', budget: { warnAt: 0.57 } });
    const cfg = config({ models: { 'acme-100': { encoding: 'o200k_base', contextWindow: 100 } } });
    expect(budgetDiagnostics(state([windowed], [v], cfg), memo)).toEqual([]);
    // One token more is above it, and warned of.
    const above = version('t', '1.0.0', { variables: [{ name: 'question', type: 'string', required: true, maxTokens: 58 - base }] });
    expect(rules(budgetDiagnostics(state([budgeted], [above]), memo))).toEqual(['tokens/near-limit']);
    expect(rules(budgetDiagnostics(state([windowed], [above], cfg), memo))).toEqual(['tokens/near-limit']);
  });

  it('is an error when worst case plus maxTokens exceeds the context window, with the numbers', () => {
    // gpt-4: 8,192 tokens of context.
    const v = version('t', '1.0.0', { maxTokens: 1024, variables: [{ name: 'question', type: 'string', required: true, maxTokens: 7200 }] });
    const t = template('t', { model: 'gpt-4' });
    const worst = versionTokens(v, t, config(), memo).worstCasePromptTokens;
    const ds = budgetDiagnostics(state([t], [v]), memo);
    expect(ds).toEqual([
      {
        // At the question's maxTokens, 7,200 of the worst case: the part to cut.
        ...at('prompts/t-1.0.0.yaml', 10, 40),
        severity: 'error',
        rule: 'tokens/context-window',
        message: `worst-case prompt ${worst.toLocaleString('en-US')} tokens + maxTokens 1,024 exceeds gpt-4's context window of 8,192`,
      },
    ]);
  });

  it('points a breach at its largest part: a text, a variable bound, or the reply maxTokens for the context window', () => {
    // Found by review: every breach was pointed at the largest text, so a variable of maxTokens
    // 200,000 behind a one-line instruction had its error at the instruction, and a reply
    // maxTokens of 8,000 on gpt-4 (8,192) its context-window error at a 20-token text.
    const file = 'prompts/t-1.0.0.yaml';
    const where = (ds: { line: number; column: number; rule: string }[]) => ds.map((d) => [d.rule, d.line, d.column]);
    const big = version('t', '1.0.0', {
      userTemplate: 'Document: {{doc}}',
      variables: [{ name: 'doc', type: 'string', required: true, maxTokens: 200_000 }],
      locations: { 'spec.userTemplate': at(file, 8, 17), 'spec.variables.0.name': at(file, 17, 13), 'spec.variables.0.maxTokens': at(file, 19, 18) },
    });
    expect(where(budgetDiagnostics(state([template('t', { budget: { maxPromptTokens: 5000, warnAt: 0.9 } })], [big]), memo))).toEqual([
      ['tokens/context-window', 19, 18],
      ['tokens/budget', 19, 18],
    ]);
    // A variable bounded by maxLength is pointed at its maxLength.
    const long = version('t', '1.0.0', {
      userTemplate: 'Document: {{doc}}',
      variables: [{ name: 'doc', type: 'string', required: true, maxLength: 9000 }],
      locations: { 'spec.userTemplate': at(file, 8, 17), 'spec.variables.0.name': at(file, 17, 13), 'spec.variables.0.maxLength': at(file, 19, 18) },
    });
    expect(where(budgetDiagnostics(state([template('t', { model: 'gpt-4' })], [long]), memo))).toEqual([['tokens/context-window', 19, 18]]);
    // The reply: maxTokens 8,000 of gpt-4's 8,192 takes the window; the budget has no reply in it.
    const reply = version('t', '1.0.0', { maxTokens: 8000 });
    expect(where(budgetDiagnostics(state([template('t', { model: 'gpt-4', budget: { maxPromptTokens: 100, warnAt: 0.9 } })], [reply]), memo))).toEqual([
      ['tokens/context-window', 13, 14],
      ['tokens/budget', 10, 40],
    ]);
    // A text that is the largest part keeps the error.
    const text = 'Answer about invoices, refunds and card payments only. '.repeat(40);
    const wordy = version('t', '1.0.0', { systemInstruction: text, locations: { ...version('t', '1.0.0').locations, 'spec.systemInstruction': at(file, 6, 22) } });
    expect(where(budgetDiagnostics(state([template('t', { budget: { maxPromptTokens: 300, warnAt: 0.9 } })], [wordy]), memo))).toEqual([['tokens/budget', 6, 22]]);
  });

  it('warns near the context window and says when the count is approximate', () => {
    const v = version('t', '1.0.0', { model: 'claude-3-5-haiku', variables: [{ name: 'question', type: 'string', required: true, maxTokens: 185_000 }] });
    const ds = budgetDiagnostics(state([template('t')], [v]), memo);
    expect(rules(ds)).toEqual(['tokens/near-limit']);
    expect(ds[0]!.severity).toBe('warning');
    expect(ds[0]!.message).toMatch(/^worst-case prompt 185,\d{3} tokens \(approximate\) is 92\.\d% of claude-3-5-haiku's context window of 200,000 \(warnAt 0\.9\)$/);
  });

  describe('template budget', () => {
    const v = version('t', '1.0.0');
    const worst = versionTokens(v, template('t'), config(), memo).worstCasePromptTokens;
    const withBudget = (budget: PromptTemplate['budget']): PromptTemplate => template('t', { budget });

    it('is an error above maxPromptTokens', () => {
      const ds = budgetDiagnostics(state([withBudget({ maxPromptTokens: worst - 1, warnAt: 0.9 })], [v]), memo);
      expect(ds).toHaveLength(1);
      // At the question's maxTokens (200 of the worst case, the texts a dozen): the part to cut.
      expect(ds[0]).toMatchObject({ severity: 'error', rule: 'tokens/budget', line: 10, column: 40 });
      expect(ds[0]!.message).toBe(
        `worst-case prompt ${worst} tokens exceeds the budget of ${worst - 1} (PromptTemplate/t budget.maxPromptTokens)`,
      );
    });

    it('is fine at exactly maxPromptTokens when warnAt allows it', () => {
      expect(budgetDiagnostics(state([withBudget({ maxPromptTokens: worst, warnAt: 1 })], [v]), memo)).toEqual([]);
    });

    it('warns above warnAt of the budget (default 0.9, or the template own)', () => {
      const near = budgetDiagnostics(state([withBudget({ maxPromptTokens: worst + 1, warnAt: 0.9 })], [v]), memo);
      expect(near.map((d) => [d.severity, d.rule])).toEqual([['warning', 'tokens/near-limit']]);
      expect(near[0]!.message).toContain(`of the budget of ${worst + 1}`);
      const strict = budgetDiagnostics(state([withBudget({ maxPromptTokens: worst * 4, warnAt: 0.2 })], [v]), memo);
      expect(rules(strict)).toEqual(['tokens/near-limit']);
      const relaxed = budgetDiagnostics(state([withBudget({ maxPromptTokens: worst * 4, warnAt: 0.9 })], [v]), memo);
      expect(relaxed).toEqual([]);
    });
  });

  it('uses Config.models for windows: an added model is checked too', () => {
    const v: PromptVersion = version('t', '1.0.0', { model: 'tiny-llm' });
    const cfg = config({ models: { 'tiny-llm': { encoding: 'cl100k_base', contextWindow: 20 } } });
    const ds = budgetDiagnostics(state([template('t')], [v], cfg), memo);
    expect(rules(ds)).toEqual(['tokens/context-window']);
    expect(ds[0]!.message).toContain("exceeds tiny-llm's context window of 20");
    expect(ds[0]!.message).not.toContain('approximate');
  });

  it("warns when maxTokens is above the model's output limit", () => {
    const ds = budgetDiagnostics(state([template('t', { model: 'gpt-4-turbo' })], [version('t', '1.0.0', { maxTokens: 8000 })]), memo);
    expect(ds).toEqual([
      {
        ...at('prompts/t-1.0.0.yaml', 13, 14),
        severity: 'warning',
        rule: 'tokens/max-output',
        message: "maxTokens 8,000 exceeds gpt-4-turbo's maximum output of 4,096 tokens",
      },
    ]);
  });

  it('handles a 2 MB prompt far past the context window without hanging', () => {
    const v = version('t', '1.0.0', { systemInstruction: 'a'.repeat(1_000_000) + ' lorem ipsum '.repeat(80_000) });
    const ds = budgetDiagnostics(state([template('t')], [v]), memo);
    expect(rules(ds)).toEqual(['tokens/context-window']);
    expect(ds[0]!.message).toMatch(/^worst-case prompt [\d,]+ tokens exceeds gpt-4o's context window of 128,000$/);
  });
});
