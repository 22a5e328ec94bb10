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
