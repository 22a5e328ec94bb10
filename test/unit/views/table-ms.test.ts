// Durations in the status and test tables: "850 ms" below a second, "1.2 s" from one. A latency
// that rounds to 1,000 ms (999.5 to 999.99) read "1000 ms", the one figure in its column that
// broke the form the others have.
import { describe, expect, it } from 'vitest';
import { ms } from '../../../src/views/table.js';

describe('ms', () => {
  it('writes a duration that rounds to a second in seconds', () => {
    expect(ms(999.4)).toBe('999 ms');
    expect(ms(999.5)).toBe('1.0 s');
    expect(ms(999.99)).toBe('1.0 s');
    expect(ms(1000)).toBe('1.0 s');
    expect(ms(1260)).toBe('1.3 s');
    expect(ms(0.4)).toBe('0 ms');
  });
});
