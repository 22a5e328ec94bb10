// Apply through the real client against an emulator that fails 15 % of calls with the faults the
// client retries (502/503, connections dropped before or after the work; not a 500): one apply
// converges, with one success record per change and no duplicates.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { executePlan } from '../../src/apply/executor.js';
import { openAuditLog } from '../../src/audit/log.js';
import { verifyAuditFile } from '../../src/audit/verify.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import type { GatewayApi } from '../../src/targets/llmgateway/api.js';
import { createGatewayClient } from '../../src/targets/llmgateway/client.js';
import { readLiveState } from '../../src/targets/live.js';
import { buildPlan } from '../../src/plan/build.js';
import { desiredState, filter, manyTemplates } from '../helpers/desired.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { gatewayWriteChecks } from '../../src/kinds/index.js';
import { versionTokens } from '../../src/tokens/index.js';
import { createCorrelationTracker } from '../../src/apply/correlation.js';
import { RETRIED_FAULTS } from '../helpers/emulator.js';

let emulator: RunningEmulator;
let api: GatewayApi;
let dir: TempDir;

beforeEach(async () => {
  emulator = await startEmulator({ port: 0, host: '127.0.0.1', faultRate: 0.15, faultKinds: RETRIED_FAULTS, seed: Number(process.env.FAULT_SEED ?? 4242), publishDelayMs: 5 });
  api = createGatewayClient({ landed: gatewayWriteChecks,
    apiUrl: emulator.url,
    loginUrl: emulator.url,
    clientId: 'local-client',
    clientSecret: 'local-secret',
    targetLabel: 'faulty emulator',
    backoffBaseMs: 5,
    backoffCapMs: 50,
    maxRetries: 20,
  });
  dir = await tempDir('promptctl-faults-');
});
afterEach(async () => {
  await api.close();
  await emulator.close();
  await dir.remove();
});

describe('apply under faults', () => {
  it('converges in one apply with exactly one success record per change', async () => {
    const desired = manyTemplates(20);
    desired.filters = [filter('guard-one', 10), filter('guard-two', 20, { enabled: false })];
    const plan = buildPlan(desired, await readLiveState({ gateway: api }), {
      prune: false,
      target: 'faulty emulator',
      git: {},
      id: 'fault-plan',
      createdAt: new Date().toISOString(),
    tokens: versionTokens,
    });
    const changes = plan.actions.filter((a) => a.action !== 'noop');
    expect(changes).toHaveLength(62);

    const file = join(dir.path, 'audit.jsonl');
    const audit = await openAuditLog(file, { env: {}, onWarning: () => undefined });
    const result = await executePlan(plan, api, { audit, correlations: createCorrelationTracker(), actor: 'faults', commit: null });
    await audit.close();
    expect(result.failed.map((f) => `${f.action.address}: ${f.detail}`)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(emulator.stats().faults).not.toEqual({});

    const live = await readLiveState({ gateway: api });
    expect(live.templates).toHaveLength(20);
    expect(new Set(live.templates.map((t) => t.name)).size).toBe(20);
    expect(live.templates.every((t) => t.versions?.length === 1 && t.versions[0]!.state === 'Published')).toBe(true);
    expect(live.filters.map((f) => f.name).sort()).toEqual(['guard-one', 'guard-two']);
    const again = buildPlan(desired, live, { prune: false, target: 'x', git: {}, id: 'again', createdAt: '', tokens: versionTokens });
    expect(again.summary).toMatchObject({ create: 0, update: 0, delete: 0 });

    const all = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const records = all.filter((r) => r.type === 'outcome');
    expect(records.filter((r) => r.outcome === 'success').map((r) => r.address).sort()).toEqual(changes.map((a) => a.address).sort());
    expect(records).toHaveLength(changes.length);
    expect(await verifyAuditFile(file)).toMatchObject({ ok: true, records: 2 * changes.length, pending: [] });
  });

  it('a second apply of the same desired state after a fresh plan changes nothing', async () => {
    const desired = desiredState({ filters: [filter('only-one', 15)] });
    const mk = async (id: string) =>
      buildPlan(desired, await readLiveState({ gateway: api }), { prune: false, target: 'x', git: {}, id, createdAt: '', tokens: versionTokens });
    const audit = await openAuditLog(join(dir.path, 'a.jsonl'), { env: {}, onWarning: () => undefined });
    expect((await executePlan(await mk('one'), api, { audit, correlations: createCorrelationTracker(), actor: 'a', commit: null })).ok).toBe(true);
    const second = await executePlan(await mk('two'), api, { audit, correlations: createCorrelationTracker(), actor: 'a', commit: null });
    await audit.close();
    expect(second.succeeded).toEqual([]);
    expect(second.ok).toBe(true);
  });
});
