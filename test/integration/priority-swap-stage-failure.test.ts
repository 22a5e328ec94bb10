// a priority swap whose first step fails (the filter was edited since the plan: 409
// version.mismatch). The staging loop calls finishedIn(a), which reads `started`, a const declared
// after the loop: executePlan throws "Cannot access 'started' before initialization" instead of
// reporting a conflict (apply crashes, no report, no "plan again").
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { executePlan } from '../../src/apply/executor.js';
import { openAuditLog, type AuditLog } from '../../src/audit/log.js';
import { verifyAuditFile } from '../../src/audit/verify.js';
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
