// Two runs killed on one version, one publish job between them: the trail must credit that job to
// one run only. A run that created the version as a Draft and died, and a later run that planned
// its publish against that Draft and died too (no outcome, or a failure), were both settled
// `succeeded (recovered)` from the one Published version (a kill -9 loop's review): the later
// intent, whatever became of it, proves the earlier got only as far as the Draft. And two open
// publish intents of one Draft from two runs: only the latest may be the one that landed.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openAuditLog } from '../../src/audit/log.js';
import { liveSnapshots } from '../../src/kinds/index.js';
import { toWire as versionWire } from '../../src/kinds/PromptVersion/index.js';
import { readLiveState } from '../../src/targets/live.js';
import { loadProject } from '../../src/load/index.js';
import { runCliInProcess } from '../helpers/cli.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { appliedPromptSet, applyDyingAtItsIntents, trailOf } from '../helpers/killed-run.js';
import type { TempDir } from '../helpers/tmp.js';

let emu: TestEmulator;
let dir: TempDir;
beforeEach(async () => {
  ({ emu, dir } = await appliedPromptSet('promptctl-settle-later-intents-', { templates: 1, versions: 1 }));
});
afterEach(async () => {
  await emu.close();
  await dir.remove();
});

type Line = { seq: number; type: string; address: string; action: string; outcome: string | null; intent?: number; error?: string };
const VERSION = 'PromptVersion/tpl-00000@1.1.0';

/** Adds version 1.1.0 in git; returns the template's id and a maker of that version as a Draft, as a killed run's POST leaves it. */
async function newVersionInGit(): Promise<{ templateId: string; makeDraft: () => Promise<void> }> {
  const file = join(dir.path, 'prompts', 'templates', 'tpl-00000.yaml');
  await writeFile(file, (await readFile(file, 'utf8')) + '---\napiVersion: promptctl/v1\nkind: PromptVersion\nspec:\n  template: tpl-00000\n  version: "1.1.0"\n  systemInstruction: "Newer."\n  userTemplate: "Q: {{question}}"\n  variables:\n    - {name: question, type: string, maxLength: 80}\n');
  const { state } = await loadProject({ dir: 'prompts', cwd: dir.path });
  const templateId = (await emu.api.listTemplates({ name: 'tpl-00000' }))[0]!.id;
  const wire = versionWire(state!.versions.find((v) => v.template === 'tpl-00000' && v.version === '1.1.0')!);
  return { templateId, makeDraft: async () => void (await emu.api.createVersion(templateId, wire)) };
}

/** The next apply settles what the killed runs left; returns the trail and the version's intents. */
async function settledByNextApply(): Promise<{ lines: Line[]; intents: Line[] }> {
  const c = await runCliInProcess(['apply', '--auto-approve'], { cwd: dir.path, env: emu.env });
  expect(c.code, c.stderr).toBe(0);
  const lines = (await readFile(trailOf(dir), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Line);
  return { lines, intents: lines.filter((r) => r.type === 'intent' && r.address === VERSION) };
}
const outcomesOf = (lines: Line[], intent: Line) => lines.filter((r) => r.intent === intent.seq).map((r) => r.outcome);
const noteOf = (lines: Line[], intent: Line) => lines.find((r) => r.intent === intent.seq && r.outcome !== null)?.error;

it('a create that made only the Draft, and a later run’s publish planned against it, both open: one publish job, credited to the later run alone', async () => {
  const { templateId, makeDraft } = await newVersionInGit();
  await applyDyingAtItsIntents(emu, dir); // run A: its create's POST lands, then kill -9
  await makeDraft();
  await applyDyingAtItsIntents(emu, dir); // run B plans a publish against A's Draft, starts the job, kill -9
  await emu.api.publishVersion(templateId, '1.1.0');

  const { lines, intents } = await settledByNextApply();
  const [a, b] = intents;
  expect([a!.action, b!.action]).toEqual(['create', 'publish']);
  expect(outcomesOf(lines, a!)).toEqual(['not applied']);
  expect(noteOf(lines, a!)).toBe(
    `partly applied: the version holds the intended content as a Draft, not yet published when a later run's write (intent ${b!.seq}, no outcome yet) was planned against that: only a later run can have finished it`,
  );
  expect(outcomesOf(lines, b!)).toEqual(['succeeded (recovered)']);
});

it('a create settled by a run in between whose publish failed: that failed publish still proves the create stopped at the Draft', async () => {
  const { templateId, makeDraft } = await newVersionInGit();
  await applyDyingAtItsIntents(emu, dir); // run A: create, kill -9 after its POST
  await makeDraft();
  // Run B plans the publish against the Draft and records it failed.
  const log = await openAuditLog(trailOf(dir), { onWarning: () => undefined });
  const a = log.pendingIntents().find((i) => i.address === VERSION)!;
  const draft = liveSnapshots(await readLiveState({ gateway: emu.api })).get(VERSION)!;
  const failed = await log.intent({ actor: 'b', commit: null, planId: 'q', org: a.org, address: VERSION, action: 'publish', resourceId: templateId, before: draft, after: a.after });
  await log.outcome(failed, { outcome: 'failure', error: 'HTTP 500' });
  await log.close();
  await applyDyingAtItsIntents(emu, dir); // run C plans the publish against the Draft, kill -9 after starting the job
  await emu.api.publishVersion(templateId, '1.1.0');

  const { lines, intents } = await settledByNextApply();
  const [create, , publish] = intents;
  expect(outcomesOf(lines, create!)).toEqual(['not applied']);
  expect(noteOf(lines, create!)).toMatch(new RegExp(`^partly applied: .* \\(intent ${failed.seq}, outcome failure\\) was planned against that`));
  expect(outcomesOf(lines, publish!)).toEqual(['succeeded (recovered)']);
});

it('two runs’ open publishes of one Draft, one job: the latest is the one that landed, the other not applied naming it', async () => {
  const { templateId, makeDraft } = await newVersionInGit();
  await makeDraft();
  await applyDyingAtItsIntents(emu, dir);
  await applyDyingAtItsIntents(emu, dir);
  await emu.api.publishVersion(templateId, '1.1.0');

  const { lines, intents } = await settledByNextApply();
  const [first, second] = intents;
  expect([first!.action, second!.action]).toEqual(['publish', 'publish']);
  expect(outcomesOf(lines, first!)).toEqual(['not applied']);
  expect(noteOf(lines, first!)).toMatch(new RegExp(`^a later run's intent ${second!.seq}, the same change planned against the same state, is open too`));
  expect(outcomesOf(lines, second!)).toEqual(['succeeded (recovered)']);
  const verify = await runCliInProcess(['audit', 'verify'], { cwd: dir.path, env: emu.env });
  expect(verify.code, verify.stdout + verify.stderr).toBe(0);
});
