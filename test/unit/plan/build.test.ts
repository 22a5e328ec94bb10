import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/plan/build.js';
import { contentHash } from '../../../src/kinds/PromptVersion/index.js';
import { isApplied } from '../../../src/kinds/action.js';
import { problemPatch } from '../../../src/views/plan-common.js';
import { renderText } from '../../../src/views/plan-text.js';
import { renderJson } from '../../../src/views/plan-json.js';
import { renderMarkdown } from '../../../src/views/plan-markdown.js';
import { withProblems } from '../../../src/plan/promotion.js';
import { isValidOrder } from '../../../src/plan/order.js';
import type { Plan, PlanAction } from '../../../src/plan/types.js';
import {
  anyAction,
  desiredState,
  type AnyAction,
  filter,
  liveAfterApply,
  liveVersion,
  opts,
  sampleDesired,
  split,
  template,
  version,
} from './fixtures.js';

const act = (plan: Plan, address: string): AnyAction | undefined => anyAction(plan.actions.find((a) => a.address === address));
const changed = (plan: Plan) => plan.actions.filter((a) => a.action !== 'noop').map((a) => `${a.action} ${a.address}`);

describe('buildPlan: nothing to do', () => {
  it('plans no change right after an apply (server defaults, key order, owned labels)', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    const plan = buildPlan(d, live, opts());
    expect(changed(plan)).toEqual([]);
    expect(plan.summary).toEqual({ create: 0, update: 0, delete: 0, noop: 6 });
    expect(plan.problems).toEqual([]);
    expect(plan.unmanaged).toEqual([]);
    const v = act(plan, 'PromptVersion/billing-assistant@1.0.0')!;
    // A version's own id beside its template's (its liveId): a version made again is another one.
    expect(v.guard).toEqual({ hash: expect.stringMatching(/^[0-9a-f]{64}$/), id: live.templates[0]!.versions![0]!.id, state: 'Published' });
    expect(act(plan, 'TrafficSplit/billing-assistant')!.guard).toEqual({ version: 3, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(act(plan, 'SafetyFilter/billing-pii-guard')!.guard).toEqual({ version: 5, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('treats an absent description like an empty one and variables in any order alike', () => {
    const d = desiredState({
      templates: [template('t1', { description: undefined })],
      versions: [version('t1', '1.0.0')],
    });
    const live = liveAfterApply(d);
    live.templates[0]!.description = '';
    const plan = buildPlan(d, live, opts());
    expect(changed(plan)).toEqual([]);
  });
});

describe('buildPlan: creates', () => {
  it('creates everything on an empty gateway, labelled and in dependency order', () => {
    const d = sampleDesired();
    const plan = buildPlan(d, { templates: [], filters: [] }, opts({ commit: 'abc1234def5678' }));
    expect(plan.actions.map((a) => `${a.action} ${a.address}`)).toEqual([
      'create SafetyFilter/billing-pii-guard',
      'create SafetyFilter/phishing-guard',
      'create PromptTemplate/billing-assistant',
      'create PromptVersion/billing-assistant@1.0.0',
      'create PromptVersion/billing-assistant@1.1.0',
      'create TrafficSplit/billing-assistant',
    ]);
    expect(isValidOrder(plan.actions)).toBe(true);
    const t = act(plan, 'PromptTemplate/billing-assistant')!;
    expect(t.guard).toBeUndefined();
    expect(t.desired).toEqual({
      kind: 'PromptTemplate',
      body: {
        name: 'billing-assistant',
        description: 'billing-assistant assistant',
        model: 'gpt-4o',
        labels: { team: 'billing', 'managed-by': 'promptctl', 'promptctl.dev/commit': 'abc1234def5678' },
      },
    });
    // The enabled filter protects the template; the disabled one is not waited for.
    expect(t.dependsOn).toEqual(['SafetyFilter/billing-pii-guard']);
    const v = act(plan, 'PromptVersion/billing-assistant@1.1.0')!;
    expect(v.desired).toMatchObject({ kind: 'PromptVersion', publish: true, patch: false, body: { version: '1.1.0' } });
    expect(v.dependsOn).toContain('PromptTemplate/billing-assistant');
    // The template's first version is all new; the second is read against the first, which the
    // same plan creates just before it.
    const first = act(plan, 'PromptVersion/billing-assistant@1.0.0')!;
    expect(first.supersedes).toBeUndefined();
    expect(first.text).toEqual([
      { field: 'systemInstruction', before: '', after: 'You are a helpful billing assistant.\nAnswer briefly.\n' },
      { field: 'userTemplate', before: '', after: 'Customer {{name}} asks: {{question}}' },
    ]);
    expect(first.tokens!.before).toBeUndefined();
    expect(v.supersedes).toBe('1.0.0');
    expect(v.text).toEqual([
      { field: 'systemInstruction', before: 'You are a helpful billing assistant.\nAnswer briefly.\n', after: 'You are a concise billing assistant.\nAnswer briefly.\n' },
    ]);
    expect(v.tokens).toMatchObject({ model: 'gpt-4o', approximate: false });
    expect(v.tokens!.after).toBeGreaterThan(2000); // the question may be 2,000 characters
    expect(v.tokens!.before).toBe(first.tokens!.after);
    const traffic = act(plan, 'TrafficSplit/billing-assistant')!;
    expect(traffic.action).toBe('create');
    expect(traffic.guard).toBeUndefined();
    expect(traffic.dependsOn).toEqual(
      expect.arrayContaining(['PromptTemplate/billing-assistant', 'PromptVersion/billing-assistant@1.0.0', 'PromptVersion/billing-assistant@1.1.0']),
    );
    const f = act(plan, 'SafetyFilter/billing-pii-guard')!;
    expect(f.desired).toMatchObject({ kind: 'SafetyFilter', body: { labels: { 'managed-by': 'promptctl' }, enabled: true } });
    expect(plan.summary).toEqual({ create: 6, update: 0, delete: 0, noop: 0 });
  });

  it('shows a new version against the published version it supersedes, not as all-new text', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    d.versions.push(
      version('billing-assistant', '1.2.0', {
        systemInstruction: 'You are a concise billing assistant.\nAnswer in one sentence.\n',
        temperature: 0.3,
      }),
    );
    const plan = buildPlan(d, live, opts());
    const v = act(plan, 'PromptVersion/billing-assistant@1.2.0')!;
    expect(v.supersedes).toBe('1.1.0');
    expect(v.text).toEqual([
      {
        field: 'systemInstruction',
        before: 'You are a concise billing assistant.\nAnswer briefly.\n',
        after: 'You are a concise billing assistant.\nAnswer in one sentence.\n',
      },
    ]);
    expect(v.changes).toEqual([{ path: 'systemInstruction' }, { path: 'temperature', before: 0.2, after: 0.3 }]);
    expect(v.tokens!.before).toBeGreaterThan(0);
    const text = renderText(plan);
    expect(text).toContain('+ create PromptVersion/billing-assistant@1.2.0 (changes from 1.1.0)');
    expect(text).toContain('-Answer briefly.');
    expect(text).toContain('+Answer in one sentence.');
  });

  it('a new version without maxTokens says its cost assumes the model maximum output, or that it has none', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    d.versions.push(version('billing-assistant', '1.2.0', { maxTokens: undefined }));
    const v = act(buildPlan(d, live, opts()), 'PromptVersion/billing-assistant@1.2.0')!;
    expect(v.tokens).toMatchObject({ assumedOutputTokens: 16_384 });
    // The model in the same parentheses as the note: not "(… assumed) (gpt-4o)".
    expect(renderText(buildPlan(d, live, opts()))).toMatch(/cost\/1k calls \$[\d.]+ → \$[\d.]+ \(no maxTokens: 16,384 output tokens assumed; gpt-4o\)\n/);
    // A model of the config with prices but no maximum output: no cost, said so.
    d.config = { ...d.config, models: { 'house-model': { encoding: 'o200k_base', contextWindow: 64_000, inputCostPer1M: 1, outputCostPer1M: 2 } } };
    d.versions[d.versions.length - 1] = version('billing-assistant', '1.2.0', { maxTokens: undefined, model: 'house-model' });
    expect(renderText(buildPlan(d, live, opts()))).toMatch(/cost\/1k calls \$[\d.]+ → unbounded \(no maxTokens, and no maxOutputTokens for the model; gpt-4o → house-model\)\n/);
  });

  it('a template model switch shows each version it moves, with its new count and cost', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    d.templates[0] = template('billing-assistant', { model: 'gpt-4' });
    const plan = buildPlan(d, live, opts());
    const t = act(plan, 'PromptTemplate/billing-assistant')!;
    expect(t.changes).toEqual([{ path: 'model', before: 'gpt-4o', after: 'gpt-4' }]);
    expect(t.affects!.map((x) => [x.address, x.tokens.model])).toEqual([
      ['PromptVersion/billing-assistant@1.0.0', 'gpt-4'],
      ['PromptVersion/billing-assistant@1.1.0', 'gpt-4'],
    ]);
    expect(t.affects![0]!.tokens.costPer1kCallsAfter).toBeGreaterThan(t.affects![0]!.tokens.costPer1kCallsBefore!);
    // Each count in its own model's tokens: the line names both.
    expect(renderText(plan)).toMatch(/PromptVersion\/billing-assistant@1\.0\.0: tokens: .* → .*cost\/1k calls \$.* → \$.* \(gpt-4o → gpt-4\)/);
    expect(t.affects![0]!.tokens.modelBefore).toBe('gpt-4o');
    // To a model whose tokenizer is not public: only the new count is approximate.
    d.templates[0] = template('billing-assistant', { model: 'claude-sonnet-4' });
    const approx = buildPlan(d, live, opts());
    expect(renderText(approx)).toMatch(/PromptVersion\/billing-assistant@1\.0\.0: tokens: \d[\d,]* → ≈\d[\d,]* .*\(gpt-4o → claude-sonnet-4\)/);
    expect(act(approx, 'PromptTemplate/billing-assistant')!.affects![0]!.tokens).toMatchObject({ approximate: true, approximateBefore: false, modelBefore: 'gpt-4o' });
    // A version this plan creates has no "before" on the old model: it is not among those moved.
    d.versions.push(version('billing-assistant', '1.2.0'));
    const withNew = buildPlan(d, live, opts());
    expect(act(withNew, 'PromptTemplate/billing-assistant')!.affects!.map((x) => x.address)).toEqual(['PromptVersion/billing-assistant@1.0.0', 'PromptVersion/billing-assistant@1.1.0']);
  });

  it('a new version and a traffic shift plan exactly a create and an update', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    d.versions.push(version('billing-assistant', '1.2.0', { temperature: 0.3 }));
    d.splits[0] = split('billing-assistant', [['1.1.0', 50], ['1.2.0', 50]]);
    const plan = buildPlan(d, live, opts());
    expect(changed(plan)).toEqual(['create PromptVersion/billing-assistant@1.2.0', 'update TrafficSplit/billing-assistant']);
    const t = act(plan, 'TrafficSplit/billing-assistant')!;
    expect(t.guard).toEqual({ version: 3, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(t.changes).toEqual([
      { path: 'routes[1.0.0]', before: 80 },
      { path: 'routes[1.1.0]', before: 20, after: 50 },
      { path: 'routes[1.2.0]', after: 50 },
    ]);
    expect(t.dependsOn).toEqual(['PromptVersion/billing-assistant@1.2.0']);
    expect(t.liveId).toBe(live.templates[0]!.id);
    const v = act(plan, 'PromptVersion/billing-assistant@1.2.0')!;
    expect(v.parentId).toBe(live.templates[0]!.id);
    expect(v.dependsOn).toEqual([]); // template exists; filters unchanged
  });

  it('route order alone is no change, but a strategy change is', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    d.splits[0] = split('billing-assistant', [['1.1.0', 20], ['1.0.0', 80]]);
    expect(changed(buildPlan(d, live, opts()))).toEqual([]);
    d.splits[0] = split('billing-assistant', [['1.1.0', 20], ['1.0.0', 80]], { strategy: 'sticky', stickyKey: 'customerId' });
    const plan = buildPlan(d, live, opts());
    expect(act(plan, 'TrafficSplit/billing-assistant')!.changes).toEqual([
      { path: 'stickyKey', after: 'customerId' },
      { path: 'strategy', before: 'random', after: 'sticky' },
    ]);
  });
});

describe('buildPlan: updates', () => {
  it('updates a template field-by-field, ignoring owned labels', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    d.templates[0] = template('billing-assistant', { description: 'Answers billing questions', labels: { team: 'payments' } });
    const plan = buildPlan(d, live, opts({ commit: 'fff' }));
    const t = act(plan, 'PromptTemplate/billing-assistant')!;
    expect(t.action).toBe('update');
    expect(t.guard).toEqual({ version: 2, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(t.liveId).toBe(live.templates[0]!.id);
    expect(t.changes).toEqual([
      { path: 'description', before: 'billing-assistant assistant', after: 'Answers billing questions' },
      { path: 'labels.team', before: 'billing', after: 'payments' },
    ]);
    expect(t.desired!.body).toMatchObject({ labels: { team: 'payments', 'managed-by': 'promptctl', 'promptctl.dev/commit': 'fff' } });
    expect(t.liveModified).toEqual({ by: 'user-7', at: '2025-06-01T10:00:00.000Z' });
  });

  it('keeps the live commit label on update when no commit is given', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    d.templates[0] = template('billing-assistant', { model: 'gpt-4o-mini' });
    const t = act(buildPlan(d, live, opts()), 'PromptTemplate/billing-assistant')!;
    expect(t.desired!.body).toMatchObject({ labels: { 'promptctl.dev/commit': 'abc123' } });
  });

  it('publishes a live Draft with equal content without patching it', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    const tpl = live.templates[0]!;
    tpl.versions![1] = liveVersion(tpl.id, d.versions[1]!, 'Draft');
    const plan = buildPlan(d, live, opts());
    expect(changed(plan)).toEqual(['update PromptVersion/billing-assistant@1.1.0']);
    const v = act(plan, 'PromptVersion/billing-assistant@1.1.0')!;
    expect(v.desired).toMatchObject({ publish: true, patch: false });
    expect(v.changes).toEqual([{ path: 'state', before: 'Draft', after: 'Published' }]);
    expect(v.guard).toEqual({ hash: contentHash(tpl.versions![1]!), id: tpl.versions![1]!.id, state: 'Draft' });
    expect(v.text).toBeUndefined();
  });

  it('patches then publishes a live Draft whose content differs', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    const tpl = live.templates[0]!;
    tpl.versions![1] = liveVersion(tpl.id, d.versions[1]!, 'Draft');
    d.versions[1] = version('billing-assistant', '1.1.0', {
      systemInstruction: 'You are a concise billing assistant.\nAnswer in one sentence.\n',
      temperature: 0.5,
    });
    const plan = buildPlan(d, live, opts());
    const v = act(plan, 'PromptVersion/billing-assistant@1.1.0')!;
    expect(v.action).toBe('update');
    expect(v.desired).toMatchObject({ publish: true, patch: true });
    expect(v.changes).toEqual([
      { path: 'systemInstruction' },
      { path: 'temperature', before: 0.2, after: 0.5 },
      { path: 'state', before: 'Draft', after: 'Published' },
    ]);
    expect(v.text).toEqual([
      {
        field: 'systemInstruction',
        before: 'You are a concise billing assistant.\nAnswer briefly.\n',
        after: 'You are a concise billing assistant.\nAnswer in one sentence.\n',
      },
    ]);
    // Same variables; "in one sentence" is longer than "briefly".
    expect(v.tokens!.before).toBeTypeOf('number');
    expect(v.tokens!.after!).toBeGreaterThan(v.tokens!.before!);
    expect(v.tokens!.after! - v.tokens!.before!).toBeLessThan(10);
  });

  it('names variables in field paths', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    const tpl = live.templates[0]!;
    tpl.versions![0] = liveVersion(tpl.id, d.versions[0]!, 'Draft');
    d.versions[0] = version('billing-assistant', '1.0.0', {
      variables: [
        { name: 'name', type: 'string', required: true, maxLength: 120 },
        { name: 'question', type: 'string', required: true, maxLength: 2000, description: 'the question' },
      ],
    });
    const v = act(buildPlan(d, live, opts()), 'PromptVersion/billing-assistant@1.0.0')!;
    expect(v.changes[0]).toEqual({ path: 'variables.name.maxLength', before: 80, after: 120 });
  });
});

describe('buildPlan: a published version is immutable', () => {
  it('reports a problem with a diff and the advice to add a version, never an update', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    d.versions[0] = version('billing-assistant', '1.0.0', {
      systemInstruction: 'You are a helpful billing assistant.\nAnswer at length.\n',
      maxTokens: 1024,
    });
    const plan = buildPlan(d, live, opts());
    expect(act(plan, 'PromptVersion/billing-assistant@1.0.0')).toBeUndefined();
    expect(changed(plan)).toEqual([]);
    expect(plan.problems).toHaveLength(1);
    const p = plan.problems[0]!;
    expect(p.rule).toBe('immutable-version');
    expect(p.address).toBe('PromptVersion/billing-assistant@1.0.0');
    expect(p.message).toContain('published and immutable');
    expect(p.message).toContain('Add a new version (e.g. 1.0.1)');
    expect(p.message).toContain('maxTokens, systemInstruction');
    expect(p.diff!.map((c) => c.field)).toEqual(['maxTokens', 'systemInstruction']);
    // Located in git, so CI can annotate the version's file:line.
    expect(p).toMatchObject({ field: 'maxTokens', file: 'prompts/billing-assistant.yaml', line: expect.any(Number) });
    const patch = problemPatch(p);
    expect(patch).toContain('--- live/PromptVersion/billing-assistant@1.0.0');
    expect(patch).toContain('-Answer briefly.');
    expect(patch).toContain('+Answer at length.');
    expect(patch).toContain('-512');
    expect(patch).toContain('+1024');
  });

  it('a trailing newline is a change (text compared exactly)', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    d.versions[1] = { ...d.versions[1]!, userTemplate: d.versions[1]!.userTemplate + '\n' };
    expect(buildPlan(d, live, opts()).problems.map((p) => p.rule)).toEqual(['immutable-version']);
  });
});

describe('buildPlan: prune and unmanaged objects', () => {
  function withExtras() {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    const extra = desiredState({
      templates: [template('old-managed'), template('hand-made')],
      versions: [version('old-managed', '1.0.0'), version('hand-made', '1.0.0')],
      filters: [filter('old-guard', 30), filter('manual-guard', 40)],
    });
    const extraLive = liveAfterApply(extra);
    const handMade = extraLive.templates.find((t) => t.name === 'hand-made')!;
    handMade.labels = { team: 'x' };
    const manual = extraLive.filters.find((f) => f.name === 'manual-guard')!;
    manual.labels = {};
    live.templates.push(...extraLive.templates);
    live.filters.push(...extraLive.filters);
    return { d, live };
  }

  it('without prune shows what promptctl manages and git dropped as pending deletes, applying none', () => {
    const { d, live } = withExtras();
    const plan = buildPlan(d, live, opts());
    // A removed file is a change a reviewer must see (and --detailed-exitcode reports), not "No changes".
    expect(changed(plan)).toEqual(['delete PromptTemplate/old-managed', 'delete SafetyFilter/old-guard']);
    expect(plan.actions.filter((a) => a.action === 'delete').every((a) => a.action === 'delete' && a.pending)).toBe(true);
    expect(plan.summary).toMatchObject({ create: 0, update: 0, delete: 0, pending: 2 });
    expect(act(plan, 'SafetyFilter/old-guard')!.reason).toMatch(/^pending: prune is off/);
    expect(plan.unmanaged).toEqual([
      { address: 'SafetyFilter/manual-guard', reason: 'not in git; not labelled managed-by: promptctl; it guards every template now (redact_and_log on phishing, pii)' },
      { address: 'PromptTemplate/hand-made', reason: 'not in git; not labelled managed-by: promptctl' },
    ]);
    expect(renderText(plan)).toContain('- delete (pending: prune is off) SafetyFilter/old-guard');
    expect(renderText(plan)).toContain('Plan: 0 to create, 0 to update, 0 to delete, 2 pending deletes and 1 taken along (prune is off).');
  });

  it('refuses a mass delete (an empty desired state, or more than half of the managed objects) unless allowed', () => {
    const { d, live } = withExtras();
    const empty = desiredState({});
    const plan = buildPlan(empty, live, opts({ prune: true }));
    expect(plan.problems.map((p) => [p.address, p.rule])).toEqual([['(plan)', 'mass-delete']]);
    expect(plan.problems[0]!.message).toContain('the desired state is empty');
    expect(plan.problems[0]!.message).toContain('--allow-mass-delete');
    expect(buildPlan(empty, live, opts({ prune: true, allowMassDelete: true })).problems).toEqual([]);
    // Without prune nothing is deleted, so nothing is refused.
    expect(buildPlan(empty, live, opts()).problems).toEqual([]);
    // Dropping 2 of the 5 managed objects is ordinary; dropping 4 of them is not.
    expect(buildPlan(d, live, opts({ prune: true })).problems).toEqual([]);
    const few = { ...d, templates: [], versions: [], splits: [], filters: d.filters.slice(0, 1) };
    const most = buildPlan(few, live, opts({ prune: true }));
    expect(most.problems.map((p) => p.rule)).toEqual(['mass-delete']);
    expect(most.problems[0]!.message).toMatch(/deletes 4 of the 5 objects promptctl manages/);
    // A --dir holding only the filters drops two templates of five top-level objects, but six of
    // the nine objects counting each template's versions and split (every prompt): refused.
    const filtersOnly = buildPlan(desiredState({ filters: [...d.filters, filter('old-guard', 30)] }), live, opts({ prune: true }));
    expect(filtersOnly.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/deletes 6 of the 9 objects promptctl manages, counting each template's versions and split/),
    ]);
    // With prune off, the same deletes waiting for prune are warned of, counted alike (a pending
    // template delete's versions and split were not counted: no warning, while --prune refused).
    const filtersOnlyPending = buildPlan(desiredState({ filters: [...d.filters, filter('old-guard', 30)] }), live, opts());
    expect(filtersOnlyPending.warnings?.map((w) => w.message)).toEqual([
      expect.stringMatching(/^the deletes waiting for prune are a mass delete: it deletes 6 of the 9 objects promptctl manages, counting each template's versions and split/),
    ]);
    // And one missing only the filters' file drops the three filters: still 3 of the 5, refused,
    // though they are 3 of the 9 objects with the versions and splits counted.
    const noFilters = buildPlan({ ...d, templates: [...d.templates, template('old-managed')], versions: [...d.versions, version('old-managed', '1.0.0')], filters: [] }, live, opts({ prune: true }));
    expect(noFilters.problems.map((p) => p.message)).toEqual([expect.stringMatching(/deletes 3 of the 5 objects promptctl manages \(/)]);
  });

  it('counts versions retired on their own towards a mass delete (a --dir holding templates without their versions)', () => {
    const labels = ['1.0.0', '1.1.0', '1.2.0', '1.3.0', '2.0.0'];
    const all = desiredState({ templates: [template('a')], versions: labels.map((l) => version('a', l)) });
    const live = liveAfterApply(all);
    // The template's file without its versions': five of the six objects (the template and its five versions) retired.
    const wrong = desiredState({ templates: [template('a')] });
    const plan = buildPlan(wrong, live, opts({ prune: true }));
    expect(plan.actions.filter((a) => a.action === 'delete').map((a) => a.address)).toHaveLength(5);
    expect(plan.problems.map((p) => p.message)).toEqual([expect.stringMatching(/deletes 5 of the 6 objects promptctl manages, counting each template's versions and split \(/)]);
    expect(buildPlan(wrong, live, opts({ prune: true, allowMassDelete: true })).problems).toEqual([]);
    // One retired of six is ordinary.
    expect(buildPlan(desiredState({ templates: [template('a')], versions: labels.slice(1).map((l) => version('a', l)) }), live, opts({ prune: true })).problems).toEqual([]);
  });

  it('does not count versions retired below a newer one git defines of their template: cleanup, not a wrong --dir', () => {
    // faq-bot routed 100 % to 1.4.0, its four older versions' files removed: 4 of the 7 objects
    // retired, which was refused (and warned of with prune off, pointing at --allow-mass-delete).
    const labels = ['1.0.0', '1.1.0', '1.2.0', '1.3.0', '1.4.0'];
    const live = liveAfterApply(desiredState({ templates: [template('faq-bot')], versions: labels.map((l) => version('faq-bot', l)), splits: [split('faq-bot', [['1.4.0', 100]])] }));
    const tidied = desiredState({ templates: [template('faq-bot')], versions: [version('faq-bot', '1.4.0')], splits: [split('faq-bot', [['1.4.0', 100]])] });
    const pruned = buildPlan(tidied, live, opts({ prune: true }));
    expect(changed(pruned)).toEqual(labels.slice(0, 4).map((l) => `delete PromptVersion/faq-bot@${l}`));
    expect(pruned.problems).toEqual([]);
    const pending = buildPlan(tidied, live, opts());
    expect(pending.problems).toEqual([]);
    expect(pending.warnings ?? []).toEqual([]);
    // A pre-release of the version git keeps is older than it too.
    const rc = liveAfterApply(desiredState({ templates: [template('b')], versions: ['2.0.0-rc.1', '2.0.0-rc.2', '2.0.0'].map((l) => version('b', l)) }));
    expect(buildPlan(desiredState({ templates: [template('b')], versions: [version('b', '2.0.0')] }), rc, opts({ prune: true })).problems).toEqual([]);
    // Beside a template whose versions are all retired, the cleanup is left out of the count, and said so.
    const gone = ['1.0.0', '1.1.0', '1.2.0', '1.3.0', '1.4.0', '1.5.0', '1.6.0', '1.7.0'];
    const both = liveAfterApply(desiredState({ templates: [template('a'), template('b')], versions: [...labels.map((l) => version('a', l)), ...gone.map((l) => version('b', l))] }));
    const plan = buildPlan(desiredState({ templates: [template('a'), template('b')], versions: [version('a', '1.4.0')] }), both, opts({ prune: true }));
    expect(plan.problems.map((p) => p.message)).toEqual([
      expect.stringContaining("it deletes 8 of the 15 objects promptctl manages, counting each template's versions and split, but not the 4 versions it retires that are older than one git still defines (a wrong --dir?)"),
    ]);
  });

  it('counts versions retired newer than every one git defines of their template (a stale checkout)', () => {
    // An old checkout that defines only 1.0.0, routed: the four newer versions retired, 4 of the 7 objects.
    const labels = ['1.0.0', '1.1.0', '1.2.0', '1.3.0', '1.4.0'];
    const live = liveAfterApply(desiredState({ templates: [template('faq-bot')], versions: labels.map((l) => version('faq-bot', l)), splits: [split('faq-bot', [['1.4.0', 100]])] }));
    const stale = desiredState({ templates: [template('faq-bot')], versions: [version('faq-bot', '1.0.0')], splits: [split('faq-bot', [['1.0.0', 100]])] });
    const plan = buildPlan(stale, live, opts({ prune: true }));
    expect(changed(plan)).toEqual(['update TrafficSplit/faq-bot', ...labels.slice(1).map((l) => `delete PromptVersion/faq-bot@${l}`)]);
    expect(plan.problems.map((p) => p.message)).toEqual([expect.stringMatching(/deletes 4 of the 7 objects promptctl manages, counting each template's versions and split \(a wrong --dir\?\)/)]);
    // With prune off, warned of.
    expect(buildPlan(stale, live, opts()).warnings?.map((w) => w.rule)).toEqual(['mass-delete']);
  });

  it('with prune deletes only what promptctl manages; a deleted filter, and a template with versions or a split, are destructive', () => {
    const { d, live } = withExtras();
    const plan = buildPlan(d, live, opts({ prune: true }));
    expect(changed(plan)).toEqual(['delete PromptTemplate/old-managed', 'delete SafetyFilter/old-guard']);
    const f = act(plan, 'SafetyFilter/old-guard')!;
    expect(f.destructive).toBe(true);
    expect(f.guard).toEqual({ version: 5, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(f.reason).toContain('removes a safety filter');
    // Its versions go with it: as much a reviewer's business as a filter's removal.
    const t = act(plan, 'PromptTemplate/old-managed')!;
    expect(t.destructive).toBe(true);
    expect(t.reason).toMatch(/also deletes \d+ versions?/);
    expect(plan.unmanaged).toEqual([
      { address: 'SafetyFilter/manual-guard', reason: 'not in git; not labelled managed-by: promptctl; it guards every template now (redact_and_log on phishing, pii)' },
      { address: 'PromptTemplate/hand-made', reason: 'not in git; not labelled managed-by: promptctl' },
    ]);
  });

  it('shows an update of a template another tool manages as taking it over (managed-by), destructive; an unchanged one stays a noop', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    live.templates[0]!.labels = { ...live.templates[0]!.labels, 'managed-by': 'terraform' };
    expect(act(buildPlan(d, live, opts()), `PromptTemplate/${d.templates[0]!.name}`)!.action).toBe('noop');
    d.templates[0] = { ...d.templates[0]!, description: 'changed by the team' };
    const a = act(buildPlan(d, live, opts()), `PromptTemplate/${d.templates[0]!.name}`)!;
    expect(a.action).toBe('update');
    expect(a.changes).toContainEqual({ path: 'labels.managed-by', before: 'terraform', after: 'promptctl' });
    expect(a.destructive).toBe(true);
  });

  it('shows the managed-by label an update gives a template made by hand (no managed-by), which prune may then delete (a review: only its description showed)', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    live.templates[0]!.labels = { team: 'billing' };
    d.templates[0] = { ...d.templates[0]!, labels: { team: 'billing' } };
    expect(act(buildPlan(d, live, opts()), `PromptTemplate/${d.templates[0]!.name}`)!.action).toBe('noop');
    d.templates[0] = { ...d.templates[0]!, description: 'changed by the team' };
    const a = act(buildPlan(d, live, opts()), `PromptTemplate/${d.templates[0]!.name}`)!;
    expect(a.changes).toContainEqual({ path: 'labels.managed-by', after: 'promptctl' });
    expect(a.destructive).toBeUndefined();
    expect(renderText(buildPlan(d, live, opts()))).toContain('+ labels.managed-by: "promptctl"');
  });

  it('says that an update labelling an adopted template makes its live versions not in git prunable (a colleague\'s Draft)', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    const t = live.templates[0]!;
    t.labels = { team: t.labels?.['team'] ?? 'x' };
    d.templates[0] = { ...d.templates[0]!, labels: { team: t.labels['team']! } };
    t.versions = [...(t.versions ?? []), liveVersion(t.id, version(t.name, '9.0.0-rc.1'), 'Draft')];
    const unchanged = buildPlan(d, live, opts({ prune: true }));
    expect(act(unchanged, `PromptTemplate/${t.name}`)!.action).toBe('noop');
    expect(unchanged.unmanaged.map((u) => u.address)).toContain(`PromptVersion/${t.name}@9.0.0-rc.1`);
    d.templates[0] = { ...d.templates[0]!, description: 'changed by the team' };
    const a = act(buildPlan(d, live, opts({ prune: true })), `PromptTemplate/${t.name}`)!;
    expect(a.action).toBe('update');
    expect(a.reason).toBe(`labels the template managed-by: promptctl, so its live versions not in git (PromptVersion/${t.name}@9.0.0-rc.1) become promptctl's: the next plan with prune deletes them`);
    expect(a.destructive).toBe(true);
  });

  it('retires live versions git dropped, after traffic stops routing them', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    d.versions = d.versions.filter((v) => v.version !== '1.0.0');
    d.splits[0] = split('billing-assistant', [['1.1.0', 100]]);
    const plan = buildPlan(d, live, opts({ prune: true }));
    expect(changed(plan)).toEqual(['update TrafficSplit/billing-assistant', 'delete PromptVersion/billing-assistant@1.0.0']);
    const retire = act(plan, 'PromptVersion/billing-assistant@1.0.0')!;
    expect(retire.dependsOn).toEqual(['TrafficSplit/billing-assistant']);
    expect(retire.guard).toMatchObject({ state: 'Published' });
    expect(isValidOrder(plan.actions)).toBe(true);
    // It serves live traffic until the split update: the reason says so, not "not routed".
    const weight = live.templates[0]!.traffic!.routes.find((r) => r.version === '1.0.0')!.weight;
    expect(weight).toBeGreaterThan(0);
    expect(retire.reason).toMatch(new RegExp(`^pruned: .* and routed to ${weight} % of the live traffic now, which this plan's traffic split takes from it first$`));

    const noPrune = buildPlan(d, live, opts());
    expect(changed(noPrune)).toEqual(['update TrafficSplit/billing-assistant', 'delete PromptVersion/billing-assistant@1.0.0']);
    const pending = act(noPrune, 'PromptVersion/billing-assistant@1.0.0')!;
    expect(pending).toMatchObject({ action: 'delete', pending: true, dependsOn: [] });
    expect(noPrune.summary).toMatchObject({ update: 1, delete: 0, pending: 1 });
  });

  it("says a new version takes every call of a template without a split, in place of the one answering now (a pre-release too)", () => {
    const d = desiredState({ templates: [template('a')], versions: [version('a', '1.0.0')] });
    const live = liveAfterApply(d);
    const pre = buildPlan(desiredState({ templates: [template('a')], versions: [version('a', '1.0.0'), version('a', '2.0.0-beta.1')] }), live, opts());
    expect(act(pre, 'PromptVersion/a@2.0.0-beta.1')!.reason).toBe(
      'once published, 2.0.0-beta.1, a pre-release, answers every call in place of 1.0.0: the template has no traffic split, so its newest published version answers them (route them in a TrafficSplit document to choose)',
    );
    expect(renderText(pre)).toContain('once published, 2.0.0-beta.1, a pre-release, answers every call in place of 1.0.0');
    // A version below the newest takes nothing; with a split in git, the split says where calls go.
    expect(act(buildPlan(desiredState({ templates: [template('a')], versions: [version('a', '0.9.0'), version('a', '1.0.0')] }), live, opts()), 'PromptVersion/a@0.9.0')!.reason).toBeUndefined();
    const routed = desiredState({ templates: [template('a')], versions: [version('a', '1.0.0'), version('a', '1.1.0')], splits: [split('a', [['1.0.0', 100]])] });
    expect(act(buildPlan(routed, live, opts()), 'PromptVersion/a@1.1.0')!.reason ?? '').not.toMatch(/answers every call/);
  });

  it('keeps a version the live split still routes when git has no split, as deletes no apply makes', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    d.splits = [];
    d.versions = d.versions.filter((v) => v.version !== '1.0.0');
    for (const prune of [true, false]) {
      const plan = buildPlan(d, live, opts({ prune }));
      // promptctl's template: a difference (a review: "No changes", exit 0), which apply cannot make.
      expect(changed(plan)).toEqual(['delete TrafficSplit/billing-assistant', 'delete PromptVersion/billing-assistant@1.0.0']);
      expect(plan.unmanaged).toEqual([]);
      expect(act(plan, 'TrafficSplit/billing-assistant')).toMatchObject({
        pending: true,
        unremovable: true,
        reason: 'the gateway cannot remove a traffic split: it still routes 1.0.0 80 %, 1.1.0 20 %; keep the split in git, or route it 100 % to one version there',
      });
      expect(act(plan, 'PromptVersion/billing-assistant@1.0.0')).toMatchObject({
        pending: true,
        unremovable: true,
        reason: 'still routed (80 %) by the live traffic split, which is not in git, and the gateway cannot remove a traffic split',
      });
      expect(plan.summary).toEqual({ create: 0, update: 0, delete: 0, noop: 4, unremovable: 2 });
      expect(plan.problems).toEqual([]);
      expect(plan.actions.filter(isApplied)).toEqual([]);
      expect(plan.warnings).toBeUndefined();
    }
  });

  it('does not count deletes no apply makes towards a mass delete, with prune or without', () => {
    const d = desiredState({ templates: [template('a')], versions: [version('a', '1.0.0'), version('a', '1.1.0')], splits: [split('a', [['1.0.0', 50], ['1.1.0', 50]])] });
    const live = liveAfterApply(d);
    // 1.1.0, newer than every version git keeps, is no cleanup: a delete of it would count.
    const dropped = desiredState({ templates: [template('a')], versions: [version('a', '1.0.0')] });
    for (const prune of [true, false]) {
      const plan = buildPlan(dropped, live, opts({ prune }));
      expect(changed(plan)).toEqual(['delete TrafficSplit/a', 'delete PromptVersion/a@1.1.0']);
      expect(plan.problems).toEqual([]);
      expect(plan.warnings).toBeUndefined();
    }
  });

  it('leaves a live split alone on a template promptctl does not manage', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    live.templates[0]!.labels = {};
    d.splits = [];
    const plan = buildPlan(d, live, opts({ prune: true }));
    expect(plan.actions.some((a) => a.kind === 'TrafficSplit')).toBe(false);
    expect(plan.unmanaged).toContainEqual({ address: 'TrafficSplit/billing-assistant', reason: 'live traffic split not in git; left as is' });
  });
});

describe('buildPlan: only (--changed-since)', () => {
  it('keeps the named actions and what they depend on', () => {
    const d = sampleDesired();
    const plan = buildPlan(d, { templates: [], filters: [] }, opts({ only: new Set(['PromptVersion/billing-assistant@1.1.0']) }));
    expect(plan.actions.map((a) => a.address)).toEqual([
      'SafetyFilter/billing-pii-guard',
      'PromptTemplate/billing-assistant',
      'PromptVersion/billing-assistant@1.1.0',
    ]);
    expect(plan.summary).toEqual({ create: 3, update: 0, delete: 0, noop: 0 });
  });

  it('keeps the staged filter whose priority a kept filter takes (a swap split across commits)', () => {
    // Found with the binary: a swap whose halves were committed apart, planned --changed-since the
    // second commit, kept only beta; applying it met 409 priority.conflict (alpha still held 10).
    const live = liveAfterApply(desiredState({ filters: [filter('alpha', 10), filter('beta', 20)] }));
    const d = desiredState({ filters: [filter('alpha', 20), filter('beta', 10)] });
    const full = buildPlan(d, live, opts());
    expect(act(full, 'SafetyFilter/alpha')?.stagePriority).toBeDefined();
    const plan = buildPlan(d, live, opts({ only: new Set(['SafetyFilter/beta']) }));
    expect(changed(plan).sort()).toEqual(['update SafetyFilter/alpha', 'update SafetyFilter/beta']);
    expect(act(plan, 'SafetyFilter/alpha')?.stagePriority).toBe(act(full, 'SafetyFilter/alpha')?.stagePriority);
  });
});

describe('buildPlan: ordering', () => {
  it('is a valid topological order following the phases of DESIGN §5', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    const extra = liveAfterApply(desiredState({ templates: [template('gone')], filters: [filter('old-guard', 30)] }));
    live.templates.push(...extra.templates);
    live.filters.push(...extra.filters);
    d.filters.push(filter('new-guard', 50));
    d.templates[0] = template('billing-assistant', { description: 'changed' });
    d.versions = d.versions.filter((v) => v.version !== '1.0.0');
    d.versions.push(version('billing-assistant', '2.0.0'));
    d.splits[0] = split('billing-assistant', [['2.0.0', 100]]);
    const plan = buildPlan(d, live, opts({ prune: true }));
    expect(changed(plan)).toEqual([
      'create SafetyFilter/new-guard',
      'update PromptTemplate/billing-assistant',
      'create PromptVersion/billing-assistant@2.0.0',
      'update TrafficSplit/billing-assistant',
      'delete PromptVersion/billing-assistant@1.0.0',
      'delete PromptTemplate/gone',
      'delete SafetyFilter/old-guard',
    ]);
    expect(isValidOrder(plan.actions)).toBe(true);
    // create-before-destroy
    expect(act(plan, 'SafetyFilter/old-guard')!.dependsOn).toEqual(['SafetyFilter/new-guard']);
  });

  it('reports versions and splits of a template git does not define', () => {
    const d = desiredState({ versions: [version('ghost', '1.0.0')], splits: [split('ghost', [['1.0.0', 100]])] });
    const plan = buildPlan(d, { templates: [], filters: [] }, opts());
    expect(plan.actions).toEqual([]);
    expect(plan.problems.map((p) => `${p.rule} ${p.address}`)).toEqual([
      'unknown-template PromptVersion/ghost@1.0.0',
      'unknown-template TrafficSplit/ghost',
    ]);
  });
});

describe('buildPlan: a plan only shown as text (sealed: false)', () => {
  // A text plan shows no guard and no fingerprint: unchanged objects are compared without their
  // stable text and hash (most of a large unchanged org's planning), and nothing can write it.
  it('leaves unchanged objects’ guards without a hash and the plan without a fingerprint, and plans the same actions', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    const sealed = buildPlan(d, live, opts());
    const shown = buildPlan(d, live, opts({ sealed: false }));
    expect(shown.fingerprint).toBe('');
    expect(sealed.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(shown.actions.map((a) => `${a.action} ${a.address}`)).toEqual(sealed.actions.map((a) => `${a.action} ${a.address}`));
    expect(act(shown, 'PromptVersion/billing-assistant@1.0.0')!.guard).toEqual({ id: live.templates[0]!.versions![0]!.id, state: 'Published' });
    expect(act(shown, 'TrafficSplit/billing-assistant')!.guard).toEqual({ version: 3 });
    expect(act(shown, 'SafetyFilter/billing-pii-guard')!.guard).toEqual({ version: 5 });
    // Without the hashes, each guard is the sealed plan's; the text shown is the same.
    for (const a of shown.actions) {
      const { hash: _, ...rest } = act(sealed, a.address)!.guard!;
      expect(a.action !== 'create' && a.guard).toEqual(rest);
    }
    expect(renderText(shown)).toBe(renderText(sealed));
  });

  it('still hashes the guard of every object it acts on: an update, and a live Draft it publishes unchanged', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    const tpl = live.templates[0]!;
    tpl.versions![1] = liveVersion(tpl.id, d.versions[1]!, 'Draft');
    tpl.description = 'changed on the server';
    const plan = buildPlan(d, live, opts({ sealed: false }));
    expect(act(plan, 'PromptVersion/billing-assistant@1.1.0')).toMatchObject({ action: 'update', guard: { hash: contentHash(tpl.versions![1]!), state: 'Draft' } });
    expect(act(plan, 'PromptTemplate/billing-assistant')).toMatchObject({ action: 'update', guard: { hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(act(plan, 'PromptVersion/billing-assistant@1.0.0')!.guard).toEqual({ id: tpl.versions![0]!.id, state: 'Published' });
  });

  it('cannot be written as JSON or markdown, and gains no fingerprint from added problems', () => {
    const d = sampleDesired();
    const shown = buildPlan(d, liveAfterApply(d), opts({ sealed: false }));
    expect(() => renderJson(shown)).toThrow(/unsealed/);
    expect(() => renderMarkdown(shown)).toThrow(/unsealed/);
    const withOne = withProblems(shown, [{ address: 'PromptVersion/billing-assistant@1.0.0', rule: 'promotion/not-in-previous', message: 'm' }]);
    expect(withOne.fingerprint).toBe('');
    expect(withOne.problems).toHaveLength(1);
  });
});
