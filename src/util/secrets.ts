// Masking known secret values (the run's credentials, by the variable that holds them) in text
// that is printed or saved: whole texts, a value cut short before `…`, every string of a JSON value,
// and text whose case was changed. The forms a value is looked for in are secret-forms.ts's; text
// that arrives in pieces is stream-masker.ts's. Pure: the values are passed in.
import { regexLiteral } from './regex-literal.js';
import { MIN_LINE_LENGTH } from './secret-forms.js';

/** A secret value and the name it is masked as (`[redacted: NAME]`). */
export interface NamedSecret {
  name: string;
  value: string;
  /**
   * Found whatever the case of its ASCII letters (`value` is written lower-case, ASCII only): a
   * URL-encoded form, whose hex digits an encoder writes in either case, and any form of a long
   * value, which a server may echo upper- or lower-cased whole (secret-forms.ts). A short value is
   * found only as it is.
   */
  anyCase?: boolean;
}

/** `text` with A-Z lower-cased, and nothing else changed (its length and every other character kept). */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/** Whether `s` is written in `text` at `i` (in any case of its letters when `anyCase`). */
export function isAt(text: string, s: NamedSecret, i: number): boolean {
  if (!s.anyCase) return text.startsWith(s.value, i);
  const v = s.value;
  if (i + v.length > text.length) return false;
  for (let j = 0; j < v.length; j++) {
    const c = text.charCodeAt(i + j);
    if ((c >= 65 && c <= 90 ? c + 32 : c) !== v.charCodeAt(j)) return false;
  }
  return true;
}

/**
 * Whether `text` holds `s` anywhere; `lower` is the text lower-cased, made once a text for the
 * anyCase forms (toLowerCase: it may change other characters than A-Z, never the ASCII a form holds).
 */
function holds(text: string, s: NamedSecret, lower: () => string): boolean {
  return s.value !== '' && (s.anyCase ? lower().includes(s.value) : text.includes(s.value));
}

/**
 * The shortest secret value output masks (an OAuth client secret, from as short as its client's own
 * errors mask it: genesys/redact.ts). The secrets rule looks for a known value from the same length,
 * so validate reports, and apply refuses, what output would mask (DESIGN §5).
 */
export const MIN_MASKED_SECRET = 4;

/** What a masked value becomes. */
export function maskFor(name: string): string {
  return `[redacted: ${name}]`;
}

/** The names the masks in `text` give (`[redacted: NAME]`), sorted, each once. */
export function maskedNames(text: string): string[] {
  return [...new Set([...text.matchAll(/\[redacted: ([^\]\n]{1,80})\]/g)].map((m) => m[1]!))].sort();
}

/**
 * A JSON value (a plan, say) with `mask` applied to every string value in it, never to an object
 * key, so that it renders without a secret and stays the same document: a key is the document's
 * field name (a short secret such as `test` or `name` is a field name too), which a renderer reads
 * and a reader of the file parses by. What holds no secret is returned as it is (the same object),
 * so an unmasked value is kept whole.
 */
export function maskStrings<T>(value: T, mask: (text: string) => string): T {
  return walk(value, mask) as T;
}

function walk(value: unknown, mask: (text: string) => string): unknown {
  if (typeof value === 'string') return mask(value);
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const m = walk(v, mask);
      if (m !== v) (out ??= value.slice())[i] = m;
    });
    return out ?? value;
  }
  if (value !== null && typeof value === 'object') {
    let changed = false;
    const entries = Object.entries(value).map(([k, v]) => {
      const mv = walk(v, mask);
      if (mv !== v) changed = true;
      return [k, mv] as const;
    });
    return changed ? Object.fromEntries(entries) : value;
  }
  return value;
}

/**
 * `text` with every secret value masked whatever its letters' case: for text something is derived
 * from by changing case (export's file names, lowercased slugs), where a value written in another
 * case would come out as the value itself. The values as they are, not their escaped forms.
 */
export function maskAnyCase(text: string, secrets: readonly NamedSecret[]): string {
  // Longest first, in one pass: a value containing another is masked whole.
  const values = secrets.filter((s) => s.value !== '').sort((a, b) => b.value.length - a.value.length);
  if (values.length === 0) return text;
  const pattern = new RegExp(values.map((s) => regexLiteral(s.value)).join('|'), 'giu');
  return text.replace(pattern, (hit) => maskFor(values.find((s) => s.value.toLowerCase() === hit.toLowerCase())?.name ?? 'secret'));
}

/** What a found secret is replaced with: its mask (`[redacted: NAME]`) unless the caller says otherwise (the audit trail's `[redacted]`). */
export type MaskOf = (s: NamedSecret) => string;
const namedMask: MaskOf = (s) => maskFor(s.name);

/**
 * `text` with every occurrence of a secret replaced, scanning left to right and trying the
 * longest value first at each position (so one containing another is masked whole). `secrets`
 * longest first, as CliContext keeps them.
 */
export function maskSecrets(text: string, secrets: readonly NamedSecret[], mask: MaskOf = namedMask): string {
  // The text is lower-cased once, and only when an anyCase form is looked for.
  let lower: string | undefined;
  if (!secrets.some((s) => holds(text, s, () => (lower ??= text.toLowerCase())))) return text;
  return scan(text, secrets, text.length, mask).out;
}

/**
 * Masks `text` up to `safeEnd`: a secret that starts before it is masked whole (it must end
 * within `text`); the scan stops at the first position at or after `safeEnd` where no secret
 * starts. Returns the masked part and where the unread rest begins.
 */
export function scan(text: string, secrets: readonly NamedSecret[], safeEnd: number, mask: MaskOf = namedMask): { out: string; rest: number } {
  const starts = firstUnits(secrets);
  let out = '';
  let plainFrom = 0;
  let i = 0;
  while (i < safeEnd) {
    // Most positions start no value: one lookup instead of a comparison with each form.
    const hit = starts.get(text.charCodeAt(i))?.find((s) => isAt(text, s, i));
    if (hit) {
      out += text.slice(plainFrom, i) + mask(hit);
      i += hit.value.length;
      plainFrom = i;
    } else i++;
  }
  return { out: out + text.slice(plainFrom, i), rest: i };
}

/** What a text cut short ends with (a value a message quotes, clipped to 60 characters; an output preview). */
const CLIP_MARK = '\u2026';
/**
 * The shortest start of a value masked before CLIP_MARK, as for a line (MIN_LINE_LENGTH): shorter, it is
 * too likely to be ordinary text (the target line's `client loca…` and the emulator's `local-secret`).
 */
const MIN_CLIPPED = MIN_LINE_LENGTH;

/**
 * `text` with the part of a value masked where a view or a message cut the value short at
 * CLIP_MARK: `not "sk-abc…"` (a quoted value clipped), `"…c-123 and more"` (an output preview
 * around a position): the whole value is not there for `maskSecrets` to find, but its start or
 * its end is. At each mark, the longest start of a value (in any form `secrets` holds) that ends
 * right before it, and the longest end of one that begins right after it, of at least
 * MIN_CLIPPED characters, are masked.
 */
export function maskClipped(text: string, secrets: readonly NamedSecret[]): string {
  if (secrets.length === 0 || !text.includes(CLIP_MARK)) return text;
  const starts = firstUnits(secrets);
  const ends = new Set(secrets.filter((s) => s.value !== '').flatMap((s) => bothCases(s, s.value.charCodeAt(s.value.length - 1))));
  const longest = Math.max(...secrets.map((s) => s.value.length));
  let out = '';
  let plainFrom = 0;
  for (let j = text.indexOf(CLIP_MARK); j !== -1; j = text.indexOf(CLIP_MARK, j + 1)) {
    // A start: from the farthest position it can begin at, so the longest is the one masked.
    for (let p = Math.max(plainFrom, j - longest + 1); p <= j - MIN_CLIPPED; p++) {
      if (!starts.has(text.charCodeAt(p))) continue;
      const head = text.slice(p, j);
      const hit = longerStartingWith(secrets, head);
      if (hit) {
        out += text.slice(plainFrom, p) + maskFor(hit.name);
        plainFrom = j;
        break;
      }
    }
    // An end: up to the farthest position it can reach (not past the next mark), the longest first.
    const next = text.indexOf(CLIP_MARK, j + 1);
    const from = j + CLIP_MARK.length;
    for (let q = Math.min(next === -1 ? text.length : next, from + longest - 1); q >= from + MIN_CLIPPED; q--) {
      if (!ends.has(text.charCodeAt(q - 1))) continue;
      const tail = text.slice(from, q);
      const hit = secrets.find((s) => s.value.length > tail.length && s.value.endsWith(s.anyCase ? asciiLower(tail) : tail));
      if (hit) {
        out += text.slice(plainFrom, from) + maskFor(hit.name);
        plainFrom = q;
        break;
      }
    }
  }
  return plainFrom === 0 ? text : out + text.slice(plainFrom);
}

/** A value `text` is the start of, but not all of (what a clipped or still-arriving text may be the start of). */
export function longerStartingWith(secrets: readonly NamedSecret[], text: string): NamedSecret | undefined {
  let lower: string | undefined;
  // Only the values that start with its first character (all of them for an empty text).
  const candidates = text === '' ? secrets : (firstUnits(secrets).get(text.charCodeAt(0)) ?? []);
  return candidates.find((s) => s.value.length > text.length && s.value.startsWith(s.anyCase ? (lower ??= asciiLower(text)) : text));
}

/**
 * The values in `secrets` by their first code unit (both cases of an anyCase one's letter), each
 * list in the order of `secrets`: at a position only the values starting with its character are
 * tried (an anyCase form starting with `a` would otherwise try every value at every `a` of a text).
 * Kept per list (CliContext and a stream masker reuse theirs; a list is never changed once made).
 */
const firstUnitsOf = new WeakMap<readonly NamedSecret[], Map<number, NamedSecret[]>>();
export function firstUnits(secrets: readonly NamedSecret[]): ReadonlyMap<number, readonly NamedSecret[]> {
  let map = firstUnitsOf.get(secrets);
  if (!map) {
    map = new Map();
    for (const s of secrets) {
      if (s.value === '') continue;
      for (const c of bothCases(s, s.value.charCodeAt(0))) map.set(c, [...(map.get(c) ?? []), s]);
    }
    firstUnitsOf.set(secrets, map);
  }
  return map;
}

/** `c`, and its upper-case letter when `s` is found in any case (its value is lower-case). */
function bothCases(s: NamedSecret, c: number): number[] {
  return s.anyCase && c >= 97 && c <= 122 ? [c, c - 32] : [c];
}
