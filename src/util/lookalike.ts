// Letters from other scripts that print as ASCII ones (Cyrillic о for o, Greek Α for A, fullwidth
// ａ), and characters that print as nothing (a byte-order mark pasted before a key): a name, a
// field or a model id written with one looks right and matches nothing. Folded, such a word finds
// what it was meant to be, and a message can say which character is not what it seems.

/** Look-alikes of ASCII letters in Cyrillic and Greek, the ones keyboards and copied text bring. */
const LOOKALIKES: Readonly<Record<string, string>> = {
  а: 'a', в: 'B', е: 'e', к: 'k', м: 'M', н: 'H', о: 'o', р: 'p', с: 'c', т: 'T', у: 'y', х: 'x', ѕ: 's', і: 'i', ј: 'j', ԁ: 'd', һ: 'h', ԛ: 'q', ԝ: 'w',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', Ѕ: 'S', І: 'I', Ј: 'J',
  α: 'a', ο: 'o', ρ: 'p', ν: 'v', ι: 'i', κ: 'k', τ: 't', υ: 'u',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
};

/** One character as ASCII when it is a look-alike of an ASCII one (fullwidth forms through NFKC), else undefined. */
function asciiOf(ch: string): string | undefined {
  const mapped = LOOKALIKES[ch];
  if (mapped !== undefined) return mapped;
  // Fullwidth letters, and spaces of other widths (a no-break space U+00A0 pasted from a web page).
  const compat = ch.normalize('NFKC');
  if (compat !== ch && /^[\x21-\x7e]$/.test(compat)) return compat;
  return /^\p{Zs}$/u.test(ch) && ch !== ' ' ? ' ' : undefined;
}

/** Format characters: no glyph (a zero-width space, a byte-order mark, a direction mark, a soft hyphen). */
const UNSEEN = /^\p{Cf}$/u;

/**
 * `word` with each look-alike replaced by the ASCII character it imitates, and the characters no
 * one sees left out (the same string when it holds neither).
 */
export function foldLookalikes(word: string): string {
  if (/^[\x00-\x7f]*$/.test(word)) return word;
  let out = '';
  for (const ch of word) if (!UNSEEN.test(ch)) out += asciiOf(ch) ?? ch;
  return out;
}

/**
 * ` (it holds U+043E, a look-alike of "o")` or ` (it holds U+FEFF, which no reader sees)` for the
 * first such character in `word`, or "": the word prints as the one it is taken for.
 */
export function lookalikeNote(word: string): string {
  for (const ch of word) {
    const hex = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    if (UNSEEN.test(ch)) return ` (it holds ${hex}, which no reader sees)`;
    const ascii = asciiOf(ch);
    if (ascii !== undefined) return ` (it holds ${hex}, a look-alike of "${ascii}")`;
  }
  return '';
}
