// Masking text that arrives in pieces (a streamed answer): a secret value split across two pieces is
// masked like one that arrives whole, and a tail that may be the start of one is held back. Pure:
// the values are passed in (secrets.ts masks a whole text the same way).
import { firstUnits, isAt, longerStartingWith, maskFor, maskSecrets, scan, type NamedSecret } from './secrets.js';

/**
 * Masks text that arrives in pieces: `push` returns what may be shown now, `end` the rest of a
 * text that arrived whole, `cut` the rest of one cut off (an interrupt, a failed stream).
 */
export interface StreamMasker {
  push(piece: string): string;
  end(): string;
  /**
   * The rest of a text that ends here unfinished: masked as `end` does, less a tail that may be
   * the start of a secret that was still arriving (it is withheld: shown, it would give away
   * the first characters of the value).
   */
  cut(): string;
}

/**
 * A StreamMasker over `secrets` (longest first). It holds back what it has seen from the first
 * position whose rest is the start of a longer value (at most the longest value − 1 characters),
 * so a value split across pieces is masked like one that arrives whole, and text that can start
 * no value is written at once (an escaped form of a secret can be long: holding back that many
 * characters whatever they are would hold a short answer back until its end).
 */
export function createStreamMasker(known: readonly NamedSecret[] | (() => readonly NamedSecret[])): StreamMasker {
  // A function: the secrets as they are at each piece (one learnt meanwhile is masked from then on).
  const current = typeof known === 'function' ? known : () => known;
  let pending = '';
  // The list changes only when a secret is learnt: its longest value is worked out once per list.
  let holdOf: { secrets: readonly NamedSecret[]; hold: number } | undefined;
  return {
    push(piece) {
      const secrets = current();
      if (holdOf?.secrets !== secrets) holdOf = { secrets, hold: Math.max(0, ...secrets.map((s) => s.value.length - 1)) };
      const { hold } = holdOf;
      pending += piece;
      let cut = stillArriving(pending, secrets, hold);
      // Never between the two halves of a character outside the BMP (an emoji): each half alone is written as U+FFFD.
      // (The last character may be the first half, the second still arriving.)
      if (cut > 0 && isHighSurrogate(pending.charCodeAt(cut - 1))) cut--;
      const { out, rest } = scan(pending, secrets, cut);
      pending = pending.slice(rest);
      return out;
    },
    end() {
      const out = maskSecrets(pending, current());
      pending = '';
      return out;
    },
    cut() {
      const out = maskUntilPartial(pending, current());
      pending = '';
      return out;
    },
  };
}

/** The first of the last `hold` positions of `text` whose rest is the start of a longer value (text.length: none). */
function stillArriving(text: string, secrets: readonly NamedSecret[], hold: number): number {
  const starts = firstUnits(secrets);
  for (let i = Math.max(0, text.length - hold); i < text.length; i++) {
    if (!starts.has(text.charCodeAt(i))) continue;
    if (longerStartingWith(secrets, text.slice(i))) return i;
  }
  return text.length;
}

/**
 * `text` masked left to right (as `scan`) up to the first position where what is left is the
 * start of a longer secret than it (a whole shorter one may start it too): that tail is left out.
 */
function maskUntilPartial(text: string, secrets: readonly NamedSecret[]): string {
  let out = '';
  let plainFrom = 0;
  let i = 0;
  while (i < text.length) {
    // First: a tail that may be a longer value still arriving is withheld whole, even when a
    // shorter value starts it (masking that one would show what follows it: the longer one's).
    const tail = text.slice(i);
    if (longerStartingWith(secrets, tail)) break;
    const hit = secrets.find((s) => s.value !== '' && isAt(text, s, i));
    if (hit) {
      out += text.slice(plainFrom, i) + maskFor(hit.name);
      i += hit.value.length;
      plainFrom = i;
      continue;
    }
    i++;
  }
  return out + text.slice(plainFrom, i);
}

/** The first half of a character outside the BMP. */
function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
