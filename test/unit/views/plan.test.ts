import { describe, expect, it } from 'vitest';
import type { DesiredState } from '../../../src/model/types.js';
import { buildPlan } from '../../../src/plan/build.js';
import { MARKDOWN_CAP, fenced, renderMarkdown } from '../../../src/views/plan-markdown.js';
import { renderText } from '../../../src/views/plan-text.js';
import type { Style } from '../../../src/views/style.js';
import type { Plan } from '../../../src/plan/types.js';
import { desiredState, filter, liveAfterApply, liveVersion, opts, sampleDesired, split, template, version } from '../plan/fixtures.js';

/** Marks styled spans so assertions can see which colour a piece got. */
const tagged: Style = (name, s) => `<${name}>${s}</${name}>`;

function mixedPlan(): Plan {
  const d = sampleDesired();
  const live = liveAfterApply(d);
  const extra = liveAfterApply(desiredState({ filters: [filter('old-guard', 30)], templates: [template('hand-made')] }));
  extra.templates[0]!.labels = {};
  live.templates.push(...extra.templates);
  live.filters.push(...extra.filters);
  d.templates[0] = template('billing-assistant', { description: 'Answers billing questions' });
  d.versions.push(
    version('billing-assistant', '1.2.0', { systemInstruction: 'You are a helpful billing assistant.\nAnswer in two sentences.\n' }),
  );
  d.splits[0] = split('billing-assistant', [['1.1.0', 50], ['1.2.0', 50], ['1.0.0', 0]]);
  return buildPlan(d, live, opts({ prune: true }));
}

describe('text renderer', () => {
  it('prints Terraform-like lines, text diffs, token deltas and the summary', () => {
    const out = renderText(mixedPlan());
    const lines = out.split('\n');
    expect(lines[0]).toBe('Plan for embedded emulator (.promptctl/local-state.json) · commit abc1234def56 on main');
    expect(lines).toContain('  ~ update PromptTemplate/billing-assistant');
    expect(lines).toContain('    ~ description: "billing-assistant assistant" → "Answers billing questions"');
    // A new version is read against the published one it supersedes.
    expect(lines).toContain('  + create PromptVersion/billing-assistant@1.2.0 (changes from 1.1.0)');
    expect(lines).toContain('      -You are a concise billing assistant.');
    expect(lines).toContain('      +You are a helpful billing assistant.');
    expect(lines).toContain('      -Answer briefly.');
    expect(lines).toContain('      +Answer in two sentences.');
    expect(lines).toContain('  ~ update TrafficSplit/billing-assistant');
    expect(lines).toContain('    ~ routes[1.0.0]: 80 → 0');
    expect(lines).toContain('    + routes[1.2.0]: 50');
    expect(lines).toContain('  - delete SafetyFilter/old-guard ⚠ destructive');
    expect(out).toMatch(/ {4}tokens: [\d,]+ → [\d,]+ \([-+±][\d,]+\), cost\/1k calls \$\d+\.\d\d → \$\d+\.\d\d \(gpt-4o\)/);
    expect(lines).toContain('Left alone (1):');
    expect(lines).toContain('  · PromptTemplate/hand-made — not in git; not labelled managed-by: promptctl');
    expect(lines.at(-2)).toBe('Plan: 1 to create, 2 to update, 1 to delete.');
    // Unchanged resources are hidden unless asked for.
    expect(out).not.toContain('SafetyFilter/billing-pii-guard');
    expect(renderText(mixedPlan(), { showNoop: true })).toContain('    unchanged SafetyFilter/billing-pii-guard');
  });

  it('shows a token delta for a patched draft', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    const tpl = live.templates[0]!;
    tpl.versions![1] = liveVersion(tpl.id, d.versions[1]!, 'Draft');
    d.versions[1] = { ...d.versions[1]!, systemInstruction: 'Be brief.\n' };
    const out = renderText(buildPlan(d, live, opts()));
    expect(out).toMatch(/tokens: ([\d,]+) → ([\d,]+) \(-\d+\), cost\/1k calls \$[\d.]+ → \$[\d.]+ \(gpt-4o\)/);
    expect(out).toContain('    ~ state: "Draft" → "Published"');
    expect(out).toContain('      -You are a concise billing assistant.');
    expect(out).toContain('      +Be brief.');
  });

  it('shows a structured value, such as a new variable, as YAML lines rather than one line of JSON', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    const tpl = live.templates[0]!;
    tpl.versions![1] = liveVersion(tpl.id, d.versions[1]!, 'Draft');
    const v = d.versions[1]!;
    d.versions[1] = {
      ...v,
      userTemplate: `${v.userTemplate} ({{tone}})`,
      variables: [...v.variables, { name: 'tone', type: 'enum', required: false, values: ['formal', 'casual'] }],
    };
    const lines = renderText(buildPlan(d, live, opts())).split('\n');
    // A new variable: added (+), its fields as YAML lines, in name order as the changes' paths are
    // (and as Terraform lists attributes).
    const at = lines.indexOf('    + variables.tone:');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 7)).toEqual([
      '        + required: false',
      '        + type: enum',
      '        + values:',
      '        +   - formal',
      '        +   - casual',
      '    ~ state: "Draft" → "Published"',
    ]);
  });

  it('colours through the injected style', () => {
    const out = renderText(mixedPlan(), { style: tagged });
    expect(out).toContain('<green>+ create</green> <bold>PromptVersion/billing-assistant@1.2.0</bold><dim> (changes from 1.1.0)</dim>');
    expect(out).toContain('<red>- delete</red>');
    expect(out).toContain('<green>+Answer in two sentences.</green>');
    expect(out).toContain('<yellow>~ update</yellow> <bold>TrafficSplit/billing-assistant</bold>');
    expect(out).toContain('<cyan>@@ -1,2 +1,2 @@</cyan>');
  });

  it('says so when nothing changes, and names problems', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    expect(renderText(buildPlan(d, live, opts())).trimEnd().split('\n').at(-1)).toBe('No changes. Live state matches prompts/.');
    d.versions[0] = { ...d.versions[0]!, systemInstruction: 'Changed.\n' };
    const out = renderText(buildPlan(d, live, opts()));
    expect(out).toContain('Problems (1) — this plan cannot be applied:');
    expect(out).toContain('  ✗ PromptVersion/billing-assistant@1.0.0 (prompts/billing-assistant.yaml:1:1) [immutable-version]');
    expect(out).toContain('    +Changed.');
    expect(out.trimEnd().split('\n').at(-1)).toBe('Plan: 0 to create, 0 to update, 0 to delete. 1 problem must be fixed before apply.');
  });

  it('shows text too different to diff as replaced', () => {
    const before = Array.from({ length: 20_000 }, (_, i) => `old line ${i}`).join('\n') + '\n';
    const after = Array.from({ length: 20_000 }, (_, i) => `new line ${i}`).join('\n') + '\n';
    const d = desiredState({ templates: [template('big')], versions: [version('big', '1.0.0', { systemInstruction: before })] });
    const live = liveAfterApply(d);
    live.templates[0]!.versions![0] = liveVersion(live.templates[0]!.id, d.versions[0]!, 'Draft');
    d.versions[0] = { ...d.versions[0]!, systemInstruction: after };
    const out = renderText(buildPlan(d, live, opts()));
    expect(out).toContain('systemInstruction: (too different to diff: shown replaced)');
    expect(out).toContain('      -old line 19999');
    expect(out).toContain('      +new line 0');
  });
});

describe('markdown renderer', () => {
  it('puts the summary first, then counts, destructive actions and details with diff blocks', () => {
    const md = renderMarkdown(mixedPlan());
    const lines = md.split('\n');
    expect(lines[0]).toBe('**Plan:** 1 to create, 2 to update, 1 to delete (4 unchanged, 1 unmanaged)');
    expect(md).toContain('| PromptVersion | 1 | 0 | 0 | 2 |');
    expect(md).toContain('| SafetyFilter | 0 | 0 | 1 | 2 |');
    const destructive = md.indexOf('### ⚠️ Destructive changes (1)');
    expect(destructive).toBeGreaterThan(0);
    expect(destructive).toBeLessThan(md.indexOf('<details>'));
    expect(md).toContain('<details><summary><code>+ create</code> <b>PromptVersion/billing-assistant@1.2.0</b> (changes from 1.1.0)');
    expect(md).toMatch(/```diff\n@@ -1,2 \+1,2 @@\n-You are a concise billing assistant\.\n-Answer briefly\.\n\+You are a helpful billing assistant\.\n\+Answer in two sentences\.\n```/);
    expect(md).toMatch(/Worst case tokens: [\d,]+ → [\d,]+ \([-+±][\d,]+\), cost\/1k calls \\\$\d+\.\d\d → \\\$\d+\.\d\d \(gpt-4o\)/);
    expect(md).toContain('- routes[1.0.0]: 80\n+ routes[1.0.0]: 0');
    expect(md.split('<details>').length).toBe(md.split('</details>').length);
  });

  it('marks a structured field a create adds, and one an update removes, with its key (not as context)', () => {
    const d = desiredState({ filters: [filter('guard', 10, { appliesTo: { templates: ['t'] } })], templates: [template('t')] });
    const created = renderMarkdown(buildPlan(d, { templates: [], filters: [] }, opts()));
    expect(created).toContain('+ appliesTo:\n+   templates:\n+     - t\n');
    expect(created).not.toMatch(/^ {2}appliesTo:/m);
    const live = liveAfterApply(d);
    const removed = renderMarkdown(buildPlan(desiredState({ filters: [filter('guard', 10)], templates: [template('t')] }), live, opts()));
    expect(removed).toContain('```diff\n- appliesTo.templates:\n-   - t\n```');
  });

  it('shows a list that gains an item as that item added, what both hold as context (a review: all removed and all added again)', () => {
    const before = desiredState({ filters: [filter('guard', 10, { appliesTo: { templates: ['t'] } })], templates: [template('t'), template('u')] });
    const after = desiredState({ filters: [filter('guard', 10, { appliesTo: { templates: ['t', 'u'] } })], templates: [template('t'), template('u')] });
    const plan = buildPlan(after, liveAfterApply(before), opts());
    const lines = renderText(plan).split('\n');
    const at = lines.indexOf('    ~ appliesTo.templates:');
    expect(at, lines.join('\n')).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 3)).toEqual(['          - t', '        + - u']);
    expect(renderMarkdown(plan)).toContain('  appliesTo.templates:\n    - t\n+   - u\n');
  });

  it('says when nothing changes', () => {
    const d = sampleDesired();
    const md = renderMarkdown(buildPlan(d, liveAfterApply(d), opts()), { dir: 'prompts' });
    expect(md.split('\n')[0]).toBe('**Plan:** 0 to create, 0 to update, 0 to delete (6 unchanged)');
    expect(md).toContain('No changes. Live state matches `prompts/`.');
    expect(md).not.toContain('<details>');
  });

  it('with objects left alone, says that what promptctl manages matches, not the whole target', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    live.templates.push({ ...live.templates[0]!, id: 'hand-made-id', name: 'hand-made', labels: {}, versions: [], traffic: null });
    const plan = buildPlan(d, live, opts());
    expect(plan.unmanaged.map((u) => u.address)).toEqual(['PromptTemplate/hand-made']);
    const text = renderText(plan);
    expect(text).toContain('Left alone (1):');
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      'No changes. What promptctl manages matches prompts/; 1 object on the target that git does not define is left alone (listed above).',
    );
    const md = renderMarkdown(plan, { dir: 'prompts' });
    expect(md).toContain('No changes. What promptctl manages matches `prompts/`; 1 object on the target that git does not define is left alone (listed below).');
    expect(md.indexOf('No changes.')).toBeLessThan(md.indexOf('Left alone: 1 live object'));
    expect(md).not.toContain('Live state matches');
  });

  it('makes problems prominent', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    d.versions[0] = { ...d.versions[0]!, systemInstruction: 'Changed.\n' };
    const md = renderMarkdown(buildPlan(d, live, opts()));
    expect(md.split('\n')[0]).toBe('**Plan:** 0 to create, 0 to update, 0 to delete (5 unchanged, ❌ 1 problem)');
    expect(md).toContain('### ❌ Problems (1) — this plan cannot be applied');
    expect(md).toContain('immutable-version');
    expect(md).toContain('  +Changed.');
    // It cannot be applied: no fingerprint shown for a merge to apply (a review found one under prod's problems).
    expect(md).not.toContain('fingerprint ');
    expect(md.trimEnd().split('\n').at(-1)).toMatch(/^<sub>plan \S+ · no fingerprint: it cannot be applied<\/sub>$/);
  });

  it('names a problem\'s file with its line breaks escaped, on the problem\'s line (a file name may hold one)', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    d.versions[0] = { ...d.versions[0]!, systemInstruction: 'Changed.\n' };
    const plan = buildPlan(d, live, opts());
    plan.problems[0] = { ...plan.problems[0]!, file: 'prompts/bad\nname.yaml', line: 3, column: 5 };
    const text = renderText(plan);
    expect(text).toContain('(prompts/bad\\u000aname.yaml:3:5)');
    expect(text).not.toContain('bad\nname');
    expect(renderMarkdown(plan)).not.toContain('bad\nname');
  });

  it('cannot be broken by a prompt containing fences or </details>', () => {
    const hostile = 'Reply with code:\n```\n</details>\n````js\nx\n````\n';
    const d = desiredState({ templates: [template('t')], versions: [version('t', '1.0.0', { systemInstruction: hostile })] });
    const md = renderMarkdown(buildPlan(d, { templates: [], filters: [] }, opts()));
    // The diff is fenced with more backticks than the longest run inside it.
    expect(md).toContain('`````diff\n@@ -0,0 +1,6 @@\n+Reply with code:\n+```\n+</details>\n+````js\n+x\n+````\n`````');
    // Outside fenced blocks, every <details> opened is closed exactly once.
    const outside = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, '');
    expect(outside.match(/<details>/g)?.length).toBe(2);
    expect(outside.match(/<\/details>/g)?.length).toBe(2);
    expect(fenced('a ``` b', 'diff')).toBe('````diff\na ``` b\n````');
  });

  it('stays one comment under 65,536 characters for 1,240 creates, with the totals', () => {
    const n = 310; // 310 × (template + 2 versions + split) = 1,240 actions
    const d: DesiredState = desiredState({
      templates: Array.from({ length: n }, (_, i) => template(`assistant-${String(i).padStart(4, '0')}`)),
      versions: Array.from({ length: n }, (_, i) => [
        version(`assistant-${String(i).padStart(4, '0')}`, '1.0.0'),
        version(`assistant-${String(i).padStart(4, '0')}`, '1.1.0', { systemInstruction: `Variant ${i}.\n` }),
      ]).flat(),
      splits: Array.from({ length: n }, (_, i) => split(`assistant-${String(i).padStart(4, '0')}`, [['1.0.0', 50], ['1.1.0', 50]])),
    });
    const plan = buildPlan(d, { templates: [], filters: [] }, opts());
    expect(plan.summary.create).toBe(1240);
    const md = renderMarkdown(plan);
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_CAP);
    expect(md.split('\n')[0]).toBe('**Plan:** 1,240 to create, 0 to update, 0 to delete');
    expect(md).toContain('| PromptVersion | 620 | 0 | 0 | 0 |');
    const shown = md.split('<details><summary>').length - 1;
    expect(shown).toBeGreaterThan(20);
    expect(md).toContain(`> … ${(1240 - shown).toLocaleString('en-US')} more resources not shown, all of them new; see the JSON plan artifact.`);
    expect(md.split('<details>').length).toBe(md.split('</details>').length);
    expect(md).not.toContain('comment cut at the size limit');
    // Reviewers see the changes in the order apply runs them, as the text plan lists them.
    const order = [...md.matchAll(/<b>([^<]+)<\/b>/g)].map((m) => m[1]);
    expect(order).toEqual(plan.actions.slice(0, shown).map((a) => a.address));
    expect(order.slice(0, 2)).toEqual(['PromptTemplate/assistant-0000', 'PromptTemplate/assistant-0001']);
  });

  it('when not all fits, shows changes to live objects before new ones', () => {
    const names = (i: number) => `assistant-${String(i).padStart(4, '0')}`;
    // zz-live sorts after every new template: in review order a cut would leave its change out.
    const live = liveAfterApply(desiredState({ templates: [template('zz-live')], versions: [version('zz-live', '1.0.0')], splits: [split('zz-live', [['1.0.0', 100]])] }));
    const d = desiredState({
      templates: [...Array.from({ length: 300 }, (_, i) => template(names(i))), template('zz-live', { description: 'now described' })],
      versions: [...Array.from({ length: 300 }, (_, i) => version(names(i), '1.0.0', { systemInstruction: `Variant ${i}.\n`.repeat(20) })), version('zz-live', '1.0.0')],
      splits: [...Array.from({ length: 300 }, (_, i) => split(names(i), [['1.0.0', 100]])), split('zz-live', [['1.0.0', 100]])],
    });
    const md = renderMarkdown(buildPlan(d, live, opts()));
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_CAP);
    const blocks = [...md.matchAll(/<code>([^<]+)<\/code> <b>([^<]+)<\/b>/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(blocks[0]).toBe('~ update PromptTemplate/zz-live');
    expect(blocks.length).toBeLessThan(901);
    expect(md).toContain(`> … ${(901 - blocks.length).toLocaleString('en-US')} more resources not shown, all of them new; see the JSON plan artifact.`);
  });

  it('caps one enormous prompt so the rest still fits', () => {
    const huge = Array.from({ length: 30_000 }, (_, i) => `line ${i} of a very long prompt`).join('\n');
    const d = desiredState({
      templates: [template('t')],
      versions: [version('t', '1.0.0', { systemInstruction: huge }), version('t', '1.1.0')],
    });
    const md = renderMarkdown(buildPlan(d, { templates: [], filters: [] }, opts()));
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_CAP);
    expect(md).toContain('<b>PromptVersion/t@1.1.0</b>');
    expect(md).toMatch(/… [\d,]+ more lines; see the JSON plan artifact/);
  });
});

describe('plan text header from a saved file (show)', () => {
  it('keeps a target or git label with a line break on its line, so it cannot forge a summary line', () => {
    const plan: Plan = {
      ...buildPlan(sampleDesired(), { templates: [], filters: [] }, opts()),
      target: 'http://127.0.0.1:1\nPlan: 0 to create, 0 to update, 0 to delete.',
      git: { branch: 'main\rx', dirty: false, actor: 'a' },
    };
    const text = renderText(plan);
    expect(text.split('\n')[0]).toMatch(/^Plan for http:\/\/127\.0\.0\.1:1\\u000aPlan: 0 to create/);
    expect(text).not.toMatch(/^Plan: 0 to create, 0 to update, 0 to delete\.$/m);
    expect(text).not.toContain('\r');
  });
});
