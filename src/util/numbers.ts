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
 * `part` as a share of `whole`, to a tenth of a percent and rounded down ("97.9%"): the same in a
 * table and in a warning about it, and never "100.0%" for what is still under its limit.
 */
export function percentOf(part: number, whole: number): string {
  // The small epsilon keeps an exact tenth (0.979 × 1000 = 978.9999…) from losing a digit.
  return `${(Math.floor((part * 1000) / whole + 1e-9) / 10).toFixed(1)}%`;
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
