// Characters a reader of a prompt cannot see, as the rules judge them: which to report and how
// (hidden-text.ts), and the text without them, where injection.ts looks for phrases ("ig​nore
// previous instructions" with a zero-width space inside is still the phrase a model reads).
import { lastAtOrBefore } from '../util/search.js';

/**
 * Whether `text` may hold a candidate (candidateAt): one character class, a superset of them (an
 * astral one by its high surrogate). Scanned natively, it passes over nearly every text in any
 * script at once; a loop over a French or Japanese prompt's characters cost four times as much.
 */
export const mayHoldCandidate = (text: string): boolean =>
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\ud82f\ud834\udb40-\udb43]/.test(text);

/** What a finding is: the rule that reports it decides how severe it is. */
export type InvisibleKind = 'tags' | 'bidi' | 'variation-selectors' | 'hidden';

export interface InvisibleFinding {
  kind: InvisibleKind;
  index: number;
  /** UTF-16 units. */
  length: number;
  /** The characters found: a run of tags or of variation selectors, or of one character repeated. */
  text: string;
}

const isTag = (cp: number): boolean => cp >= 0xe0000 && cp <= 0xe007f;
const isBidi = (cp: number): boolean => (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
const isSelector = (cp: number): boolean => (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef) || (cp >= 0x180b && cp <= 0x180d) || cp === 0x180f;

/**
 * What writing uses, one at a time: direction marks (right-to-left text), the zero-width joiner
 * and non-joiner (emoji sequences, Persian and Indic words; not between ASCII letters, where they
 * join nothing), the Hangul choseong and jungseong fillers (old Hangul written in jamo), Khmer's
 * inherent vowels, a zero-width space after a letter of a script that separates words with one
 * (Thai, Lao, Khmer, Myanmar), a Mongolian vowel separator after a Mongolian letter. Two or more
 * in a row (a joiner and a non-joiner alternating spell bits) are reported, as anything else.
 */
const WRITING = new Set([0x200e, 0x200f, 0x061c, 0x200c, 0x200d, 0x115f, 0x1160, 0x17b4, 0x17b5, 0x200b, 0x180e]);

function written(cp: number, before: string, after: string): boolean {
  if (cp === 0x200c || cp === 0x200d) return !(/[A-Za-z0-9]$/.test(before) && /^[A-Za-z0-9]/.test(after));
  if (cp === 0x200b) return /[\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]$/u.test(before);
  if (cp === 0x180e) return /\p{sc=Mongolian}$/u.test(before);
  return WRITING.has(cp);
}

/** The black flag's tag sequences that are flags (UTS #51's recommended ones): England, Scotland, Wales. */
const FLAG_TAGS = /^\u{e0067}\u{e0062}(?:\u{e0065}\u{e006e}\u{e0067}|\u{e0073}\u{e0063}\u{e0074}|\u{e0077}\u{e006c}\u{e0073})\u{e007f}/u;

/**
 * Every invisible character of `text` that the rules report, in order. `limit` findings of each
 * kind are kept; `counts` has them all.
 */
export function invisibleIn(text: string, limit: number): { findings: InvisibleFinding[]; counts: Record<InvisibleKind, number> } {
  const findings: InvisibleFinding[] = [];
  const counts: Record<InvisibleKind, number> = { tags: 0, bidi: 0, 'variation-selectors': 0, hidden: 0 };
  if (!mayHoldCandidate(text)) return { findings, counts };
  const add = (kind: InvisibleKind, index: number, run: string): void => {
    if (counts[kind]++ < limit) findings.push({ kind, index, length: run.length, text: run });
  };
  for (let from = 0; from < text.length; ) {
    if (candidateAt(text, from) === 0) {
      from++;
      continue;
    }
    // A run of candidates, then each part of it judged.
    let to = from;
    for (let w = candidateAt(text, to); w !== 0; w = candidateAt(text, to)) to += w;
    const run = text.slice(from, to);
    let i = 0;
    while (i < run.length) {
      const at = from + i;
      const cp = run.codePointAt(i)!;
      const width = cp > 0xffff ? 2 : 1;
      // A run of one kind, as far as it goes (characters writing uses: of any of them).
      let end = i + width;
      const same = isTag(cp) ? isTag : isSelector(cp) ? isSelector : WRITING.has(cp) ? (x: number) => WRITING.has(x) : (x: number) => x === cp;
      while (end < run.length && same(run.codePointAt(end)!)) end += run.codePointAt(end)! > 0xffff ? 2 : 1;
      const part = run.slice(i, end);
      if (isTag(cp)) {
        const flag = text.codePointAt(at - 2) === 0x1f3f4 ? FLAG_TAGS.exec(part) : null;
        if (flag) end = i + flag[0].length;
        else add('tags', at, part);
      } else if (isSelector(cp)) {
        // One selector picks a glyph (an emoji's presentation, a CJK variant, a Mongolian form);
        // more in a row carry data.
        if (part.length > (cp > 0xffff ? 2 : 1)) add('variation-selectors', at, part);
      } else if (isBidi(cp)) add('bidi', at, part);
      else if (end - i > width || !written(cp, text.slice(Math.max(0, at - 2), at), text.slice(from + end, from + end + 2))) add('hidden', at, part);
      i = end;
    }
    from = to;
  }
  findings.sort((a, b) => a.index - b.index);
  return { findings, counts };
}

/**
 * The UTF-16 units of a candidate at `i` of `text`: a control (Unicode's Cc, but tab and line
 * breaks) or a default-ignorable code point; or 0.
 */
export function candidateAt(text: string, i: number): 0 | 1 | 2 {
  const c = text.charCodeAt(i);
  if (c < 0x20) return c === 0x09 || c === 0x0a || c === 0x0d ? 0 : 1;
  if (c >= 0x7f && c <= 0x9f) return 1;
  return ignorableAt(text, i);
}

/**
 * The UTF-16 units of the default-ignorable code point at `i` of `text` (drawn as nothing:
 * zero-width characters, joiners, direction marks and controls, variation selectors, fillers,
 * tags: `\p{Default_Ignorable_Code_Point}`, written out; test/unit/rules/invisible.test.ts holds
 * them equal), or 0.
 * A loop over char codes, not a regex: a regex's first run over a hostile 2 MB prompt is
 * interpreted (V8 compiles it on the next call), and took 0.35 s.
 */
export function ignorableAt(text: string, i: number): 0 | 1 | 2 {
  const c = text.charCodeAt(i);
  if (c < 0xad) return 0;
  if (c < 0xd800) {
    return c === 0xad || c === 0x34f || c === 0x61c || c === 0x115f || c === 0x1160 || c === 0x17b4 || c === 0x17b5 ||
      (c >= 0x180b && c <= 0x180f) || (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2060 && c <= 0x206f) || c === 0x3164
      ? 1
      : 0;
  }
  if (c >= 0xe000) return (c >= 0xfe00 && c <= 0xfe0f) || c === 0xfeff || c === 0xffa0 || (c >= 0xfff0 && c <= 0xfff8) ? 1 : 0;
  const d = text.charCodeAt(i + 1);
  if ((c === 0xd82f && d >= 0xdca0 && d <= 0xdca3) || (c === 0xd834 && d >= 0xdd73 && d <= 0xdd7a) || (c >= 0xdb40 && c <= 0xdb43 && d >= 0xdc00 && d <= 0xdfff)) return 2;
  return 0;
}

/**
 * `text` without its default-ignorable characters (all of them: a joiner inside an English word
 * hides it as well as a zero-width space), and the index in `text` of each index of the result;
 * undefined when it has none. The map is made when first asked for (most texts yield no finding).
 */
export function withoutInvisible(text: string): { text: string; original: (index: number) => number } | undefined {
  if (!mayHoldCandidate(text)) return undefined;
  // Into one buffer, decoded once: a million one-character pieces joined took 0.4 s.
  const units = new Uint16Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; ) {
    const width = ignorableAt(text, i);
    if (width === 0) units[n++] = text.charCodeAt(i++);
    else i += width;
  }
  if (n === text.length) return undefined;
  let map: { starts: number[]; froms: number[] } | undefined;
  return { text: UTF16.decode(units.subarray(0, n)), original: (index) => placeIn((map ??= pieces(text)), index) };
}

const UTF16 = new TextDecoder('utf-16le');

/** Where each piece of `text` between ignorable characters starts, in the folded text and in `text`. */
function pieces(text: string): { starts: number[]; froms: number[] } {
  const starts: number[] = [];
  const froms: number[] = [];
  let from = 0;
  let length = 0;
  for (let i = 0; i < text.length; ) {
    const width = ignorableAt(text, i);
    if (width === 0) {
      i++;
      continue;
    }
    if (i > from) {
      starts.push(length);
      froms.push(from);
      length += i - from;
    }
    i += width;
    from = i;
  }
  starts.push(length);
  froms.push(from);
  return { starts, froms };
}

/** The index in the text as written of `index` in the folded text: the last piece starting at or before it. */
function placeIn({ starts, froms }: { starts: readonly number[]; froms: readonly number[] }, index: number): number {
  // The first piece starts at 0 in the folded text.
  const lo = Math.max(0, lastAtOrBefore(starts, index, (x) => x));
  return froms[lo]! + (index - starts[lo]!);
}
