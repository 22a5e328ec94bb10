// The audit writer (DESIGN §5): hash-chained JSON lines, written ahead. An `intent` record is
// durable before the call it announces is made, and its `outcome` follows; intents of earlier
// runs left without an outcome (a kill -9) are listed on open for the caller to resolve from
// live state. Records queued together are committed as one batch: one lock acquisition, one
// write, one fdatasync; each record's promise resolves only once its batch is durable.
// Within a process one queue orders the records of every handle on a file; across processes
// `<file>.lock` (util/lock.ts) does, so concurrent applies keep one chain.
// Only a last line without its newline is a torn write (repaired on open); any complete line
// that does not verify stops the writer, naming the line, and is never removed.
import { randomUUID } from 'node:crypto';
import { mkdir, open, stat, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { syncDir } from '../util/atomic-file.js';
import { UserError } from '../util/errors.js';
import { withFileLock, type LockOptions } from '../util/lock.js';
import {
  AUDIT_FORMAT,
  AUDIT_KEY_ENV,
  ChainWalker,
  GENESIS_HASH,
  MIN_AUDIT_KEY_LENGTH,
  chainHashV2,
  recordLine,
  splitLines,
  type AuditAnchor,
  type AuditContext,
  type AuditInput,
  type AuditIntentInput,
  type AuditJson,
  type AuditRecord,
  type AuditRecovery,
  type AuditResult,
  type AuditRunId,
  type AuditSnapshot,
  type AuditState,
  type LineCheck,
} from './record.js';
import { knownSecrets, redactJson, redactValues, scrubMessage } from './scrub.js';
import { describeSinkUrl, postToSink, sinkProblem, type HttpAuditSink, type SinkOptions } from './sink.js';
import { isAlive } from '../util/process.js';

export type {
  AuditAction,
  AuditAnchor,
  AuditChange,
  AuditContext,
  AuditInput,
  AuditIntentInput,
  AuditOrg,
  AuditOutcome,
  AuditRecord,
  AuditRecovery,
  AuditResult,
  AuditSnapshot,
  AuditState,
  CallOutcome,
  RecoveredOutcome,
} from './record.js';
export { AUDIT_KEY_ENV, formatAnchor, parseAnchor } from './record.js';

/** Where apply writes and `audit verify` looks, relative to the working directory, unless the config names another file. */
export const DEFAULT_AUDIT_FILE = '.promptctl/audit.jsonl';

/** An intent written on another host counts as abandoned once it is this old (its run cannot be asked). */
export const DEFAULT_ABANDON_AFTER_MS = 60 * 60_000;

/** At most this many records go into one write. */
const MAX_BATCH = 1024;

export interface OpenAuditLogOptions {
  /** Config.audit.http. */
  sinks?: HttpAuditSink[];
  /** Where secrets (client secret, sink keys) and PROMPTCTL_AUDIT_KEY are looked up; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Environment variables that hold secrets (the target's OAuth client secret); sink keys and the audit key are added. */
  secretEnvs?: string[];
  now?: () => Date;
  /** Each warning as it happens; default: `warning: ...` on stderr. */
  onWarning?: (message: string) => void;
  /** More secret values that must never reach a record. */
  secrets?: string[];
  sinkOptions?: SinkOptions;
  /** The inter-process lock's stale bound and wait limit (defaults suit every real use). */
  lock?: LockOptions;
  /** See DEFAULT_ABANDON_AFTER_MS. */
  abandonAfterMs?: number;
}

export interface AuditLog {
  /** Absolute path of the JSONL file. */
  readonly file: string;
  /** Everything that went wrong without losing a local record: tail repairs, sink failures. */
  readonly warnings: readonly string[];
  /** Records are chained with HMAC-SHA256 (PROMPTCTL_AUDIT_KEY is set). */
  readonly keyed: boolean;
  /** Records and batches this process has committed to the file (group-commit accounting). */
  readonly stats: { readonly records: number; readonly batches: number };
  /**
   * Intents of earlier runs (crashed, killed, or gone for longer than abandonAfterMs on another
   * host) that have no outcome, oldest first, as read when the log opened. Resolve each with
   * `recover` after reading live state. Intents of runs still going are never listed.
   */
  pendingIntents(): readonly AuditRecord[];
  /** Writes an intent; resolves once it is durable. Make the call only after that. */
  intent(input: AuditIntentInput): Promise<AuditRecord>;
  /** Writes the outcome of one of this log's intents (actor, plan, org, address, before copied from it). */
  outcome(intent: AuditRecord, result: AuditResult): Promise<AuditRecord>;
  /**
   * Resolves an earlier run's intent (from pendingIntents) as `succeeded (recovered)` or
   * `not applied`. Resolves to null when another process resolved it first.
   */
  recover(intent: AuditRecord, recovery: AuditRecovery): Promise<AuditRecord | null>;
  /** One outcome record without an intent (`intent: null`); resolves once it is durable. */
  append(input: AuditInput): Promise<AuditRecord>;
  /** The last record of the chain as this process knows it (after close: as it closed); null for an empty trail. */
  head(): AuditAnchor | null;
  /** Waits for queued records and sink deliveries, then releases the file. */
  close(): Promise<void>;
}

type Build = (seq: number, prevHash: string, walker: ChainWalker) => Omit<AuditRecord, 'hash'> | null;

interface Entry {
  build: Build;
  resolve(r: AuditRecord | null): void;
  reject(e: unknown): void;
}

/** One open file shared by every AuditLog on the same path in this process. */
interface SharedFile {
  path: string;
  fh: FileHandle;
  key: string | null;
  /** Bytes we believe the file holds; a different size means another process wrote. */
  size: number;
  /** The chain up to `size`. */
  walker: ChainWalker;
  queue: Entry[];
  flushing: boolean;
  /** Settles when the queue is empty and no batch is in flight. */
  idle: Promise<void>;
  markIdle: () => void;
  refs: number;
  lock: LockOptions;
  /** Warnings that concern the file reach every open handle. */
  listeners: Set<(m: string) => void>;
  sharedWarned: boolean;
  stats: { records: number; batches: number };
}

const openFiles = new Map<string, Promise<SharedFile>>();
/** Runs (AuditLog handles) open in this process: their intents are never someone else's to resolve. */
const liveRuns = new Set<string>();

export async function openAuditLog(file: string, opts: OpenAuditLogOptions = {}): Promise<AuditLog> {
  const env = opts.env ?? process.env;
  const now = opts.now ?? (() => new Date());
  const warnings: string[] = [];
  const onWarning = opts.onWarning ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
  const warn = (m: string): void => {
    warnings.push(m);
    onWarning(m);
  };

  const key = auditKey(env);
  const sinks: HttpAuditSink[] = [];
  for (const sink of opts.sinks ?? []) {
    const problem = sinkProblem(sink, env);
    if (problem) warn(`audit sink ${describeSinkUrl(sink.url)} disabled: ${problem}`);
    else sinks.push(sink);
  }
  const secrets = knownSecrets(
    env,
    [...(opts.secretEnvs ?? []), ...(opts.sinks ?? []).flatMap((s) => (s.secretEnv ? [s.secretEnv] : []))],
    [...(opts.secrets ?? []), ...(key ? [key] : [])],
  );

  const shared = await acquire(resolve(file), key, warn, opts.lock ?? {});
  const run: AuditRunId = { id: randomUUID(), host: hostname(), pid: process.pid };
  liveRuns.add(run.id);
  const abandonAfterMs = opts.abandonAfterMs ?? DEFAULT_ABANDON_AFTER_MS;
  const pending = [...shared.walker.open.values()]
    .filter((i) => abandoned(i, now().getTime(), abandonAfterMs))
    .sort((a, b) => a.seq - b.seq);

  let closed = false;
  let finalHead: AuditAnchor | null = null;
  const inFlight = new Set<Promise<unknown>>();
  const deliveries = sinks.map(() => Promise.resolve() as Promise<unknown>);
  const alg = key ? 'hmac-sha256' : 'sha256';

  const r = (s: string): string => redactValues(s, secrets);
  const rn = (s: string | null | undefined): string | null => (s == null ? null : r(s));
  const snapshot = (s: AuditState | null | undefined): AuditSnapshot | null =>
    s == null
      ? null
      : {
          version: typeof s.version === 'string' ? r(s.version) : (s.version ?? null),
          hash: rn(s.hash),
          content: s.content === undefined ? null : (redactJson(s.content, secrets) as AuditJson),
        };
  const context = (c: AuditContext): Pick<AuditRecord, 'actor' | 'commit' | 'planId' | 'org' | 'environment' | 'dirty'> => ({
    actor: r(c.actor),
    commit: rn(c.commit),
    planId: r(c.planId),
    org: c.org ? { id: r(c.org.id), host: r(c.org.host) } : null,
    ...(c.environment != null ? { environment: r(c.environment) } : {}),
    ...(c.dirty ? { dirty: true as const } : {}),
  });
  const head = (seq: number, type: AuditRecord['type']) => ({
    format: AUDIT_FORMAT,
    seq,
    timestamp: now().toISOString(),
    type,
  });
  const tail = (prevHash: string) => ({ alg, prevHash }) as const;

  const submit = (build: Build): Promise<AuditRecord | null> => {
    if (closed) return Promise.reject(new Error('audit log is closed'));
    const p = new Promise<AuditRecord | null>((ok, fail) => enqueue(shared, { build, resolve: ok, reject: fail }));
    const tracked = p.then((rec) => {
      if (rec) deliver(rec);
      return rec;
    });
    inFlight.add(tracked);
    void tracked.catch(() => undefined).finally(() => inFlight.delete(tracked));
    return tracked;
  };

  // Deliveries per sink stay in seq order and never hold up a record; a failure is a warning.
  const deliver = (record: AuditRecord): void => {
    if (sinks.length === 0) return;
    const body = recordLine(record).trimEnd();
    sinks.forEach((sink, i) => {
      deliveries[i] = deliveries[i]!.then(() => postToSink(sink, body, record.hash, env, opts.sinkOptions)).then((w) => {
        if (w) warn(`${w}; record ${record.seq} is kept in ${shared.path}`);
      });
    });
  };

  /** The change a record describes, scrubbed of secrets. */
  const change = (input: AuditIntentInput | AuditInput) => ({
    address: r(input.address),
    action: r(input.action),
    resourceId: rn(input.resourceId),
    before: snapshot(input.before),
    after: snapshot(input.after),
  });

  const intent = async (input: AuditIntentInput): Promise<AuditRecord> => {
    const rec = await submit((seq, prevHash) => ({
      ...head(seq, 'intent'),
      ...context(input),
      ...change(input),
      outcome: null,
      run,
      correlationId: rn(input.correlationId),
      ...tail(prevHash),
    }));
    return rec!;
  };

  const outcomeOf = (i: AuditRecord, walker: ChainWalker, seq: number) => {
    const open = walker.open.get(i.seq);
    if (!open || open.hash !== i.hash) return null;
    return {
      ...head(seq, 'outcome'),
      actor: open.actor,
      commit: open.commit,
      planId: open.planId,
      org: open.org,
      ...(open.environment !== undefined ? { environment: open.environment } : {}),
      ...(open.dirty ? { dirty: true as const } : {}),
      address: open.address,
      action: open.action,
      before: open.before,
    };
  };

  const outcome = async (i: AuditRecord, result: AuditResult): Promise<AuditRecord> => {
    if (i.type !== 'intent' || i.run?.id !== run.id) throw new Error(`audit: record ${i.seq} is not an intent of this run (use recover for an earlier run's)`);
    const rec = await submit((seq, prevHash, walker) => {
      const base = outcomeOf(i, walker, seq);
      if (!base) throw new Error(`audit: intent ${i.seq} (${i.address}) already has an outcome`);
      return {
        ...base,
        resourceId: result.resourceId !== undefined ? rn(result.resourceId) : i.resourceId,
        after: snapshot(result.after),
        outcome: result.outcome,
        intent: i.seq,
        correlationId: result.correlationId !== undefined ? rn(result.correlationId) : i.correlationId,
        ...(result.error !== undefined ? { error: scrubMessage(result.error, secrets) } : {}),
        ...tail(prevHash),
      };
    });
    return rec!;
  };

  const recover = (i: AuditRecord, rec: AuditRecovery): Promise<AuditRecord | null> => {
    if (i.type !== 'intent') return Promise.reject(new Error(`audit: record ${i.seq} is not an intent`));
    if (rec.outcome !== 'succeeded (recovered)' && rec.outcome !== 'not applied') {
      return Promise.reject(new Error(`audit: a recovered intent's outcome is "succeeded (recovered)" or "not applied", not "${String(rec.outcome)}"`));
    }
    return submit((seq, prevHash, walker) => {
      const base = outcomeOf(i, walker, seq);
      if (!base) return null; // resolved meanwhile by another process
      return {
        ...base,
        resourceId: rec.resourceId !== undefined ? rn(rec.resourceId) : i.resourceId,
        after: snapshot(rec.after),
        outcome: rec.outcome,
        intent: i.seq,
        recoveredBy: { actor: r(rec.by.actor), commit: rn(rec.by.commit), planId: r(rec.by.planId) },
        correlationId: rec.correlationId !== undefined ? rn(rec.correlationId) : i.correlationId,
        ...(rec.error !== undefined ? { error: scrubMessage(rec.error, secrets) } : {}),
        ...tail(prevHash),
      };
    });
  };

  const append = async (input: AuditInput): Promise<AuditRecord> => {
    const rec = await submit((seq, prevHash) => ({
      ...head(seq, 'outcome'),
      ...context(input),
      ...change(input),
      outcome: input.outcome,
      intent: null,
      correlationId: rn(input.correlationId),
      ...(input.error !== undefined ? { error: scrubMessage(input.error, secrets) } : {}),
      ...tail(prevHash),
    }));
    return rec!;
  };

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await Promise.allSettled([...inFlight]);
    await Promise.all(deliveries);
    finalHead = shared.walker.last;
    liveRuns.delete(run.id);
    await release(shared, warn);
  };

  return {
    file: shared.path,
    get warnings() {
      return warnings;
    },
    keyed: key !== null,
    get stats() {
      return { ...shared.stats };
    },
    pendingIntents: () => pending,
    intent,
    outcome,
    recover,
    append,
    head: () => (closed ? finalHead : shared.walker.last),
    close,
  };
}

/** PROMPTCTL_AUDIT_KEY, or null when unset or empty; a key too short to be safe is refused. */
export function auditKey(env: NodeJS.ProcessEnv): string | null {
  const key = env[AUDIT_KEY_ENV];
  if (key === undefined || key === '') return null;
  if (key.length < MIN_AUDIT_KEY_LENGTH) {
    throw new UserError(`${AUDIT_KEY_ENV} is too short: use at least ${MIN_AUDIT_KEY_LENGTH} characters (a random one, e.g. openssl rand -hex 32)`);
  }
  return key;
}

/** The intent's run is gone: not open in this process, dead on this host, or silent for too long on another. */
function abandoned(intent: AuditRecord, nowMs: number, abandonAfterMs: number): boolean {
  const run = intent.run;
  if (!run) return true;
  if (liveRuns.has(run.id)) return false;
  if (run.host === hostname()) return run.pid === process.pid || !isAlive(run.pid);
  const at = Date.parse(intent.timestamp);
  return !Number.isFinite(at) || nowMs - at > abandonAfterMs;
}


function enqueue(shared: SharedFile, entry: Entry): void {
  shared.queue.push(entry);
  if (shared.flushing) return;
  shared.flushing = true;
  let markIdle!: () => void;
  shared.idle = new Promise((ok) => (markIdle = ok));
  shared.markIdle = markIdle;
  // Start on a microtask, so that records queued in the same tick share the first batch.
  queueMicrotask(() => void flush(shared));
}

/** Commits the queue batch by batch until it is empty. */
async function flush(shared: SharedFile): Promise<void> {
  while (shared.queue.length > 0) {
    const batch = shared.queue.splice(0, MAX_BATCH);
    try {
      const results = await withFileLock(shared.path, () => commit(shared, batch), shared.lock);
      batch.forEach((e, i) => {
        const res = results[i]!;
        if (res.ok) e.resolve(res.record);
        else e.reject(res.error);
      });
    } catch (err) {
      for (const e of batch) e.reject(err);
    }
  }
  shared.flushing = false;
  shared.markIdle();
}

type Committed = { ok: true; record: AuditRecord | null } | { ok: false; error: unknown };

/** Writes one batch after the file's current end, with the lock held: one write, one fdatasync. */
async function commit(shared: SharedFile, batch: Entry[]): Promise<Committed[]> {
  await catchUp(shared);
  const walker = shared.walker.clone();
  const results: Committed[] = [];
  const lines: string[] = [];
  for (const e of batch) {
    try {
      const last = walker.last;
      const body = e.build(last ? last.seq + 1 : 1, last ? last.hash : GENESIS_HASH, walker);
      if (!body) {
        results.push({ ok: true, record: null });
        continue;
      }
      const record = { ...body, hash: chainHashV2(body, shared.key) } as AuditRecord;
      const line = recordLine(record);
      // Invariant: what we write is exactly what verify accepts (the walker advances on success).
      const self = walker.check(line.slice(0, -1));
      if (!self.ok) throw new Error(`audit: refusing to write an invalid record for ${record.address}: ${self.reason}`);
      lines.push(line);
      results.push({ ok: true, record });
    } catch (err) {
      results.push({ ok: false, error: err });
    }
  }
  if (lines.length === 0) return results;
  const data = Buffer.from(lines.join(''), 'utf8');
  try {
    await writeAll(shared.fh, data);
    await shared.fh.datasync();
  } catch (err) {
    // Cut a partial batch so later records do not follow garbage.
    await shared.fh.truncate(shared.size).catch(() => undefined);
    throw err;
  }
  shared.size += data.length;
  shared.walker = walker;
  shared.stats.records += lines.length;
  shared.stats.batches += 1;
  return results;
}

/** Reads what other processes appended since our last batch (with the lock held). */
async function catchUp(shared: SharedFile): Promise<void> {
  const { size } = await shared.fh.stat();
  if (size === shared.size) return;
  const warn = (m: string): void => shared.listeners.forEach((l) => l(m));
  if (size < shared.size) {
    throw new UserError(
      `${shared.path}: the audit trail shrank from ${shared.size} to ${size} bytes while promptctl had it open: records were removed; ` +
        'refusing to append (see promptctl audit verify)',
    );
  }
  if (!shared.sharedWarned) warn(`${shared.path}: another writer is appending too; its records and ours share one chain`);
  shared.sharedWarned = true;
  const buf = Buffer.alloc(size - shared.size);
  let off = 0;
  while (off < buf.length) {
    const { bytesRead } = await shared.fh.read(buf, off, buf.length - off, shared.size + off);
    if (bytesRead === 0) break;
    off += bytesRead;
  }
  const walker = shared.walker.clone();
  shared.size = await ingest(shared.path, shared.fh, buf.subarray(0, off), shared.size, walker, warn);
  shared.walker = walker;
}

/**
 * Walks BUF (the file from offset BASE) into WALKER, repairing a torn tail: returns the file's
 * size afterwards. A complete line that does not verify throws, naming its line.
 */
async function ingest(
  path: string,
  fh: FileHandle,
  buf: Buffer,
  base: number,
  walker: ChainWalker,
  warn: (m: string) => void,
): Promise<number> {
  const { lines, tail } = splitLines(buf, base);
  for (const line of lines) {
    const res = walker.check(line.text);
    if (!res.ok) throw brokenChain(path, walker.records + 1, res);
  }
  const end = base + buf.length;
  if (!tail) return end;
  // A prefix of a JSON object is never valid JSON, and writes end with a newline: a tail that does
  // not parse is a write a crash cut short (or zeros a crash left), which is never evidence of a
  // change (its promise never resolved, so its call was never made).
  let parses = true;
  try {
    JSON.parse(tail.text);
  } catch {
    parses = false;
  }
  if (!parses) {
    await fh.truncate(tail.start);
    await fh.datasync();
    warn(`${path}: removed an incomplete last line (${end - tail.start} bytes) left by an interrupted write`);
    return tail.start;
  }
  // A whole record that only lost its newline is kept; a whole line that does not verify is evidence.
  const res = walker.check(tail.text);
  if (!res.ok) throw brokenChain(path, walker.records + 1, res);
  await writeAll(fh, Buffer.from('\n'));
  await fh.datasync();
  warn(`${path}: the last audit line had no newline (interrupted write); completed it`);
  return end + 1;
}

function brokenChain(path: string, line: number, res: Extract<LineCheck, { ok: false }>): UserError {
  if (res.missingKey) return new UserError(`${path}:${line}: ${res.reason}; promptctl will not append to a keyed trail without its key`);
  return new UserError(
    `${path}:${line}: the audit chain is broken (${res.reason}); promptctl will not append after it. ` +
      'See it with `promptctl audit verify`, keep the file as evidence and move it aside to start a new trail',
  );
}

async function acquire(path: string, key: string | null, warn: (m: string) => void, lock: LockOptions): Promise<SharedFile> {
  const existing = openFiles.get(path);
  if (existing) {
    const s = await existing;
    if (s.key !== key) throw new Error(`audit: ${path} is already open in this process with a different ${AUDIT_KEY_ENV}`);
    s.refs++;
    s.listeners.add(warn);
    return s;
  }
  const opening = (async (): Promise<SharedFile> => {
    await mkdir(dirname(path), { recursive: true });
    // Under the lock: a tail that looks torn may be another process's write in progress.
    return withFileLock(
      path,
      async () => {
        const isNew = !(await exists(path));
        // 'a+': every write lands at the end whatever else holds the file; reads see what others added.
        const fh = await open(path, 'a+');
        try {
          if (isNew) await syncDir(dirname(path));
          const { size: onDisk } = await fh.stat();
          const buf = Buffer.alloc(onDisk);
          let off = 0;
          while (off < onDisk) {
            const { bytesRead } = await fh.read(buf, off, onDisk - off, off);
            if (bytesRead === 0) break;
            off += bytesRead;
          }
          const walker = new ChainWalker(key);
          const size = await ingest(path, fh, buf.subarray(0, off), 0, walker, warn);
          return {
            path,
            fh,
            key,
            size,
            walker,
            queue: [],
            flushing: false,
            idle: Promise.resolve(),
            markIdle: () => undefined,
            refs: 1,
            lock,
            listeners: new Set([warn]),
            sharedWarned: false,
            stats: { records: 0, batches: 0 },
          };
        } catch (err) {
          await fh.close();
          throw err;
        }
      },
      lock,
    );
  })();
  openFiles.set(path, opening);
  opening.catch(() => openFiles.delete(path));
  return opening;
}

async function release(shared: SharedFile, warn: (m: string) => void): Promise<void> {
  shared.refs--;
  shared.listeners.delete(warn);
  if (shared.refs > 0) return;
  openFiles.delete(shared.path);
  await shared.idle;
  await shared.fh.close();
}

async function writeAll(fh: FileHandle, data: Buffer): Promise<void> {
  let off = 0;
  while (off < data.length) {
    const { bytesWritten } = await fh.write(data, off, data.length - off);
    off += bytesWritten;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
