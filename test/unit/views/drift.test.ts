// The drift report's markdown table: one row per difference, whatever the names hold.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/plan/build.js';
import { driftEntries } from '../../../src/plan/drift.js';
import { DRIFT_MARKDOWN_CAP, FULL_DRIFT, renderDrift } from '../../../src/views/drift.js';
import { markdownFloor, renderMarkdown } from '../../../src/views/plan-markdown.js';
import { renderText } from '../../../src/views/plan-text.js';
import type { Plan } from '../../../src/plan/types.js';
import { desiredState, opts, liveAfterApply, sampleDesired, split, template, version } from '../plan/fixtures.js';

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

/** The markdown plan as `promptctl drift` hands it to the report. */
function markdownOf(plan: Plan) {
  return { render: (o: { cap: number; more: string }) => renderMarkdown(plan, o), floor: (o: { more: string }) => markdownFloor(plan, o) };
}

describe('renderDrift: a small drift is what it always was', () => {
  // A template, a new version and its split changed: three differences.
  function smallDrift() {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    d.templates[0] = template('billing-assistant', { description: 'Answers billing questions' });
    d.versions.push(version('billing-assistant', '1.2.0', { systemInstruction: 'You are a helpful billing assistant.\nAnswer in two sentences.\n' }));
    d.splits[0] = split('billing-assistant', [['1.1.0', 50], ['1.2.0', 50], ['1.0.0', 0]]);
    const plan = buildPlan(d, live, opts());
    return { plan, entries: driftEntries(plan) };
  }

  it('renders the markdown byte for byte as before the report was capped', () => {
    const { plan, entries } = smallDrift();
    const out = renderDrift(plan, entries, 'markdown', markdownOf(plan));
    // What promptctl printed before drift's markdown had a cap of its own (the worst case since
    // counted without the placeholders' own text, and with one token a side where a placeholder
    // touches text, and each message's role in the chat framing (4 messages: a few-shot pair):
    // 2,128 → 2,130; 2,124 → 2,126 before the roles, 2,121 → 2,123 before the sides, 2,125 → 2,127
    // before both of those).
    const before = [
      "### Drift: 3 differences between the target and git",
      "",
      "| Address | Fix | Last changed by | When | What |",
      "|---|---|---|---|---|",
      "| `PromptTemplate/billing-assistant` | update | `user-7` | 2025-06-01T10:00:00.000Z | differs from git: description |",
      "| `PromptVersion/billing-assistant@1.2.0` | create | — | — | defined in git, missing on the target |",
      "| `TrafficSplit/billing-assistant` | update | `user-7` | 2025-06-01T10:00:00.000Z | differs from git: routes\\[1.0.0\\], routes\\[1.1.0\\], routes\\[1.2.0\\] |",
      "",
      "**Plan:** 1 to create, 2 to update, 0 to delete (4 unchanged)",
      "",
      "Target: embedded emulator (.promptctl/local-state.json) · commit abc1234def56 on main",
      "",
      "| Kind | Create | Update | Delete | Unchanged |",
      "|---|--:|--:|--:|--:|",
      "| PromptTemplate | 0 | 1 | 0 | 0 |",
      "| PromptVersion | 1 | 0 | 0 | 2 |",
      "| TrafficSplit | 0 | 1 | 0 | 0 |",
      "| SafetyFilter | 0 | 0 | 0 | 2 |",
      "",
      "### Changes",
      "",
      "<details><summary><code>~ update</code> <b>PromptTemplate/billing-assistant</b></summary>",
      "",
      "```diff",
      "- description: \"billing-assistant assistant\"",
      "+ description: \"Answers billing questions\"",
      "```",
      "",
      "</details>",
      "",
      "<details><summary><code>+ create</code> <b>PromptVersion/billing-assistant@1.2.0</b> (changes from 1.1.0) · tokens: 2,128 → 2,130 (+2), cost/1k calls $10.44 → $10.45 (gpt-4o)</summary>",
      "",
      "Worst case tokens: 2,128 → 2,130 (+2), cost/1k calls \\$10.44 → \\$10.45 (gpt-4o)",
      "",
      "**systemInstruction**",
      "",
      "```diff",
      "@@ -1,2 +1,2 @@",
      "-You are a concise billing assistant.",
      "-Answer briefly.",
      "+You are a helpful billing assistant.",
      "+Answer in two sentences.",
      "```",
      "",
      "</details>",
      "",
      "<details><summary><code>~ update</code> <b>TrafficSplit/billing-assistant</b></summary>",
      "",
      "```diff",
      "- routes[1.0.0]: 80",
      "+ routes[1.0.0]: 0",
      "- routes[1.1.0]: 20",
      "+ routes[1.1.0]: 50",
      "+ routes[1.2.0]: 50",
      "```",
      "",
      "</details>",
      "",
      "",
      // (the live ids the fixtures make, and so the fingerprint, depend on the tests run before)
      `<sub>plan plan-0001 · fingerprint ${plan.fingerprint.slice(0, 16)}</sub>`,
      "",
    ].join('\n');
    expect(out).toBe(before);
  });

  it('leaves text and JSON as they were', () => {
    const { plan, entries } = smallDrift();
    const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
    // The digest of what it printed before (text names no live id), with the worst case since
    // counted with each message's role ("tokens: 2,128 → 2,130 (+2), cost/1k calls $10.44 →
    // $10.45"; with 2,124 → 2,126 and $10.43 → $10.44 instead, the digest was acc2859e…), and
    // one token a side where a placeholder touches text (2,121 → 2,123 and $10.42 → $10.43 before
    // it: 06d71151…, and before the placeholders' own text was left out, f6f7dd7b…).
    expect(sha(renderDrift(plan, entries, 'text', renderText(plan)))).toBe('f8609bbe9d3526b5b1c67352bfa28eefbc4c6bb8bc9e7688eb13e522e5176066');
    expect(renderDrift(plan, entries, 'json', '')).toBe(JSON.stringify({ ...plan, drift: entries }, null, 2));
  });
});

describe('renderDrift: hundreds of differences', () => {
  it('cuts the table between rows and the plan between resources, within the cap, the plan keeping room for some resources', () => {
    const n = 150;
    const name = (i: number): string => `assistant-${String(i).padStart(4, '0')}`;
    const d = desiredState({
      templates: Array.from({ length: n }, (_, i) => template(name(i))),
      versions: Array.from({ length: n }, (_, i) => [version(name(i), '1.0.0'), version(name(i), '1.1.0', { systemInstruction: `Variant ${i}.\n` })]).flat(),
      splits: Array.from({ length: n }, (_, i) => split(name(i), [['1.0.0', 50], ['1.1.0', 50]])),
    });
    const plan = buildPlan(d, { templates: [], filters: [] }, opts());
    const entries = driftEntries(plan);
    expect(entries).toHaveLength(600);
    const out = renderDrift(plan, entries, 'markdown', markdownOf(plan));
    expect(out.length).toBeLessThanOrEqual(DRIFT_MARKDOWN_CAP);
    expect(DRIFT_MARKDOWN_CAP).toBeLessThan(65_536);
    const rows = out.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.length).toBeGreaterThan(100);
    expect(out).toContain(`\n\n> … ${600 - rows.length} more differences not shown; ${FULL_DRIFT}.\n\n**Plan:** 600 to create`);
    // The plan keeps its sections whole and room for resources' diffs beside the long table.
    const planned = out.slice(out.indexOf('**Plan:** 600 to create'));
    expect(planned.length).toBeGreaterThan(markdownFloor(plan, { more: FULL_DRIFT }) + 12_000);
    expect(planned.split('<details>').length - 1).toBeGreaterThan(20);
    expect(out).toMatch(/\n> … [\d,]+ more resources not shown, all of them new; run `promptctl drift --format json` for the full list\.\n/);
    expect(out).not.toContain('JSON plan artifact');
    expect(out.split('<details>').length).toBe(out.split('</details>').length);
    expect(out.split('\n').filter((l) => l.startsWith('```')).length % 2).toBe(0);
    expect(out.endsWith(`<sub>plan plan-0001 · fingerprint ${plan.fingerprint.slice(0, 16)}</sub>\n`)).toBe(true);
  });

  it('gives the table the room a short plan leaves', () => {
    const n = 550;
    const entries = Array.from({ length: n }, (_, i) => ({ address: `PromptTemplate/t-${i}`, action: 'update' as const, modifiedBy: 'user-7', dateModified: '2026-12-02T06:58:18.199Z', message: 'differs from git: description' }));
    const out = renderDrift({} as Plan, entries, 'markdown', { render: () => '**Plan:** short\n', floor: () => 200 });
    // Longer than the plan's floor and share leave (65,536 less 200 and 16,000): the plan took only what it needed.
    expect(out.length).toBeGreaterThan(DRIFT_MARKDOWN_CAP - 16_200);
    expect(out.length).toBeLessThanOrEqual(DRIFT_MARKDOWN_CAP);
    expect(out.split('\n').filter((l) => l.startsWith('| `')).length).toBe(n);
    expect(out).not.toContain('not shown');
  });
});

describe('renderDrift: a delete waiting for prune', () => {
  // A filter removed from git while prune is off: apply leaves it, so the Fix is not "delete".
  function pendingDrift() {
    const d = sampleDesired();
    const live = liveAfterApply(d);
    d.filters = d.filters.filter((f) => f.name !== 'phishing-guard');
    const plan = buildPlan(d, live, opts());
    return { plan, entries: driftEntries(plan) };
  }

  it('says the delete is pending in the Fix column, as the plan says it', () => {
    const { plan, entries } = pendingDrift();
    const out = renderDrift(plan, entries, 'markdown', markdownOf(plan));
    const row = out.split('\n').find((l) => l.startsWith('| `SafetyFilter/phishing-guard`'))!;
    expect(row.split(/(?<!\\)\|/)[2]!.trim()).toBe('delete (pending: prune is off)');
  });

  // Its reason ends in parentheses of its own ("prune is off (run with --prune, …)"): wrapped in
  // another pair it read "(pending: prune is off (run … to delete); would remove a safety filter)".
  it('says why without wrapping the reason in a second pair of parentheses', () => {
    const [entry] = pendingDrift().entries;
    expect(entry!.message).toBe(
      'on the target, not in git — pending: prune is off (run with --prune, or set prune: true in promptctl.yaml, to delete); would remove a safety filter, disabled now: it guards nothing',
    );
  });

  it('marks the entry pending in the JSON report, and leaves a delete prune makes unmarked', () => {
    expect(pendingDrift().entries).toEqual([expect.objectContaining({ address: 'SafetyFilter/phishing-guard', action: 'delete', pending: true })]);
    const d = sampleDesired();
    const live = liveAfterApply(d);
    d.filters = d.filters.filter((f) => f.name !== 'phishing-guard');
    const pruned = driftEntries(buildPlan(d, live, opts({ prune: true })));
    expect(pruned).toEqual([expect.objectContaining({ address: 'SafetyFilter/phishing-guard', action: 'delete' })]);
    expect(pruned[0]).not.toHaveProperty('pending');
  });
});
