// A process killed (kill -9) while it takes the audit trail's lock leaves its holder's body,
// `<trail>.lock.<pid>.<id>.tmp`, beside the lock for good (or, while it breaks a stale lock, that
// lock set aside as `.stale`, or its claim to break it, `.break`): every such kill added a file to
// .promptctl/. The next process that takes the lock removes those of a pid not running here, once
// they are older than any wait, and every claim (the lock it claimed is gone for good).
import { existsSync } from 'node:fs';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withFileLock } from '../../../src/util/lock.js';
import { tempDir, type TempDir } from '../../helpers/tmp.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
  dir = undefined;
});

/** A pid no process holds here: beyond the kernel's default pid_max. */
const DEAD_PID = 4_194_999;

describe('the lock file', () => {
  it("removes what a killed process left beside it: not a running process's, not a recent one", async () => {
    dir = await tempDir('promptctl-lock-');
    const trail = join(dir.path, 'audit.jsonl');
    const old = new Date(Date.now() - 3600_000);
    const leftover = async (name: string, at?: Date): Promise<string> => {
      const file = join(dir!.path, name);
      await writeFile(file, '{}');
      if (at) await utimes(file, at, at);
      return file;
    };
    const killedTmp = await leftover(`audit.jsonl.lock.${DEAD_PID}.0a1b2c3d.tmp`, old);
    const killedStale = await leftover(`audit.jsonl.lock.${DEAD_PID}.9f8e7d6c.stale`, old);
    const recent = await leftover(`audit.jsonl.lock.${DEAD_PID}.11112222.tmp`);
    const running = await leftover(`audit.jsonl.lock.${process.ppid}.33334444.tmp`, old);
    const other = await leftover('audit.jsonl.lock.notes.txt', old);
    // A claim to break a lock, left by a breaker killed at it: moot once the lock is held (that lock is gone), however recent.
    const claim = await leftover('audit.jsonl.lock.0123456789abcdef.0.break');
    await withFileLock(trail, async () => undefined);
    expect(existsSync(killedTmp)).toBe(false);
    expect(existsSync(killedStale)).toBe(false);
    expect(existsSync(claim)).toBe(false);
    expect([recent, running, other].map(existsSync)).toEqual([true, true, true]);
    expect(existsSync(`${trail}.lock`)).toBe(false); // released
  });
});
