// A prompt edited past what a diff reads is shown as replaced, every old line removed and every
// new one added. The markdown block of such a text is always over its cap, and the capped block
// dropped the note that says so: a reviewer read every line as changed. It now keeps the note.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/plan/build.js';
import { MARKDOWN_CAP, renderMarkdown } from '../../../src/views/plan-markdown.js';
import { renderText } from '../../../src/views/plan-text.js';
import { desiredState, liveAfterApply, liveVersion, opts, template, version } from '../plan/fixtures.js';

describe('a draft version edited past what a diff reads', () => {
  it('says in its capped markdown block that the text is shown replaced, as the text view does', () => {
    // Every other line of 5,000 edited: more edits than the diff takes, though half the lines stay.
    const before = Array.from({ length: 5_000 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const after = Array.from({ length: 5_000 }, (_, i) => (i % 2 === 0 ? `LINE ${i}` : `line ${i}`)).join('\n') + '\n';
    const d = desiredState({ templates: [template('big')], versions: [version('big', '1.0.0', { systemInstruction: before })] });
    const live = liveAfterApply(d);
    live.templates[0]!.versions![0] = liveVersion(live.templates[0]!.id, d.versions[0]!, 'Draft');
    d.versions[0] = { ...d.versions[0]!, systemInstruction: after };
    const plan = buildPlan(d, live, opts());
    expect(plan.actions.find((a) => a.address === 'PromptVersion/big@1.0.0')?.action).toBe('update');
    expect(renderText(plan)).toContain('systemInstruction: (too different to diff: shown replaced)');
    const md = renderMarkdown(plan);
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_CAP);
    expect(md).toContain('\n# systemInstruction (too different to diff: shown replaced)\n@@ -1,5000 +1,5000 @@\n-line 0\n');
  });
});
