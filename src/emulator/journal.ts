// The store's files: a snapshot (the whole state as JSON, replaced atomically: temp file, fsync,
// rename, fsync the directory) and a journal next to it (`<state>.journal`, one JSON line per
// committed batch of transactions, fsynced before any of them is acknowledged). Loading replays
// the journal over the snapshot; a torn last line was never acknowledged and is dropped.
// Compaction folds the journal into a new snapshot when it grows large, at startup and on close.
// A lock file (`<state>.lock`, holding the owner's pid) keeps a second process off the same state.
import { randomUUID } from 'node:crypto';
import { link, lstat, open, readFile, readdir, readlink, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Op } from './tracker.js';
import { isAlive } from '../util/process.js';
import { lockIdentity, readSeen, removeStaleLock, type LockSeen, type LockSteps } from '../util/lock.js';
import { makeDirectories } from '../util/atomic-file.js';
import { UserError } from '../util/errors.js';

/** Compact once the journal is this large and larger than the snapshot (amortised O(1) per write). */
const COMPACT_MIN_BYTES = 8 * 1024 * 1024;

export class StateLockedError extends Error {
  constructor(
    readonly file: string,
    readonly pid: number,
  ) {
    super(`emulator state file ${file} is in use by another process (pid ${pid}); if that process is not a promptctl emulator, delete ${lockPath(file)}`);
  }
}

export interface Loaded {
  /** The snapshot's JSON text, or undefined if there is none yet. */
  snapshot: string | undefined;
  /** Journal operations, batch by batch, in commit order. */
  batches: Op[][];
  /** The journal ended in a line that was cut short (never acknowledged). */
  tornTail: boolean;
}

/** How many links in a row a state file's name may go through, as the kernel allows (ELOOP beyond). */
const MAX_LINKS = 40;

/**
 * The file a state file's name stands for, its symbolic links followed (also one naming a file not
 * made yet): the snapshot is renamed over it, so a link would be replaced by a plain file and the
 * file it names never written again; the journal, lock and temp files go beside it, so any name of
 * the file shares them. A name that is no link is returned as it is.
 */
export async function throughLinks(stateFile: string): Promise<string> {
  let path = stateFile;
  for (let hops = 0; ; hops++) {
    const isLink = await lstat(path).then((st) => st.isSymbolicLink(), ifMissing(false));
    if (!isLink) return path;
    if (hops === MAX_LINKS) throw Object.assign(new Error(`ELOOP: too many symbolic links, open '${stateFile}'`), { code: 'ELOOP', syscall: 'open', path: stateFile });
    path = resolve(dirname(path), await readlink(path));
  }
}

export function journalPath(stateFile: string): string {
  return `${stateFile}.journal`;
}

export function lockPath(stateFile: string): string {
  return `${stateFile}.lock`;
}

/** Reads the snapshot and the journal as they are on disk (no lock, no repair). */
export async function readDurable(stateFile: string): Promise<Loaded> {
  const snapshot = await readFile(stateFile, 'utf8').catch(ifMissing(undefined));
  const text = await readFile(journalPath(stateFile), 'utf8').catch(ifMissing(''));
  const { batches, tornTail } = parseJournal(text, journalPath(stateFile));
  return { snapshot, batches, tornTail };
}

export function parseJournal(text: string, file: string): { batches: Op[][]; tornTail: boolean } {
  const batches: Op[][] = [];
  let start = 0;
  let line = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    line++;
    if (nl === -1) return { batches, tornTail: true }; // cut short by a crash mid-append
    const raw = text.slice(start, nl);
    start = nl + 1;
    let ops: unknown;
    try {
      ops = (JSON.parse(raw) as { ops?: unknown }).ops;
    } catch {
      ops = undefined;
    }
    if (!Array.isArray(ops) || !ops.every(isOp)) {
      // Only the last line can be torn; a bad line with more after it is damage, not a crash:
      // the user's file to fix (a hand edit, a copy cut short), said as theirs, as for the snapshot.
      if (start >= text.length) return { batches, tornTail: true };
      throw new UserError(
        `emulator journal ${file} is damaged at line ${line}; restore it, or move it aside to start from the state file's last snapshot (the writes journaled since are then lost)`,
      );
    }
    batches.push(ops);
  }
  return { batches, tornTail: false };
}

/**
 * One journal operation as the store writes them: [collection, key or null, value or null], or
 * [collection, key, sub-key, value or null] for a nested collection's sub-entry.
 */
function isOp(op: unknown): op is Op {
  if (!Array.isArray(op) || typeof op[0] !== 'string') return false;
  if (op.length === 3) return op[1] === null || typeof op[1] === 'string';
  return op.length === 4 && typeof op[1] === 'string' && typeof op[2] === 'string';
}

/**
 * Applies journal operations to a state object (absolute values, so replaying twice is harmless).
 * Names from the file are data (DESIGN §3): read and written as own properties only, so a line
 * naming `__proto__` or `constructor` cannot reach a prototype (`Object.prototype.x = 1` broke
 * every later command of the process, or hung it).
 */
export function applyOps(state: Record<string, unknown>, ops: readonly Op[]): void {
  for (const op of ops) {
    if (op.length === 4) {
      applySubOp(state, op);
      continue;
    }
    const [collection, key, value] = op;
    if (key === null) {
      if (value === null) delete state[collection];
      else setOwn(state, collection, value);
      continue;
    }
    let coll = Object.hasOwn(state, collection) ? state[collection] : undefined;
    if (typeof coll !== 'object' || coll === null) setOwn(state, collection, (coll = {}));
    if (value === null) delete (coll as Record<string, unknown>)[key];
    else setOwn(coll as Record<string, unknown>, key, value);
  }
}

/** A nested collection's sub-entry set or removed; a removal from an entry that is gone changes nothing. */
function applySubOp(state: Record<string, unknown>, [collection, key, sub, value]: [string, string, string, unknown]): void {
  let coll = Object.hasOwn(state, collection) ? state[collection] : undefined;
  let entry = typeof coll === 'object' && coll !== null && Object.hasOwn(coll, key) ? (coll as Record<string, unknown>)[key] : undefined;
  if (value === null) {
    if (typeof entry === 'object' && entry !== null) delete (entry as Record<string, unknown>)[sub];
    return;
  }
  if (typeof coll !== 'object' || coll === null) setOwn(state, collection, (coll = {}));
  if (typeof entry !== 'object' || entry === null) setOwn(coll as Record<string, unknown>, key, (entry = {}));
  setOwn(entry as Record<string, unknown>, sub, value);
}

/** `target[key] = value` as a plain own data property, whatever the key (an assignment to `__proto__` sets the prototype). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** The open files of one store: the journal (append-only) and the lock. */
export class Journal {
  private fh: FileHandle | undefined;
  private bytes = 0;
  private snapshotBytes = 0;
  private tmpCounter = 0;
  /** Set when the journal can no longer be trusted to hold the latest batches: the next write is a snapshot. */
  private broken = false;

  private constructor(readonly stateFile: string) {}

  /** Takes the lock (or fails naming its live owner) and prepares the directory. */
  static async open(stateFile: string): Promise<Journal> {
    // Not mkdir's recursive mode: it spins forever on some unmakeable paths (see makeDirectories).
    await makeDirectories(dirname(stateFile));
    await takeLock(stateFile);
    await removeStaleTemps(stateFile);
    return new Journal(stateFile);
  }

  /**
   * Writes `text` (the whole state) as the new snapshot, then empties the journal. A crash in
   * between leaves the new snapshot and the old journal, whose replay changes nothing as long as
   * the journal already holds every change the snapshot does (the store appends a batch before
   * compacting).
   */
  async snapshot(text: string): Promise<void> {
    await writeAtomic(this.stateFile, text + '\n', `${process.pid}.${++this.tmpCounter}`);
    this.snapshotBytes = Buffer.byteLength(text) + 1;
    if (this.broken && this.fh) {
      // The old handle may point at a removed file: start a fresh journal.
      await this.fh.close().catch(() => undefined);
      this.fh = undefined;
    }
    const fh = (this.fh ??= await open(journalPath(this.stateFile), 'a', 0o600));
    await fh.truncate(0);
    await fh.sync();
    this.bytes = 0;
    this.broken = false;
  }

  /** Starts appending after a snapshot of `snapshotBytes` whose journal is empty. */
  async resume(snapshotBytes: number): Promise<void> {
    this.snapshotBytes = snapshotBytes;
    this.fh = await open(journalPath(this.stateFile), 'a', 0o600);
    this.bytes = 0;
  }

  /** Whether a batch can be appended: the journal is open and trusted. */
  canAppend(): boolean {
    return !this.broken && this.fh !== undefined;
  }

  /** Whether the next commit must be a snapshot (first write, after a failure, or a large journal). */
  needsSnapshot(): boolean {
    return this.broken || !this.fh || (this.bytes > COMPACT_MIN_BYTES && this.bytes > this.snapshotBytes);
  }

  /** Appends one batch and fsyncs; resolves only once it is durable. */
  async append(ops: readonly Op[]): Promise<void> {
    const fh = this.fh;
    if (!fh) throw new Error('journal is not open');
    const line = JSON.stringify({ ops }) + '\n';
    try {
      await fh.appendFile(line, 'utf8');
      await fh.sync();
      // A journal removed or replaced under us would swallow writes: refuse rather than lose them.
      if ((await fh.stat()).nlink === 0) throw new Error(`emulator journal ${journalPath(this.stateFile)} was removed`);
    } catch (err) {
      this.broken = true;
      // The batch is refused and rolled back: cut off whatever of its line reached the file, so a
      // restart after a kill does not replay it (the journal then ends at the last acknowledged batch).
      // (Never lengthened: past its end, truncate would pad the journal with NUL bytes.)
      await fh
        .stat()
        .then(async ({ size }) => {
          if (size <= this.bytes) return;
          await fh.truncate(this.bytes);
          await fh.sync();
        })
        .catch(() => undefined);
      throw err;
    }
    this.bytes += Buffer.byteLength(line);
  }

  /** Marks the journal untrustworthy (a failed snapshot); the next commit tries a snapshot again. */
  markBroken(): void {
    this.broken = true;
  }

  hasEntries(): boolean {
    return this.bytes > 0 || this.broken;
  }

  /** Closes the journal (removing it when empty) and releases the lock. */
  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    if (fh) {
      await fh.close().catch(() => undefined);
      if (this.bytes === 0 && !this.broken) await unlink(journalPath(this.stateFile)).catch(() => undefined);
    }
    await releaseLock(this.stateFile);
  }
}

/** What taking the lock does to the file system, and who asks: injectable, so a test can interleave takers step by step. */
export type { LockSteps };

const REAL_STEPS: LockSteps = { open, readFile, unlink, link, stat, pid: process.pid, alive: isAlive };

/** How long a taker waits for another process that is removing a dead owner's lock (microseconds' work). */
const BREAKER_WAIT_MS = 5_000;

/**
 * Takes the state's lock, or throws StateLockedError naming its live holder. The lock appears with
 * its holder's pid already in it (a temp file linked into place), so it is never read empty and
 * taken for a dead owner's while its holder writes it; a dead owner's lock is removed by one
 * breaker at a time, which checks it is still the one judged stale (util/lock.ts
 * `removeStaleLock`), so any number of processes breaking it at once never remove a lock one of
 * them has just taken.
 */
export async function takeLock(stateFile: string, io: LockSteps = REAL_STEPS): Promise<void> {
  const lock = lockPath(stateFile);
  const tmp = lockTemp(stateFile, io.pid);
  const fh = await io.open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(`${io.pid}\n`);
  } finally {
    await fh.close();
  }
  const live = (text: string): number | undefined => {
    const pid = Number(text.trim());
    return Number.isInteger(pid) && pid > 0 && (pid === io.pid || io.alive(pid)) ? pid : undefined;
  };
  const deadline = Date.now() + BREAKER_WAIT_MS;
  let delay = 2;
  try {
    for (let tries = 0; tries < 5; ) {
      try {
        await io.link(tmp, lock);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const seen = await readSeen(io, lock);
      if (!seen) {
        tries++; // released meanwhile
        continue;
      }
      const owner = live(seen.text);
      if (owner !== undefined) throw new StateLockedError(stateFile, owner);
      // Left by a process that died (kill -9): take it over.
      const claimant = await removeStaleLock(io, lock, seen, tmp, (n) => breakClaim(stateFile, seen, n), (c) => live(c.text) === undefined);
      if (!claimant) {
        tries++;
        continue;
      }
      // Another process is removing it this instant: wait for it (it will most likely hold the lock next).
      if (Date.now() >= deadline) throw new StateLockedError(stateFile, live(claimant.text)!);
      await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
      delay = Math.min(delay * 2, 50);
    }
  } finally {
    await io.unlink(tmp).catch(() => undefined);
  }
  throw new Error(`cannot lock emulator state file ${stateFile}`);
}

/**
 * The claim to break a dead owner's lock, one name for every breaker of it; a temp file beside the
 * state, so removeStaleTemps removes it (moot once the lock is held: the lock it claimed is gone).
 */
function breakClaim(stateFile: string, stale: LockSeen, level: number): string {
  return join(dirname(stateFile), `.${basename(stateFile)}.break-${lockIdentity(stale)}-${level}.lock.tmp`);
}

/** A temp file beside the state for the lock protocol; removeStaleTemps reads its pid, and removes it once that process is gone. */
function lockTemp(stateFile: string, pid: number): string {
  return join(dirname(stateFile), `.${basename(stateFile)}.${pid}.${randomUUID().slice(0, 8)}.lock.tmp`);
}

async function releaseLock(stateFile: string): Promise<void> {
  const lock = lockPath(stateFile);
  const owner = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
  if (owner === process.pid) await unlink(lock).catch(() => undefined);
}

/** Temp file in the same directory, fsync, rename over the target, fsync the directory. */
async function writeAtomic(path: string, text: string, suffix: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${suffix}.tmp`);
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await syncDir(dirname(path));
}

async function syncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Some platforms (Windows) cannot open or fsync a directory; the rename is still atomic there.
  } finally {
    await fh?.close();
  }
}

/** Temp files left by a process killed between write and rename hold nothing acknowledged. */
async function removeStaleTemps(path: string): Promise<void> {
  const prefix = `.${basename(path)}.`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  const stale = names.filter((n) => {
    if (!n.startsWith(prefix) || !n.endsWith('.tmp')) return false;
    const pid = Number(n.slice(prefix.length).split('.')[0]);
    return !Number.isInteger(pid) || !processAlive(pid);
  });
  await Promise.all(stale.map((n) => unlink(join(dirname(path), n)).catch(() => undefined)));
}

/** Whether pid is a live process; our own pid counts as not alive (stale temps are from an earlier run). */
function processAlive(pid: number): boolean {
  return pid !== process.pid && isAlive(pid);
}

function ifMissing<T>(value: T): (err: unknown) => T {
  return (err) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return value;
    throw err;
  };
}
