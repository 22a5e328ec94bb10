// Letters from other scripts that print as ASCII ones (Cyrillic о for o, Greek Α for A, fullwidth
// ａ), characters that print as nothing (a byte-order mark pasted before a key), and a letter
// written in another Unicode normalisation form (`é` as U+00E9, or as `e` + U+0301 as macOS file
// names and some editors write it): a name, a field or a model id written with one looks right
// and matches nothing. Folded, such a word finds what it was meant to be, and a message can say
// which character is not what it seems.

/** ASCII text is the same in every normalisation form: only a word with more is composed or segmented. */
const NON_ASCII = /[^\x00-\x7f]/;

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
  if (!NON_ASCII.test(word)) return word;
  let out = '';
  for (const ch of word) if (!UNSEEN.test(ch)) out += asciiOf(ch) ?? ch;
  // Composed (NFC), so a decomposed `e` + U+0301 folds as U+00E9 does.
  return out.normalize('NFC');
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

/** `a` and `b` are written apart but are one text once composed (NFC): `é` as U+00E9 and as `e` + U+0301. */
export function formsDiffer(a: string, b: string): boolean {
  return a !== b && (NON_ASCII.test(a) || NON_ASCII.test(b)) && a.normalize('NFC') === b.normalize('NFC');
}

/**
 * ` (it writes "é" as U+0065 U+0301 (NFD), that one as U+00E9 (NFC): one letter in two Unicode
 * forms)` for the first user-perceived character `word` and `other` write apart that reads the
 * same, or "": the text a reader compares is the same, the bytes a machine compares are not.
 * `that` names `other` in the note.
 */
export function formNote(word: string, other: string, that = 'that one'): string {
  const difference = formDifference(word, other, that);
  return difference === undefined ? '' : ` (${difference})`;
}

/** What formNote says, without its parentheses, or undefined. */
export function formDifference(word: string, other: string, that = 'that one'): string | undefined {
  if (!NON_ASCII.test(word) && !NON_ASCII.test(other)) return undefined;
  const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
  const ours = Array.from(segmenter.segment(word), (s) => s.segment);
  const theirs = Array.from(segmenter.segment(other), (s) => s.segment);
  for (let i = 0; i < Math.min(ours.length, theirs.length); i++) {
    const a = ours[i]!;
    const b = theirs[i]!;
    if (a === b || a.normalize('NFC') !== b.normalize('NFC')) continue;
    return `it writes "${a.normalize('NFC')}" as ${codePoints(a)}${formName(a)}, ${that} as ${codePoints(b)}${formName(b)}: one letter in two Unicode forms`;
  }
  return undefined;
}

/** "U+0065 U+0301" */
function codePoints(text: string): string {
  return [...text].map((ch) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
}

/** " (NFD)", " (NFC)", or "" for a character in neither form (the Kelvin sign, U+212A, is K in both). */
function formName(text: string): string {
  if (text === text.normalize('NFC')) return ' (NFC)';
  return text === text.normalize('NFD') ? ' (NFD)' : '';
}
