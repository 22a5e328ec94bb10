// A run killed between its audit intents and its calls, for tests of settling: the org applied
// as a set of generated prompts, and an apply of git as it now is whose every call dies right
// after its intent is durable (a kill -9 between the intent and the request). And a saved plan's
// apply killed part way (`apply plan.json` killed -9 while its last changes were under way).
import { join } from 'node:path';
import { expect } from 'vitest';
import type { AuditRecord, AuditResult } from '../../src/audit/log.js';
import { readPlanFile } from '../../src/cli/plan-file.js';
import type { PlanAction } from '../../src/kinds/action.js';
import { createCorrelationTracker } from '../../src/apply/correlation.js';
import { executePlan } from '../../src/apply/executor.js';
import { openAuditLog, type AuditIntentInput } from '../../src/audit/log.js';
import { loadProject } from '../../src/load/index.js';
import { buildPlan } from '../../src/plan/build.js';
import { readLiveState } from '../../src/targets/live.js';
import { versionTokens } from '../../src/tokens/index.js';
import { generatePromptSet } from '../../bench/generate.mjs';
import { runCliInProcess } from './cli.js';
import { startTestEmulator, type TestEmulator } from './emulator.js';
import type { EmulatorOptions } from '../../src/emulator/server.js';
import { tempDir, type TempDir } from './tmp.js';

/** An emulator and a directory of generated prompts (`generatePromptSet`'s options), applied once. */
export async function appliedPromptSet(prefix: string, set: { templates: number; versions?: number; filters?: number }, emulator: EmulatorOptions = {}): Promise<{ emu: TestEmulator; dir: TempDir }> {
  const emu = await startTestEmulator(emulator);
  const dir = await tempDir(prefix);
  await generatePromptSet(join(dir.path, 'prompts'), set);
  const first = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env });
  expect(first.code, first.stderr).toBe(0);
  return { emu, dir };
}

/** The default audit trail of a directory. */
export const trailOf = (dir: TempDir): string => join(dir.path, '.promptctl', 'audit.jsonl');

/**
 * Applies what `dir/prompts` holds (plan id `p`) with every call dying right after its intent is
 * durable. `unknownOutcome`: the run first records the outcome as unknown (as when its answer is
 * lost and no read can tell), which leaves the intent open too. `at`: when its records say it ran (default now).
 */
export async function applyDyingAtItsIntents(emu: TestEmulator, dir: TempDir, opts: { prune?: boolean; unknownOutcome?: boolean; at?: Date } = {}): Promise<void> {
  const { state } = await loadProject({ dir: 'prompts', cwd: dir.path });
  const plan = buildPlan(state!, await readLiveState({ gateway: emu.api }), { prune: opts.prune ?? false, target: 'emulator', git: {}, id: 'p', createdAt: '', tokens: versionTokens });
  const at = opts.at;
  const log = await openAuditLog(trailOf(dir), { onWarning: () => undefined, ...(at ? { now: () => at } : {}) });
  const dying = {
    intent: async (i: AuditIntentInput) => {
      const rec = await log.intent(i);
      if (opts.unknownOutcome) await log.outcome(rec, { outcome: 'unknown', error: 'its answer was lost' });
      return Promise.reject(new Error('killed'));
    },
    outcome: log.outcome,
  };
  await executePlan(plan, emu.api, { audit: dying as never, correlations: createCorrelationTracker(), actor: 'a', commit: null });
  await log.close();
}

/**
 * Applies the saved plan `file` (in `dir`) as a run killed -9 part way leaves it: only the actions
 * `ran` picks start (the rest never do), and those `open` picks (by address) land but get no
 * outcome record, their intents left open for the next apply to settle (`succeeded (recovered)`).
 */
export async function applySavedPlanKilled(
  emu: TestEmulator,
  dir: TempDir,
  file: string,
  /** `dies` (by address): the kill came right after its intent was durable, before its call. */
  opts: { ran: (a: PlanAction) => boolean; open: (address: string) => boolean; dies?: (address: string) => boolean },
): Promise<void> {
  const saved = await readPlanFile(join(dir.path, file), file);
  const log = await openAuditLog(trailOf(dir), { onWarning: () => undefined });
  const killed = {
    intent: async (i: AuditIntentInput) => {
      const rec = await log.intent(i);
      if (opts.dies?.(i.address)) throw new Error('killed');
      return rec;
    },
    // The kill came before this outcome was written.
    outcome: async (intent: AuditRecord, result: AuditResult) => (opts.open(intent.address) ? intent : log.outcome(intent, result)),
  };
  const result = await executePlan({ ...saved, actions: saved.actions.filter(opts.ran) }, emu.api, { audit: killed as never, correlations: createCorrelationTracker(), actor: 'a', commit: null });
  if (!opts.dies) expect(result.failed.map((f) => f.detail)).toEqual([]);
  await log.close();
}
