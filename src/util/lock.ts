// An exclusive lock file next to the audit log, so that promptctl processes sharing a working
// directory take turns at "read the tail, append, fsync" and never fork the hash chain.
// `<file>.lock` is created with O_EXCL and holds {pid, hostname, createdAt, token}. A lock whose
// pid is dead on this host, or that is older than a bound (another host, a reused pid), is broken:
// by one breaker at a time (`removeStaleLock`, which the emulator's state lock shares).
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import type * as fs from 'node:fs/promises';
import { link, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
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
  /** The file steps and who takes the lock: injectable, so a test can interleave several takers step by step. */
  steps?: LockSteps;
}

/** What taking a lock does to the file system, and who asks. */
export interface LockSteps extends Pick<typeof fs, 'open' | 'readFile' | 'unlink' | 'link' | 'stat'> {
  pid: number;
  /** Whether another process of this host is running. */
  alive(pid: number): boolean;
}

const REAL_STEPS: LockSteps = { open, readFile, unlink, link, stat, pid: process.pid, alive: isAlive };

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
  const io = opts.steps ?? REAL_STEPS;
  const staleMs = opts.staleMs ?? DEFAULT_STALE_MS;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const token = randomUUID();
  const deadline = Date.now() + timeoutMs;
  let delay = 2;
  // The lock appears with its holder already written (a temp file hard-linked into place), so a
  // kill -9 at any instant never leaves an empty lock that only its age could clear.
  const tmp = `${path}.${io.pid}.${token.slice(0, 8)}.tmp`;
  const writeBody = async (): Promise<void> => {
    const fh = await io.open(tmp, 'w', 0o644);
    try {
      await fh.writeFile(JSON.stringify({ pid: io.pid, hostname: hostname(), createdAt: new Date().toISOString(), token }), 'utf8');
    } finally {
      await fh.close();
    }
  };
  await writeBody();
  try {
    for (let first = true; ; first = false) {
      // A lock's age is its file's: written afresh after a wait, so that a lock taken after
      // waiting out a stale one (or a claim on it) is not as old as the wait, and stale at once.
      if (!first) await writeBody();
      try {
        await io.link(tmp, path);
        installExitHook();
        held.set(path, token);
        await sweepLeftovers(io, path);
        return token;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const seen = await inspect(io, path);
      if (seen && isStale(seen, staleMs, io)) {
        const claimant = await removeStaleLock(io, path, seen, tmp, (n) => breakClaim(path, seen, n), (c) => isStale(parseSeen(c), staleMs, io));
        if (!claimant) continue;
        // Another process is removing it this instant: wait for it (it may take the lock, or leave it).
      } else if (opts.refuse && seen) throw opts.refuse(describeHolder(seen));
      if (Date.now() >= deadline) {
        // A situation for the user (another promptctl still running, or a lock from another host), not a bug.
        throw new UserError(`${path}: the audit log is locked${seen ? ` (${describeHolder(seen)})` : ''}; if no promptctl is running there, delete the lock file`);
      }
      // Short, jittered backoff: holders keep the lock only for one append.
      await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
      delay = Math.min(delay * 2, 50);
    }
  } finally {
    await io.unlink(tmp).catch(() => undefined);
  }
}

/** Lock paths whose leftovers this process has swept (once each). */
const swept = new Set<string>();
/** How old a temp or set-aside lock file must be to be a killed process's: far beyond any wait for the lock. */
const LEFTOVER_AGE_MS = 10 * 60_000;

/**
 * Removes what a process killed while it took or broke the lock left beside it, for good: its
 * holder's body before it was linked into place (`<lock>.<pid>.<id>.tmp`) or a broken lock set
 * aside by an older promptctl (`.stale`). Only those of a pid not running here and older than any
 * wait for the lock: the directory may be shared with another host, whose pids mean nothing here.
 * A claim to break a lock (`<lock>.<identity>.<level>.break`) is moot once we hold the lock (the
 * lock it claimed is gone for good), so any is removed but one on our own lock. With the lock held.
 */
async function sweepLeftovers(io: LockSteps, path: string): Promise<void> {
  if (swept.has(path)) return;
  swept.add(path);
  const ours = await readSeen(io, path).catch(() => null);
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  const now = Date.now();
  const ownClaim = ours && `${lockIdentity(ours)}.`;
  await Promise.all(
    names.map(async (n) => {
      if (!n.startsWith(prefix)) return;
      const rest = n.slice(prefix.length);
      const file = join(dir, n);
      if (/^[0-9a-f]{16}\.\d+\.break$/.test(rest)) {
        if (!ownClaim || !rest.startsWith(ownClaim)) await unlink(file).catch(() => undefined);
        return;
      }
      const m = /^(\d+)\.[0-9a-f]{8}\.(?:tmp|stale)$/.exec(rest);
      if (!m || Number(m[1]) === process.pid || isAlive(Number(m[1]))) return;
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
  const seen = await inspect(REAL_STEPS, path);
  if (seen?.content.token === token) await unlink(path).catch(() => undefined);
}

interface Seen extends LockSeen {
  content: LockContent;
}

/** The lock as it is now, or null if it vanished meanwhile. */
async function inspect(io: LockSteps, path: string): Promise<Seen | null> {
  const seen = await readSeen(io, path);
  return seen && parseSeen(seen);
}

function parseSeen(seen: LockSeen): Seen {
  let content: LockContent = {};
  try {
    const v: unknown = JSON.parse(seen.text);
    if (v && typeof v === 'object') content = v as LockContent;
  } catch {
    // empty or half-written (a lock of an older promptctl, written after its creation): judged by age only
  }
  return { ...seen, content };
}

function isStale(seen: Seen, staleMs: number, io: LockSteps): boolean {
  const { pid, hostname: host } = seen.content;
  if (host === hostname() && typeof pid === 'number' && pid !== io.pid && !io.alive(pid)) return true;
  return Date.now() - seen.mtimeMs > staleMs;
}

/** A lock file as one reader saw it: its text, inode and age (a later lock never has its text and inode both). */
export interface LockSeen {
  text: string;
  ino: number;
  mtimeMs: number;
}

/** `path` as it is now, or null once it is gone. */
export async function readSeen(io: Pick<LockSteps, 'readFile' | 'stat'>, path: string): Promise<LockSeen | null> {
  try {
    const [text, st] = await Promise.all([io.readFile(path, 'utf8') as Promise<string>, io.stat(path)]);
    return { text, ino: st.ino, mtimeMs: st.mtimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** The claim to break a stale lock, `<lock>.<its identity>.<level>.break`: one name for every breaker of that lock. */
function breakClaim(path: string, stale: LockSeen, level: number): string {
  return `${path}.${lockIdentity(stale)}.${level}.break`;
}

/** 16 hex digits naming one lock file: its text and inode. */
export function lockIdentity(seen: LockSeen): string {
  return createHash('sha256').update(`${seen.ino}\0${seen.text}`).digest('hex').slice(0, 16);
}

/**
 * Removes `stale`, a lock judged abandoned, if it is still the lock, with at most one breaker at it.
 * Moving a lock aside to check it is not enough: a breaker that read the stale lock late moves a
 * fresh lock aside, and a third process links its own into the gap before it is put back (two
 * holders). So a breaker first claims the stale lock (its own body, `body`, linked to `claim(0)`,
 * the same name for every breaker of that lock) and only then compares and removes it. While
 * claimed, nothing else changes the lock: a taker's link fails on it and its dead holder releases
 * nothing, so the comparison holds until the removal. A claimant that died holding its claim
 * (`abandoned`) is passed over by a claim one level up, so a stale lock stays breakable. A lock,
 * once removed, never comes back (a new one has another text or inode): its claims are then moot.
 * Returns the live claim of another breaker when one is at it (the caller waits), else null.
 */
export async function removeStaleLock(
  io: Pick<LockSteps, 'readFile' | 'stat' | 'link' | 'unlink'>,
  lock: string,
  stale: LockSeen,
  body: string,
  claim: (level: number) => string,
  abandoned: (claim: LockSeen) => boolean,
): Promise<LockSeen | null> {
  for (let level = 0; ; level++) {
    try {
      await io.link(body, claim(level));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const other = await readSeen(io, claim(level));
      if (!other) return null; // its claimant is done: look at the lock again
      if (abandoned(other)) continue;
      return other;
    }
    try {
      const now = await readSeen(io, lock);
      if (now && now.text === stale.text && now.ino === stale.ino) await unlinkIfThere(io, lock);
    } finally {
      // Ours and the dead claimants' below it: the lock they claimed is gone, or we no longer act on it.
      for (let l = level; l >= 0; l--) await io.unlink(claim(l)).catch(() => undefined);
    }
    return null;
  }
}

async function unlinkIfThere(io: Pick<LockSteps, 'unlink'>, path: string): Promise<void> {
  try {
    await io.unlink(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
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
