// Settling an interrupted publish of a Draft version: the intent's `before` must describe the
// version as the live snapshots do (content and state), so a publish that never happened reads as
// "not applied", and only a real edit by someone else as "changed by someone else".
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCorrelationTracker } from '../../src/apply/correlation.js';
import { executePlan } from '../../src/apply/executor.js';
import { settle } from '../../src/apply/recovery.js';
import type { AuditIntentInput, AuditRecord, AuditSnapshot, AuditState } from '../../src/audit/log.js';
import { liveSnapshots, midwayOf } from '../../src/kinds/index.js';
import { toWire as versionWire } from '../../src/kinds/PromptVersion/index.js';
import type { Plan } from '../../src/plan/types.js';
import { readLiveState } from '../../src/targets/live.js';
import type { DesiredState } from '../../src/model/types.js';
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

const plan = (desired: DesiredState): Promise<Plan> => planAgainst(desired, emu.api);
/** Applies the whole plan, keeping no audit trail. */
const applyAll = async (desired: DesiredState): Promise<void> => {
  await applyPlan(await plan(desired), emu.api);
};
const base = (): DesiredState => desiredState({ templates: [template('alpha')], versions: [version('alpha', '1.0.0')], splits: [split('alpha', [['1.0.0', 100]])] });

type Recorded = Pick<AuditRecord, 'address' | 'action' | 'before' | 'after'>;

/** A snapshot as the trail records it (absent fields as null). */
const recorded = (s: AuditState | null | undefined): AuditSnapshot | null =>
  s ? { version: s.version ?? null, hash: s.hash ?? null, content: (s.content ?? null) as AuditSnapshot['content'] } : null;

/** Runs the plan with an audit sink that keeps each intent and then fails, as a kill would: no call is made. */
async function intentsOfAKilledRun(p: Plan): Promise<Recorded[]> {
  const intents: Recorded[] = [];
  const audit = {
    intent: async (i: AuditIntentInput) => {
      intents.push({ address: i.address, action: i.action, before: recorded(i.before), after: recorded(i.after) });
      throw new Error('killed');
    },
    outcome: async () => ({}) as never,
  };
  await executePlan(p, emu.api, { audit: audit as never, correlations: createCorrelationTracker(), actor: 'a', commit: null });
  return intents;
}

describe('settling an interrupted Draft publish', () => {
  it('reads "not applied" while the Draft is as planned, and "changed by someone else" once it is edited', async () => {
    await applyAll(base());
    const t = (await emu.api.listTemplates({ name: 'alpha' }))[0]!;
    await emu.api.createVersion(t.id, versionWire(version('alpha', '1.1.0')));
    const publish = base();
    publish.versions.push(version('alpha', '1.1.0'));
    const [intent] = await intentsOfAKilledRun(await plan(publish));
    expect(intent).toMatchObject({ address: 'PromptVersion/alpha@1.1.0', action: 'publish' });

    const liveNow = async () => liveSnapshots(await readLiveState({ gateway: emu.api })).get('PromptVersion/alpha@1.1.0');
    expect(settle(intent!, await liveNow())).toEqual({ outcome: 'not applied', after: await liveNow() });

    await emu.api.patchVersion(t.id, '1.1.0', { temperature: 0.9 });
    const edited = settle(intent!, await liveNow());
    expect(edited.outcome).toBe('not applied');
    expect(edited.note).toMatch(/changed by someone else/);
  });

  it('reads a version created or patched as a Draft but never published as partly applied, not as someone else’s change', async () => {
    await applyAll(base());
    const t = (await emu.api.listTemplates({ name: 'alpha' }))[0]!;
    const liveNow = async (label: string) => liveSnapshots(await readLiveState({ gateway: emu.api })).get(`PromptVersion/alpha@${label}`);

    // A new version: the run dies after the POST that creates it as a Draft, before the publish.
    const next = base();
    next.versions.push(version('alpha', '1.1.0'));
    const [created] = await intentsOfAKilledRun(await plan(next));
    expect(created).toMatchObject({ address: 'PromptVersion/alpha@1.1.0', action: 'create', before: null });
    await emu.api.createVersion(t.id, versionWire(version('alpha', '1.1.0')));
    const draft = await liveNow('1.1.0');
    expect(settle(created!, draft).note).toMatch(/changed by someone else/); // what a kind without midway states gets
    expect(settle(created!, draft, midwayOf(created!))).toEqual({
      outcome: 'not applied',
      after: draft,
      note: 'partly applied: the version holds the intended content as a Draft, not yet published (the next apply publishes it)',
    });

    // A Draft that git edits: the run dies after the PATCH, before the publish. (1.1.0 is finished first.)
    await applyAll(next);
    await emu.api.createVersion(t.id, { ...versionWire(version('alpha', '1.2.0')), temperature: 0.5 });
    const edit = base();
    edit.versions.push(version('alpha', '1.1.0'), version('alpha', '1.2.0'));
    const [patched] = await intentsOfAKilledRun(await plan(edit));
    expect(patched).toMatchObject({ address: 'PromptVersion/alpha@1.2.0', action: 'update' });
    expect(settle(patched!, await liveNow('1.2.0'), midwayOf(patched!))).toEqual({ outcome: 'not applied', after: await liveNow('1.2.0') });
    await emu.api.patchVersion(t.id, '1.2.0', { temperature: null });
    expect(settle(patched!, await liveNow('1.2.0'), midwayOf(patched!)).note).toMatch(/^partly applied/);

    // Content that is neither what was planned against nor what git holds is still someone else's.
    await emu.api.patchVersion(t.id, '1.2.0', { temperature: 0.9 });
    expect(settle(patched!, await liveNow('1.2.0'), midwayOf(patched!)).note).toMatch(/changed by someone else/);
  });
});
