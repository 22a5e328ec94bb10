// A run killed right after each call (before its outcome) is settled by the next run from
// live state as `succeeded (recovered)`, for every kind of change an apply makes.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createCorrelationTracker } from '../../src/apply/correlation.js';
import { executePlan } from '../../src/apply/executor.js';
import { settle } from '../../src/apply/recovery.js';
import type { AuditIntentInput, AuditSnapshot, AuditState } from '../../src/audit/log.js';
import { liveSnapshots, midwayOf } from '../../src/kinds/index.js';
import { buildPlan } from '../../src/plan/build.js';
import { readLiveState } from '../../src/targets/live.js';
import { versionTokens } from '../../src/tokens/index.js';
import type { DesiredState } from '../../src/model/types.js';
import { desiredState, filter, split, template, version } from '../helpers/desired.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { applyPlan, planAgainst } from '../helpers/engine.js';

let emu: TestEmulator;
beforeEach(async () => {
  emu = await startTestEmulator();
});
afterEach(async () => {
  await emu.close();
});

const recorded = (s: AuditState | null | undefined): AuditSnapshot | null =>
  s ? { version: s.version ?? null, hash: s.hash ?? null, content: (s.content ?? null) as AuditSnapshot['content'] } : null;

it('every intent of a run killed after its call settles as succeeded (recovered)', async () => {
  const base: DesiredState = desiredState({
    templates: [template('alpha'), template('beta'), template('gone', { labels: {} })],
    versions: [version('alpha', '1.0.0'), version('beta', '1.0.0'), version('gone', '1.0.0')],
    splits: [split('alpha', [['1.0.0', 100]]), split('beta', [['1.0.0', 100]]), split('gone', [['1.0.0', 100]])],
    filters: [filter('f-one', 10), filter('f-two', 20), filter('f-old', 30)],
  });
  await applyPlan(await planAgainst(base, emu.api), emu.api);

  const next: DesiredState = desiredState({
    templates: [template('alpha', { description: 'changed' }), template('beta'), template('gamma')],
    versions: [
      version('alpha', '1.0.0'),
      version('alpha', '1.1.0'),
      version('beta', '1.0.0'),
      version('gamma', '1.0.0'),
    ],
    splits: [split('alpha', [['1.0.0', 50], ['1.1.0', 50]]), split('beta', [['1.0.0', 100]]), split('gamma', [['1.0.0', 100]])],
    // a priority swap and an update
    filters: [filter('f-one', 20), filter('f-two', 10, { thresholds: { pii: 0.7 } })],
  });
  const plan = buildPlan(next, await readLiveState({ gateway: emu.api }), { prune: true, allowMassDelete: true, target: 'emulator', git: {}, id: 'p', createdAt: '', tokens: versionTokens } as never);
  expect(plan.problems).toEqual([]);
  const intents: { address: string; action: string; before: AuditSnapshot | null; after: AuditSnapshot | null }[] = [];
  const audit = {
    intent: async (i: AuditIntentInput) => {
      const rec = { address: i.address, action: i.action, before: recorded(i.before), after: recorded(i.after) };
      intents.push(rec);
      return rec as never;
    },
    // killed after the call: no outcome ever written
    outcome: async () => ({}) as never,
  };
  const result = await executePlan(plan, emu.api, { audit: audit as never, correlations: createCorrelationTracker(), actor: 'a', commit: null });
  expect(result.failed.map((f) => f.detail)).toEqual([]);
  // Only the last intent per address is open after a kill at its call; check each as the next run would.
  const live = liveSnapshots(await readLiveState({ gateway: emu.api }));
  const last = new Map(intents.map((i) => [i.address, i]));
  const settled = [...last.values()].map((i) => `${i.address} ${i.action}: ${settle(i as never, live.get(i.address), midwayOf(i as never)).outcome}`);
  expect(settled.filter((s) => !s.endsWith('succeeded (recovered)'))).toEqual([]);
  expect(settled.length).toBeGreaterThan(8);
});
