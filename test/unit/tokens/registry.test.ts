import { describe, expect, it } from 'vitest';
import { BUILT_IN_MODELS, knownModelIds, resolveModel, suggestModel } from '../../../src/tokens/registry.js';
import { config } from './fixtures.js';

describe('model registry', () => {
  it('knows the OpenAI models of DESIGN §2 exactly, with their encodings and windows', () => {
    const expected: [string, string, number][] = [
      ['gpt-4o', 'o200k_base', 128_000],
      ['gpt-4o-mini', 'o200k_base', 128_000],
      ['gpt-4.1', 'o200k_base', 1_047_576],
      ['gpt-4.1-mini', 'o200k_base', 1_047_576],
      ['gpt-4.1-nano', 'o200k_base', 1_047_576],
      ['o3', 'o200k_base', 200_000],
      ['o4-mini', 'o200k_base', 200_000],
      ['gpt-4-turbo', 'cl100k_base', 128_000],
      ['gpt-4', 'cl100k_base', 8_192],
      ['gpt-3.5-turbo', 'cl100k_base', 16_385],
    ];
    for (const [id, encoding, contextWindow] of expected) {
      const m = resolveModel(id, config());
      expect(m, id).toMatchObject({ id, encoding, contextWindow, approximate: false });
      expect(m!.inputCostPer1M, id).toBeGreaterThan(0);
      expect(m!.outputCostPer1M, id).toBeGreaterThan(m!.inputCostPer1M!);
    }
  });

  it('marks other vendors approximate', () => {
    for (const id of ['claude-3-5-sonnet', 'claude-sonnet-4', 'claude-opus-4', 'claude-3-5-haiku', 'gemini-1.5-pro', 'gemini-2.5-flash', 'llama-3.1-70b', 'llama-3.3-70b']) {
      expect(resolveModel(id, config())?.approximate, id).toBe(true);
    }
    expect([...BUILT_IN_MODELS.values()].filter((m) => !m.approximate).every((m) => /^(gpt|o\d)/.test(m.id))).toBe(true);
  });

  it('returns undefined for an unknown id, and resolves dated snapshots to their family', () => {
    expect(resolveModel('gpt-5o', config())).toBeUndefined();
    expect(resolveModel('', config())).toBeUndefined();
    expect(resolveModel('__proto__', config())).toBeUndefined();
    expect(resolveModel('gpt-4o-2024-08-06', config())).toMatchObject({ id: 'gpt-4o-2024-08-06', contextWindow: 128_000 });
    expect(resolveModel('claude-3-5-sonnet-20241022', config())).toMatchObject({ encoding: 'cl100k_base', approximate: true });
    expect(resolveModel('gpt-4-0613', config())).toMatchObject({ contextWindow: 8_192 });
  });

  it("adds config models and overrides built-ins; a config entry keeps unstated built-in prices, and another vendor's model stays approximate (DESIGN §2)", () => {
    const cfg = config({
      models: {
        'acme-llm': { encoding: 'cl100k_base', contextWindow: 32_000, inputCostPer1M: 1, outputCostPer1M: 2 },
        'claude-sonnet-4': { encoding: 'o200k_base', contextWindow: 1_000_000 },
      },
    });
    expect(resolveModel('acme-llm', cfg)).toEqual({
      id: 'acme-llm',
      encoding: 'cl100k_base',
      contextWindow: 32_000,
      inputCostPer1M: 1,
      outputCostPer1M: 2,
      approximate: false,
    });
    // A price or encoding set for a Claude model counts it no more exactly (a review: the counts lost their mark).
    expect(resolveModel('claude-sonnet-4', cfg)).toMatchObject({
      encoding: 'o200k_base',
      contextWindow: 1_000_000,
      approximate: true,
      inputCostPer1M: 3,
      outputCostPer1M: 15,
    });
    expect(knownModelIds(cfg)).toContain('acme-llm');
  });

  it("keeps a dated snapshot's family limits under a config entry for the snapshot that does not restate them", () => {
    // A price set for a pinned snapshot dropped the family's maxOutputTokens: a version without
    // maxTokens lost its cost ('the output has no bound') and maxTokens 20,000 its tokens/max-output warning.
    const cfg = config({ models: { 'gpt-4o-2024-05-13': { encoding: 'o200k_base', contextWindow: 128_000, inputCostPer1M: 5, outputCostPer1M: 15 } } });
    expect(resolveModel('gpt-4o-2024-05-13', config())).toMatchObject({ maxOutputTokens: 16_384 });
    expect(resolveModel('gpt-4o-2024-05-13', cfg)).toEqual({
      id: 'gpt-4o-2024-05-13',
      encoding: 'o200k_base',
      contextWindow: 128_000,
      maxOutputTokens: 16_384,
      inputCostPer1M: 5,
      outputCostPer1M: 15,
      approximate: false,
    });
    // The family as the config has it: its own entry first.
    const both = config({ models: { ...cfg.models, 'gpt-4o': { encoding: 'o200k_base', contextWindow: 128_000, maxOutputTokens: 4_096 } } });
    expect(resolveModel('gpt-4o-2024-05-13', both)).toMatchObject({ maxOutputTokens: 4_096, inputCostPer1M: 5 });
  });

  it('suggests the closest known id', () => {
    expect(suggestModel('gpt4o', config())).toBe('gpt-4o');
    expect(suggestModel('gpt-4o-mni', config())).toBe('gpt-4o-mini');
    expect(suggestModel('claude-sonet-4', config())).toBe('claude-sonnet-4');
    expect(suggestModel('acme-lm', config({ models: { 'acme-llm': { encoding: 'cl100k_base', contextWindow: 1 } } }))).toBe('acme-llm');
    expect(suggestModel('totally-different-thing', config())).toBeUndefined();
  });
});
