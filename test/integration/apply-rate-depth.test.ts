// Depth first under a rate limit: a template begins only while the window can still finish it
// beside those begun, so the templates half made at any moment are about what one window holds,
// and when the window runs out (the apply then waits for its reset) at most one is half made: an
// interrupt there leaves whole, usable templates. Before, every template concurrency let begin
// (16) was begun in the first window and waited half made for the next.
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createCorrelationTracker } from '../../src/apply/correlation.js';
import { executePlan, type ApplyEvent } from '../../src/apply/executor.js';
import { openAuditLog, type AuditLog } from '../../src/audit/log.js';
import { buildPlan } from '../../src/plan/build.js';
import { readLiveState } from '../../src/targets/live.js';
import { versionTokens } from '../../src/tokens/index.js';
import { desiredState, split, template, version } from '../helpers/desired.js';
import { mostOpen } from '../helpers/apply-events.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let emu: TestEmulator;
let dir: TempDir;
let audit: AuditLog;
beforeEach(async () => {
  // 40 requests a window (of one second, to keep the test short); a template with two versions
  // and a split takes about 7 (a create, two creates with their publish jobs, a share of the
  // listings that confirm them, the split).
  emu = await startTestEmulator({ rateLimit: 40, rateWindowMs: 1_000 });
  dir = await tempDir('promptctl-rate-depth-');
  audit = await openAuditLog(join(dir.path, 'audit.jsonl'), { env: {}, onWarning: () => undefined });
});
afterEach(async () => {
  await audit.close();
  await emu.close();
  await dir.remove();
});

it('under a rate limit, begins a template only while the window can still finish it', async () => {
  const names = Array.from({ length: 20 }, (_, i) => `t-${String(i).padStart(3, '0')}`);
  const desired = desiredState({
    templates: names.map((n) => template(n)),
    versions: names.flatMap((n) => [version(n, '1.0.0'), version(n, '1.1.0')]),
    splits: names.map((n) => split(n, [['1.0.0', 50], ['1.1.0', 50]])),
  });
  const plan = buildPlan(desired, await readLiveState({ gateway: emu.api }), { prune: false, target: 'emulator', git: {}, id: 'p', createdAt: '', tokens: versionTokens });
  const events: ApplyEvent[] = [];
  const result = await executePlan(plan, emu.api, { audit, correlations: createCorrelationTracker(), actor: 'a', commit: null, concurrency: 16, onProgress: (e) => events.push(e) });
  expect(result.ok).toBe(true);
  expect(result.succeeded).toHaveLength(80);
  const most = mostOpen(plan, events).open;
  // About what one window holds (40 ÷ 7, and the one begun on what is left), never the 16 concurrency allows.
  expect(most).toBeGreaterThanOrEqual(2);
  expect(most).toBeLessThanOrEqual(7);
});
