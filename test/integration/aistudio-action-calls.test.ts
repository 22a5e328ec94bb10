// The emulator refuses to publish a guide version whose instruction calls a data action it does not
// declare (assumptions.ts E14), as the real platform does ("There are invalid data actions in the
// version": the Genesys Terraform provider's guide_version test), and the client stops on it.
import { afterEach, describe, expect, it } from 'vitest';
import { INVALID_DATA_ACTIONS } from '../../src/targets/aistudio/wire.js';
import { rejection, setup, type Env } from './aistudio-support.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const lookup = { id: 'custom_-_6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f', label: 'Lookup order' };

describe('AI Studio: publishing a version that calls data actions', () => {
  it('is refused while the instruction calls a label no data action has, and succeeds once it is declared', async () => {
    env = await setup();
    const c = env.client();
    const g = await c.createGuide({ name: 'Orders', source: 'Manual' });
    await c.patchGuideVersion(g.id, '1.0', { instruction: 'Call {{Action.Lookup order}}.', variables: [], resources: { dataActions: [] } });

    const refused = await rejection(c.publishGuideVersion(g.id, '1.0', 'ProductionReady'));
    expect(refused).toMatchObject({ status: 400 });
    expect(refused.message).toContain(INVALID_DATA_ACTIONS);
    expect(refused.message).toContain('"Lookup order"');
    expect((await c.getGuideVersion(g.id, '1.0')).state).toBe('Draft');

    await c.patchGuideVersion(g.id, '1.0', { instruction: 'Call {{Action.Lookup order}}.', variables: [], resources: { dataActions: [lookup] } });
    expect((await c.publishGuideVersion(g.id, '1.0', 'ProductionReady')).state).toBe('ProductionReady');
  });

  it('reads calls as validate does (util/guide-action-calls.ts): a space after the dot is no call, a space before the braces is', async () => {
    env = await setup();
    const c = env.client();
    const g = await c.createGuide({ name: 'Orders', source: 'Manual' });
    // validate warns of `{{ Action. Lookup order}}` as a malformed placeholder, no call: the
    // emulator read it as a call of " Lookup order" and refused the publish.
    await c.patchGuideVersion(g.id, '1.0', { instruction: 'Call {{ Action. Lookup order}} and {{Action.Lookup order }}.', variables: [], resources: { dataActions: [lookup] } });
    expect((await c.publishGuideVersion(g.id, '1.0', 'ProductionReady')).state).toBe('ProductionReady');
  });
});
