// A published version edited in git is a problem shown with its diff. Its colour took every line
// starting `---` or `+++` for the diff's file header: a removed markdown rule (`---`, a line
// `----` in the diff) or an added `++` line was drawn bold, not red or green, among the headers.
// Only the two header lines are headers now.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/plan/build.js';
import { renderText } from '../../../src/views/plan-text.js';
import type { Style } from '../../../src/views/style.js';
import { liveAfterApply, opts, sampleDesired } from '../plan/fixtures.js';

const tagged: Style = (name, s) => `<${name}>${s}</${name}>`;

describe('the colours of an immutable version\'s diff', () => {
  it('draws a removed `---` line red and an added `++` line green, and only the header bold', () => {
    const d = sampleDesired();
    d.versions[0] = { ...d.versions[0]!, systemInstruction: 'Intro.\n---\nRules.\n' };
    const live = liveAfterApply(d);
    d.versions[0] = { ...d.versions[0]!, systemInstruction: 'Intro.\n++ one\nRules.\n' };
    const out = renderText(buildPlan(d, live, opts()), { style: tagged });
    expect(out).toContain('<bold>--- live/PromptVersion/billing-assistant@1.0.0</bold>');
    expect(out).toContain('<bold>+++ git/PromptVersion/billing-assistant@1.0.0</bold>');
    expect(out).toContain('<red>----</red>');
    expect(out).toContain('<green>+++ one</green>');
  });
});
