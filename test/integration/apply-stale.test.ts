// The saved-plan check: a fresh plan against the re-read live state must agree with the saved
// one; every way it can disagree is named with its address.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staleReasons } from '../../src/apply/stale.js';
import { planFingerprint } from '../../src/plan/fingerprint.js';
import { readLiveState } from '../../src/targets/live.js';
import type { DesiredState } from '../../src/model/types.js';
import { buildPlan } from '../../src/plan/build.js';
import type { Plan } from '../../src/plan/types.js';
import { desiredState, filter, split, template, version } from '../helpers/desired.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { applyPlan } from '../helpers/engine.js';
import { versionTokens } from '../../src/tokens/index.js';
import { contentHash, toWire as versionWire } from '../../src/kinds/PromptVersion/index.js';

let emu: TestEmulator;
beforeEach(async () => {
  emu = await startTestEmulator();
});
afterEach(async () => {
  await emu.close();
});

async function plan(desired: DesiredState, opts: { target?: string; commit?: string; prune?: boolean } = {}): Promise<Plan> {
  return buildPlan(desired, await readLiveState({ gateway: emu.api }), {
    prune: opts.prune ?? false,
    target: opts.target ?? 'emulator',
    git: {},
    id: 'p',
    createdAt: '',
    tokens: versionTokens,
    ...(opts.commit ? { commit: opts.commit } : {}),
  });
}

// These tests are about plans, not the trail: a sink that records nothing.
const versionBody = (label: string) => versionWire(version('alpha', label));
const base = (): DesiredState =>
  desiredState({
    templates: [template('alpha')],
    versions: [version('alpha', '1.0.0')],
    splits: [split('alpha', [['1.0.0', 100]])],
    filters: [filter('guard', 10)],
  });

describe('staleReasons', () => {
  it('compares what a template delete takes along, also when the file names none', async () => {
    await applyPlan(await plan(base()), emu.api);
    const gone = desiredState({ filters: [filter('guard', 10)] });
    const saved = await plan(gone, { prune: true });
    const del = saved.actions.find((a) => a.address === 'PromptTemplate/alpha')!;
    expect(del.action === 'delete' && del.cascade?.map((c) => c.address)).toEqual(['PromptVersion/alpha@1.0.0', 'TrafficSplit/alpha']);
    const alpha = (await emu.api.listTemplates()).find((t) => t.name === 'alpha')!;
    await emu.api.createVersion(alpha.id, versionBody('1.1.0'));
    const fresh = await plan(gone, { prune: true });
    expect(staleReasons(saved, fresh)).toEqual([
      { address: 'PromptTemplate/alpha', message: 'deleting it takes other objects with it than the plan showed: now also PromptVersion/alpha@1.1.0' },
    ]);
    // A file without cascade showed nothing taken along: an older promptctl's is sealed the earlier
    // way and refused before this, so only an edit leaves it out, and what it hid is named.
    const edited = { ...saved, actions: saved.actions.map((a) => (a.address === 'PromptTemplate/alpha' ? { ...a, cascade: undefined } : a)) };
    expect(staleReasons(edited, fresh)).toEqual([
      {
        address: 'PromptTemplate/alpha',
        message: 'deleting it takes other objects with it than the plan showed: now also PromptVersion/alpha@1.0.0, PromptVersion/alpha@1.1.0, TrafficSplit/alpha',
      },
    ]);
  });

  it('finds nothing when nothing moved, even if the commit label differs', async () => {
    await applyPlan(await plan(base()), emu.api);
    const changed = base();
    changed.templates[0] = template('alpha', { description: 'new' });
    const saved = await plan(changed, { commit: 'aaaa' });
    const fresh = await plan(changed, { commit: 'bbbb' });
    expect(staleReasons(saved, fresh)).toEqual([]);
  });

  it('names every field a hand edit of the file changed, but not who last changed the live object nor why (only shown)', async () => {
    await applyPlan(await plan(base()), emu.api);
    const changed = base();
    changed.templates[0] = template('alpha', { description: 'new' });
    changed.versions.push(version('alpha', '1.1.0'));
    const fresh = await plan(changed);
    const saved = structuredClone(fresh);
    const byAddress = (p: Plan, address: string) => p.actions.find((a) => a.address === address)!;
    // Who last changed the object and why can change with nothing apply does (--dir spelled otherwise).
    byAddress(saved, 'PromptTemplate/alpha').liveModified = { by: 'someone', at: '2020-01-01T00:00:00.000Z' };
    Object.assign(byAddress(saved, 'PromptVersion/alpha@1.1.0'), { reason: 'other words' });
    expect(staleReasons(saved, fresh)).toEqual([]);
    // What a reviewer reads as the change is not the file's to say: a file resealed over an edit
    // there would show one change and apply another.
    // A mask stands for live content only (what a run without the secret shows as it is), never
    // for what the change writes.
    const masked = structuredClone(saved);
    const text = byAddress(masked, 'PromptVersion/alpha@1.1.0').text!;
    expect(text.length).toBeGreaterThan(0);
    text[0]!.after = `${text[0]!.after.slice(0, 10)}[redacted: HIDDEN]`;
    expect(staleReasons(masked, fresh).map((r) => r.message)).toEqual([expect.stringContaining('differs from a fresh plan in the prompt text diff (')]);
    const shown = structuredClone(saved);
    Object.assign(byAddress(shown, 'PromptVersion/alpha@1.1.0'), { changes: [], text: [], supersedes: '0.9.0' });
    Object.assign(byAddress(shown, 'PromptTemplate/alpha'), { destructive: true });
    expect(staleReasons(shown, fresh)).toEqual([
      {
        address: 'PromptTemplate/alpha',
        message:
          'what the plan file shows a reviewer differs from a fresh plan in whether it is marked destructive (the file was edited to show another change than apply would make, or the live objects the change is shown against changed since it was planned)',
      },
      {
        address: 'PromptVersion/alpha@1.1.0',
        message:
          'what the plan file shows a reviewer differs from a fresh plan in the field changes, the version it is shown against and the prompt text diff (the file was edited to show another change than apply would make, or the live objects the change is shown against changed since it was planned)',
      },
    ]);
    byAddress(saved, 'PromptVersion/alpha@1.1.0').dependsOn = ['SafetyFilter/guard'];
    byAddress(saved, 'PromptTemplate/alpha').name = 'beta';
    expect(staleReasons(saved, fresh)).toEqual([
      { address: 'PromptTemplate/alpha', message: 'the plan file says otherwise than a fresh plan in its name (was the file edited?)' },
      { address: 'PromptVersion/alpha@1.1.0', message: 'the plan file says otherwise than a fresh plan in the changes it runs after (the target changed since it was planned, or the file was edited)' },
    ]);
    // What it waits for moved with what this plan's own earlier run made (the audit trail says so): not an edit.
    expect(staleReasons(saved, fresh, fresh, new Set(['SafetyFilter/guard']))[1]).toEqual({
      address: 'PromptVersion/alpha@1.1.0',
      message: "the plan file says otherwise than a fresh plan in the changes it runs after (this plan's own earlier run changed the target since it was planned)",
    });
  });

  it('names objects created, edited or deleted by hand since the plan', async () => {
    const saved = await plan(base());
    await emu.api.createFilter({ name: 'guard', priority: 10, categories: ['pii'], action: 'redact_and_log', thresholds: { pii: 0.9 }, falsePositiveTolerance: 0.1 });
    const reasons = staleReasons(saved, await plan(base()));
    expect(reasons).toContainEqual({ address: 'SafetyFilter/guard', message: 'was created on the target since the plan (version 1)' });

    await applyPlan(await plan(base()), emu.api);
    const update = base();
    update.templates[0] = template('alpha', { description: 'planned' });
    const saved2 = await plan(update);
    const t = (await emu.api.listTemplates({ name: 'alpha' }))[0]!;
    await emu.api.updateTemplate(t.id, { name: 'alpha', model: 'gpt-4o', description: 'by hand', labels: t.labels, version: t.version });
    expect(staleReasons(saved2, await plan(update))).toEqual([
      {
        address: 'PromptTemplate/alpha',
        message: expect.stringMatching(new RegExp(`^live version moved ${t.version} → ${t.version + 1}, live content hash moved [0-9a-f]{12} → [0-9a-f]{12} since the plan$`)),
      },
    ]);

    await emu.api.deleteTemplate(t.id);
    const gone = staleReasons(saved2, await plan(update));
    expect(gone).toContainEqual({ address: 'PromptTemplate/alpha', message: 'was deleted on the target since the plan' });
  });

  it('names a delete waiting for prune that a version made by hand since adds, as pending: apply would not make it', async () => {
    await applyPlan(await plan(base()), emu.api);
    const saved = await plan(base());
    const alpha = (await emu.api.listTemplates({ name: 'alpha' }))[0]!;
    await emu.api.createVersion(alpha.id, versionBody('1.1.0'));
    const fresh = await plan(base());
    expect(staleReasons(saved, fresh)).toEqual([
      { address: 'PromptVersion/alpha@1.1.0', message: 'now shows delete (pending: prune is off), which the plan does not include' },
    ]);
    // The other way: a plan that showed it pending, and the version gone by hand since.
    await emu.api.deleteVersion(alpha.id, '1.1.0');
    expect(staleReasons(fresh, await plan(base()))).toEqual([
      { address: 'PromptVersion/alpha@1.1.0', message: 'no longer shows delete (pending: prune is off): the target or the files changed' },
    ]);
  });

  it('refuses a plan whose unchanged object was saved by hand since, as its fingerprint does (DESIGN §5: any guard)', async () => {
    await applyPlan(await plan(base()), emu.api);
    const update = base();
    update.templates[0] = template('alpha', { description: 'planned' });
    const saved = await plan(update);
    expect(saved.actions.find((a) => a.address === 'SafetyFilter/guard')?.action).toBe('noop');
    expect(staleReasons(saved, await plan(update))).toEqual([]);
    // The same content saved again by hand: only its version moves.
    const live = (await emu.api.listFilters()).find((f) => f.name === 'guard')!;
    const { id, version: v, dateCreated: _c, dateModified: _m, createdBy: _b, modifiedBy: _mb, selfUri: _s, ...body } = live;
    await emu.api.updateFilter(id, { ...body, version: v });
    const fresh = await plan(update);
    expect(fresh.actions.find((a) => a.address === 'SafetyFilter/guard')?.action).toBe('noop');
    // The apply workflow compares fingerprints; apply PLANFILE compares actions: both refuse.
    expect(planFingerprint(fresh)).not.toBe(planFingerprint(saved));
    expect(staleReasons(saved, fresh)).toEqual([
      { address: 'SafetyFilter/guard', message: `live version moved ${v} → ${v + 1} since the plan (it needs no change, but the plan was made against it as it was)` },
    ]);
  });

  it('refuses a plan whose object was deleted and re-created identically since (another id)', async () => {
    await applyPlan(await plan(base()), emu.api);
    const update = base();
    update.filters[0] = filter('guard', 10, { thresholds: { pii: 0.3 } });
    const saved = await plan(update);
    const live = (await emu.api.listFilters()).find((f) => f.name === 'guard')!;
    await emu.api.deleteFilter(live.id);
    const { id: _id, version: _v, dateCreated: _c, dateModified: _m, createdBy: _b, modifiedBy: _mb, selfUri: _s, ...body } = live;
    const again = await emu.api.createFilter(body);
    expect(again.id).not.toBe(live.id);
    expect(staleReasons(saved, await plan(update))).toEqual([
      { address: 'SafetyFilter/guard', message: `the live object was replaced since the plan (id ${live.id} → ${again.id})` },
    ]);
  });

  it('guards a version by the hash of its content: a Draft patched by hand since the plan is named, and not retired', async () => {
    await applyPlan(await plan(base()), emu.api);
    const t = (await emu.api.listTemplates({ name: 'alpha' }))[0]!;
    const draft = await emu.api.createVersion(t.id, versionBody('1.1.0'));
    // In git: publish the Draft as it is; with prune, retire it once git no longer has it.
    const publish = base();
    publish.versions.push(version('alpha', '1.1.0'));
    const saved = await plan(publish);
    expect(saved.actions.find((a) => a.address === 'PromptVersion/alpha@1.1.0')).toMatchObject({ action: 'update', guard: { hash: contentHash(draft), state: 'Draft' } });
    const retire = await plan(base(), { prune: true });
    expect(retire.actions.find((a) => a.address === 'PromptVersion/alpha@1.1.0')).toMatchObject({ action: 'delete', guard: { hash: contentHash(draft) } });

    const patched = await emu.api.patchVersion(t.id, '1.1.0', { temperature: 0.9 });
    expect(contentHash(patched)).not.toBe(contentHash(draft));
    const reasons = staleReasons(saved, await plan(publish));
    expect(reasons).toContainEqual({
      address: 'PromptVersion/alpha@1.1.0',
      message: `live content hash moved ${contentHash(draft).slice(0, 12)} → ${contentHash(patched).slice(0, 12)} since the plan`,
    });
    const result = await applyPlan(retire, emu.api);
    expect(result.failed.map((f) => [f.action.address, f.detail])).toEqual([
      ['PromptVersion/alpha@1.1.0', expect.stringContaining(`content hash ${contentHash(draft).slice(0, 12)} → ${contentHash(patched).slice(0, 12)}`)],
    ]);
    expect(contentHash(await emu.api.getVersion(t.id, '1.1.0'))).toBe(contentHash(patched));
  });

  it('guards a version by its own id: one deleted and made again with the same content is named, and not retired', async () => {
    await applyPlan(await plan(base()), emu.api);
    const t = (await emu.api.listTemplates({ name: 'alpha' }))[0]!;
    const was = await emu.api.createVersion(t.id, versionBody('1.1.0'));
    await emu.api.publishVersion(t.id, '1.1.0');
    const retire = await plan(base(), { prune: true });
    expect(retire.actions.find((a) => a.address === 'PromptVersion/alpha@1.1.0')).toMatchObject({ action: 'delete', liveId: t.id, guard: { id: was.id } });
    await emu.api.deleteVersion(t.id, '1.1.0');
    const now = await emu.api.createVersion(t.id, versionBody('1.1.0'));
    await emu.api.publishVersion(t.id, '1.1.0');
    expect(now.id).not.toBe(was.id);
    // The saved-plan check, and the guard apply reads just before the DELETE (a race after it).
    expect(staleReasons(retire, await plan(base(), { prune: true }))).toEqual([
      { address: 'PromptVersion/alpha@1.1.0', message: `the live object was replaced since the plan (id ${was.id} → ${now.id})` },
    ]);
    const result = await applyPlan(retire, emu.api);
    expect(result.failed.map((f) => [f.action.address, f.detail])).toEqual([['PromptVersion/alpha@1.1.0', expect.stringContaining(`replaced: id ${was.id} → ${now.id}`)]]);
    expect((await emu.api.getVersion(t.id, '1.1.0')).id).toBe(now.id);
  });

  it('refuses a plan whose versions carry no id of their own (saved by an earlier promptctl), saying so', async () => {
    await applyPlan(await plan(base()), emu.api);
    const saved = await plan(base());
    const noop = saved.actions.find((a) => a.address === 'PromptVersion/alpha@1.0.0')!;
    const id = noop.action === 'noop' ? noop.guard.id : undefined;
    expect(id).toEqual(expect.any(String));
    if (noop.action === 'noop') delete noop.guard.id;
    expect(staleReasons(saved, await plan(base()))).toEqual([
      {
        address: 'PromptVersion/alpha@1.0.0',
        message: `the plan file records no live id for it, where a fresh plan has ${id} (a plan saved by an earlier promptctl, or an edited file) (it needs no change, but the plan was made against it as it was)`,
      },
    ]);
  });

  it('names changes in the files and a different target', async () => {
    const saved = await plan(base());
    const more = base();
    more.filters[0] = filter('guard', 10, { thresholds: { pii: 0.3 } });
    more.templates.push(template('beta'));
    const reasons = staleReasons(saved, await plan(more, { target: 'another org' }));
    expect(reasons).toEqual(
      expect.arrayContaining([
        { address: '(target)', message: 'the plan was made for emulator, but the target is another org' },
        { address: 'SafetyFilter/guard', message: 'the desired content differs from the plan (the files changed since it was saved, or the plan file was edited)' },
        { address: 'PromptTemplate/beta', message: 'now needs create, which the plan does not include' },
      ]),
    );
  });
});
