// A stale lock (its holder's pid dead) taken by several processes at once: at most one holds it.
// The takers run in this process with pids of their own and the real file system, their steps
// interleaved by hand. Before, a breaker moved the lock aside to check it was the stale one and put
// it back if not: B, which read the stale lock before A broke it and took its own, moved A's fresh
// lock aside, and C linked its own into the gap before B put A's back. A and C both held the audit
// trail's (or apply's) lock and wrote one chain at once.
import * as fs from 'node:fs/promises';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { holdFileLock, type LockSteps } from '../../../src/util/lock.js';
import { killedBreaker, threeTakers } from '../../helpers/lock-takers.js';
import { tempDir, type TempDir } from '../../helpers/tmp.js';

/** A pid no process has (above Linux's largest). */
const DEAD = 4_194_305;
const A = 101;
const B = 102;
const C = 103;
const LIVE = new Set([A, B, C]);

let dir: TempDir;
let target: string;
let lock: string;
beforeEach(async () => {
  dir = await tempDir('promptctl-lock-breakers-');
  target = join(dir.path, 'audit.jsonl');
  lock = `${target}.lock`;
  await writeFile(lock, JSON.stringify({ pid: DEAD, hostname: hostname(), createdAt: new Date().toISOString(), token: 'stale' }));
});
afterEach(async () => {
  await dir.remove();
});

class Refused extends Error {}

/** Takes the lock as `steps.pid`, refused at once while a live process holds it. */
const take = (steps: LockSteps) => holdFileLock(target, { steps, refuse: (holder) => new Refused(holder) });

const holderOf = async (): Promise<unknown> => (JSON.parse(await readFile(lock, 'utf8')) as { pid: unknown }).pid;

describe('several processes taking a stale lock at once', () => {
  it("A breaks and takes it, B (which read the stale lock before) meets A's lock while C looks: one holds it", async () => {
    const results = await threeTakers(lock, [A, B, C], (p) => LIVE.has(p), take);
    const holders = [A, B, C].filter((_, i) => results[i]!.status === 'fulfilled');
    expect(holders).toEqual([A]);
    for (const r of results.slice(1)) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(Refused);
      expect(((r as PromiseRejectedResult).reason as Error).message).toContain(`held by pid ${A} on`);
    }
    expect(await holderOf()).toBe(A);
    expect(await readdir(dir.path)).toEqual(['audit.jsonl.lock']);
  });

  it('a breaker killed while it breaks the stale lock leaves it breakable: the next taker holds it', async () => {
    // X (a pid that is dead by the time A looks) dies after its first link that is not the lock itself.
    const X = 4_194_306;
    const killed = killedBreaker(lock, X, (p) => LIVE.has(p));
    await expect(take(killed)).rejects.toThrow('killed');
    const left = (await readdir(dir.path)).filter((n) => n !== 'audit.jsonl.lock');
    expect(left.length).toBeGreaterThan(0); // what X left midway (its body, its claim on the stale lock)
    const release = await take({ ...fs, pid: A, alive: (p) => LIVE.has(p) });
    expect(await holderOf()).toBe(A);
    // Only X's body is left beside it (removed once it is older than any wait): not its claim.
    expect((await readdir(dir.path)).filter((n) => n !== 'audit.jsonl.lock').every((n) => n.startsWith(`audit.jsonl.lock.${X}.`) && n.endsWith('.tmp'))).toBe(true);
    await release();
    expect(await readdir(dir.path)).not.toContain('audit.jsonl.lock');
  });

  // A lock judged only by its age (another host's) holds up every taker until it is stale. Before,
  // the lock a taker then linked was as old as its wait (its body was written when it began), so
  // the next taker judged that live holder's lock stale at once and broke it: two holders.
  it('the lock a taker takes after waiting out a stale one is not stale itself: one holds it', async () => {
    await writeFile(lock, JSON.stringify({ pid: 1, hostname: 'elsewhere.example', createdAt: new Date().toISOString(), token: 'other-host' }));
    // Stale after 1 s: the first taker holds it from about then, and the other gives up at 1.6 s,
    // before the holder's own lock could be 1 s old.
    const taker = (pid: number) => holdFileLock(target, { staleMs: 1000, timeoutMs: 1600, steps: { ...fs, pid, alive: (p) => LIVE.has(p) } });
    const results = await Promise.allSettled([taker(A), taker(B)]);
    const holders = [A, B].filter((_, i) => results[i]!.status === 'fulfilled');
    expect(holders).toHaveLength(1);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason as Error;
    expect(refused.message).toContain(`the audit log is locked (held by pid ${holders[0]} on`);
    expect(await holderOf()).toBe(holders[0]);
  });
});
