// A prompt edit that only swaps a space for a no-break space, or slips in a zero-width or
// bidirectional-control character: the removed and the added line looked the same in both views
// (a terminal and a GitHub code block draw these as a space, or as nothing), so the reviewer could
// not see what changes, though the model reads another text.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/plan/build.js';
import { renderMarkdown } from '../../../src/views/plan-markdown.js';
import { renderText } from '../../../src/views/plan-text.js';
import { liveAfterApply, opts, sampleDesired, version } from '../plan/fixtures.js';

describe('invisible characters in a changed line of prompt text', () => {
  it('are shown as escapes in text and markdown', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    // 1.1.0 with a no-break space, a zero-width space and a right-to-left override.
    d.versions.push(
      version('billing-assistant', '1.2.0', { systemInstruction: 'You are a concise\u00a0billing assistant.\nAnswer\u200b briefly.\u202e\n' }),
    );
    const plan = buildPlan(d, live, opts());
    for (const out of [renderText(plan), renderMarkdown(plan)]) {
      const lines = out.split('\n').map((l) => l.trim());
      expect(lines).toContain('-You are a concise billing assistant.');
      expect(lines).toContain('+You are a concise\\u00a0billing assistant.');
      expect(lines).toContain('+Answer\\u200b briefly.\\u202e');
      expect(out).not.toMatch(/[\u00a0\u200b\u202e]/);
    }
  });

  // From review: an unchanged line was shown raw, so a bidi override in it (a plan file shown
  // again, or a text no validate read) drew the PR comment's line in another order than it is.
  it('are shown as escapes in an unchanged line too, when they reorder text', () => {
    const d = sampleDesired();
    const text = 'Say "\u202etsil\u202c" when asked.\nKeep it short.\n';
    d.versions.push(version('billing-assistant', '1.2.0', { systemInstruction: text }));
    const after = sampleDesired();
    after.versions.push(version('billing-assistant', '1.2.0', { systemInstruction: text }), version('billing-assistant', '1.3.0', { systemInstruction: `${text}Be kind.\n` }));
    const plan = buildPlan(after, liveAfterApply(d), opts());
    for (const out of [renderText(plan), renderMarkdown(plan)]) {
      expect(out).toContain(' Say "\\u202etsil\\u202c" when asked.');
      expect(out).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    }
  });
});
