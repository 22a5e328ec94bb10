// Settling an interrupted create of a guide against the emulator over HTTP: each call of the
// create (the guide, its content, the publish) leaves a state only promptctl's own unfinished
// write makes, which the next apply reads as "not applied", never as someone else's change.
import { afterEach, describe, expect, it } from 'vitest';
import { settle } from '../../src/apply/recovery.js';
import { GuideKind } from '../../src/kinds/Guide/index.js';
import { aiStudioWriteChecks, liveSnapshots, midwayOf } from '../../src/kinds/index.js';
import type { Guide } from '../../src/model/types.js';
import type { EmulatorOptions } from '../../src/emulator/server.js';
import { buildPlan } from '../../src/plan/build.js';
import { readLiveState } from '../../src/targets/live.js';
import type { WriteAction } from '../../src/kinds/action.js';
import { versionTokens } from '../../src/tokens/index.js';
import { desiredState } from '../helpers/desired.js';
import { setup, type Env } from './aistudio-support.js';

const guide: Guide = {
  kind: 'Guide',
  name: 'Returns',
  labels: {},
  instruction: 'Say hello.\n',
  variables: [],
  dataActions: [],
  publish: 'ProductionReady',
  source: { file: 'prompts/returns.yaml', line: 1, column: 1 },
  locations: {},
};

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

/** The create's intent as apply records it, the org's AI Studio client, and how an interrupted run is settled now. */
async function interruptedCreate(opts: EmulatorOptions) {
  env = await setup({ rateLimit: 100_000, ...opts });
  const studio = env.client({ landed: aiStudioWriteChecks });
  const gateway = env.gateway();
  const read = () => readLiveState({ gateway, aistudio: studio });
  const plan = buildPlan(desiredState({ guides: [guide] }), await read(), { prune: false, target: 't', git: {}, id: 'p', createdAt: '', tokens: versionTokens });
  const action = plan.actions.find((a) => a.address === 'Guide/Returns');
  if (action?.action !== 'create') throw new Error('expected a create');
  const intent = { address: action.address, action: 'create' as const, before: null, after: GuideKind.intended!(action as WriteAction) };
  return {
    studio,
    async settled() {
      const live = liveSnapshots(await read()).get('Guide/Returns');
      return settle(intent as never, live, midwayOf(intent));
    },
  };
}

describe('settling a guide create cut short', () => {
  it('after the guide was made, with the empty first version a new guide starts with (E1)', async () => {
    const run = await interruptedCreate({});
    await run.studio.createGuide({ name: 'Returns', source: 'Manual' });
    const s = await run.settled();
    expect(s.outcome).toBe('not applied');
    expect(s.note).toBe('partly applied: the guide exists but holds none of its content yet (the next apply writes it)');
  });

  it('after the guide was made, on a server that starts guides without a version', async () => {
    const run = await interruptedCreate({ aiStudio: { newGuideDraft: false } });
    await run.studio.createGuide({ name: 'Returns', source: 'Manual' });
    expect((await run.settled()).note).toBe('partly applied: the guide exists but holds none of its content yet (the next apply writes it)');
  });

  it('after its content was written, before the publish', async () => {
    const run = await interruptedCreate({});
    const g = await run.studio.createGuide({ name: 'Returns', source: 'Manual' });
    await run.studio.patchGuideVersion(g.id, '1.0', { instruction: guide.instruction, variables: [], resources: { dataActions: [] } });
    expect((await run.settled()).note).toMatch(/^partly applied: the guide’s latest version holds the intended content in Draft, not yet ProductionReady/);
  });

  it('but a guide someone else filled with other content is someone else’s', async () => {
    const run = await interruptedCreate({});
    const g = await run.studio.createGuide({ name: 'Returns', source: 'Manual' });
    await run.studio.patchGuideVersion(g.id, '1.0', { instruction: 'Something else.\n' });
    expect((await run.settled()).note).toMatch(/changed by someone else/);
  });
});
