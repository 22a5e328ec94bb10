// Numbers a reader sees as figures have an upper bound: a cost of 1e308 per million tokens showed
// as "$Infinity" in the plan and null in its JSON, and a budget past 2^53 was silently rounded.
import { describe, expect, it } from 'vitest';
import { validators } from '../../../src/schema/validator.js';
import { describeValue, typeMessage } from '../../../src/schema/messages.js';

const valid = (kind: 'Config' | 'PromptTemplate' | 'PromptVersion', spec: Record<string, unknown>): boolean =>
  validators().validate(kind, { apiVersion: 'promptctl/v1', kind, metadata: { name: 'demo' }, spec }).length === 0;

describe('upper bounds of counts and costs', () => {
  it('takes a cost up to $1,000,000 per million tokens, and counts up to a billion tokens', () => {
    const model = (m: Record<string, unknown>) => ({ models: { 'my-model': { encoding: 'o200k_base', contextWindow: 128000, ...m } } });
    expect(valid('Config', model({ inputCostPer1M: 1_000_000, outputCostPer1M: 0.5 }))).toBe(true);
    expect(valid('Config', model({ inputCostPer1M: 1e308 }))).toBe(false);
    expect(valid('Config', model({ outputCostPer1M: 1_000_001 }))).toBe(false);
    expect(valid('Config', model({ contextWindow: 2e9 }))).toBe(false);
    expect(valid('Config', { defaultVariableTokens: 9007199254740993 })).toBe(false);
    expect(valid('PromptTemplate', { model: 'gpt-4o', budget: { maxPromptTokens: 1_000_000_000 } })).toBe(true);
    expect(valid('PromptTemplate', { model: 'gpt-4o', budget: { maxPromptTokens: 9007199254740993 } })).toBe(false);
  });

  it('says a figure YAML reads as infinity is one (400 digits, 1e400, .inf), not "Infinity" as if written so', () => {
    expect(typeMessage('spec.maxTokens', 'integer', Number.POSITIVE_INFINITY)).toBe('spec.maxTokens must be a whole number, not infinity (.inf, or a number too large to hold)');
    expect(describeValue(Number.NEGATIVE_INFINITY)).toBe('minus infinity (.inf, or a number too large to hold)');
    expect(describeValue(Number.NaN)).toBe('not-a-number (.nan)');
    expect(describeValue(12.5)).toBe('12.5');
  });
});
