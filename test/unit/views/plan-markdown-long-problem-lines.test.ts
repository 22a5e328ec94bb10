// A published version edited in git is a problem shown with its diff. When that diff is too long
// for the comment and its text is long paragraphs on one line each, cutting it by whole lines left
// nothing of the edit; the long lines are now cut around their change, as a capped block's are.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/plan/build.js';
import { MARKDOWN_CAP, renderMarkdown } from '../../../src/views/plan-markdown.js';
import { liveAfterApply, opts, sampleDesired, version } from '../plan/fixtures.js';

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
