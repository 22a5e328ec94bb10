// The results cache read ahead of a run (evals/cache.ts readAhead): the keys it answers are known
// before any call, each read serves the run once, and what the run sets afterwards is read afresh.
import { describe, expect, it } from 'vitest';
import { readAhead, type ResultCache } from '../../../src/evals/cache.js';
import type { Observation } from '../../../src/evals/types.js';

const answer = (text: string): Observation => ({ outcome: 'answered', output: text, wallMs: 1, filters: [] });

function countingCache(entries: Record<string, Observation>): ResultCache & { reads: string[] } {
  const reads: string[] = [];
  const store = new Map(Object.entries(entries));
  return {
    reads,
    async get(key) {
      reads.push(key);
      return store.get(key);
    },
    async set(key, obs) {
      store.set(key, obs);
    },
  };
}

describe('readAhead', () => {
  it('names the keys the cache answers, and serves each read once without reading it again', async () => {
    const inner = countingCache({ a: answer('A'), b: answer('B') });
    const { cache, answered } = await readAhead(inner, ['a', 'b', 'c']);
    expect([...answered].sort()).toEqual(['a', 'b']);
    expect(inner.reads.sort()).toEqual(['a', 'b', 'c']);
    expect(await cache.get('a')).toEqual(answer('A'));
    expect(inner.reads).toHaveLength(3);
    // A second read of the same key (another call with the same key) goes to the cache itself.
    expect(await cache.get('a')).toEqual(answer('A'));
    expect(inner.reads).toHaveLength(4);
  });

  it('reads a missed key afresh, so an entry set during the run is found', async () => {
    const inner = countingCache({});
    const { cache, answered } = await readAhead(inner, ['k']);
    expect(answered.size).toBe(0);
    await cache.set('k', answer('set'));
    expect(await cache.get('k')).toEqual(answer('set'));
  });

  it('reads a few entries at a time, not thousands of files at once (the file limit would turn reads into misses)', async () => {
    let inFlight = 0;
    let most = 0;
    const cache: ResultCache = {
      async get(key) {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight--;
        return answer(key);
      },
      async set() {},
    };
    const keys = Array.from({ length: 500 }, (_, i) => `k${i}`);
    const { answered } = await readAhead(cache, keys);
    expect(answered.size).toBe(500);
    expect(most).toBeLessThanOrEqual(32);
    expect(most).toBeGreaterThan(1);
  });
});

