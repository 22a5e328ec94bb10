// `audit verify`: walks the chain and names the first broken line (1-based).
import { readFile } from 'node:fs/promises';
import { checkLine, splitLines } from './record.js';

export type VerifyResult = { ok: true; records: number } | { ok: false; line: number; reason: string };

/** Reads FILE (errors such as ENOENT propagate) and verifies the hash chain. */
export async function verifyAuditFile(file: string): Promise<VerifyResult> {
  return verifyAuditBuffer(await readFile(file));
}

export function verifyAuditBuffer(buf: Buffer): VerifyResult {
  const { lines, tail } = splitLines(buf);
  let prev: { seq: number; hash: string } | null = null;
  let n = 0;
  for (const line of lines) {
    n++;
    const res = checkLine(line.text, prev);
    if (!res.ok) return { ok: false, line: n, reason: res.reason };
    prev = { seq: res.record.seq, hash: res.record.hash };
  }
  if (tail) {
    n++;
    const res = checkLine(tail.text, prev);
    // A complete record that only lacks its newline is intact; anything else is a torn write.
    if (!res.ok) {
      return {
        ok: false,
        line: n,
        reason: `incomplete last line (${res.reason}): a write was interrupted; the next apply repairs it`,
      };
    }
  }
  return { ok: true, records: n };
}
