// Keeping a markdown report within GitHub's limit for one comment, an issue's description or a
// job summary's part: what is shown is cut between whole pieces (a resource's block, a list item,
// a table row, a line), never inside one, and a note says how many were left out and where all
// of them are (`more`: "see the JSON plan artifact", or the command that prints them all).
import { formatInt } from './plan-common.js';

/** GitHub's limit, in characters, for a comment or an issue's description. */
export const MARKDOWN_CAP = 65_536;

/**
 * The leading `items` that fit in `room` characters, each taking its length and `sep` more (the
 * line break that joins it to the next), in their order. It stops at the first that does not fit,
 * so what is shown has no gap, and takes no item after it (a lazy iterable renders only those shown).
 */
export function fitLeading(items: Iterable<string>, room: number, sep = 0): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const item of items) {
    if (used + item.length + sep > room) break;
    kept.push(item);
    used += item.length + sep;
  }
  return kept;
}

/** A markdown list within `max` characters: the items that fit, then one saying how many more. */
export function capList(items: string[], max: number, what: string, more: string): string[] {
  const kept = fitLeading(items, max, 1);
  const left = items.length - kept.length;
  return left > 0 ? [...kept, `- … ${formatInt(left)} more ${what}; ${more}`] : kept;
}

/**
 * capList for a hard cap: the leading `items` that fit in `max` characters together with the line
 * after them saying how many were left out, which `more(kept)` writes (told how many were kept; it
 * must be no longer for more kept), each item and that line taking `sep` more. All of them, with
 * no line, when they fit whole. Where a table's rows are cut, the line can be a row of it.
 */
export function capLines(items: readonly string[], max: number, more: (kept: number) => string, sep = 1): string[] {
  if (items.reduce((n, x) => n + x.length + sep, 0) <= max) return [...items];
  const kept = fitLeading(items, max - more(0).length - sep, sep);
  return [...kept, more(kept.length)];
}

/** Text within `max` characters, cut between lines, its last line saying how many more. */
export function truncateLines(text: string, max: number, more: string): string {
  if (text.length <= max) return text;
  const lines = text.split('\n');
  const kept = fitLeading(lines, max - 120, 1);
  return [...kept, `… ${formatInt(lines.length - kept.length)} more lines; ${more}`].join('\n');
}
