// Takers of a stale lock, their steps interleaved by hand, for the tests of util/lock.ts and of
// the emulator's state lock (both break a stale lock through util/lock.ts removeStaleLock): three
// takers racing for a dead holder's lock, and a breaker killed midway. Each taker runs in this
// process with a pid of its own and the real file system.
import * as fs from 'node:fs/promises';
import type { LockSteps } from '../../src/util/lock.js';

/** A promise opened by hand. */
export function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

/**
 * Three takers of the stale lock at `lock` (pids A, B, C), each through `take`: all three look at
 * it first; A goes on (breaks it and takes it); B, which read the stale lock before, goes on once A
 * is done and, linking to the lock a second time, waits for C; C goes on once B links again (or is
 * done). Before the shared breaker, B moved A's fresh lock aside and C linked its own into the gap:
 * two holders. The results in the order A, B, C.
 */
export async function threeTakers<T>(
  lock: string,
  [A, B, C]: readonly [number, number, number],
  alive: (pid: number) => boolean,
  take: (steps: LockSteps) => Promise<T>,
): Promise<PromiseSettledResult<T>[]> {
  const read = { A: gate(), B: gate(), C: gate() };
  const settled = { A: gate(), B: gate(), C: gate() };
  const bAgain = gate(); // B links to the lock a second time, or is done
  const allRead = Promise.all([read.A.opened, read.B.opened, read.C.opened]);
  /** Taker `who`'s steps: it waits after its first look at the lock until `go`; a second link to the lock by B waits for C. */
  const taker = (who: 'A' | 'B' | 'C', pid: number, go: Promise<unknown>): LockSteps => {
    let looked = false;
    let links = 0;
    return {
      ...fs,
      pid,
      alive,
      stat: (async (path: Parameters<typeof fs.stat>[0]) => {
        const st = await fs.stat(path);
        if (path === lock && !looked) {
          looked = true;
          read[who].open();
          await go;
        }
        return st;
      }) as LockSteps['stat'],
      link: async (from, to) => {
        if (to === lock && who === 'B' && ++links === 2) {
          bAgain.open();
          await settled.C.opened;
        }
        return fs.link(from, to);
      },
    };
  };
  return Promise.allSettled([
    take(taker('A', A, allRead)).finally(settled.A.open),
    take(taker('B', B, Promise.all([allRead, settled.A.opened]))).finally(() => {
      settled.B.open();
      bAgain.open();
    }),
    take(taker('C', C, Promise.all([allRead, bAgain.opened]))).finally(settled.C.open),
  ]);
}

/** The steps of pid `x`, a breaker that dies (each step then throws "killed") right after its first link that is not `lock` itself. */
export function killedBreaker(lock: string, x: number, alive: (pid: number) => boolean): LockSteps {
  let dead = false;
  const die = <F extends (...args: never[]) => Promise<unknown>>(f: F): F =>
    (async (...args: Parameters<F>) => {
      if (dead) throw new Error('killed');
      return f(...args);
    }) as F;
  return {
    ...fs,
    pid: x,
    alive: (p) => alive(p) || p === x,
    open: die(fs.open),
    readFile: die(fs.readFile),
    stat: die(fs.stat),
    unlink: die(fs.unlink),
    link: die(async (from: string, to: string) => {
      await fs.link(from, to);
      if (to !== lock) dead = true;
    }) as LockSteps['link'],
  };
}
