// Numbers in messages and tables.

/**
 * `n` with thousands separators, exactly as `n.toLocaleString('en-US')` writes it ("12,345"),
 * without starting ICU's number formatting for whole numbers (≈ 10 ms on a command's first call).
 */
export function groupThousands(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${digits}` : digits;
}

/**
 * `part` as a share of `whole`, to a tenth of a percent, rounded away from the limit ("97.9%"): the
 * same in a table and in a warning about it, never "100.0%" for what is still under its limit, and
 * never for what is over it either (100,031 of 100,000 is "100.1%", a breach the table must show).
 */
export function percentOf(part: number, whole: number): string {
  // The small epsilons keep an exact tenth (0.979 × 1000 = 978.9999…) from losing or gaining a digit.
  const tenths = (part * 1000) / whole;
  const rounded = part > whole ? Math.ceil(tenths - 1e-9) : Math.floor(tenths + 1e-9);
  return `${(rounded / 10).toFixed(1)}%`;
}

/**
 * Whether `part` is above the share `fraction` (warnAt, 0..1) of `whole`. As a quotient, not as
 * `part > fraction * whole`: 0.57 × 100 is 56.99999999999999 in floating point, so 57 tokens of a
 * budget of 100 counted as above warnAt 0.57 though they are exactly at it; 57 / 100 and the
 * literal 0.57 are the same double.
 */
export function aboveShare(part: number, whole: number, fraction: number): boolean {
  return part / whole > fraction;
}

/**
 * A share (0..1) as a percentage, "80 %", "2.5 %": whole at 0, at 100 and from 10 % on (as it
 * rounds: 0.0996 is "10 %", not "10.0 %"), one decimal below. A share that is not 0 but rounds to
 * it says how small it is ("< 0.1 %"), not "0.0 %"; by default, one that is not 1 but rounds to it says
 * it is less ("99.6 %", "> 99.9 %"), not "100 %". One function for status, test and every table.
 */
export function percentText(x: number, digits?: number): string {
  const v = x * 100;
  if (digits === undefined) {
    const whole = v.toFixed(percentDigits(x));
    // A share short of all is not "100 %" (250 of 251 calls, beside the other version's "0.4 %"):
    // it gets one decimal, and where even that rounds to 100, says it is below.
    if (Math.abs(v) === 100 || Math.abs(Number(whole)) !== 100) return percentText(x, percentDigits(x));
    const one = v.toFixed(1);
    return Math.abs(Number(one)) === 100 ? `${v < 0 ? '< -' : '> '}99.9 %` : `${one} %`;
  }
  const shown = v.toFixed(digits);
  if (v !== 0 && Number(shown) === 0) return `${v < 0 ? '> -' : '< '}${(10 ** -digits).toFixed(digits)} %`;
  return `${shown} %`;
}

/** The decimals `percentText` gives a share by default: none for 0, 100 and from 10 % on, else one (percentText adds one to a share short of 100 % that would round to it). */
export function percentDigits(x: number): number {
  const v = x * 100;
  return v === 0 || v === 100 || Math.abs(Number(v.toFixed(1))) >= 10 ? 0 : 1;
}
