// "Did you mean …?" for misspelt field names, kinds, enum values and references.
import { foldLookalikes, formNote } from './lookalike.js';

/**
 * The optimal string alignment distance of `whole` and `other` (Levenshtein plus adjacent
 * transpositions) when it is at most `max`, else `max + 1`, in time about the length times
 * `max`: only the diagonal band |i - j| <= max can hold a distance that small, and a row whose band
 * is all past `max` ends the walk. `closest` asks every candidate for every unknown name, so a
 * full table each (128 by 128 for two long names) made 500 unknown references among 500 templates
 * take minutes.
 */
export function distanceWithin(whole: string, other: string, max: number): number {
  if (whole === other) return 0;
  const over = max + 1;
  if (Math.abs(whole.length - other.length) > max) return over;
  // What the two share at either end costs no edit: names that differ in a few characters
  // (`billing-v1`, `billing-v2`) leave only those to compare.
  let start = 0;
  while (start < whole.length && start < other.length && whole[start] === other[start]) start++;
  let endA = whole.length;
  let endB = other.length;
  while (endA > start && endB > start && whole[endA - 1] === other[endB - 1]) {
    endA--;
    endB--;
  }
  const a = whole.slice(start, endA);
  const b = other.slice(start, endB);
  const n = b.length;
  let prev2 = new Int32Array(n + 1).fill(over);
  let prev = new Int32Array(n + 1).fill(over);
  let cur = new Int32Array(n + 1).fill(over);
  for (let j = 0; j <= Math.min(n, max); j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(n, i + max);
    // Outside the band every distance is past max: the rows are reused, so the two cells beside
    // it, which the next row reads, are set (column 0 holds its true distance, i).
    cur[lo - 1] = lo === 1 ? i : over;
    if (hi < n) cur[hi + 1] = over;
    let rowMin = cur[lo - 1]!;
    for (let j = lo; j <= hi; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d = Math.min(d, over);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return over;
    const reused = prev2;
    prev2 = prev;
    prev = cur;
    cur = reused;
  }
  return Math.min(prev[n]!, over);
}

/**
 * The closest candidate, if it is close enough to be a plausible typo: a case-insensitive
 * match, or an edit distance of at most a third of the word (at least 1, at most 3).
 */
export function closest(word: string, given: Iterable<string>): string | undefined {
  if (word.length > 200) return undefined;
  // Walked more than once: a Map's keys() would be spent after the first walk.
  const candidates = Array.isArray(given) ? (given as readonly string[]) : [...given];
  // A word that differs only by look-alikes (Cyrillic о for o) or Unicode form (NFD `é` for NFC)
  // means the one it looks like, however near another candidate is by its letters (gpt-4о is one
  // edit from gpt-4 as from gpt-4o). A candidate is folded too: either side may be the NFD one.
  // An ASCII word holds neither (nor does it fold to another).
  if (/[^\x00-\x7f]/.test(word)) {
    const look = foldLookalikes(word).toLowerCase();
    for (const c of candidates) if (c !== word && foldLookalikes(c).toLowerCase() === look) return c;
  }
  const lower = word.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    // Only a distance within the limit can be suggested: beyond it, "too far" is all that matters.
    const d = c.toLowerCase() === lower ? 0 : distanceWithin(lower, c.toLowerCase(), limit);
    if (d < bestDistance || (d === bestDistance && best !== undefined && c < best)) {
      best = c;
      bestDistance = d;
    }
  }
  if (best !== undefined && bestDistance <= limit) return best;
  // A unique completion of what was typed: "block" → "block_and_log", "desc" → "description";
  // else the one short form that starts it: "production" → "prod" (an environment's name).
  if (lower.length < 3) return undefined;
  return uniqueMatch(candidates, word, (c) => c.startsWith(lower)) ?? uniqueMatch(candidates, word, (c) => c.length >= 3 && lower.startsWith(c));
}

/** The one candidate (lower-cased for `test`) other than `word` that passes `test`; undefined for none or several. */
function uniqueMatch(candidates: Iterable<string>, word: string, test: (lowerCandidate: string) => boolean): string | undefined {
  let only: string | undefined;
  for (const c of candidates) {
    if (c === word || !test(c.toLowerCase())) continue;
    if (only !== undefined) return undefined;
    only = c;
  }
  return only;
}

/**
 * " (did you mean "x"?)" or "", and what tells them apart when "x" reads as `word` itself (one
 * written NFD, the other NFC): a suggestion that reads like the name it replaces says nothing.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : ` (did you mean "${c}"?)${formNote(word, c)}`;
}
