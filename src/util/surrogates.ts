// Half a UTF-16 surrogate pair (a truncated emoji): no character at all, which every UTF-8 output
// (a file, a terminal, a pipe) writes as U+FFFD. Found so that it is written as an escape instead.

/** A surrogate without its partner (String.prototype.isWellFormed, which the ES2023 library types do not know yet). */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `s` holds half a surrogate pair. */
export function hasLoneSurrogate(s: string): boolean {
  return LONE_SURROGATE.test(s);
}
