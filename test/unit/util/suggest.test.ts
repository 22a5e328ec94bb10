import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from '../../../src/util/suggest.js';

describe('editDistance', () => {
  it.each([
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['maxLenght', 'maxLength', 1], // a transposition counts once
    ['same', 'same', 0],
  ])('%s → %s = %i', (a, b, d) => expect(editDistance(a, b)).toBe(d));
});

describe('closest', () => {
  const fields = ['template', 'version', 'systemInstruction', 'userTemplate', 'maxTokens', 'temperature'];
  it('suggests a near miss, case-insensitively', () => {
    expect(closest('maxTokns', fields)).toBe('maxTokens');
    expect(closest('MaxTokens', fields)).toBe('maxTokens');
    expect(closest('tempalte', fields)).toBe('template');
    expect(closest('systemInstructions', fields)).toBe('systemInstruction');
  });
  it('takes a word written with a look-alike (Cyrillic о, fullwidth ｏ) for the candidate it looks like, not one as near by its letters', () => {
    expect(closest('gpt-4\u043e', ['gpt-4', 'gpt-4o'])).toBe('gpt-4o');
    expect(closest('gpt-4\uff4f', ['gpt-4', 'gpt-4o'])).toBe('gpt-4o');
  });
  it('says nothing when nothing is close', () => {
    expect(closest('colour', fields)).toBeUndefined();
    expect(closest('x', fields)).toBeUndefined();
    expect(didYouMean('colour', fields)).toBe('');
    expect(didYouMean('versoin', fields)).toBe(' (did you mean "version"?)');
  });
  it('completes a unique prefix of three or more characters', () => {
    expect(closest('block', ['block_and_log', 'redact_and_log', 'flag_and_pass'])).toBe('block_and_log');
    expect(closest('tempe', fields)).toBe('temperature');
    expect(closest('temp', fields)).toBeUndefined(); // template or temperature
    expect(closest('te', fields)).toBeUndefined(); // too short
    expect(closest('sys', [...fields, 'systemPrompt'])).toBeUndefined(); // not unique
  });
  // `--env production` for an environment named prod got no suggestion (6 edits away).
  it('suggests the one short form that what was typed starts with', () => {
    expect(closest('production', ['dev', 'staging', 'prod'])).toBe('prod');
    expect(closest('development', ['dev', 'staging', 'prod'])).toBe('dev');
    expect(closest('prodx', ['prod', 'produce'])).toBe('prod'); // a near miss first
    expect(closest('production', ['pr', 'staging'])).toBeUndefined(); // too short to say
    expect(closest('templates_and_more', ['template', 'temp'])).toBeUndefined(); // not unique
  });
});
