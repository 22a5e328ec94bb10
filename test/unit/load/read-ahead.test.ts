// load/read-ahead.ts: files are read in bursts bounded by their text, each read once, in order.
import { describe, expect, it } from 'vitest';
import { readAhead } from '../../../src/load/read-ahead.js';
import type { ReadResult } from '../../../src/config/read.js';

function files(sizes: number[]): { read: (i: number) => ReadResult; log: number[] } {
  const log: number[] = [];
  return {
    log,
    read: (i) => {
      log.push(i);
      return sizes[i]! < 0 ? { ok: false, rule: 'file/unreadable', message: 'nope', line: 1, column: 1 } : { ok: true, text: 'x'.repeat(sizes[i]!) };
    },
  };
}

describe('readAhead', () => {
  it('reads every file of a small project in one burst, before the first is taken', () => {
    const f = files([3, 4, 5]);
    const reads = readAhead(3, f.read, 100);
    expect(reads.take(0)).toEqual({ ok: true, text: 'xxx' });
    expect(f.log).toEqual([0, 1, 2]);
    expect(reads.take(1)).toEqual({ ok: true, text: 'xxxx' });
    expect(reads.take(2)).toEqual({ ok: true, text: 'xxxxx' });
    expect(f.log).toEqual([0, 1, 2]);
  });

  it('stops a burst once it holds the limit, and reads the next burst when it is needed', () => {
    const f = files([6, 6, 6, 6, 6]);
    const reads = readAhead(5, f.read, 10);
    reads.take(0);
    expect(f.log).toEqual([0, 1]);
    reads.take(1);
    expect(f.log).toEqual([0, 1]);
    reads.take(2);
    expect(f.log).toEqual([0, 1, 2, 3]);
    reads.take(3);
    expect(reads.take(4)).toEqual({ ok: true, text: 'x'.repeat(6) });
    expect(f.log).toEqual([0, 1, 2, 3, 4]);
  });

  it('reads a file larger than the limit alone, and counts a failed read as no text', () => {
    const f = files([50, -1, 2, 20]);
    const reads = readAhead(4, f.read, 10);
    expect(reads.take(0)).toEqual({ ok: true, text: 'x'.repeat(50) });
    expect(f.log).toEqual([0]);
    expect(reads.take(1).ok).toBe(false);
    expect(f.log).toEqual([0, 1, 2, 3]);
  });

  it('lets go of what was taken', () => {
    const f = files([1, 1]);
    const reads = readAhead(2, f.read, 10);
    reads.take(0);
    // Taking a file twice is a caller's mistake; what matters is that the text is no longer held.
    expect(reads.take(0)).toBeUndefined();
  });
});
