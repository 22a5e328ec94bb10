// What a plan waiting for promotion says it waits for. The text plan's summary said "1 waits for
// promotion: apply the environment before this one first", its heading and the markdown's
// "once the environment before this one has run it", without naming it (staging); and a guide's or
// summary setting's gap said "apply it to staging first (its documents must include staging:
// metadata.environments)" of documents that keep it to no environment at all (a review). Each gap
// now names its previous environment (the problem's `previous`), which the views say, and the
// restriction is said only where the document has one, naming it.
import { describe, expect, it } from 'vitest';
import { judgeGaps, promotedVersions, promotionGaps, withProblems, type PromotionGap } from '../../../src/plan/promotion.js';
import { promotionProblems } from '../../../src/plan/promotion-messages.js';
import { buildPlan } from '../../../src/plan/build.js';
import type { Guide, SummarySetting } from '../../../src/model/types.js';
import type { PlanAction } from '../../../src/plan/types.js';
import { renderMarkdown } from '../../../src/views/plan-markdown.js';
import { renderText } from '../../../src/views/plan-text.js';
import { desiredState } from '../../helpers/desired.js';
import { desiredState as planDesired, liveAfterApply, opts, template } from './fixtures.js';

const guideBody = { instruction: 'Say hello, then ask for the order number.\n' };
const guideWrite = {
  action: 'update',
  address: 'Guide/Returns',
  kind: 'Guide',
  name: 'Returns',
  liveId: 'g1',
  guard: {},
  changes: [],
  dependsOn: [],
  desired: { kind: 'Guide', body: guideBody, state: 'ProductionReady', write: 'version' },
} as PlanAction;
const guide = (over: Partial<Guide> = {}): Guide => ({ kind: 'Guide', name: 'Returns', labels: {}, instruction: guideBody.instruction, variables: [], dataActions: [], publish: 'ProductionReady', source: { file: 'g.yaml', line: 1, column: 1 }, locations: {}, ...over });
/** Staging has no guide of that name: applying this commit there writes it (the gap waits). */
const absentGuide = promotionGaps(promotedVersions({ actions: [guideWrite] }), { templates: [], guides: [] } as never);
const absentSetting: PromotionGap[] = [{ template: 'Wrap-up', version: '', address: 'SummarySetting/Wrap-up', why: 'written', kind: 'SummarySetting', missing: 'absent' }];
const setting = (environments?: string[]): SummarySetting => ({ name: 'Wrap-up', ...(environments ? { environments } : {}) }) as SummarySetting;

describe("a promotion gap's advice", () => {
  it('says no metadata.environments of a document that keeps it to none', () => {
    const [g] = promotionProblems(judgeGaps(absentGuide, desiredState({ guides: [guide()] })), 'prod', 'staging');
    expect(g!.message).toMatch(/has no guide of that name: apply it to staging first \(waiting: applying this commit to staging closes it\)$/);
    const [s] = promotionProblems(judgeGaps(absentSetting, desiredState({ summarySettings: [setting()] })), 'prod', 'staging');
    expect(s!.message).toMatch(/has no summary setting of that name: apply it to staging first \(waiting: applying this commit to staging closes it\)$/);
  });

  it('names the restriction where the document has one', () => {
    const [g] = promotionProblems(judgeGaps(absentGuide, desiredState({ guides: [guide({ environments: ['staging', 'prod'] })] })), 'prod', 'staging');
    expect(g!.message).toContain("apply it to staging first (its document's metadata.environments, staging, prod, must keep staging) (waiting:");
    const [s] = promotionProblems(judgeGaps(absentSetting, desiredState({ summarySettings: [setting(['staging', 'prod'])] })), 'prod', 'staging');
    expect(s!.message).toContain("apply it to staging first (its document's metadata.environments, staging, prod, must keep staging) (waiting:");
  });

  it('names the environment before this one on each problem', () => {
    const problems = promotionProblems(judgeGaps(absentGuide, desiredState({ guides: [guide()] })), 'prod', 'staging');
    expect(problems.map((p) => p.previous)).toEqual(['staging']);
  });
});

describe('a plan waiting for promotion, in the views', () => {
  const base = buildPlan(planDesired({ templates: [template('t')] }), liveAfterApply(planDesired()), opts());
  const waiting = (previous?: string) =>
    withProblems(base, [{ address: 'Guide/Returns', rule: 'promotion/not-in-previous', message: 'm', ...(previous !== undefined ? { previous } : {}) }]);

  it('names the environment it waits for: the text summary and heading, the markdown heading', () => {
    const text = renderText(waiting('staging'));
    expect(text).toContain('\nWaiting for promotion (1) — this plan can be applied once staging has run it:\n');
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/\. 1 waits for promotion: apply this commit to staging first\.$/);
    expect(renderMarkdown(waiting('staging'))).toContain('### ⏳ Waiting for promotion (1) — this plan can be applied once staging has run it\n');
  });

  it('a file from before gaps named it (or one whose gaps name several) says "the environment before this one"', () => {
    expect(renderText(waiting()).trimEnd().split('\n').at(-1)).toMatch(/1 waits for promotion: apply this commit to the environment before this one first\.$/);
    const two = withProblems(waiting('staging'), [{ address: 'Guide/Other', rule: 'promotion/not-in-previous', message: 'm', previous: 'dev' }]);
    expect(renderMarkdown(two)).toContain('once the environment before this one has run them');
  });

  it('a name from the file is shown escaped: it cannot draw on the terminal', () => {
    expect(renderText(waiting('stag\u001b[2Jing'))).not.toMatch(/\u001b/);
  });
});
