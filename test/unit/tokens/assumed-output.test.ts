// A version without maxTokens is costed at the output a call may take: the model's maximum output,
// but no more than the context window leaves after the worst-case prompt. A review found gpt-4
// (8,192 tokens for prompt and answer together) costed at 8,192 output tokens behind a 6,013-token
// worst-case prompt: at most 2,179 fit.
import { describe, expect, it } from 'vitest';
import { versionTokens } from '../../../src/tokens/index.js';
import { assumedOutput } from '../../../src/tokens/worst-case.js';
import { resolveModel } from '../../../src/tokens/registry.js';
import { createTokenMemo } from '../../../src/tokens/count.js';
import { renderTable } from '../../../src/views/tokens.js';
import { config, template, version } from './fixtures.js';

const memo = createTokenMemo();

describe('the output a version without maxTokens is costed at', () => {
  it('is what the context window leaves after the worst-case prompt, where less than the maximum output', () => {
    // A variable bound of 6,000 tokens behind a short text.
    const v = version('t', '1.0.0', { systemInstruction: 'Summarise.', userTemplate: '{{doc}}', variables: [{ name: 'doc', type: 'string', required: true, maxTokens: 6_000 }] });
    const r = versionTokens(v, template('t', { model: 'gpt-4' }), config(), memo);
    const left = 8_192 - r.worstCasePromptTokens;
    expect(r.assumedOutputTokens).toBe(left);
    expect(r.assumedOutputFrom).toBe('contextWindow');
    expect(r.costPer1kCalls).toBe(Math.round((r.worstCasePromptTokens * 30 + left * 60) / 1e3 * 1e4) / 1e4);
    expect(renderTable([r])).toContain(`the cost assumes what the context window leaves after the worst-case prompt, less than the model's maximum output (t@1.0.0: ${left.toLocaleString('en-US')} of gpt-4's 8,192)`);
    // Beside a version costed at its model's maximum output, both are said.
    const small = versionTokens(version('u', '1.0.0'), template('u'), config(), memo);
    expect(small.assumedOutputFrom).toBe('maxOutputTokens');
    expect(renderTable([r, small])).toContain("the cost assumes the model's maximum output (gpt-4o: 16,384), or what the context window leaves");
  });

  it('is never negative, and the maximum output where the window has room for it', () => {
    const gpt4 = resolveModel('gpt-4', config())!;
    expect(assumedOutput(9_000, gpt4)).toEqual({ tokens: 0, from: 'contextWindow' });
    expect(assumedOutput(8_192, gpt4)).toEqual({ tokens: 0, from: 'contextWindow' });
    expect(assumedOutput(0, gpt4)).toEqual({ tokens: 8_192, from: 'maxOutputTokens' });
    expect(assumedOutput(100_000, resolveModel('gpt-4o', config())!)).toEqual({ tokens: 16_384, from: 'maxOutputTokens' });
    expect(assumedOutput(120_000, resolveModel('gpt-4o', config())!)).toEqual({ tokens: 8_000, from: 'contextWindow' });
  });
});
