import { describe, expect, it } from 'vitest';
import { closest, didYouMean, distanceWithin } from '../../../src/util/suggest.js';

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), table by table: the reference distanceWithin is checked against. */
function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}


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
  it('takes a name written in another Unicode form (NFD é) for the one it reads as, and says what tells them apart', () => {
    // "did you mean "Café"?" of "Café" read like the name it rejected. Either side may be the NFD one,
    // and a short name (3 letters and a mark: two edits, past its limit of one) is found too.
    expect(closest('Cafe\u0301 guide', ['Caf\u00e9 guide', 'Other'])).toBe('Caf\u00e9 guide');
    expect(closest('n\u00e9e', ['ne\u0301e', 'nee'])).toBe('ne\u0301e');
    expect(didYouMean('Cafe\u0301 guide', new Map([['Caf\u00e9 guide', 1]]).keys())).toBe(
      ' (did you mean "Caf\u00e9 guide"?) (it writes "\u00e9" as U+0065 U+0301 (NFD), that one as U+00E9 (NFC): one letter in two Unicode forms)',
    );
    // A near miss by its letters gets no such note.
    expect(didYouMean('Caf\u00e9 gide', ['Caf\u00e9 guide'])).toBe(' (did you mean "Caf\u00e9 guide"?)');
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

describe('distanceWithin', () => {
  it('is editDistance where that is at most the bound, and one past the bound otherwise', () => {
    // Every pair of short words over a small alphabet (many near misses), for bounds 0 to 4.
    const words = [''];
    for (let len = 1; len <= 5; len++) for (let k = 0; k < 3 ** len; k++) words.push(k.toString(3).padStart(len, '0').replace(/0/g, 'a').replace(/1/g, 'b').replace(/2/g, 'c'));
    for (let i = 0; i < words.length; i += 3) {
      for (const b of words) {
        const a = words[i]!;
        const d = editDistance(a, b);
        for (let max = 0; max <= 4; max++) expect(distanceWithin(a, b, max), `${a} ${b} ${max}`).toBe(Math.min(d, max + 1));
      }
    }
    expect(distanceWithin(`a${'x'.repeat(200)}b`, `b${'x'.repeat(200)}a`, 3)).toBe(2);
    expect(distanceWithin(`${'x'.repeat(100)}ab${'y'.repeat(100)}`, `${'x'.repeat(100)}ba${'y'.repeat(100)}`, 1)).toBe(1);
  });
});
