// GitHub makes an e-mail address in a comment's text a mailto: link. A live object's name holding
// one (an owner's address in a filter made by hand) became a link in the reviewed plan; it is now
// kept text, readable, as an @mention or a bare URL already was. A version's address is no link.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/plan/build.js';
import { renderMarkdown } from '../../../src/views/plan-markdown.js';
import { desiredState, filter, liveAfterApply, opts } from '../plan/fixtures.js';

describe('an e-mail address in a name in the markdown plan', () => {
  it('is no link in a block summary or a list, and reads as it was', () => {
    const d = desiredState({ filters: [filter('kept', 10)] });
    const live = liveAfterApply(desiredState({ filters: [filter('kept', 10), filter('gone ann@acme.example', 20)] }));
    const unmanaged = liveAfterApply(desiredState({ filters: [filter('by-hand bob@acme.example', 30)] })).filters[0]!;
    live.filters.push({ ...unmanaged, labels: {} });
    const md = renderMarkdown(buildPlan(d, live, opts({ prune: true })));
    expect(md).not.toMatch(/[A-Za-z]@[a-z]/);
    const summary = md.split('\n').find((l) => l.startsWith('<details><summary>') && l.includes('SafetyFilter/gone'));
    expect(summary).toContain('<b>SafetyFilter/gone ann@\u200bacme.example</b>');
    expect(md).toContain('- SafetyFilter/by-hand bob@\u200bacme.example — ');
  });
});
