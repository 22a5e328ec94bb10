import { describe, expect, it } from 'vitest';
import type { WireFilter } from '../../../src/targets/llmgateway/wire.js';
import type { SafetyFilter } from '../../../src/model/types.js';
import { buildPlan } from '../../../src/plan/build.js';
import { isValidOrder } from '../../../src/plan/order.js';
import type { Plan } from '../../../src/plan/types.js';
import { desiredState, filter, liveFilter, loosePlan, opts, type AnyAction } from './fixtures.js';

/**
 * Runs a plan's filter actions the way the executor contract on PlanAction.stagePriority says,
 * against the one rule that matters here: the server refuses a priority held by another enabled
 * filter (409 priority.conflict). Returns the final state; throws on a conflict.
 */
function execute(plan: Plan, live: WireFilter[], createBeforeDestroy = true): Map<string, { enabled: boolean; priority: number }> {
  const state = new Map(live.map((f) => [f.name, { enabled: f.enabled, priority: f.priority }]));
  const write = (name: string, enabled: boolean, priority: number, step: string) => {
    if (enabled) {
      for (const [other, s] of state) {
        if (other !== name && s.enabled && s.priority === priority) {
          throw new Error(`409 priority.conflict at ${step}: ${name} wants ${priority}, held by ${other}`);
        }
      }
    }
    state.set(name, { enabled, priority });
    if ([...state.values()].filter((x) => x.enabled).length > 50) throw new Error(`409 filter.limit.exceeded at ${step}`);
  };
  const filters = plan.actions.filter((a) => a.kind === 'SafetyFilter') as AnyAction[];
  for (const a of filters) {
    if (a.stagePriority === undefined) continue;
    const body = a.desired!.kind === 'SafetyFilter' ? a.desired!.body : undefined;
    write(a.name, body!.enabled ?? true, a.stagePriority, `staging ${a.address}`);
  }
  for (const a of filters) {
    if (a.action === 'delete') {
      // Create-before-destroy: every new filter exists by now.
      for (const c of filters.filter((x) => createBeforeDestroy && x.action === 'create')) {
        if (!state.has(c.name)) throw new Error(`${a.address} deleted before ${c.address} was created`);
      }
      state.delete(a.name);
    } else if (a.action !== 'noop') {
      const body = a.desired!.kind === 'SafetyFilter' ? a.desired!.body : undefined;
      write(a.name, body!.enabled ?? true, body!.priority, a.address);
    }
  }
  return state;
}

function expectReaches(plan: Plan, live: WireFilter[], desired: SafetyFilter[], createBeforeDestroy = true) {
  expect(plan.problems).toEqual([]);
  expect(isValidOrder(plan.actions)).toBe(true);
  const final = execute(plan, live, createBeforeDestroy);
  expect(Object.fromEntries(final)).toEqual(
    Object.fromEntries(desired.map((f) => [f.name, { enabled: f.enabled, priority: f.priority }])),
  );
}

describe('filter priorities', () => {
  it('swaps two priorities through a free staging priority', () => {
    const desired = [filter('a', 2), filter('b', 1)];
    const live = [liveFilter(filter('a', 1)), liveFilter(filter('b', 2))];
    const plan = loosePlan(buildPlan(desiredState({ filters: desired }), { templates: [], filters: live }, opts()));
    const a = plan.actions.find((x) => x.name === 'a')!;
    const b = plan.actions.find((x) => x.name === 'b')!;
    expect(a.stagePriority).toBe(100);
    expect(b.stagePriority).toBeUndefined();
    expect(plan.actions.map((x) => x.name)).toEqual(['b', 'a']);
    expect(a.dependsOn).toEqual(['SafetyFilter/b']);
    expect(b.dependsOn).toEqual([]);
    expect(a.changes).toEqual([{ path: 'priority', before: 1, after: 2 }]);
    expectReaches(plan, live, desired);
    // Without the staging step the same order hits the server's rule.
    const unstaged = { ...plan, actions: plan.actions.map((x) => ({ ...x, stagePriority: undefined })) };
    expect(() => execute(unstaged, live)).toThrow(/priority\.conflict/);
  });

  it('rotates a three-filter cycle with one staged filter', () => {
    const desired = [filter('a', 2), filter('b', 3), filter('c', 1)];
    const live = [liveFilter(filter('a', 1)), liveFilter(filter('b', 2)), liveFilter(filter('c', 3))];
    const plan = loosePlan(buildPlan(desiredState({ filters: desired }), { templates: [], filters: live }, opts()));
    expect(plan.actions.filter((x) => x.stagePriority !== undefined).map((x) => x.name)).toEqual(['a']);
    expectReaches(plan, live, desired);
  });

  it('orders a chain onto a free priority without staging', () => {
    const desired = [filter('a', 2), filter('b', 3)];
    const live = [liveFilter(filter('a', 1)), liveFilter(filter('b', 2))];
    const plan = loosePlan(buildPlan(desiredState({ filters: desired }), { templates: [], filters: live }, opts()));
    expect(plan.actions.map((x) => x.name)).toEqual(['b', 'a']);
    expect(plan.actions.every((x) => x.stagePriority === undefined)).toBe(true);
    expectReaches(plan, live, desired);
  });

  it('re-enables a filter onto the priority another one leaves', () => {
    const desired = [filter('a', 6), filter('b', 5)];
    const live = [liveFilter(filter('a', 5)), liveFilter(filter('b', 9, { enabled: false }))];
    const plan = loosePlan(buildPlan(desiredState({ filters: desired }), { templates: [], filters: live }, opts()));
    const b = plan.actions.find((x) => x.name === 'b')!;
    expect(b.dependsOn).toEqual(['SafetyFilter/a']);
    expect(b.changes).toEqual([
      { path: 'enabled', before: false, after: true },
      { path: 'priority', before: 9, after: 5 },
    ]);
    expectReaches(plan, live, desired);
  });

  it('a replacement at the same priority protects before the old filter goes', () => {
    const desired = [filter('new-guard', 10)];
    const live = [liveFilter(filter('old-guard', 10))];
    const plan = loosePlan(buildPlan(desiredState({ filters: desired }), { templates: [], filters: live }, opts({ prune: true })));
    expect(plan.actions.map((x) => `${x.action} ${x.address}`)).toEqual(['delete SafetyFilter/old-guard', 'create SafetyFilter/new-guard']);
    const created = plan.actions[1]!;
    expect(created.stagePriority).toBe(100);
    expect(created.dependsOn).toEqual(['SafetyFilter/old-guard']);
    expect(plan.actions[0]!.destructive).toBe(true);
    expectReaches(plan, live, desired);
  });

  it('at the limit of 50 enabled filters, removes before it adds', () => {
    const live = Array.from({ length: 50 }, (_, i) => liveFilter(filter(`f${String(i + 1).padStart(2, '0')}`, i + 1)));
    const desired = [
      ...Array.from({ length: 49 }, (_, i) => filter(`f${String(i + 1).padStart(2, '0')}`, i + 1)),
      filter('replacement', 50),
    ];
    const plan = loosePlan(buildPlan(desiredState({ filters: desired }), { templates: [], filters: live }, opts({ prune: true })));
    const changes = plan.actions.filter((a) => a.action !== 'noop');
    expect(changes.map((a) => `${a.action} ${a.address}`)).toEqual(['delete SafetyFilter/f50', 'create SafetyFilter/replacement']);
    expect(changes[1]!.stagePriority).toBeUndefined();
    expect(changes[1]!.dependsOn).toEqual(['SafetyFilter/f50']);
    expectReaches(plan, live, desired, false);
  });

  it('a priority held by an unmanaged live filter is a problem, not a 409 at apply', () => {
    const live = [liveFilter(filter('manual', 10), { labels: {} })];
    const plan = loosePlan(buildPlan(desiredState({ filters: [filter('new-guard', 10)] }), { templates: [], filters: live }, opts({ prune: true })));
    expect(plan.problems).toEqual([
      {
        address: 'SafetyFilter/new-guard',
        rule: 'priority-conflict',
        field: 'priority',
        file: 'prompts/filters.yaml',
        line: 1,
        column: 1,
        message: expect.stringContaining('priority 10 is held by the enabled live filter "manual"'),
        // The holder, with its own stamp (drift names it under its address, not new-guard's).
        heldBy: expect.objectContaining({ address: 'SafetyFilter/manual' }),
      },
    ]);
    expect(plan.problems[0]!.message).toMatch(/choose another priority or bring "manual" into git \(promptctl export\)$/);
  });

  it('a priority held by promptctl\'s own filter that git no longer defines, prune off, says to prune it (a filter renamed in git)', () => {
    // Found with the binary: the advice was to bring the old name back into git, which undoes the rename.
    const live = [liveFilter(filter('pii-guard', 10))];
    const renamed = desiredState({ filters: [filter('pii-guard-v2', 10)] });
    const plan = loosePlan(buildPlan(renamed, { templates: [], filters: live }, opts()));
    expect(plan.actions.filter((a) => a.action !== 'noop').map((a) => `${a.action}${a.pending ? ' (pending)' : ''} ${a.address}`)).toEqual(['create SafetyFilter/pii-guard-v2', 'delete (pending) SafetyFilter/pii-guard']);
    expect(plan.problems.map((p) => [p.address, p.rule, p.message])).toEqual([
      [
        'SafetyFilter/pii-guard-v2',
        'priority-conflict',
        'priority 10 is held by the enabled live filter "pii-guard", promptctl\'s, which stays while prune is off (not in git: its delete is pending); run with --prune, or set prune: true in promptctl.yaml, to delete it first, or choose another priority',
      ],
    ]);
    // With prune on, the same rename plans cleanly: the newcomer is staged, the old one deleted.
    expect(loosePlan(buildPlan(renamed, { templates: [], filters: live }, opts({ prune: true }))).problems).toEqual([]);
  });

  it('a holder whose name promptctl cannot take is to be renamed in Genesys Cloud first (export skips it)', () => {
    const live = [liveFilter({ ...filter('manual', 5), name: 'Hate Speech Block' }, { labels: {} })];
    const plan = loosePlan(buildPlan(desiredState({ filters: [filter('violence-block', 5)] }), { templates: [], filters: live }, opts({ prune: true })));
    expect(plan.problems.map((p) => p.message)).toEqual([
      'priority 5 is held by the enabled live filter "Hate Speech Block", which is not in git and will not be changed; choose another priority or rename "Hate Speech Block" in Genesys Cloud to a name promptctl can manage (promptctl names are 3 to 128 lowercase letters, digits and hyphens), then bring it into git (promptctl export)',
    ]);
  });

  it('more enabled filters than the gateway takes, counting the live ones the plan leaves in place, is a problem before any change', () => {
    // 49 filters live; one leaves git while prune is off (a pending delete: it stays enabled) and one unmanaged stays too.
    // Git alone holds 50 enabled, within the limit (validate's own check passes).
    const inGit = Array.from({ length: 47 }, (_, i) => filter(`f${String(i + 1).padStart(2, '0')}`, i + 1));
    const live = [...inGit, filter('leaving', 48)].map((f) => liveFilter(f));
    live.push(liveFilter(filter('manual', 100), { labels: {} }));
    const arriving = Array.from({ length: 3 }, (_, i) => filter(`new${i}`, 60 + i));
    const plan = loosePlan(buildPlan(desiredState({ filters: [...inGit, ...arriving] }), { templates: [], filters: live }, opts()));
    expect(plan.problems).toEqual([
      expect.objectContaining({
        address: 'SafetyFilter/new0',
        rule: 'filter-limit',
        message: expect.stringContaining('the org would hold 52 enabled safety filters after this plan, more than the 50 the gateway allows: 49 enabled now, 3 enabled by this plan, 0 deleted or disabled by it'),
      }),
    ]);
    // Within the limit once prune deletes the managed one: no problem, and the order reaches the end state.
    const fits = [...inGit, filter('new0', 60)];
    const pruned = loosePlan(buildPlan(desiredState({ filters: fits }), { templates: [], filters: live }, opts({ prune: true })));
    expect(pruned.problems).toEqual([]);
  });

  it('counts only what a --changed-since slice enables, and reports at a filter inside it', () => {
    // 48 in git and live, one unmanaged live: 49 enabled; git adds two.
    const inGit = Array.from({ length: 48 }, (_, i) => filter(`f${String(i + 1).padStart(2, '0')}`, i + 1));
    const live = [...inGit.map((f) => liveFilter(f)), liveFilter(filter('manual', 100), { labels: {} })];
    const desired = desiredState({ filters: [...inGit, filter('a-new', 60), filter('z-new', 61)] });
    const slice = (name: string) => loosePlan(buildPlan(desired, { templates: [], filters: live }, opts({ only: new Set([`SafetyFilter/${name}`]) })));
    // One more: 50, within the limit, whichever is kept.
    expect(slice('a-new').problems).toEqual([]);
    expect(slice('z-new').problems).toEqual([]);
    // Both: 51, at the first of them.
    const both = loosePlan(buildPlan(desired, { templates: [], filters: live }, opts()));
    expect(both.problems.map((p) => [p.rule, p.address])).toEqual([['filter-limit', 'SafetyFilter/a-new']]);
    // Another live filter: a slice keeping z-new alone is past the limit, and says so at z-new.
    live.push(liveFilter(filter('manual-2', 99), { labels: {} }));
    expect(slice('z-new').problems.map((p) => [p.rule, p.address])).toEqual([['filter-limit', 'SafetyFilter/z-new']]);
  });

  it('disabling a filter is called out as destructive', () => {
    const live = [liveFilter(filter('a', 1))];
    const plan = loosePlan(buildPlan(desiredState({ filters: [filter('a', 1, { enabled: false })] }), { templates: [], filters: live }, opts()));
    expect(plan.actions[0]).toMatchObject({ action: 'update', destructive: true, reason: 'disables a safety filter' });
  });

  it('reaches any valid target from any valid live state without a conflict', () => {
    let seed = 42;
    const rand = (n: number) => {
      // mulberry32: deterministic, well mixed
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return (((t ^ (t >>> 14)) >>> 0) % n);
    };
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const config = (): SafetyFilter[] => {
      const free = [1, 2, 3, 4, 5, 6, 7];
      const out: SafetyFilter[] = [];
      for (const name of names) {
        if (rand(4) === 0) continue;
        const enabled = rand(5) !== 0;
        const priority = free.splice(rand(free.length), 1)[0]!;
        out.push(filter(name, priority, { enabled }));
      }
      return out;
    };
    let staged = 0;
    let deleted = 0;
    for (let i = 0; i < 300; i++) {
      const live = config().map((f) => liveFilter(f));
      const desired = config();
      const plan = loosePlan(buildPlan(desiredState({ filters: desired }), { templates: [], filters: live }, opts({ prune: true, allowMassDelete: true })));
      staged += plan.actions.filter((a) => a.stagePriority !== undefined).length;
      deleted += plan.summary.delete;
      try {
        expectReaches(plan, live, desired);
      } catch (e) {
        throw new Error(
          `case ${i}: live ${JSON.stringify(live.map((f) => [f.name, f.enabled, f.priority]))} desired ${JSON.stringify(
            desired.map((f) => [f.name, f.enabled, f.priority]),
          )}: ${(e as Error).message}`,
        );
      }
    }
    // The cases really exercised staging and create-before-destroy.
    expect(staged).toBeGreaterThan(20);
    expect(deleted).toBeGreaterThan(20);
  });
});

describe('filter order', () => {
  it('lists live filters git does not define in code-unit order, whatever the machine’s locale', () => {
    // localeCompare puts "alpha" before "Zeta" (and follows LANG); sort() puts "Zeta" first, everywhere.
    const live = ['alpha', 'Zeta', 'beta'].map((name, i) => liveFilter(filter(name, 10 + i), { labels: {} }));
    const plan = buildPlan(desiredState(), { templates: [], filters: live }, opts());
    expect(plan.unmanaged.map((u) => u.address)).toEqual(['SafetyFilter/Zeta', 'SafetyFilter/alpha', 'SafetyFilter/beta']);
  });
});
