// The drift report's markdown table: one row per difference, whatever the names hold.
import { describe, expect, it } from 'vitest';
import { renderDrift } from '../../../src/views/drift.js';
import type { Plan } from '../../../src/plan/types.js';

describe('renderDrift (markdown)', () => {
  it('keeps a guide name with backticks and a pipe inside its cell: five cells a row', () => {
    const out = renderDrift({} as Plan, [{ address: 'Guide/Billing `FAQ` | v2', action: 'update', modifiedBy: null, dateModified: '2026-12-02T06:58:18.199Z', message: 'differs from git: instruction' }], 'markdown', '');
    const row = out.split('\n').find((l) => l.includes('FAQ'))!;
    expect(row).toBe('| `` Guide/Billing `FAQ` \\| v2 `` | update | — | 2026-12-02T06:58:18.199Z | differs from git: instruction |');
    // Unescaped pipes delimit exactly five cells.
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(5);
  });

  it('escapes the What cell: a name quoted in a message cannot open HTML or markdown that hides the rest of the comment', () => {
    // caseTwin's message (kinds/shared.ts) quotes both names.
    const message = 'git names a Guide "Notes <!-- draft" and the org has "notes <!-- draft", which AI Studio takes for the same name';
    const out = renderDrift({} as Plan, [{ address: 'Guide/Notes <!-- draft', action: 'problem', rule: 'name-differs-in-case', modifiedBy: null, dateModified: null, message }], 'markdown', '');
    const row = out.split('\n').find((l) => l.includes('takes for the same name'))!;
    // (in the Address cell it is inside a code span, where it is literal)
    const what = row.split(/(?<!\\)\|/).at(-2)!;
    expect(what).not.toContain('<!--');
    expect(what).toContain('git names a Guide &quot;Notes &lt;!-- draft&quot; and the org has &quot;notes &lt;!-- draft&quot;');
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(5);
  });

  it('writes a plain name as a plain code span', () => {
    const out = renderDrift({} as Plan, [{ address: 'TrafficSplit/billing', action: 'update', modifiedBy: 'u-1', dateModified: null, message: 'differs from git: routes' }], 'markdown', '');
    expect(out).toContain('| `TrafficSplit/billing` | update | `u-1` | — | differs from git: routes |');
  });
});
