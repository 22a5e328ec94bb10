// A refused AI Studio write (403) names the permission the call needs, as a refused read does: an
// apply whose client lacked aiStudio:guideVersionJob:add said only "403 missing.any.permissions"
// (a review's probe). The rights are the official SDK's (docs/AIStudioApi.md "Requires ALL permissions").
import { describe, expect, it } from 'vitest';
import { requiredRight } from '../../../src/targets/aistudio/rights.js';
import { paths } from '../../../src/targets/aistudio/paths.js';
import { apiErrorOf } from '../../../src/genesys/failures.js';
import { ApiError } from '../../../src/genesys/errors.js';
import { describeFailure } from '../../../src/apply/failure.js';
import type { PlanAction } from '../../../src/plan/types.js';

describe('requiredRight', () => {
  it('names the SDK permission of each AI Studio call, and none for others', () => {
    const g = 'g 1';
    expect(requiredRight('POST', paths.guides())).toBe('aiStudio:guide:add');
    expect(requiredRight('GET', paths.guides())).toBe('aiStudio:guide:view');
    expect(requiredRight('PATCH', paths.guide(g))).toBe('aiStudio:guide:edit');
    expect(requiredRight('DELETE', paths.guideJobs(g))).toBe('aiStudio:guideJob:add');
    expect(requiredRight('GET', paths.guideJob(g, 'j'))).toBe('aiStudio:guideJob:view');
    expect(requiredRight('POST', paths.guideVersions(g))).toBe('aiStudio:guideVersion:add');
    expect(requiredRight('get', paths.guideVersion(g, '1.0'))).toBe('aiStudio:guideVersion:view');
    expect(requiredRight('PATCH', paths.guideVersion(g, '1.0'))).toBe('aiStudio:guideVersion:edit');
    expect(requiredRight('POST', paths.guideVersionJobs(g, '1.0'))).toBe('aiStudio:guideVersionJob:add');
    expect(requiredRight('GET', paths.guideVersionJob(g, '1.0', 'j'))).toBe('aiStudio:guideVersionJob:view');
    expect(requiredRight('POST', paths.sessionTurns(g, 's'))).toBe('aiStudio:guideSessionTurn:add');
    expect(requiredRight('POST', paths.summarySettings())).toBe('aiStudio:summaryConfig:add');
    expect(requiredRight('PUT', paths.summarySetting('s'))).toBe('aiStudio:summaryConfig:edit');
    expect(requiredRight('DELETE', paths.summarySetting('s'))).toBe('aiStudio:summaryConfig:delete');
    expect(requiredRight('GET', `${paths.summarySettings()}?pageNumber=2`)).toBe('aiStudio:summaryConfig:view');
    expect(requiredRight('POST', '/api/v2/llmgateway/prompttemplates')).toBeUndefined();
    expect(requiredRight('DELETE', paths.guideVersion(g, '1.0'))).toBeUndefined();
  });
});

describe('a refused call', () => {
  const res = (status: number) => ({ status, headers: {}, body: { code: 'missing.any.permissions', message: 'You are not authorized' }, correlationId: 'c1' });
  const ctx = { apiUrl: 'https://api.example.com/', loginUrl: 'https://login.example.com/', scrub: (t: string) => t, rightOf: requiredRight };
  const spec = { method: 'POST' as const, path: paths.guideVersionJobs('g1', '1.0') };

  it("carries the permission on its error (a 403 alone), and apply's detail names it", () => {
    const err = apiErrorOf(spec, 'c1', { kind: 'response', res: res(403) }, ctx);
    expect(err.right).toBe('aiStudio:guideVersionJob:add');
    expect(apiErrorOf(spec, 'c1', { kind: 'response', res: res(404) }, ctx).right).toBeUndefined();
    expect(apiErrorOf(spec, 'c1', { kind: 'response', res: res(403) }, { ...ctx, rightOf: undefined }).right).toBeUndefined();
    const a = { address: 'Guide/Returns', kind: 'Guide', name: 'Returns', action: 'create', dependsOn: [], changes: [] } as unknown as PlanAction;
    const out = describeFailure(a, err);
    expect(out.detail).toBe(`POST ${spec.path} failed: 403 missing.any.permissions: You are not authorized (correlation id c1); give the OAuth client aiStudio:guideVersionJob:add`);
    const gateway = new ApiError('POST /api/v2/llmgateway/prompttemplates failed: 403 forbidden: no (correlation id c2)', 403, 'forbidden', 'c2', 'POST', '/api/v2/llmgateway/prompttemplates');
    expect(describeFailure(a, gateway).detail).not.toContain('give the OAuth client');
  });
});
