// Counted nouns and lists for messages: "1 error", "2 errors", "3 addresses", "2,000 templates"; "a, b and c".
import { groupThousands } from './numbers.js';

/** `n` (its thousands grouped, as every count a message shows) and the word, with the plural form when n ≠ 1 (default: word + "s"). */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${groupThousands(n)} ${n === 1 ? word : many}`;
}

/** A list for messages: "a", "a and b", "a, b and c" (nothing for none). */
export function andList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}
