// Obvious personal data in prompt text: email addresses, phone numbers, payment card numbers
// (Luhn-checked). Warnings: it may be deliberate sample data, but it is sent and logged.
// Stricter than the gateway's pii shapes (util/pii-shapes.ts, the emulator's scorer and the
// redacts leak check): a prompt file is full of ids, dates and sample values, so a warning here
// asks for a numbering plan's shape and no identifier before it.
import type { Diagnostic } from '../model/diagnostic.js';
import type { DesiredState } from '../model/types.js';
import { allContentFields, findingDiagnostics, scanner, variableDefaultFields, type NamedPattern } from './util.js';
import { luhnValid } from '../util/luhn.js';

const digitCount = (s: string) => s.replace(/\D/g, '').length;

/**
 * A number right after these is an identifier, not a phone number: "order 123-456-7890",
 * "Order ID 2024-123-4567", "invoice no. …", "ref: 12-3456-7890", "section 123.456.7890",
 * "#123-456-7890". A plain word followed by a colon labels what follows, which may well be a
 * phone line ("To place an order: 555-123-4567", "Refund policy: …"); only an id label (ref,
 * SKU, "order number") keeps its colon. Singular only: "Orders: 555-123-4567" names a
 * department's phone line (as "Booking:" and "Caller ID:" name a phone number).
 */
const ID_WORDS = String.raw`order|invoice|sku|po|ref|reference|ticket|case|section|clause|article|chapter|serial|tracking|part|item|confirmation|transaction|receipt|policy|isbn|issn|version|build|release`;
/**
 * Words that name an id only with "number", "no." or "code" after them, as billing and support
 * prompts write them: "Account number: 123-456-7890", "customer no. 555 123 4567". Alone they
 * may label a phone line ("Customer: 555-123-4567"); "subscriber number" is one, so not here.
 */
const NUMBERED_WORDS = String.raw`account|customer|member|membership|contract|booking|reservation|claim|loyalty`;
/** Labels that are ids themselves, so "ref: …" and "SKU: …" name an id, colon and all. */
const ID_LABELS = String.raw`invoice|sku|po|ref|reference|ticket|serial|tracking|confirmation|transaction|receipt|isbn|issn|(?<!\bcaller[\s-]{0,3})id`;
/**
 * How a prompt describes the form of an id before an example of it: "Order numbers look like …",
 * "Tracking IDs have the format …", "Account numbers are formatted as …".
 */
const ID_FORM = String.raw`\s{1,3}(?:(?:look|looks)\s{1,3}like|(?:are|is)\s{1,3}(?:like|formatted\s{1,3}(?:as|like))|(?:have|has|follow|follows|use|uses)\s{1,3}the\s{1,3}(?:form|format|pattern))[\s:]{1,3}`;
const ID_BEFORE = new RegExp(
  String.raw`(?:\b(?:${ID_WORDS}|${NUMBERED_WORDS})\s{1,3}(?:id|no|nr|num|number|code)s?${ID_FORM}|\b(?:${ID_WORDS}|${NUMBERED_WORDS})[\s:.]{1,3}(?:id|no|nr|num|number|code)\.?[\s:#]{0,3}|\b(?:${ID_LABELS})\.?[\s:#]{0,3}|\b(?:${ID_WORDS})\.?\s{1,3}#?\s{0,2}|[#№]\s{0,2})$`,
  'i',
);
const ID_LOOK_BACK = 40;

/**
 * A number without a country code, after an identifier word, made of round numbers only ("100
 * 200 300", "1000-2000-3000"), or one round amount with its thousands grouped ("125 000 000
 * clients", "254.300.000 EUR": three digits in every group after the first, the last 000), or a
 * series (isSeries).
 */
const notAPhoneNumber = (m: RegExpExecArray): boolean => {
  if (ID_BEFORE.test(m.input.slice(Math.max(0, m.index - ID_LOOK_BACK), m.index))) return true;
  const groups = m[0].match(/\d+/g) ?? [];
  return groups.every((g) => g.endsWith('00')) || (groups.slice(1).every((g) => g.length === 3) && groups.at(-1) === '000') || isSeries(m[0]);
};

/**
 * Where numbering plans put the separators of a number written without its country code: the
 * digit count alone makes an order number, a version or a date phone-shaped (1234-567-890,
 * 12.345.6789, 2024 5571 0032).
 */
const NATIONAL_SHAPES: readonly RegExp[] = [
  // An area code in parentheses: (415) 555-0100, (020) 7946 0958.
  /^\(\d{2,5}\)[ .-]?\d{3,4}[ .-]\d{3,4}$/,
  // North American 3-3-4, with its long-distance 1: 415-555-0100, 1-800-555-0199, 1 (800) 555-0199.
  /^(?:1[ .-])?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}$/,
  // A trunk prefix 0, ten or eleven digits: 020 7946 0958, 0161 496 0000, 02 9876 5432 (not
  // times of day, 0900 1230 1730); in pairs, 06 12 34 56 78.
  /^(?=(?:\D*\d){10,11}\D*$)0\d{1,4}[ .-]\d{3,4}[ .-]\d{3,4}$/,
  /^0\d(?:[ .]\d\d){4}$/,
  // Nine digits in threes, spaced (Spain, Portugal, Poland, Czechia): 612 345 678; not three
  // amounts in tens (sizes 250 300 450).
  /^(?!\d\d0 \d\d0 \d\d0$)[2-9]\d\d \d{3} \d{3}$/,
  // A Chinese mobile: 138-1234-5678.
  /^1[3-9]\d[ -]\d{4}[ -]\d{4}$/,
];

/**
 * Three or more numbers in even steps or by a constant factor: a range, years or sizes (500 750
 * 1000, 2023-2024-2025, 256-512-1024), not a phone number's groups.
 */
function isSeries(text: string): boolean {
  const n = (text.match(/\d+/g) ?? []).map(Number);
  if (n.length < 3) return false;
  const steps = n.slice(1).map((x, i) => x - n[i]!);
  const even = steps.every((d) => d === steps[0] && d > 0);
  const factor = n.every((x) => x > 0) && n.slice(2).every((x, i) => x * n[i]! === n[i + 1]! * n[i + 1]!) && n[1]! > n[0]!;
  return even || factor;
}

/**
 * Domains reserved for documentation (RFC 2606, RFC 6761): example.com, example.net, example.org
 * and their subdomains, and the .example, .test, .invalid and .localhost names. No one can own an
 * address there, so `user@example.com` is the obviously fake value the warning asks for.
 */
const RESERVED_DOMAIN = /(?:^|\.)(?:example\.(?:com|net|org)|example|test|invalid|localhost)$/i;

/** A time of day as a timestamp or a log line writes it: 10:30, 10:30:00, 10:30:00.123. */
const TIME = String.raw`(?<![\d:])\d{1,2}:[0-5]\d(?::[0-5]\d(?:[.,]\d{1,9})?)?`;
/** A UTC offset as ISO 8601 and RFC 3339 write one after a time: +01:00, -0500, +05 (hours 00–14). */
const OFFSET = String.raw`[+-](?:0\d|1[0-4])(?::?[0-5]\d)?(?!\d)`;
/**
 * Where a number may start right after another one (a digit and a separator before it), which
 * is otherwise that number's tail, taken whole or not at all: after a time of day and a space,
 * its UTC offset written or not (`2026-12-06T10:00:00+01:00 020 7946 0958`): a timestamp ends
 * there. NOT_A_TAIL_PLUS, before a `+`: there an offset that follows a time without one is the
 * time's own (`10:30:00 +1000 …`), a number only after it (`10:00:00 +01:00 +44 20 …`).
 */
const NOT_A_TAIL = String.raw`(?:(?<!\d[ .:/-])|(?<=${TIME}(?:\s?${OFFSET})?\s{1,3}))`;
const NOT_A_TAIL_PLUS = String.raw`(?:(?<!\d[ .:/-])|(?<=${TIME}\s?${OFFSET}\s{1,3})|(?<=${TIME}\s{1,3})(?!${OFFSET}))`;

/** Card numbers first: a card must not also be reported as a phone number. */
export const PII_PATTERNS: readonly NamedPattern[] = [
  {
    name: 'a payment card number',
    re: /(?<![\d.-])(?:\d[ -]?){12,18}\d(?![\d])/,
    accept: (m) => {
      const d = m[0].replace(/\D/g, '');
      // No payment card's number starts with 0 (ISO/IEC 7812 gives no card issuer that digit), and
      // one is written with one separator throughout: times of day that pass the checksum
      // (0830-1230 1330-1730) are neither.
      const separators = new Set(m[0].replace(/\d/g, ''));
      return d.length >= 13 && d.length <= 19 && d[0] !== '0' && separators.size <= 1 && !/^(\d)\1+$/.test(d) && luhnValid(d);
    },
  },
  {
    name: 'an email address',
    re: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z0-9-])/,
    literal: '@',
    accept: (m) => !RESERVED_DOMAIN.test(m[0].slice(m[0].indexOf('@') + 1)),
  },
  {
    // A run of digit groups without a country code, taken whole (not the tail of a longer run, a
    // card number that failed its checksum, nor what follows a date or a time range, 10:30-11:45
    // 1200-1300; after a time and a space it starts a run: NOT_A_TAIL): a phone number only in a
    // numbering plan's shape (NATIONAL_SHAPES), and not after an identifier ("order
    // 123-456-7890"), nor round numbers or a series (notAPhoneNumber).
    name: 'a phone number',
    re: new RegExp(String.raw`(?<![\w+.-])${NOT_A_TAIL}(?:1[ .-])?(?:\(\d{2,5}\)[ .-]?|\d{2,4}[ .-])\d{2,4}(?:[ .-]\d{2,4}){1,3}(?![ .-]?\d)(?!\w)`),
    accept: (m) => {
      const n = digitCount(m[0]);
      return n >= 9 && n <= 15 && NATIONAL_SHAPES.some((shape) => shape.test(m[0])) && !notAPhoneNumber(m);
    },
  },
  {
    // A country code (never starting with 0: `+0000` is a timestamp's offset, as is a `+1000`
    // after a time, NOT_A_TAIL_PLUS; after the offset, `10:00:00+01:00 +44 …`, a number starts),
    // then the number, a trunk prefix in parentheses allowed (+44 (0)20 …).
    name: 'a phone number',
    re: new RegExp(String.raw`(?<![\w+])${NOT_A_TAIL_PLUS}\+[1-9]\d{0,2}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,5}){1,4}(?![ .-]?\d)`),
    accept: (m) => {
      const n = digitCount(m[0]);
      return n >= 9 && n <= 15 && !isSeries(m[0]);
    },
  },
];

export function checkPii(state: DesiredState): Diagnostic[] {
  const out: Diagnostic[] = [];
  const scan = scanner(PII_PATTERNS);
  // Variables' text defaults too: a call that leaves the variable out sends its default in the prompt.
  for (const f of [...allContentFields(state), ...variableDefaultFields(state)]) {
    if (f.text.length < 6) continue;
    const found = scan(f.text);
    if (found.length === 0) continue;
    out.push(
      ...findingDiagnostics(
        f,
        found,
        'warning',
        'pii/detected',
        (x) => `${f.label} contains what looks like ${x.name}; keep personal data out of prompts (use a placeholder or an obviously fake value)`,
      ),
    );
  }
  return out;
}
