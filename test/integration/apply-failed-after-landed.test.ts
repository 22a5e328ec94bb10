// A version created, then its publish failing otherwise than by an interrupt: the action fails,
// saying what landed (the Draft) in its outcome and record, when that is known. A publish job
// that ends Failed is such a case (the job's confirmation was outside the check before); a
// publish whose outcome is unknown claims nothing of the state; a conflict keeps its own advice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeFailure } from '../../src/apply/failure.js';
import { ApiError } from '../../src/genesys/errors.js';
import { jobFailed } from '../../src/genesys/failures.js';
import { afterLanded } from '../../src/kinds/shared.js';
import type { PlanAction } from '../../src/plan/types.js';
import type { GatewayApi } from '../../src/targets/llmgateway/api.js';
import { desiredState, split, template, version } from '../helpers/desired.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { applyPlan, planAgainst } from '../helpers/engine.js';

let emu: TestEmulator;
beforeEach(async () => {
  emu = await startTestEmulator();
});
afterEach(async () => {
  await emu.close();
});

describe('a publish that fails after the version was created', () => {
  it('a publish job that ends Failed: failed, with the Draft on record', async () => {
    const desired = desiredState({ templates: [template('alpha')], versions: [version('alpha', '1.0.0')], splits: [split('alpha', [['1.0.0', 100]])] });
    expect((await applyPlan(await planAgainst(desired, emu.api), emu.api)).ok).toBe(true);
    desired.versions.push(version('alpha', '1.1.0'));
    const failing: GatewayApi = Object.create(emu.api);
    // The job is started, then ends Failed (as publications.ts reports one).
    failing.startPublish = async () => {
      const published = Promise.reject(jobFailed('publishing version 1.1.0', { id: 'j1', errors: [{ code: 'internal', message: 'the worker died' }] }, 'POST', '/jobs', (t) => t));
      published.catch(() => undefined);
      return { published };
    };
    const r = await applyPlan(await planAgainst(desired, failing), failing);
    const f = r.failed.find((x) => x.action.address === 'PromptVersion/alpha@1.1.0')!;
    expect(f.outcome).toBe('failure');
    expect(f.detail).toMatch(/^publishing version 1\.1\.0 failed \(job j1\): internal: the worker died.*; created version 1\.1\.0 as a Draft, not published; the next plan shows what is left$/);
    expect(f.landed?.content).toMatchObject({ state: 'Draft' });
    expect(f.resourceId).toMatch(/\S/);
  });

  const action = { address: 'PromptVersion/alpha@1.1.0', action: 'create', kind: 'PromptVersion', name: 'alpha@1.1.0', dependsOn: [] } as unknown as PlanAction;
  const landed = { done: ['created version 1.1.0 as a Draft, not published'], after: { version: '1.1.0', hash: 'h', content: { state: 'Draft' } }, resourceId: 't1' } as never;

  it('a publish whose outcome is unknown claims nothing of what is left', async () => {
    const e = Object.assign(new ApiError('POST …/jobs failed: 503 service.unavailable after 4 attempts; it may have been applied', 503, 'service.unavailable', 'c1'), { outcomeUnknown: true });
    const err = await afterLanded(action, 'publishing it', landed, () => Promise.reject(e)).catch((x: unknown) => x);
    const o = describeFailure(action, err);
    expect(o.detail).not.toMatch(/not published/);
    expect(o.detail).toMatch(/it may have been applied.*; an earlier write of it landed; the next plan shows what is left$/);
    expect(o.landed).toBeUndefined();
    expect(o.resourceId).toBe('t1');
  });

  it('a publish job that did not end in time, or whose progress could not be read, claims nothing either (a guide)', async () => {
    const guide = { address: 'Guide/Returns', action: 'update', kind: 'Guide', name: 'Returns', dependsOn: [] } as unknown as PlanAction;
    const written = { done: ['created version 2.0', 'version 2.0 holds the content in Draft, not yet ProductionReady'], after: { version: '2.0', hash: 'h', content: { state: 'Draft' } }, resourceId: 'g1' } as never;
    for (const e of [
      new ApiError('publishing version 2.0 of guide g1 did not finish in time', 0, 'job.timeout', undefined, 'POST', '/api/v2/guides/g1/versions/2.0/jobs'),
      new ApiError('GET /api/v2/guides/g1/versions/2.0/jobs/j1 failed: 503 after 4 attempts', 503, 'service.unavailable', 'c3', 'GET', '/api/v2/guides/g1/versions/2.0/jobs/j1'),
    ]) {
      const err = await afterLanded(guide, 'publishing it to ProductionReady', written, () => Promise.reject(e)).catch((x: unknown) => x);
      const o = describeFailure(guide, err);
      expect(o.detail).not.toMatch(/in Draft/);
      expect(o.detail).toMatch(/; an earlier write of it landed; the next plan shows what is left$/);
      expect(o.landed).toBeUndefined();
      expect(o.resourceId).toBe('g1');
    }
    // Refused when it was asked for (the job's POST): nothing was published, the Draft is said.
    const refused = new ApiError('POST …/jobs failed: 400 bad.request', 400, 'bad.request', 'c4', 'POST', '/api/v2/guides/g1/versions/2.0/jobs');
    const o = describeFailure(guide, await afterLanded(guide, 'publishing it to ProductionReady', written, () => Promise.reject(refused)).catch((x: unknown) => x));
    expect(o.detail).toMatch(/version 2\.0 holds the content in Draft, not yet ProductionReady; the next plan shows what is left$/);
    expect(o.landed).toMatchObject({ content: { state: 'Draft' } });
  });

  it('a conflict keeps its own advice, with what landed', async () => {
    const e = new ApiError('version 1.1.0 changed', 409, 'version.mismatch', 'c2');
    const err = await afterLanded(action, 'publishing it', landed, () => Promise.reject(e)).catch((x: unknown) => x);
    const o = describeFailure(action, err);
    expect(o.outcome).toBe('conflict');
    expect(o.detail).toBe('PromptVersion/alpha@1.1.0 changed on the target since the plan [version.mismatch]; run plan again; created version 1.1.0 as a Draft, not published');
  });
});
