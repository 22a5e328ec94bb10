import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTokenCache, saveTokenCache, TOKEN_CACHE_FILE } from '../../../src/tokens/cache-file.js';
import { createTokenMemo, memoKey, type TokenMemo } from '../../../src/tokens/count.js';

describe('token count cache file', () => {
  let root: string;
  let memo: TokenMemo;
  const text = 'A system instruction long enough to be memoised on disk. '.repeat(3);

  beforeEach(async () => {
    memo = createTokenMemo();
    root = await mkdtemp(join(tmpdir(), 'promptctl-tokcache-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('saves counts keyed by content hash and seeds the memo from them in a later run', async () => {
    const dir = join(root, '.promptctl', 'cache');
    const n = memo.count(text, 'o200k_base');
    expect(await saveTokenCache(dir, memo)).toBe(true);
    const saved = JSON.parse(await readFile(join(dir, TOKEN_CACHE_FILE), 'utf8')) as { counts: Record<string, number> };
    expect(saved.counts).toEqual({ [memoKey(text, 'o200k_base')]: n });
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]); // atomic: no leftovers

    memo = createTokenMemo(); // a new process
    expect(await loadTokenCache(dir, memo)).toBe(1);
    expect(memo.count(text, 'o200k_base')).toBe(n);
    expect(memo.stats()).toMatchObject({ hits: 1, misses: 0 });
  });

  it('uses the persisted value (proves the memo is read, not recomputed)', async () => {
    await writeFile(
      join(root, TOKEN_CACHE_FILE),
      JSON.stringify({ format: 1, counter: 'tiktoken-encode-ordinary/1', counts: { [memoKey(text, 'cl100k_base')]: 4242 } }),
    );
    expect(await loadTokenCache(root, memo)).toBe(1);
    expect(memo.count(text, 'cl100k_base')).toBe(4242);
  });

  it('ignores a missing, corrupt, foreign or older-format file', async () => {
    expect(await loadTokenCache(join(root, 'absent'), memo)).toBe(0);
    const file = join(root, TOKEN_CACHE_FILE);
    for (const content of [
      '{not json',
      'null',
      '[]',
      JSON.stringify({ format: 0, counter: 'tiktoken-encode-ordinary/1', counts: {} }),
      JSON.stringify({ format: 1, counter: 'something-else', counts: { [memoKey(text, 'o200k_base')]: 1 } }),
    ]) {
      await writeFile(file, content);
      expect(await loadTokenCache(root, memo), content).toBe(0);
    }
    // Bad entries are skipped one by one.
    await writeFile(
      file,
      JSON.stringify({ format: 1, counter: 'tiktoken-encode-ordinary/1', counts: { short: 1, [memoKey('x', 'o200k_base')]: -1, [memoKey('y', 'o200k_base')]: 2.5, [memoKey('z', 'o200k_base')]: 3 } }),
    );
    expect(await loadTokenCache(root, memo)).toBe(1);
  });

  it('does not throw when the cache cannot be written', async () => {
    const blocker = join(root, 'file');
    await writeFile(blocker, 'not a directory');
    memo.count(text, 'o200k_base');
    expect(await saveTokenCache(join(blocker, 'cache'), memo)).toBe(false);
  });

  it('writes nothing when nothing new was counted', async () => {
    expect(await saveTokenCache(root, memo)).toBe(true);
    expect(await readdir(root)).toEqual([]);
  });
});
