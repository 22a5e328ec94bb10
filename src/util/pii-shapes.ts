// What the pii safety category counts as personal data, by shape alone: e-mail addresses, card
// numbers that pass the Luhn check, phone numbers. One definition for the emulator's pii scorer
// (emulator/safety.ts, which weighs each shape) and the leak check of a test's `redacts: pii`
// (evals/assertions.ts), so the check never calls a number personal data that the gateway does
// not (an order number). The pii/detected rule reads prompt files with a stricter idea of its own
// (rules/pii.ts: no reserved domains, numbering-plan shapes, ids after "order" left out).
import { luhnValid } from './luhn.js';

export interface Span {
  start: number;
  end: number;
}

/** How a run of digits counts: a card number, a formatted phone number, or a bare one (10–11 digits). */
export type NumberShape = 'card' | 'phone' | 'bare phone';

export interface DigitRun extends Span {
  /** The run as written (separators included). */
  text: string;
  /** Undefined: a number the pii category does not count (an order number, a date, an amount). */
  shape: NumberShape | undefined;
}

/**
 * E-mail addresses: `local@domain`, found from each '@' (the local part is the run of local-part
 * characters before it, the domain matched from it), not by a pattern tried at every position,
 * which rescans a long run of letters from each of them (quadratic: minutes for a 400 KB value).
 */
const EMAIL_LOCAL_CHAR = /[A-Za-z0-9._%+-]/;
const EMAIL_DOMAIN = /[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}/y;

/** The e-mail addresses in text, left to right, not overlapping (as a global regex would find them). */
export function emailsIn(text: string): Span[] {
  const out: Span[] = [];
  let lastEnd = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > lastEnd && EMAIL_LOCAL_CHAR.test(text[start - 1] ?? '')) start--;
    if (start === at) continue;
    EMAIL_DOMAIN.lastIndex = at + 1;
    const domain = EMAIL_DOMAIN.exec(text);
    if (!domain) continue;
    lastEnd = at + 1 + domain[0].length;
    out.push({ start, end: lastEnd });
  }
  return out;
}

/**
 * A run of digits with single separators (space, dot, hyphen), parenthesised groups and a leading
 * +: classified whole (a card number or a phone number), so no part of a longer number is taken
 * for a shorter one. Not after a word character or a hyphen: "AC-12345678" holds no run.
 */
const DIGIT_RUN = /(?<![\w.+-])(?:\+ ?)?(?:\(\d{1,4}\) ?|\d)(?:[ .-]?(?:\(\d{1,4}\) ?|\d))*(?![\w])/g;

/** Card numbers (13–19 digits passing the Luhn check) and phone numbers (formatted 9–15 digits, or a bare 10–11). */
export function numberShape(run: string): NumberShape | undefined {
  const digits = run.replace(/\D/g, '');
  const plain = /^[\d -]+$/.test(run);
  if (plain && digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) return 'card';
  const formatted = /[ .()+-]/.test(run);
  if (formatted && digits.length >= 9 && digits.length <= 15) return 'phone';
  if (!formatted && (digits.length === 10 || digits.length === 11)) return 'bare phone';
  return undefined;
}

/**
 * Every digit run of text outside its e-mail addresses (`emails`, as emailsIn finds them), left to
 * right, each with its shape. One pass along the e-mails: a scan of them for each run was
 * quadratic, and a hostile text held the whole emulator for minutes.
 */
export function digitRunsIn(text: string, emails: readonly Span[] = emailsIn(text)): DigitRun[] {
  const out: DigitRun[] = [];
  let e = 0;
  for (const m of text.matchAll(DIGIT_RUN)) {
    const start = m.index;
    const end = start + m[0].length;
    while (e < emails.length && emails[e]!.end <= start) e++;
    if (e < emails.length && emails[e]!.start < end) continue; // part of an e-mail address
    out.push({ start, end, text: m[0], shape: numberShape(m[0]) });
  }
  return out;
}
