// A blocked call's cached result keeps what its refusal said it spent (a block on the output: the
// model ran and was billed). An entry an earlier build wrote for a blocked call kept none, and
// would show the call as spending nothing on every run after: it is a miss, made again and written
// afresh. Answers always kept their usage: those entries stay hits.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileResultCache } from '../../../src/evals/cache.js';
import { CACHE_FORMAT } from '../../../src/evals/render.js';
import type { Observation } from '../../../src/evals/types.js';
import { tempDir, type TempDir } from '../../helpers/tmp.js';

const KEY = 'b'.repeat(64);
const blocked: Observation = {
  outcome: 'blocked',
  version: '2.0.0',
  output: '',
  usage: { promptTokens: 65, completionTokens: 14, totalTokens: 79 },
  costUsd: 0.0000363,
  wallMs: 20,
  filters: [],
  blocked: { filter: 'support-phishing-block', category: 'phishing', stage: 'output', message: 'The response was blocked' },
  error: { status: 400, code: 'content.blocked', message: 'The response was blocked' },
};
const answered: Observation = { outcome: 'answered', version: '2.0.0', output: 'ok', usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 }, costUsd: 0.000001, wallMs: 3, filters: [] };

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(() => dir.remove());

/** An entry as the build before this one wrote it: no word on a blocked call's spend. */
const earlier = (observation: Observation): string => JSON.stringify({ format: CACHE_FORMAT, key: KEY, savedAt: '2026-01-01T00:00:00Z', observation });

describe('fileResultCache and what a blocked call spent', () => {
  it('keeps a blocked call\'s usage and cost', async () => {
    const cache = fileResultCache(dir.path);
    await cache.set(KEY, blocked);
    expect(await cache.get(KEY)).toEqual(blocked);
    expect(JSON.parse(await readFile(join(dir.path, `${KEY}.json`), 'utf8'))).toMatchObject({ blockedSpend: true });
  });

  it('misses a blocked entry an earlier build wrote, and keeps answering an answer it wrote', async () => {
    const cache = fileResultCache(dir.path);
    const { usage: _u, costUsd: _c, ...spentNothing } = blocked;
    await writeFile(join(dir.path, `${KEY}.json`), earlier(spentNothing));
    expect(await cache.get(KEY)).toBeUndefined();
    await writeFile(join(dir.path, `${KEY}.json`), earlier(answered));
    expect(await cache.get(KEY)).toEqual(answered);
  });
});
