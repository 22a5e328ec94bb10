// `audit verify`: walks the chain (formats 1 and 2, sha256 and keyed), names the first broken
// line (1-based), and with a head anchor (`SEQ:HASH`, printed after every apply) also detects
// what a chain alone cannot: a cut-off tail, an emptied file, a trail re-chained from scratch.
import { readFile } from 'node:fs/promises';
import { realPathOr } from '../util/inside.js';
import { withFileLock } from '../util/lock.js';
import { ChainWalker, isTornTail, splitLines, type SettledUnknown } from './chain-walker.js';
import { formatAnchor, type AuditAnchor } from './record.js';

export interface VerifyOptions {
  /** PROMPTCTL_AUDIT_KEY: needed to verify keyed (hmac-sha256) records. */
  key?: string | null;
  /** The trail must hold this record (seq and hash): an anchor kept outside the file. */
  head?: AuditAnchor | null;
}

export type VerifyResult =
  | {
      ok: true;
      records: number;
      /** The last record, null for an empty trail. */
      head: AuditAnchor | null;
      /** Records chained with the key (hmac-sha256) and without (sha256, format 1 included). */
      keyed: number;
      unkeyed: number;
      /** Seq of the first keyed record (null: none is): a keyed trail never goes back, so every record before it is unkeyed. */
      firstKeyed: number | null;
      /** Format-1 records (older trails). */
      legacy: number;
      /** Seqs of intents without an outcome (a run in progress, or one the next apply recovers). */
      pending: number[];
      /** Intents whose run wrote their outcome as unknown, not settled yet (a later apply settles them). */
      unknown: number[];
      /** Intents a later apply settled as unknown (what it read could not tell): for good, to be checked by hand. */
      settledUnknown: SettledUnknown[];
      /** The anchor given was found. */
      anchored: boolean;
    }
  | {
      ok: false;
      /** The first line that does not verify; null when the chain verifies but the anchor is not in it. */
      line: number | null;
      reason: string;
      /** The trail is keyed and no key was given: nothing is wrong that is known yet. */
      missingKey?: true;
      /** The last line is cut short (not JSON): a write interrupted, or one still under way. */
      torn?: true;
      /** Bytes promptctl never writes, an editor's (an empty line, a byte-order mark): `reason` names them and their fix. */
      stray?: true;
    };

/** How long verify waits for a writer's lock (a writer holds it for one append: milliseconds). */
const LOCK_WAIT_MS = 10_000;

/**
 * Reads FILE (errors such as ENOENT propagate) and verifies it. A last line cut short may be an
 * apply's batch still being written: the file is then read again under the writers' lock
 * (util/lock.ts), once that write is done, and the second reading counts. Where the lock cannot be
 * taken (a read-only copy of a trail, a lock held past the wait), the first reading stands.
 */
export async function verifyAuditFile(file: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const first = verifyAuditBuffer(await readFile(file), opts);
  if (first.ok || !first.torn) return first;
  // The writers' lock is beside the file a link names (cli/apply.ts locks the file, not the name).
  return withFileLock(realPathOr(file), async () => verifyAuditBuffer(await readFile(file), opts), { timeoutMs: LOCK_WAIT_MS }).catch(() => first);
}

export function verifyAuditBuffer(buf: Buffer, opts: VerifyOptions = {}): VerifyResult {
  const { lines, tail } = splitLines(buf);
  const walker = new ChainWalker(opts.key ? opts.key : null);
  const anchor = opts.head ?? null;
  let anchored = false;
  const all = tail ? [...lines, tail] : lines;
  for (let i = 0; i < all.length; i++) {
    const line = all[i]!;
    const res = walker.check(line.text);
    if (!res.ok) {
      // Only a tail that is not JSON is a torn write (as the writer repairs it); a whole line is judged.
      const torn = line === tail && isTornTail(line.text);
      return {
        ok: false,
        line: i + 1,
        reason: torn ? `incomplete last line (${res.reason}): a write was interrupted; the next apply repairs it` : res.fix !== undefined ? `${res.reason}: ${res.fix}` : res.reason,
        ...(res.missingKey ? { missingKey: true as const } : {}),
        ...(torn ? { torn: true as const } : {}),
        // Bytes an editor added (an empty line, a BOM): not a chain someone broke, said as such.
        ...(!torn && res.fix !== undefined ? { stray: true as const } : {}),
      };
    }
    if (anchor && res.record.seq === anchor.seq) {
      if (res.record.hash !== anchor.hash) {
        return {
          ok: false,
          line: i + 1,
          reason: `record ${anchor.seq} does not match the head anchor ${short(anchor)}: the trail was rewritten from here or earlier, or the anchor is another trail's (another --env?)`,
        };
      }
      anchored = true;
    }
  }
  if (anchor && !anchored) {
    const last = walker.last;
    return {
      ok: false,
      line: null,
      reason: last
        ? `the trail ends at record ${last.seq} but the head anchor ${short(anchor)} names record ${anchor.seq}: records were removed from its end, or the anchor is another trail's (another --env?)`
        : `the trail is empty but the head anchor ${short(anchor)} names record ${anchor.seq}: its records were removed, or the anchor is another trail's (another --env?)`,
    };
  }
  return {
    ok: true,
    records: walker.records,
    head: walker.last,
    keyed: walker.keyed,
    unkeyed: walker.unkeyed,
    firstKeyed: walker.firstKeyed,
    legacy: walker.legacy,
    pending: [...walker.open.keys()].filter((seq) => !walker.unknown.has(seq)).sort((a, b) => a - b),
    unknown: [...walker.unknown].sort((a, b) => a - b),
    settledUnknown: walker.settledUnknown,
    anchored,
  };
}

function short(a: AuditAnchor): string {
  return formatAnchor(a).slice(0, String(a.seq).length + 1 + 12) + '…';
}
