// Obvious personal data in prompt text: email addresses, phone numbers, payment card numbers
// (Luhn-checked). Warnings: it may be deliberate sample data, but it is sent and logged.
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
 * clients", "254.300.000 EUR": three digits in every group after the first, the last 000).
 */
const notAPhoneNumber = (m: RegExpExecArray): boolean => {
  if (m[0].startsWith('+')) return false;
  if (ID_BEFORE.test(m.input.slice(Math.max(0, m.index - ID_LOOK_BACK), m.index))) return true;
  const groups = m[0].match(/\d+/g) ?? [];
  return groups.every((g) => g.endsWith('00')) || (groups.slice(1).every((g) => g.length === 3) && groups.at(-1) === '000');
};

/**
 * Domains reserved for documentation (RFC 2606, RFC 6761): example.com, example.net, example.org
 * and their subdomains, and the .example, .test, .invalid and .localhost names. No one can own an
 * address there, so `user@example.com` is the obviously fake value the warning asks for.
 */
const RESERVED_DOMAIN = /(?:^|\.)(?:example\.(?:com|net|org)|example|test|invalid|localhost)$/i;

/** Card numbers first: a card must not also be reported as a phone number. */
export const PII_PATTERNS: readonly NamedPattern[] = [
  {
    name: 'a payment card number',
    re: /(?<![\d.-])(?:\d[ -]?){12,18}\d(?![\d])/,
    accept: (m) => {
      const d = m[0].replace(/\D/g, '');
      return d.length >= 13 && d.length <= 19 && !/^(\d)\1+$/.test(d) && luhnValid(d);
    },
  },
  {
    name: 'an email address',
    re: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z0-9-])/,
    literal: '@',
    accept: (m) => !RESERVED_DOMAIN.test(m[0].slice(m[0].indexOf('@') + 1)),
  },
  {
    // +CC …, (555) 123-4567, 555-123-4567, 555.123.4567: separators required, so plain
    // numbers, dates, versions and IP addresses do not match, nor the tail of a longer
    // digit group (a card number that failed its checksum), nor what follows a time or a
    // date (10:30-11:45 1200-1300), an identifier ("order 123-456-7890") or round numbers.
    name: 'a phone number',
    re: /(?<![\w+.-])(?<!\d[ .:/-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?|\d{2,4}[ .-])\d{3,4}[ .-]\d{3,4}(?![ .-]?\d)(?!\w)/,
    accept: (m) => {
      const n = digitCount(m[0]);
      return n >= 9 && n <= 15 && !notAPhoneNumber(m);
    },
  },
  {
    name: 'a phone number',
    re: /(?<![\w+])\+\d{1,3}[ .-]?\d{1,4}(?:[ .-]?\d{2,5}){1,4}(?![ .-]?\d)/,
    accept: (m) => {
      const n = digitCount(m[0]);
      return n >= 9 && n <= 15;
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
