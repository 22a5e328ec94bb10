// A new guide version whose POSTs are all answered 503 is read before it counts as failed. When
// that last read finds someone else's Draft as the guide's latest version, the lost answer would
// have been the refusal of a second Draft: the call ends in that 409 (A3), which apply reports
// as a conflict, not as the 503 give-up.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { AiStudioApi } from '../../src/targets/aistudio/api.js';
import { LATEST_NOT_PRODUCTION_READY_CODE } from '../../src/targets/aistudio/wire.js';
import { content, rejection, setup, type Env } from './aistudio-support.js';
import { unavailableProxy, type UnavailableProxy } from '../helpers/forward.js';

let env: Env;
/** Every new guide version's POST is answered 503, nothing done. */
let proxy: UnavailableProxy;
/** The other writer's move, made on the last (third) POST before the proxy answers it 503. */
let onLast: () => Promise<void> = async () => undefined;

beforeEach(async () => {
  env = await setup({ aiStudio: { newGuideDraft: false } });
  onLast = async () => undefined;
  proxy = await unavailableProxy(
    new URL(env.emulator.url),
    (m, u) => m === 'POST' && /\/guides\/[^/]+\/versions$/.test(u),
    (n) => (n === 3 ? onLast() : Promise.resolve()),
  );
});
afterEach(async () => {
  await proxy.close();
  await env.close();
});

it('ends a new version whose last read finds someone else\'s Draft in the 409 a second Draft gets', async () => {
  const other: AiStudioApi = env.client();
  const g = await other.createGuide({ name: 'Returns', source: 'Manual' });
  await other.createGuideVersion(g.id, content(1));
  await other.publishGuideVersion(g.id, '1.0', 'ProductionReady');
  const c = env.client({ apiUrl: proxy.url, loginUrl: proxy.url, backoffBaseMs: 1, backoffCapMs: 5, maxRetries: 2 });
  onLast = async () => void (await other.createGuideVersion(g.id, content(3)));
  const err = await rejection(c.createGuideVersion(g.id, content(2)));
  expect(proxy.answered()).toBe(3);
  expect({ status: err.status, code: err.code, outcomeUnknown: err.outcomeUnknown }).toEqual({ status: 409, code: LATEST_NOT_PRODUCTION_READY_CODE, outcomeUnknown: undefined });
});
