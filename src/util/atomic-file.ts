// Durable file writes shared by the CLI (plan files, export) and the audit log; and the build's
// own outputs replaced whole (replaceFileSync).
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, renameSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { isAlive } from './process.js';

/**
 * Replaces a file whole (temp file, then rename): a process reading it meanwhile reads the old one
 * or the new one. Not made durable: for what the build writes (generated code, code caches).
 */
export function replaceFileSync(path: string, contents: string | Buffer): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, contents);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Writes a file so that a crash leaves the old file or the new one, never half of either.
 * `onTemp`: told the temp file's path as it is made and undefined once it is gone (renamed or
 * removed), so that a process ending at once meanwhile can remove it (export's second interrupt).
 */
export async function writeFileAtomic(path: string, text: string, opts: { onTemp?: (tmp: string | undefined) => void } = {}): Promise<void> {
  const abs = resolve(path);
  const existing = await refuseSpecialFile(abs);
  await makeDirectories(dirname(abs));
  const tmp = tempPathFor(abs);
  // Made in the same turn it is named, so a signal (heard only between turns) finds it not named
  // or there to remove: an asynchronous open in flight as the process ended made it after the
  // clean-up. Opened again without creating it, so one removed meanwhile is not made again.
  closeSync(openSync(tmp, 'wx', 0o644));
  opts.onTemp?.(tmp);
  try {
    const fh = await open(tmp, 'r+');
    try {
      await fh.writeFile(text, 'utf8');
      // A file replaced keeps its mode (an executable YAML file edited by promote stays so).
      if (existing?.isFile()) await fh.chmod(existing.mode & 0o7777);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, abs);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  } finally {
    opts.onTemp?.(undefined);
  }
  await syncDir(dirname(abs));
}

/** Where a write to `path` goes first, before its rename: `<file>.<pid>.<8 hex>.tmp`, this process's, one of its own. */
export function tempPathFor(path: string): string {
  return `${path}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
}

/** A temp file named as tempPathFor names them. */
const TEMP_NAME = /^(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/** The file a temp file's write was for and the pid of the process that made it, when `name` is one (tempPathFor). */
export function tempOf(name: string): { file: string; pid: number } | undefined {
  const m = TEMP_NAME.exec(name);
  return m ? { file: m[1]!, pid: Number(m[2]) } : undefined;
}

/**
 * Removes, from `dir`, the temp files of writes whose process was killed between the write and the
 * rename (named as writeFileAtomic names them, of a file `of` accepts): nothing else ever would, and
 * each kill mid-write could add one. One whose pid runs here is left alone (it may be writing it
 * now; a name of another host's), unless it was last written `staleMs` ago or more: no write takes
 * that long, and its pid has been reused. Best effort: one that cannot be read or removed stays.
 */
export async function removeKilledTemps(dir: string, opts: { of?: (file: string) => boolean; staleMs?: number } = {}): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names.map(async (n) => {
      const temp = tempOf(n);
      if (!temp || (opts.of !== undefined && !opts.of(temp.file))) return;
      const { pid } = temp;
      const path = join(dir, n);
      if (pid !== process.pid && !isAlive(pid)) return rm(path, { force: true }).catch(() => undefined);
      if (opts.staleMs === undefined) return;
      const st = await stat(path).catch(() => undefined);
      if (st?.isFile() && Date.now() - st.mtimeMs >= opts.staleMs) await rm(path, { force: true }).catch(() => undefined);
    }),
  );
}

/**
 * A device, pipe or socket at `abs` (`--out /dev/stdout`, `/dev/null`) is no file to replace:
 * the rename would put a plain file in its place (in /dev, when run as root). Refused with an
 * errno-style error the callers already word; a missing path or a directory is left to them.
 * What is there (a file to replace, whose mode the new one keeps), if anything.
 */
async function refuseSpecialFile(abs: string): Promise<Stats | undefined> {
  const st = await stat(abs).catch(() => undefined);
  if (!st || st.isFile() || st.isDirectory()) return st;
  throw Object.assign(new Error(`not a regular file (a device, pipe or socket), open '${abs}'`), { code: 'ENOTREG', path: abs, syscall: 'open' });
}

/**
 * `mkdir -p`, one level at a time. Node's recursive mkdir spins forever on some paths (under
 * /proc, for one), so it is never used: each missing level is made, and the first real error
 * (ENOENT, EACCES, ENOTDIR, EROFS…) is thrown as it is.
 */
export async function makeDirectories(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    try {
      if ((await stat(d)).isDirectory()) break;
      // Said as the machine's answer (main.ts isFsError: syscall and path), naming the file in the way.
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: 'ENOTDIR', path: d, syscall: 'mkdir' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    try {
      await mkdir(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/** Makes a rename or a new file's directory entry durable; not possible everywhere (Windows), so best effort. */
export async function syncDir(dir: string): Promise<void> {
  try {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // best effort
  }
}
