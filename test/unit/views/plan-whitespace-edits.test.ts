// A prompt edit that only adds or drops whitespace at the end of a line: the plan must show the
// removed and the added line differently. Both views printed them as two identical-looking lines
// (trailing spaces and tabs cannot be seen, in a terminal or in a GitHub code block), in a prompt
// text's diff and in a structured value shown as YAML (a few-shot answer of several lines).
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/plan/build.js';
import { renderMarkdown } from '../../../src/views/plan-markdown.js';
import { renderText } from '../../../src/views/plan-text.js';
import { liveAfterApply, opts, sampleDesired, version } from '../plan/fixtures.js';

describe('a whitespace-only prompt edit', () => {
  it('shows trailing spaces and tabs of a changed line as escapes, in text and markdown', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    // 1.2.0 is 1.1.0 with two spaces after its first line and a tab after its second.
    d.versions.push(version('billing-assistant', '1.2.0', { systemInstruction: 'You are a concise billing assistant.  \nAnswer briefly.\t\n' }));
    const plan = buildPlan(d, live, opts());
    const created = plan.actions.find((a) => a.address === 'PromptVersion/billing-assistant@1.2.0')!;
    expect(created.action === 'create' && created.supersedes).toBe('1.1.0');

    for (const out of [renderText(plan), renderMarkdown(plan)]) {
      const lines = out.split('\n').map((l) => l.trim());
      expect(lines).toContain('-You are a concise billing assistant.');
      expect(lines).toContain('+You are a concise billing assistant.\\u0020\\u0020');
      expect(lines).toContain('-Answer briefly.');
      expect(lines).toContain('+Answer briefly.\\u0009');
      // No changed line ends in whitespace a reader cannot see.
      expect(out.split('\n').filter((l) => /^\s*[+-].*[ \t]$/.test(l))).toEqual([]);
    }
  });

  it('leaves unchanged (context) lines and whitespace inside a line as they are', () => {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    d.versions.push(version('billing-assistant', '1.2.0', { systemInstruction: 'You are a concise billing assistant.\nAnswer\tbriefly, please.\n' }));
    const out = renderText(buildPlan(d, live, opts()));
    expect(out).toContain('\n       You are a concise billing assistant.\n');
    expect(out).toContain('+Answer\tbriefly, please.\n');
  });

  it('shows trailing whitespace in a structured value (a few-shot answer) inside double quotes, as export writes it', () => {
    const d = sampleDesired();
    const fewShot = (output: string) => [{ input: 'Where is my invoice?', output }];
    d.versions[1] = version('billing-assistant', '1.1.0', { systemInstruction: 'You are a concise billing assistant.\nAnswer briefly.\n', fewShotExamples: fewShot('Under Billing.\nThen Invoices.\n') });
    const live = liveAfterApply(d);
    d.versions.push(version('billing-assistant', '1.2.0', { systemInstruction: 'You are a concise billing assistant.\nAnswer briefly.\n', fewShotExamples: fewShot('Under Billing.  \nThen Invoices.\n') }));
    const plan = buildPlan(d, live, opts());
    for (const out of [renderText(plan), renderMarkdown(plan)]) {
      expect(out).toContain('output: "Under Billing. \\ \\nThen Invoices.\\n"\n');
      expect(out.split('\n').filter((l) => /[ \t]$/.test(l))).toEqual([]);
    }
  });

  // A few-shot answer of a line break alone was shown as `output: |+` and a line of `\u0020`s: the
  // YAML block's indentation, escaped as if it were the text's own trailing spaces.
  it('shows a structured value of line breaks alone with no indentation shown as content', () => {
    const d = sampleDesired();
    const fewShot = (output: string) => [{ input: 'Say nothing.', output }];
    d.versions[1] = version('billing-assistant', '1.1.0', { systemInstruction: 'You are a concise billing assistant.\nAnswer briefly.\n', fewShotExamples: fewShot('Nothing.') });
    const live = liveAfterApply(d);
    d.versions.push(version('billing-assistant', '1.2.0', { systemInstruction: 'You are a concise billing assistant.\nAnswer briefly.\n', fewShotExamples: fewShot('\n') }));
    const plan = buildPlan(d, live, opts());
    for (const out of [renderText(plan), renderMarkdown(plan)]) {
      expect(out).toContain('output: "\\n"\n');
      expect(out).not.toContain('\\u0020');
      expect(out).not.toContain('|+');
    }
  });
});
