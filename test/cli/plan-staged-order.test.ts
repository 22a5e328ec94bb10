// The three plan views (text, JSON, the markdown a pull request shows) list the changes in one
// order, the order apply runs them in (DESIGN §5), a staged safety filter's first step where it
// happens: before any other change. The markdown sorted filters by name and the text showed no
// staging step, so a new filter taking a pruned one's priority read as created last in one view
// and first in the other, while apply creates it first and moves it to its priority last.
import { afterEach, describe, expect, it } from 'vitest';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

/** A new enabled filter, sorting before every other one by name. */
const AAA_GUARD = `---
apiVersion: promptctl/v1
kind: SafetyFilter
metadata:
  name: aaa-guard
spec:
  priority: 20
  categories: [hate_speech]
  action: block_and_log
  thresholds:
    hate_speech: 0.4
  falsePositiveTolerance: 0.05
`;

/** The steps a text plan shows, in order: `stage ADDRESS` for a staged first step, `VERB ADDRESS` for an action. */
function textSteps(text: string): string[] {
  return [...text.matchAll(/^ {2}(?:» (stage) (\S+)|[+~-] (create|update|delete) (\S+))/gm)].map((m) => (m[1] ? `${m[1]} ${m[2]}` : `${m[3]} ${m[4]}`));
}

/** The same of the markdown plan: its staged list items, then its details blocks. */
function markdownSteps(md: string): string[] {
  return [...md.matchAll(/^- `» (stage)` \*\*([^*]+)\*\*|<code>[+~-] (create|update|delete)<\/code> <b>([^<]+)<\/b>/gm)].map((m) => (m[1] ? `${m[1]} ${m[2]}` : `${m[3]} ${m[4]}`));
}

/** The same of the JSON plan: the actions with a stagePriority are staged first, in the order listed. */
function jsonSteps(json: string): string[] {
  const actions = (JSON.parse(json) as { actions: { action: string; address: string; stagePriority?: number }[] }).actions.filter((a) => a.action !== 'noop');
  return [...actions.filter((a) => a.stagePriority !== undefined).map((a) => `stage ${a.address}`), ...actions.map((a) => `${a.action} ${a.address}`)];
}

/** The steps apply reports, as it runs them (a staged filter's second step by its symbol: it "took priority N"). */
function appliedSteps(out: string): string[] {
  const VERB: Record<string, string> = { '+': 'create', '~': 'update', '-': 'delete' };
  return [...out.matchAll(/^([+~-]) (\S+) (created at interim priority|moved to interim priority|took priority|created|updated|deleted)/gm)].map((m) =>
    m[3]!.includes('interim') ? `stage ${m[2]}` : m[3] === 'took priority' ? `${VERB[m[1]!]} ${m[2]}` : `${m[3] === 'created' ? 'create' : m[3] === 'updated' ? 'update' : 'delete'} ${m[2]}`,
  );
}

describe('a plan that stages a new safety filter', () => {
  it('is shown in the order apply runs it, the staging first, by text, JSON and markdown alike', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    // org-hate-speech leaves git (pruned) and aaa-guard takes its priority 20: aaa-guard is
    // created at a free priority first, and takes 20 once org-hate-speech is gone, which is
    // after the template's change (deletes come last).
    await s.edit('prompts/safety-filters.yaml', /---\napiVersion: promptctl\/v1\nkind: SafetyFilter\nmetadata:\n  name: org-hate-speech\n[\s\S]*?(?=---\n)/, AAA_GUARD);
    await s.edit('prompts/billing/billing-assistant.yaml', 'Answers billing questions for signed-in customers.', 'Answers billing questions.');

    const expected = [
      'stage SafetyFilter/aaa-guard',
      'update PromptTemplate/billing-assistant',
      'delete SafetyFilter/org-hate-speech',
      'create SafetyFilter/aaa-guard',
    ];
    const text = await s.cli(['plan', '--prune']);
    expect(text.code, text.stderr).toBe(0);
    expect(textSteps(text.stdout), text.stdout).toEqual(expected);
    expect(text.stdout).toMatch(/^ {2}» stage SafetyFilter\/aaa-guard first: created at interim priority \d+, takes priority 20 at its place below$/m);
    const json = await s.cli(['plan', '--prune', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    expect(jsonSteps(json.stdout)).toEqual(expected);
    const md = await s.cli(['plan', '--prune', '--format', 'markdown']);
    expect(md.code, md.stderr).toBe(0);
    expect(markdownSteps(md.stdout), md.stdout).toEqual(expected);

    const applied = await s.cli(['apply', '--prune', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(appliedSteps(applied.stdout + applied.stderr)).toEqual(expected);
    // Created once: the second step says what it does, not "created" again (a review read it as two creates).
    expect(applied.stdout + applied.stderr).toMatch(/^\+ SafetyFilter\/aaa-guard took priority 20 \(version \d+\)$/m);
    expect((applied.stdout + applied.stderr).match(/SafetyFilter\/aaa-guard created/g)).toHaveLength(1);
  });
});
