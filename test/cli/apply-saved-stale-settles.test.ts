// An apply of a saved plan that is refused as stale still settles what an interrupted earlier
// run left open: the refusal came first, and the open records waited for an apply that went ahead
// (a review's repro: kill -9 of `apply plan.json`, then `apply plan.json` again, stale by then).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { appliedPromptSet, applyDyingAtItsIntents, trailOf } from '../helpers/killed-run.js';
import type { TempDir } from '../helpers/tmp.js';

let emu: TestEmulator;
let dir: TempDir;
beforeEach(async () => {
  ({ emu, dir } = await appliedPromptSet('promptctl-saved-stale-settles-', { templates: 1, versions: 1, filters: 1 }));
});
afterEach(async () => {
  await emu.close();
  await dir.remove();
});

it('settles the open records of an interrupted run before it refuses a stale saved plan', async () => {
  const file = join(dir.path, 'prompts', 'safety-filters.yaml');
  await writeFile(file, (await readFile(file, 'utf8')).replace('falsePositiveTolerance: 0.05', 'falsePositiveTolerance: 0.1'));
  const planned = await runCliInProcess(['plan', '--out', 'plan.json'], { cwd: dir.path, env: emu.env });
  expect(planned.code, planned.stderr).toBe(0);
  // The run dies at its intent: the filter's update is on record, open, and never made.
  await applyDyingAtItsIntents(emu, dir);
  // Someone changes the filter by hand meanwhile: the saved plan is stale.
  const [live] = await emu.api.listFilters();
  await emu.api.updateFilter(live!.id, { ...live!, description: 'changed by hand', version: live!.version });

  const r = await runCliInProcess(['apply', 'plan.json'], { cwd: dir.path, env: emu.env });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('plan.json is stale');
  expect(r.stderr).toContain('audit: SafetyFilter/filter-000 from an earlier run: not applied');
  const lines = (await readFile(trailOf(dir), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { type: string; intent?: number; outcome?: string | null; planId?: string });
  const intent = lines.find((l) => l.type === 'intent' && l.planId === 'p')!;
  expect(lines.filter((l) => l.intent !== undefined && l.intent === (intent as { seq?: number }).seq).map((l) => l.outcome)).toEqual(['not applied']);
});
