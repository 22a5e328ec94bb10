// A Draft that git edits is PATCHed and published. The plan recorded the Draft's content
// hash as its guard; if someone edits the Draft after the plan, the PATCH must not silently
// overwrite their edit (and publish): it is a clean conflict, as a publish-only or a retire is.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { toWire as versionWire, contentHash } from '../../src/kinds/PromptVersion/index.js';
import { desiredState, split, template, version } from '../helpers/desired.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { applyPlan, planAgainst } from '../helpers/engine.js';

let emu: TestEmulator;
beforeEach(async () => {
  emu = await startTestEmulator();
});
afterEach(async () => {
  await emu.close();
});

it('refuses to PATCH and publish a Draft edited by someone else since the plan', async () => {
  const desired = desiredState({ templates: [template('alpha')], versions: [version('alpha', '1.0.0')], splits: [split('alpha', [['1.0.0', 100]])] });
  await applyPlan(await planAgainst(desired, emu.api), emu.api);
  const t = (await emu.api.listTemplates({ name: 'alpha' }))[0]!;
  const git = version('alpha', '1.1.0');
  // A hand-made Draft of 1.1.0 with a temperature git does not set.
  await emu.api.createVersion(t.id, { ...versionWire(git), temperature: 0.5 });
  desired.versions.push(git);
  desired.splits = [split('alpha', [['1.0.0', 50], ['1.1.0', 50]])];

  const plan = await planAgainst(desired, emu.api);
  const action = plan.actions.find((a) => a.address === 'PromptVersion/alpha@1.1.0')!;
  expect(action.action).toBe('update');

  // Someone edits the Draft after the plan was reviewed.
  const edited = await emu.api.patchVersion(t.id, '1.1.0', { systemInstruction: 'Edited by hand after the plan.\n' });
  const editedHash = contentHash(edited);

  const result = await applyPlan(plan, emu.api);
  const live = await emu.api.getVersion(t.id, '1.1.0');
  // The hand edit survives, nothing is published, and the action is a conflict.
  expect({
    outcome: result.failed.find((f) => f.action.address === 'PromptVersion/alpha@1.1.0')?.outcome ?? 'success',
    state: live.state,
    keptEdit: contentHash(live) === editedHash,
  }).toEqual({ outcome: 'conflict', state: 'Draft', keptEdit: true });
});

it('does not publish again, nor count as its own, a Draft published by someone else since the plan', async () => {
  const desired = desiredState({ templates: [template('alpha')], versions: [version('alpha', '1.0.0')], splits: [split('alpha', [['1.0.0', 100]])] });
  await applyPlan(await planAgainst(desired, emu.api), emu.api);
  const t = (await emu.api.listTemplates({ name: 'alpha' }))[0]!;
  const git = version('alpha', '1.1.0');
  // The Draft holds git's content: the plan only publishes it.
  await emu.api.createVersion(t.id, versionWire(git));
  desired.versions.push(git);
  const plan = await planAgainst(desired, emu.api);
  const action = plan.actions.find((a) => a.address === 'PromptVersion/alpha@1.1.0')!;
  expect({ action: action.action, state: action.action === 'update' ? action.guard.state : undefined }).toEqual({ action: 'update', state: 'Draft' });

  // Someone publishes it after the plan was reviewed (or an earlier run's job ends).
  await emu.api.publishVersion(t.id, '1.1.0');
  const result = await applyPlan(plan, emu.api);
  const failed = result.failed.find((f) => f.action.address === 'PromptVersion/alpha@1.1.0');
  // A stale plan, said as every other one: a conflict, not a publish of this run's.
  expect({ outcome: failed?.outcome, detail: failed?.detail }).toEqual({
    outcome: 'conflict',
    detail: 'PromptVersion/alpha@1.1.0 changed on the target since the plan (version 1.1.0 Draft → Published); run plan again',
  });
});
