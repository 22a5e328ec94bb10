// A safety-filter priority swap whose first step (a staged filter's PUT) fails. Refused (409: the
// filter was edited since the plan), it is reported as a conflict: the staging loop read `started`
// before its declaration, and apply crashed with no report. Not resent after an interrupt (503,
// 'unsent'), it is reported failed, since its call was sent: the staging loop took any
// `interrupted` as "not started".
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { executePlan } from '../../src/apply/executor.js';
import { openAuditLog, type AuditLog } from '../../src/audit/log.js';
import { verifyAuditFile } from '../../src/audit/verify.js';
import { ApiError } from '../../src/genesys/errors.js';
import type { GatewayApi } from '../../src/targets/llmgateway/api.js';
import { readLiveState } from '../../src/targets/live.js';
import type { DesiredState } from '../../src/model/types.js';
import { buildPlan } from '../../src/plan/build.js';
import { desiredState, filter } from '../helpers/desired.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { versionTokens } from '../../src/tokens/index.js';
import { createCorrelationTracker } from '../../src/apply/correlation.js';

let emu: TestEmulator;
let dir: TempDir;
let audit: AuditLog;
let auditFile: string;

beforeEach(async () => {
  emu = await startTestEmulator();
  dir = await tempDir('promptctl-swap-');
  auditFile = join(dir.path, 'audit.jsonl');
  audit = await openAuditLog(auditFile, { env: {}, onWarning: () => undefined });
});
afterEach(async () => {
  await audit.close();
  await emu.close();
  await dir.remove();
});

async function plan(desired: DesiredState) {
  const live = await readLiveState({ gateway: emu.api });
  return buildPlan(desired, live, { prune: false, target: 'test emulator', git: {}, id: `p-${Math.random()}`, createdAt: new Date().toISOString(), tokens: versionTokens });
}

describe('a staged filter whose PUT is not resent after the interrupt', () => {
  it('is reported failed (its call was sent), not as not started', async () => {
    const base = { audit, correlations: createCorrelationTracker(), actor: 'a', commit: null };
    const first = await executePlan(await plan(desiredState({ filters: [filter('alpha', 10), filter('beta', 20)] })), emu.api, base);
    expect(first.ok).toBe(true);
    const p = await plan(desiredState({ filters: [filter('alpha', 20), filter('beta', 10)] }));
    const stop = new AbortController();
    // The first filter update: the interrupt comes while it is in flight, it is answered 503 and not resent.
    let hit = false;
    const api = new Proxy(emu.api, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (prop !== 'updateFilter') return typeof v === 'function' ? v.bind(target) : v;
        return async (...args: unknown[]) => {
          if (hit) return (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          hit = true;
          stop.abort();
          const err = new ApiError('PUT /api/v2/llmgateway/safetyfilters/x failed: 503 service.unavailable; not resent after 1 attempt: interrupted, no new call is started', 503, 'service.unavailable', 'c-1', 'PUT', '/x');
          err.notResent = true;
          // A PUT answered 503 and not read for: the server may have applied it (as the transport says).
          err.outcomeUnknown = true;
          throw err;
        };
      },
    }) as GatewayApi;
    const r = await executePlan(p, api, { ...base, signal: stop.signal });
    expect(hit).toBe(true);
    expect(r.interrupted).toBe(true);
    expect(r.failed.map((f) => f.action.address), JSON.stringify({ failed: r.failed, notStarted: r.notStarted.map((a) => a.address) })).toHaveLength(1);
    expect(r.notStarted.map((a) => a.address)).not.toContain(r.failed[0]!.action.address);
  });
});

describe('a priority swap whose staging step fails', () => {
  it('is reported as a conflict (no crash), and the trail holds', async () => {
    const base = { audit, correlations: createCorrelationTracker(), actor: 'a', commit: null };
    const first = await executePlan(await plan(desiredState({ filters: [filter('alpha', 10), filter('beta', 20)] })), emu.api, base);
    expect(first.ok).toBe(true);
    const p = await plan(desiredState({ filters: [filter('alpha', 20), filter('beta', 10)] }));
    const staged = p.actions.filter((a) => 'stagePriority' in a && a.stagePriority !== undefined);
    expect(staged.length).toBeGreaterThan(0);
    // Someone edits every filter after the plan: the staged PUT's version guard no longer holds.
    for (const f of await emu.api.listFilters()) await emu.api.updateFilter(f.id, { ...f, description: 'edited by hand' } as never);

    const r = await executePlan(p, emu.api, base);
    expect(r.ok).toBe(false);
    expect(r.failed.map((f) => f.outcome)).toContain('conflict');
    expect(await verifyAuditFile(auditFile)).toMatchObject({ ok: true, pending: [] });
  });
});
