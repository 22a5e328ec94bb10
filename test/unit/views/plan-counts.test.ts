// Counts in the plan's views and apply's summary, grouped as DESIGN and every other number the
// plan writes are ("1,047,576", "… 1,200 more resources not shown"): the summary line said
// "1200 to create", the markdown table "1200", apply "Apply complete: 1200 created".
import { describe, expect, it } from 'vitest';
import type { ApplyResult } from '../../../src/apply/executor.js';
import { buildPlan } from '../../../src/plan/build.js';
import { bar, summaryLines } from '../../../src/views/apply.js';
import { renderMarkdown } from '../../../src/views/plan-markdown.js';
import { renderText } from '../../../src/views/plan-text.js';
import { plain } from '../../../src/views/style.js';
import { desiredState, liveAfterApply, opts, template } from '../plan/fixtures.js';

describe('counts of a thousand or more', () => {
  const plan = buildPlan(desiredState({ templates: Array.from({ length: 1200 }, (_, i) => template(`t${String(i).padStart(4, '0')}`)) }), liveAfterApply(desiredState()), opts());

  it('are grouped in the text summary line and the markdown summary line and table', () => {
    expect(plan.summary.create).toBe(1200);
    expect(renderText(plan).trimEnd().split('\n').at(-1)).toBe('Plan: 1,200 to create, 0 to update, 0 to delete.');
    const md = renderMarkdown(plan);
    expect(md.split('\n')[0]).toBe('**Plan:** 1,200 to create, 0 to update, 0 to delete');
    expect(md).toContain('| PromptTemplate | 1,200 | 0 | 0 | 0 |');
  });

  it("are grouped in apply's closing line", () => {
    const result: ApplyResult = { ok: true, interrupted: false, succeeded: [], failed: [], notStarted: [], partial: [], counts: { created: 1200, updated: 0, deleted: 1000 } };
    expect(summaryLines(result, plain)).toEqual(['Apply complete: 1,200 created, 0 updated, 1,000 deleted.']);
  });

  it("are grouped in apply's progress bar", () => {
    expect(bar(1234, 5000, 10)).toBe('[##........] 1,234/5,000');
  });
});
