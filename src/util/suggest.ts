// "Did you mean …?" for misspelt field names, kinds, enum values and references.
import { foldLookalikes } from './lookalike.js';

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
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

/**
 * The closest candidate, if it is close enough to be a plausible typo: a case-insensitive
 * match, or an edit distance of at most a third of the word (at least 1, at most 3).
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  if (word.length > 200) return undefined;
  // A word that differs only by look-alikes (Cyrillic о for o) means the one it looks like, however
  // near another candidate is by its letters (gpt-4о is one edit from gpt-4 as from gpt-4o).
  const folded = foldLookalikes(word);
  if (folded !== word) {
    for (const c of candidates) if (c.toLowerCase() === folded.toLowerCase()) return c;
  }
  const lower = word.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    const d = c.toLowerCase() === lower ? 0 : editDistance(lower, c.toLowerCase());
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

/** " (did you mean "x"?)" or "". */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : ` (did you mean "${c}"?)`;
}
