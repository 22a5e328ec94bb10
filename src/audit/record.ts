// The audit record (DESIGN §5): its shape, its chained hash, and the per-line checks
// shared by the writer (repairing a torn tail) and `audit verify`.
import { createHash } from 'node:crypto';
import { stableStringify } from '../genesys/wire.js';

export type AuditAction = 'create' | 'update' | 'delete' | 'publish' | 'retire';
export type AuditOutcome = 'success' | 'failure' | 'conflict' | 'skipped';

export interface AuditState {
  version?: number | string | null;
  hash?: string | null;
}

/** What apply supplies for each attempted change. */
export interface AuditInput {
  actor: string;
  commit: string | null;
  planId: string;
  address: string;
  /** Normally an AuditAction; any string is accepted so new actions need no change here. */
  action: AuditAction | (string & {});
  resourceId: string | null;
  before: AuditState | null;
  after: AuditState | null;
  outcome: AuditOutcome;
  correlationId: string | null;
  /** Failure message; scrubbed of secrets before it is written. */
  error?: string;
}

export interface AuditRecord extends AuditInput {
  seq: number;
  timestamp: string;
  prevHash: string;
  hash: string;
}

/** prevHash of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

const OUTCOMES: readonly string[] = ['success', 'failure', 'conflict', 'skipped'];
const HEX64 = /^[0-9a-f]{64}$/;

/** sha256 over the previous hash and the canonical record without its own hash. */
export function chainHash(record: Omit<AuditRecord, 'hash'> & { hash?: unknown }): string {
  const { hash: _ignored, ...rest } = record;
  return createHash('sha256').update(record.prevHash + stableStringify(rest)).digest('hex');
}

/** One JSON line, fields in the order DESIGN §5 lists them (the hash does not depend on it). */
export function recordLine(r: AuditRecord): string {
  const ordered: Record<string, unknown> = {
    seq: r.seq,
    timestamp: r.timestamp,
    actor: r.actor,
    commit: r.commit,
    planId: r.planId,
    address: r.address,
    action: r.action,
    resourceId: r.resourceId,
    before: r.before,
    after: r.after,
    outcome: r.outcome,
    correlationId: r.correlationId,
  };
  if (r.error !== undefined) ordered.error = r.error;
  ordered.prevHash = r.prevHash;
  ordered.hash = r.hash;
  return JSON.stringify(ordered) + '\n';
}

export type LineCheck = { ok: true; record: AuditRecord } | { ok: false; reason: string };

/**
 * Checks one line against the record before it (null for the first line):
 * JSON, shape, seq continuity, prevHash link, own hash.
 */
export function checkLine(text: string, prev: { seq: number; hash: string } | null): LineCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  const shape = shapeProblem(value);
  if (shape) return { ok: false, reason: shape };
  const r = value as AuditRecord;
  const expectedSeq = prev ? prev.seq + 1 : 1;
  if (r.seq !== expectedSeq) return { ok: false, reason: `seq ${r.seq} where ${expectedSeq} was expected` };
  const expectedPrev = prev ? prev.hash : GENESIS_HASH;
  if (r.prevHash !== expectedPrev) {
    return {
      ok: false,
      reason: prev
        ? `prevHash does not match the hash of record ${prev.seq}`
        : 'prevHash of the first record is not the genesis hash (64 zeros)',
    };
  }
  if (chainHash(r) !== r.hash) return { ok: false, reason: `hash does not match the content of record ${r.seq}` };
  return { ok: true, record: r };
}

function shapeProblem(v: unknown): string | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'not a JSON object';
  const r = v as Record<string, unknown>;
  if (!Number.isSafeInteger(r.seq) || (r.seq as number) < 1) return 'seq is missing or not a positive integer';
  for (const k of ['timestamp', 'actor', 'planId', 'address', 'action'] as const) {
    if (typeof r[k] !== 'string') return `${k} is missing or not a string`;
  }
  for (const k of ['commit', 'resourceId', 'correlationId'] as const) {
    if (r[k] !== null && typeof r[k] !== 'string') return `${k} is missing or not a string or null`;
  }
  for (const k of ['before', 'after'] as const) {
    if (r[k] !== null && (typeof r[k] !== 'object' || Array.isArray(r[k]))) return `${k} is missing or not an object or null`;
  }
  if (typeof r.outcome !== 'string' || !OUTCOMES.includes(r.outcome)) return 'outcome is missing or unknown';
  if (r.error !== undefined && typeof r.error !== 'string') return 'error is not a string';
  if (typeof r.prevHash !== 'string' || !HEX64.test(r.prevHash)) return 'prevHash is missing or not 64 hex digits';
  if (typeof r.hash !== 'string' || !HEX64.test(r.hash)) return 'hash is missing or not 64 hex digits';
  return null;
}

export interface SplitLines {
  /** Newline-terminated lines: text without the newline, byte offset of the line start. */
  lines: { text: string; start: number }[];
  /** Bytes after the last newline (a torn write when non-empty). */
  tail: { text: string; start: number } | null;
}

/** Splits by byte offsets, so a truncate can cut exactly at a line start. */
export function splitLines(buf: Buffer): SplitLines {
  const lines: { text: string; start: number }[] = [];
  let start = 0;
  for (;;) {
    const nl = buf.indexOf(0x0a, start);
    if (nl === -1) break;
    lines.push({ text: buf.toString('utf8', start, nl), start });
    start = nl + 1;
  }
  const tail = start < buf.length ? { text: buf.toString('utf8', start), start } : null;
  return { lines, tail };
}
