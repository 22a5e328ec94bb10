// What a reviewer reads in a plan must show every change as it is: the cases where the text and
// markdown views hid or misstated one (a trailing newline, a CR or escape byte, a pending delete
// counted as a delete, the fields of a version whose prompt is too long for one comment block).
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/plan/build.js';
import { formatCost, problemPatch, summaryCounts, tokenLine } from '../../../src/views/plan-common.js';
import { renderMarkdown } from '../../../src/views/plan-markdown.js';
import { renderText } from '../../../src/views/plan-text.js';
import { desiredState, filter, liveAfterApply, liveVersion, opts, sampleDesired, split, template, version } from '../plan/fixtures.js';

describe('a published version edited only at its end', () => {
  it('shows the dropped trailing newline in the problem diff', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    const text = d.versions[0]!.systemInstruction;
    expect(text.endsWith('\n')).toBe(true);
    d.versions[0] = { ...d.versions[0]!, systemInstruction: text.replace(/\n$/, '') };
    const plan = buildPlan(d, live, opts());
    expect(plan.problems.map((p) => p.rule)).toEqual(['immutable-version']);
    const patch = problemPatch(plan.problems[0]!)!;
    const last = text.replace(/\n$/, '').split('\n').at(-1)!;
    // Both sides of the changed line, and the marker that tells them apart.
    expect(patch).toContain(`\n-${last}\n`);
    expect(patch).toContain(`\n+${last}\n\\ No newline at end of file`);
    expect(renderText(plan)).toContain('\\ No newline at end of file');
    expect(renderMarkdown(plan)).toContain('\\ No newline at end of file');
  });
});

describe('a published version edited past what a diff reads', () => {
  it('says its problem diff gave up and shows the text replaced, as an action\'s does', () => {
    // Every other line of 5,000 edited: more edits than the diff takes, though half the lines stay.
    const before = Array.from({ length: 5_000 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const after = Array.from({ length: 5_000 }, (_, i) => (i % 2 === 0 ? `LINE ${i}` : `line ${i}`)).join('\n') + '\n';
    const d = desiredState({ templates: [template('big')], versions: [version('big', '1.0.0', { systemInstruction: before })] });
    const live = liveAfterApply(d);
    d.versions[0] = { ...d.versions[0]!, systemInstruction: after };
    const plan = buildPlan(d, live, opts());
    expect(plan.problems.map((p) => p.rule)).toEqual(['immutable-version']);
    const patch = problemPatch(plan.problems[0]!)!;
    expect(patch).toContain('\n# systemInstruction (too different to diff: shown replaced)\n@@ -1,5000 +1,5000 @@\n-line 0\n');
    expect(patch).toContain('\n-line 1\n');
    expect(renderText(plan)).toContain('# systemInstruction (too different to diff: shown replaced)');
    expect(renderMarkdown(plan)).toContain('# systemInstruction (too different to diff: shown replaced)');
  });
});

describe('control characters in prompt text', () => {
  it('shows a CR and an escape byte as escapes, never raw', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    const tpl = live.templates[0]!;
    // Live text saved with CRLF line ends (an edit in the web UI); git has LF and an ESC byte.
    const crlf = { ...d.versions[1]!, systemInstruction: d.versions[1]!.systemInstruction.replace(/\n/g, '\r\n') };
    tpl.versions![1] = liveVersion(tpl.id, crlf, 'Draft');
    d.versions[1] = { ...d.versions[1]!, userTemplate: 'Say \u001b[31mred\u001b[0m to {{name}}: {{question}}' };
    const plan = buildPlan(d, live, opts());
    for (const out of [renderText(plan), renderMarkdown(plan)]) {
      expect(out).not.toMatch(/[\r\u001b]/);
      // The CR is what differs: the reviewer must see it, not two identical-looking lines.
      expect(out).toContain('-You are a concise billing assistant.\\u000d\n');
      expect(out).toContain('+You are a concise billing assistant.\n');
      expect(out).toContain('+Say \\u001b[31mred\\u001b[0m to {{name}}: {{question}}');
    }
  });
});

describe('control characters in what the live org named', () => {
  it('shows them as escapes in the text plan: names, reasons and values of objects made by hand', () => {
    const d = desiredState({ filters: [filter('kept', 10)] });
    // A filter created by hand in the org, its name and description carrying terminal escapes.
    const live = liveAfterApply(desiredState({ filters: [filter('kept', 10), filter('hand\u001b[2Jmade', 20)] }));
    live.filters[1] = { ...live.filters[1]!, labels: {}, description: 'clears \u001b[2J the screen' };
    const plan = buildPlan(d, live, opts({ prune: true }));
    const text = renderText(plan);
    expect(text).toContain('hand\\u001b[2Jmade');
    expect(text).not.toMatch(/\u001b/);
  });
});

describe('the markdown counts', () => {
  it('do not count a pending delete (prune off) as a delete', () => {
    const d = desiredState({ filters: [filter('kept', 10)] });
    const live = liveAfterApply(desiredState({ filters: [filter('kept', 10), filter('removed', 20)] }));
    const plan = buildPlan(d, live, opts({ prune: false }));
    expect(plan.summary).toMatchObject({ delete: 0, pending: 1 });
    const md = renderMarkdown(plan);
    // "prune is off" and the other counts share one pair of parentheses: not "(prune is off) (1 unchanged)".
    expect(md.split('\n')[0]).toBe('**Plan:** 0 to create, 0 to update, 0 to delete, 1 pending delete (prune is off; 1 unchanged)');
    expect(renderText(plan)).toContain('\nPlan: 0 to create, 0 to update, 0 to delete, 1 pending delete (prune is off).\n');
    // The table agrees with the summary line: the delete is pending, not done.
    expect(md).toContain('| Kind | Create | Update | Delete | Pending delete | Unchanged |');
    expect(md).toContain('| SafetyFilter | 0 | 0 | 0 | 1 | 1 |');
  });

  it('say why apply cannot delete a split, naming only the kinds it cannot delete, after the notes rather than among them', () => {
    const d = desiredState({ templates: [template('a')], versions: [version('a', '1.0.0'), version('a', '1.1.0')], splits: [split('a', [['1.0.0', 50], ['1.1.0', 50]])] });
    const live = liveAfterApply(d);
    const advice = 'so keep the split in git, or route it 100 % to one version there';
    // The split alone: its versions stay in git.
    const splitOnly = buildPlan({ ...d, splits: [] }, live, opts());
    expect(splitOnly.summary).toMatchObject({ unremovable: 1 });
    expect(renderMarkdown(splitOnly).split('\n')[0]).toBe(`**Plan:** 0 to create, 0 to update, 0 to delete, 1 apply cannot delete (3 unchanged). The gateway cannot remove a live traffic split, ${advice}.`);
    expect(renderText(splitOnly)).toContain(`\nPlan: 0 to create, 0 to update, 0 to delete, 1 apply cannot delete (the gateway cannot remove a live traffic split, ${advice}).\n`);
    // The split and a version it routes, both dropped from git.
    const both = buildPlan(desiredState({ templates: [template('a')], versions: [version('a', '1.0.0')] }), live, opts());
    expect(renderMarkdown(both).split('\n')[0]).toBe(
      `**Plan:** 0 to create, 0 to update, 0 to delete, 2 apply cannot delete (2 unchanged). The gateway cannot remove a live traffic split, nor a version it routes, ${advice}.`,
    );
    // A version alone (a plan that lists only it): the split it names is git's to settle.
    const versionOnly = { ...both, actions: both.actions.filter((a) => a.kind !== 'TrafficSplit'), summary: { ...both.summary, unremovable: 1 } };
    expect(summaryCounts(versionOnly)).toBe(`0 to create, 0 to update, 0 to delete, 1 apply cannot delete (the gateway cannot remove a version a live traffic split routes, ${advice})`);
  });

  it('keep the table as it was when nothing is pending', () => {
    const d = sampleDesired();
    const md = renderMarkdown(buildPlan(d, liveAfterApply(d), opts()));
    expect(md).toContain('| Kind | Create | Update | Delete | Unchanged |');
  });
});

describe('a version whose prompt is too long for one markdown block', () => {
  it('still shows its other field changes and why', () => {
    const huge = Array.from({ length: 2_000 }, (_, i) => `line ${i} of a long prompt`).join('\n') + '\n';
    const d = desiredState({ templates: [template('t')], versions: [version('t', '1.0.0')] });
    const live = liveAfterApply(d);
    d.versions.push(version('t', '1.1.0', { systemInstruction: huge, temperature: 0.9, maxTokens: 1024 }));
    const plan = buildPlan(d, live, opts());
    const md = renderMarkdown(plan);
    const block = md.slice(md.indexOf('<b>PromptVersion/t@1.1.0</b>'));
    expect(block).toMatch(/… [\d,]+ more lines; see the JSON plan artifact/);
    expect(block).toContain('- temperature: 0.2\n+ temperature: 0.9');
    expect(block).toContain('- maxTokens: 512\n+ maxTokens: 1024');
  });
});

describe('a plan limited by --changed-since', () => {
  it('says it is partial, and never that live state matches the whole directory', () => {
    const d = sampleDesired();
    const plan = { ...buildPlan(d, liveAfterApply(d), opts()), scope: ['PromptTemplate/billing-assistant'] };
    const text = renderText(plan);
    expect(text).not.toContain('Live state matches');
    expect(text).toContain('limited to 1 address (--changed-since): not the full plan');
    const md = renderMarkdown(plan);
    expect(md).not.toContain('Live state matches');
    expect(md).toContain('limited to 1 address (--changed-since): not the full plan');
  });
});

describe('costs', () => {
  it('are written as dollars, never in exponent notation', () => {
    expect([0, 1.234, 0.1, 0.0123, 0.00012, 1.2e-7, 5e-5].map(formatCost)).toEqual(['$0', '$1.23', '$0.10', '$0.012', '$0.00012', '<$0.0001', '<$0.0001']);
  });
});

// A warning the plan locates in git (a promotion gap in an unprotected environment) said no place
// at all in the text plan or the PR comment, though the JSON holds it: both say file:line:column.
describe('a located warning', () => {
  it('is shown at its file:line:column in text and markdown, as a problem is', () => {
    const d = sampleDesired();
    const plan = buildPlan(d, liveAfterApply(d), opts());
    const warned = {
      ...plan,
      warnings: [{ address: 'PromptVersion/billing@1.1.0', rule: 'promotion/not-run', message: 'never ran in dev', file: 'prompts/billing/v1.1.0.yaml', line: 3, column: 7 }],
    };
    expect(renderText(warned)).toContain('  ! PromptVersion/billing@1.1.0 (prompts/billing/v1.1.0.yaml:3:7) [promotion/not-run]\n    never ran in dev\n');
    expect(renderMarkdown(warned)).toMatch(/- ⚠️ \*\*PromptVersion\/billing@1\.1\.0\*\* \(prompts\/billing\/v1\.1\.0\.yaml:3:7\) `promotion\/not-run`: never ran in dev/);
  });
});

// A token line whose last part ends in parentheses (a delta with no cost: a model without prices)
// put the model in a second pair beside it: "tokens: 100 → 120 (+20) (house-model)".
describe('a token line', () => {
  it('says the model in the parentheses it ends with, or in its own', () => {
    expect(tokenLine({ model: 'house-model', approximate: false, before: 1200, after: 1320 })).toBe('tokens: 1,200 → 1,320 (+120; house-model)');
    expect(tokenLine({ model: 'gpt-4o', approximate: false, after: 537, costPer1kCallsAfter: 6.34 })).toBe('tokens: 537, cost/1k calls $6.34 (gpt-4o)');
  });
});
