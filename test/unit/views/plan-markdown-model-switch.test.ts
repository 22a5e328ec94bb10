// A template's model switch on a template with many versions: the markdown block lists the
// versions the switch moves, and that list once grew the block past its cap, so far that the
// block was dropped from the comment and the model change itself was not shown at all.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/plan/build.js';
import { MARKDOWN_CAP, renderMarkdown } from '../../../src/views/plan-markdown.js';
import { desiredState, liveAfterApply, opts, split, template, version } from '../plan/fixtures.js';

describe('a model switch on a template with many versions', () => {
  it('shows the model change, with the list of versions it moves cut short', () => {
    const labels = Array.from({ length: 700 }, (_, i) => `1.${i}.0`);
    const versions = labels.map((l) => version('billing-assistant', l));
    const d = desiredState({
      templates: [template('billing-assistant')],
      versions,
      splits: [split('billing-assistant', [[labels.at(-1)!, 100]])],
    });
    const live = liveAfterApply(d);
    d.templates[0] = template('billing-assistant', { model: 'gpt-4o-mini' });
    const plan = buildPlan(d, live, opts());
    const a = plan.actions.find((x) => x.address === 'PromptTemplate/billing-assistant')!;
    expect(a.action).toBe('update');
    expect(a.affects?.length).toBe(700);

    const md = renderMarkdown(plan);
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_CAP);
    expect(md).not.toContain('more resource not shown');
    expect(md).toContain('<b>PromptTemplate/billing-assistant</b>');
    expect(md).toContain('+ model: "gpt-4o-mini"');
    expect(md).toMatch(/- … [\d,]+ more versions; see the JSON plan artifact/);
    expect(md.split('<details>').length).toBe(md.split('</details>').length);
  });
});
