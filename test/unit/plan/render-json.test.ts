import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/plan/build.js';
import { planFingerprint } from '../../../src/plan/fingerprint.js';
import { parsePlanFile, renderJson } from '../../../src/plan/render-json.js';
import { UserError } from '../../../src/util/errors.js';
import { liveAfterApply, opts, sampleDesired, split } from './fixtures.js';

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
    edited.actions[0]!.guard = { version: 99 };
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
    expect(() => parsePlanFile(text.slice(0, 200), 'plan.json')).toThrow(UserError);
    expect(() => parsePlanFile(text.replace('"formatVersion": 1', '"formatVersion": 2'))).toThrow(/format version 2 is not supported/);
    expect(() => parsePlanFile('[]')).toThrow(/not a promptctl plan/);
    const noActions = JSON.parse(text);
    delete noActions.actions;
    expect(() => parsePlanFile(JSON.stringify(noActions))).toThrow(/missing or invalid: actions/);
    const badScope = { ...JSON.parse(text), scope: ['PromptTemplate/a', 7] };
    expect(() => parsePlanFile(JSON.stringify(badScope))).toThrow(/missing or invalid: scope/);
  });

  it('keeps the scope a --changed-since plan was limited to', () => {
    const { d, live } = changedPlan();
    const plan = { ...buildPlan(d, live, opts()), scope: ['PromptTemplate/billing-assistant', 'TrafficSplit/billing-assistant'] };
    expect(parsePlanFile(renderJson(plan)).scope).toEqual(plan.scope);
  });
});
