// Masking known secret values (the run's credentials, by the variable that holds them) in text
// that is printed or saved: whole texts, and text that arrives in pieces (a streamed answer), where
// a value split across two pieces must be masked too. Pure: the values are passed in.
import { ESCAPES, escapeHtml, INNER_ESCAPES, jsonStringContent } from './escapes.js';
import { regexLiteral } from './regex-literal.js';

/** A secret value and the name it is masked as (`[redacted: NAME]`). */
export interface NamedSecret {
  name: string;
  value: string;
}

/**
 * The forms a value takes in a document: as it is, and through each escape the views and commands
 * apply (util/escapes.ts: markdown, HTML, XML, workflow commands, JSON, terminal text, shell
 * words, URLs). Output is masked after it is rendered, so a value is looked for in each of them:
 * the list is the escapes' own, so a view cannot escape a value in a way masking does not know.
 */
const OUTER_FORMS: readonly ((s: string) => string)[] = [(s) => s, ...ESCAPES];

/**
 * What a value may be escaped as before one of OUTER_FORMS escapes it again: JSON in markdown or
 * XML, and any form the data itself holds (a live object or a model's answer quoting the value
 * HTML- or markdown-escaped, which the test and status reports escape once more). Only values
 * with characters an escape changes get more escaped forms: a plain token keeps one (and its
 * base64 forms, base64Forms).
 */
const INNER_FORMS: readonly ((s: string) => string)[] = [(s) => s, ...new Set([...INNER_ESCAPES, ...ESCAPES]), ...serverJsonForms(), ...serverUrlForms(), ...serverHtmlForms()];

/**
 * How another program's JSON encoder may write a value it sends back (an error body quoting the
 * credentials it was given, printed as the server wrote it): escapes JSON allows but JavaScript's
 * does not make. PHP (`/` as `\/`, other than ASCII as `\u00e9`), Go (`<`, `>`, `&` and the line
 * and paragraph separators as `\u003c`…), Python (other than ASCII as `\u00e9`) and .NET (`<`,
 * `>`, `&`, `'`, `+`, backtick and other than ASCII as `\u002B`, upper-case hex).
 */
function serverJsonForms(): ((s: string) => string)[] {
  const hex = (c: string, upper: boolean): string => {
    const h = c.charCodeAt(0).toString(16).padStart(4, '0');
    return `\\u${upper ? h.toUpperCase() : h}`;
  };
  const escape = (pattern: RegExp, upper: boolean, slash: boolean) => (v: string) => {
    const json = jsonStringContent(v).replace(pattern, (c) => hex(c, upper));
    return slash ? json.replace(/\//g, '\\/') : json;
  };
  return [
    escape(/[^\u0000-\u007f]/g, false, true), // PHP
    escape(/[<>&\u2028\u2029]/g, false, false), // Go
    escape(/[^\u0000-\u007f]/g, false, false), // Python
    escape(/[<>&'+`]|[^\u0000-\u007f]/g, true, false), // .NET
  ];
}

/**
 * How another program's URL encoder may write a value it sends back (a form body or a query string
 * an error quotes, a redirect's URL): JavaScript's `encodeURIComponent` is among ESCAPES, but
 * encoders differ in what they leave as it is and in the case of their hex. Form encoders (Java's
 * URLEncoder, URLSearchParams, PHP's urlencode, Go's QueryEscape, Python's quote_plus) encode
 * `!'()~` too (some `*`, some `~` not), a space as `+`; Python's quote keeps `/`; .NET's
 * HttpUtility.UrlEncode writes lower-case hex and keeps `!()*`.
 */
function serverUrlForms(): ((s: string) => string)[] {
  const encode = (keep: RegExp, lower: boolean, spaceAsPlus: boolean) => (v: string) => {
    let out = '';
    for (const byte of Buffer.from(v, 'utf8')) {
      const c = String.fromCharCode(byte);
      if (byte < 0x80 && keep.test(c)) out += c;
      else if (spaceAsPlus && c === ' ') out += '+';
      else {
        const hex = byte.toString(16).padStart(2, '0');
        out += `%${lower ? hex : hex.toUpperCase()}`;
      }
    }
    return out;
  };
  return [
    encode(/[A-Za-z0-9*._-]/, false, true), // Java, URLSearchParams
    encode(/[A-Za-z0-9._-]/, false, true), // PHP urlencode
    encode(/[A-Za-z0-9._~-]/, false, true), // Go QueryEscape, Python quote_plus
    encode(/[A-Za-z0-9._~/-]/, false, false), // Python quote
    encode(/[A-Za-z0-9!()*._-]/, true, true), // .NET HttpUtility.UrlEncode
    encode(/[A-Za-z0-9!'()*._~-]/, true, false), // encodeURIComponent's, lower-case hex
  ];
}

/**
 * How another program's HTML encoder may write a value in an error page it sends back (a gateway or
 * proxy quoting the request): escapeHtml's named entities are among ESCAPES, but an encoder may
 * write every character but letters, digits and `,.-_ ` as a numeric reference: in hex, `&` `<`
 * `>` `"` named (OWASP ESAPI's encodeForHTML, for ASCII), or all in decimal.
 */
function serverHtmlForms(): ((s: string) => string)[] {
  // Those four by name, as escapeHtml writes each (escapes.ts is where a document's escapes live).
  const NAMED = '&<>"';
  const encode = (hex: boolean) => (v: string) =>
    v.replace(/[^A-Za-z0-9,._ -]/gu, (c) => (hex ? (NAMED.includes(c) ? escapeHtml(c) : `&#x${c.codePointAt(0)!.toString(16)};`) : `&#${c.codePointAt(0)!};`));
  return [encode(true), encode(false)];
}

/** A line of a multi-line value shorter than this (spaces aside) is not masked on its own: too likely to be ordinary text. */
const MIN_LINE_LENGTH = 8;

/**
 * The value, and each line of a multi-line one (a PEM key): views split text into lines with
 * something between them (a diff's `-`, a YAML block's indentation), where no form of the whole
 * value is found.
 */
function parts(value: string): string[] {
  if (!/[\r\n]/.test(value)) return [value];
  return [value, ...value.split(/\r\n|\r|\n/).filter((line) => line.trim().length >= MIN_LINE_LENGTH && !PEM_ARMOR.test(line.trim()))];
}

/** A PEM key's first and last lines: the same in every key, public text (masking them would mask any prompt quoting one). */
const PEM_ARMOR = /^-----(BEGIN|END) [A-Z0-9 ]+-----$/;

/**
 * `secrets` with every form a value takes once a document escapes it (OUTER_FORMS of INNER_FORMS
 * of the value, and of each of its lines, and each of those as JSON writes it), each under the
 * value's name, longest first; a form met twice is kept once.
 */
export function withEscapedForms(secrets: readonly NamedSecret[]): NamedSecret[] {
  const out = new Map<string, string>();
  for (const { name, value } of secrets) {
    for (const v of escapedForms(value)) if (!out.has(v)) out.set(v, name);
  }
  return [...out].map(([value, name]) => ({ name, value })).sort((a, b) => b.value.length - a.value.length || (a.name < b.name ? -1 : 1));
}

/**
 * A value's escaped forms, made once a process: output masking makes them again for every secret
 * each time one is learnt (an access token), a few hundred escapes a value.
 */
const formsMade = new Map<string, readonly string[]>();

function escapedForms(value: string): readonly string[] {
  const made = formsMade.get(value);
  if (made) return made;
  const forms = new Set<string>();
  for (const inner of new Set([...parts(value), ...base64Forms(value)].flatMap((part) => INNER_FORMS.map((f) => f(part))))) {
    for (const form of OUTER_FORMS) {
      const v = form(inner);
      if (v !== '') forms.add(v);
      // A form the data itself holds (text pasted as markdown or a shell word escapes it), written
      // again as JSON: a plan file and `--format json` escape each string of the plan once more.
      forms.add(jsonStringContent(v));
    }
  }
  forms.delete('');
  const list = [...forms];
  formsMade.set(value, list);
  return list;
}

/**
 * `secrets` with the forms a credential is carried in, encoded rather than escaped for a document:
 * URL-encoded (encodeURIComponent's and the other encoders' of serverUrlForms) and inside base64
 * (base64Forms), each under the value's name, longest first. What the secrets rule looks for in
 * the files: a value pasted so is published with the text, where output masks it (withEscapedForms).
 */
export function withEncodedForms(secrets: readonly NamedSecret[]): NamedSecret[] {
  const out = new Map<string, string>();
  for (const { name, value } of secrets) {
    for (const form of [value, encodeURIComponent(value), ...serverUrlForms().map((f) => f(value)), ...base64Forms(value)]) {
      if (form !== '' && !out.has(form)) out.set(form, name);
    }
  }
  return [...out].map(([value, name]) => ({ name, value })).sort((a, b) => b.value.length - a.value.length || (a.name < b.name ? -1 : 1));
}

/** A value shorter than this has no base64 forms: their stable part would be too short to tell from other base64. */
const MIN_BASE64_VALUE = 12;

/**
 * The value as base64 may carry it inside a longer text (an Authorization header's `id:secret`, a
 * JWT's payload, a server's debug dump): at each of the three positions it can start at within
 * base64's three-byte groups, the characters that depend on the value's bytes alone, in standard
 * and URL-safe base64. So a masked base64 text keeps at most the one or two characters around the
 * value that also hold a neighbour's bits.
 */
function base64Forms(value: string): string[] {
  if (value.length < MIN_BASE64_VALUE) return [];
  const bytes = Buffer.from(value, 'utf8');
  const forms = new Set<string>();
  for (const lead of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(lead), bytes]).toString('base64');
    const core = encoded.slice(Math.ceil((8 * lead) / 6), Math.floor((8 * (lead + bytes.length)) / 6));
    forms.add(core);
    forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms];
}

/** What a masked value becomes. */
export function maskFor(name: string): string {
  return `[redacted: ${name}]`;
}

/** The names the masks in `text` give (`[redacted: NAME]`), sorted, each once. */
export function maskedNames(text: string): string[] {
  return [...new Set([...text.matchAll(/\[redacted: ([^\]\n]{1,80})\]/g)].map((m) => m[1]!))].sort();
}

/**
 * A JSON value (a plan, say) with `mask` applied to every string in it, object keys included, so
 * that it renders without a secret and stays the same shape. What holds no secret is returned as
 * it is (the same object), so an unmasked value is kept whole.
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
      const mk = mask(k);
      const mv = walk(v, mask);
      if (mk !== k || mv !== v) changed = true;
      return [mk, mv] as const;
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

/**
 * `text` with every occurrence of a secret replaced, scanning left to right and trying the
 * longest value first at each position (so one containing another is masked whole). `secrets`
 * longest first, as CliContext keeps them.
 */
export function maskSecrets(text: string, secrets: readonly NamedSecret[]): string {
  if (!secrets.some((s) => text.includes(s.value))) return text;
  return scan(text, secrets, text.length).out;
}

/**
 * Masks `text` up to `safeEnd`: a secret that starts before it is masked whole (it must end
 * within `text`); the scan stops at the first position at or after `safeEnd` where no secret
 * starts. Returns the masked part and where the unread rest begins.
 */
function scan(text: string, secrets: readonly NamedSecret[], safeEnd: number): { out: string; rest: number } {
  const starts = firstUnits(secrets);
  let out = '';
  let plainFrom = 0;
  let i = 0;
  while (i < safeEnd) {
    // Most positions start no value: one lookup instead of a comparison with each form.
    const hit = starts.has(text.charCodeAt(i)) ? secrets.find((s) => s.value !== '' && text.startsWith(s.value, i)) : undefined;
    if (hit) {
      out += text.slice(plainFrom, i) + maskFor(hit.name);
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
  const ends = new Set(secrets.filter((s) => s.value !== '').map((s) => s.value.charCodeAt(s.value.length - 1)));
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
      const hit = secrets.find((s) => s.value.length > tail.length && s.value.endsWith(tail));
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
function longerStartingWith(secrets: readonly NamedSecret[], text: string): NamedSecret | undefined {
  return secrets.find((s) => s.value.length > text.length && s.value.startsWith(text));
}

/** The first code unit of each value in `secrets`, kept per list (CliContext and a stream masker reuse theirs; a list is never changed once made). */
const firstUnitsOf = new WeakMap<readonly NamedSecret[], Set<number>>();
function firstUnits(secrets: readonly NamedSecret[]): Set<number> {
  let set = firstUnitsOf.get(secrets);
  if (!set) {
    set = new Set(secrets.filter((s) => s.value !== '').map((s) => s.value.charCodeAt(0)));
    firstUnitsOf.set(secrets, set);
  }
  return set;
}

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
    const hit = secrets.find((s) => s.value !== '' && text.startsWith(s.value, i));
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

/** A credential found in a text: where, and what it looks like ("an API key (sk-…)"). */
export interface CredentialFinding {
  index: number;
  length: number;
  name: string;
}

/**
 * `text` with each credential `find` finds masked as `[redacted: <what>]`, `what` made from what it
 * looks like: the whole of it (a private key's block, not only its BEGIN line). Also for a server's
 * words (cli/target.ts: a key an error echoes) and the org's content in a plan (plan/live-credentials.ts).
 */
export function maskFound(text: string, find: (text: string) => CredentialFinding[], what: (name: string) => string = (name) => name): string {
  const found = find(text);
  if (found.length === 0) return text;
  let out = '';
  let at = 0;
  for (const f of found) {
    out += text.slice(at, f.index) + maskFor(what(f.name));
    at = f.index + f.length;
  }
  return out + text.slice(at);
}
