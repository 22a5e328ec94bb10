// A change that weakens a safety control is called out as destructive, with what it weakens:
// among hundreds of lines, `piiFilter: true → false` or a filter's action dropping to
// flag_and_pass was a plain line a reviewer could miss. A change that strengthens one is not.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/plan/build.js';
import { renderMarkdown } from '../../../src/views/plan-markdown.js';
import { renderText } from '../../../src/views/plan-text.js';
import { desiredState, filter, liveAfterApply, opts, split, template, version } from './fixtures.js';

const act = (plan: ReturnType<typeof buildPlan>, address: string) => plan.actions.find((a) => a.address === address)!;

describe('safety weakened', () => {
  it("a filter that acts less, on less, or less often; not one that does more", () => {
    const before = desiredState({ templates: [template('a'), template('b')], filters: [filter('guard', 10, { action: 'block_and_log', appliesTo: { templates: ['a', 'b'] } })] });
    const live = liveAfterApply(before);
    const weaker = desiredState({ templates: [template('a'), template('b')], filters: [filter('guard', 10, { action: 'flag_and_pass', categories: ['pii'], thresholds: { pii: 0.9 }, appliesTo: { templates: ['a'] } })] });
    const a = act(buildPlan(weaker, live, opts()), 'SafetyFilter/guard');
    expect(a.destructive).toBe(true);
    expect(a.reason).toBe('weakens safety: action block_and_log → flag_and_pass, no longer covers phishing, pii threshold 0.7 → 0.9, no longer covers template b');
    const stronger = desiredState({ filters: [filter('guard', 10, { action: 'block_and_log', categories: ['pii', 'phishing', 'violence'], thresholds: { pii: 0.5, phishing: 0.5, violence: 0.5 } })] });
    const none = desiredState({ filters: [filter('guard', 10, { action: 'block_and_log', appliesTo: { templates: [] } })] });
    expect(act(buildPlan(none, liveAfterApply(desiredState({ filters: [filter('guard', 10, { action: 'block_and_log' })] })), opts()), 'SafetyFilter/guard').reason).toBe('weakens safety: covers no template (was every template)');
    // A label selector ORs with the names over labels the plan does not see: nothing is claimed
    // either way, but for losing "every template".
    const labelled = liveAfterApply(desiredState({ filters: [filter('guard', 10, { appliesTo: { templates: ['a'], labels: { team: 'support' } } })] }));
    const namesDropped = desiredState({ filters: [filter('guard', 10, { appliesTo: { labels: { team: 'support' } } })] });
    expect(act(buildPlan(namesDropped, labelled, opts()), 'SafetyFilter/guard').destructive).toBeUndefined();
    const byLabels = liveAfterApply(desiredState({ filters: [filter('guard', 10, { appliesTo: { labels: { team: 'support' } } })] }));
    const namesAdded = desiredState({ filters: [filter('guard', 10, { appliesTo: { templates: ['b'], labels: { team: 'support' } } })] });
    expect(act(buildPlan(namesAdded, byLabels, opts()), 'SafetyFilter/guard').destructive).toBeUndefined();
    const everyToLabels = desiredState({ filters: [filter('guard', 10, { appliesTo: { labels: { team: 'support' } } })] });
    expect(act(buildPlan(everyToLabels, liveAfterApply(desiredState({ filters: [filter('guard', 10)] })), opts()), 'SafetyFilter/guard').reason).toBe('weakens safety: covers only templates with its labels (was every template)');
    const s = act(buildPlan(stronger, live, opts()), 'SafetyFilter/guard');
    expect(s.action).toBe('update');
    expect(s.destructive).toBeUndefined();
  });

  it('a filter whose appliesTo goes says it covers every template now, not destructive (its change reads as a list removed)', () => {
    const named = liveAfterApply(desiredState({ filters: [filter('guard', 10, { action: 'block_and_log', appliesTo: { templates: ['a', 'b'] } })] }));
    const gone = act(buildPlan(desiredState({ filters: [filter('guard', 10, { action: 'block_and_log' })] }), named, opts()), 'SafetyFilter/guard');
    expect(gone.destructive).toBeUndefined();
    expect(gone.reason).toBe('widens: covers every template (was a, b)');
    const labelled = liveAfterApply(desiredState({ filters: [filter('guard', 10, { appliesTo: { labels: { team: 'support' } } })] }));
    expect(act(buildPlan(desiredState({ filters: [filter('guard', 10)] }), labelled, opts()), 'SafetyFilter/guard').reason).toBe('widens: covers every template (was templates with its labels)');
    // Names added to a selector show plainly in the field changes: nothing more is said.
    const added = act(buildPlan(desiredState({ filters: [filter('guard', 10, { action: 'block_and_log', appliesTo: { templates: ['a', 'b', 'c'] } })] }), named, opts()), 'SafetyFilter/guard');
    expect(added.reason).toBeUndefined();
  });

  it('a label selector or a template label that leaves a template unguarded, judged against the templates and filters the plan leaves', () => {
    const billing = { labels: { team: 'billing' } };
    const before = desiredState({
      templates: [template('billing-assistant', billing), template('refunds', billing), template('triage', { labels: { team: 'support' } })],
      filters: [filter('pii-guard', 10, { appliesTo: billing }), filter('off-guard', 20, { enabled: false, appliesTo: billing })],
    });
    const live = liveAfterApply(before);
    // A zero-width space in the selector's value: the same text on screen, and no billing template guarded.
    const zwsp = structuredClone(before);
    zwsp.filters[0]!.appliesTo = { labels: { team: 'billing\u200b' } };
    const plan = buildPlan(zwsp, live, opts());
    const f = act(plan, 'SafetyFilter/pii-guard');
    expect(f.destructive).toBe(true);
    expect(f.reason).toBe('weakens safety: no longer covers templates billing-assistant, refunds');
    for (const out of [renderText(plan), renderMarkdown(plan)]) {
      expect(out).toContain('appliesTo.labels.team');
      expect(out).toContain('"billing\\u200b"');
      expect(out).not.toContain('\u200b');
    }
    // A template relabelled out of the selector: the template's update says which filter it leaves.
    const moved = structuredClone(before);
    moved.templates[1]!.labels = { team: 'billing-eu' };
    const t = act(buildPlan(moved, live, opts()), 'PromptTemplate/refunds');
    expect(t.destructive).toBe(true);
    expect(t.reason).toBe('weakens safety: no longer guarded by safety filter pii-guard');
    // A disabled filter guards nothing; a name listed keeps a template guarded whatever its labels.
    const named = structuredClone(before);
    named.filters[0]!.appliesTo = { templates: ['refunds'], labels: { team: 'billing' } };
    const live2 = liveAfterApply(named);
    named.templates[1]!.labels = { team: 'billing-eu' };
    expect(act(buildPlan(named, live2, opts()), 'PromptTemplate/refunds').destructive).toBeUndefined();
    // A disabled filter's selector guards nothing, before or after.
    const off = desiredState({ filters: [filter('guard', 10, { enabled: false, appliesTo: { templates: ['a', 'b'] } })] });
    const offNarrowed = desiredState({ filters: [filter('guard', 10, { enabled: false, appliesTo: { templates: ['a'] } })] });
    expect(act(buildPlan(offNarrowed, liveAfterApply(off), opts()), 'SafetyFilter/guard').reason).toBeUndefined();
    // A selector that covers more loses nothing.
    const wider = structuredClone(before);
    wider.filters[0]!.appliesTo = { templates: ['triage'], labels: { team: 'billing' } };
    expect(act(buildPlan(wider, live, opts()), 'SafetyFilter/pii-guard').destructive).toBeUndefined();
  });

  it('a filter moved off a template the plan does not leave (gone from the org, or pruned by this plan) weakens nothing', () => {
    // The filter names a template that no longer exists anywhere: moving it onto a real one only adds cover.
    const named = liveAfterApply(desiredState({ templates: [template('billing')], filters: [filter('guard', 10, { appliesTo: { templates: ['gone'] } })] }));
    const moved = desiredState({ templates: [template('billing')], filters: [filter('guard', 10, { appliesTo: { templates: ['billing'] } })] });
    const a = act(buildPlan(moved, named, opts()), 'SafetyFilter/guard');
    expect(a.action).toBe('update');
    expect(a.destructive).toBeUndefined();
    expect(a.reason).toBeUndefined();
    // A template renamed with --prune: the old one is deleted by this plan, so the filter that
    // follows it to the new name leaves nothing unguarded. With prune off the old one stays live
    // (a pending delete), unguarded: that is said.
    const before = liveAfterApply(desiredState({ templates: [template('billing')], filters: [filter('guard', 10, { appliesTo: { templates: ['billing'] } })] }));
    const renamed = desiredState({ templates: [template('billing-helper')], filters: [filter('guard', 10, { appliesTo: { templates: ['billing-helper'] } })] });
    const pruned = buildPlan(renamed, before, opts({ prune: true }));
    expect(act(pruned, 'PromptTemplate/billing').action).toBe('delete');
    expect(act(pruned, 'SafetyFilter/guard').destructive).toBeUndefined();
    expect(renderText(pruned)).not.toContain('no longer covers template billing');
    const kept = act(buildPlan(renamed, before, opts()), 'SafetyFilter/guard');
    expect(kept.reason).toBe('weakens safety: no longer covers template billing');
  });

  it('a new version that turns a guardrail off against the version it supersedes, shown among the destructive changes', () => {
    const d = desiredState({ templates: [template('t')], versions: [version('t', '1.0.0')], splits: [split('t', [['1.0.0', 100]])] });
    const live = liveAfterApply(d);
    d.versions.push(version('t', '1.1.0', { safetyGuardrails: { piiFilter: false, jailbreakDetection: true, outputModeration: true } }));
    const plan = buildPlan(d, live, opts());
    const v = act(plan, 'PromptVersion/t@1.1.0');
    expect(v.action === 'create' && v.supersedes).toBe('1.0.0');
    expect(v.reason).toBe('weakens safety: piiFilter off');
    expect(renderMarkdown(plan)).toContain('### ⚠️ Destructive changes (1)\n\n- ⚠️ `+ create` **PromptVersion/t@1.1.0** — weakens safety: piiFilter off');
    // The first version of a new template supersedes nothing: nothing to weaken.
    const fresh = desiredState({ templates: [template('n')], versions: [version('n', '1.0.0', { safetyGuardrails: { piiFilter: false, jailbreakDetection: true, outputModeration: true } })] });
    expect(act(buildPlan(fresh, { templates: [], filters: [] }, opts()), 'PromptVersion/n@1.0.0').destructive).toBeUndefined();
  });
});
