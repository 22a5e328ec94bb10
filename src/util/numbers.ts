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
