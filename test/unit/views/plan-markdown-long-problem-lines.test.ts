// A published version edited in git is a problem shown with its diff. When that diff is too long
// for the comment and its text is long paragraphs on one line each, cutting it by whole lines left
// nothing of the edit; the long lines are now cut around their change, as a capped block's are.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/plan/build.js';
import { MARKDOWN_CAP, renderMarkdown } from '../../../src/views/plan-markdown.js';
import { desiredState, liveAfterApply, opts, sampleDesired, template, version } from '../plan/fixtures.js';

describe('an immutable-version problem in a long one-line paragraph', () => {
  it('shows the changed words in its markdown diff', () => {
    const para = Array.from({ length: 1500 }, (_, i) => `word${i}`).join(' ');
    const d = sampleDesired();
    d.versions[1] = version('billing-assistant', '1.1.0', { systemInstruction: `Intro.\n${para}\nOutro.\n` });
    const live = liveAfterApply(d);
    d.versions[1] = version('billing-assistant', '1.1.0', { systemInstruction: `Intro.\n${para.replace('word700 ', 'WORD700 ')}\nOutro.\n` });
    const plan = buildPlan(d, live, opts());
    expect(plan.problems.map((p) => p.rule)).toEqual(['immutable-version']);
    const md = renderMarkdown(plan);
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_CAP);
    const lines = md.split('\n').map((l) => l.trim());
    expect(lines.find((l) => /^-….*word699 word700 word701.*…$/.test(l))).toBeDefined();
    expect(lines.find((l) => /^\+….*word699 WORD700 word701.*…$/.test(l))).toBeDefined();
  });
});

describe('many immutable-version problems with long diffs', () => {
  it('names every one while the comment has room: the diffs that do not fit are left out, not the problems', () => {
    const names = Array.from({ length: 30 }, (_, i) => `tpl-${String(i).padStart(2, '0')}`);
    const text = Array.from({ length: 300 }, (_, i) => `line ${i} of the prompt`).join('\n') + '\n';
    const d = desiredState({ templates: names.map((n) => template(n)), versions: names.map((n) => version(n, '1.0.0', { systemInstruction: text })) });
    const live = liveAfterApply(d);
    // Every line edited (a search and replace run over the published files by mistake).
    d.versions = names.map((n) => version(n, '1.0.0', { systemInstruction: text.replaceAll('line', 'Line') }));
    const plan = buildPlan(d, live, opts());
    expect(plan.problems).toHaveLength(30);
    const md = renderMarkdown(plan);
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_CAP);
    for (const n of names) expect(md).toContain(`**PromptVersion/${n}@1.0.0**`);
    expect(md).toMatch(/- … the diffs of the 29 problems below are left out for room; /);
    expect(md).not.toMatch(/more problems/);
    // The first keeps its diff.
    expect(md).toContain('+Line 0 of the prompt');
    // Problems without a diff have nothing to leave out: they are counted as before.
    const bare = { ...plan, problems: plan.problems.map(({ diff: _diff, ...p }) => ({ ...p, message: p.message.repeat(20) })) };
    const cut = renderMarkdown(bare);
    expect(cut).not.toContain('left out for room');
    expect(cut).toMatch(/- … \d+ more problems; /);
  });
});
