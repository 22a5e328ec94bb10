// A write resent after an attempt of unknown outcome, whose resend is refused as a duplicate (409):
// the lost first attempt may have created it, so the client reads by name to settle it. When that
// read fails, the call ends with the write's own 409 (its outcome unknown, the read's failure a
// note), not with the read's error, which named a GET and said nothing of the write.
import type { Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { executePlan } from '../../src/apply/executor.js';
import { createCorrelationTracker } from '../../src/apply/correlation.js';
import { openAuditLog } from '../../src/audit/log.js';
import { buildPlan } from '../../src/plan/build.js';
import { versionTokens } from '../../src/tokens/index.js';
import { desiredState, filter } from '../helpers/desired.js';
import { tempDir } from '../helpers/tmp.js';
import { paths } from '../../src/targets/llmgateway/paths.js';
import { filterBody, quickClient, rejection, scriptedPlatform } from './client-support.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

/** POST 1: 503; the listing read before resending: empty; POST 2: 409 duplicate.name; every later listing: `later`. */
async function flaky(later: number | 'drop'): Promise<{ url: string; seen: string[] }> {
  let posts = 0;
  let listings = 0;
  const p = await scriptedPlatform((method) => {
    if (method === 'POST') {
      posts++;
      return posts === 1 ? [503, { message: 'busy', code: 'http.503', status: 503 }] : [409, { message: 'a safety filter named guard-one exists', code: 'duplicate.name', status: 409 }];
    }
    listings++;
    if (listings === 1) return [200, { entities: [], pageSize: 100, pageNumber: 1, total: 0, pageCount: 0 }];
    return later === 'drop' ? 'drop' : [later, { message: 'no listing for you', code: `http.${later}`, status: later }];
  });
  server = p.server;
  return p;
}

describe('a duplicate after an attempt of unknown outcome, whose settling read fails', () => {
  it.each([
    ['answered 403', 403 as const],
    ['answered 500', 500 as const],
    ['dropped', 'drop' as const],
  ])("ends with the write's own 409, outcome unknown (the read %s)", async (_, later) => {
    const { url, seen } = await flaky(later);
    const c = quickClient(url);
    try {
      const err = await rejection(c.createFilter(filterBody('guard-one', 10)));
      expect(err).toMatchObject({ method: 'POST', path: paths.filters(), status: 409, code: 'duplicate.name', outcomeUnknown: true });
      expect(err.message).toMatch(new RegExp(`^POST ${paths.filters()}`));
      expect(err.message).toMatch(/could not read whether it landed: GET /);
      expect(seen.filter((s) => s.startsWith('POST /api/'))).toHaveLength(2);
    } finally {
      await c.close();
    }
  });
});

describe('apply of such a write', () => {
  it('reports it as a failure whose outcome is not known, not as a conflict created since the plan', async () => {
    const { url } = await flaky(500);
    const c = quickClient(url);
    const dir = await tempDir('promptctl-after-uncertain-');
    try {
      const plan = buildPlan(desiredState({ filters: [filter('guard-one', 10)] }), { templates: [], filters: [] }, { prune: false, target: url, git: {}, id: 'p', createdAt: '', tokens: versionTokens });
      const audit = await openAuditLog(join(dir.path, 'audit.jsonl'), { env: {}, onWarning: () => undefined });
      const result = await executePlan(plan, c, { audit, correlations: createCorrelationTracker(), actor: 't', commit: null });
      await audit.close();
      expect(result.ok).toBe(false);
      expect(result.failed[0]).toMatchObject({ outcome: 'failure', detail: expect.stringMatching(/could not read whether it landed/) });
      expect(result.failed[0]!.detail).not.toMatch(/created since the plan/);
    } finally {
      await c.close();
      await dir.remove();
    }
  });
});

/** PUT 1: 503; the read before resending: the filter still at the guard; PUT 2: 409 version.mismatch; every later read: `later`. */
async function flakyPut(later: number | 'drop'): Promise<{ url: string; seen: string[] }> {
  let puts = 0;
  let reads = 0;
  const p = await scriptedPlatform((method) => {
    if (method === 'PUT') {
      puts++;
      return puts === 1 ? [503, { message: 'busy', code: 'http.503', status: 503 }] : [409, { message: 'version 3 is not the current one', code: 'version.mismatch', status: 409 }];
    }
    reads++;
    if (reads === 1) return [200, { ...filterBody('guard-one', 10), id: 'f1', enabled: true, labels: {}, version: 3 }];
    return later === 'drop' ? 'drop' : [later, { message: 'no read for you', code: `http.${later}`, status: later }];
  });
  server = p.server;
  return p;
}

describe('a version.mismatch after a PUT of unknown outcome, whose settling read fails', () => {
  it.each([
    ['answered 500', 500 as const],
    ['dropped', 'drop' as const],
  ])("ends with the write's own 409, outcome unknown, not as a plain conflict (the read %s)", async (_, later) => {
    const { url, seen } = await flakyPut(later);
    const c = quickClient(url);
    try {
      const err = await rejection(c.updateFilter('f1', { ...filterBody('guard-one', 20), version: 3 }));
      expect(err).toMatchObject({ method: 'PUT', status: 409, code: 'version.mismatch', outcomeUnknown: true });
      expect(err.message).toMatch(/could not read whether it landed: GET /);
      expect(seen.filter((s) => s.startsWith('PUT /api/'))).toHaveLength(2);
    } finally {
      await c.close();
    }
  });
});
