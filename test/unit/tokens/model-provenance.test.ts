// What a report says of where a model's numbers come from: a dated snapshot counted and priced
// as its family (whose price, window or output limit may not be the snapshot's), and another
// vendor's model declared under the Config's models: counted approximately (DESIGN §2: other
// vendors' counts are marked approximate in every report), unless the entry says otherwise.
import { describe, expect, it } from 'vitest';
import { otherVendor, resolveModel } from '../../../src/tokens/registry.js';
import { versionTokens } from '../../../src/tokens/index.js';
import { createTokenMemo } from '../../../src/tokens/count.js';
import { renderTable } from '../../../src/views/tokens.js';
import { config, template, version } from './fixtures.js';

const memo = createTokenMemo();
const model = (over: object = {}) => ({ encoding: 'cl100k_base' as const, contextWindow: 100_000, ...over });

describe('a snapshot id resolved through its family', () => {
  it('says which family it was counted and priced as', () => {
    expect(resolveModel('gpt-4o-2024-05-13', config())).toMatchObject({ id: 'gpt-4o-2024-05-13', pricedAs: 'gpt-4o' });
    expect(resolveModel('gpt-3.5-turbo-0613', config())).toMatchObject({ pricedAs: 'gpt-3.5-turbo' });
    expect(resolveModel('gpt-4o', config())!.pricedAs).toBeUndefined();
    // Declared itself: its own entry, nothing to say.
    expect(resolveModel('gpt-4o-2024-05-13', config({ models: { 'gpt-4o-2024-05-13': model() } }))!.pricedAs).toBeUndefined();
    // Through a family the Config declares.
    expect(resolveModel('house-2025-01-01', config({ models: { house: model() } }))).toMatchObject({ pricedAs: 'house' });
  });

  it('is named in the report and once per model in the table', () => {
    const a = versionTokens(version('t', '1.0.0', { model: 'gpt-4o-2024-05-13' }), template('t'), config(), memo);
    const b = versionTokens(version('t', '1.1.0', { model: 'gpt-4o-2024-05-13' }), template('t'), config(), memo);
    expect(a.pricedAs).toBe('gpt-4o');
    const note = 'gpt-4o-2024-05-13: counted and priced as gpt-4o, its family; declare it under models: in promptctl.yaml if its price, window or output limit differ';
    const table = renderTable([a, b]);
    expect(table.split('\n').filter((l) => l === note)).toHaveLength(1);
    expect(renderTable([versionTokens(version('t', '1.0.0'), template('t'), config(), memo)])).not.toContain('its family');
  });
});

describe("a Config model's counts", () => {
  it("are approximate for another vendor's id, as the built-ins' are", () => {
    for (const id of ['claude-9', 'gemini-3-pro', 'llama-4-scout', 'anthropic.claude-v2', 'meta-llama/Llama-3-8b']) {
      expect(otherVendor(id), id).toBe(true);
      expect(resolveModel(id, config({ models: { [id]: model() } }))!.approximate, id).toBe(true);
    }
    for (const id of ['acme-llm', 'gpt-4o', 'o3', 'my-fine-tune']) {
      expect(otherVendor(id), id).toBe(false);
      expect(resolveModel(id, config({ models: { [id]: model() } }))!.approximate, id).toBe(false);
    }
  });

  it('are as the entry says where it says approximate', () => {
    expect(resolveModel('claude-9', config({ models: { 'claude-9': model({ approximate: false }) } }))!.approximate).toBe(false);
    expect(resolveModel('acme-llm', config({ models: { 'acme-llm': model({ approximate: true }) } }))!.approximate).toBe(true);
    const r = versionTokens(version('t', '1.0.0', { model: 'gemini-3-pro' }), template('t'), config({ models: { 'gemini-3-pro': model() } }), memo);
    expect(r.approximate).toBe(true);
    expect(renderTable([r])).toContain('counted gemini-3-pro with cl100k_base');
  });
});
