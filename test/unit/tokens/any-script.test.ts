// tokens/any-script: DESIGN §4 counts a string's maxLength as one token a character, but the gateway
// checks maxLength in characters and one character may be up to 4 tokens. A review found a gpt-4
// version (maxTokens 4,000, a variable of maxLength 2,000) that validate passed at a worst case of
// 2,011 refused at call time, 2,000 × "𓀀" sending 8,011 prompt tokens (context.length.exceeded).
// The DESIGN worst case and its errors stay; a warning says what 4 a character would take.
import { describe, expect, it } from 'vitest';
import { budgetDiagnostics, versionTokens } from '../../../src/tokens/index.js';
import { createTokenMemo } from '../../../src/tokens/count.js';
import { countTokensUncached, ENCODINGS } from '../../../src/tokens/encoder.js';
import { MAX_TOKENS_PER_CHARACTER } from '../../../src/tokens/worst-case.js';
import { renderPrompt } from '../../../src/evals/case-vars.js';
import { checkedVariables } from '../../../src/targets/llmgateway/variables.js';
import type { PromptVersion, Variable } from '../../../src/model/types.js';
import { cookbookPromptTokens } from '../../helpers/cookbook-tokens.js';
import { at, config, state, template, version } from './fixtures.js';

const memo = createTokenMemo();
const HIEROGLYPH = '𓀀'; // U+13000

const FILE = 'prompts/digest-1.0.0.yaml';

function digest(variables: Variable[], over: Partial<PromptVersion> = {}): PromptVersion {
  return version('digest', '1.0.0', {
    systemInstruction: 'Summarise the note.',
    userTemplate: variables.map((v) => `{{${v.name}}}`).join('\n'),
    variables,
    maxTokens: 4000,
    locations: {
      'spec.maxTokens': at(FILE, 13, 14),
      'spec.variables.0.name': at(FILE, 9, 15),
      'spec.variables.0.maxLength': at(FILE, 10, 18),
      'spec.variables.1.name': at(FILE, 11, 15),
      'spec.variables.1.maxLength': at(FILE, 12, 18),
    },
    ...over,
  });
}

const note = (maxLength = 2000): Variable => ({ name: 'note', type: 'string', required: true, maxLength });
const gpt4 = template('digest', { model: 'gpt-4' });

describe('the most tokens a character takes', () => {
  it('is 4 in both encodings: reached by "𓀀" however many, never passed by text of any plane', () => {
    expect(MAX_TOKENS_PER_CHARACTER).toBe(4);
    for (const enc of ENCODINGS) {
      for (const n of [1, 2, 7, 2000]) expect(countTokensUncached(HIEROGLYPH.repeat(n), enc), `${enc} × ${n}`).toBe(4 * n);
      // Random text over every plane (byte-level BPE: a character is at most its UTF-8 bytes).
      let seed = 7;
      const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
      for (let i = 0; i < 300; i++) {
        const chars: string[] = [];
        for (let k = 0; k < 1 + (next() % 40); k++) {
          let cp = next() % 0x110000;
          if (cp >= 0xd800 && cp <= 0xdfff) cp = 0x13000 + (cp % 0x400);
          chars.push(String.fromCodePoint(cp));
        }
        const text = chars.join('');
        expect(countTokensUncached(text, enc)).toBeLessThanOrEqual(MAX_TOKENS_PER_CHARACTER * chars.length);
      }
    }
  });
});

describe('tokens/any-script', () => {
  it('warns of the review repro, at the variable\'s maxLength, with the figure a call of "𓀀" sends (its prompt part exactly)', () => {
    const v = digest([note()]);
    const r = versionTokens(v, gpt4, config(), memo);
    // DESIGN §4's worst case fits gpt-4's 8,192 with the 4,000 of output: no error.
    expect(r.worstCasePromptTokens + 4000).toBeLessThanOrEqual(8192);
    expect(r.anyScriptWorstCasePromptTokens).toBe(r.worstCasePromptTokens + 3 * 2000);
    // The gateway takes 2,000 × "𓀀" (2,000 characters), and the prompt it renders is that figure.
    const value = HIEROGLYPH.repeat(2000);
    expect(checkedVariables(v.variables, '1.0.0', { note: value }).problems).toEqual([]);
    expect(cookbookPromptTokens(renderPrompt(v, { note: value }, []), 'cl100k_base')).toBe(r.anyScriptWorstCasePromptTokens);
    expect(r.anyScriptWorstCasePromptTokens! + 4000).toBeGreaterThan(8192);

    const ds = budgetDiagnostics(state([gpt4], [v]), memo);
    expect(ds.map((d) => [d.file, d.line, d.column, d.severity, d.rule])).toEqual([[FILE, 10, 18, 'warning', 'tokens/any-script']]);
    expect(ds[0]!.message).toBe(
      `"note" (maxLength 2,000) at 4 tokens a character, as characters from U+10000 up (such as "𓀀") may take, makes the worst-case prompt ` +
        `${r.anyScriptWorstCasePromptTokens!.toLocaleString('en-US')} tokens, with maxTokens 4,000 above gpt-4's context window of 8,192: ` +
        'the gateway checks maxLength in characters, so it lets such a value through; a maxTokens on the variable bounds it in tokens',
    );
  });

  it('names every variable that carries it, at the maxLength of the one adding the most, against a budget too', () => {
    const v = digest([note(300), { name: 'topic', type: 'string', required: true, maxLength: 500 }], { maxTokens: 100 });
    const t = template('digest', { budget: { maxPromptTokens: 2000, warnAt: 1 } });
    const r = versionTokens(v, t, config(), memo);
    expect(r.worstCasePromptTokens).toBeLessThanOrEqual(2000);
    expect(r.anyScriptWorstCasePromptTokens).toBe(r.worstCasePromptTokens + 3 * 800);
    const ds = budgetDiagnostics(state([t], [v]), memo);
    expect(ds.map((d) => [d.line, d.column, d.rule])).toEqual([[12, 18, 'tokens/any-script']]);
    expect(ds[0]!.message).toMatch(
      /^"note" \(maxLength 300\) and "topic" \(maxLength 500\) at 4 tokens a character, .* make the worst-case prompt [\d,]+ tokens, above the budget of 2,000 \(PromptTemplate\/digest budget\.maxPromptTokens\): .* lets such values through; a maxTokens on each bounds it in tokens$/,
    );
  });

  it('says nothing where 4 a character fits, where maxTokens bounds the variable, or where the DESIGN worst case already errs', () => {
    // Fits: 4 × 100 characters is far within gpt-4o's window.
    expect(budgetDiagnostics(state([template('digest')], [digest([note(100)])]), memo)).toEqual([]);
    // maxTokens bounds it in tokens, whatever its maxLength: no figure, no warning.
    const bounded = digest([{ ...note(), maxTokens: 2000 }]);
    expect(versionTokens(bounded, gpt4, config(), memo).anyScriptWorstCasePromptTokens).toBeUndefined();
    expect(budgetDiagnostics(state([gpt4], [bounded]), memo)).toEqual([]);
    // An enum is bounded by its values, a number by its text: no figure.
    const enumOnly = digest([{ name: 'note', type: 'enum', required: true, values: ['a', 'b'], maxLength: 2000 }]);
    expect(versionTokens(enumOnly, gpt4, config(), memo).anyScriptWorstCasePromptTokens).toBeUndefined();
    // The DESIGN worst case errs already (one token a character past the window): its error alone.
    const over = digest([note(5000)]);
    expect(budgetDiagnostics(state([gpt4], [over]), memo).map((d) => d.rule)).toEqual(['tokens/context-window']);
  });
});
