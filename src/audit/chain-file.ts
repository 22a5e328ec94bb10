// One open audit trail file per path in this process, and its group commit (DESIGN §5). Opening
// reads and verifies the whole chain under the file's lock, repairing only a torn last line (a
// write a crash cut short); a complete line that does not verify stops the writer, naming it.
// Records queued together are committed as one batch: one lock acquisition, one write, one
// fdatasync, and each record's promise resolves only once its batch is durable. Within a process
// one queue orders the records of every handle on the file; across processes `<file>.lock`
// (util/lock.ts) does, and a batch first reads what other writers appended, so the chain stays one.
import { open, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { makeDirectories, syncDir } from '../util/atomic-file.js';
import { UserError } from '../util/errors.js';
import { oneLine } from '../util/escapes.js';
import { withFileLock, type LockOptions } from '../util/lock.js';
import { ChainWalker, isTornTail, splitLines, type LineCheck } from './chain-walker.js';
import { AUDIT_KEY_ENV, GENESIS_HASH, chainHashV2, recordLine, type AuditRecord } from './record.js';
import { andList } from '../util/plural.js';

/** At most this many records go into one write. */
const MAX_BATCH = 1024;

/** Makes a record from its place in the chain (null: nothing to write after all). */
export type Build = (seq: number, prevHash: string, walker: ChainWalker) => Omit<AuditRecord, 'hash'> | null;

interface Entry {
  build: Build;
  resolve(r: AuditRecord | null): void;
  reject(e: unknown): void;
}

/** One open file shared by every AuditLog on the same path in this process. */
export interface SharedFile {
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
  /** The command a refusal tells the user to check the trail with (the first opener's: see acquire). */
  verify: string;
  /** Warnings that concern the file reach every open handle. */
  listeners: Set<(m: string) => void>;
  sharedWarned: boolean;
  stats: { records: number; batches: number };
}

const openFiles = new Map<string, Promise<SharedFile>>();

/** Queues a record; records queued in the same tick share a batch. */
export function enqueue(shared: SharedFile, entry: Entry): void {
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
        `refusing to append (see \`${shared.verify}\`)`,
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
  shared.size = await ingest(shared.path, shared.fh, buf.subarray(0, off), shared.size, walker, warn, shared.verify);
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
  verify: string,
): Promise<number> {
  const { lines, tail } = splitLines(buf, base);
  for (const line of lines) {
    const res = walker.check(line.text);
    if (!res.ok) throw brokenChain(path, walker.records + 1, res, verify);
  }
  const end = base + buf.length;
  if (!tail) return end;
  // A prefix of a JSON object is never valid JSON, and writes end with a newline: a tail that does
  // not parse is a write a crash cut short (or zeros a crash left), which is never evidence of a
  // change (its promise never resolved, so its call was never made).
  if (isTornTail(tail.text)) {
    // Kept before they are cut off: what a crash left in the trail is for whoever looks into it.
    const kept = await keepTornBytes(path, buf.subarray(tail.start - base), tail.start);
    await fh.truncate(tail.start);
    await fh.datasync();
    warn(`${path}: removed an incomplete last line (${end - tail.start} bytes) left by an interrupted write; its bytes are kept in ${kept}`);
    return tail.start;
  }
  // A whole record that only lost its newline is kept; a whole line that does not verify is evidence.
  const res = walker.check(tail.text);
  if (!res.ok) throw brokenChain(path, walker.records + 1, res, verify);
  await writeAll(fh, Buffer.from('\n'));
  await fh.datasync();
  warn(`${path}: the last audit line had no newline (interrupted write); completed it`);
  return end + 1;
}

/**
 * Appends a torn tail's bytes to `<trail>.torn`, one JSON line each (when, at which offset, the
 * bytes in base64: zeros and cut UTF-8 survive), durable before the trail is cut. Returns its path.
 */
async function keepTornBytes(path: string, bytes: Buffer, offset: number): Promise<string> {
  const file = `${path}.torn`;
  const line = JSON.stringify({ removedAt: new Date().toISOString(), offset, length: bytes.length, bytes: bytes.toString('base64') });
  const created = await stat(file).then(() => false, () => true);
  const fh = await open(file, 'a');
  try {
    await writeAll(fh, Buffer.from(`${line}\n`));
    await fh.datasync();
  } finally {
    await fh.close();
  }
  if (created) await syncDir(dirname(file));
  return file;
}

/** `verify`: the command that checks this trail, as the user runs it (the caller words it: see acquire). */
function brokenChain(path: string, line: number, check: Extract<LineCheck, { ok: false }>, verify: string): UserError {
  // A reason may quote the file's own fields (anyone may have written them): one line, made visible.
  const res = { ...check, reason: oneLine(check.reason) };
  if (res.missingKey) return new UserError(`${path}:${line}: ${res.reason}; promptctl will not append to a keyed trail without its key`);
  // Bytes an editor added around the records: what to remove, not a trail to set aside.
  if (res.fix !== undefined) return new UserError(`${path}:${line}: ${res.reason}; promptctl will not append after it: ${res.fix}, then run again (\`${verify}\` checks the rest)`);
  return new BrokenChainError(path, line, res.reason, verify, []);
}

/**
 * A chain broken at a line, whose advice is to set the trail aside and begin a new one. What else
 * must go aside with it (the sinks' cursors, which would refuse a new trail beside them) is known
 * to the writer, not here: `besides` says it again naming them, in one message.
 */
export class BrokenChainError extends UserError {
  constructor(
    readonly path: string,
    readonly line: number,
    readonly reason: string,
    readonly verify: string,
    cursors: readonly string[],
  ) {
    super(
      `${path}:${line}: the audit chain is broken (${reason}); promptctl will not append after it. ` +
        `See it with \`${verify}\`, keep the file as evidence and move it${andCursors(cursors)} aside to start a new trail`,
    );
  }

  /** The same refusal, naming the sink cursor files that go aside with the trail. */
  besides(cursors: readonly string[]): BrokenChainError {
    return cursors.length === 0 ? this : new BrokenChainError(this.path, this.line, this.reason, this.verify, cursors);
  }
}

/** " and its sink cursor(s) …" after "move it": nothing without any. */
export function andCursors(cursors: readonly string[]): string {
  if (cursors.length === 0) return '';
  return ` and its sink cursor${cursors.length === 1 ? '' : 's'} ${andList(cursors)}`;
}

/**
 * The shared handle on `path`, opened (and its chain verified) by the first caller. `verify` is the
 * command a refusal names to check the trail: the caller's to word (a CLI's --env and --dir, which
 * pick the trail `audit verify` reads, are not this module's to know).
 */
export async function acquire(path: string, key: string | null, warn: (m: string) => void, lock: LockOptions, verify: string): Promise<SharedFile> {
  const existing = openFiles.get(path);
  if (existing) {
    const s = await existing;
    if (s.key !== key) throw new Error(`audit: ${path} is already open in this process with a different ${AUDIT_KEY_ENV}`);
    s.refs++;
    s.listeners.add(warn);
    return s;
  }
  const opening = (async (): Promise<SharedFile> => {
    // Not mkdir's recursive mode: it spins forever on some unmakeable paths (see makeDirectories).
    await makeDirectories(dirname(path));
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
          const size = await ingest(path, fh, buf.subarray(0, off), 0, walker, warn, verify);
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
            verify,
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

/** Lets go of a handle; the last one waits for its queue and closes the file. */
export async function release(shared: SharedFile, warn: (m: string) => void): Promise<void> {
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
