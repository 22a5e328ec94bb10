// A test's pass rate as every test view writes it (text, markdown, JUnit XML's verdict output):
// one function, so the formats cannot drift apart in how a rate, its counts or a rate with no
// case reads. Pure.
import type { PassRate, TestOutcome } from '../evals/types.js';
import { percent, percentDigits } from './table.js';

/** No case of the test ran: every one waits for its target to be applied. */
export function waiting(t: TestOutcome): boolean {
  return t.runs.length > 0 && t.runs.every((r) => r.notLive !== undefined);
}

/** Nothing of the test was checked: every case that ran had no assertion to check (--compare, routedTo alone). */
export function unchecked(t: TestOutcome): boolean {
  return !waiting(t) && t.runs.length > 0 && t.runs.every((r) => r.notLive !== undefined || r.notChecked !== undefined);
}

/** How a format writes the versions of a --compare test's pass rate (passRate). */
export interface RateForm {
  /** Between versions: ", " ("<br>" in a Markdown table cell). */
  between?: string;
  /** How a version is written (escaped for Markdown). */
  version?: (v: string) => string;
}

/**
 * A test's pass rate, the one way every format writes it: with its counts, "100 % (3/3)"; under
 * --compare one per version, "1.0.0: 100 % (3/3), 1.1.0: 67 % (2/3)"; "— (no case ran)" when
 * none counts (every case not on the target yet; under --compare, a version whose cases are all
 * not on the target yet, or were all cut short), "— (no case checked)" when those that ran had
 * nothing checked.
 */
export function passRate(t: TestOutcome, form: RateForm = {}): string {
  const none = '— (no case ran)';
  const blank = (version?: string): boolean => t.runs.some((r) => r.notChecked !== undefined && (version === undefined || r.requested === version));
  const share = (p: PassRate): string => (p.total === 0 ? (blank(p.version) ? '— (no case checked)' : none) : `${ratePercent(p.rate, t.threshold)} (${p.passed}/${p.total})`);
  if (waiting(t)) return none;
  if (t.byVersion.length === 0) return share(t.rate);
  const { between = ', ', version = (v: string) => v } = form;
  return t.byVersion.map((b) => `${version(b.version!)}: ${share(b)}`).join(between);
}

/** The pass rate against the threshold, as text and Markdown say it (and a JUnit threshold failure's body). */
export function rateLine(t: TestOutcome): string {
  const finished = t.casesNotRun && !waiting(t) ? ' of the cases that finished' : '';
  return `pass rate ${passRate(t)}${finished}, threshold ${thresholdPercent(t.threshold)}`;
}

/** The most decimals a threshold is written to; one that needs more is rounded up (thresholdPercent). */
const MAX_THRESHOLD_DIGITS = 6;

/** The decimals a threshold needs to read as written (0.955: 1; 0.9000001: 5), at least percent()'s, at most MAX_THRESHOLD_DIGITS. */
function thresholdDigits(threshold: number): number {
  const v = threshold * 100;
  for (let d = percentDigits(threshold); d < MAX_THRESHOLD_DIGITS; d++) if (Math.abs(Number(v.toFixed(d)) - v) < 1e-9) return d;
  return MAX_THRESHOLD_DIGITS;
}

/**
 * A threshold as every test view writes it: as written, "95.5 %" (not rounded to "96 %"), and
 * "90.00001 %" (not "90.00 %", which a 90 % pass rate beside it, NOT met, would contradict). One
 * finer than MAX_THRESHOLD_DIGITS is rounded up, never down to a rate that does not meet it.
 */
export function thresholdPercent(threshold: number): string {
  const d = thresholdDigits(threshold);
  const v = threshold * 100;
  if (Math.abs(Number(v.toFixed(d)) - v) < 1e-9) return percent(threshold, d);
  return `${(Math.ceil(v * 10 ** d) / 10 ** d).toFixed(d)} %`;
}

/**
 * A pass rate beside its threshold: to as many decimals as the threshold, and never rounded up to
 * it when below it (199/200 against 100 % reads "99 %": "100 %, NOT met" would contradict itself).
 */
function ratePercent(rate: number, threshold: number): string {
  const d = Math.max(percentDigits(rate), thresholdDigits(threshold));
  const shown = percent(rate, d);
  if (rate >= threshold - 1e-9 || Number(shown.replace(' %', '')) < Number((threshold * 100).toFixed(d))) return shown;
  return `${(Math.floor(rate * 100 * 10 ** d) / 10 ** d).toFixed(d)} %`;
}
