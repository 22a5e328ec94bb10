// Prompt text as every hash, diff and token count sees it (DESIGN §2), and where a finding in it
// is written in the YAML once normalisation has moved its characters. Pure.
import type { TextOrigin } from './types.js';

/**
 * Prompt text as every hash, diff and token count sees it (DESIGN §2): CRLF and lone CR become
 * LF, a leading byte-order mark is dropped. Applied once, when the text is loaded.
 */
export function normalizeText(text: string): string {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return t.includes('\r') ? t.replace(/\r\n?/g, '\n') : t;
}

/**
 * `origin`, worked out for a text as YAML gave it (`raw`), for the text normalizeText makes of it:
 * each anchor's offset moved back by the characters normalisation removed before it (the CR of an
 * escaped "\r\n", a leading byte-order mark), so a finding in the normalised text is placed where
 * it is written. A lone CR becomes LF in place: nothing moves.
 */
export function normalizedOrigin(origin: TextOrigin, raw: string): TextOrigin {
  const bom = raw.charCodeAt(0) === 0xfeff;
  if (!bom && !raw.includes('\r\n')) return origin;
  // An exact text has its characters as written: a leading mark is one column before the text.
  if (origin.exact) return bom ? { ...origin, column: origin.column + 1 } : origin;
  if (!origin.anchors) return origin;
  let removed = 0;
  let scanned = 0;
  const anchors = origin.anchors.map((a) => {
    // Anchors come in text order: count what was removed up to this one's offset.
    for (; scanned < a.offset && scanned < raw.length; scanned++) {
      if ((scanned === 0 && bom) || (raw.charCodeAt(scanned) === 13 && raw.charCodeAt(scanned + 1) === 10)) removed++;
    }
    return { ...a, offset: a.offset - removed };
  });
  return { ...origin, anchors };
}
