import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/plan/build.js';
import { planFingerprint } from '../../../src/plan/fingerprint.js';
import { sealedPlan } from '../../../src/plan/file.js';
import { checkPlanFile } from '../../../src/schema/plan-file.js';
import type { Plan } from '../../../src/plan/types.js';
import { renderJson } from '../../../src/views/plan-json.js';
import { UserError } from '../../../src/util/errors.js';
import { liveAfterApply, opts, sampleDesired, split } from './fixtures.js';

/** What `apply PLANFILE` does with a file's text: the schema, then the seal. */
function parsePlanFile(text: string, file = 'plan.json'): Plan {
  const checked = checkPlanFile(text, file);
  if (!checked.ok) throw new UserError(checked.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message} [${d.rule}]`).join('\n'));
  return sealedPlan(checked.data, file);
}

function changedPlan() {
  const d = sampleDesired();
  const live = liveAfterApply(d);
  d.splits[0] = split('billing-assistant', [['1.0.0', 50], ['1.1.0', 50]]);
  return { d, live };
}

describe('fingerprint', () => {
  it('is stable across runs, ids and timestamps', () => {
    const { d, live } = changedPlan();
    const a = buildPlan(d, live, opts());
    const b = buildPlan(d, live, opts({ id: 'another', createdAt: '2030-01-01T00:00:00Z', target: 'elsewhere' }));
    expect(a.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(planFingerprint(a)).toBe(a.fingerprint);
  });

  it('changes with a guard, a body or the action list', () => {
    const { d, live } = changedPlan();
    const base = buildPlan(d, live, opts());
    live.templates[0]!.traffic!.version = 4;
    expect(buildPlan(d, live, opts()).fingerprint).not.toBe(base.fingerprint);
    const { d: d2, live: live2 } = changedPlan();
    d2.splits[0] = split('billing-assistant', [['1.0.0', 40], ['1.1.0', 60]]);
    expect(buildPlan(d2, live2, opts()).fingerprint).not.toBe(base.fingerprint);
    const edited = structuredClone(base);
    (edited.actions[0] as { guard?: unknown }).guard = { version: 99 };
    expect(planFingerprint(edited)).not.toBe(base.fingerprint);
  });
});

describe('plan JSON', () => {
  it('has the §4 shape and parses back to the same plan', () => {
    const { d, live } = changedPlan();
    const plan = buildPlan(d, live, opts());
    const text = renderJson(plan);
    const json = JSON.parse(text);
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(['formatVersion', 'target', 'git', 'summary', 'actions', 'fingerprint']),
    );
    expect(json.summary).toEqual({ create: 0, update: 1, delete: 0, noop: 5 });
    expect(json.actions.find((a: { action: string }) => a.action === 'update')).toMatchObject({
      address: 'TrafficSplit/billing-assistant',
      kind: 'TrafficSplit',
      name: 'billing-assistant',
      guard: { version: 3 },
      changes: [
        { path: 'routes[1.0.0]', before: 80, after: 50 },
        { path: 'routes[1.1.0]', before: 20, after: 50 },
      ],
    });
    expect(parsePlanFile(text)).toEqual(JSON.parse(text));
  });

  it('refuses an edited, corrupt or foreign plan file with a UserError', () => {
    const { d, live } = changedPlan();
    const text = renderJson(buildPlan(d, live, opts()));
    const tampered = text.replace('"weight": 50', '"weight": 51');
    expect(tampered).not.toBe(text);
    expect(() => parsePlanFile(tampered, 'plan.json')).toThrow(/plan\.json: the plan was modified after it was made/);
    expect(() => parsePlanFile(text.slice(0, 200), 'plan.json')).toThrow(/plan\.json:\d+:\d+: not a promptctl plan: it ends before the plan does, so it was cut short \(truncated\)/);
    expect(() => parsePlanFile(text.replace('"formatVersion": 2', '"formatVersion": 1'))).toThrow(
      /plan\.json:2:20: plan format version 1 is not supported \(this promptctl reads version 2\)/,
    );
    expect(() => parsePlanFile('[]')).toThrow(/plan\.json:1:1: not a promptctl plan: it has no formatVersion/);
    const noActions = JSON.parse(text);
    delete noActions.actions;
    expect(() => parsePlanFile(JSON.stringify(noActions))).toThrow(/the plan: missing actions \[plan\/schema\]/);
    const badScope = { ...JSON.parse(text), scope: ['PromptTemplate/a', 7] };
    expect(() => parsePlanFile(JSON.stringify(badScope, null, 2))).toThrow(/plan\.json:\d+:\d+: scope\[1\]: must be string/);
  });

  it('refuses, at its line, an action that lacks what its type needs or carries what it must not', () => {
    const { d, live } = changedPlan();
    const plan = JSON.parse(renderJson(buildPlan(d, live, opts())));
    const i = plan.actions.findIndex((a: { action: string }) => a.action === 'update');
    delete plan.actions[i].liveId;
    const text = JSON.stringify(plan, null, 2);
    const line = text.split('\n').findIndex((l) => l.includes(`"address": "${plan.actions[i].address}"`));
    expect(() => parsePlanFile(text)).toThrow(new RegExp(`plan\\.json:${line}:\\d+: actions\\[${i}\\]: missing liveId`));
    const noop = JSON.parse(renderJson(buildPlan(d, live, opts())));
    const j = noop.actions.findIndex((a: { action: string }) => a.action === 'noop');
    noop.actions[j].desired = { kind: 'PromptTemplate', body: {} };
    expect(() => parsePlanFile(JSON.stringify(noop))).toThrow(new RegExp(`actions\\[${j}\\]\\.desired: not allowed on this action`));
  });

  it('answers a hostile, deeply nested file with a located error, not a stack overflow', () => {
    const { d, live } = changedPlan();
    const plan = JSON.parse(renderJson(buildPlan(d, live, opts())));
    const deep = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
    const text = JSON.stringify(plan).replace('"changes":[]', `"changes":[{"path":"x","before":${deep}}]`);
    expect(() => JSON.parse(text)).not.toThrow();
    expect(() => parsePlanFile(text)).toThrow(/plan\.json:1:\d+: not a promptctl plan: nested deeper than 64 levels \[plan\/too-deep\]/);
  });

  it('is what plan.schema.json describes', () => {
    const { d, live } = changedPlan();
    const text = renderJson(buildPlan(d, live, opts({ only: new Set(['TrafficSplit/billing-assistant']) })));
    expect(checkPlanFile(text, 'plan.json')).toEqual({ ok: true, data: JSON.parse(text) });
  });

  it('keeps the scope a --changed-since plan was limited to', () => {
    const { d, live } = changedPlan();
    const plan = buildPlan(d, live, opts({ only: new Set(['TrafficSplit/billing-assistant', 'PromptTemplate/billing-assistant']) }));
    expect(plan.scope).toEqual(['PromptTemplate/billing-assistant', 'TrafficSplit/billing-assistant']);
    expect(parsePlanFile(renderJson(plan)).scope).toEqual(plan.scope);
    // The scope is sealed: widening it by hand is an edit.
    const widened = renderJson({ ...plan, scope: [...plan.scope!, 'SafetyFilter/billing-pii-guard'] });
    expect(() => parsePlanFile(widened)).toThrow(/modified after it was made/);
  });
});
