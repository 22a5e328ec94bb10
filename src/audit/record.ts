// The audit record (DESIGN §5): its types, its chained hash, its line and its anchor. The per-line
// checks the writer and `audit verify` share are chain-walker.ts; what one line's fields must be
// is record-shape.ts.
//
// Format 2 (written now): `format: 2`, write-ahead `intent` records paired with `outcome`
// records (an outcome names its intent's seq), `org`, `environment`, `dirty`, `ci`, snapshots with
// their canonical `content`, and `alg`: the chain hash is HMAC-SHA256 keyed with
// PROMPTCTL_AUDIT_KEY when it is set, plain sha256 otherwise.
// Format 3: a format-2 outcome record whose outcome is `unknown` (a write that may or may not
// have landed; its intent stays open for a later apply to settle). Its own number makes an older
// promptctl, which knows no such outcome, say to upgrade rather than call the trail broken.
// An outcome record of format 2 may also say `confirmedBy: "read"`: a `success` known only by
// reading the org back, the answer of a write of it lost (a dropped connection, a timeout, a 5xx)
// and a read finding it applied (the same write another client made meanwhile reads the same).
// Optional, so older trails, and older promptctls reading newer ones, verify as before.
// Format 1 (older trails, no `format` field): one outcome record per change, sha256 chain.
// All are read; a trail may hold format-1 records followed by format-2 and -3 records.
import { createHash, createHmac } from 'node:crypto';
import { stableStringify } from '../util/json.js';

export const AUDIT_FORMAT = 2 as const;
/** The format of an `unknown` outcome record (format 2 otherwise). */
export const AUDIT_FORMAT_UNKNOWN_OUTCOME = 3 as const;
/** The environment variable holding the chain key (never written anywhere). */
export const AUDIT_KEY_ENV = 'PROMPTCTL_AUDIT_KEY';
/** Shorter keys are refused: they would be guessable and could not be scrubbed from text safely. */
export const MIN_AUDIT_KEY_LENGTH = 16;

export type AuditAction = 'create' | 'update' | 'delete' | 'publish' | 'retire';
/** What happened to an attempted change. The last two are only written when recovering an intent. */
export type AuditOutcome = CallOutcome | 'succeeded (recovered)' | 'not applied';
/**
 * Outcomes of a call this run made (AuditLog.outcome / append). `unknown`: it may or may not have
 * landed; its intent stays open for a later apply to settle (record-shape.ts).
 */
export type CallOutcome = 'success' | 'failure' | 'conflict' | 'skipped' | 'unknown';
/** Outcomes of an earlier run's intent, decided by reading live state (AuditLog.recover). */
export type RecoveredOutcome = 'succeeded (recovered)' | 'not applied';
/**
 * How a `success` was known when not from the answers of its writes: `read`, the org read back
 * after a write's answer was lost found it applied (another client's same write cannot be told
 * from it). Absent: every write of it was answered.
 */
export type AuditConfirmation = 'read';
export type AuditAlg = 'sha256' | 'hmac-sha256';
export type AuditRecordType = 'intent' | 'outcome';

/** Plain JSON: what `content` may hold (the kind's canonical form). */
export type AuditJson = string | number | boolean | null | AuditJson[] | { [key: string]: AuditJson };

/** A snapshot as the caller supplies it; absent fields are written as null. */
export interface AuditState {
  version?: number | string | null;
  /** sha256 of the canonical form (kinds/canonical.ts canonicalHash). */
  hash?: string | null;
  /** The canonical form itself, so the change can be reconstructed from the trail alone. */
  content?: unknown;
}

/** A snapshot as records carry it. */
export interface AuditSnapshot {
  version: number | string | null;
  hash: string | null;
  content: AuditJson | null;
}

export interface AuditOrg {
  id: string;
  host: string;
}

/** Who writes the records of one apply, where to, and from what. The same for every record of a run. */
export interface AuditContext {
  actor: string;
  commit: string | null;
  planId: string;
  /** The org the change goes to (DESIGN §5: every record names it). Written as null when absent. */
  org?: AuditOrg | null;
  /** The environment name (DESIGN §6), when the target was chosen by one. */
  environment?: string | null;
  /** The working tree was dirty: written as `dirty: true`, left out otherwise. */
  dirty?: boolean;
  /** The CI run that applies (GitHub Actions' GITHUB_RUN_ID and GITHUB_REPOSITORY), when there is one. */
  ci?: AuditCiRun | null;
}

/** A CI run, as a record names it: its logs are where the rest of the story is. */
export interface AuditCiRun {
  runId: string;
  repository?: string;
}

/** One change, as the plan describes it. */
export interface AuditChange {
  address: string;
  /** Normally an AuditAction; any string is accepted so new actions need no change here. */
  action: AuditAction | (string & {});
  resourceId: string | null;
  /** What the change was planned against. */
  before: AuditState | null;
  /** On an intent: what the call means to produce (version may be null); on an outcome: what it produced. */
  after: AuditState | null;
  /** What the change takes with it (a template delete: its versions and split), each as planned against. */
  cascade?: readonly AuditCascaded[];
  correlationId?: string | null;
}

/** An object a change takes with it: its address and its snapshot as planned against. */
export type AuditCascaded = AuditState & { address: string };

/** `AuditLog.intent`: written (durably) before the call. */
export type AuditIntentInput = AuditContext & AuditChange;

/** `AuditLog.outcome`: what the call did. Everything else is copied from its intent. */
export interface AuditResult {
  outcome: CallOutcome;
  /** Default: the intent's. */
  resourceId?: string | null;
  /** Default null. */
  after?: AuditState | null;
  /** Default: the intent's. */
  correlationId?: string | null;
  /** Failure message; scrubbed of secrets before it is written. */
  error?: string;
  /** A `success` known from reading the org back, not from its answers (AuditConfirmation); only on `success`. */
  confirmedBy?: AuditConfirmation;
}

/** The run that settles an earlier run's intent, as its `recoveredBy` names it. */
export interface AuditRecoverer {
  actor: string;
  commit: string | null;
  planId: string;
  /** Its CI run, when it runs in one (the record's own `ci` stays the intent's run's). */
  ci?: AuditCiRun | null;
}

/** `AuditLog.recover`: how an earlier run's intent ended, decided by the caller from live state. */
export interface AuditRecovery {
  /**
   * `unknown`: what was read cannot say (the object is gone, or was written since by someone
   * else too). Written as an `unknown` outcome (format 3) that names this run in `recoveredBy`,
   * and closes the intent: live state only moves further away, no later read would tell more.
   */
  outcome: RecoveredOutcome | 'unknown';
  /** Who recovered it (this run); the record's actor/commit/planId/ci stay the intent's. */
  by: AuditRecoverer;
  resourceId?: string | null;
  /** The live state read (for `succeeded (recovered)`). Default null. */
  after?: AuditState | null;
  correlationId?: string | null;
  /** A note, e.g. what was read; scrubbed of secrets. */
  error?: string;
}

/** `AuditLog.append`: an outcome with no intent before it (a change that was never attempted, or a caller without intents). */
export type AuditInput = AuditContext &
  AuditChange & {
    /** Not `unknown`: that outcome names the intent it leaves open. */
    outcome: Exclude<CallOutcome, 'unknown'>;
    error?: string;
  };

/** The writer of an intent: a later run resolves it only once this run is gone. */
export interface AuditRunId {
  id: string;
  host: string;
  pid: number;
  /** When the run's process started (util/process.ts `processStart`; absent where the system does not say, and in older records). */
  started?: string;
}

/** A format-2 record (3: an `unknown` outcome): one JSON line. */
export interface AuditRecord {
  format: 2 | 3;
  seq: number;
  timestamp: string;
  type: AuditRecordType;
  actor: string;
  commit: string | null;
  planId: string;
  org: AuditOrg | null;
  environment?: string;
  dirty?: true;
  ci?: AuditCiRun;
  address: string;
  action: string;
  resourceId: string | null;
  before: AuditSnapshot | null;
  after: AuditSnapshot | null;
  /** Objects the change takes with it, gone with it when it succeeds (a template delete: its versions and split). */
  cascade?: (AuditSnapshot & { address: string })[];
  /** null on an intent. */
  outcome: AuditOutcome | null;
  /** On a `success` outcome known only by reading the org back (AuditConfirmation). */
  confirmedBy?: AuditConfirmation;
  /** On an outcome: the seq of its intent (null when written without one, by `append`). */
  intent?: number | null;
  /** On an intent: the run making the call. */
  run?: AuditRunId;
  /** On a recovered outcome (an `unknown` one included): the run that read live state and wrote it (`ci`: its CI run, when in one). */
  recoveredBy?: { actor: string; commit: string | null; planId: string; ci?: AuditCiRun };
  correlationId: string | null;
  error?: string;
  alg: AuditAlg;
  prevHash: string;
  hash: string;
}

/** A format-1 record (no `format` field), as older trails hold them. */
export interface AuditRecordV1 {
  seq: number;
  timestamp: string;
  actor: string;
  commit: string | null;
  planId: string;
  address: string;
  action: string;
  resourceId: string | null;
  before: { version?: number | string | null; hash?: string | null } | null;
  after: { version?: number | string | null; hash?: string | null } | null;
  outcome: 'success' | 'failure' | 'conflict' | 'skipped';
  correlationId: string | null;
  error?: string;
  prevHash: string;
  hash: string;
}

/** The last record of a trail, `SEQ:HASH` in text: printed after every apply, checked by `audit verify --head`. */
export interface AuditAnchor {
  seq: number;
  hash: string;
}

/** prevHash of the first record. */
export const GENESIS_HASH = '0'.repeat(64);


/** Format 1: sha256 over the previous hash and the canonical record without its own hash. */
export function chainHash(record: { prevHash: string; hash?: unknown }): string {
  const { hash: _ignored, ...rest } = record;
  return createHash('sha256').update(record.prevHash + stableStringify(rest)).digest('hex');
}

/**
 * Format 2: sha256, or HMAC-SHA256 with KEY, over the previous hash and the canonical record
 * without its own hash (`alg` and `format` included, so neither can be changed unseen).
 */
export function chainHashV2(record: Omit<AuditRecord, 'hash'> & { hash?: unknown }, key: string | null): string {
  const { hash: _ignored, ...rest } = record;
  const text = record.prevHash + stableStringify(rest);
  if (record.alg === 'hmac-sha256') {
    if (key === null) throw new Error('audit: a keyed record needs the key');
    return createHmac('sha256', key).update(text, 'utf8').digest('hex');
  }
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** One JSON line, fields in the order DESIGN §5 lists them (the hash does not depend on it). */
export function recordLine(r: AuditRecord): string {
  const o: Record<string, unknown> = {
    format: r.format,
    seq: r.seq,
    timestamp: r.timestamp,
    type: r.type,
    actor: r.actor,
    commit: r.commit,
    planId: r.planId,
    org: r.org,
  };
  if (r.environment !== undefined) o.environment = r.environment;
  if (r.dirty !== undefined) o.dirty = r.dirty;
  if (r.ci !== undefined) o.ci = r.ci;
  o.address = r.address;
  o.action = r.action;
  o.resourceId = r.resourceId;
  o.before = r.before;
  o.after = r.after;
  if (r.cascade !== undefined) o.cascade = r.cascade;
  o.outcome = r.outcome;
  if (r.confirmedBy !== undefined) o.confirmedBy = r.confirmedBy;
  if (r.intent !== undefined) o.intent = r.intent;
  if (r.run !== undefined) o.run = r.run;
  if (r.recoveredBy !== undefined) o.recoveredBy = r.recoveredBy;
  o.correlationId = r.correlationId;
  if (r.error !== undefined) o.error = r.error;
  o.alg = r.alg;
  o.prevHash = r.prevHash;
  o.hash = r.hash;
  return JSON.stringify(o) + '\n';
}

export function formatAnchor(a: AuditAnchor): string {
  return `${a.seq}:${a.hash}`;
}

/** Parses `SEQ:HASH` (the full 64-digit hash); null when TEXT is not one. */
export function parseAnchor(text: string): AuditAnchor | null {
  const m = /^\s*(\d{1,15}):([0-9a-fA-F]{64})\s*$/.exec(text);
  if (!m) return null;
  const seq = Number(m[1]);
  return seq >= 1 ? { seq, hash: m[2]!.toLowerCase() } : null;
}
