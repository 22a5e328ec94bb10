// The Guide and SummarySetting kinds, pure: canonical forms, model ⇄ wire, and planning against
// hand-built live state (guides with their latest and production versions, settings), through the
// plan engine as the CLI runs it.
import { describe, expect, it } from 'vitest';
import { canonical as guideCanonical, contentCanonical, fromWire as guideFromWire, landed, toWire as guideToWire, unexpressed } from '../../../src/kinds/Guide/index.js';
import { canonicalHash } from '../../../src/kinds/canonical.js';
import type { Ownership } from '../../../src/kinds/ownership.js';
import { bcp47, canonical as summaryCanonical, fromWire as summaryFromWire, landed as summaryLanded, toWire as summaryToWire } from '../../../src/kinds/SummarySetting/index.js';
import type { Guide, SummarySetting } from '../../../src/model/types.js';
import { settle } from '../../../src/apply/recovery.js';
import { holdsIntendedOf, kindOf, liveSnapshots } from '../../../src/kinds/index.js';
import { intendedSnapshot } from '../../../src/apply/audit-fields.js';
import { buildPlan } from '../../../src/plan/build.js';
import { changedScope } from '../../../src/plan/scope.js';
import { checkPlanFile } from '../../../src/schema/plan-file.js';
import type { Plan } from '../../../src/plan/types.js';
import type { GuideVersionState, WireGuideVersion, WireSummarySetting } from '../../../src/targets/aistudio/wire.js';
import type { LiveGuide, LiveState } from '../../../src/targets/live.js';
import { renderText } from '../../../src/views/plan-text.js';
import { anyAction, desiredState, opts } from '../plan/fixtures.js';

const here = { file: 'prompts/guides/returns.yaml', line: 1, column: 1 };
const when = '2025-06-01T10:00:00.000Z';

function guide(name: string, over: Partial<Guide> = {}): Guide {
  return {
    kind: 'Guide',
    name,
    labels: {},
    instruction: 'Say "Hello {{Variable.first_name}}".\nAsk for the order number.\n',
    variables: [
      { name: 'first_name', type: 'String', scope: 'Input', description: 'The first name' },
      { name: 'order', type: 'String', scope: 'Output' },
    ],
    dataActions: [{ id: 'da-1', label: 'Get order' }],
    publish: 'ProductionReady',
    source: here,
    locations: {},
    ...over,
  };
}

function version(guideId: string, label: string, state: GuideVersionState, g: Guide): WireGuideVersion {
  const body = guideToWire(g);
  return {
    selfUri: `/api/v2/guides/${guideId}/versions/${label}`,
    guide: { id: guideId },
    version: label,
    state,
    dateCreated: when,
    dateModified: when,
    // The server lists variables in another order and spells absent lists as empty.
    instruction: body.instruction,
    variables: [...(body.variables ?? [])].reverse(),
    resources: { dataActions: body.resources?.dataActions ?? [] },
  };
}

function liveGuide(name: string, versions: { latest?: WireGuideVersion; production?: WireGuideVersion } = {}, id = `g-${name}`): LiveGuide {
  const out: LiveGuide = { id, name, status: 'Published', source: 'Manual', dateCreated: when, dateModified: '2025-06-03T08:00:00.000Z', selfUri: `/api/v2/guides/${id}` };
  if (versions.latest) {
    out.latestSavedVersion = { version: versions.latest.version };
    out.latest = versions.latest;
  }
  const prod = versions.production ?? (versions.latest?.state === 'ProductionReady' ? versions.latest : undefined);
  if (prod) out.latestProductionReadyVersion = { version: prod.version };
  if (versions.production) out.production = versions.production;
  return out;
}

function live(guides: LiveGuide[] = [], summarySettings: WireSummarySetting[] = [], unavailable?: LiveState['unavailable']): LiveState {
  return { templates: [], filters: [], guides, summarySettings, ...(unavailable ? { unavailable } : {}) };
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
    predefinedInsights: ['ReasonForCall', 'Resolution'],
    prompt: 'Summarise the call in three bullet points.\n',
    source: { file: 'prompts/summaries/voice.yaml', line: 1, column: 1 },
    locations: {},
    ...over,
  };
}

function liveSetting(s: SummarySetting, over: Partial<WireSummarySetting> = {}): WireSummarySetting {
  const body = summaryToWire(s);
  return {
    id: `s-${s.name}`,
    // What the server fills in, in its own order.
    interactionType: 'Live',
    ...body,
    language: body.language.toLowerCase(),
    predefinedInsights: [...(body.predefinedInsights ?? [])].reverse(),
    dateCreated: when,
    dateModified: '2025-06-04T09:30:00.000Z',
    selfUri: `/api/v2/conversations/summaries/settings/s-${s.name}`,
    ...over,
  };
}

const owned = (names: Partial<Ownership['names']>, complete = true): Ownership => ({ names, complete, source: 'git history of prompts/' });
const one = (plan: Plan, address: string) => anyAction(plan.actions.find((a) => a.address === address))!;

describe('Guide: canonical form and model ⇄ wire', () => {
  it('ignores variable and data action order and treats absent lists, descriptions and knowledge as empty', () => {
    const g = guide('Returns');
    const body = guideToWire(g);
    const shuffled = { ...body, variables: [...(body.variables ?? [])].reverse(), resources: { dataActions: [{ id: 'da-1', label: 'Get order', description: '' }] } };
    expect(landed(body, shuffled)).toBe(true);
    expect(contentCanonical({ instruction: 'x' })).toEqual(contentCanonical({ instruction: 'x', variables: [], resources: { dataActions: [] }, knowledgeSettings: {} }));
    // A trailing newline is a change; the state is part of the form.
    expect(landed(body, { ...body, instruction: body.instruction.trimEnd() })).toBe(false);
    expect(guideCanonical({ content: body, state: 'Draft' })).not.toEqual(guideCanonical({ content: body, state: 'ProductionReady' }));
  });

  it('round-trips through the wire, with the live state as publish', () => {
    const g = guide('Returns', { knowledge: { knowledgeId: '3f2a6a5e-8c1d-4a83-9d5c-2b7e4f0c1a90', knowledgeType: 'Standard' } });
    const back = guideFromWire('Returns', { ...version('g1', '2.0', 'TestReady', g), knowledgeSettings: guideToWire(g).knowledgeSettings! });
    expect(back.publish).toBe('TestReady');
    expect(landed(guideToWire(back), guideToWire(g))).toBe(true);
    expect(guideToWire(back).knowledgeSettings).toEqual({ knowledgeId: '3f2a6a5e-8c1d-4a83-9d5c-2b7e4f0c1a90', knowledgeType: 'Standard' });
  });
});

describe('Guide: variable settings (validation, listValues, listVariables, customConversationAttributes)', () => {
  const ITEMS = {
    name: 'items',
    type: 'List' as const,
    scope: 'Input' as const,
    validation: { required: true, maxItems: 3 },
    listValues: { values: ['a', 'b'] },
    listVariables: [{ name: 'sku', type: 'String' as const, scope: 'Input' as const, validation: { pattern: '^[A-Z]{3}$' } }],
    customConversationAttributes: [{ attributeName: 'basket', schema: { id: 'schema-1' } }],
  };
  const withItems = (over: Partial<typeof ITEMS> = {}) => guide('Returns', { instruction: 'Ask for {{Variable.items}}.\n', variables: [{ ...ITEMS, ...over }] });

  it('leaves the form, and so the hash, of a guide without them as it was', () => {
    // Hashes from before these settings were content (guards and audit snapshots of existing guides stay valid).
    expect(canonicalHash(guideCanonical({ content: guideToWire(guide('Returns')), state: 'ProductionReady' }))).toBe('b2d644f2d4541965917a65d71b43f54148a704559316b6b32a64b59204bbddfa');
    // Empty settings are no settings.
    expect(canonicalHash(contentCanonical({ instruction: 'x', variables: [{ name: 'a', type: 'List', scope: 'Input', validation: {}, listValues: {}, listVariables: [], customConversationAttributes: [] }] }))).toBe(
      'e0cd59d48ce8b51e60752a9417a16bea9bd28c99a9c00ed05a32b260547a22e2',
    );
    expect(guideToWire(guide('Returns')).variables).toEqual([
      { name: 'first_name', type: 'String', scope: 'Input', description: 'The first name' },
      { name: 'order', type: 'String', scope: 'Output' },
    ]);
  });

  it('sends them as written, reads them back into the model, and a live copy is the same content', () => {
    const g = withItems();
    expect(guideToWire(g).variables).toEqual([ITEMS]);
    // The server links the attribute's schema (selfUri): not content, and not exported.
    const wire = version('g1', '1.0', 'ProductionReady', g);
    wire.variables = [{ ...ITEMS, customConversationAttributes: [{ attributeName: 'basket', schema: { id: 'schema-1', selfUri: '/api/v2/schemas/schema-1' } }] }];
    const back = guideFromWire('Returns', wire);
    expect(back.variables).toEqual([ITEMS]);
    expect(landed(guideToWire(g), wire)).toBe(true);
    expect(one(buildPlan(desiredState({ guides: [g] }), live([liveGuide('Returns', { latest: wire })]), opts()), 'Guide/Returns').action).toBe('noop');
    // Export has nothing to warn of; a schema member the SDK does not have is still named.
    expect(unexpressed(wire)).toEqual([]);
    wire.variables = [{ ...ITEMS, customConversationAttributes: [{ attributeName: 'basket', schema: { id: 'schema-1', version: 2 } }] }];
    expect(unexpressed(wire)).toEqual(['variables.items.customConversationAttributes (basket: schema version)']);
  });

  it('plans a change to one of them as an update naming the field, readably', () => {
    const l = liveGuide('Returns', { latest: version('g1', '1.0', 'ProductionReady', withItems()) });
    const g = withItems({ listValues: { values: ['a', 'b', 'c'] } });
    const plan = buildPlan(desiredState({ guides: [g] }), live([l]), opts());
    const a = one(plan, 'Guide/Returns');
    expect(a.action).toBe('update');
    expect(a.changes).toEqual([{ path: 'variables.items.listValues.values', before: ['a', 'b'], after: ['a', 'b', 'c'] }]);
    expect(renderText(plan)).toMatch(/variables\.items\.listValues\.values/);
    // Dropping a setting git no longer holds is a change too.
    const dropped = one(buildPlan(desiredState({ guides: [withItems({ validation: undefined })] }), live([l]), opts()), 'Guide/Returns');
    expect(dropped.changes).toEqual([{ path: 'variables.items.validation', before: { required: true, maxItems: 3 } }]);
  });
});

describe('Guide planning', () => {
  it('creates a missing guide in one action that says what happens, with the text and an approximate count', () => {
    const plan = buildPlan(desiredState({ guides: [guide('Returns assistant')] }), live(), opts());
    const a = one(plan, 'Guide/Returns assistant');
    expect(a.action).toBe('create');
    expect(a.desired).toMatchObject({ kind: 'Guide', state: 'ProductionReady', write: 'guide' });
    expect(a.reason).toBe(
      'creates the guide (source Manual), writes this content into its first version (Genesys assigns the label) and publishes it to ProductionReady',
    );
    expect(a.text).toEqual([{ field: 'instruction', before: '', after: guide('x').instruction }]);
    expect(a.tokens).toMatchObject({ model: 'o200k_base', approximate: true, after: expect.any(Number) });
    expect(a.tokens!.before).toBeUndefined();
    expect(renderText(plan)).toContain('tokens: ≈');
  });

  it('is a noop when the latest version is ProductionReady with the content, and when a lower state is wanted', () => {
    const g = guide('Returns');
    const l = liveGuide('Returns', { latest: version('g1', '3.0', 'ProductionReady', g) });
    expect(buildPlan(desiredState({ guides: [g] }), live([l]), opts()).summary).toEqual({ create: 0, update: 0, delete: 0, noop: 1 });
    const test = guide('Returns', { publish: 'TestReady' });
    expect(buildPlan(desiredState({ guides: [test] }), live([l]), opts()).summary.noop).toBe(1);
    const a = one(buildPlan(desiredState({ guides: [g] }), live([l]), opts()), 'Guide/Returns');
    expect(a.guard).toEqual({ label: '3.0', state: 'ProductionReady', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('plans a new version against the production one when published content differs, with a diff and a token delta', () => {
    const live1 = guide('Returns');
    const next = guide('Returns', { instruction: live1.instruction.replace('the order number', 'the order number (it starts with AC)') });
    const plan = buildPlan(desiredState({ guides: [next] }), live([liveGuide('Returns', { latest: version('g1', '1.0', 'ProductionReady', live1) })]), opts());
    const a = one(plan, 'Guide/Returns');
    expect(a.action).toBe('update');
    expect(a.liveId).toBe('g-Returns');
    expect(a.desired).toMatchObject({ write: 'version', state: 'ProductionReady' });
    expect(a.reason).toBe('a new version replaces production version 1.0; Genesys assigns its label');
    expect(a.changes).toEqual([{ path: 'instruction' }]);
    expect(a.text).toEqual([{ field: 'instruction', before: live1.instruction, after: next.instruction }]);
    expect(a.tokens!.before).toBeLessThan(a.tokens!.after!);
    expect(a.liveModified).toEqual({ at: '2025-06-03T08:00:00.000Z' });
    const text = renderText(plan);
    expect(text).toContain('+Ask for the order number (it starts with AC).');
    expect(text).toContain('-Ask for the order number.');
  });

  it('shows no instruction diff or token line when only the variables change', () => {
    const g = guide('Returns', { variables: [{ name: 'first_name', type: 'String', scope: 'Input', description: 'The first name' }, { name: 'order', type: 'Integer', scope: 'Output' }] });
    const a = one(buildPlan(desiredState({ guides: [g] }), live([liveGuide('Returns', { latest: version('g1', '1.0', 'ProductionReady', guide('Returns')) })]), opts()), 'Guide/Returns');
    expect(a.action).toBe('update');
    expect(a.changes.map((c) => c.path)).toEqual(['variables.order.type']);
    expect(a.text).toBeUndefined();
    expect(a.tokens).toBeUndefined();
  });

  it('says production stays when the new version is only to be TestReady', () => {
    const g = guide('Returns', { instruction: 'New text.\n', variables: [], publish: 'TestReady' });
    const a = one(buildPlan(desiredState({ guides: [g] }), live([liveGuide('Returns', { latest: version('g1', '1.0', 'ProductionReady', guide('Returns')) })]), opts()), 'Guide/Returns');
    expect(a.reason).toBe('a new version after production version 1.0, published to TestReady; production stays 1.0; Genesys assigns its label');
    // The variables git drops are named.
    expect(a.changes.map((c) => c.path)).toEqual(['instruction', 'variables.first_name', 'variables.order']);
  });

  it('edits the latest Draft in place, then publishes it, naming the production version it replaces', () => {
    const prod = version('g1', '1.0', 'ProductionReady', guide('Returns'));
    const draft = version('g1', '2.0', 'Draft', guide('Returns', { instruction: 'Work in progress.\n', variables: [] }));
    const g = guide('Returns', { instruction: 'Say "Hi {{Variable.first_name}}".\n' });
    const a = one(buildPlan(desiredState({ guides: [g] }), live([liveGuide('Returns', { latest: draft, production: prod })]), opts()), 'Guide/Returns');
    expect(a.desired).toMatchObject({ write: 'patch', state: 'ProductionReady' });
    expect(a.reason).toBe('edits Draft 2.0 in place, then publishes it to ProductionReady, replacing production version 1.0');
    expect(a.changes).toContainEqual({ path: 'state', before: 'Draft', after: 'ProductionReady' });
    // Against the Draft it edits, and against the production version it replaces (what production
    // gains or loses, which the Draft's diff does not show).
    expect(a.text).toEqual([
      { field: 'instruction', before: 'Work in progress.\n', after: g.instruction },
      { field: 'production 1.0: instruction', before: prod.instruction, after: g.instruction },
    ]);
    expect(a.changes.filter((c) => c.path.startsWith('production 1.0: ')).map((c) => c.path)).toEqual(['production 1.0: instruction']);
    expect(a.guard).toMatchObject({ label: '2.0', state: 'Draft' });
  });

  it('says an edit puts a TestReady version back to Draft when publish does not ask for TestReady (E5)', () => {
    const tested = version('g1', '5.0', 'TestReady', guide('Returns'));
    const changed = (publish: Guide['publish']) => guide('Returns', { instruction: 'Say "Hi {{Variable.first_name}}".\n', publish });
    const plan = (g: Guide) => one(buildPlan(desiredState({ guides: [g] }), live([liveGuide('Returns', { latest: tested })]), opts()), 'Guide/Returns');
    const draft = plan(changed('Draft'));
    expect(draft.desired).toMatchObject({ write: 'patch', state: 'Draft' });
    expect(draft.reason).toBe('edits TestReady 5.0 in place, which puts it back to Draft (its tested content changes)');
    expect(draft.changes).toContainEqual({ path: 'state', before: 'TestReady', after: 'Draft' });
    // Published to TestReady again: the reset is the publish's to undo, as the reason says.
    const test = plan(changed('TestReady'));
    expect(test.reason).toBe('edits TestReady 5.0 in place, then publishes it to TestReady');
    expect(test.changes.filter((c) => c.path === 'state')).toEqual([]);
    // The same content under publish: Draft is no edit, so no reset.
    expect(buildPlan(desiredState({ guides: [guide('Returns', { publish: 'Draft' })] }), live([liveGuide('Returns', { latest: tested })]), opts()).summary.noop).toBe(1);
  });

  it("leaves a newer Draft or TestReady version alone when production holds git's content", () => {
    // Someone's work in progress, saved in the Genesys UI after promptctl published 1.0.
    const g = guide('Returns');
    const prod = version('g1', '1.0', 'ProductionReady', g);
    for (const state of ['Draft', 'TestReady'] as const) {
      const wip = version('g1', '2.0', state, guide('Returns', { instruction: 'Work in progress.\n', variables: [] }));
      for (const publish of ['ProductionReady', 'TestReady', 'Draft'] as const) {
        const plan = buildPlan(desiredState({ guides: [guide('Returns', { publish })] }), live([liveGuide('Returns', { latest: wip, production: prod })]), opts());
        expect(plan.summary, `${state} 2.0, publish ${publish}`).toEqual({ create: 0, update: 0, delete: 0, noop: 1 });
        // Guarded by production: the version it leaves alone may be saved again meanwhile.
        expect(one(plan, 'Guide/Returns').guard).toMatchObject({ label: '1.0', state: 'ProductionReady' });
      }
    }
    const again = version('g1', '2.0', 'Draft', guide('Returns', { instruction: 'Work in progress, saved again.\n', variables: [] }));
    const fingerprint = (wip: WireGuideVersion) => buildPlan(desiredState({ guides: [g] }), live([liveGuide('Returns', { latest: wip, production: prod })]), opts()).fingerprint;
    expect(fingerprint(again)).toBe(fingerprint(version('g1', '2.0', 'Draft', guide('Returns', { instruction: 'Work in progress.\n', variables: [] }))));
    // A Draft saved unchanged (the same content as production): publishing it would ship nothing new.
    const copy = version('g1', '2.0', 'Draft', g);
    expect(buildPlan(desiredState({ guides: [g] }), live([liveGuide('Returns', { latest: copy, production: prod })]), opts()).summary.noop).toBe(1);
    // Once git's content changes, the Draft is the version it goes into (a second cannot exist).
    const wip = version('g1', '2.0', 'Draft', guide('Returns', { instruction: 'Work in progress.\n', variables: [] }));
    const changed = guide('Returns', { instruction: 'Say "Hi {{Variable.first_name}}".\n' });
    expect(one(buildPlan(desiredState({ guides: [changed] }), live([liveGuide('Returns', { latest: wip, production: prod })]), opts()), 'Guide/Returns').desired).toMatchObject({ write: 'patch' });
  });

  it('only publishes a Draft that holds the content already; a Draft wanted as Draft is a noop', () => {
    const g = guide('Returns');
    const l = liveGuide('Returns', { latest: version('g1', '1.0', 'Draft', g) });
    const a = one(buildPlan(desiredState({ guides: [g] }), live([l]), opts()), 'Guide/Returns');
    expect(a.desired).toMatchObject({ write: 'none' });
    expect(a.reason).toBe('publishes Draft 1.0 (it holds this content already) to ProductionReady');
    expect(a.changes).toEqual([{ path: 'state', before: 'Draft', after: 'ProductionReady' }]);
    expect(a.text).toBeUndefined();
    expect(buildPlan(desiredState({ guides: [guide('Returns', { publish: 'Draft' })] }), live([l]), opts()).summary.noop).toBe(1);
  });

  it('fills a guide that has no version yet', () => {
    const a = one(buildPlan(desiredState({ guides: [guide('Returns')] }), live([liveGuide('Returns')]), opts()), 'Guide/Returns');
    expect(a.action).toBe('update');
    expect(a.desired).toMatchObject({ write: 'version' });
    expect(a.guard).toEqual({});
    expect(a.reason).toMatch(/^the guide has no version yet: creates its first version/);
  });

  it('deletes only guides git once defined: pending without prune, deleted with it; others are left alone', () => {
    const prod = version('g1', '4.0', 'ProductionReady', guide('Old'));
    const l = [liveGuide('Old', { latest: prod }), liveGuide('Hand made', { latest: version('g2', '1.0', 'ProductionReady', guide('Hand made')) })];
    const own = owned({ Guide: ['Old'] });
    const pending = buildPlan(desiredState({}), live(l), opts({ owned: own, allowMassDelete: true }));
    const a = one(pending, 'Guide/Old');
    expect(a).toMatchObject({ action: 'delete', pending: true, liveId: 'g-Old', guard: { label: '4.0', state: 'ProductionReady' } });
    expect(a.reason).toContain('removed from git (git history of prompts/ defined it)');
    expect(pending.unmanaged).toEqual([{ address: 'Guide/Hand made', reason: "not in git, and git history of prompts/ never defined it: not promptctl's, left alone" }]);
    const pruned = buildPlan(desiredState({}), live(l), opts({ prune: true, owned: own, allowMassDelete: true }));
    expect(one(pruned, 'Guide/Old').pending).toBeUndefined();
    expect(pruned.summary.delete).toBe(1);
    // Its versions go with it, the production one too: called out as a template's delete is.
    expect(a.destructive).toBe(true);
    expect(one(pruned, 'Guide/Old').destructive).toBe(true);
    // Without any ownership record nothing is deleted, and an incomplete record says why.
    expect(buildPlan(desiredState({}), live(l), opts({ prune: true })).summary.delete).toBe(0);
    const shallow = buildPlan(desiredState({}), live(l), opts({ prune: true, owned: { ...owned({}, false), caveat: 'a shallow clone' } }));
    expect(shallow.unmanaged[0]!.reason).toContain('(a shallow clone)');
  });

  it("leaves alone a guide made after git stopped defining its name: a namesake, not the one promptctl made", () => {
    const l = (created: string) => [{ ...liveGuide('Old', { latest: version('g1', '1.0', 'ProductionReady', guide('Old')) }), dateCreated: created }];
    const own: Ownership = { ...owned({ Guide: ['Old'] }), removedAt: { Guide: { Old: '2025-06-02T09:00:00+02:00' } } };
    // Made before the commit that took it out of git (07:00Z): promptctl's, pruned.
    expect(one(buildPlan(desiredState({}), live(l('2025-06-02T06:59:59.000Z')), opts({ prune: true, owned: own, allowMassDelete: true })), 'Guide/Old').action).toBe('delete');
    // Within the commit's second (git dates to the second): not surely after it.
    expect(one(buildPlan(desiredState({}), live(l('2025-06-02T07:00:00.999Z')), opts({ prune: true, owned: own, allowMassDelete: true })), 'Guide/Old').action).toBe('delete');
    const after = buildPlan(desiredState({}), live(l('2025-06-02T07:00:01.000Z')), opts({ prune: true, owned: own, allowMassDelete: true }));
    expect(after.summary.delete).toBe(0);
    expect(after.unmanaged).toEqual([
      {
        address: 'Guide/Old',
        reason: "not in git; git history of prompts/ defined a Guide of this name until 2025-06-02T09:00:00+02:00, and this one was made after that (2025-06-02T07:00:01.000Z): not promptctl's, left alone",
      },
    ]);
  });

  it('plans a rename as a create and, for the old name, a delete', () => {
    const l = [liveGuide('Returns', { latest: version('g1', '1.0', 'ProductionReady', guide('Returns')) })];
    const plan = buildPlan(desiredState({ guides: [guide('Returns and exchanges')] }), live(l), opts({ owned: owned({ Guide: ['Returns'] }) }));
    expect(plan.actions.map((x) => `${x.action} ${x.address}`).sort()).toEqual(['create Guide/Returns and exchanges', 'delete Guide/Returns']);
    // The same content under the new name: the create says what a rename costs.
    expect(one(plan, 'Guide/Returns and exchanges').reason).toMatch(
      /; the same content as Guide\/Returns, which this plan would delete with prune: renamed in git, a guide is a new one with a new id, which flows that call Guide\/Returns do not follow \(to keep the id, rename the guide in Genesys as well before applying/,
    );
    const other = buildPlan(desiredState({ guides: [guide('Returns and exchanges', { instruction: 'Other text.\n', variables: [] })] }), live(l), opts({ owned: owned({ Guide: ['Returns'] }) }));
    expect(one(other, 'Guide/Returns and exchanges').reason).not.toContain('same content');
  });

  it("names a rename whose old guide's production holds git's content under a newer work-in-progress Draft", () => {
    // Someone's Draft 2.0 atop production 1.0 (which plan leaves alone): flows call production, the
    // guide's content as git defines it, so the create must still say what the rename costs.
    const prod = version('g1', '1.0', 'ProductionReady', guide('Returns'));
    const wip = version('g1', '2.0', 'Draft', guide('Returns', { instruction: 'Work in progress.\n', variables: [] }));
    const l = [liveGuide('Returns', { latest: wip, production: prod })];
    const plan = buildPlan(desiredState({ guides: [guide('Returns and exchanges')] }), live(l), opts({ owned: owned({ Guide: ['Returns'] }) }));
    expect(one(plan, 'Guide/Returns and exchanges').reason).toContain('the same content as Guide/Returns, which this plan would delete with prune: renamed in git');
  });
});

describe('SummarySetting', () => {
  it('maps maskPII and the prompt to the wire and back, and canonicalises defaults, case and insight order', () => {
    const s = setting('Voice wrap-up');
    const body = summaryToWire(s);
    expect(body).toMatchObject({ maskPII: { all: true }, settingType: 'Prompt', prompt: s.prompt });
    expect(summaryToWire(setting('Basic', { prompt: undefined })).settingType).toBe('Basic');
    expect(summaryCanonical(liveSetting(s))).toEqual(summaryCanonical(body));
    // The language is sent in its conventional casing, as the plan shows it.
    expect(summaryToWire(summaryFromWire(liveSetting(s)))).toEqual({ ...body, interactionType: 'Live', language: 'en-US', predefinedInsights: ['Resolution', 'ReasonForCall'] });
    expect(bcp47('zh-hant-tw')).toBe('zh-Hant-TW');
  });

  it('refuses to create a guide or setting whose name the org already has in another case (AI Studio takes it for the same)', () => {
    const plan = buildPlan(
      desiredState({ guides: [guide('returns assistant')], summarySettings: [setting('voice wrap-up')] }),
      live([liveGuide('Returns Assistant')], [liveSetting(setting('Voice Wrap-up'))]),
      opts(),
    );
    expect(plan.actions.filter((a) => a.action === 'create')).toEqual([]);
    expect(plan.problems.map((p) => [p.address, p.rule, p.message])).toEqual([
      ['Guide/returns assistant', 'name-differs-in-case', 'git names a Guide "returns assistant" and the org has "Returns Assistant", which AI Studio takes for the same name (it compares names without case), so creating it would be refused; spell it "Returns Assistant" in git, or rename the live one'],
      ['SummarySetting/voice wrap-up', 'name-differs-in-case', expect.stringContaining('the org has "Voice Wrap-up"')],
    ]);
    // The same name in the same case is the same object, as always.
    expect(buildPlan(desiredState({ guides: [guide('Returns Assistant')] }), live([liveGuide('Returns Assistant')]), opts()).problems).toEqual([]);
    // It points at the name in git, not at the document's first line.
    const file = 'prompts/guides/returns.yaml';
    const named = guide('returns assistant', { source: { file, line: 2, column: 1 }, locations: { 'metadata.name': { file, line: 4, column: 9 } } });
    const [problem] = buildPlan(desiredState({ guides: [named] }), live([liveGuide('Returns Assistant')]), opts()).problems;
    expect(problem).toMatchObject({ field: 'metadata.name', file, line: 4, column: 9 });
  });

  it('says what a rename costs on a create beside the delete of a setting with the same content', () => {
    const l = { ...liveSetting(setting('Voice wrap-up')), id: 'old-id' };
    const plan = buildPlan(desiredState({ summarySettings: [setting('Voice wrap-up (en-US)')] }), live([], [l]), opts({ owned: owned({ SummarySetting: ['Voice wrap-up'] }) }));
    expect(one(plan, 'SummarySetting/Voice wrap-up (en-US)').reason).toBe(
      'the same content as SummarySetting/Voice wrap-up, which this plan would delete with prune: renamed in git, a summary setting is a new one with a new id, which whatever refers to SummarySetting/Voice wrap-up does not follow (to keep the id, rename the summary setting in Genesys as well before applying: the next plan finds it under the new name)',
    );
  });

  it("reads an Email setting renamed in git or by hand as a rename (git leaves interactionType to the org), and says what a create cannot keep of it", () => {
    // Before: the create's Live default made the two differ, so neither note came, and prune replaced an Email setting by a Live one unsaid.
    const email = { ...liveSetting(setting('External one'), { interactionType: 'Email' }), id: 'old-id' };
    const renamed = desiredState({ summarySettings: [setting('External two')] });
    const pending = buildPlan(renamed, live([], [email]), opts({ owned: owned({ SummarySetting: ['External one'] }) }));
    const create = one(pending, 'SummarySetting/External two');
    expect(create.action).toBe('create');
    expect(create.reason).toContain('the same content as SummarySetting/External one, which this plan would delete with prune: renamed in git');
    expect(pending.problems).toEqual([]);
    // Nothing is lost yet, but once the Live one is made no plan reads the two as a rename: said now.
    expect(pending.warnings).toEqual([
      {
        address: 'SummarySetting/External two',
        rule: 'read-only-field',
        field: 'metadata.name',
        file: 'prompts/summaries/voice.yaml',
        line: 1,
        column: 1,
        message:
          'git renames SummarySetting/External one to "External two", but the Platform API cannot set interactionType (read-only): the new setting would be Live, and SummarySetting/External one\'s Email is lost once prune deletes it; rename the summary setting in Genesys Cloud instead (the next plan finds it under the new name), or write interactionType: Live in git if a Live setting is what you want',
      },
    ]);
    expect(one(pending, 'SummarySetting/External one').reason).toContain('(an Email setting, which the Platform API cannot create again: interactionType is read-only)');
    // With prune the Email setting would be gone for good: refused.
    const pruned = buildPlan(renamed, live([], [email]), opts({ prune: true, owned: owned({ SummarySetting: ['External one'] }) }));
    expect(pruned.problems.map((p) => [p.address, p.rule, p.message.includes("External one's Email is lost for good when this plan deletes it")])).toEqual([
      ['SummarySetting/External two', 'read-only-field', true],
    ]);
    expect(pruned.warnings).toBeUndefined();
    // Live written in git is a Live setting meant: another content, no rename, nothing said.
    const meant = buildPlan(desiredState({ summarySettings: [setting('External two', { interactionType: 'Live' })] }), live([], [email]), opts({ prune: true, owned: owned({ SummarySetting: ['External one'] }) }));
    expect([meant.problems, meant.warnings, one(meant, 'SummarySetting/External two').reason]).toEqual([[], undefined, undefined]);
    // A Live setting renamed so gets the note and nothing more.
    const liveOne = buildPlan(renamed, live([], [{ ...liveSetting(setting('External one')), id: 'old-id' }]), opts({ prune: true, owned: owned({ SummarySetting: ['External one'] }) }));
    expect([liveOne.problems, liveOne.warnings]).toEqual([[], undefined]);

    // Renamed by hand on the target: found under its other name, with what the new one cannot be.
    const hand = buildPlan(desiredState({ summarySettings: [setting('External one')] }), live([], [{ ...email, name: 'External hand' }]), opts());
    expect(one(hand, 'SummarySetting/External one').reason).toMatch(
      /^on the target under another name, SummarySetting\/External hand \(id old-id\), which holds the same content: .*; the setting it creates is Live, where SummarySetting\/External hand is Email: the Platform API cannot set interactionType \(read-only\)$/,
    );
    expect(hand.unmanaged.map((u) => u.reason)).toEqual([expect.stringContaining('it holds the same content as SummarySetting/External one')]);
  });

  it('sends the language as the plan shows it, and keeps the org\'s spelling of the same tag in a PUT for another change', () => {
    // Before: the plan showed "de-DE" and the create sent "de-de"; a PUT for maskPII rewrote the org's "en-US" as git's "en-us", unsaid.
    const created = one(buildPlan(desiredState({ summarySettings: [setting('German', { language: 'de-de' })] }), live(), opts()), 'SummarySetting/German');
    expect(created.changes).toContainEqual({ path: 'language', after: 'de-DE' });
    expect(created.desired).toMatchObject({ body: { language: 'de-DE' } });
    const held = liveSetting(setting('Voice'), { language: 'en-US' });
    const a = one(buildPlan(desiredState({ summarySettings: [setting('Voice', { language: 'en-us', maskPII: false })] }), live([], [held]), opts()), 'SummarySetting/Voice');
    expect(a.changes).toEqual([{ path: 'maskPII', before: true, after: false }]);
    expect(a.desired).toMatchObject({ body: { language: 'en-US' } });
    // An org spelling it "en-us" keeps its spelling too: no plan shows a change there.
    const lower = one(buildPlan(desiredState({ summarySettings: [setting('Voice', { maskPII: false })] }), live([], [liveSetting(setting('Voice'), { language: 'en-us' })]), opts()), 'SummarySetting/Voice');
    expect(lower.changes).toEqual([{ path: 'maskPII', before: true, after: false }]);
    expect(lower.desired).toMatchObject({ body: { language: 'en-us' } });
    // Another tag is a change, sent as shown.
    const moved = one(buildPlan(desiredState({ summarySettings: [setting('Voice', { language: 'en-gb' })] }), live([], [held]), opts()), 'SummarySetting/Voice');
    expect(moved.changes).toEqual([{ path: 'language', before: 'en-US', after: 'en-GB' }]);
    expect(moved.desired).toMatchObject({ body: { language: 'en-GB' } });
  });

  it('plans create, noop and a guarded update of the whole setting', () => {
    const s = setting('Voice wrap-up');
    expect(one(buildPlan(desiredState({ summarySettings: [s] }), live(), opts()), 'SummarySetting/Voice wrap-up').action).toBe('create');
    const l = liveSetting(s);
    const noop = one(buildPlan(desiredState({ summarySettings: [s] }), live([], [l]), opts()), 'SummarySetting/Voice wrap-up');
    expect(noop.action).toBe('noop');
    // Its keys in sorted order, the guard's too: stable JSON writes it natively (util/json.ts).
    expect(Object.keys(noop.guard ?? {})).toEqual(['dateModified', 'hash']);
    expect(Object.keys(noop)).toEqual(Object.keys(noop).sort());
    const edited = setting('Voice wrap-up', { prompt: 'Summarise the call in five bullet points.\n', maskPII: false });
    const a = one(buildPlan(desiredState({ summarySettings: [edited] }), live([], [l]), opts()), 'SummarySetting/Voice wrap-up');
    expect(a.action).toBe('update');
    expect(a.guard).toEqual({ hash: canonicalHash(summaryCanonical(l)), dateModified: '2025-06-04T09:30:00.000Z' });
    expect(a.changes).toEqual([{ path: 'maskPII', before: true, after: false }, { path: 'prompt' }]);
    expect(a.text).toEqual([{ field: 'prompt', before: s.prompt, after: edited.prompt }]);
    expect(a.tokens).toMatchObject({ approximate: true });
    expect(a.liveModified).toEqual({ at: '2025-06-04T09:30:00.000Z' });
  });

  it('calls out turning PII masking off as weakening safety, as a version\'s guardrail turned off is', () => {
    const s = setting('Voice wrap-up');
    const l = liveSetting(s);
    const plan = buildPlan(desiredState({ summarySettings: [setting('Voice wrap-up', { maskPII: false })] }), live([], [l]), opts());
    const a = one(plan, 'SummarySetting/Voice wrap-up');
    expect(a.action).toBe('update');
    expect(a.destructive).toBe(true);
    expect(a.reason).toBe('weakens safety: maskPII off');
    expect(renderText(plan)).toContain('~ update SummarySetting/Voice wrap-up ⚠ destructive\n    weakens safety: maskPII off\n');
    // Turned on: nothing claimed. Left out of git, it keeps the org's (A17): no change at all.
    const on = liveSetting(setting('Voice wrap-up', { maskPII: false }));
    expect(one(buildPlan(desiredState({ summarySettings: [s] }), live([], [on]), opts()), 'SummarySetting/Voice wrap-up').destructive).toBeUndefined();
    const unsaid = one(buildPlan(desiredState({ summarySettings: [setting('Voice wrap-up', { maskPII: undefined })] }), live([], [l]), opts()), 'SummarySetting/Voice wrap-up');
    expect(unsaid.action).toBe('noop');
  });

  it('keeps what the org holds of summaryType, format and maskPII when git leaves them out, and takes what it fills in on a create (A17)', () => {
    const bare = (over: Partial<SummarySetting> = {}): SummarySetting => {
      const d = setting('Voice', over);
      delete d.summaryType;
      delete d.format;
      delete d.maskPII;
      return d;
    };
    const l = liveSetting(setting('Voice'), { summaryType: 'Detailed', format: 'GroupedBulletPoints', maskPII: { all: false } });
    expect(one(buildPlan(desiredState({ summarySettings: [bare()] }), live([], [l]), opts()), 'SummarySetting/Voice').action).toBe('noop');
    // Another change: the PUT carries the org's values, so it changes only what the plan shows.
    const a = one(buildPlan(desiredState({ summarySettings: [bare({ predefinedInsights: ['Resolution'] })] }), live([], [l]), opts()), 'SummarySetting/Voice');
    expect(a.changes.map((c) => c.path)).toEqual(['predefinedInsights']);
    if (a.action !== 'update' || a.desired.kind !== 'SummarySetting') throw new Error('expected an update');
    expect([a.desired.body.summaryType, a.desired.body.format, a.desired.body.maskPII]).toEqual(['Detailed', 'GroupedBulletPoints', { all: false }]);
    // Named in git, they are compared and sent as ever.
    expect(one(buildPlan(desiredState({ summarySettings: [setting('Voice')] }), live([], [l]), opts()), 'SummarySetting/Voice').changes.map((c) => c.path)).toEqual([
      'format',
      'maskPII',
      'summaryType',
    ]);
    // A create sends none; whatever the org then fills in is the write landing, to the client and to settling.
    const created = buildPlan(desiredState({ summarySettings: [bare()] }), live(), opts()).actions[0]!;
    if (created.action !== 'create' || created.desired.kind !== 'SummarySetting') throw new Error('expected a create');
    expect(created.desired.body).not.toHaveProperty('summaryType');
    const filled = liveSetting(bare(), { summaryType: 'Concise', format: 'TextBlock', maskPII: { all: true } });
    expect(summaryLanded(created.desired.body, filled)).toBe(true);
    expect(summaryLanded(created.desired.body, { ...filled, prompt: 'Other.' })).toBe(false);
    const meant = intendedSnapshot(created)!;
    const intent = { address: 'SummarySetting/Voice', action: 'create', before: null, after: { version: meant.version, hash: meant.hash, content: meant.content ?? null } };
    const now = liveSnapshots(live([], [filled])).get('SummarySetting/Voice')!;
    expect(intent.after.hash).not.toBe(now.hash);
    expect(settle(intent, now, [], {}, (own) => holdsIntendedOf(intent, own)).outcome).toBe('succeeded (recovered)');
    const other = liveSnapshots(live([], [{ ...filled, prompt: 'Other.' }])).get('SummarySetting/Voice')!;
    expect(settle(intent, other, [], {}, (own) => holdsIntendedOf(intent, own)).outcome).toBe('not applied');
    // Export writes what the org holds, and a plan of the export is still no change.
    const exported = summaryFromWire(filled);
    expect([exported.summaryType, exported.format, exported.maskPII]).toEqual(['Concise', 'TextBlock', true]);
    expect(one(buildPlan(desiredState({ summarySettings: [exported] }), live([], [filled]), opts()), 'SummarySetting/Voice').action).toBe('noop');
  });

  it('refuses an interactionType the Platform API cannot set (read-only), and keeps the org\'s when git leaves it out', () => {
    const email = liveSetting(setting('Email digest'), { interactionType: 'Email' });
    // Left out of git: the org's Email setting is not an update on every run (a PUT cannot change it).
    const kept = one(buildPlan(desiredState({ summarySettings: [setting('Email digest')] }), live([], [email]), opts()), 'SummarySetting/Email digest');
    expect(kept.action).toBe('noop');
    const edited = one(
      buildPlan(desiredState({ summarySettings: [setting('Email digest', { maskPII: false })] }), live([], [email]), opts()),
      'SummarySetting/Email digest',
    );
    expect(edited.action).toBe('update');
    expect(edited.changes).toEqual([{ path: 'maskPII', before: true, after: false }]);
    // Named in git: the same as the org's is fine; another value can never land, so the plan says so.
    expect(buildPlan(desiredState({ summarySettings: [setting('Email digest', { interactionType: 'Email' })] }), live([], [email]), opts()).problems).toEqual([]);
    const wrong = buildPlan(desiredState({ summarySettings: [setting('Email digest', { interactionType: 'Live' }), setting('New', { interactionType: 'Email' })] }), live([], [email]), opts());
    expect(wrong.actions.filter((a) => a.kind === 'SummarySetting')).toEqual([]);
    expect(wrong.problems.map((p) => [p.address, p.rule, p.field])).toEqual([
      ['SummarySetting/Email digest', 'read-only-field', 'interactionType'],
      ['SummarySetting/New', 'read-only-field', 'interactionType'],
    ]);
    expect(wrong.problems[0]!.message).toContain("the org's setting is Email");
    // Pointed at the interactionType line, not at the document.
    const at = { file: 'prompts/summaries/email.yaml', line: 7, column: 20 };
    const located = buildPlan(
      desiredState({ summarySettings: [setting('Email digest', { interactionType: 'Live', source: { ...at, line: 2, column: 1 }, locations: { 'spec.interactionType': at } })] }),
      live([], [email]),
      opts(),
    );
    expect(located.problems.map((p) => [p.file, p.line, p.column])).toEqual([[at.file, 7, 20]]);
  });

  it("shows a live Basic setting's prompt going: git cannot hold it, and a PUT replaces the whole setting", () => {
    const basic = setting('Basic wrap-up', { prompt: undefined });
    const held = 'Summarise the call, naming the product.\n';
    const l = liveSetting(basic, { settingType: 'Basic', prompt: held });
    // The prompt is content: an audit record's before holds it, and an update shows it going.
    expect(summaryCanonical(l)).toMatchObject({ settingType: 'Basic', prompt: held });
    const a = one(buildPlan(desiredState({ summarySettings: [basic] }), live([], [l]), opts()), 'SummarySetting/Basic wrap-up');
    expect(a.action).toBe('update');
    expect(a.changes).toEqual([{ path: 'prompt' }]);
    expect(a.text).toEqual([{ field: 'prompt', before: held, after: '' }]);
    // Without one (or with an empty one) on either side, nothing changes.
    const plain = liveSetting(basic, { settingType: 'Basic', prompt: '' });
    expect(one(buildPlan(desiredState({ summarySettings: [basic] }), live([], [plain]), opts()), 'SummarySetting/Basic wrap-up').action).toBe('noop');
    expect(summaryCanonical(liveSetting(basic))).toEqual(summaryCanonical(summaryToWire(basic)));
  });

  it('leaves alone settings git never defined and deletes owned ones with prune', () => {
    const l = [liveSetting(setting('Ours')), liveSetting(setting('Theirs'))];
    const plan = buildPlan(desiredState({}), live([], l), opts({ prune: true, owned: owned({ SummarySetting: ['Ours'] }), allowMassDelete: true }));
    expect(plan.actions.map((x) => `${x.action} ${x.address}`)).toEqual(['delete SummarySetting/Ours']);
    expect(plan.actions[0]).toMatchObject({ destructive: true, reason: expect.stringMatching(/; removes a summary setting and its prompt$/) });
    expect(plan.unmanaged.map((u) => u.address)).toEqual(['SummarySetting/Theirs']);
  });

  it('says a prompt goes with a deleted setting only when it has one', () => {
    const { prompt: _none, ...basic } = setting('Basic');
    const plan = buildPlan(desiredState({}), live([], [liveSetting(basic)]), opts({ prune: true, owned: owned({ SummarySetting: ['Basic'] }), allowMassDelete: true }));
    expect(plan.actions[0]).toMatchObject({ action: 'delete', reason: expect.stringMatching(/; removes a summary setting$/) });
  });
});

describe('surfaces the target does not serve', () => {
  it('fails only when git uses the kinds of a missing surface, naming them once', () => {
    const guidesOnly = desiredState({ guides: [guide('Returns')] });
    const ok = buildPlan(guidesOnly, live([], [], ['llmgateway']), opts());
    expect(ok.problems).toEqual([]);
    expect(ok.summary.create).toBe(1);

    // An org without AI Studio lacks both of its surfaces: each named, with its own kind.
    const plan = buildPlan(desiredState({ guides: [guide('Returns')], summarySettings: [setting('S')] }), live([], [], ['guides', 'summarysettings']), opts());
    expect(plan.problems).toEqual([
      {
        address: '(plan)',
        rule: 'surface-unavailable',
        // Placed at the first document that needs the surface (a review: no file:line, unlike the 403 note).
        file: 'prompts/guides/returns.yaml',
        line: 1,
        column: 1,
        message: expect.stringMatching(/^the target does not serve the AI Studio guides API \(it answers 404\), but git defines 1 Guide document: Guide cannot be planned/),
      },
      {
        address: '(plan)',
        rule: 'surface-unavailable',
        file: 'prompts/summaries/voice.yaml',
        line: 1,
        column: 1,
        message: expect.stringMatching(/^the target does not serve the AI Studio summary settings API \(it answers 404\), but git defines 1 SummarySetting document: SummarySetting cannot be planned/),
      },
    ]);
    // Nothing of that surface is planned.
    expect(plan.actions).toEqual([]);
  });

  it('plans summary settings where only guides are not served (guides sit behind a feature toggle), and the reverse', () => {
    const both = desiredState({ summarySettings: [setting('S')] });
    const noGuides = buildPlan(both, live([], [], ['guides']), opts());
    expect(noGuides.problems).toEqual([]);
    expect(noGuides.actions.map((a) => `${a.action} ${a.address}`)).toEqual(['create SummarySetting/S']);

    const guideOnly = desiredState({ guides: [guide('Returns')] });
    const noSettings = buildPlan(guideOnly, live([], [], ['summarysettings']), opts());
    expect(noSettings.problems).toEqual([]);
    expect(noSettings.actions.map((a) => `${a.action} ${a.address}`)).toEqual(['create Guide/Returns']);

    const guideRefused = buildPlan(desiredState({ guides: [guide('Returns')], summarySettings: [setting('S')] }), live([], [], ['guides']), opts());
    expect(guideRefused.problems.map((p) => p.message)).toEqual([expect.stringMatching(/AI Studio guides API .*1 Guide document: Guide cannot/)]);
    expect(guideRefused.actions.map((a) => a.address)).toEqual(['SummarySetting/S']);
  });
});

describe('the plan file', () => {
  it('holds AI Studio actions of every shape, as schemas/plan.schema.json describes them', () => {
    const prod = version('g1', '1.0', 'ProductionReady', guide('Kept'));
    const desired = desiredState({
      guides: [guide('New guide'), guide('Kept', { instruction: 'Changed.\n', variables: [] })],
      summarySettings: [setting('New setting'), setting('Edited', { maskPII: false })],
    });
    const l = live([liveGuide('Kept', { latest: prod }), liveGuide('Old', { latest: version('g2', '2.0', 'Draft', guide('Old')) })], [liveSetting(setting('Edited')), liveSetting(setting('Gone'))]);
    const plan = buildPlan(desired, l, opts({ prune: true, owned: owned({ Guide: ['Old'], SummarySetting: ['Gone'] }), allowMassDelete: true }));
    expect(plan.actions.map((a) => `${a.action} ${a.address}`).sort()).toEqual([
      'create Guide/New guide',
      'create SummarySetting/New setting',
      'delete Guide/Old',
      'delete SummarySetting/Gone',
      'update Guide/Kept',
      'update SummarySetting/Edited',
    ]);
    const check = checkPlanFile(JSON.stringify(plan, null, 2), 'plan.json');
    expect(check.ok ? [] : check.diagnostics).toEqual([]);
  });
});

describe('settling an interrupted apply', () => {
  it('recognises a guide and a setting that hold what an open intent meant to write', () => {
    const g = guide('Returns');
    const s = setting('Voice');
    const plan = buildPlan(desiredState({ guides: [g], summarySettings: [s] }), live(), opts());
    const after = (address: string) => {
      const a = plan.actions.find((x) => x.address === address)!;
      if (a.action !== 'create') throw new Error('expected a create');
      const k = kindOf(a.kind);
      const hash = k.intended ? k.intended(a).hash : canonicalHash(k.canonical(a.desired.body as never));
      return { version: null, hash, content: null };
    };
    const done = liveSnapshots(live([liveGuide('Returns', { latest: version('g1', '1.0', 'ProductionReady', g) })], [liveSetting(s)]));
    expect(settle({ action: 'create', before: null, after: after('Guide/Returns') }, done.get('Guide/Returns')).outcome).toBe('succeeded (recovered)');
    expect(settle({ action: 'create', before: null, after: after('SummarySetting/Voice') }, done.get('SummarySetting/Voice')).outcome).toBe('succeeded (recovered)');
    // Created but not yet published: not what was meant.
    const half = liveSnapshots(live([liveGuide('Returns', { latest: version('g1', '1.0', 'Draft', g) })]));
    expect(settle({ action: 'create', before: null, after: after('Guide/Returns') }, half.get('Guide/Returns')).outcome).toBe('not applied');
  });
});

describe('plan --changed-since', () => {
  it('scopes a guide by its YAML or its instruction file, and a setting by its YAML', () => {
    const g = guide('Returns', { textFiles: { 'spec.instruction': 'prompts/guides/returns.md' } });
    const state = desiredState({ guides: [g], summarySettings: [setting('Voice')] });
    expect(changedScope(state, ['prompts/guides/returns.md'])).toEqual(new Set(['Guide/Returns']));
    expect(changedScope(state, ['prompts/summaries/voice.yaml'])).toEqual(new Set(['SummarySetting/Voice']));
  });
});
