// A live object's name may hold line breaks (any non-blank name is taken). In the markdown plan a
// name inside the <summary> of its block kept them raw (a blank line ends GitHub's HTML block, so
// the rest of the name rendered as markdown: a heading, a fake list), and a lone CR, which
// markdown reads as a line end, passed the inline escape. Both now stay on their line.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/plan/build.js';
import { renderMarkdown } from '../../../src/views/plan-markdown.js';
import { desiredState, filter, liveAfterApply, opts } from '../plan/fixtures.js';

describe('names with line breaks in the markdown plan', () => {
  it('stay on their line, in a block summary and in the lists', () => {
    const d = desiredState({ filters: [filter('kept', 10)] });
    const live = liveAfterApply(desiredState({ filters: [filter('kept', 10), filter('gone\n\n### forged heading\r- forged item', 20)] }));
    const unmanaged = liveAfterApply(desiredState({ filters: [filter('by-hand\r### forged', 30)] })).filters[0]!;
    live.filters.push({ ...unmanaged, labels: {} });
    const plan = buildPlan(d, live, opts({ prune: false }));
    expect(plan.unmanaged.map((u) => u.address)).toEqual(['SafetyFilter/by-hand\r### forged']);
    const md = renderMarkdown(plan);
    expect(md).not.toMatch(/\r/);
    expect(md).not.toMatch(/^#+ forged/m);
    expect(md).not.toMatch(/^- forged/m);
    const summary = md.split('\n').find((l) => l.startsWith('<details><summary>') && l.includes('SafetyFilter/gone'));
    expect(summary).toMatch(/<\/summary>$/);
  });
});
