// A call's retry budget is for retrying: the time it waits for the run's own pacing (the pacer
// holding requests until the rate-limit window resets) and for a request slot is not counted. A
// call held for most of Genesys's 60 s window that then met one 429 gave up at once ("the next try
// was due in 60.1 s, past the 120.0 s this call may spend retrying") and failed an apply. Here the
// window is 2 s and the budget 1.5 s: the call is held about 2 s, meets a 429 asking for 1 s, and
// is sent again.
import { expect, it } from 'vitest';
import type { PacedHold } from '../../src/genesys/ratelimit.js';
import type { RetryInfo } from '../../src/targets/llmgateway/client.js';
import { closeAfterEach, scriptedProxy } from '../helpers/interrupt.js';
import { setup } from './client-support.js';

const closing = closeAfterEach();

const TEMPLATES = '/api/v2/llmgateway/prompttemplates';

it('a call held by the pacer past its retry budget still waits out a 429 and is sent again', async () => {
  const env = closing(await setup({ rateLimit: 2, rateWindowMs: 2_000 }));
  let limited = false;
  const proxy = closing(
    await scriptedProxy(env.emulator.url, (r) => {
      if (r.method !== 'GET' || r.path !== TEMPLATES || limited) return 'forward';
      limited = true;
      return { status: 429, code: 'too.many.requests', headers: { 'retry-after': '1' } };
    }),
  );
  const holds: PacedHold[] = [];
  const retries: RetryInfo[] = [];
  const c = env.client({ apiUrl: proxy.url, retryBudgetMs: 1_500, onPaced: (h) => holds.push(h), onRetry: (i) => retries.push(i) });
  // The window's two requests: the next one is held until it resets (about 2 s, past the budget).
  await c.listFilters();
  await c.listFilters();
  await expect(c.listTemplates()).resolves.toEqual([]);
  expect(holds).toHaveLength(1);
  expect(holds[0]!.waitMs).toBeGreaterThan(1_500);
  expect(retries.map((r) => [r.status, r.retryAfterMs])).toEqual([[429, 1_000]]);
  expect(proxy.seen.filter((s) => s.path === TEMPLATES)).toHaveLength(2);
});
