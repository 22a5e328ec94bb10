// An exclusive lock file next to the audit log, so that promptctl processes sharing a working
// directory take turns at "read the tail, append, fsync" and never fork the hash chain.
// `<file>.lock` is created with O_EXCL and holds {pid, hostname, createdAt, token}. A lock whose
// pid is dead on this host, or that is older than a bound (another host, a reused pid), is broken.
import { randomUUID } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { hostname } from 'node:os';
import { UserError } from '../util/errors.js';
import { isAlive } from './process.js';

export interface LockOptions {
  /** A lock older than this is taken to be abandoned (default 30 s; holds last milliseconds). */
  staleMs?: number;
  /** Give up waiting after this long (default 60 s, beyond staleMs so a stale lock is always broken first). */
  timeoutMs?: number;
  /**
   * Do not wait for a live holder: throw this at once, given who holds it ("held by pid 12 on
   * host since …"). For a lock held as long as a whole command (an apply), not one append.
   */
  refuse?: (holder: string) => Error;
}

interface LockContent {
  pid?: unknown;
  hostname?: unknown;
  createdAt?: unknown;
  token?: unknown;
}

const DEFAULT_STALE_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 60_000;

/** Locks this process holds now (path → token), released on exit should a finally never run. */
const held = new Map<string, string>();
let exitHookInstalled = false;

/** Runs `fn` while holding `<target>.lock`; the lock is released whatever `fn` does. */
export async function withFileLock<T>(target: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const release = await holdFileLock(target, opts);
  try {
    return await fn();
  } finally {
    await release();
  }
}

/** Takes `<target>.lock` and returns its release, for a lock held across more than one call. */
export async function holdFileLock(target: string, opts: LockOptions = {}): Promise<() => Promise<void>> {
  const path = `${target}.lock`;
  const token = await acquireLock(path, opts);
  return () => releaseLock(path, token);
}

async function acquireLock(path: string, opts: LockOptions): Promise<string> {
  const staleMs = opts.staleMs ?? DEFAULT_STALE_MS;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const token = randomUUID();
  const body = JSON.stringify({ pid: process.pid, hostname: hostname(), createdAt: new Date().toISOString(), token });
  const deadline = Date.now() + timeoutMs;
  let delay = 2;
  // The lock appears with its holder already written (a temp file hard-linked into place), so a
  // kill -9 at any instant never leaves an empty lock that only its age could clear.
  const tmp = `${path}.${process.pid}.${token.slice(0, 8)}.tmp`;
  const fh = await open(tmp, 'w', 0o644);
  try {
    await fh.writeFile(body, 'utf8');
  } finally {
    await fh.close();
  }
  try {
    for (;;) {
      try {
        await link(tmp, path);
        installExitHook();
        held.set(path, token);
        await sweepLeftovers(path);
        return token;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const seen = await inspect(path);
      if (seen && isStale(seen, staleMs)) {
        await breakLock(path, seen.raw);
        continue;
      }
      if (opts.refuse && seen) throw opts.refuse(describeHolder(seen));
      if (Date.now() >= deadline) {
        // A situation for the user (another promptctl still running, or a lock from another host), not a bug.
        throw new UserError(`${path}: the audit log is locked${seen ? ` (${describeHolder(seen)})` : ''}; if no promptctl is running there, delete the lock file`);
      }
      // Short, jittered backoff: holders keep the lock only for one append.
      await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
      delay = Math.min(delay * 2, 50);
    }
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** Lock paths whose leftovers this process has swept (once each). */
const swept = new Set<string>();
/** How old a temp or set-aside lock file must be to be a killed process's: far beyond any wait for the lock. */
const LEFTOVER_AGE_MS = 10 * 60_000;

/**
 * Removes what a process killed while it took or broke the lock left beside it, for good: its
 * holder's body before it was linked into place (`<lock>.<pid>.<id>.tmp`) or a broken lock set
 * aside (`.stale`). Only those of a pid not running here and older than any wait for the lock:
 * the directory may be shared with another host, whose pids mean nothing here. With the lock held.
 */
async function sweepLeftovers(path: string): Promise<void> {
  if (swept.has(path)) return;
  swept.add(path);
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  const now = Date.now();
  await Promise.all(
    names.map(async (n) => {
      const m = n.startsWith(prefix) ? /^(\d+)\.[0-9a-f]{8}\.(?:tmp|stale)$/.exec(n.slice(prefix.length)) : null;
      if (!m || Number(m[1]) === process.pid || isAlive(Number(m[1]))) return;
      const file = join(dir, n);
      try {
        if (now - (await stat(file)).mtimeMs >= LEFTOVER_AGE_MS) await unlink(file);
      } catch {
        // gone meanwhile
      }
    }),
  );
}

async function releaseLock(path: string, token: string): Promise<void> {
  held.delete(path);
  // Only remove our own lock: had it been broken as stale, the file may now be someone else's.
  const seen = await inspect(path);
  if (seen?.content.token === token) await unlink(path).catch(() => undefined);
}

interface Seen {
  raw: string;
  content: LockContent;
  mtimeMs: number;
}

/** The lock as it is now, or null if it vanished meanwhile. */
async function inspect(path: string): Promise<Seen | null> {
  try {
    const [raw, st] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    let content: LockContent = {};
    try {
      const v: unknown = JSON.parse(raw);
      if (v && typeof v === 'object') content = v as LockContent;
    } catch {
      // empty or half-written: its holder may be between create and write; judged by age only
    }
    return { raw, content, mtimeMs: st.mtimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function isStale(seen: Seen, staleMs: number): boolean {
  const { pid, hostname: host } = seen.content;
  if (host === hostname() && typeof pid === 'number' && !isAlive(pid)) return true;
  return Date.now() - seen.mtimeMs > staleMs;
}


/**
 * Moves the stale lock aside (atomic, so only one breaker wins it) and checks it is the one judged
 * stale. If another breaker already replaced it with a live lock, that lock is put back (only a
 * third process taking the lock in that instant could then overlap: two crashes' worth of bad luck).
 */
async function breakLock(path: string, staleRaw: string): Promise<void> {
  const aside = `${path}.${process.pid}.${randomUUID().slice(0, 8)}.stale`;
  try {
    await rename(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const raw = await readFile(aside, 'utf8').catch(() => staleRaw);
  if (raw !== staleRaw) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

function describeHolder(seen: Seen): string {
  const { pid, hostname: host, createdAt } = seen.content;
  if (typeof pid !== 'number') return 'holder unknown';
  return `held by pid ${pid}${typeof host === 'string' ? ` on ${host}` : ''}${typeof createdAt === 'string' ? ` since ${createdAt}` : ''}`;
}

/** A process that exits while holding a lock (process.exit in a handler) still releases it. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [path, token] of held) {
      try {
        const content = JSON.parse(readFileSync(path, 'utf8')) as LockContent;
        if (content.token === token) unlinkSync(path);
      } catch {
        // gone already, or not ours
      }
    }
  });
}
