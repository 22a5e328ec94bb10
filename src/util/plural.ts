// Counted nouns for messages: "1 error", "2 errors", "1 address", "3 addresses", "2,000 templates".
import { groupThousands } from './numbers.js';

/** `n` (its thousands grouped, as every count a message shows) and the word, with the plural form when n ≠ 1 (default: word + "s"). */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${groupThousands(n)} ${n === 1 ? word : many}`;
}
