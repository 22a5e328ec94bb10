import { describe, expect, it } from 'vitest';
import { candidateAt, ignorableAt, mayHoldCandidate, withoutInvisible } from '../../../src/rules/invisible.js';

describe('invisible characters', () => {
  it('knows exactly the default-ignorable code points, and the controls but tab and line breaks, as this Node knows them', () => {
    const property = /^\p{Default_Ignorable_Code_Point}$/u;
    const cc = /^\p{Cc}$/u;
    const differ: string[] = [];
    for (let cp = 0; cp <= 0x10ffff && differ.length < 5; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const s = String.fromCodePoint(cp);
      if (ignorableAt(`a${s}b`, 1) !== (property.test(s) ? s.length : 0)) differ.push(`U+${cp.toString(16)} ignorableAt`);
      const candidate = property.test(s) || (cc.test(s) && !'\t\n\r'.includes(s));
      if (candidateAt(`a${s}b`, 1) !== (candidate ? s.length : 0)) differ.push(`U+${cp.toString(16)} candidateAt`);
      if (candidate && !mayHoldCandidate(`a${s}b`)) differ.push(`U+${cp.toString(16)} mayHoldCandidate`);
    }
    expect(differ).toEqual([]);
    expect(mayHoldCandidate('café, 日本語, שלום, 👍')).toBe(false);
  });

  it('folds a text and places each index back in the text as written', () => {
    const text = 'ig\u200bno\u{e0041}\u{e0042}re x';
    const folded = withoutInvisible(text)!;
    expect(folded.text).toBe('ignore x');
    expect([0, 1, 2, 3, 4, 5, 7].map(folded.original)).toEqual([0, 1, 3, 4, 9, 10, 12]);
    expect(withoutInvisible('plain text, café, \u0007')).toBeUndefined();
  });
});
