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
});
