// A long wait for the target (a 429's Retry-After) is said on stderr, so a CI log never goes
// silent for half a minute while promptctl waits.
import { afterEach, describe, expect, it } from 'vitest';
import { retryNotice, saysRetry } from '../../src/cli/target.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('retry notices', () => {
  it('names the call, what it answered and how long promptctl waits', () => {
    expect(
      retryNotice({ method: 'GET', path: '/api/v2/llmgateway/safetyfilters', attempt: 2, reason: 'rate limited', delayMs: 12_000, correlationId: 'c', status: 429, retryAfterMs: 12_000 }),
    ).toBe('retry 2: GET /api/v2/llmgateway/safetyfilters answered 429; waiting 12.0 s (Retry-After)');
    expect(retryNotice({ method: 'POST', path: '/x', attempt: 1, reason: 'dropped', delayMs: 1500, correlationId: 'c', code: 'ECONNRESET' })).toBe(
      'retry 1: POST /x failed (ECONNRESET); waiting 1.5 s',
    );
    // A read answered 2xx with a damaged body: "answered 200" alone would read as a success.
    expect(retryNotice({ method: 'GET', path: '/x', attempt: 1, reason: 'answer unreadable (200)', delayMs: 1500, correlationId: 'c', status: 200 })).toBe(
      'retry 1: GET /x answered 200 with a body that could not be read; waiting 1.5 s',
    );
  });

  it('is said after a timed-out attempt, however short the wait before the retry (the timeout was the long wait)', () => {
    const timedOut = { method: 'POST', path: '/x', attempt: 1, reason: 'timed out', delayMs: 200, correlationId: 'c', code: 'ETIMEDOUT' } as const;
    expect(saysRetry(timedOut)).toBe(true);
    expect(retryNotice(timedOut)).toBe('retry 1: POST /x timed out; waiting 0.2 s');
    expect(saysRetry({ ...timedOut, code: 'ECONNRESET' })).toBe(false);
    expect(saysRetry({ ...timedOut, code: 'ECONNRESET', delayMs: 1000 })).toBe(true);
  });

  it('is printed while a rate-limited plan waits', async () => {
    // One request a window: the plan's reads (two or more per token) meet 429 and wait out Retry-After (≥ 1 s).
    s = await scenario('basic', { rateLimit: 1, rateWindowMs: 1200 });
    const r = await s.cli(['plan']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^retry \d+: GET \/api\/v2\/\S+ answered 429; waiting \d+\.\d s \(Retry-After\)$/m);
  });
});
