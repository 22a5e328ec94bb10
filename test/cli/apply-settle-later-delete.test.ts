// A later run's delete planned against a state the dead run's write left midway proves that write
// got only that far, but it did not finish it: the record must not say the later run finished it.
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
  ({ emu, dir } = await appliedPromptSet('promptctl-settle-later-delete-', { templates: 1, versions: 1, filters: 1 }));
});
afterEach(async () => {
  vi.useRealTimers();
  await emu.close();
  await dir.remove();
});

it('a Draft the dead run left, retired by the next run within the hour, is not said to be finished by that run', async () => {
  const file = join(dir.path, 'prompts', 'templates', 'tpl-00000.yaml');
  const original = await readFile(file, 'utf8');
  await writeFile(file, original + '---\napiVersion: promptctl/v1\nkind: PromptVersion\nspec:\n  template: tpl-00000\n  version: "1.1.0"\n  systemInstruction: "Newer."\n  userTemplate: "Q: {{question}}"\n  variables:\n    - {name: question, type: string, maxLength: 80}\n');
  host.name = 'runner-a';
  await applyDyingAtItsIntents(emu, dir);
  // A's POST landed before it died: the version is a Draft, never published.
  const { state } = await loadProject({ dir: 'prompts', cwd: dir.path });
  const t = (await emu.api.listTemplates({ name: 'tpl-00000' }))[0]!;
  await emu.api.createVersion(t.id, versionWire(state!.versions.find((v) => v.template === 'tpl-00000' && v.version === '1.1.0')!));

  // The change is reverted in git; runner B, within the hour, retires the Draft.
  await writeFile(file, original);
  host.name = 'runner-b';
  const b = await runCliInProcess(['apply', '--auto-approve', '--prune'], { cwd: dir.path, env: emu.env });
  expect(b.code, b.stderr).toBe(0);
  expect((await emu.api.listVersions(t.id)).map((v) => v.version)).not.toContain('1.1.0');

  host.name = 'runner-c';
  vi.setSystemTime(new Date(Date.now() + 2 * 3600_000));
  const c = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env });
  expect(c.code, c.stderr).toBe(0);
  type Line = { seq: number; type: string; address: string; planId: string; action: string; outcome: string | null; intent?: number; error?: string };
  const lines = (await readFile(trailOf(dir), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Line);
  const intentA = lines.find((r) => r.type === 'intent' && r.address === 'PromptVersion/tpl-00000@1.1.0' && r.planId === 'p')!;
  const intentB = lines.find((r) => r.type === 'intent' && r.address === 'PromptVersion/tpl-00000@1.1.0' && r.seq > intentA.seq)!;
  expect(intentB.action).toBe('retire');
  const settled = lines.filter((r) => r.intent === intentA.seq);
  expect(settled.map((r) => r.outcome)).toEqual(['not applied']);
  // B retired the Draft: it did not finish (publish) A's write.
  expect(settled[0]!.error).toMatch(
    new RegExp(`^partly applied: the version holds the intended content as a Draft, not yet published when a later run's removal \\(intent ${intentB.seq}\\), planned against that, succeeded \\(record \\d+\\) and removed it$`),
  );
});
