import { describe, expect, it } from 'vitest';
import { countTokensUncached } from '../../../src/tokens/encoder.js';
import { tokenReport, versionTokenCounter, versionTokens } from '../../../src/tokens/index.js';
import { createTokenMemo } from '../../../src/tokens/count.js';
import { renderPrompt } from '../../../src/evals/case-vars.js';
import type { PromptVersion } from '../../../src/model/types.js';
import { config, state, template, version } from './fixtures.js';
import { renderTable } from '../../../src/views/tokens.js';
import { cookbookPromptTokens } from '../../helpers/cookbook-tokens.js';

const memo = createTokenMemo();

const count = (s: string, enc: 'o200k_base' | 'cl100k_base' = 'o200k_base'): number => countTokensUncached(s, enc);

/** What a call is billed, as OpenAI's cookbook counts the rendered messages: contents, roles, 3 a message, 3 priming the reply. */
function sentTokens(v: PromptVersion, vars: Record<string, string>): number {
  return cookbookPromptTokens(renderPrompt(v, vars, []), 'o200k_base');
}

describe('versionTokens worst case', () => {
  it('adds texts and, a message, 3 tokens and its role, plus 3 priming the reply (hand-checked)', () => {
    const v = version('t', '1.0.0', { systemInstruction: 'hello world', userTemplate: 'tiktoken is great!', variables: [], maxTokens: 100 });
    const r = versionTokens(v, template('t'), config(), memo);
    // 2 + 6 + 2 messages × (3 + 1 for the role "system" or "user") + 3 = 19, as OpenAI's cookbook counts it
    expect(sentTokens(v, {})).toBe(19);
    expect(r).toEqual({
      address: 'PromptVersion/t@1.0.0',
      model: 'gpt-4o',
      encoding: 'o200k_base',
      approximate: false,
      systemTokens: 2,
      userTemplateTokens: 6,
      fewShotTokens: 0,
      worstCasePromptTokens: 19,
      maxTokens: 100,
      contextWindow: 128_000,
      // 1000 × (19 × $2.50 + 100 × $10.00) / 1e6
      costPer1kCalls: 1.0475,
    });
  });

  it('fills every placeholder occurrence to its bound: maxTokens, maxLength, enum, boolean, else the default', () => {
    const system = 'You help {{customer}}. Be {{tone}}.\n';
    const user = 'Customer {{customer}} asks: {{question}}\nAgain: {{ question }}\nUrgent: {{urgent}}\nNote: {{note}}';
    const fewShotExamples = [
      { input: 'Where is my refund?', output: 'It was sent on Monday.' },
      { input: 'Can I pay by card?', output: 'Yes, all major cards.' },
    ];
    const v = version('t', '2.0.0', {
      systemInstruction: system,
      userTemplate: user,
      fewShotExamples,
      variables: [
        { name: 'customer', type: 'string', required: true, maxLength: 80, maxTokens: 12 }, // maxTokens wins
        { name: 'question', type: 'string', required: true, maxLength: 300 },
        { name: 'tone', type: 'enum', required: true, values: ['friendly', 'very formal and extremely polite'] },
        { name: 'urgent', type: 'boolean', required: false },
        { name: 'note', type: 'string', required: false },
      ],
    });
    const r = versionTokens(v, template('t'), config({ defaultVariableTokens: 500 }), memo);
    const fewShot = fewShotExamples.reduce((s, e) => s + count(e.input) + count(e.output), 0);
    // The texts' fixed pieces, each counted on its own: the bounds fill the placeholders between them.
    // Plus one token for each side of a placeholder that touches text: 4 in the system text, 9 in the user's.
    const fixedSystem = count('You help ') + count('. Be ') + count('.\n') + 4;
    const fixedUser = count('Customer ') + count(' asks: ') + count('\nAgain: ') + count('\nUrgent: ') + count('\nNote: ') + 9;
    expect(r.systemTokens).toBe(fixedSystem);
    expect(r.userTemplateTokens).toBe(fixedUser);
    expect(r.fewShotTokens).toBe(fewShot);
    const variables = 2 * 12 + 2 * 300 + count('very formal and extremely polite') + 1 + 500;
    // 6 messages, each 3 tokens and its role (1 token: system, user or assistant), 3 priming the reply.
    const overhead = (2 + 2 * 2) * (3 + 1) + 3;
    expect(r.worstCasePromptTokens).toBe(fixedSystem + fixedUser + fewShot + variables + overhead);
    expect(r.maxTokens).toBeNull();
    // No maxTokens: a call may answer with gpt-4o's whole maximum output (16,384 tokens at $10/M).
    expect(r.assumedOutputTokens).toBe(16_384);
    expect(r.costPer1kCalls).toBe(Math.round((r.worstCasePromptTokens * 2.5 + 16_384 * 10) * 1e4 / 1000) / 1e4);
  });

  it('costs a version without maxTokens at the model maximum output; without one, it has no cost and says why', () => {
    const base = { systemInstruction: 'Be brief.', userTemplate: 'Hi' };
    const capped = versionTokens(version('t', '1.0.0', { ...base, maxTokens: 100 }), template('t'), config(), memo);
    const open = versionTokens(version('t', '1.1.0', base), template('t'), config(), memo);
    expect(capped.assumedOutputTokens).toBeUndefined();
    expect(open.costPer1kCalls! - capped.costPer1kCalls!).toBeCloseTo((16_384 - 100) * 10 / 1000, 3);
    // A model of the config's models: with prices but no maximum output.
    const custom = config({ models: { 'house-model': { encoding: 'o200k_base', contextWindow: 8_000, inputCostPer1M: 1, outputCostPer1M: 2 } } });
    const unbounded = versionTokens(version('t', '1.2.0', { ...base, model: 'house-model' }), template('t'), custom, memo);
    expect(unbounded.costPer1kCalls).toBeUndefined();
    expect(unbounded.outputUnbounded).toBe(true);
    expect(renderTable([capped, open, unbounded])).toContain("MAX OUT - : no maxTokens; the cost assumes the model's maximum output (gpt-4o: 16,384)");
    expect(renderTable([unbounded])).toContain('no maxOutputTokens for house-model');
    expect(renderTable([unbounded])).not.toContain('no price for');
    // Unpriced, with a maximum output: no cost, so nothing assumed for one either.
    const unpricedModel = config({ models: { 'free-model': { encoding: 'o200k_base', contextWindow: 8_000, maxOutputTokens: 2_000 } } });
    const unpriced = versionTokens(version('t', '1.3.0', { ...base, model: 'free-model' }), template('t'), unpricedModel, memo);
    expect(unpriced.assumedOutputTokens).toBeUndefined();
    expect(renderTable([unpriced])).not.toContain('MAX OUT - ');
  });

  it("counts each text's fixed pieces without its placeholders' own text ({{customerName}}), plus each variable's bound (DESIGN §4)", () => {
    const v = version('t', '1.0.0', {
      systemInstruction: 'You help {{customerName}}.',
      userTemplate: 'Customer name: {{customerName}}\nQuestion: {{ question }}',
      variables: [
        { name: 'customerName', type: 'string', required: true, maxLength: 80 },
        { name: 'question', type: 'string', required: true, maxTokens: 400 },
      ],
    });
    const r = versionTokens(v, template('t'), config(), memo);
    // SYSTEM and USER are the fixed text the worst case adds the bounds to, piece by piece.
    // Plus one token for each side of a placeholder that touches text.
    const fixedSystem = count('You help ') + count('.') + 2;
    const fixedUser = count('Customer name: ') + count('\nQuestion: ') + 3;
    expect(r.systemTokens).toBe(fixedSystem);
    expect(r.userTemplateTokens).toBe(fixedUser);
    expect(r.worstCasePromptTokens).toBe(fixedSystem + fixedUser + 2 * 80 + 400 + 2 * (3 + 1) + 3);
    expect(r.worstCasePromptTokens).toBeLessThan(count(v.systemInstruction) + count(v.userTemplate) + 2 * 80 + 400 + 2 * (3 + 1) + 3);
  });

  it('is never below what a call filled within the bounds sends: fixed pieces do not merge across a value', () => {
    // Deleting the placeholders would count "Dear . Order . Ref ." with ". " joined into fewer
    // tokens than the call uses once a value sits between them (23 against 26).
    const v = version('t', '1.0.0', {
      systemInstruction: 'Be brief.',
      userTemplate: 'Dear {{a}}. Order {{b}}. Ref {{c}}.',
      variables: ['a', 'b', 'c'].map((name) => ({ name, type: 'string' as const, required: true, maxTokens: 1 })),
      maxTokens: 100,
    });
    expect(count('12')).toBe(1);
    const r = versionTokens(v, template('t'), config(), memo);
    const actual = sentTokens(v, { a: '12', b: '12', c: '12' });
    expect(actual).toBe(26);
    expect(r.worstCasePromptTokens).toBeGreaterThanOrEqual(actual);
    expect(r.userTemplateTokens).toBe(count('Dear ') + count('. Order ') + count('. Ref ') + count('.') + 6);
  });

  it('is never below the rendered prompt, whatever fixed pieces and values sit around 2-3 placeholders', () => {
    const pieces = ['Dear ', '. Order ', '. Ref ', '.', '(', ')', ' ', '\n', 'id:', '#', 'the', '-', "'s"];
    const values = ['12', 'a', ' x', '.', 'ab', '\n', 'Ref'];
    // Each value's own count is its bound: the tightest maxTokens it fits.
    const bound = new Map(values.map((x) => [x, count(x)]));
    const failures: string[] = [];
    let checked = 0;
    // A value joined into one word with the piece beside it ("Ref" then "the": "Refthe" is 3 tokens,
    // "Ref" and "the" 1 each) can take more than its own count: a placeholder against a letter or
    // digit counts one token more on that side. Those placements are checked too.
    const glued = (parts: string[], vals: string[]): boolean =>
      vals.some((x, i) => /\p{L}$/u.test(parts[i]!) && /^\p{L}/u.test(x)) ||
      vals.some((x, i) => /\p{L}$/u.test(x) && /^\p{L}/u.test(parts[i + 1]!));
    let glue = 0;
    const check = (parts: string[], vals: string[]): void => {
      if (glued(parts, vals)) glue++;
      let user = parts[0]!;
      vals.forEach((_, i) => (user += `{{v${i}}}${parts[i + 1]!}`));
      const v = version('t', '1.0.0', {
        systemInstruction: 'Be brief.',
        userTemplate: user,
        variables: vals.map((x, i) => ({ name: `v${i}`, type: 'string' as const, required: true, maxTokens: bound.get(x)! })),
      });
      const worst = versionTokens(v, template('t'), config(), memo).worstCasePromptTokens;
      const actual = sentTokens(v, Object.fromEntries(vals.map((x, i) => [`v${i}`, x])));
      checked++;
      if (worst < actual) failures.push(`${JSON.stringify(user)} ${JSON.stringify(vals)}: ${worst} < ${actual}`);
    };
    // Two placeholders, `a{{x}}b{{y}}a` with y turning with x: every piece before and after each
    // value, every value next to every piece on both sides.
    pieces.forEach((a, ia) =>
      pieces.forEach((b, ib) => values.forEach((x, ix) => check([a, b, a], [x, values[(ix + ia + ib) % values.length]!]))),
    );
    // Three placeholders, `{{x}}b{{y}}c{{z}}`, nothing or any piece between them: every value
    // after, between and before every piece, and values side by side.
    const between = ['', ...pieces];
    between.forEach((b, ib) =>
      between.forEach((c, ic) =>
        values.forEach((y, iy) =>
          check(['', b, c, ''], [values[(iy + ic) % values.length]!, y, values[(iy + ib) % values.length]!]),
        ),
      ),
    );
    expect(checked).toBe(13 * 13 * 7 + 14 * 14 * 7);
    expect(glue).toBeGreaterThan(500);
    expect(failures).toEqual([]);
  });

  it('is never below the rendered prompt when two values sit side by side and join into one word', () => {
    // "{{a}}{{b}}" with "Ref" and "the" (1 token each, their maxTokens) sends "Refthe", 3 tokens: a
    // value against a value splits as a value against a letter of the text does, one token more.
    expect([count('Ref'), count('the'), count('Refthe')]).toEqual([1, 1, 3]);
    const v = version('t', '1.0.0', {
      systemInstruction: 'Be brief.',
      userTemplate: '{{a}}{{b}}',
      variables: ['a', 'b'].map((name) => ({ name, type: 'string' as const, required: true, maxTokens: 1 })),
    });
    const r = versionTokens(v, template('t'), config(), memo);
    expect(r.worstCasePromptTokens).toBeGreaterThanOrEqual(sentTokens(v, { a: 'Ref', b: 'the' }));
    expect(r.userTemplateTokens).toBe(1);
  });

  it('is never below the rendered prompt when a run of blanks ends the text before a value', () => {
    // Alone "x  " is 2 tokens; before "1" its last blank splits off ("x", " ", " ", "1"): 4, not 2 + 1.
    expect([count('x  '), count('1'), count('x  1')]).toEqual([2, 1, 4]);
    const v = version('t', '1.0.0', {
      systemInstruction: 'Be brief.',
      userTemplate: 'x  {{n}}',
      variables: [{ name: 'n', type: 'string', required: true, maxLength: 1 }],
    });
    expect(versionTokens(v, template('t'), config(), memo).worstCasePromptTokens).toBeGreaterThanOrEqual(sentTokens(v, { n: '1' }));
    // Every such run before every value of one character a blank does not join.
    const failures: string[] = [];
    for (const piece of ['  ', 'Total:  ', 'a\t ', '\n  ', 'x \u00a0', '.   '])
      for (const value of ['1', '.', ' ', '!', '\t']) {
        const w = version('t', '1.0.0', { ...v, userTemplate: `${piece}{{n}}` });
        const worst = versionTokens(w, template('t'), config(), memo).worstCasePromptTokens;
        const actual = sentTokens(w, { n: value });
        if (worst < actual) failures.push(`${JSON.stringify(piece)} ${JSON.stringify(value)}: ${worst} < ${actual}`);
      }
    expect(failures).toEqual([]);
  });

  it('is never below the rendered prompt when a value re-splits the punctuation it touches', () => {
    // "<" and ".NET" are 1 token each; "<.NET>" is 3 with ">" (not 1 + 1 + 1 without a join).
    expect([count('Tag <'), count('.NET'), count('>'), count('Tag <.NET>')]).toEqual([2, 1, 1, 5]);
    const failures: string[] = [];
    const templates = ['Tag <{{x}}>', '[{{x}}]', 'Price: ${{x}}', 'Quote: «{{x}}»', 'Subject: "{{x}}"', 'Path: /{{x}}/', '({{x}})\n'];
    for (const userTemplate of templates)
      for (const value of ['.NET', '<b>', '(a)', '...', '"hi"', '-1', '//x', '**bold**', "'s", ':)']) {
        const v = version('t', '1.0.0', {
          systemInstruction: 'Be brief.',
          userTemplate,
          variables: [{ name: 'x', type: 'string', required: true, maxTokens: count(value) }],
        });
        const worst = versionTokens(v, template('t'), config(), memo).worstCasePromptTokens;
        const actual = sentTokens(v, { x: value });
        if (worst < actual) failures.push(`${JSON.stringify(userTemplate)} ${JSON.stringify(value)}: ${worst} < ${actual}`);
      }
    expect(failures).toEqual([]);
  });

  it('bounds a variable by its default when the default is longer than maxTokens (the gateway sends it unchecked)', () => {
    const long = "Write in the voice of a nineteenth-century sea captain recounting a long voyage, with digressions about the weather and the ship's cat.";
    const v = version('t', '1.0.0', {
      systemInstruction: 'Be brief.',
      userTemplate: 'Style: {{style}}',
      variables: [{ name: 'style', type: 'string', required: false, maxTokens: 5, default: long }],
    });
    const r = versionTokens(v, template('t'), config(), memo);
    expect(count(long)).toBeGreaterThan(5);
    // What a call without `style` sends: both messages filled with the default, plus the framing.
    expect(r.worstCasePromptTokens).toBeGreaterThanOrEqual(sentTokens(v, {}));
    expect(r.worstCasePromptTokens).toBe(count('Be brief.') + count('Style: ') + 1 + count(long) + 2 * (3 + 1) + 3);
  });

  it("uses the version's model over the template's, and marks approximate models", () => {
    const v = version('t', '1.0.0', { model: 'claude-sonnet-4' });
    const r = versionTokens(v, template('t', { model: 'gpt-4' }), config(), memo);
    expect(r).toMatchObject({ model: 'claude-sonnet-4', encoding: 'cl100k_base', approximate: true, contextWindow: 200_000 });
    expect(r.systemTokens).toBe(count(v.systemInstruction, 'cl100k_base'));
  });

  it('omits the cost when the model has no list price', () => {
    const r = versionTokens(version('t', '1.0.0', { model: 'llama-3.1-8b' }), undefined, config(), memo);
    expect(r).not.toHaveProperty('costPer1kCalls');
    expect(r.approximate).toBe(true);
  });

  it('throws for an unknown model (callers check resolveModel; budgetDiagnostics reports it)', () => {
    expect(() => versionTokens(version('t', '1.0.0'), template('t', { model: 'gpt-9' }), config(), memo)).toThrow(/unknown model "gpt-9"/);
    expect(() => versionTokens(version('t', '1.0.0'), undefined, config(), memo)).toThrow(/unknown model/);
  });

  it('counts a block scalar exactly as resolved, final newline included', () => {
    const a = versionTokens(version('t', '1.0.0', { systemInstruction: 'Be brief' }), template('t'), config(), memo);
    const b = versionTokens(version('t', '1.0.0', { systemInstruction: 'Be brief\n' }), template('t'), config(), memo);
    expect(b.systemTokens).toBe(count('Be brief\n'));
    expect(b.systemTokens).toBe(a.systemTokens + 1);
  });
});

describe('tokenReport', () => {
  it('reports every version with a known model, sorted by address', () => {
    const s = state(
      [template('zeta'), template('alpha'), template('broken', { model: 'gpt-5o' })],
      [version('zeta', '1.0.0'), version('alpha', '1.1.0'), version('alpha', '1.0.0'), version('broken', '1.0.0'), version('orphan', '1.0.0')],
    );
    expect(tokenReport(s, memo).map((r) => r.address)).toEqual([
      'PromptVersion/alpha@1.0.0',
      'PromptVersion/alpha@1.1.0',
      'PromptVersion/zeta@1.0.0',
    ]);
  });
});

describe('versionTokenCounter', () => {
  it('is versionTokens bound to one memo (what the CLI hands the plan engine)', () => {
    const own = createTokenMemo();
    const counter = versionTokenCounter(own);
    const v = version('t', '1.0.0');
    expect(counter(v, template('t'), config())).toEqual(versionTokens(v, template('t'), config()));
    const misses = own.stats().misses;
    expect(misses).toBeGreaterThan(0);
    counter(v, template('t'), config());
    expect(own.stats().misses).toBe(misses); // the same texts again: hashes only
  });
});
