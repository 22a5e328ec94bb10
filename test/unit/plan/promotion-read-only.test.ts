// Promotion of a summary setting compares what git can carry from one org to the next. Its
// interactionType is read-only (A11): each org's setting has its own, which no write changes, so it
// is no more content than the integrationId is: an org's own value must not make a gap.
import { describe, expect, it } from 'vitest';
import { toWire as summaryToWire } from '../../../src/kinds/SummarySetting/index.js';
import type { SummarySetting } from '../../../src/model/types.js';
import { buildPlan } from '../../../src/plan/build.js';
import { promotedVersions, promotionGaps } from '../../../src/plan/promotion.js';
import type { WireSummarySetting } from '../../../src/targets/aistudio/wire.js';
import { desiredState, opts } from './fixtures.js';

function setting(over: Partial<SummarySetting> = {}): SummarySetting {
  return {
    kind: 'SummarySetting',
    name: 'Voice wrap-up',
    labels: {},
    language: 'en-US',
    prompt: 'Summarise the call in three bullet points.\n',
    source: { file: 'prompts/summaries/voice.yaml', line: 1, column: 1 },
    locations: {},
    ...over,
  };
}

function liveSetting(s: SummarySetting, interactionType: WireSummarySetting['interactionType']): WireSummarySetting {
  return { id: 's1', ...summaryToWire(s), interactionType, dateCreated: 'd', dateModified: '2025-06-04T09:30:00.000Z' } as WireSummarySetting;
}

describe('promotion of a summary setting whose org keeps its own interactionType', () => {
  it('finds no gap when staging holds the same content and only the read-only interactionType differs', () => {
    // prod's setting was made in Genesys Cloud as Email and adopted; git leaves interactionType out
    // (it cannot name Email: a staging create would be refused, nor Live: prod's would be).
    const prodLive = liveSetting(setting(), 'Email');
    const edited = setting({ prompt: 'Summarise the call in two bullet points.\n' });
    const plan = buildPlan(desiredState({ summarySettings: [edited] }), { templates: [], filters: [], guides: [], summarySettings: [prodLive] }, opts());
    expect(plan.problems).toEqual([]);
    const wanted = promotedVersions(plan);
    expect(wanted.map((w) => w.address)).toEqual(['SummarySetting/Voice wrap-up']);
    // staging applied the same git: its setting (created by promptctl) is Live, with this prompt.
    const staging = { templates: [], summarySettings: [liveSetting(edited, 'Live')] } as never;
    expect(promotionGaps(wanted, staging)).toEqual([]);
  });
});
