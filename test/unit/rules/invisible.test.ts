import { describe, expect, it } from 'vitest';
import { CONTROL_SOURCE, IGNORABLE_SOURCE, ignorableAt, withoutInvisible } from '../../../src/rules/invisible.js';

describe('invisible characters', () => {
  it('writes out exactly the default-ignorable code points and the controls but tab and line breaks, as this Node knows them', () => {
    const written = new RegExp(`^(?:${IGNORABLE_SOURCE})$`);
    const control = new RegExp(`^${CONTROL_SOURCE}$`);
    const property = /^\p{Default_Ignorable_Code_Point}$/u;
    const cc = /^\p{Cc}$/u;
    const differ: string[] = [];
    for (let cp = 0; cp <= 0x10ffff && differ.length < 5; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const s = String.fromCodePoint(cp);
      if (written.test(s) !== property.test(s)) differ.push(`U+${cp.toString(16)} ignorable`);
      if (ignorableAt(`a${s}b`, 1) !== (property.test(s) ? s.length : 0)) differ.push(`U+${cp.toString(16)} ignorableAt`);
      if (control.test(s) !== (cc.test(s) && !'\t\n\r'.includes(s))) differ.push(`U+${cp.toString(16)} control`);
    }
    expect(differ).toEqual([]);
  });

  it('folds a text and places each index back in the text as written', () => {
    const text = 'ig\u200bno\u{e0041}\u{e0042}re x';
    const folded = withoutInvisible(text)!;
    expect(folded.text).toBe('ignore x');
    expect([0, 1, 2, 3, 4, 5, 7].map(folded.original)).toEqual([0, 1, 3, 4, 9, 10, 12]);
    expect(withoutInvisible('plain text, café, \u0007')).toBeUndefined();
  });
});
