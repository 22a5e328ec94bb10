// A key written twice in one object of a JSON text. JSON.parse keeps the last value, and a
// record's hash is computed over what it parsed, so the earlier copies of a key are bytes no
// hash covers: a line `{"actor":"mallory",…,"actor":"alice",…}` verifies, yet grep, or a reader
// that keeps the first value, sees mallory. JSON.stringify never writes one, so none is genuine.

/** The first key an object of `text` (valid JSON: JSON.parse accepted it) holds twice, decoded; undefined when none does. */
export function repeatedKey(text: string): string | undefined {
  // Per open container: the keys seen so far (an object), or null (an array).
  const open: Array<Set<string> | null> = [];
  let keyNext = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // To the closing quote: a backslash escapes the character after it.
      let end = i + 1;
      let escaped = false;
      while (end < text.length) {
        const d = text.charCodeAt(end);
        if (d === QUOTE) break;
        if (d === BACKSLASH) escaped = true;
        end += d === BACKSLASH ? 2 : 1;
      }
      const keys = open[open.length - 1];
      if (keyNext && keys) {
        // "\u0061" and "a" are one key to JSON.parse.
        const key = escaped ? (JSON.parse(text.slice(i, end + 1)) as string) : text.slice(i + 1, end);
        if (keys.has(key)) return key;
        keys.add(key);
        keyNext = false;
      }
      i = end;
    } else if (c === OPEN_OBJECT) {
      open.push(new Set());
      keyNext = true;
    } else if (c === OPEN_ARRAY) {
      open.push(null);
      keyNext = false;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      open.pop();
      keyNext = false;
    } else if (c === COMMA) {
      keyNext = open[open.length - 1] != null;
    }
  }
  return undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
