// Promotion (DESIGN §6): which versions a plan brings to its environment, and which of them the
// previous environment has not published.
import { describe, expect, it } from 'vitest';
import { judgeGaps, promotedVersions, promotionGaps, promotionReads, withProblems } from '../../../src/plan/promotion.js';
import { promotionProblems, promotionSummary } from '../../../src/plan/promotion-messages.js';
import { planFingerprint } from '../../../src/plan/fingerprint.js';
import type { Plan, PlanAction } from '../../../src/plan/types.js';
import { contentHash, toWire as versionWire } from '../../../src/kinds/PromptVersion/index.js';
import { desiredState, template, version } from '../../helpers/desired.js';
import type { Guide } from '../../../src/model/types.js';

const versionCreate = (template: string, version: string): PlanAction => ({
  action: 'create',
  address: `PromptVersion/${template}@${version}`,
  kind: 'PromptVersion',
  name: template,
  version,
  changes: [],
  dependsOn: [],
  desired: { kind: 'PromptVersion', body: {} as never, publish: true, patch: false },
});
const splitUpdate = (template: string, before: Record<string, number>, after: [string, number][]): PlanAction => ({
  action: 'update',
  address: `TrafficSplit/${template}`,
  kind: 'TrafficSplit',
  name: template,
  liveId: 't1',
  guard: { version: 1 },
  changes: [],
  dependsOn: [],
  live: { strategy: 'random', stickyKey: null, routes: before },
  desired: { kind: 'TrafficSplit', body: { strategy: 'random', routes: after.map(([version, weight]) => ({ version, weight })) } },
});

describe('promotion', () => {
  it('counts versions the plan publishes, and those it gives more traffic (not less)', () => {
    const plan = { actions: [versionCreate('a', '1.2.0'), splitUpdate('a', { '1.0.0': 90, '1.1.0': 10 }, [['1.0.0', 70], ['1.1.0', 20], ['1.2.0', 10]])] };
    expect(promotedVersions(plan).map((v) => `${v.address}:${v.why}`)).toEqual(['PromptVersion/a@1.1.0:routed', 'PromptVersion/a@1.2.0:published']);
  });

  it("finds what the previous org has not published, and makes problems that name both environments", () => {
    const wanted = promotedVersions({ actions: [versionCreate('a', '1.2.0'), versionCreate('a', '1.1.0')] });
    const previous = {
      templates: [{ name: 'a', versions: [{ version: '1.1.0', state: 'Published' }, { version: '1.2.0', state: 'Draft' }] }],
    } as never;
    const gaps = promotionGaps(wanted, previous);
    expect(gaps.map((g) => g.version)).toEqual(['1.2.0']);
    const [p] = promotionProblems(gaps, 'prod', 'staging');
    expect(p).toMatchObject({ address: 'PromptVersion/a@1.2.0', rule: 'promotion/not-in-previous' });
    expect(p!.message).toMatch(/version 1\.2\.0 of template "a" would be published in prod, but staging \(before prod in promotion\) does not hold it published \(never applied there, or retired since\)/);
  });

  it('takes a label the previous org published with other content for a gap: what runs here never ran there', () => {
    const body = { ...versionWire(version('a', '1.2.0')), systemInstruction: 'Text B.' };
    const create = { ...versionCreate('a', '1.2.0'), desired: { kind: 'PromptVersion', body, publish: true, patch: false } } as PlanAction;
    const wanted = promotedVersions({ actions: [create] });
    expect(wanted[0]!.hash).toBe(contentHash(body));
    const published = (systemInstruction: string) =>
      ({ templates: [{ name: 'a', versions: [{ ...versionWire(version('a', '1.2.0')), systemInstruction, state: 'Published' }] }] }) as never;
    expect(promotionGaps(wanted, published('Text B.'))).toEqual([]);
    const gaps = promotionGaps(wanted, published('Text A.'));
    expect(gaps.map((g) => [g.version, g.otherContent?.length])).toEqual([['1.2.0', 1]]);
    // Published versions are immutable: no apply of staging changes what 1.2.0 is there, so waiting never closes it.
    expect(promotionProblems(gaps, 'prod', 'staging')[0]).toMatchObject({
      rule: 'promotion/never-in-previous',
      message: expect.stringMatching(
        /^version 1\.2\.0 of template "a" would be published in prod with content \w{12}, but staging \(before prod in promotion\) published other content under that label \(\w{12}\): what prod would run, staging never ran \(blocked: applying this commit to staging does not close it: published versions are immutable, so staging keeps its content under 1\.2\.0: give this content a new version label; fix git\)$/,
      ),
    });
  });

  it('holds a guide’s content to the same rule: it must be the latest or production content of the previous org’s guide', () => {
    const { body, update } = guideUpdate();
    const wanted = promotedVersions({ actions: [update] });
    expect(wanted.map((w) => [w.address, w.kind])).toEqual([['Guide/Returns', 'Guide']]);
    const guideWith = (instruction: string, state: string) =>
      ({ templates: [], guides: [{ name: 'Returns', latest: { version: '2.0', instruction, state } }] }) as never;
    expect(promotionGaps(wanted, guideWith(body.instruction, 'TestReady'))).toEqual([]);
    const gaps = promotionGaps(wanted, guideWith('Older text.\n', 'ProductionReady'));
    expect(promotionProblems(gaps, 'prod', 'staging').map((p) => [p.address, p.message])).toEqual([
      ['Guide/Returns', expect.stringMatching(/^guide "Returns" would get content \w{12} in prod, but staging \(before prod in promotion\) has no version of it with that content: apply it to staging first$/)],
    ]);
    expect(promotionGaps(wanted, { templates: [] } as never).map((g) => g.address)).toEqual(['Guide/Returns']);
    // Said as what it is: no such guide there, or no AI Studio there at all.
    const absent = promotionProblems(promotionGaps(wanted, { templates: [], guides: [] } as never), 'prod', 'staging');
    expect(absent[0]!.message).toMatch(/^guide "Returns" would be written in prod, but staging \(before prod in promotion\) has no guide of that name: apply it to staging first/);
    const noSurface = promotionProblems(promotionGaps(wanted, { templates: [], unavailable: ['guides'] } as never), 'prod', 'staging');
    expect(noSurface[0]!.message).toMatch(/staging \(before prod in promotion\) does not serve AI Studio guides, so no guide can run there first: .* an environment that serves AI Studio guides/);
    // Summary settings not served there say nothing of its guides.
    const noSettings = promotionGaps(wanted, { templates: [], guides: [{ name: 'Returns', latest: { version: '2.0', instruction: body.instruction, state: 'TestReady' } }], unavailable: ['summarysettings'] } as never);
    expect(noSettings).toEqual([]);
  });

  it('does not count a guide content the previous org holds only in a Draft as run there, and says so', () => {
    const { body, update } = guideUpdate();
    const wanted = promotedVersions({ actions: [update, versionCreate('a', '1.0.0')] });
    const previous = (latest: { instruction: string; state: string }, production?: { instruction: string; state: string }) =>
      ({
        templates: [{ name: 'a', versions: [{ version: '1.0.0', state: 'Published' }] }],
        guides: [{ name: 'Returns', latest: { version: '2.0', ...latest }, ...(production ? { production: { version: '1.0', ...production } } : {}) }],
      }) as never;
    const draft = promotionGaps(wanted, previous({ instruction: body.instruction, state: 'Draft' }, { instruction: 'Older text.\n', state: 'ProductionReady' }));
    expect(draft.map((g) => [g.address, g.draftOnly])).toEqual([['Guide/Returns', true]]);
    expect(promotionProblems(draft, 'prod', 'staging')[0]!.message).toMatch(
      /^guide "Returns" would get content \w{12} in prod, but staging \(before prod in promotion\) holds that content only in a Draft version, which has not run there: publish it in staging first \(TestReady or ProductionReady: the guide's spec\.publish, or guidePublish of environment staging in promptctl\.yaml\), then apply to staging$/,
    );
    expect(promotionSummary(wanted, draft, 'prod', 'staging')).toBe('1 of 1 version and 0 of 1 guide brought to prod are published in staging as prod would run them');
    // TestReady or ProductionReady, latest or production: it ran there.
    for (const state of ['TestReady', 'ProductionReady']) expect(promotionGaps(wanted, previous({ instruction: body.instruction, state }))).toEqual([]);
    const published = promotionGaps(wanted, previous({ instruction: 'Newer draft.\n', state: 'Draft' }, { instruction: body.instruction, state: 'ProductionReady' }));
    expect(published).toEqual([]);
    expect(promotionSummary(wanted, published, 'prod', 'staging')).toBe('1 of 1 version and 1 of 1 guide brought to prod are published in staging as prod would run them');
    expect(promotionSummary(wanted.slice(0, 1), [], 'prod', 'staging')).toBe('1 of 1 guide brought to prod is published in staging as prod would run it');
  });

  it('compares guides and settings without the ids each org gives its own data actions, knowledge bases and integrations', () => {
    // Each org's knowledge base has its own id (a UUID, as the Platform requires).
    const KNOWLEDGE_IDS = { prod: '5d0c9a1e-2b7f-4e38-8a61-0f3c4d5e6a7b', staging: 'a9e8d7c6-b5a4-4938-8271-6f5e4d3c2b1a' } as const;
    const content = (org: keyof typeof KNOWLEDGE_IDS, label = 'Look up order') => ({
      instruction: 'Say hello, then ask for the order number.\n',
      resources: { dataActions: [{ id: `da-${org}`, label, description: 'Finds the order' }] },
      knowledgeSettings: { knowledgeId: KNOWLEDGE_IDS[org], description: 'Returns policy' },
    });
    const { update } = guideUpdate();
    const wanted = promotedVersions({ actions: [{ ...update, desired: { kind: 'Guide', body: content('prod'), state: 'ProductionReady', write: 'version' } } as PlanAction] });
    const held = (body: object) => ({ templates: [], guides: [{ name: 'Returns', latest: { version: '2.0', state: 'ProductionReady', ...body } }] }) as never;
    expect(promotionGaps(wanted, held(content('staging')))).toEqual([]);
    // Another action, or none: it ran something else.
    expect(promotionGaps(wanted, held(content('staging', 'Cancel order'))).map((g) => g.address)).toEqual(['Guide/Returns']);
    expect(promotionGaps(wanted, held({ ...content('staging'), resources: { dataActions: [] } })).map((g) => g.address)).toEqual(['Guide/Returns']);

    // A variable's conversation attribute names each org's own schema (a list item's too): it counts by name.
    const variables = (org: string, name = 'orderNumber') => {
      const attribute = { attributeName: name, schema: { id: `schema-${org}` } };
      const item = { name: 'sku', type: 'String', scope: 'Input', customConversationAttributes: [attribute] };
      return [{ name: 'order', type: 'List', scope: 'Input', customConversationAttributes: [attribute], listVariables: [item] }];
    };
    const withAttributes = promotedVersions({
      actions: [{ ...update, desired: { kind: 'Guide', body: { ...content('prod'), variables: variables('prod') }, state: 'ProductionReady', write: 'version' } } as PlanAction],
    });
    expect(promotionGaps(withAttributes, held({ ...content('staging'), variables: variables('staging') }))).toEqual([]);
    expect(promotionGaps(withAttributes, held({ ...content('staging'), variables: variables('staging', 'caseNumber') })).map((g) => g.address)).toEqual(['Guide/Returns']);

    const setting = (org: string, prompt = 'Summarise the call.\n') => ({ name: 'Voice wrap-up', language: 'en-US', serviceType: 'External', integrationId: `int-${org}`, prompt });
    const create = { action: 'create', address: 'SummarySetting/Voice wrap-up', kind: 'SummarySetting', name: 'Voice wrap-up', changes: [], dependsOn: [], desired: { kind: 'SummarySetting', body: setting('prod') } } as PlanAction;
    const wantedSetting = promotedVersions({ actions: [create] });
    const withSetting = (body: object) => ({ templates: [], summarySettings: [{ ...body, id: 's1', dateModified: 'd' }] }) as never;
    expect(promotionGaps(wantedSetting, withSetting(setting('staging')))).toEqual([]);
    expect(promotionGaps(wantedSetting, withSetting(setting('staging', 'Other.\n'))).map((g) => g.address)).toEqual(['SummarySetting/Voice wrap-up']);
  });

  it('holds a summary setting to the same rule: the previous org’s setting of that name must hold its content', () => {
    const body = { name: 'Voice wrap-up', language: 'en-US', settingType: 'Prompt', prompt: 'Summarise the call.\n' };
    const create = {
      action: 'create',
      address: 'SummarySetting/Voice wrap-up',
      kind: 'SummarySetting',
      name: 'Voice wrap-up',
      changes: [],
      dependsOn: [],
      desired: { kind: 'SummarySetting', body },
    } as PlanAction;
    const wanted = promotedVersions({ actions: [create, versionCreate('a', '1.0.0')] });
    expect(wanted.map((w) => [w.address, w.kind, w.why])).toEqual([
      ['PromptVersion/a@1.0.0', undefined, 'published'],
      ['SummarySetting/Voice wrap-up', 'SummarySetting', 'written'],
    ]);
    expect(promotionReads(wanted)).toEqual({ templates: true, guides: [], summarySettings: ['Voice wrap-up'] });
    const templates = [{ name: 'a', versions: [{ version: '1.0.0', state: 'Published' }] }];
    const withSetting = (prompt: string) => ({ templates, summarySettings: [{ ...body, id: 's1', dateModified: 'd', language: 'en-us', prompt }] }) as never;
    // The same content, however the server spells the language: it ran there.
    const same = promotionGaps(wanted, withSetting(body.prompt));
    expect(same).toEqual([]);
    expect(promotionSummary(wanted, same, 'prod', 'staging')).toBe('1 of 1 version brought to prod is published in staging as prod would run it; 1 of 1 summary setting brought to prod has the same content in staging');
    const other = promotionGaps(wanted, withSetting('Summarise the call, and the card number.\n'));
    expect(promotionSummary(wanted, other, 'prod', 'staging')).toMatch(/; 0 of 1 summary setting brought to prod has the same content in staging$/);
    const messages = (previous: unknown) => promotionProblems(promotionGaps(wanted, previous as never), 'prod', 'staging').map((p) => [p.address, p.rule, p.message]);
    expect(messages(withSetting('Summarise the call, and the card number.\n'))).toEqual([
      [
        'SummarySetting/Voice wrap-up',
        'promotion/not-in-previous',
        expect.stringMatching(/^summary setting "Voice wrap-up" would get content \w{12} in prod, but staging \(before prod in promotion\) holds other content in its summary setting of that name \(\w{12}\): apply this content to staging first$/),
      ],
    ]);
    expect(messages({ templates, summarySettings: [] })).toEqual([
      ['SummarySetting/Voice wrap-up', 'promotion/not-in-previous', expect.stringMatching(/but staging \(before prod in promotion\) has no summary setting of that name: apply it to staging first/)],
    ]);
    expect(messages({ templates, unavailable: ['summarysettings'] })).toEqual([
      ['SummarySetting/Voice wrap-up', 'promotion/never-in-previous', expect.stringMatching(/but staging \(before prod in promotion\) does not serve AI Studio summary settings, so no summary setting can run there first.*\(blocked: /)],
    ]);
    // Guides switched off there (a feature toggle) leave its summary settings to be judged: held, no gap.
    expect(messages({ ...(withSetting(body.prompt) as object), unavailable: ['guides'] })).toEqual([]);
  });

  it('says a version is missing because the previous org does not serve the LLM Gateway, one problem each', () => {
    const wanted = promotedVersions({ actions: [versionCreate('a', '1.0.0'), versionCreate('a', '1.1.0')] });
    const gaps = promotionGaps(wanted, { templates: [], unavailable: ['llmgateway'] } as never);
    expect(promotionProblems(gaps, 'prod', 'staging').map((p) => [p.address, p.message])).toEqual(
      ['1.0.0', '1.1.0'].map((v) => [
        `PromptVersion/a@${v}`,
        `version ${v} of template "a" would be published in prod, but staging (before prod in promotion) does not serve the LLM Gateway, so no version can run there first: leave templates out of prod (metadata.environments) or promote them through an environment that serves the LLM Gateway (blocked: applying this commit to staging does not close it; fix git)`,
      ]),
    );
  });

  it("judges each gap by the previous environment's own state: applying it closes the gap (waits) or not (blocked, and why)", () => {
    const body = versionWire(version('a', '1.2.0'));
    const create = { ...versionCreate('a', '1.2.0'), desired: { kind: 'PromptVersion', body, publish: true, patch: false } } as PlanAction;
    const gaps = promotionGaps(promotedVersions({ actions: [create] }), { templates: [] } as never);
    const closure = (s: Parameters<typeof judgeGaps>[1]) => judgeGaps(gaps, s).map((g) => g.closure);
    expect(closure(desiredState({ templates: [template('a')], versions: [version('a', '1.2.0')] }))).toEqual(['waits']);
    expect(closure(desiredState({ templates: [template('a')] }))).toEqual(['not-in-files']);
    expect(closure(desiredState({ templates: [template('a')], versions: [version('a', '1.2.0', { systemInstruction: 'Other.\n' })] }))).toEqual(['other-content']);
    // A model switch (what prod's plan brings) that staging's template does not make: it would run 1.2.0 on another model.
    const switched = gaps.map((g) => ({ ...g, model: 'gpt-4o-mini' }));
    expect(judgeGaps(switched, desiredState({ templates: [template('a')], versions: [version('a', '1.2.0')] }))[0]!.closure).toBe('other-model');
    expect(judgeGaps(switched, desiredState({ templates: [template('a', { model: 'gpt-4o-mini' })], versions: [version('a', '1.2.0')] }))[0]!.closure).toBe('waits');
    const [waits, blocked] = promotionProblems(
      [...judgeGaps(gaps, desiredState({ templates: [template('a')], versions: [version('a', '1.2.0')] })), ...judgeGaps(gaps, desiredState())],
      'prod',
      'staging',
    );
    expect(waits).toMatchObject({ rule: 'promotion/not-in-previous', message: expect.stringMatching(/: apply it to staging first \(waiting: applying this commit to staging closes it\)$/) });
    expect(blocked).toMatchObject({ rule: 'promotion/never-in-previous', message: expect.stringMatching(/ \(blocked: applying this commit to staging does not close it: staging's documents do not include it \(metadata\.environments\); fix git\)$/) });
    // A blocked gap does not first tell to apply staging, which its note then says would not help (a review).
    expect(blocked!.message).toMatch(/does not hold it published \(never applied there, or retired since\) \(blocked: /);
    expect(blocked!.message).not.toMatch(/apply it to staging first/);

    // A guide: staging must hold the same content, published (TestReady or ProductionReady).
    const { update, body: guideBody } = guideUpdate();
    const guideGaps = promotionGaps(promotedVersions({ actions: [update] }), { templates: [], guides: [] } as never);
    const guide = (over: Partial<Guide>): Guide => ({ kind: 'Guide', name: 'Returns', labels: {}, instruction: guideBody.instruction, variables: [], dataActions: [], publish: 'ProductionReady', source: { file: 'g.yaml', line: 1, column: 1 }, locations: {}, ...over });
    const guideClosure = (g: Guide) => judgeGaps(guideGaps, desiredState({ guides: [g] }))[0]!.closure;
    expect(guideClosure(guide({}))).toBe('waits');
    expect(guideClosure(guide({ publish: 'TestReady' }))).toBe('waits');
    expect(guideClosure(guide({ publish: 'Draft' }))).toBe('not-published');
    expect(guideClosure(guide({ instruction: 'Other.\n' }))).toBe('other-content');
  });

  it('re-seals the fingerprint when problems are added', () => {
    const base = { formatVersion: 2, prune: false, summary: { create: 0, update: 0, delete: 0, noop: 0 }, actions: [], problems: [], unmanaged: [] } as unknown as Plan;
    const plan = { ...base, fingerprint: planFingerprint(base) } as Plan;
    const next = withProblems(plan, [{ address: 'PromptVersion/a@1.0.0', rule: 'promotion/not-in-previous', message: 'm' }]);
    expect(next.fingerprint).not.toBe(plan.fingerprint);
    expect(next.fingerprint).toBe(planFingerprint(next));
    expect(withProblems(plan, [])).toBe(plan);
  });
});

/** An update of guide Returns bringing one instruction (what a promotion check looks at). */
function guideUpdate(): { body: { instruction: string }; update: PlanAction } {
  const body = { instruction: 'Say hello, then ask for the order number.\n' };
  const update = {
    action: 'update',
    address: 'Guide/Returns',
    kind: 'Guide',
    name: 'Returns',
    liveId: 'g1',
    guard: {},
    changes: [],
    dependsOn: [],
    desired: { kind: 'Guide', body, state: 'ProductionReady', write: 'version' },
  } as PlanAction;
  return { body, update };
}

