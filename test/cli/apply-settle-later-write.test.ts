// A run on runner A dies at its intent (the write never made); the next CI run, on runner B within
// the hour, does not settle it (another host's) and makes the same write itself; a run after the
// hour settles A's intent. The live object then holds what A meant, but B put it there: the trail
// shows B's write planned against the state A's was, so A's never landed (a review's repro).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';

const host = vi.hoisted(() => ({ name: 'runner-a' }));
vi.mock('node:os', async (orig) => {
  const os = await orig<typeof import('node:os')>();
  return { ...os, default: { ...os, hostname: () => host.name }, hostname: () => host.name };
});

import { createCorrelationTracker } from '../../src/apply/correlation.js';
import { executePlan } from '../../src/apply/executor.js';
import { openAuditLog, type AuditIntentInput } from '../../src/audit/log.js';
import { loadProject } from '../../src/load/index.js';
import { buildPlan } from '../../src/plan/build.js';
import { versionTokens } from '../../src/tokens/index.js';
import { readLiveState } from '../../src/targets/live.js';
import { runCliInProcess } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { generatePromptSet } from '../../bench/generate.mjs';
import { tempDir, type TempDir } from '../helpers/tmp.js';

let emu: TestEmulator;
let dir: TempDir;
beforeEach(async () => {
  host.name = 'runner-0';
  emu = await startTestEmulator();
  dir = await tempDir('promptctl-review-host-');
  await generatePromptSet(join(dir.path, 'prompts'), { templates: 1, versions: 1, filters: 1 });
  const first = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env });
  expect(first.code, first.stderr).toBe(0);
});
afterEach(async () => {
  vi.useRealTimers();
  await emu.close();
  await dir.remove();
});
const trail = () => join(dir.path, '.promptctl', 'audit.jsonl');

async function runDyingAtItsIntents(): Promise<void> {
  const { state } = await loadProject({ dir: 'prompts', cwd: dir.path });
  const plan = buildPlan(state!, await readLiveState({ gateway: emu.api }), { prune: false, target: 'emulator', git: {}, id: 'p', createdAt: '', tokens: versionTokens });
  const log = await openAuditLog(trail(), { onWarning: () => undefined });
  const dying = { intent: async (i: AuditIntentInput) => { await log.intent(i); return Promise.reject(new Error('killed')); }, outcome: log.outcome };
  await executePlan(plan, emu.api, { audit: dying as never, correlations: createCorrelationTracker(), actor: 'a', commit: null });
  await log.close();
}

it('a write that never landed, made by the next run within the hour, is settled "not applied", not credited to the dead run', async () => {
  const file = join(dir.path, 'prompts', 'safety-filters.yaml');
  await writeFile(file, (await readFile(file, 'utf8')).replace('falsePositiveTolerance: 0.05', 'falsePositiveTolerance: 0.1'));
  host.name = 'runner-a';
  await runDyingAtItsIntents();
  expect((await emu.api.listFilters())[0]!.version).toBe(1); // A's PUT was never made

  host.name = 'runner-b';
  const b = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env });
  expect(b.code, b.stderr).toBe(0);
  expect(b.stderr).not.toContain('from an earlier run');
  expect((await emu.api.listFilters())[0]!.version).toBe(2); // B's PUT made it

  host.name = 'runner-c';
  vi.setSystemTime(new Date(Date.now() + 2 * 3600_000));
  const c = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env });
  expect(c.code, c.stderr).toBe(0);
  expect(c.stderr).toContain('audit: SafetyFilter/filter-000 from an earlier run: not applied');
  type Line = { seq: number; type: string; address: string; planId: string; outcome: string | null; intent?: number; error?: string; before: { version?: unknown } | null };
  const lines = (await readFile(trail(), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Line);
  const intentA = lines.find((r) => r.type === 'intent' && r.address === 'SafetyFilter/filter-000' && r.planId === 'p')!;
  const intentB = lines.find((r) => r.type === 'intent' && r.address === 'SafetyFilter/filter-000' && r.seq > intentA.seq)!;
  expect(intentB.before?.version).toBe(intentA.before?.version);
  const settled = lines.filter((r) => r.intent === intentA.seq);
  expect(settled.map((r) => r.outcome)).toEqual(['not applied']);
  expect(settled[0]!.error).toMatch(new RegExp(`a later run's write \\(intent ${intentB.seq}\\) was planned against the same state and succeeded \\(record \\d+\\): this one never landed`));
  // B's own records stand: one write, one success.
  expect(lines.filter((r) => r.intent === intentB.seq).map((r) => r.outcome)).toEqual(['success']);
});
