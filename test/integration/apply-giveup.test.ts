// A write whose last attempt the server applied but whose answer was lost (its retries then run
// out) is read before it counts as failed: a POST, PUT or DELETE that landed is a success in the
// audit trail and the apply's result, never a failure that contradicts the org (DESIGN §5).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { executePlan } from '../../src/apply/executor.js';
import { openAuditLog } from '../../src/audit/log.js';
import { verifyAuditFile } from '../../src/audit/verify.js';
import { settleOpenIntents } from '../../src/apply/recovery.js';
import { liveSnapshots } from '../../src/kinds/index.js';
import type { GatewayApi } from '../../src/targets/llmgateway/api.js';
import { readLiveState } from '../../src/targets/live.js';
import { buildPlan } from '../../src/plan/build.js';
import { desiredState, filter } from '../helpers/desired.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { versionTokens } from '../../src/tokens/index.js';
import { createCorrelationTracker } from '../../src/apply/correlation.js';
import { filterBody, setup, type Env } from './client-support.js';

let env: Env;
let proxy: http.Server;
let api: GatewayApi;
let dir: TempDir;
let posts = 0;
/** The lossy attempt the emulator does (its answer lost); those before it are answered 503. */
let landsOn = 3;
/** Which requests the proxy makes lossy: the first two answered 503, the third done and its answer lost. */
let lossy: (method: string, url: string) => boolean = (m, u) => m === 'POST' && /\/safetyfilters$/.test(u);

/** Applies `filters` through the proxy with nothing lossy (plan p0); the audit trail's path. */
async function appliedFirst(filters: ReturnType<typeof filter>[]): Promise<string> {
  lossy = () => false;
  const plan = buildPlan(desiredState({ filters }), await readLiveState({ gateway: api }), { prune: false, target: 'proxy', git: {}, id: 'p0', createdAt: '', tokens: versionTokens });
  const file = join(dir.path, 'audit.jsonl');
  const audit = await openAuditLog(file, { env: {}, onWarning: () => undefined });
  expect((await executePlan(plan, api, { audit, correlations: createCorrelationTracker(), actor: 't', commit: null })).ok).toBe(true);
  await audit.close();
  return file;
}

beforeEach(async () => {
  env = await setup({ host: '127.0.0.1', publishDelayMs: 5 });
  const upstream = new URL(env.emulator.url);
  posts = 0;
  landsOn = 3;
  lossy = (m, u) => m === 'POST' && /\/safetyfilters$/.test(u);
  // Every POST of a filter: the first two answered 503 (nothing done), the third done by the
  // emulator and its answer lost (the connection dropped after the work).
  proxy = http.createServer((req, res) => {
    const isCreate = lossy(req.method ?? '', req.url ?? '');
    if (isCreate) posts += 1;
    if (isCreate && posts < landsOn) {
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'unavailable', code: 'service.unavailable', status: 503 }));
      return;
    }
    const up = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      if (isCreate) {
        r.resume();
        r.on('end', () => res.socket?.destroy());
        return;
      }
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  api = env.client({ apiUrl: url, loginUrl: url, targetLabel: 'proxy', backoffBaseMs: 1, backoffCapMs: 5, maxRetries: 2 });
  dir = await tempDir('promptctl-giveup-');
});
afterEach(async () => {
  await new Promise((ok) => proxy.close(ok));
  await env.close();
  await dir.remove();
});

it('records the outcome the org holds when the last attempt of a create landed but its answer was lost', async () => {
  const desired = desiredState({ filters: [filter('guard-one', 10)] });
  const plan = buildPlan(desired, await readLiveState({ gateway: api }), { prune: false, target: 'proxy', git: {}, id: 'p', createdAt: '', tokens: versionTokens });
  const file = join(dir.path, 'audit.jsonl');
  const audit = await openAuditLog(file, { env: {}, onWarning: () => undefined });
  const result = await executePlan(plan, api, { audit, correlations: createCorrelationTracker(), actor: 't', commit: null });
  await audit.close();

  const live = await readLiveState({ gateway: api });
  expect(posts).toBe(3);
  // The filter was created on the org.
  expect(live.filters.map((f) => f.name)).toEqual(['guard-one']);
  const records = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { type: string; outcome: string | null });
  const outcome = records.find((r) => r.type === 'outcome');
  // The trail and the report must say what the org holds: the create happened.
  expect({ ok: result.ok, outcome: outcome?.outcome, detail: result.failed[0]?.detail ?? null }).toMatchObject({ outcome: 'success' });
});

for (const [what, method, next] of [
  ['an update (PUT)', 'PUT', [filter('guard-one', 10, { thresholds: { pii: 0.8 } })]],
  ['a delete', 'DELETE', []],
] as const) {
  it(`records the outcome the org holds when the last attempt of ${what} landed but its answer was lost`, async () => {
    const file = await appliedFirst([filter('guard-one', 10)]);

    lossy = (m, u) => m === method && /\/safetyfilters\/[^/]+$/.test(u);
    const desired = desiredState({ filters: [...next] });
    const plan = buildPlan(desired, await readLiveState({ gateway: api }), { prune: true, allowMassDelete: true, target: 'proxy', git: {}, id: 'p', createdAt: '', tokens: versionTokens } as never);
    let audit = await openAuditLog(file, { env: {}, onWarning: () => undefined });
    const result = await executePlan(plan, api, { audit, correlations: createCorrelationTracker(), actor: 't', commit: null });
    await audit.close();
    expect(posts).toBe(3);
    const live = await readLiveState({ gateway: api });
    if (method === 'PUT') expect(live.filters[0]?.thresholds).toEqual({ pii: 0.8 });
    else expect(live.filters).toEqual([]);
    const records = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { type: string; outcome: string | null; planId: string });
    const outcome = records.find((r) => r.type === 'outcome' && r.planId === 'p');
    expect({ ok: result.ok, outcome: outcome?.outcome, detail: result.failed[0]?.detail ?? null }).toMatchObject({ ok: true, outcome: 'success' });
  });
}

it('says a write that every attempt was refused, and that the read finds absent, did not land (not an unknown outcome)', async () => {
  landsOn = Number.POSITIVE_INFINITY;
  const err = (await api.createFilter(filterBody('guard-one', 10)).catch((e: unknown) => e)) as { message: string; outcomeUnknown?: boolean };
  expect(err.message).toMatch(/gave up after 3 attempts/);
  expect(err.outcomeUnknown).toBeUndefined();
  expect((await readLiveState({ gateway: api })).filters).toEqual([]);
});

it('keeps the intent of a write whose outcome nobody knows open (no "failure" on record), for the next apply to settle from the org', async () => {
  const file = await appliedFirst([filter('guard-one', 10)]);

  // Every PUT of the filter lands on its third attempt with its answer lost, and from then on
  // every read fails too: whether the update landed cannot be found out in this run.
  let landed = false;
  lossy = (m, u) => {
    if (m === 'PUT' && /\/safetyfilters\/[^/]+$/.test(u)) return true;
    return false;
  };
  const original = proxy.listeners('request')[0] as (req: http.IncomingMessage, res: http.ServerResponse) => void;
  proxy.removeAllListeners('request');
  proxy.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (landed && req.method === 'GET') {
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'unavailable', code: 'service.unavailable', status: 503 }));
      return;
    }
    if (req.method === 'PUT' && posts + 1 >= landsOn) res.once('close', () => (landed = true));
    original(req, res);
  });
  const desired = desiredState({ filters: [filter('guard-one', 10, { thresholds: { pii: 0.8 } })] });
  const plan = buildPlan(desired, await readLiveState({ gateway: api }), { prune: false, target: 'proxy', git: {}, id: 'p', createdAt: '', tokens: versionTokens });
  let audit = await openAuditLog(file, { env: {}, onWarning: () => undefined });
  const result = await executePlan(plan, api, { audit, correlations: createCorrelationTracker(), actor: 't', commit: null });
  await audit.close();
  expect(landed).toBe(true);
  expect(result.ok).toBe(false);
  expect(result.failed[0]?.detail).toMatch(/could not read whether it landed: GET .*503/);
  expect(result.failed[0]?.detail).toMatch(/its audit outcome is unknown: the next apply reads what the org holds/);
  const records = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { type: string; outcome: string | null; planId: string; error?: string; correlationId: string | null });
  const mine = records.filter((r) => r.planId === 'p');
  // Not a "failure", which would claim it did not land: unknown, with the call's error and correlation id.
  expect(mine.map((r) => `${r.type}:${r.outcome}`)).toEqual(['intent:null', 'outcome:unknown']);
  expect(mine[1]!.error).toMatch(/could not read whether it landed/);
  expect(mine[1]!.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  // Its intent is the next apply's to settle at once (its run has said all it can), from the org.
  lossy = () => false;
  landed = false;
  audit = await openAuditLog(file, { env: {}, onWarning: () => undefined });
  expect(audit.pendingIntents().map((r) => r.address)).toEqual(['SafetyFilter/guard-one']);
  const live = await readLiveState({ gateway: api });
  const settled = await settleOpenIntents(audit, liveSnapshots(live), { org: null, by: { actor: 't', commit: null, planId: 'p2' } });
  await audit.close();
  expect(settled).toEqual([{ address: 'SafetyFilter/guard-one', outcome: 'succeeded (recovered)' }]);
  const verified = await verifyAuditFile(file, { key: null });
  expect(verified).toMatchObject({ ok: true, pending: [], unknown: [] });
});

it('records a read that failed before any write of the action as a failure: nothing of it was sent, so nothing is unknown', async () => {
  const file = await appliedFirst([filter('guard-one', 10), filter('guard-two', 20)]);
  // The delete's guard read (GET of the filter) is answered 503 every time.
  const plan = buildPlan(desiredState({ filters: [filter('guard-one', 10)] }), await readLiveState({ gateway: api }), { prune: true, target: 'proxy', git: {}, id: 'p', createdAt: '', tokens: versionTokens });
  const original = proxy.listeners('request')[0] as (req: http.IncomingMessage, res: http.ServerResponse) => void;
  proxy.removeAllListeners('request');
  proxy.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.method === 'GET' && /\/safetyfilters\/[^/?]+$/.test(req.url ?? '')) {
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'unavailable', code: 'service.unavailable', status: 503 }));
      return;
    }
    original(req, res);
  });
  let audit = await openAuditLog(file, { env: {}, onWarning: () => undefined });
  const result = await executePlan(plan, api, { audit, correlations: createCorrelationTracker(), actor: 't', commit: null });
  await audit.close();
  expect(result.ok).toBe(false);
  expect(result.failed[0]?.detail).not.toMatch(/unknown/);
  const records = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { type: string; outcome: string | null; planId: string });
  expect(records.filter((r) => r.planId === 'p').map((r) => `${r.type}:${r.outcome}`)).toEqual(['intent:null', 'outcome:failure']);
});
