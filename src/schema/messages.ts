// The words a schema problem is told in: a value as the message quotes it, the type a field
// must have (with the fix for YAML's usual traps), an unknown field, a near valid spelling.
import { foldLookalikes, lookalikeNote } from '../util/lookalike.js';

/** "spec.variables[0].name" for messages; "the document" for the root. */
export function displayPath(segments: readonly string[]): string {
  if (segments.length === 0) return 'the document';
  let out = '';
  for (const s of segments) out += /^\d+$/.test(s) ? `[${s}]` : out ? `.${s}` : s;
  return out;
}

/** An unknown field, with the spelling it was probably meant as, or the fields allowed there. */
export function unknownFieldMessage(prop: string, segs: string[], allowed: string[], suggestion: string | undefined): string {
  const where = segs.length ? ` in ${displayPath(segs)}` : '';
  if (prop === '<<') return `unknown field "<<"${where}: YAML 1.2 has no merge keys; write the fields out`;
  // A null key (`~:`, `null:`, `? :`) is "" in the data: say what it is.
  const field = prop === '' ? '"" (a null or empty key)' : `"${clip(prop)}"`;
  // A key that prints as the field it misses (a byte-order mark before it, a Cyrillic letter in it) says why.
  if (suggestion !== undefined) return `unknown field ${field}${where} (did you mean "${suggestion}"?)${lookalikeNote(prop)}`;
  return `unknown field ${field}${where}${allowed.length ? `; allowed: ${allowed.join(', ')}` : ''}${lookalikeNote(prop)}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'empty',
};

/** A value of the wrong type, and the fix for YAML's usual traps (quoted numbers and booleans, yes/no). */
export function typeMessage(p: string, expected: string | string[], data: unknown): string {
  const types = Array.isArray(expected) ? expected : [expected];
  // Prompt text is string | {file: path}.
  const words =
    types.length === 2 && types.includes('string') && types.includes('object')
      ? 'a string or {file: path}'
      : types.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
  let hint = '';
  if (types.includes('boolean') && typeof data === 'string' && /^(y|n|yes|no|on|off|true|false)$/i.test(data)) {
    hint = /^(true|false)$/i.test(data) ? '; remove the quotes' : '; YAML 1.2 reads yes/no/on/off as text: write true or false';
  } else if ((types.includes('number') || types.includes('integer')) && typeof data === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(data)) {
    hint = '; remove the quotes';
  } else if (types.includes('string') && (typeof data === 'number' || typeof data === 'boolean')) {
    hint = '; quote it';
  }
  return `${p} must be ${words}, not ${describeValue(data)}${hint}`;
}

/** A valid spelling close to `value` (a resource name in lower case, with hyphens), if any. */
export function patternFix(value: string, pattern: string): string | undefined {
  if (value.length > 300) return undefined;
  // A free-text name (Guide, SummarySetting) with stray spaces: the same name, trimmed.
  const trimmed = value.trim();
  if (trimmed !== value && trimmed !== '' && matches(pattern, trimmed)) return trimmed;
  if (value.length > 200) return undefined;
  // Look-alikes (a Cyrillic о in "bоt") folded to the ASCII letters they imitate.
  const ascii = foldLookalikes(trimmed);
  if (ascii !== trimmed && matches(pattern, ascii)) return ascii;
  // Case kept ("en_US" → "en-US"), then lowered ("Billing Assistant" → "billing-assistant").
  const hyphenated = trimmed.replace(/[\s_]+/g, '-');
  if (hyphenated !== value && matches(pattern, hyphenated)) return hyphenated;
  const candidate = value
    .trim()
    .toLowerCase()
    .replace(/[\s_.]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (candidate === value) return undefined;
  return matches(pattern, candidate) ? candidate : undefined;
}

function matches(pattern: string, value: string): boolean {
  // A suggestion holding a control character (a NUL in a name) is refused elsewhere: none is made.
  if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) return false;
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return false;
  }
}

/** A value as a message names it: quoted text, a number, a list, a mapping, empty. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (v instanceof Uint8Array) return 'binary data (!!binary)';
  // What yaml makes of !!timestamp: not a mapping, whatever typeof says.
  if (v instanceof Date) return 'a timestamp (!!timestamp)';
  if (typeof v === 'string') return `"${clip(v)}"`;
  // YAML reads .inf, and a figure too large for a double (400 digits, 1e400), as infinity.
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'not-a-number (.nan)' : `${v < 0 ? 'minus ' : ''}infinity (.inf, or a number too large to hold)`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'a list';
  return 'a mapping';
}

/** A value as the message quotes it: cut at 60 characters, its whitespace as written (a line break is the view's to show: `\n` in text, %0A in an annotation). */
export function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}
