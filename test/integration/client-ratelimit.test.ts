// The client under the emulator's rate limit (requests per rolling window per token): a client
// that knows the budget paces itself and meets no 429; a cold burst that meets 429s waits the
// Retry-After the server gave, then succeeds. Both run at once (each client has its own token),
// so the test costs one rate-limit window: 3 s here instead of Genesys's minute. The client
// learns the window only from `inin-ratelimit-reset` and `Retry-After`, so the logic is the same.
import { afterEach, describe, expect, it } from 'vitest';
import type { RetryInfo } from '../../src/targets/llmgateway/client.js';
import { setup, type Env } from './client-support.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const LIMIT = 5;
const WINDOW_MS = 3_000;

describe('client under --rate-limit', () => {
  it('paces to avoid 429s, and honours Retry-After when they come', async () => {
    env = await setup({ rateLimit: LIMIT, rateWindowMs: WINDOW_MS });

    const pacedRetries: RetryInfo[] = [];
    const paced = env.client({ onRetry: (i) => pacedRetries.push(i) });
    const burstRetries: RetryInfo[] = [];
    const burst = env.client({ onRetry: (i) => burstRetries.push(i) });

    const pacedRun = (async () => {
      await paced.listFilters(); // learns the budget from the rate-limit headers
      // 8 more calls than the 4 the window has left: the rest must wait for the window, not meet a 429.
      return Promise.all(Array.from({ length: 8 }, () => paced.listTemplates()));
    })();
    // Cold: 8 calls at once before any header is seen; the server refuses the ones over the limit.
    const burstRun = Promise.all(Array.from({ length: 8 }, () => burst.listTemplates()));
    const [pacedResults, burstResults] = await Promise.all([pacedRun, burstRun]);

    expect(pacedResults).toHaveLength(8);
    expect(paced.stats.rateLimited).toBe(0);
    expect(pacedRetries).toEqual([]);

    expect(burstResults).toHaveLength(8);
    expect(burst.stats.rateLimited).toBe(8 - LIMIT);
    const limited = burstRetries.filter((r) => r.status === 429);
    expect(limited).toHaveLength(8 - LIMIT);
    for (const r of limited) {
      expect(r.retryAfterMs).toBeGreaterThan(0);
      expect(r.retryAfterMs).toBeLessThanOrEqual(WINDOW_MS); // the server's word, not a hard-coded minute
      expect(r.delayMs).toBeGreaterThanOrEqual(r.retryAfterMs!);
    }
    expect(env.emulator.stats().rateLimited).toBe(8 - LIMIT);
  });
});
