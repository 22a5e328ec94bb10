// The emulator state's lock (`<state>.lock`, its holder's pid) taken by two processes at once:
// exactly one holds it and the other is refused, naming the holder. The two takers run in this
// process with pids of their own and the real file system, their steps interleaved by hand. Before,
// both held it: both read a dead owner's lock and removed it, the second removing the lock the
// first had just made; or one read the lock the other had made but not yet written (empty, so
// taken for a dead owner's) and removed it. Two emulators (or two commands' embedded ones) then
// wrote one state, each over the other's snapshot.
import * as fs from 'node:fs/promises';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateLockedError, takeLock, type LockSteps } from '../../../src/emulator/journal.js';
import { killedBreaker, threeTakers } from '../../helpers/lock-takers.js';

/** A pid no process has (above Linux's largest). */
const DEAD = 4_194_305;
const A = 101;
const B = 102;

let dir: string;
let file: string;
let lock: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptctl-state-lock-'));
  file = join(dir, 'state.json');
  lock = `${file}.lock`;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Taker `pid`'s steps: the real file system, the other taker alive; `over` replaces some steps. */
function steps(pid: number, over: Partial<LockSteps> = {}): LockSteps {
  return { ...fs, pid, alive: (p) => p === A || p === B, ...over };
}

/** One taker holds the lock, the other is refused naming it, and the lock says so. */
async function expectOneHolder(results: PromiseSettledResult<void>[]): Promise<void> {
  const holders = [A, B].filter((_, i) => results[i]!.status === 'fulfilled');
  expect(holders).toHaveLength(1);
  const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason;
  expect(refused).toBeInstanceOf(StateLockedError);
  expect((refused as StateLockedError).pid).toBe(holders[0]);
  expect(Number((await readFile(lock, 'utf8')).trim())).toBe(holders[0]);
}

describe('two processes taking the emulator state lock at once', () => {
  it("a dead owner's lock, judged stale by both before either breaks it: one holds it", async () => {
    await writeFile(lock, `${DEAD}\n`);
    // Both read the dead owner's lock; A goes on first, and B only once A is done.
    let bRead!: () => void;
    const readByB = new Promise<void>((r) => (bRead = r));
    let aDone!: () => void;
    const doneByA = new Promise<void>((r) => (aDone = r));
    const reading = (after: () => Promise<void>) =>
      (async (path: Parameters<typeof fs.readFile>[0], options?: Parameters<typeof fs.readFile>[1]) => {
        const text = await fs.readFile(path, options);
        if (path === lock) await after();
        return text;
      }) as LockSteps['readFile'];
    const first = takeLock(file, steps(A, { readFile: reading(() => readByB) })).finally(aDone);
    const second = takeLock(file, steps(B, { readFile: reading(async () => (bRead(), doneByA)) }));
    await expectOneHolder(await Promise.allSettled([first, second]));
  });

  it('a lock read by the other taker while its holder is still writing it: one holds it', async () => {
    // A's first write waits until B has read the lock or is done.
    let bLooked!: () => void;
    const looked = new Promise<void>((r) => (bLooked = r));
    let writes = 0;
    const openHeld = (async (...args: Parameters<typeof fs.open>) => {
      const fh = await fs.open(...args);
      if (writes++ > 0) return fh;
      return {
        writeFile: async (data: string) => {
          await looked;
          return fh.writeFile(data);
        },
        close: () => fh.close(),
      } as unknown as fs.FileHandle;
    }) as LockSteps['open'];
    const readFileB = (async (path: Parameters<typeof fs.readFile>[0], options?: Parameters<typeof fs.readFile>[1]) => {
      try {
        return await fs.readFile(path, options);
      } finally {
        if (path === lock) bLooked();
      }
    }) as LockSteps['readFile'];
    const first = takeLock(file, steps(A, { open: openHeld }));
    // B starts once A has begun writing its lock (A's open is under way).
    await new Promise((r) => setImmediate(r));
    const second = takeLock(file, steps(B, { readFile: readFileB })).finally(() => bLooked());
    await expectOneHolder(await Promise.allSettled([first, second]));
    // Nothing of either taker's is left but the lock.
    expect(await readdir(dir)).toEqual(['state.json.lock']);
  });
});

// Three takers of a dead owner's lock: A breaks it and takes it; B, which read the dead lock before,
// breaks again and meets A's fresh lock; C, which read it too, then looks. Before, B moved A's lock
// aside to check it and C linked its own into the gap before B could put A's back: A and C both held it.
describe('three processes taking a dead owner\'s emulator state lock at once', () => {
  const C = 103;
  const alive = (p: number): boolean => p === A || p === B || p === C;

  it('A takes it first, then B, then C (B meeting A\'s fresh lock while C looks): one holds it', async () => {
    await writeFile(lock, `${DEAD}\n`);
    const results = await threeTakers(lock, [A, B, C], alive, (steps) => takeLock(file, steps));
    const holders = [A, B, C].filter((_, i) => results[i]!.status === 'fulfilled');
    expect(holders).toEqual([A]);
    for (const r of results.slice(1)) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(StateLockedError);
      expect(((r as PromiseRejectedResult).reason as StateLockedError).pid).toBe(A);
    }
    expect(Number((await readFile(lock, 'utf8')).trim())).toBe(A);
    expect(await readdir(dir)).toEqual(['state.json.lock']);
  });

  it('a breaker killed while it breaks the lock leaves it breakable: the next taker holds it', async () => {
    await writeFile(lock, `${DEAD}\n`);
    // X (a pid that is dead by the time A looks) dies after its first link that is not the lock itself.
    const X = 4_194_306;
    const killed = killedBreaker(lock, X, alive);
    await expect(takeLock(file, killed)).rejects.toThrow('killed');
    expect((await readdir(dir)).length).toBeGreaterThan(1); // what X left midway (its body, its claim)
    await takeLock(file, { ...fs, pid: A, alive });
    expect(Number((await readFile(lock, 'utf8')).trim())).toBe(A);
    // Only X's body is left beside it (removed when the store opens): not its claim.
    expect((await readdir(dir)).filter((n) => n !== 'state.json.lock').every((n) => n.startsWith(`.state.json.${X}.`))).toBe(true);
  });
});
