// Walking an audit trail line by line (DESIGN §5): one line judged against the chain so far (its
// shape, seq, prevHash, hash, and the intent an outcome closes), and a file's bytes cut into lines.
// Shared by the writer (open, catching up with other writers, repairing a torn tail) and
// `audit verify`, so that what is written is what verify accepts.
import { shapeProblemV1, shapeProblemV2 } from './record-shape.js';
import { repeatedKey } from './repeated-key.js';
import { AUDIT_KEY_ENV, GENESIS_HASH, chainHash, chainHashV2, type AuditAnchor, type AuditRecord, type AuditRecordV1 } from './record.js';

/**
 * Levels of objects and arrays a record may nest: a record, its cascade, a snapshot and content
 * that redactJson (scrub.ts) refuses past 200 levels stay well within it.
 */
const MAX_DEPTH = 256;

export type LineCheck =
  | { ok: true; record: AuditRecord | AuditRecordV1; format: 1 | 2 }
  | {
      ok: false;
      reason: string;
      missingKey?: true;
      /**
       * The precise fix, when the line is bytes an editor or a copy added around the records (an
       * empty line, a byte-order mark) rather than a record that does not verify: no record is
       * lost by it, and the trail need not be set aside.
       */
      fix?: string;
    };

/**
 * The state of a chain walked line by line: where it ends, which intents are open, which
 * formats and algorithms it holds. `check` judges one line and, when it is good, advances.
 * The writer and `audit verify` use the same walker, so what is written is what verify accepts.
 */
export class ChainWalker {
  /** seq and hash of the last good record, null before the first. */
  last: AuditAnchor | null = null;
  /** Intents without an outcome that settles them so far, by seq (those of an `unknown` outcome too). */
  readonly open = new Map<number, AuditRecord>();
  /** Of those, the ones whose outcome was written as `unknown` by their run: only a recovery may follow. */
  readonly unknown = new Set<number>();
  /**
   * Intents a recovery settled as `unknown` (what it read could not tell): closed for good, listed
   * by verify to be checked by hand. Few, and each a record's worth of fields.
   */
  readonly settledUnknown: SettledUnknown[] = [];
  /**
   * For each open intent, the writes to its address that later intents made and saw succeed (by
   * the open intent's seq): what settling it reads besides the live state (a later run may have
   * made the same write from the same state, which proves this one never landed, or finished it
   * from where this one's calls stopped: recovery.ts settledByTrail).
   */
  readonly writtenSince = new Map<number, LaterWrite[]>();
  /**
   * For each open intent, every later intent on its address whatever became of it (no outcome
   * yet, a failure, not applied): what it was planned against is proof too, of how far this one
   * had got when that one's run read the object (recovery.ts settledByTrail).
   */
  readonly plannedSince = new Map<number, LaterIntent[]>();
  records = 0;
  keyed = 0;
  unkeyed = 0;
  legacy = 0;
  /** Seq of the first keyed record, null while none is: every record before it is unkeyed, every one from it keyed. */
  firstKeyed: number | null = null;
  private sawFormat2 = false;
  private sawKeyed = false;

  constructor(private readonly key: string | null) {}

  /** A copy to try a batch on (the writer keeps the original should the write fail). */
  clone(): ChainWalker {
    const c = new ChainWalker(this.key);
    c.last = this.last;
    for (const [k, v] of this.open) c.open.set(k, v);
    for (const k of this.unknown) c.unknown.add(k);
    c.settledUnknown.push(...this.settledUnknown);
    for (const [k, v] of this.writtenSince) c.writtenSince.set(k, [...v]);
    for (const [k, v] of this.plannedSince) c.plannedSince.set(k, [...v]);
    c.records = this.records;
    c.keyed = this.keyed;
    c.unkeyed = this.unkeyed;
    c.legacy = this.legacy;
    c.firstKeyed = this.firstKeyed;
    c.sawFormat2 = this.sawFormat2;
    c.sawKeyed = this.sawKeyed;
    return c;
  }

  get hasKey(): boolean {
    return this.key !== null;
  }

  check(text: string): LineCheck {
    const stray = strayBytes(text);
    if (stray) return { ok: false, ...stray };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'not valid JSON' };
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, reason: 'not a JSON object' };
    // Hashing walks the record recursively: a line nested thousands deep (anyone may have written
    // it) overflowed the stack, an internal error that named no line.
    if (deeperThan(value, MAX_DEPTH)) return { ok: false, reason: `nested more than ${MAX_DEPTH} levels deep, deeper than any record promptctl writes` };
    // Bytes no hash covers: JSON.parse keeps a repeated key's last value, a reader may take the first.
    const twice = repeatedKey(text);
    if (twice !== undefined) return { ok: false, reason: `the key ${JSON.stringify(twice)} is written twice in one object (the hash covers only the last; promptctl never writes one)` };
    const format = (value as { format?: unknown }).format;
    if (format === undefined) return this.checkV1(value as Record<string, unknown>);
    if (format === 2 || format === 3) return this.checkV2(value as Record<string, unknown>);
    // Format 1 is written without the field: one naming it is none promptctl wrote.
    if (format === 1) return { ok: false, reason: 'a record naming "format": 1, which no promptctl writes (format 1 records carry no format field; 2 and 3 name theirs)' };
    return { ok: false, reason: `unknown record format ${JSON.stringify(format)} (this promptctl reads formats 1, 2 and 3)` };
  }

  private link(r: { seq: number; prevHash: string }): string | null {
    const expectedSeq = this.last ? this.last.seq + 1 : 1;
    if (r.seq !== expectedSeq) return `seq ${r.seq} where ${expectedSeq} was expected`;
    const expectedPrev = this.last ? this.last.hash : GENESIS_HASH;
    if (r.prevHash !== expectedPrev) {
      return this.last
        ? `prevHash does not match the hash of record ${this.last.seq}`
        : 'prevHash of the first record is not the genesis hash (64 zeros)';
    }
    return null;
  }

  private checkV1(v: Record<string, unknown>): LineCheck {
    const shape = shapeProblemV1(v);
    if (shape) return { ok: false, reason: shape };
    const r = v as unknown as AuditRecordV1;
    if (this.sawFormat2) return { ok: false, reason: `record ${r.seq} is format 1 but earlier records are format 2` };
    const broken = this.link(r);
    if (broken) return { ok: false, reason: broken };
    if (chainHash(r) !== r.hash) return { ok: false, reason: `hash does not match the content of record ${r.seq}` };
    this.last = { seq: r.seq, hash: r.hash };
    this.records++;
    this.legacy++;
    this.unkeyed++;
    return { ok: true, record: r, format: 1 };
  }

  private checkV2(v: Record<string, unknown>): LineCheck {
    const shape = shapeProblemV2(v);
    if (shape) return { ok: false, reason: shape };
    const r = v as unknown as AuditRecord;
    const broken = this.link(r);
    if (broken) return { ok: false, reason: broken };
    if (r.alg === 'hmac-sha256') {
      if (this.key === null) {
        return {
          ok: false,
          missingKey: true,
          reason: `record ${r.seq} is keyed (hmac-sha256): set ${AUDIT_KEY_ENV} to the key it was written with to verify it`,
        };
      }
      if (chainHashV2(r, this.key) !== r.hash) {
        return {
          ok: false,
          reason: this.sawKeyed
            ? `hash does not match the content of record ${r.seq}`
            : `hash does not match the content of record ${r.seq} (or ${AUDIT_KEY_ENV} is not the key it was written with)`,
        };
      }
    } else {
      if (this.sawKeyed) {
        return { ok: false, reason: `record ${r.seq} is not keyed (sha256) but earlier records are: a keyed trail never goes back to plain sha256` };
      }
      if (chainHashV2(r, null) !== r.hash) return { ok: false, reason: `hash does not match the content of record ${r.seq}` };
    }
    if (r.type === 'outcome' && r.intent != null) {
      const intent = this.open.get(r.intent);
      if (!intent) return { ok: false, reason: `record ${r.seq} is the outcome of intent ${r.intent}, which is not an earlier intent without an outcome` };
      if (intent.address !== r.address || intent.action !== r.action || intent.planId !== r.planId) {
        return { ok: false, reason: `record ${r.seq} is the outcome of intent ${r.intent}, which is for another change (${intent.action} ${intent.address})` };
      }
      // A recovery names the run that settled the intent; an unknown one closes it too (record-shape.ts).
      const recovery = r.recoveredBy !== undefined;
      if (this.unknown.has(r.intent) && !recovery) {
        return { ok: false, reason: `record ${r.seq} is an outcome of intent ${r.intent}, whose outcome is already on record as unknown: only a recovery may follow it` };
      }
      if (r.outcome === 'success') this.noteWrite(intent, r);
      const stillOpen = r.outcome === 'unknown' && !recovery;
      this.notePlannedOutcome(r.intent, stillOpen ? undefined : r.outcome ?? undefined);
      if (stillOpen) this.unknown.add(r.intent);
      else {
        this.open.delete(r.intent);
        this.unknown.delete(r.intent);
        this.writtenSince.delete(r.intent);
        this.plannedSince.delete(r.intent);
        if (r.outcome === 'unknown') {
          this.settledUnknown.push({ intent: r.intent, record: r.seq, address: r.address, action: r.action, by: r.recoveredBy! });
        }
      }
    }
    if (r.type === 'intent') {
      this.notePlanned(r);
      this.open.set(r.seq, r);
    }
    this.last = { seq: r.seq, hash: r.hash };
    this.records++;
    this.sawFormat2 = true;
    if (r.alg === 'hmac-sha256') {
      this.keyed++;
      this.sawKeyed = true;
      this.firstKeyed ??= r.seq;
    } else this.unkeyed++;
    return { ok: true, record: r, format: 2 };
  }

  /** A new intent, for the older intents still open on its address. */
  private notePlanned(intent: AuditRecord): void {
    for (const [seq, open] of this.open) {
      if (open.address !== intent.address) continue;
      const entry: LaterIntent = {
        intent: intent.seq,
        resourceId: intent.resourceId ?? null,
        before: intent.before,
        afterHash: intent.after?.hash ?? null,
        ...(intent.after === null && intent.before !== null ? { removed: true as const } : {}),
      };
      this.plannedSince.set(seq, [...(this.plannedSince.get(seq) ?? []), entry]);
    }
  }

  /** A later intent's outcome, where older open intents list it. Entries are replaced, never changed: a clone shares them. */
  private notePlannedOutcome(intent: number, outcome: string | undefined): void {
    if (outcome === undefined) return;
    for (const [seq, list] of this.plannedSince) {
      if (list.some((e) => e.intent === intent)) this.plannedSince.set(seq, list.map((e) => (e.intent === intent ? { ...e, outcome } : e)));
    }
  }

  /** A write that succeeded, for the older intents still open on its address. Open intents are few. */
  private noteWrite(intent: AuditRecord, outcome: AuditRecord): void {
    for (const [seq, open] of this.open) {
      if (seq >= intent.seq || open.address !== intent.address) continue;
      const list = this.writtenSince.get(seq) ?? [];
      list.push({ intent: intent.seq, record: outcome.seq, resourceId: intent.resourceId ?? null, before: intent.before, ...(intent.after === null && intent.before !== null ? { removed: true as const } : {}) });
      this.writtenSince.set(seq, list);
    }
  }
}

/**
 * What an unkeyed record cannot prove to a holder of the key (DESIGN §5: HMAC, so a forger
 * without the key cannot re-chain): said alike by `audit verify` and by the writer, which with the
 * key refuses to append to a trail none of whose records is keyed unless told it is the former.
 */
export const UNKEYED_CAUSES = 'written before the key was set, or re-chained by someone without it';

/** A trail of RECORDS records, none keyed, as verify and the writer name it with the key set. */
export function noneKeyed(records: number): string {
  return `none of its ${records} record${records === 1 ? ' is' : 's are'} keyed, so ${AUDIT_KEY_ENV} cannot vouch for ${records === 1 ? 'it' : 'them'}`;
}

const BOM = '\uFEFF';

/**
 * What an editor or a copy adds to a JSON-lines file that promptctl never writes: an empty line
 * (a final newline too many) or a byte-order mark (U+FEFF, saved "UTF-8 with BOM"), named with
 * its fix. Neither is tolerated: no hash covers them, and an apply appending after an empty line
 * would leave it between records; neither is removed unasked (DESIGN §5: a complete line is
 * reported, never removed), so the reader is told exactly what to remove.
 */
function strayBytes(text: string): { reason: string; fix: string } | undefined {
  if (text === '') return { reason: 'an empty line, which promptctl never writes (an editor or a copy added it)', fix: 'remove that line (it holds no record)' };
  if (text.trim() === '') return { reason: 'a line of white space only, which promptctl never writes (an editor or a copy added it)', fix: 'remove that line (it holds no record)' };
  if (text.startsWith(BOM)) {
    return {
      reason: 'a byte-order mark (U+FEFF, the bytes EF BB BF) before the record, which an editor adds when it saves a file as "UTF-8 with BOM" and promptctl never writes',
      fix: 'remove those three bytes (save the file as UTF-8 without BOM); the record after them is left as it is',
    };
  }
  return undefined;
}

/** VALUE (parsed JSON) nests objects and arrays more than MAX levels deep; walked without recursion. */
function deeperThan(value: unknown, max: number): boolean {
  const todo: [unknown, number][] = [[value, 1]];
  while (todo.length > 0) {
    const [v, depth] = todo.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const x of Object.values(v)) todo.push([x, depth + 1]);
  }
  return false;
}

/** A later intent's write to an open intent's address, which its outcome says succeeded. */
export interface LaterWrite {
  intent: number;
  /** Its outcome record's seq. */
  record: number;
  /** The object it wrote to, as its intent names it. */
  resourceId: string | null;
  /** What that write was planned against. */
  before: AuditRecord['before'];
  /** It removed the object (a delete, a retire): it meant to leave nothing. */
  removed?: true;
}

/** A later intent on an open intent's address, whatever its outcome. */
export interface LaterIntent {
  intent: number;
  /** The object it wrote to, as its intent names it. */
  resourceId: string | null;
  /** What it was planned against. */
  before: AuditRecord['before'];
  /** The hash of what it meant to leave. */
  afterHash: string | null;
  /** It meant to remove the object. */
  removed?: true;
  /** Its outcome (`success`, `failure`, `not applied`, …); absent while it has none, or only an `unknown` its run wrote. */
  outcome?: string;
}

/** An intent a recovery settled as `unknown`, by the outcome record that did. */
export interface SettledUnknown {
  intent: number;
  /** The outcome record's seq. */
  record: number;
  address: string;
  action: string;
  /** The run that settled it. */
  by: NonNullable<AuditRecord['recoveredBy']>;
}

export interface SplitLines {
  /** Newline-terminated lines: text without the newline, byte offset of the line start. */
  lines: { text: string; start: number }[];
  /** Bytes after the last newline (a torn write when non-empty). */
  tail: { text: string; start: number } | null;
}

/**
 * Whether a last line without its newline is a write a crash cut short: a prefix of a JSON object
 * is never valid JSON (nor are the zeros a crash can leave). A whole JSON line that only lost its
 * newline is a record, judged as any other: one that does not verify is evidence, never "torn".
 */
export function isTornTail(text: string): boolean {
  try {
    // A whole record behind a byte-order mark is a record an editor saved, named as such (strayBytes).
    JSON.parse(text.startsWith(BOM) ? text.slice(1) : text);
    return false;
  } catch {
    return true;
  }
}

/** Splits by byte offsets (relative to BASE), so a truncate can cut exactly at a line start. */
export function splitLines(buf: Buffer, base = 0): SplitLines {
  const lines: { text: string; start: number }[] = [];
  let start = 0;
  for (;;) {
    const nl = buf.indexOf(0x0a, start);
    if (nl === -1) break;
    lines.push({ text: buf.toString('utf8', start, nl), start: base + start });
    start = nl + 1;
  }
  const tail = start < buf.length ? { text: buf.toString('utf8', start), start: base + start } : null;
  return { lines, tail };
}
