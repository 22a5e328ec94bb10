// Depth first counts a family open from its first write, not from a delete of it: a retire that
// runs before its template's writes (they wait for a filter that replaces a leaving one at the
// enabled-filter limit) holds no place, and the writes that follow are admitted like any family's.
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createCorrelationTracker } from '../../src/apply/correlation.js';
import { executePlan, type ApplyEvent } from '../../src/apply/executor.js';
import { openAuditLog, type AuditLog } from '../../src/audit/log.js';
import type { DesiredState } from '../../src/model/types.js';
import { buildPlan } from '../../src/plan/build.js';
import type { Plan } from '../../src/plan/types.js';
import { readLiveState } from '../../src/targets/live.js';
import { versionTokens } from '../../src/tokens/index.js';
import { desiredState, filter, split, template, version } from '../helpers/desired.js';
import { mostOpen } from '../helpers/apply-events.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let emu: TestEmulator;
let dir: TempDir;
let audit: AuditLog;
beforeEach(async () => {
  emu = await startTestEmulator();
  dir = await tempDir('promptctl-open-');
  audit = await openAuditLog(join(dir.path, 'audit.jsonl'), { env: {}, onWarning: () => undefined });
});
afterEach(async () => {
  await audit.close();
  await emu.close();
  await dir.remove();
});

let seq = 0;
async function plan(desired: DesiredState, prune = false): Promise<Plan> {
  seq += 1;
  return buildPlan(desired, await readLiveState({ gateway: emu.api }), { prune, target: 'emulator', git: {}, id: `p${seq}`, createdAt: '', tokens: versionTokens });
}
const run = (p: Plan, events: ApplyEvent[], concurrency: number) =>
  executePlan(p, emu.api, { audit, correlations: createCorrelationTracker(), actor: 'a', commit: 'c0ffee', concurrency, onProgress: (e) => events.push(e) });

it('families begun by a retire, whose writes wait for a leaving filter, stay within the limit', async () => {
  const names = ['t-0', 't-1', 't-2', 't-3', 't-4', 't-5'];
  const filters = Array.from({ length: 50 }, (_, i) => filter(`f-${String(i).padStart(2, '0')}`, i + 1));
  const first = desiredState({
    templates: names.map((n) => template(n)),
    versions: names.flatMap((n) => [version(n, '1.0.0'), version(n, '2.0.0')]),
    splits: names.map((n) => split(n, [['2.0.0', 100]])),
    filters,
  });
  expect((await run(await plan(first), [], 16)).ok).toBe(true);
  // At the limit of 50 enabled filters: f-00 leaves so g-new can arrive (g-new waits for its
  // delete); every template changes and gains a version, guarded by g-new; each retires its unrouted 1.0.0.
  const second = desiredState({
    templates: names.map((n) => template(n, { model: 'gpt-4o-mini' })),
    versions: names.flatMap((n) => [version(n, '2.0.0'), version(n, '3.0.0')]),
    splits: names.map((n) => split(n, [['2.0.0', 100]])),
    filters: [...filters.slice(1), filter('g-new', 60)],
  });
  const p = await plan(second, true);
  const events: ApplyEvent[] = [];
  const result = await run(p, events, 2);
  expect(result.failed.map((f) => f.detail)).toEqual([]);
  expect(result.ok).toBe(true);
  // Each template's retire runs first (its writes wait for g-new, which waits for f-00's delete).
  // Before, that retire opened its family: six were open, their writes then all began at once
  // (6 families with writes in flight at a limit of 2).
  expect(mostOpen(p, events).open).toBeLessThanOrEqual(2);
});
