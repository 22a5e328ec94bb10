// A prompt written as long paragraphs (one line each) whose block is too big for the comment: the
// capped block cut whole lines, so a one-word edit in the middle of a long paragraph showed none
// of the paragraph, only "… N more lines". The changed lines are now shown around the change.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/plan/build.js';
import { MARKDOWN_CAP, renderMarkdown } from '../../../src/views/plan-markdown.js';
import { liveAfterApply, opts, sampleDesired, version } from '../plan/fixtures.js';

describe('a one-word edit in a long one-line paragraph', () => {
  it('shows the changed words in the markdown block, the lines cut around them', () => {
    const para = Array.from({ length: 1500 }, (_, i) => `word${i}`).join(' ');
    const d = sampleDesired();
    d.versions[1] = version('billing-assistant', '1.1.0', { systemInstruction: `Intro.\n${para}\nOutro.\n` });
    const live = liveAfterApply(d);
    d.versions.push(version('billing-assistant', '1.2.0', { systemInstruction: `Intro.\n${para.replace('word700 ', 'WORD700 ')}\nOutro.\n` }));
    const md = renderMarkdown(buildPlan(d, live, opts()));
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_CAP);
    const block = md.slice(md.indexOf('<b>PromptVersion/billing-assistant@1.2.0'));
    const lines = block.split('\n');
    const del = lines.find((l) => l.startsWith('-') && l.includes('word699 word700 word701'));
    const add = lines.find((l) => l.startsWith('+') && l.includes('word699 WORD700 word701'));
    expect(del, block.slice(0, 2000)).toBeDefined();
    expect(add).toBeDefined();
    // Cut, and said to be: each side is far shorter than the paragraph.
    expect(del!.length).toBeLessThan(1000);
    expect(del).toMatch(/^-….*…$/);
    expect(add).toMatch(/^\+….*…$/);
    expect(block).toContain(' Outro.');
  });
});
