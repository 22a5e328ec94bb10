// The pacer's hold ("rate limit: the target allows N requests a window, all used; waiting X s for
// the next window") is told once per window. The emulator, as Genesys, says the window's reset in
// whole seconds, rounded up: each answer of one window moved the reset a few ms later, and the
// hold was told again for each request it held, two or three times a window, ms apart.
import { afterEach, expect, it } from 'vitest';
import { setup, type Env } from './client-support.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

it('a run paced over several windows hears of each hold once', async () => {
  env = await setup({ rateLimit: 4, rateWindowMs: 1_000 });
  const told: number[] = [];
  const c = env.client({ onPaced: () => told.push(Date.now()) });
  await c.listFilters(); // learns the budget
  await Promise.all(Array.from({ length: 11 }, () => c.listFilters()));
  expect(c.stats.rateLimited).toBe(0);
  // 12 requests at 4 a window: two holds, each told once (a window apart, not ms apart).
  expect(told).toHaveLength(2);
  expect(told[1]! - told[0]!).toBeGreaterThan(500);
});
