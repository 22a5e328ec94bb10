// Guides and summary settings end to end against a real emulator over HTTP: plan (through the
// kinds registry), apply (the executor with the AI Studio client), and plan again; new versions,
// Drafts edited in place, hand edits seen as drift, stale guards refused, prune limited to what
// git once defined, surfaces switched off, and no duplicate under injected faults.
import { expectEachIntentSaysWhatItsCallMade } from '../helpers/intents.js';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCorrelationTracker } from '../../src/apply/correlation.js';
import { executePlan, type ApplyResult } from '../../src/apply/executor.js';
import { openAuditLog, type AuditLog } from '../../src/audit/log.js';
import { startEmulator, type EmulatorOptions } from '../../src/emulator/server.js';
import { aiStudioWriteChecks } from '../../src/kinds/index.js';
import type { Ownership } from '../../src/kinds/ownership.js';
import type { DesiredState, Guide, SummarySetting } from '../../src/model/types.js';
import { buildPlan } from '../../src/plan/build.js';
import { expectedRequests } from '../../src/plan/cost.js';
import { driftEntries } from '../../src/plan/drift.js';
import type { Plan } from '../../src/plan/types.js';
import type { AiStudioApi } from '../../src/targets/aistudio/api.js';
import { readLiveState } from '../../src/targets/live.js';
import type { GatewayApi } from '../../src/targets/llmgateway/api.js';
import { versionTokens } from '../../src/tokens/index.js';
import { desiredState, template, version } from '../helpers/desired.js';
import { setup, type Env } from './aistudio-support.js';
import { RETRIED_FAULTS } from '../helpers/emulator.js';

interface World {
  env: Env;
  studio: AiStudioApi;
  gateway: GatewayApi;
  audit: AuditLog;
  auditFile: string;
}
let w: World | undefined;

afterEach(async () => {
  if (!w) return;
  await w.audit.close();
  await w.env.close();
  w = undefined;
});

async function world(opts: EmulatorOptions = {}): Promise<World> {
  const env = await setup({ rateLimit: 100_000, ...opts });
  const studio = env.client({ landed: aiStudioWriteChecks });
  const gateway = env.gateway();
  const auditFile = join(env.dir, 'audit.jsonl');
  const audit = await openAuditLog(auditFile, { env: {}, onWarning: () => undefined });
  w = { env, studio, gateway, audit, auditFile };
  return w;
}

let seq = 0;
async function plan(desired: DesiredState, o: { prune?: boolean; owned?: Ownership } = {}): Promise<Plan> {
  const live = await readLiveState({ gateway: w!.gateway, aistudio: w!.studio });
  seq += 1;
  return buildPlan(desired, live, {
    prune: o.prune ?? false,
    target: 'test emulator',
    git: {},
    id: `plan-${seq}`,
    createdAt: new Date().toISOString(),
    tokens: versionTokens,
    ...(o.owned ? { owned: o.owned } : {}),
  });
}

function apply(p: Plan): Promise<ApplyResult> {
  return executePlan(p, w!.gateway, { audit: w!.audit, aistudio: w!.studio, correlations: createCorrelationTracker(), actor: 'Test <t@example.com>', commit: 'c0ffee' });
}

const changes = (p: Plan) => p.actions.filter((a) => a.action !== 'noop').map((a) => `${a.action} ${a.address}`);

const here = { file: 'prompts/x.yaml', line: 1, column: 1 };
function guide(name: string, over: Partial<Guide> = {}): Guide {
  return {
    kind: 'Guide',
    name,
    labels: {},
    instruction: 'Say "Hello {{Variable.first_name}}".\nAsk for the order number and store it in {{Variable.order}}.\n',
    variables: [
      { name: 'first_name', type: 'String', scope: 'Input' },
      { name: 'order', type: 'String', scope: 'Output', description: 'The order number' },
    ],
    dataActions: [{ id: 'custom_-_lookup', label: 'Look up order' }],
    publish: 'ProductionReady',
    source: here,
    locations: {},
    ...over,
  };
}
function setting(name: string, over: Partial<SummarySetting> = {}): SummarySetting {
  return {
    kind: 'SummarySetting',
    name,
    labels: {},
    language: 'en-US',
    summaryType: 'Concise',
    format: 'BulletPoints',
    maskPII: true,
    participantLabels: { internal: 'Agent', external: 'Customer' },
    predefinedInsights: ['ReasonForCall', 'ActionItems'],
    customEntities: [{ label: 'Order number', description: 'The order, if one was mentioned.' }],
    prompt: 'Summarise the call in at most five bullet points.\n',
    source: here,
    locations: {},
    ...over,
  };
}

async function liveGuide(name: string) {
  const found = await w!.studio.listGuides({ name });
  expect(found).toHaveLength(1);
  const g = found[0]!;
  const latest = await w!.studio.getGuideVersion(g.id, g.latestSavedVersion!.version);
  return { g, latest };
}

async function converge(desired: DesiredState, o: { prune?: boolean; owned?: Ownership } = {}): Promise<Plan> {
  const first = await plan(desired, o);
  expect(first.problems).toEqual([]);
  const r = await apply(first);
  expect(r.failed.map((f) => f.detail)).toEqual([]);
  await expectEachIntentSaysWhatItsCallMade(w!.auditFile);
  const again = await plan(desired, o);
  expect(changes(again)).toEqual([]);
  return first;
}

describe('Guide and SummarySetting: plan → apply → plan', () => {
  it('creates both, fills the guide’s first version and publishes it; a second plan is empty', { timeout: 30_000 }, async () => {
    await world();
    const desired = desiredState({ guides: [guide('Returns assistant')], summarySettings: [setting('Voice wrap-up (en-US)')] });
    const first = await converge(desired);
    expect(changes(first).sort()).toEqual(['create Guide/Returns assistant', 'create SummarySetting/Voice wrap-up (en-US)']);

    const { g, latest } = await liveGuide('Returns assistant');
    expect(g.status).toBe('Published');
    // The emulator starts a guide with an empty Draft "1.0": it was filled, not a second version made.
    expect(latest).toMatchObject({ version: '1.0', state: 'ProductionReady', instruction: guide('x').instruction });
    const [s] = await w!.studio.listSummarySettings({ name: 'Voice wrap-up (en-US)' });
    expect(s).toMatchObject({ settingType: 'Prompt', maskPII: { all: true }, prompt: setting('x').prompt });

    // Audit: one record each, with the canonical content and its hash.
    const outcomes = (await readFile(w!.auditFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.type === 'outcome');
    const gRec = outcomes.find((r) => r.address === 'Guide/Returns assistant');
    expect(gRec).toMatchObject({ outcome: 'success', resourceId: g.id, after: { version: '1.0', content: { state: 'ProductionReady' } } });
  });

  it('applies a guide whose publish job never says it finished, once the version shows ProductionReady (A6)', { timeout: 30_000 }, async () => {
    await world({ aiStudio: { jobsNeverFinish: true } });
    const started = Date.now();
    const first = await converge(desiredState({ guides: [guide('Returns assistant')] }));
    expect(changes(first)).toEqual(['create Guide/Returns assistant']);
    // Far within the client's job timeout (20 s here, 120 s by default), which it once waited out.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((await liveGuide('Returns assistant')).latest.state).toBe('ProductionReady');
  });

  it('creates the first version with a POST when a new guide starts without one', { timeout: 30_000 }, async () => {
    await world({ aiStudio: { newGuideDraft: false } });
    await converge(desiredState({ guides: [guide('Returns')] }));
    expect((await liveGuide('Returns')).latest).toMatchObject({ version: '1.0', state: 'ProductionReady' });
  });

  it('plans one new version for an edited published guide, with a diff, and applies it', { timeout: 30_000 }, async () => {
    await world();
    await converge(desiredState({ guides: [guide('Returns')] }));
    const edited = guide('Returns', { instruction: guide('x').instruction.replace('the order number', 'the order number (it starts with AC)') });
    const p = await plan(desiredState({ guides: [edited] }));
    expect(changes(p)).toEqual(['update Guide/Returns']);
    const a = p.actions[0]!;
    expect(a.reason).toBe('a new version replaces production version 1.0; Genesys assigns its label');
    expect(a.text).toEqual([{ field: 'instruction', before: guide('x').instruction, after: edited.instruction }]);
    expect(a.tokens).toMatchObject({ approximate: true });
    expect((await apply(p)).ok).toBe(true);
    const { g, latest } = await liveGuide('Returns');
    expect(latest).toMatchObject({ version: '2.0', state: 'ProductionReady', instruction: edited.instruction });
    expect(g.latestProductionReadyVersion?.version).toBe('2.0');
    expect(changes(await plan(desiredState({ guides: [edited] })))).toEqual([]);
  });

  it('edits a Draft in place and publishes it; a Draft wanted stays a Draft', { timeout: 30_000 }, async () => {
    await world();
    await converge(desiredState({ guides: [guide('Returns')] }));
    const { g } = await liveGuide('Returns');
    // Someone starts a Draft 2.0 in the Genesys UI.
    await w!.studio.createGuideVersion(g.id, { instruction: 'Half-written idea.\n' });
    const next = guide('Returns', { instruction: 'Say "Hi {{Variable.first_name}}". Store the order in {{Variable.order}}.\n' });
    const p = await plan(desiredState({ guides: [next] }));
    expect(p.actions[0]!.reason).toBe('edits Draft 2.0 in place, then publishes it to ProductionReady, replacing production version 1.0');
    expect(p.actions[0]!.text![0]!.before).toBe('Half-written idea.\n');
    expect((await apply(p)).ok).toBe(true);
    expect((await liveGuide('Returns')).latest).toMatchObject({ version: '2.0', state: 'ProductionReady', instruction: next.instruction });

    // publish: Draft makes a new Draft 3.0 and leaves production at 2.0.
    const draft = guide('Returns', { instruction: 'A draft for review.\n', variables: [], publish: 'Draft' });
    await converge(desiredState({ guides: [draft] }));
    const after = await liveGuide('Returns');
    expect(after.latest).toMatchObject({ version: '3.0', state: 'Draft' });
    expect(after.g.latestProductionReadyVersion?.version).toBe('2.0');
  });

  it('reports hand edits as drift, with when (the API does not say who)', { timeout: 30_000 }, async () => {
    await world();
    const desired = desiredState({ guides: [guide('Returns')], summarySettings: [setting('Voice')] });
    await converge(desired);
    const { g } = await liveGuide('Returns');
    // A hand edit through AI Studio: a new published version, and a setting changed.
    const v = await w!.studio.createGuideVersion(g.id, { instruction: 'Edited by hand.\n' });
    await w!.studio.publishGuideVersion(g.id, v.version, 'ProductionReady');
    const [s] = await w!.studio.listSummarySettings({ name: 'Voice' });
    const put = await w!.studio.putSummarySetting(s!.id, { ...s!, maskPII: { all: false } });

    const p = await plan(desired);
    const drift = driftEntries(p);
    const guideNow = (await w!.studio.getGuide(g.id)).dateModified;
    expect([...drift].sort((a, b) => a.address.localeCompare(b.address))).toEqual([
      expect.objectContaining({ address: 'Guide/Returns', action: 'update', modifiedBy: null, dateModified: guideNow, message: expect.stringContaining('instruction') }),
      expect.objectContaining({ address: 'SummarySetting/Voice', action: 'update', modifiedBy: null, dateModified: put.dateModified, message: 'differs from git: maskPII' }),
    ]);
    // Apply puts git's content back: a new version 3.0 (2.0 is published and immutable).
    expect((await apply(p)).ok).toBe(true);
    expect((await liveGuide('Returns')).latest).toMatchObject({ version: '3.0', instruction: guide('x').instruction });
    expect(changes(await plan(desired))).toEqual([]);
  });

  it('refuses, as a clean conflict, an action whose guard moved since the plan', { timeout: 30_000 }, async () => {
    await world();
    await converge(desiredState({ guides: [guide('Returns')], summarySettings: [setting('Voice')] }));
    const desired = desiredState({ guides: [guide('Returns', { instruction: 'New.\n', variables: [] })], summarySettings: [setting('Voice', { format: 'TextBlock' })] });
    const p = await plan(desired);
    const { g } = await liveGuide('Returns');
    await w!.studio.createGuideVersion(g.id, { instruction: 'Someone else was here.\n' });
    const [s] = await w!.studio.listSummarySettings({ name: 'Voice' });
    await w!.studio.putSummarySetting(s!.id, { ...s!, summaryType: 'Detailed' });
    const r = await apply(p);
    expect(r.ok).toBe(false);
    // Both run at once (they do not depend on each other); each is refused on its own guard.
    expect(r.failed.map((f) => [f.action.address, f.outcome]).sort()).toEqual([
      ['Guide/Returns', 'conflict'],
      ['SummarySetting/Voice', 'conflict'],
    ]);
    for (const f of r.failed) expect(f.detail).toMatch(/changed on the target since the plan/);
    expect(r.failed.find((f) => f.action.kind === 'Guide')!.detail).toMatch(/latest version 1\.0 → 2\.0/);
    // Nothing of the plan landed.
    expect((await liveGuide('Returns')).latest).toMatchObject({ version: '2.0', instruction: 'Someone else was here.\n' });
    expect((await w!.studio.getSummarySetting(s!.id)).format).toBe('BulletPoints');
  });

  it('updates a summary setting with one read before its PUT, as the plan expects, and still refuses one saved by hand since', { timeout: 30_000 }, async () => {
    await world();
    await converge(desiredState({ summarySettings: [setting('Voice')] }));
    const desired = desiredState({ summarySettings: [setting('Voice', { format: 'TextBlock' })] });
    const p = await plan(desired);
    expect(expectedRequests(p)).toBe(2);
    const sent = w!.studio.stats.requests;
    expect((await apply(p)).ok).toBe(true);
    // The read that guards it (content hash and dateModified), then the PUT: no second read.
    expect(w!.studio.stats.requests - sent).toBe(2);

    // Saved by hand with the same content: only its dateModified moved, and the guard holds it.
    const stale = await plan(desiredState({ summarySettings: [setting('Voice', { format: 'GroupedTextBlocks' })] }));
    const [s] = await w!.studio.listSummarySettings({ name: 'Voice' });
    await new Promise((r) => setImmediate(r));
    const saved = await w!.studio.putSummarySetting(s!.id, { ...s! });
    expect(saved.dateModified).not.toBe(s!.dateModified);
    const r = await apply(stale);
    expect(r.failed.map((f) => [f.action.address, f.outcome])).toEqual([['SummarySetting/Voice', 'conflict']]);
    expect((await w!.studio.getSummarySetting(s!.id)).format).toBe('TextBlock');
  });
});

describe('summary setting fields git leaves out (A17)', () => {
  it('keeps what an org fills in by itself: the apply lands, the next plan is empty, and another change is held', { timeout: 30_000 }, async () => {
    await world({ aiStudio: { summaryDefaults: true } });
    const bare = (over: Partial<SummarySetting> = {}): SummarySetting => {
      const s = setting('Voice', over);
      delete s.summaryType;
      delete s.format;
      return s;
    };
    // The create sends neither; the org fills Concise and TextBlock, and the write still counts as landed.
    await converge(desiredState({ summarySettings: [bare()] }));
    const [s] = await w!.studio.listSummarySettings({ name: 'Voice' });
    expect([s!.summaryType, s!.format]).toEqual(['Concise', 'TextBlock']);

    // Another field changes: only it is planned, and the PUT carries the org's values, so its answer holds what was sent.
    const next = desiredState({ summarySettings: [bare({ maskPII: false })] });
    const p = await plan(next);
    expect(p.actions.map((a) => [a.action, a.changes.map((c) => c.path)])).toEqual([['update', ['maskPII']]]);
    const r = await apply(p);
    expect(r.failed.map((f) => f.detail)).toEqual([]);
    const held = await w!.studio.getSummarySetting(s!.id);
    expect([held.summaryType, held.format, held.maskPII]).toEqual(['Concise', 'TextBlock', { all: false }]);
    expect(changes(await plan(next))).toEqual([]);

    // Set by hand in Genesys, a field git leaves out is the org's: no drift, no update.
    await w!.studio.putSummarySetting(s!.id, { ...held, summaryType: 'Detailed' });
    expect(changes(await plan(next))).toEqual([]);
  });
});

describe('what a summary setting write sends and keeps', () => {
  it('sends the language as the plan shows it, and a PUT for another change keeps the org\'s spelling of the same tag', { timeout: 30_000 }, async () => {
    // Before: the plan showed "de-DE" and the org then held "de-de"; a PUT for maskPII turned the org's "en-US" into git's "en-us", which no plan showed.
    await world();
    const german = desiredState({ summarySettings: [setting('German', { language: 'de-de' })] });
    const p = await plan(german);
    expect(p.actions[0]!.changes).toContainEqual({ path: 'language', after: 'de-DE' });
    await converge(german);
    expect((await w!.studio.listSummarySettings({ name: 'German' }))[0]!.language).toBe('de-DE');

    await converge(desiredState({ summarySettings: [setting('Voice')] }));
    const edited = desiredState({ summarySettings: [setting('Voice', { language: 'en-us', maskPII: false })] });
    const q = await plan(edited);
    expect(q.actions.filter((a) => a.address === 'SummarySetting/Voice').map((a) => [a.action, a.changes])).toEqual([['update', [{ path: 'maskPII', before: true, after: false }]]]);
    const r = await apply(q);
    expect(r.failed.map((f) => f.detail)).toEqual([]);
    const held = (await w!.studio.listSummarySettings({ name: 'Voice' }))[0]!;
    expect([held.language, held.maskPII]).toEqual(['en-US', { all: false }]);
    expect(changes(await plan(edited))).toEqual([]);
    // Spelt another way in Genesys: the same tag, kept as the org spells it by a PUT for another field.
    const hand = await w!.studio.createSummarySetting({ name: 'By hand', language: 'fr-fr', summaryType: 'Concise', format: 'BulletPoints', maskPII: { all: true } });
    const adopted = desiredState({ summarySettings: [setting('By hand', { language: 'fr-FR', participantLabels: undefined, predefinedInsights: undefined, customEntities: undefined, prompt: undefined, maskPII: false })] });
    const u = await plan(adopted);
    expect(u.actions.filter((a) => a.address === 'SummarySetting/By hand').map((a) => a.changes)).toEqual([[{ path: 'maskPII', before: true, after: false }]]);
    expect((await apply(u)).failed).toEqual([]);
    expect((await w!.studio.getSummarySetting(hand.id)).language).toBe('fr-fr');
  });

  it('reads an Email setting renamed in git as a rename, warns that its Email goes with prune, and refuses to lose it with prune', { timeout: 30_000 }, async () => {
    // Before: the new name was a create of a Live setting with no rename note, and --prune replaced the Email setting by it unsaid.
    await world();
    await converge(desiredState({ summarySettings: [setting('External one')] }));
    // The API cannot make an Email setting (A11): the org's state is edited, as an org holding one made in Genesys is.
    const port = w!.env.emulator.port;
    await w!.env.emulator.close();
    const state = JSON.parse(await readFile(w!.env.stateFile, 'utf8')) as { summarySettings: Record<string, { interactionType: string }> };
    for (const rec of Object.values(state.summarySettings)) rec.interactionType = 'Email';
    await writeFile(w!.env.stateFile, JSON.stringify(state));
    w!.env.emulator = await startEmulator({ port, stateFile: w!.env.stateFile, publishDelayMs: 10, rateLimit: 100_000 });

    const owned: Ownership = { names: { SummarySetting: ['External one'] }, complete: true, source: 'git history of prompts/' };
    const renamed = desiredState({ summarySettings: [setting('External two')] });
    const pending = await plan(renamed, { owned });
    expect(changes(pending)).toEqual(['create SummarySetting/External two', 'delete SummarySetting/External one']);
    expect(pending.actions.find((a) => a.address === 'SummarySetting/External two')!.reason).toContain('the same content as SummarySetting/External one');
    expect(pending.problems).toEqual([]);
    expect(pending.warnings?.map((x) => x.message)).toEqual([expect.stringContaining("the new setting would be Live, and SummarySetting/External one's Email is lost once prune deletes it")]);
    const pruned = await plan(renamed, { owned, prune: true });
    expect(pruned.problems.map((x) => [x.address, x.rule])).toEqual([['SummarySetting/External two', 'read-only-field']]);
    // Renamed in Genesys instead, as the message says: the next plan finds it, Email kept.
    const [s] = await w!.studio.listSummarySettings({ name: 'External one' });
    await w!.studio.putSummarySetting(s!.id, { ...s!, name: 'External two' });
    const after = await plan(renamed, { owned: { ...owned, names: { SummarySetting: ['External one', 'External two'] } }, prune: true });
    expect([changes(after), after.problems, after.warnings]).toEqual([[], [], undefined]);
    expect((await w!.studio.getSummarySetting(s!.id)).interactionType).toBe('Email');
  });
});

describe('ownership and prune', () => {
  it('deletes only what git once defined, and only with prune', { timeout: 30_000 }, async () => {
    await world();
    await converge(desiredState({ guides: [guide('Ours')], summarySettings: [setting('Ours too')] }));
    const hand = await w!.studio.createGuide({ name: 'Made by hand', source: 'Manual' });
    const owned: Ownership = { names: { Guide: ['Ours'], SummarySetting: ['Ours too'] }, complete: true, source: 'git history of prompts/' };
    const keepOne = desiredState({ guides: [guide('Other')] });

    const pending = await plan(keepOne, { owned });
    expect(pending.summary).toMatchObject({ create: 1, delete: 0, pending: 2 });
    expect(pending.unmanaged.map((u) => u.address)).toEqual(['Guide/Made by hand']);

    const pruned = await plan(keepOne, { owned, prune: true });
    expect(changes(pruned).sort()).toEqual(['create Guide/Other', 'delete Guide/Ours', 'delete SummarySetting/Ours too']);
    expect((await apply(pruned)).ok).toBe(true);
    expect((await w!.studio.listGuides()).map((x) => x.name).sort()).toEqual(['Made by hand', 'Other']);
    expect(await w!.studio.listSummarySettings()).toEqual([]);
    expect((await w!.studio.getGuide(hand.id)).name).toBe('Made by hand');
  });

  it('refuses a delete whose object was renamed by hand since the plan (to keep it): the guard holds the name too', { timeout: 30_000 }, async () => {
    await world();
    await converge(desiredState({ guides: [guide('Ours')], summarySettings: [setting('Ours too')] }));
    const owned: Ownership = { names: { Guide: ['Ours'], SummarySetting: ['Ours too'] }, complete: true, source: 'git history of prompts/' };
    const pruned = await plan(desiredState({ guides: [guide('Other')] }), { owned, prune: true });
    expect(changes(pruned).sort()).toEqual(['create Guide/Other', 'delete Guide/Ours', 'delete SummarySetting/Ours too']);
    // While the plan waits for its confirmation, someone renames both to keep them: no longer promptctl's.
    const [g] = await w!.studio.listGuides({ name: 'Ours' });
    await w!.studio.patchGuide(g!.id, { name: 'Kept by hand' });
    const [s] = await w!.studio.listSummarySettings({ name: 'Ours too' });
    await w!.studio.putSummarySetting(s!.id, { ...s!, name: 'Kept by hand too' });
    const r = await apply(pruned);
    expect(r.failed.map((f) => [f.action.address, f.outcome]).sort()).toEqual([
      ['Guide/Ours', 'conflict'],
      ['SummarySetting/Ours too', 'conflict'],
    ]);
    expect((await w!.studio.getGuide(g!.id)).name).toBe('Kept by hand');
    expect((await w!.studio.getSummarySetting(s!.id)).name).toBe('Kept by hand too');
  });
});

describe('surfaces', () => {
  it('plans a guide-only repository against an org without the LLM Gateway, and refuses gateway kinds there', { timeout: 30_000 }, async () => {
    await world({ surfaces: { llmgateway: false } });
    const guidesOnly = desiredState({ guides: [guide('Returns')] });
    const live = await readLiveState({ gateway: w!.gateway, aistudio: w!.studio });
    expect(live.unavailable).toEqual(['llmgateway']);
    await converge(guidesOnly);

    const mixed = await plan(desiredState({ guides: [guide('Returns')], templates: [template('billing')], versions: [version('billing', '1.0.0')] }));
    expect(mixed.problems).toEqual([
      expect.objectContaining({
        address: '(plan)',
        rule: 'surface-unavailable',
        message: expect.stringContaining('does not serve the LLM Gateway API (it answers 404), but git defines 1 PromptTemplate document, 1 PromptVersion document'),
      }),
    ]);
  });

  it('plans gateway kinds against an org without AI Studio while git has no guide', { timeout: 30_000 }, async () => {
    await world({ surfaces: { aistudio: false } });
    const p = await plan(desiredState({ templates: [template('billing')], versions: [version('billing', '1.0.0')] }));
    expect(p.problems).toEqual([]);
    expect(changes(p)).toEqual(['create PromptTemplate/billing', 'create PromptVersion/billing@1.0.0']);
    const withGuide = await plan(desiredState({ guides: [guide('Returns')] }));
    expect(withGuide.problems.map((x) => x.rule)).toEqual(['surface-unavailable']);
  });
});

describe('under faultRate 0.3', () => {
  it('never creates a guide, version or setting twice', { timeout: 180_000 }, async () => {
    await world({ faultRate: 0.3, faultKinds: RETRIED_FAULTS, seed: 4242, publishDelayMs: 5 });
    const names = Array.from({ length: 6 }, (_, i) => `Guide ${i}`);
    const first = desiredState({ guides: names.map((n) => guide(n)), summarySettings: names.map((n) => setting(`${n} summary`)) });
    const second = desiredState({
      guides: names.map((n) => guide(n, { instruction: `${guide(n).instruction}Thank them.\n` })),
      summarySettings: names.map((n) => setting(`${n} summary`, { summaryType: 'Detailed' })),
    });
    for (const desired of [first, second]) {
      // A failed call stops an apply; a re-run converges.
      let left = 5;
      for (;;) {
        const p = await plan(desired);
        if (changes(p).length === 0) break;
        await apply(p);
        left -= 1;
        expect(left, 'converges within a few applies').toBeGreaterThan(0);
      }
    }
    expect(w!.env.emulator.stats().faults['drop-after']).toBeGreaterThan(0);
    const guides = await w!.studio.listGuides();
    expect(guides.map((g) => g.name).sort()).toEqual(names);
    for (const g of guides) {
      // Version 1.0 (the first content) then 2.0 (the edit): no third.
      expect(g.latestSavedVersion?.version, g.name).toBe('2.0');
      expect(g.latestProductionReadyVersion?.version, g.name).toBe('2.0');
    }
    expect((await w!.studio.listSummarySettings()).length).toBe(names.length);
  });
});

describe('what a guide action costs in requests', () => {
  /** The plan's one guide action, the requests the plan expects of it, and those its apply made. */
  async function cost(desired: DesiredState, o: { prune?: boolean; owned?: Ownership } = {}): Promise<[string, number, number]> {
    const p = await plan(desired, o);
    const [a] = changes(p);
    const before = w!.studio.stats.requests;
    const r = await apply(p);
    expect(r.failed.map((f) => f.detail)).toEqual([]);
    return [a!, expectedRequests(p), w!.studio.stats.requests - before];
  }

  // The duration apply announces before a long run is these counts over the target's rate: a new
  // published guide was taken as 5 requests and made 7.
  it('is what the plan expects, for each way a guide is written and deleted', { timeout: 60_000 }, async () => {
    await world();
    const edited = (g: Guide): Guide => ({ ...g, instruction: `${g.instruction}Then thank them.\n` });
    const draft = guide('D', { publish: 'Draft' });
    const seen = [
      await cost(desiredState({ guides: [guide('G')] })),
      await cost(desiredState({ guides: [guide('G'), draft] })),
      await cost(desiredState({ guides: [edited(guide('G')), draft] })),
      await cost(desiredState({ guides: [edited(guide('G')), edited(draft)] })),
      await cost(desiredState({ guides: [edited(guide('G')), { ...edited(draft), publish: 'TestReady' }] })),
      await cost(desiredState({ guides: [edited(guide('G'))] }), { prune: true, owned: { names: { Guide: ['G', 'D'] }, complete: true, source: 'git history of prompts/' } }),
    ];
    expect(seen.map(([a, expected, made]) => `${a}: ${made}`)).toEqual([
      'create Guide/G: 7', // the guide, its first version read, the PATCH that fills it, the publish job, its poll, the version read
      'create Guide/D: 4',
      'update Guide/G: 6', // a new version after production
      'update Guide/D: 3', // the Draft edited in place
      'update Guide/D: 5', // published to TestReady as it is
      'delete Guide/D: 5', // read, its versions read for the guard, the DELETE, and the reads until it is gone
    ]);
    for (const [a, expected, made] of seen) expect(expected, a).toBe(made);
  });
});
