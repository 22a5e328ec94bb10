// The prompt files' texts, read in bursts ahead of the parsing instead of one read between two
// parses. Measured on the 2-core VM of bench/ (validate of 5,000 files, one a template; two runs
// of 7 interleaved pairs): validate went from 1.40× to 1.13× and from 1.39× to 1.28× the YAML
// floor, and its main thread's CPU time fell by 0.6 to 0.8 s. The read syscalls take about 10 ms
// either way (strace -c); a CPU profile put 1.06 s in `read` when the reads came between parses
// and 60 ms in one burst. (Why a read costs more amid a large heap, we did not find out.)
import type { ReadResult } from '../config/read.js';

/**
 * How much text a burst holds at most (UTF-16 units, about bytes): every file of an ordinary project in one burst
 * (5,000 templates are about 7 MB), a bounded amount of a huge one. One file above it is read alone.
 */
export const READ_AHEAD_CHARS = 32 * 1024 * 1024;

/**
 * `take(i)` gives file i's read, reading files i, i+1, … up to `maxChars` of text in one burst
 * when file i is not read yet; what is taken is let go. Files must be taken in order.
 */
export function readAhead(count: number, read: (i: number) => ReadResult, maxChars = READ_AHEAD_CHARS): { take(i: number): ReadResult } {
  const held: (ReadResult | undefined)[] = [];
  let next = 0;
  return {
    take(i: number): ReadResult {
      if (i >= next) {
        let chars = 0;
        for (next = i; next < count && (next === i || chars < maxChars); next++) {
          const r = read(next);
          held[next] = r;
          chars += r.ok ? r.text.length : 0;
        }
      }
      const r = held[i]!;
      held[i] = undefined;
      return r;
    },
  };
}
