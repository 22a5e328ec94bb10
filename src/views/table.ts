// Small text-layout helpers shared by the test, status and tokens views: aligned columns, numbers
// and money as people read them. Pure.
import stringWidth from 'string-width';

/**
 * Header and rows as aligned lines: the columns in `right` right-aligned, the rest left-aligned.
 * Cells are measured as a terminal shows them (string-width: a CJK character takes two columns, a
 * combining accent none, colour codes nothing), so a guide named in Japanese keeps the columns after it in line.
 */
export function alignColumns(header: readonly string[], rows: readonly string[][], right: ReadonlySet<number> = new Set()): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => stringWidth(row[i] ?? ''))));
  return all.map((row) =>
    row
      .map((cell, i) => {
        const pad = ' '.repeat(widths[i]! - stringWidth(cell));
        return right.has(i) ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd(),
  );
}

/** 1,234 */
export const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/** "80 %", "2.5 %", "0 %" (util/numbers.ts, which status's comparisons share). */
export { percentText as percent, percentDigits } from '../util/numbers.js';

/** US dollars with enough digits to be more than zero: $0.00042, $1.25. */
export function usd(x: number): string {
  if (x === 0) return '$0';
  if (Math.abs(x) >= 1) return `$${x.toFixed(2)}`;
  const digits = Math.min(10, Math.max(4, 2 - Math.floor(Math.log10(Math.abs(x))) + 1));
  return `$${x.toFixed(digits).replace(/0+$/, '').replace(/\.$/, '')}`;
}

/** "850 ms", "1.2 s". */
export function ms(x: number): string {
  // Rounded first: 999.6 ms is "1.0 s", as 1,000 ms is, not "1000 ms".
  return Math.round(x) >= 1000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`;
}

/** A signed number: "+12", "−3.5". */
export function signed(x: number, digits = 0): string {
  const s = Math.abs(x).toFixed(digits);
  return x > 0 ? `+${s}` : x < 0 && Number(s) !== 0 ? `−${s}` : s;
}
