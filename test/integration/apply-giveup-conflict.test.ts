// A write whose retries run out on answers of unknown outcome (503s) is read before it counts as
// failed. When that last read finds someone else's object (a name taken with other content, a
// version guard moved), the answer that never arrived would have been a 409: the call must end
// in that conflict, and apply must report and audit it as one, not as the 503 give-up (DESIGN §5).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { executePlan } from '../../src/apply/executor.js';
import { openAuditLog } from '../../src/audit/log.js';
import type { GatewayApi } from '../../src/targets/llmgateway/api.js';
import { readLiveState } from '../../src/targets/live.js';
import { buildPlan } from '../../src/plan/build.js';
import { desiredState, filter } from '../helpers/desired.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { unavailableProxy, type UnavailableProxy } from '../helpers/forward.js';
import { versionTokens } from '../../src/tokens/index.js';
import { createCorrelationTracker } from '../../src/apply/correlation.js';
import { filterBody, rejection, setup, type Env } from './client-support.js';

let env: Env;
/** Every write it picks is answered 503, nothing done; on the last attempt (the third), the other writer moves first. */
let proxy: UnavailableProxy;
/** Through the proxy. */
let api: GatewayApi;
/** Straight to the emulator: the other writer. */
let other: GatewayApi;
let dir: TempDir;
let picked: (method: string, url: string) => boolean = () => false;
let onLast: () => Promise<void> = async () => undefined;

beforeEach(async () => {
  env = await setup({ host: '127.0.0.1', publishDelayMs: 5 });
  picked = () => false;
  onLast = async () => undefined;
  proxy = await unavailableProxy(new URL(env.emulator.url), (m, u) => picked(m, u), (n) => (n === 3 ? onLast() : Promise.resolve()));
  api = env.client({ apiUrl: proxy.url, loginUrl: proxy.url, targetLabel: 'proxy', backoffBaseMs: 1, backoffCapMs: 5, maxRetries: 2 });
  other = env.client();
  dir = await tempDir('promptctl-giveup-conflict-');
});
afterEach(async () => {
  await proxy.close();
  await env.close();
  await dir.remove();
});

async function applyAudited(desired: ReturnType<typeof desiredState>, planId: string) {
  const plan = buildPlan(desired, await readLiveState({ gateway: api }), { prune: false, target: 'proxy', git: {}, id: planId, createdAt: '', tokens: versionTokens });
  const file = join(dir.path, 'audit.jsonl');
  const audit = await openAuditLog(file, { env: {}, onWarning: () => undefined });
  const result = await executePlan(plan, api, { audit, correlations: createCorrelationTracker(), actor: 't', commit: null });
  await audit.close();
  const records = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { type: string; outcome: string | null; planId: string });
  return { result, outcome: records.find((r) => r.type === 'outcome' && r.planId === planId)?.outcome };
}

it('ends a create whose last read finds the name taken with other content in a 409 duplicate.name', async () => {
  picked = (m, u) => m === 'POST' && /\/safetyfilters$/.test(u);
  onLast = async () => void (await other.createFilter(filterBody('guard-one', 20, { thresholds: { pii: 0.9 } })));
  const err = await rejection(api.createFilter(filterBody('guard-one', 10)));
  expect(proxy.answered()).toBe(3);
  expect({ status: err.status, code: err.code, outcomeUnknown: err.outcomeUnknown }).toEqual({ status: 409, code: 'duplicate.name', outcomeUnknown: undefined });
});

it('ends a guarded update whose last read finds the version moved by someone else in a 409 version.mismatch', async () => {
  const created = await other.createFilter(filterBody('guard-one', 10));
  picked = (m, u) => m === 'PUT' && /\/safetyfilters\/[^/]+$/.test(u);
  onLast = async () => void (await other.updateFilter(created.id, { ...filterBody('guard-one', 10, { thresholds: { pii: 0.9 } }), version: created.version }));
  const err = await rejection(api.updateFilter(created.id, { ...filterBody('guard-one', 10, { thresholds: { pii: 0.8 } }), version: created.version }));
  expect(proxy.answered()).toBe(3);
  expect({ status: err.status, code: err.code, outcomeUnknown: err.outcomeUnknown }).toEqual({ status: 409, code: 'version.mismatch', outcomeUnknown: undefined });
});

it('reports and audits that create as a conflict', async () => {
  picked = (m, u) => m === 'POST' && /\/safetyfilters$/.test(u);
  onLast = async () => void (await other.createFilter(filterBody('guard-one', 20, { thresholds: { pii: 0.9 } })));
  const { result, outcome } = await applyAudited(desiredState({ filters: [filter('guard-one', 10)] }), 'p');
  expect({ ok: result.ok, outcome, detail: result.failed[0]?.detail }).toEqual({
    ok: false,
    outcome: 'conflict',
    detail: 'SafetyFilter/guard-one already exists on the target (created since the plan) [duplicate.name]; run plan again',
  });
});

it('reports and audits that update as a conflict', async () => {
  const created = await other.createFilter(filterBody('guard-one', 10));
  picked = (m, u) => m === 'PUT' && /\/safetyfilters\/[^/]+$/.test(u);
  onLast = async () => void (await other.updateFilter(created.id, { ...filterBody('guard-one', 10, { thresholds: { pii: 0.9 } }), version: created.version }));
  const { result, outcome } = await applyAudited(desiredState({ filters: [filter('guard-one', 10, { thresholds: { pii: 0.8 } })] }), 'p');
  expect({ ok: result.ok, outcome, detail: result.failed[0]?.detail }).toEqual({
    ok: false,
    outcome: 'conflict',
    detail: 'SafetyFilter/guard-one changed on the target since the plan [version.mismatch]; run plan again',
  });
});
