// Publishing a Draft that git edits: apply PATCHes it and publishes it, and the version it publishes
// must hold git's content exactly. A PATCH replaces only the fields it names, so an optional field
// git dropped (a temperature, a model) is cleared by naming it with null, never silently kept.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonical, toWire as versionWire } from '../../src/kinds/PromptVersion/index.js';
import { canonicalEqual } from '../../src/kinds/canonical.js';
import type { DesiredState } from '../../src/model/types.js';
import { desiredState, split, template, version } from '../helpers/desired.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { applyPlan, planAgainst } from '../helpers/engine.js';
import { gatewayWriteChecks } from '../../src/kinds/index.js';
import { createGatewayClient } from '../../src/targets/llmgateway/client.js';
import type { GatewayApi } from '../../src/targets/llmgateway/api.js';
import { CLIENT_ID, CLIENT_SECRET, startRecordingProxy } from './client-support.js';

let emu: TestEmulator;
beforeEach(async () => {
  emu = await startTestEmulator();
});
afterEach(async () => {
  await emu.close();
});

const apply = async (desired: DesiredState, api: GatewayApi = emu.api) => {
  const plan = await planAgainst(desired, api);
  return { plan, result: await applyPlan(plan, api) };
};

/** A hand-made Draft of alpha 1.1.0 with a temperature git's 1.1.0 does not set; git's state with it. */
async function draftWithTemperature(): Promise<DesiredState> {
  const desired = desiredState({ templates: [template('alpha')], versions: [version('alpha', '1.0.0')], splits: [split('alpha', [['1.0.0', 100]])] });
  await apply(desired);
  const t = (await emu.api.listTemplates({ name: 'alpha' }))[0]!;
  const git = version('alpha', '1.1.0');
  await emu.api.createVersion(t.id, { ...versionWire(git), temperature: 0.5 });
  desired.versions.push(git);
  return desired;
}

describe('publishing a Draft that git edits', () => {
  it('clears the optional fields git does not set, so the published version holds exactly what git says', async () => {
    const desired = desiredState({ templates: [template('alpha')], versions: [version('alpha', '1.0.0')], splits: [split('alpha', [['1.0.0', 100]])] });
    await apply(desired);
    const t = (await emu.api.listTemplates({ name: 'alpha' }))[0]!;
    // A Draft made by hand, with settings git's version of it does not have.
    const git = version('alpha', '1.1.0');
    await emu.api.createVersion(t.id, { ...versionWire(git), model: 'gpt-4o-mini', temperature: 0.5, maxTokens: 77, fewShotExamples: [{ input: 'a', output: 'b' }] });
    desired.versions.push(git);

    const { plan, result } = await apply(desired);
    const action = plan.actions.find((a) => a.address === 'PromptVersion/alpha@1.1.0')!;
    expect(action.changes.map((c) => c.path)).toEqual(['fewShotExamples', 'maxTokens', 'model', 'temperature', 'state']);
    expect(result.ok).toBe(true);

    const live = (await emu.api.listTemplates({ name: 'alpha', expand: ['versions'] }))[0]!.versions!.find((v) => v.version === '1.1.0')!;
    expect(live.state).toBe('Published');
    expect({ model: live.model, temperature: live.temperature, maxTokens: live.maxTokens, fewShotExamples: live.fewShotExamples }).toEqual({
      model: undefined,
      temperature: undefined,
      maxTokens: undefined,
      fewShotExamples: [],
    });
    expect(canonicalEqual(canonical(live), canonical(git))).toBe(true);
    // And the next plan has nothing to do (no immutable-version problem).
    const again = await planAgainst(desired, emu.api);
    expect(again.problems).toEqual([]);
    expect(again.summary).toMatchObject({ create: 0, update: 0, delete: 0 });
  });

  it('publishes nothing when the server answers the PATCH with success but kept a field sent as null', async () => {
    const desired = await draftWithTemperature();
    // A server that reads null as "not sent": it answers 200 and keeps the temperature.
    const withoutNulls = (method: string, _path: string, body: Buffer): Buffer =>
      method === 'PATCH' ? Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8')), (_k, v: unknown) => (v === null ? undefined : v))) : body;
    const proxy = await startRecordingProxy(() => emu.url, withoutNulls);
    const api = createGatewayClient({ landed: gatewayWriteChecks, apiUrl: proxy.url, loginUrl: proxy.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, targetLabel: 'proxy' });
    try {
      const { result } = await apply(desired, api);
      expect(result.ok).toBe(false);
      const outcome = result.failed.find((o) => o.action.address === 'PromptVersion/alpha@1.1.0')!;
      expect(outcome.outcome).toBe('failure');
      expect(outcome.detail).toMatch(/^PATCH \/api\/v2\/llmgateway\/prompttemplates\/[^ ]+\/versions\/1\.1\.0 succeeded, but the version does not hold what was sent/);
      // Never published: the Draft can still be fixed, and the next plan still shows the change.
      const live = (await emu.api.listTemplates({ name: 'alpha', expand: ['versions'] }))[0]!.versions!.find((v) => v.version === '1.1.0')!;
      expect({ state: live.state, temperature: live.temperature }).toEqual({ state: 'Draft', temperature: 0.5 });
      expect(proxy.log.filter((e) => e.method === 'POST' && e.path.endsWith('/publish'))).toEqual([]);
    } finally {
      await api.close();
      await proxy.close();
    }
  });
});
