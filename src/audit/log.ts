// The audit writer: one hash-chained JSON line per attempted change, fsynced before
// append() resolves; a torn tail left by a crash is repaired when the log opens.
// Within a process a queue orders appends; across processes `<file>.lock` (lock.ts) does.
import { mkdir, open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { HttpAuditSink } from '../model/types.js';
import {
  GENESIS_HASH,
  chainHash,
  checkLine,
  recordLine,
  splitLines,
  type AuditInput,
  type AuditRecord,
  type AuditState,
} from './record.js';
import { syncDir } from '../util/fs.js';
import { withFileLock, type LockOptions } from './lock.js';
import { knownSecrets, redactValues, scrubMessage } from './scrub.js';
import { describeSinkUrl, postToSink, sinkProblem, type SinkOptions } from './sink.js';

export type { AuditAction, AuditInput, AuditOutcome, AuditRecord, AuditState } from './record.js';

/** Where apply writes and `audit verify` looks, relative to the working directory, unless the config names another file. */
export const DEFAULT_AUDIT_FILE = '.promptctl/audit.jsonl';

export interface OpenAuditLogOptions {
  /** Config.audit.http. */
  sinks?: HttpAuditSink[];
  /** Where secrets (client secret, sink keys) are looked up; default process.env. */
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** Each warning as it happens; default: `warning: ...` on stderr. */
  onWarning?: (message: string) => void;
  /** More secret values that must never reach a record. */
  secrets?: string[];
  sinkOptions?: SinkOptions;
  /** The inter-process lock's stale bound and wait limit (defaults suit every real use). */
  lock?: LockOptions;
}

export interface AuditLog {
  /** Absolute path of the JSONL file. */
  readonly file: string;
  /** Everything that went wrong without losing a local record: tail repairs, a broken chain, sink failures. */
  readonly warnings: readonly string[];
  /** Assigns seq/timestamp/prevHash/hash, writes and fsyncs one line, then posts it to the sinks. */
  append(input: AuditInput): Promise<AuditRecord>;
  /** Waits for pending appends and deliveries, then releases the file. */
  close(): Promise<void>;
}

/** One open file shared by every AuditLog on the same path in this process. */
interface SharedFile {
  path: string;
  fh: FileHandle;
  seq: number;
  prevHash: string;
  /** Bytes we believe the file holds; a different size means someone else wrote. */
  size: number;
  /** Serialises writes: each append chains on the previous one. */
  queue: Promise<unknown>;
  refs: number;
  lock: LockOptions;
  /** Another process has appended since we opened (said once). */
  sharedWarned: boolean;
}

const openFiles = new Map<string, Promise<SharedFile>>();

export async function openAuditLog(file: string, opts: OpenAuditLogOptions = {}): Promise<AuditLog> {
  const env = opts.env ?? process.env;
  const now = opts.now ?? (() => new Date());
  const warnings: string[] = [];
  const onWarning = opts.onWarning ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
  const warn = (m: string): void => {
    warnings.push(m);
    onWarning(m);
  };

  const sinks: HttpAuditSink[] = [];
  for (const sink of opts.sinks ?? []) {
    const problem = sinkProblem(sink, env);
    if (problem) warn(`audit sink ${describeSinkUrl(sink.url)} disabled: ${problem}`);
    else sinks.push(sink);
  }
  const secrets = knownSecrets(
    env,
    (opts.sinks ?? []).flatMap((s) => (s.secretEnv ? [s.secretEnv] : [])),
    opts.secrets,
  );

  const shared = await acquire(resolve(file), warn, opts.lock ?? {});
  let closed = false;
  let pending: Promise<unknown> = Promise.resolve();
  const deliveries = sinks.map(() => Promise.resolve() as Promise<unknown>);

  const append = async (input: AuditInput): Promise<AuditRecord> => {
    if (closed) throw new Error('audit log is closed');
    // Under the lock, so that no other process reads the tail and appends meanwhile.
    const written = enqueue(shared, () =>
      withFileLock(shared.path, () => writeRecord(shared, input, secrets, now, warn), shared.lock),
    );
    pending = written.catch(() => undefined);
    const record = await written;
    const body = recordLine(record).trimEnd();
    // Deliveries per sink stay in seq order; a failure is a warning, never an exception.
    const sent = sinks.map((sink, i) => {
      const next = deliveries[i]!.then(() => postToSink(sink, body, record.hash, env, opts.sinkOptions)).then((w) => {
        if (w) warn(`${w}; record ${record.seq} is kept in ${shared.path}`);
      });
      deliveries[i] = next;
      return next;
    });
    await Promise.all(sent);
    return record;
  };

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await pending;
    await Promise.all(deliveries);
    await release(shared);
  };

  return {
    file: shared.path,
    get warnings() {
      return warnings;
    },
    append,
    close,
  };
}

function enqueue<T>(shared: SharedFile, task: () => Promise<T>): Promise<T> {
  const run = shared.queue.then(task);
  shared.queue = run.catch(() => undefined);
  return run;
}

async function acquire(path: string, warn: (m: string) => void, lock: LockOptions): Promise<SharedFile> {
  const existing = openFiles.get(path);
  if (existing) {
    const s = await existing;
    s.refs++;
    return s;
  }
  const opening = (async (): Promise<SharedFile> => {
    await mkdir(dirname(path), { recursive: true });
    // Under the lock: a tail that looks torn may be another process's write in progress.
    return withFileLock(
      path,
      async () => {
        const isNew = !(await exists(path));
        // 'a': every write lands at the end, whatever else holds the file.
        const fh = await open(path, 'a');
        try {
          if (isNew) await syncDir(dirname(path));
          const state = await loadState(path, fh, warn);
          return { path, fh, ...state, queue: Promise.resolve(), refs: 1, lock, sharedWarned: false };
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

async function release(shared: SharedFile): Promise<void> {
  shared.refs--;
  if (shared.refs > 0) return;
  openFiles.delete(shared.path);
  await shared.queue;
  await shared.fh.close();
}

/**
 * Reads the file, repairs a torn tail (an interrupted write leaves a last line without
 * its newline, or a line of garbage), and returns where the chain continues.
 */
async function loadState(
  path: string,
  fh: FileHandle,
  warn: (m: string) => void,
): Promise<{ seq: number; prevHash: string; size: number }> {
  const buf = await readFile(path);
  const { lines, tail } = splitLines(buf);
  let size = buf.length;
  if (tail) {
    // A prefix of a JSON object is never valid JSON, so a parseable tail is whole: only its
    // newline was lost. Keep it (even if it does not chain: that is evidence for verify).
    if (isJson(tail.text)) {
      await writeAll(fh, Buffer.from('\n'));
      size += 1;
      lines.push(tail);
      warn(`${path}: the last audit line had no newline (interrupted write); completed it`);
    } else {
      await fh.truncate(tail.start);
      size = tail.start;
      warn(`${path}: removed an incomplete last line (${buf.length - tail.start} bytes) left by an interrupted write`);
    }
    await fh.datasync();
  } else {
    const last = lines.at(-1);
    if (last && !isJson(last.text)) {
      await fh.truncate(last.start);
      await fh.datasync();
      size = last.start;
      lines.pop();
      warn(`${path}: removed a corrupt last line (${buf.length - last.start} bytes) left by an interrupted write`);
    }
  }

  let prev: { seq: number; hash: string } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const res = checkLine(lines[i]!.text, prev);
    if (!res.ok) {
      warn(`${path}:${i + 1}: the audit chain is already broken (${res.reason}); new records are appended after it (see promptctl audit verify)`);
      break;
    }
    prev = { seq: res.record.seq, hash: res.record.hash };
  }
  const point = chainPoint(lines.at(-1)?.text) ?? (lines.length > 0 ? { seq: lines.length, hash: GENESIS_HASH } : null);
  return { seq: point?.seq ?? 0, prevHash: point?.hash ?? GENESIS_HASH, size };
}

/** seq and hash of a line that looks like a record, without judging the rest of it. */
function chainPoint(text: string | undefined): { seq: number; hash: string } | null {
  if (text === undefined) return null;
  try {
    const v = JSON.parse(text) as { seq?: unknown; hash?: unknown };
    if (Number.isSafeInteger(v.seq) && typeof v.hash === 'string' && /^[0-9a-f]{64}$/.test(v.hash)) {
      return { seq: v.seq as number, hash: v.hash };
    }
  } catch {
    // not a record
  }
  return null;
}

/** Appends one record after the file's current tail (call with the lock held). */
async function writeRecord(
  shared: SharedFile,
  input: AuditInput,
  secrets: readonly string[],
  now: () => Date,
  warn: (m: string) => void,
): Promise<AuditRecord> {
  const { size } = await shared.fh.stat();
  if (size !== shared.size) {
    if (!shared.sharedWarned) warn(`${shared.path}: another writer is appending too; its records and ours share one chain`);
    shared.sharedWarned = true;
    Object.assign(shared, await loadState(shared.path, shared.fh, warn));
  }
  const record = buildRecord(input, shared.seq + 1, shared.prevHash, now(), secrets);
  const line = recordLine(record);
  // Invariant: what we write is exactly what verify accepts.
  const self = checkLine(line.trimEnd(), shared.seq > 0 ? { seq: shared.seq, hash: shared.prevHash } : null);
  if (!self.ok) throw new Error(`audit: refusing to write an invalid record for ${input.address}: ${self.reason}`);
  const data = Buffer.from(line, 'utf8');
  try {
    await writeAll(shared.fh, data);
    await shared.fh.datasync();
  } catch (err) {
    // Cut a partial line so later records do not follow garbage.
    await shared.fh.truncate(shared.size).catch(() => undefined);
    throw err;
  }
  shared.seq = record.seq;
  shared.prevHash = record.hash;
  shared.size += data.length;
  return record;
}

function buildRecord(input: AuditInput, seq: number, prevHash: string, at: Date, secrets: readonly string[]): AuditRecord {
  const r = (s: string): string => redactValues(s, secrets);
  const rn = (s: string | null | undefined): string | null => (s == null ? null : r(s));
  const state = (s: AuditState | null | undefined): AuditState | null =>
    s == null
      ? null
      : {
          version: typeof s.version === 'string' ? r(s.version) : (s.version ?? null),
          hash: rn(s.hash),
        };
  const base: Omit<AuditRecord, 'hash'> = {
    seq,
    timestamp: at.toISOString(),
    actor: r(input.actor),
    commit: rn(input.commit),
    planId: r(input.planId),
    address: r(input.address),
    action: r(input.action),
    resourceId: rn(input.resourceId),
    before: state(input.before),
    after: state(input.after),
    outcome: input.outcome,
    correlationId: rn(input.correlationId),
    prevHash,
  };
  if (input.error !== undefined) base.error = scrubMessage(input.error, secrets);
  return { ...base, hash: chainHash(base) };
}

async function writeAll(fh: FileHandle, data: Buffer): Promise<void> {
  let off = 0;
  while (off < data.length) {
    const { bytesWritten } = await fh.write(data, off, data.length - off);
    off += bytesWritten;
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
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
