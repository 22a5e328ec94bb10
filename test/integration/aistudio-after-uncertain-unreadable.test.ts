// A guide version created after an attempt of unknown outcome, whose resend is refused because the
// latest version is not ProductionReady (that draft may be our first attempt's): the client reads
// the guide's latest version to settle it. When that read fails, the call ends with the refusal,
// its outcome unknown, not as a plain refusal that claims nothing was created.
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createAiStudioClient } from '../../src/targets/aistudio/client.js';
import { LATEST_NOT_PRODUCTION_READY } from '../../src/targets/aistudio/wire.js';
import { CLIENT_ID, CLIENT_SECRET, content, rejection, writeChecks } from './aistudio-support.js';
import { scriptedPlatform } from './client-support.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

/** POST 1: 503; the read before resending: the guide without versions; POST 2: 400 latest not ProductionReady; every later read: 500. */
async function flaky(): Promise<{ url: string; seen: string[] }> {
  let posts = 0;
  let reads = 0;
  const p = await scriptedPlatform((method) => {
    if (method === 'POST') {
      posts++;
      return posts === 1 ? [503, { message: 'busy', code: 'http.503', status: 503 }] : [400, { message: LATEST_NOT_PRODUCTION_READY, code: 'bad.request', status: 400 }];
    }
    reads++;
    return reads === 1 ? [200, { id: 'g1', name: 'Returns', status: 'Draft', source: 'Manual' }] : [500, { message: 'no read for you', code: 'http.500', status: 500 }];
  });
  server = p.server;
  return p;
}

describe('a refused second draft after a create of unknown outcome, whose settling read fails', () => {
  it('ends with the refusal, its outcome unknown', async () => {
    const { url, seen } = await flaky();
    const c = createAiStudioClient({ landed: writeChecks, apiUrl: url, loginUrl: url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, targetLabel: url, backoffBaseMs: 1, backoffCapMs: 5, maxRetries: 2, jobTimeoutMs: 1000 });
    try {
      const err = await rejection(c.createGuideVersion('g1', content(1)));
      expect(err).toMatchObject({ method: 'POST', outcomeUnknown: true });
      expect(err.message).toMatch(/could not read whether it landed: GET /);
      expect(seen.filter((s) => s.startsWith('POST /api/'))).toHaveLength(2);
    } finally {
      await c.close();
    }
  });
});
