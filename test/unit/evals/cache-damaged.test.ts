// A results cache entry that parses as JSON but does not hold an observation of the shape the
// runner judges (a file edited by hand, or written by another build under the same format) is a
// miss, like one that does not parse: the case is called again and its entry written afresh,
// instead of the whole run stopping with an internal error in an assertion or a view.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileResultCache } from '../../../src/evals/cache.js';
import { CACHE_FORMAT } from '../../../src/evals/render.js';
import type { Observation } from '../../../src/evals/types.js';
import { tempDir, type TempDir } from '../../helpers/tmp.js';

const KEY = 'a'.repeat(64);
const good: Observation = {
  outcome: 'answered',
  version: '1.0.0',
  model: 'gpt-4o',
  output: 'Refunds take 5 days.',
  finishReason: 'stop',
  usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 },
  costUsd: 0.001,
  latencyMs: 3,
  wallMs: 4,
  filters: [{ name: 'pii-guard', category: 'pii', score: 0.9, action: 'redact_and_log', applied: true }],
};

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir();
  await mkdir(dir.path, { recursive: true });
});
afterEach(() => dir.remove());

const entry = (observation: unknown): string => JSON.stringify({ format: CACHE_FORMAT, key: KEY, savedAt: '2026-01-01T00:00:00Z', observation, blockedSpend: true, blockedRoute: true });

describe('fileResultCache: a damaged entry', () => {
  it('answers an entry of the shape it writes', async () => {
    const cache = fileResultCache(dir.path);
    await cache.set(KEY, good);
    expect(await cache.get(KEY)).toEqual(good);
    await writeFile(join(dir.path, `${KEY}.json`), entry({ outcome: 'blocked', output: '', wallMs: 2, filters: [], blocked: { filter: 'f', message: 'blocked' } }));
    expect(await cache.get(KEY)).toMatchObject({ outcome: 'blocked' });
  });

  it('is a miss when a field the runner reads is missing or of another type, and is written afresh', async () => {
    const { filters: _f, ...withoutFilters } = good;
    const damaged: unknown[] = [
      withoutFilters,
      { ...good, output: null },
      { ...good, filters: [null] },
      { ...good, usage: { completionTokens: '5' } },
      { ...good, costUsd: '0.001' },
      { ...good, outcome: 'error', error: { status: 503, code: 'busy', message: 'busy' } },
      { ...good, outcome: 'blocked', blocked: { filter: 7, message: 'x' } },
      'answered',
    ];
    const cache = fileResultCache(dir.path);
    for (const observation of damaged) {
      await writeFile(join(dir.path, `${KEY}.json`), entry(observation));
      expect(await cache.get(KEY), JSON.stringify(observation)).toBeUndefined();
    }
    await cache.set(KEY, good);
    expect(JSON.parse(await readFile(join(dir.path, `${KEY}.json`), 'utf8')).observation).toEqual(good);
  });
});
