// The forms a secret value takes in text: escaped for a document (every escape views and commands
// apply, util/escapes.ts, and the escapes and encodings other servers' encoders write when they echo
// it), and encoded the way a credential is carried (URL-encoded, inside base64). What output masking
// (secrets.ts) and the secrets rule (rules/secrets.ts) look for. Pure.
import { ESCAPES, escapeHtml, INNER_ESCAPES, jsonStringContent } from './escapes.js';
import type { NamedSecret } from './secrets.js';

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
export const MIN_LINE_LENGTH = 8;

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
 * A value at least this long is found in any case of its letters, in each of its ASCII forms at
 * least as long: a server may echo it in an error it upper- or lower-cases whole, and ordinary
 * text equal to so long a credential but for its case is not met (a shorter one, a word or two,
 * may be: `Secret` must not mask `secret`). As MIN_BASE64_VALUE.
 */
export const MIN_ANY_CASE_LENGTH = 12;

/** Printable ASCII: the letters anyCase folds are A-Z, so only such a form is found in any case. */
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/** Whether `form`, a form of `value`, is found in any case of its letters (MIN_ANY_CASE_LENGTH): by output masking and the secrets rule alike. */
function inAnyCase(value: string, form: string): boolean {
  return value.length >= MIN_ANY_CASE_LENGTH && form.length >= MIN_ANY_CASE_LENGTH && PRINTABLE_ASCII.test(form);
}

/**
 * `secrets` with every form a value takes once a document escapes it (OUTER_FORMS of INNER_FORMS
 * of the value, and of each of its lines, and each of those as JSON writes it), each under the
 * value's name, longest first; a form met twice is kept once. A long value's ASCII forms, and
 * every value's URL-encoded ones (urlFormsAnyCase), are found in any case (`anyCase`), lower-cased.
 */
export function withEscapedForms(secrets: readonly NamedSecret[]): NamedSecret[] {
  const out = new Map<string, NamedSecret>();
  for (const { name, value } of secrets) {
    for (const v of escapedForms(value)) addForm(out, name, v, inAnyCase(value, v));
    for (const v of urlFormsAnyCase(value)) addForm(out, name, v, true);
  }
  return longestFirst(out);
}

/** Keeps `form` once: one found in any case (lower-cased) apart from the same text found only as it is (and the audit trail's forms, audit/scrub.ts). */
export function addForm(out: Map<string, NamedSecret>, name: string, form: string, anyCase: boolean): void {
  const key = anyCase ? `\0${form.toLowerCase()}` : form;
  if (!out.has(key)) out.set(key, anyCase ? { name, value: form.toLowerCase(), anyCase } : { name, value: form });
}

/** The forms kept, longest first (a longer form is masked before a shorter one inside it), then by name. */
export function longestFirst(out: ReadonlyMap<string, NamedSecret>): NamedSecret[] {
  return [...out.values()].sort((a, b) => b.value.length - a.value.length || (a.name < b.name ? -1 : 1));
}

/** `%` and two hex digits: what URL encoding writes for a character it changes. */
const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/;

/**
 * The value's URL-encoded forms (encodeURIComponent's and serverUrlForms', of the value and each
 * of its lines), as the documents escape them (OUTER_FORMS, and that as JSON), lower-cased: found
 * in any case (secrets.ts `anyCase`). A server may echo a value it was sent with its hex in the
 * other case (`%2f` for `%2F`: the same value, RFC 3986), or upper- or lower-case the whole query
 * it quotes, which no exact form matches once the value holds a character URL encoding changes.
 * Only forms holding such an escape, whatever the value's length (a plain value is found in another
 * case only when long: MIN_ANY_CASE_LENGTH). ASCII only, as URL encoding writes.
 */
function urlFormsAnyCase(value: string): readonly string[] {
  const made = anyCaseMade.get(value);
  if (made) return made;
  const forms = new Set<string>();
  for (const part of parts(value)) {
    // Encoders that differ only in the case of their hex write one form here.
    const encoded = new Set([encodeURIComponent(part), ...URL_FORMS.map((f) => f(part))].map((e) => e.toLowerCase()));
    for (const e of encoded) {
      if (!PERCENT_ESCAPE.test(e)) continue;
      for (const form of OUTER_FORMS) {
        const outer = form(e);
        for (const v of [outer, jsonStringContent(outer)]) if (PERCENT_ESCAPE.test(v) && /^[\x20-\x7e]+$/.test(v)) forms.add(v.toLowerCase());
      }
    }
  }
  const list = [...forms];
  anyCaseMade.set(value, list);
  return list;
}

/** serverUrlForms, made once. */
const URL_FORMS = serverUrlForms();

/** urlFormsAnyCase's, made once a value (as escapedForms'). */
const anyCaseMade = new Map<string, readonly string[]>();

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
  // An e-mail address is quieted by what follows its `@` (escapes.ts quietReferences), which may lie
  // past the value's end: `tok@abc1` before `.example` is written `tok@\u200babc1`. Each form with an `@` is also looked for so.
  if (value.includes('@')) for (const v of [...forms]) if (v.includes('@')) forms.add(v.replace(/@(?!\u200b)/g, '@\u200b'));
  forms.delete('');
  const list = [...forms];
  formsMade.set(value, list);
  return list;
}

/**
 * `secrets` with the forms a credential is carried in, encoded rather than escaped for a document:
 * URL-encoded (encodeURIComponent's and the other encoders' of serverUrlForms) and inside base64
 * (base64Forms), each under the value's name, longest first; a long value's ASCII forms marked to
 * be found in any case (`anyCase`, lower-cased), as output masks them. What the secrets rule looks
 * for in the files: a value pasted so is published with the text, where output masks it (withEscapedForms).
 */
export function withEncodedForms(secrets: readonly NamedSecret[]): NamedSecret[] {
  const out = new Map<string, NamedSecret>();
  for (const { name, value } of secrets) {
    for (const form of [value, encodeURIComponent(value), ...serverUrlForms().map((f) => f(value)), ...base64Forms(value)]) {
      if (form !== '') addForm(out, name, form, inAnyCase(value, form));
    }
  }
  return longestFirst(out);
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
