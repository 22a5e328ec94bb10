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

import { runCliInProcess } from '../helpers/cli.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { appliedPromptSet, applyDyingAtItsIntents, trailOf } from '../helpers/killed-run.js';
import type { TempDir } from '../helpers/tmp.js';

let emu: TestEmulator;
let dir: TempDir;
beforeEach(async () => {
  ({ emu, dir } = await appliedPromptSet('promptctl-settle-later-write-', { templates: 1, versions: 1, filters: 1 }));
});
afterEach(async () => {
  vi.useRealTimers();
  await emu.close();
  await dir.remove();
});
const trail = () => trailOf(dir);


it('a write that never landed, made by the next run within the hour, is settled "not applied", not credited to the dead run', async () => {
  const file = join(dir.path, 'prompts', 'safety-filters.yaml');
  await writeFile(file, (await readFile(file, 'utf8')).replace('falsePositiveTolerance: 0.05', 'falsePositiveTolerance: 0.1'));
  host.name = 'runner-a';
  await applyDyingAtItsIntents(emu, dir);
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
