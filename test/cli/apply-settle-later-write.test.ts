// A run on runner A dies at its intent (the write never made); the next CI run, on runner B within
// the hour, does not settle it (another host's) and makes the same write itself; a run after the
// hour settles A's intent. The live object then holds what A meant, but B put it there: the trail
// shows B's write planned against the state A's was, so A's never landed (a review's repro), or,
// where A's calls had made a Draft before it died, planned against that Draft: A got that far and
// B finished it (or removed it: then the record must not say B finished it).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';

const host = vi.hoisted(() => ({ name: 'runner-a' }));
vi.mock('node:os', async (orig) => {
  const os = await orig<typeof import('node:os')>();
  return { ...os, default: { ...os, hostname: () => host.name }, hostname: () => host.name };
});

import { toWire as versionWire } from '../../src/kinds/PromptVersion/index.js';
import { loadProject } from '../../src/load/index.js';
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

type Line = { seq: number; type: string; address: string; planId: string; action: string; outcome: string | null; intent?: number; error?: string };
const DRAFT = 'PromptVersion/tpl-00000@1.1.0';

/**
 * Runner A's apply of a new version dies after its POST landed (the version a Draft, never
 * published); `meanwhile` is runner B's apply within the hour; runner C settles A's intent after
 * the hour. Returns C's stderr, the trail, and A's and B's intents on the version.
 */
async function draftLeftThenSettled(meanwhile: (file: string, original: string) => Promise<void>) {
  const file = join(dir.path, 'prompts', 'templates', 'tpl-00000.yaml');
  const original = await readFile(file, 'utf8');
  await writeFile(file, original + '---\napiVersion: promptctl/v1\nkind: PromptVersion\nspec:\n  template: tpl-00000\n  version: "1.1.0"\n  systemInstruction: "Newer."\n  userTemplate: "Q: {{question}}"\n  variables:\n    - {name: question, type: string, maxLength: 80}\n');
  host.name = 'runner-a';
  await applyDyingAtItsIntents(emu, dir);
  const { state } = await loadProject({ dir: 'prompts', cwd: dir.path });
  const t = (await emu.api.listTemplates({ name: 'tpl-00000' }))[0]!;
  await emu.api.createVersion(t.id, versionWire(state!.versions.find((v) => v.template === 'tpl-00000' && v.version === '1.1.0')!));

  host.name = 'runner-b';
  await meanwhile(file, original);

  host.name = 'runner-c';
  vi.setSystemTime(new Date(Date.now() + 2 * 3600_000));
  const c = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env });
  expect(c.code, c.stderr).toBe(0);
  const lines = (await readFile(trail(), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Line);
  const intentA = lines.find((r) => r.type === 'intent' && r.address === DRAFT && r.planId === 'p')!;
  const intentB = lines.find((r) => r.type === 'intent' && r.address === DRAFT && r.seq > intentA.seq)!;
  return { stderr: c.stderr, lines, intentA, intentB };
}

it('a version the dead run created as a Draft, published by the next run within the hour, is settled as partly applied (not applied), not credited with the whole create', async () => {
  const { stderr, lines, intentA, intentB } = await draftLeftThenSettled(async () => {
    const b = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env });
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).not.toContain('from an earlier run');
  });
  expect(stderr).toContain(`audit: ${DRAFT} from an earlier run: not applied`);
  const settled = lines.filter((r) => r.intent === intentA.seq);
  expect(settled.map((r) => r.outcome)).toEqual(['not applied']);
  expect(settled[0]!.error).toMatch(
    new RegExp(`^partly applied: the version holds the intended content as a Draft, not yet published when a later run's write \\(intent ${intentB.seq}\\), planned against that, succeeded \\(record \\d+\\) and finished it$`),
  );
  expect(lines.filter((r) => r.intent === intentB.seq).map((r) => r.outcome)).toEqual(['success']);
});

it('a Draft the dead run left, retired by the next run within the hour, is not said to be finished by that run', async () => {
  const { lines, intentA, intentB } = await draftLeftThenSettled(async (file, original) => {
    // The change is reverted in git; runner B retires the Draft.
    await writeFile(file, original);
    const b = await runCliInProcess(['apply', '--auto-approve', '--prune'], { cwd: dir.path, env: emu.env });
    expect(b.code, b.stderr).toBe(0);
  });
  expect(intentB.action).toBe('retire');
  const settled = lines.filter((r) => r.intent === intentA.seq);
  expect(settled.map((r) => r.outcome)).toEqual(['not applied']);
  // B retired the Draft: it did not finish (publish) A's write.
  expect(settled[0]!.error).toMatch(
    new RegExp(`^partly applied: the version holds the intended content as a Draft, not yet published when a later run's removal \\(intent ${intentB.seq}\\), planned against that, succeeded \\(record \\d+\\) and removed it$`),
  );
});
