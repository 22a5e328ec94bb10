// Escapes in double-quoted YAML text that make half a character: `"\ud800"` is a UTF-16 surrogate
// with no partner, no character at all. yaml keeps it in the string, and every UTF-8 output turns it
// into U+FFFD: the PR comment, the audit trail and the gateway would each see a text other than the
// one hashed and counted. The file itself is valid UTF-8 (read.ts refuses the bytes of a surrogate),
// so such a string comes only from an escape, and the escape is where it is reported.
import { isScalar, visit, type Document } from 'yaml';
import { hasLoneSurrogate } from '../util/surrogates.js';

/** A `\u` or `\U` escape of a surrogate somewhere in the file: asked once a file, before any document is walked. */
export const MAY_HOLD_SURROGATE_ESCAPE = /\\(?:u[dD][89a-fA-F]|U0000[dD][89a-fA-F])/;


export interface LoneSurrogate {
  /** Offset of the escape's backslash in the file. */
  at: number;
  /** The escape as written (`\ud800`). */
  written: string;
}

/** Each string scalar of `doc` (keys too) holding a lone surrogate, at the escape that made it. */
export function loneSurrogates(doc: Document.Parsed, src: string): LoneSurrogate[] {
  const found: LoneSurrogate[] = [];
  visit(doc, {
    Scalar(_key, node) {
      if (!isScalar(node) || typeof node.value !== 'string' || !hasLoneSurrogate(node.value) || !node.range) return;
      const lone = loneEscape(src, node.range[0], node.range[1]);
      if (lone) found.push(lone);
    },
  });
  return found;
}

/** Code unit of a `\uXXXX` or `\UXXXXXXXX` escape at `i` (which holds the backslash), with its length. */
function escapeAt(src: string, i: number): { unit: number; length: number } | undefined {
  const m = /^\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))/.exec(src.slice(i, i + 10));
  if (!m) return undefined;
  return { unit: parseInt(m[1] ?? m[2]!, 16), length: m[0].length };
}

const isHigh = (u: number): boolean => u >= 0xd800 && u <= 0xdbff;
const isLow = (u: number): boolean => u >= 0xdc00 && u <= 0xdfff;

/**
 * The first escape in `src[start, end)` that makes a lone surrogate: a high one not followed at once
 * by an escaped low one (the pair `\ud83d\ude00` is one character, as JSON writes it), or a low one
 * on its own. Other escapes are stepped over whole, so `\\ud800` (a backslash, then text) is none.
 */
function loneEscape(src: string, start: number, end: number): LoneSurrogate | undefined {
  for (let i = src.indexOf('\\', start); i !== -1 && i < end; i = src.indexOf('\\', i)) {
    const e = escapeAt(src, i);
    if (!e) {
      i += 2; // `\\`, `\n`, `\x41`…: none of them makes a surrogate
      continue;
    }
    if (isHigh(e.unit)) {
      const next = escapeAt(src, i + e.length);
      if (next && isLow(next.unit)) {
        i += e.length + next.length;
        continue;
      }
    }
    if (isHigh(e.unit) || isLow(e.unit)) return { at: i, written: src.slice(i, i + e.length) };
    i += e.length;
  }
  return undefined;
}
