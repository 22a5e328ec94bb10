// Counted nouns for messages: "1 error", "2 errors", "1 address", "3 addresses".

/** `n` and the word, with the plural form when n ≠ 1 (default: word + "s"). */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
