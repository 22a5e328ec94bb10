// The token-count memo on disk (`.promptctl/cache/token-counts.json`), so that re-validating
// thousands of unchanged versions counts nothing. Keys are content hashes (count.ts `memoKey`);
// the file is only ever an optimisation: a missing, corrupt or unwritable cache is ignored (one
// that is there but cannot be used is said, `onIgnored`: it is then counted afresh and replaced).
// The caller (the CLI, once per command run) owns the memo it seeds and saves.
import { readFileSync, statSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TokenMemo } from './count.js';
import { makeDirectories } from '../util/atomic-file.js';

export const TOKEN_CACHE_FILE = 'token-counts.json';
/** Bump when counting changes, so that counts from an older promptctl are not reused. */
const COUNTER = 'tiktoken-encode-ordinary/1';
const FORMAT = 1;
/** A bigger file is not ours (200,000 entries take about 6 MB). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
const KEY = /^[A-Za-z0-9_-]{22}$/;

interface CacheFile {
  format: number;
  counter: string;
  counts: Record<string, number>;
}

/**
 * Seeds `memo` from `dir`; returns how many entries it read (0 when none usable). A file that is
 * there but not usable (damaged, not a token cache, another promptctl's format, too big) is
 * ignored, and `onIgnored` told why in a few words: a count silently redone every run, or a file
 * of the user's replaced without a word, would each surprise someone. An absent file is no news.
 */
export async function loadTokenCache(dir: string, memo: TokenMemo, onIgnored?: (why: string) => void): Promise<number> {
  const file = join(dir, TOKEN_CACHE_FILE);
  const ignored = (why: string): number => {
    onIgnored?.(why);
    return 0;
  };
  let text: string;
  try {
    // Read blocking: the command waits for it anyway, and a CLI run has nothing to overlap it with.
    if (statSync(file).size > MAX_FILE_BYTES) return ignored(`larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`);
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 0 : ignored(`unreadable (${code ?? 'error'})`);
  }
  let data: Partial<CacheFile> | null;
  try {
    data = JSON.parse(text) as Partial<CacheFile> | null;
  } catch {
    return ignored('damaged: not JSON');
  }
  if (!data || typeof data !== 'object' || typeof data.counts !== 'object' || !data.counts) return ignored('not a token count cache');
  if (data.format !== FORMAT || data.counter !== COUNTER) return ignored('written by another version of promptctl');
  const entries: [string, number][] = [];
  for (const [key, n] of Object.entries(data.counts)) {
    if (KEY.test(key) && Number.isSafeInteger(n) && n >= 0) entries.push([key, n]);
  }
  memo.seed(entries);
  return entries.length;
}

/**
 * Writes `memo` to `dir` atomically (temp file, then rename) when anything new was counted.
 * Returns false when it could not write; never throws.
 */
export async function saveTokenCache(dir: string, memo: TokenMemo): Promise<boolean> {
  if (!memo.changed()) return true;
  const file = join(dir, TOKEN_CACHE_FILE);
  const tmp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  const data: CacheFile = { format: FORMAT, counter: COUNTER, counts: Object.fromEntries(memo.entries()) };
  try {
    // Not mkdir's recursive mode: it spins forever on some unmakeable paths (see makeDirectories).
    await makeDirectories(dir);
    await writeFile(tmp, JSON.stringify(data));
    await rename(tmp, file);
    memo.markSaved();
    return true;
  } catch {
    await rm(tmp, { force: true }).catch(() => undefined);
    return false;
  }
}
