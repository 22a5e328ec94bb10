// A write whose answer was lost ends with what a settling read found: the transport says so to its
// caller (onFoundByRead, in the call's async context), since nothing in the value tells it from an
// answered write's. An apply records such a success as `confirmedBy: "read"` (executor.ts). Each
// way a read settles a call: the read before a resend (reconcile), the read after the resend's
// final error (afterUncertain: a DELETE's 404), and the read when the call gives up (a 500, not
// resent); and the calls it does not name: a write answered, at once or when resent.
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { FoundByReadInfo } from '../../src/genesys/exchange.js';
import { gatewayWriteChecks } from '../../src/kinds/index.js';
import { createGatewayClient } from '../../src/targets/llmgateway/client.js';
import { paths } from '../../src/targets/llmgateway/paths.js';
import { CLIENT_ID, CLIENT_SECRET, scriptedPlatform } from './client-support.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

const GONE: [number, unknown] = [404, { message: 'not found', code: 'not.found', status: 404 }];
const THERE: [number, unknown] = [200, { id: 'f-1', name: 'guard-one', version: 3 }];
const BUSY: [number, unknown] = [503, { message: 'busy', code: 'http.503', status: 503 }];

/** Deletes filter f-1 on a platform answering its DELETEs and GETs in turn from the lists given; what onFoundByRead heard. */
async function deleteOn(deletes: [number, unknown][], reads: [number, unknown][]): Promise<FoundByReadInfo[]> {
  const p = await scriptedPlatform((method) => (method === 'DELETE' ? deletes.shift() : reads.shift()) ?? GONE);
  server = p.server;
  const heard: FoundByReadInfo[] = [];
  const c = createGatewayClient({
    landed: gatewayWriteChecks,
    apiUrl: p.url,
    loginUrl: p.url,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    targetLabel: p.url,
    backoffBaseMs: 1,
    backoffCapMs: 5,
    maxRetries: 2,
    onFoundByRead: (info) => heard.push(info),
  });
  try {
    await c.deleteFilter('f-1');
  } finally {
    await c.close();
  }
  return heard;
}

describe('a write ended by a settling read', () => {
  const found = [{ method: 'DELETE', path: paths.filter('f-1'), correlationId: expect.any(String) }];

  it('found gone by the read before a resend (reconcile): said', async () => {
    expect(await deleteOn([BUSY], [GONE])).toEqual(found);
  });

  it("found gone by the resend's 404 after an attempt of unknown outcome (afterUncertain): said", async () => {
    expect(await deleteOn([BUSY, GONE], [THERE])).toEqual(found);
  });

  it('found gone by the read when the call gives up (a 500, not resent): said', async () => {
    expect(await deleteOn([[500, { message: 'oops', code: 'internal', status: 500 }]], [GONE])).toEqual(found);
  });

  it('answered at once, or when resent after the read found it still there: not said', async () => {
    expect(await deleteOn([[204, {}]], [])).toEqual([]);
    expect(await deleteOn([BUSY, [204, {}]], [THERE])).toEqual([]);
  });
});
