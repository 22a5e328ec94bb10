// The emulator's durable store: the whole state as one JSON file, replaced atomically after
// every mutation (temp file in the same directory, fsync, rename, fsync the directory), and
// only then is the request answered, so an acknowledged write survives a kill -9 at any instant.
// Every transaction (reads included) runs through one queue, so the state is linearizable.
import { mkdir, open, readFile, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ApiFailure } from './errors.js';
import type {
  FilterCreate,
  JobStatus,
  ErrorBody,
  UserRef,
  VersionContent,
  VersionState,
  WireLabels,
  WireRoute,
} from '../genesys/wire.js';

interface Stamped {
  id: string;
  name: string;
  dateCreated: string;
  dateModified: string;
  createdBy: UserRef;
  modifiedBy: UserRef;
}

export interface TemplateRec extends Stamped {
  description?: string;
  model: string;
  labels: WireLabels;
  version: number;
}

export interface VersionRec extends Stamped, VersionContent {
  templateId: string;
  /** The semver label; also `name`. */
  version: string;
  state: VersionState;
  contentHash: string;
  datePublished?: string;
}

export interface TrafficRec {
  strategy: 'random' | 'sticky';
  stickyKey?: string;
  routes: WireRoute[];
  version: number;
  dateModified: string;
  modifiedBy: UserRef;
}

export interface FilterRec extends Stamped, Omit<FilterCreate, 'enabled' | 'labels'> {
  enabled: boolean;
  labels: WireLabels;
  version: number;
}

export interface JobRec {
  id: string;
  templateId: string;
  label: string;
  status: JobStatus;
  errors: ErrorBody[];
  dateCreated: string;
  /** Epoch ms at which a Running job completes (survives restarts). */
  finishAt: number;
}

export interface TokenRec {
  clientId: string;
  expiresAt: number; // epoch ms
}

export interface State {
  formatVersion: 1;
  templates: Record<string, TemplateRec>;
  /** templateId → label → version */
  versions: Record<string, Record<string, VersionRec>>;
  /** templateId → split */
  traffic: Record<string, TrafficRec>;
  filters: Record<string, FilterRec>;
  jobs: Record<string, JobRec>;
  /** sha256(access token) → owner and expiry; the token itself is never stored. */
  tokens: Record<string, TokenRec>;
}

export function emptyState(): State {
  return { formatVersion: 1, templates: {}, versions: {}, traffic: {}, filters: {}, jobs: {}, tokens: {} };
}

/** What a transaction returns: its value, and whether it changed the state (then it is persisted first). */
export interface TxResult<T> {
  value: T;
  changed: boolean;
}

const FINISHED_JOB_RETENTION_MS = 24 * 3600 * 1000;

interface Pending {
  fn: (s: State) => TxResult<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export class Store {
  private state: State;
  /** The last durable state, as written; a failed batch rolls back to it. */
  private snapshot: string;
  private pending: Pending[] = [];
  /** A drain loop is running; flipped synchronously when it finds the queue empty. */
  private busy = false;
  private idle: Promise<void> = Promise.resolve();
  private closed = false;
  private tmpCounter = 0;

  private constructor(
    readonly file: string | undefined,
    state: State,
  ) {
    this.state = state;
    this.snapshot = JSON.stringify(state);
  }

  /** Opens (or creates, on first write) the state file; undefined keeps the state in memory only. */
  static async open(file?: string): Promise<Store> {
    if (!file) return new Store(undefined, emptyState());
    const path = resolve(file);
    let text: string;
    try {
      await mkdir(dirname(path), { recursive: true });
      await removeStaleTemps(path);
      text = await readFile(path, 'utf8');
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ENOENT') return new Store(path, emptyState());
      throw new Error(`cannot open emulator state file ${path}: ${e.code ?? e.message}`);
    }
    return new Store(path, parseState(text, path));
  }

  /**
   * Runs fn alone against the state, in arrival order. The promise settles only once every
   * change fn (or an earlier transaction) made is durable: acknowledged implies on disk.
   * fn must leave the state untouched when it throws an ApiFailure (handlers validate first);
   * any other error, or a failed write, rolls the state back to the last durable one and fails
   * every transaction that saw the lost changes.
   */
  transact<T>(fn: (s: State) => TxResult<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closed) return reject(new Error('store is closed'));
      this.pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.busy) {
        this.busy = true;
        this.idle = this.drain();
      }
    });
  }

  /**
   * Group commit: transactions that queued up while the previous write was in flight run one
   * after another, then a single write makes them all durable before any of them is answered.
   */
  private async drain(): Promise<void> {
    // busy is cleared in the same tick the loop finds the queue empty, so no transaction is stranded.
    try {
      while (this.pending.length) {
        const batch = this.pending.splice(0);
        const settled: Array<() => void> = [];
        let changed = false;
        let failed: unknown;
        for (const tx of batch) {
          if (failed !== undefined) {
            tx.reject(failed);
            continue;
          }
          try {
            const r = tx.fn(this.state);
            changed ||= r.changed;
            settled.push(() => tx.resolve(r.value));
          } catch (err) {
            if (err instanceof ApiFailure) {
              settled.push(() => tx.reject(err));
              continue;
            }
            failed = err;
            tx.reject(err);
          }
        }
        if (failed === undefined && changed) {
          try {
            await this.persist();
          } catch (err) {
            failed = err;
          }
        }
        if (failed !== undefined) {
          // Nothing since the last durable state may be acknowledged: roll back and fail the batch.
          this.state = JSON.parse(this.snapshot) as State;
          for (const tx of batch) tx.reject(failed); // no-op for those already rejected
          continue;
        }
        for (const s of settled) s();
      }
    } finally {
      this.busy = false;
    }
  }

  /** Waits for queued transactions, then refuses new ones. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle;
  }

  private async persist(): Promise<void> {
    pruneExpired(this.state, Date.now());
    const text = JSON.stringify(this.state);
    if (this.file) await writeAtomic(this.file, text + '\n', `${process.pid}.${++this.tmpCounter}`);
    this.snapshot = text;
  }

  /**
   * Reads the live state outside the queue. Only for reads that tolerate seeing a change that is
   * not yet durable (a token lookup); everything else goes through transact.
   */
  peek<T>(fn: (s: State) => T): T {
    return fn(this.state);
  }
}

function parseState(text: string, path: string): State {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`emulator state file ${path} is not valid JSON (${(err as Error).message})`);
  }
  const s = data as Partial<State> | null;
  if (!s || typeof s !== 'object' || s.formatVersion !== 1) {
    throw new Error(`emulator state file ${path} is not a promptctl emulator state (formatVersion 1)`);
  }
  // Fill collections added later so older files keep loading.
  return { ...emptyState(), ...s } as State;
}

function pruneExpired(s: State, now: number): void {
  for (const [k, t] of Object.entries(s.tokens)) if (t.expiresAt <= now) delete s.tokens[k];
  for (const [k, j] of Object.entries(s.jobs)) {
    if (j.status !== 'Running' && j.finishAt + FINISHED_JOB_RETENTION_MS < now) delete s.jobs[k];
  }
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

function processAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
