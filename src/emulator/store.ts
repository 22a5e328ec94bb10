// The emulator's durable store. A committed batch of transactions is one fsynced journal line
// (journal.ts) before any of them is answered, so an acknowledged write survives a kill -9 at
// any instant; the journal is folded into an atomically replaced snapshot when it grows, at
// startup and on close. Every transaction (reads included) runs through one queue, so the state
// is linearizable; transactions see it through a change tracker (tracker.ts) that yields the
// batch's journal operations and rolls the batch back when it cannot be made durable.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describeFsError, UserError } from '../util/errors.js';
import { visibleName } from '../util/escapes.js';
import { Journal, StateLockedError, applyOps, journalPath, lockPath, readDurable, throughLinks, type Loaded } from './journal.js';
import { ChangeTracker } from './tracker.js';
import { pruneAiStudioJobs } from './aistudio-records.js';
import { emptyState, type State } from './state.js';

// What tests read from here, where it was defined before state.ts held the records.
export { emptyState, type FilterRec, type State, type TemplateRec, type VersionRec } from './state.js';

/**
 * What a transaction returns: its value, and whether it meant to change the state. What is
 * persisted is what the change tracker saw it change, so a forgotten `changed` loses nothing.
 */
export interface TxResult<T> {
  value: T;
  changed: boolean;
}

/**
 * Collections keyed twice, by their parent's id and then by a label (a template's versions, a
 * guide's): tracked by sub-entry, so one version's write is that version's alone, and checked a
 * level deeper when a state file is opened.
 */
const NESTED: ReadonlySet<string> = new Set(['versions', 'guideVersions']);

/** Collections no listing reads. */
const UNLISTED: ReadonlySet<string> = new Set(['tokens', 'invocations']);

const FINISHED_JOB_RETENTION_MS = 24 * 3600 * 1000;
/** Invocations are kept this long for analytics. */
const INVOCATION_RETENTION_MS = 35 * 24 * 3600 * 1000;
/** Expired tokens and old jobs are swept at most this often (a sweep walks every token and job). */
const PRUNE_INTERVAL_MS = 60_000;

interface Pending {
  fn: (s: State, reading: State) => TxResult<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export { StateLockedError } from './journal.js';

/** A transaction offered once the store is closing: the emulator is going away, not failing. */
export class StoreClosedError extends Error {
  constructor() {
    super('store is closed');
  }
}

export class Store {
  private readonly state: State;
  private readonly tracker: ChangeTracker;
  private pending: Pending[] = [];
  /** A drain loop is running; flipped synchronously when it finds the queue empty. */
  private busy = false;
  private idle: Promise<void> = Promise.resolve();
  private closed = false;
  private lastPrune = 0;

  private constructor(
    readonly file: string | undefined,
    state: State,
    private readonly journal: Journal | undefined,
    private readonly now: () => number,
    /** Opened read-only: changes are served from memory and never written (the journal holds only the lock). */
    private readonly readOnly = false,
  ) {
    this.state = state;
    this.tracker = new ChangeTracker(state as unknown as Record<string, Record<string, unknown>>, NESTED);
  }

  /**
   * Opens (or creates, on first write) the state file; undefined keeps the state in memory only.
   * Fails with StateLockedError while another live process has the same file open. `readOnly`
   * reads the file and its journal as they are and writes neither (no fold at start, no journal
   * line, no snapshot at close): what the run changes, a login's token, is kept in memory, so a
   * command that only reads leaves the files byte for byte as it found them. The lock is still
   * taken, so it never reads while another process writes.
   */
  static async open(file?: string, now: () => number = Date.now, opts: { readOnly?: boolean } = {}): Promise<Store> {
    if (!file) return new Store(undefined, emptyState(), undefined, now);
    let path = resolve(file);
    let journal: Journal;
    try {
      path = await throughLinks(path);
      journal = await Journal.open(path);
    } catch (err) {
      if (err instanceof StateLockedError) throw err;
      throw stateFileError(path, err);
    }
    try {
      let loaded;
      try {
        loaded = await readDurable(path);
      } catch (err) {
        throw stateFileError(path, err);
      }
      const state = replay(loaded, path);
      if (opts.readOnly) return new Store(path, state, journal, now, true);
      const store = new Store(path, state, journal, now);
      // Fold what the last run journaled into a fresh snapshot (this also drops a torn tail);
      // with nothing journaled, keep the snapshot and append to an empty journal.
      if (loaded.batches.length > 0 || loaded.tornTail) await journal.snapshot(JSON.stringify(state));
      else if (loaded.snapshot !== undefined) await journal.resume(Buffer.byteLength(loaded.snapshot));
      return store;
    } catch (err) {
      await journal.close();
      throw err;
    }
  }

  /**
   * Runs fn alone against the state, in arrival order. The promise settles only once every
   * change fn (or an earlier transaction) made is durable: acknowledged implies on disk.
   * A transaction that throws (an ApiFailure, or a handler's own bug) is undone alone and fails;
   * the batch's others stand. A failed write rolls the batch back and fails every transaction in it.
   * `reading` is the same state untracked, for scans that must not pay for tracking; never write
   * through it.
   */
  transact<T>(fn: (s: State, reading: State) => TxResult<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closed) return reject(new StoreClosedError());
      this.pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.busy) {
        this.busy = true;
        this.idle = this.drain();
      }
    });
  }

  /**
   * Group commit: transactions that queued up while the previous write was in flight run one
   * after another, then a single journal line makes them all durable before any is answered.
   */
  private async drain(): Promise<void> {
    // busy is cleared in the same tick the loop finds the queue empty, so no transaction is stranded.
    try {
      while (this.pending.length) {
        const batch = this.pending.splice(0);
        const settled: Array<() => void> = [];
        let failed: unknown;
        const view = this.tracker.state as unknown as State;
        this.tracker.begin();
        for (const tx of batch) {
          this.tracker.beginTransaction();
          try {
            const r = tx.fn(view, this.state);
            settled.push(() => tx.resolve(r.value));
          } catch (err) {
            // Its own savepoint: a refusal leaves nothing behind, and a handler's bug fails its
            // own request (a 500), not the other clients' writes that share the batch.
            this.tracker.rollbackTransaction();
            settled.push(() => tx.reject(err));
          }
        }
        let ops = this.tracker.end();
        if (ops.length > 0) {
          try {
            const now = this.now();
            if (now - this.lastPrune >= PRUNE_INTERVAL_MS) {
              this.lastPrune = now;
              this.tracker.begin(true);
              pruneExpired(view, now);
              ops = this.tracker.end();
            }
            await this.persist(ops);
          } catch (err) {
            failed = err;
          }
        }
        if (failed !== undefined) {
          // Nothing since the last durable state may be acknowledged: roll back and fail the batch.
          this.tracker.rollback();
          for (const tx of batch) tx.reject(failed); // no-op for those already rejected
          continue;
        }
        for (const s of settled) s();
      }
    } finally {
      this.busy = false;
    }
  }

  /** Waits for queued transactions, folds the journal into the snapshot, then refuses new ones. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle;
    if (!this.journal) return;
    try {
      if (!this.readOnly && this.journal.hasEntries()) await this.journal.snapshot(JSON.stringify(this.state));
    } catch {
      // The journal still holds every acknowledged write; the next start folds it in.
    }
    await this.journal.close();
  }

  private async persist(ops: Parameters<Journal['append']>[0]): Promise<void> {
    const j = this.journal;
    if (!j || this.readOnly) return;
    if (j.canAppend()) {
      // Journal the batch first, then compact: the journal then holds everything the new snapshot
      // does, so a crash between the snapshot's rename and the journal's truncation replays to
      // the same state (never older lines over a newer snapshot, half undoing this batch).
      await j.append(ops);
      if (j.needsSnapshot()) {
        await j.snapshot(JSON.stringify(this.state)).catch(() => undefined); // durable already; compaction is retried
      }
      return;
    }
    try {
      await j.snapshot(JSON.stringify(this.state));
    } catch (err) {
      j.markBroken();
      throw err;
    }
  }

  /**
   * The revision of what listings show (ChangeTracker.revision): every collection but the tokens
   * a login stores and the records invocations leave, which every command's run and every `run`
   * call write. Equal revisions hold equal listed state.
   */
  get listedRevision(): number {
    return this.tracker.revision(UNLISTED);
  }

  /**
   * Reads the live state outside the queue. Only for reads that tolerate seeing a change that is
   * not yet durable (a token lookup); everything else goes through transact.
   */
  peek<T>(fn: (s: State) => T): T {
    return fn(this.state);
  }
}

/** The state as the files on disk hold it right now (snapshot plus journal), without opening a store. */
export async function readStoredState(file: string): Promise<State> {
  const path = await throughLinks(resolve(file));
  return replay(await readDurable(path), path);
}

/**
 * Whether the files of a state are there: its snapshot or journal (an org was written to it), or
 * its lock (a process holds it, whose open says who). One that cannot be looked at (no
 * permission) counts as there, for its open to say why.
 */
export async function stateExists(file: string): Promise<boolean> {
  const there = (p: string): Promise<boolean> => stat(p).then(() => true, (err: NodeJS.ErrnoException) => err.code !== 'ENOENT');
  const path = resolve(file);
  if (await there(path)) return true;
  const real = await throughLinks(path).catch(() => path);
  return (await there(journalPath(real))) || there(lockPath(real));
}

/** The snapshot (or an empty state) with the journal's batches applied in commit order. */
function replay(loaded: Loaded, path: string): State {
  const state = loaded.snapshot === undefined ? emptyState() : parseState(loaded.snapshot, path);
  for (const ops of loaded.batches) applyOps(state as unknown as Record<string, unknown>, ops);
  checkCollections(state, path);
  return state;
}

/**
 * Each collection the emulator keeps is an object of records: one of another type (a hand edit,
 * a journal line setting it to 5) would be taken, and every later write to it answered 500. So
 * would a record of another type (`"templates": {"x": null}`, a template deleted by hand): every
 * listing of its collection answered 500, which a client retries for a minute before giving up.
 */
function checkCollections(state: State, path: string): void {
  const s = state as unknown as Record<string, unknown>;
  const refuse = (value: unknown, where: string, want: string): never => {
    throw new UserError(`emulator state file ${path} (with its journal) holds ${valueKind(value)} as ${where}, not ${want}; restore it, or move it aside to start from an empty org`);
  };
  for (const name of Object.keys(emptyState())) {
    if (name === 'formatVersion') continue;
    const coll = s[name];
    if (!isRecord(coll)) return refuse(coll, `its ${name}`, 'a collection of records');
    for (const [key, entry] of Object.entries(coll)) {
      const where = `the entry ${visibleName(JSON.stringify(key))} of its ${name}`;
      if (!isRecord(entry)) return refuse(entry, where, NESTED.has(name) ? 'a collection of records' : 'a record');
      if (!NESTED.has(name)) continue;
      for (const [label, rec] of Object.entries(entry)) {
        if (!isRecord(rec)) refuse(rec, `the entry ${visibleName(JSON.stringify(key))} → ${visibleName(JSON.stringify(label))} of its ${name}`, 'a record');
      }
    }
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function valueKind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : `a ${typeof v}`;
}

function parseState(text: string, path: string): State {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    // The user's file to fix (a hand edit, a merge): said as their error, not as ours.
    throw new UserError(`emulator state file ${path} is not valid JSON (${(err as Error).message}); restore it, or move it aside to start from an empty org`);
  }
  const s = data as Partial<State> | null;
  if (!s || typeof s !== 'object' || s.formatVersion !== 1) {
    throw new UserError(`emulator state file ${path} is not a promptctl emulator state (formatVersion 1); restore it, or move it aside to start from an empty org`);
  }
  // Fill collections added later so older files keep loading.
  return { ...emptyState(), ...s } as State;
}

function pruneExpired(s: State, now: number): void {
  for (const [k, t] of Object.entries(s.tokens)) if (t.expiresAt <= now) delete s.tokens[k];
  const oldest = now - INVOCATION_RETENTION_MS;
  for (const [k, r] of Object.entries(s.invocations)) if (Date.parse(r.at) < oldest) delete s.invocations[k];
  for (const [k, j] of Object.entries(s.jobs)) {
    if (j.status !== 'Running' && j.finishAt + FINISHED_JOB_RETENTION_MS < now) delete s.jobs[k];
  }
  pruneAiStudioJobs(s, now, FINISHED_JOB_RETENTION_MS);
}

/** A state file the machine will not let the emulator open (a file in the way, no permission): the user's to fix. */
function stateFileError(path: string, err: unknown): Error {
  const e = err as NodeJS.ErrnoException;
  if (!e.code) return err instanceof Error ? err : new Error(String(err));
  return new UserError(`cannot open emulator state file ${path}: ${e.code} ${describeFsError(e)}`);
}
