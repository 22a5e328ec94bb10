// Which failures leave an action's outcome unknown (audit outcome `unknown`, its intent left for a
// later apply to settle): a read that failed counts only after a write of the action was answered
// 2xx (a publish's confirmation); before any write, nothing of it changed, and it is a failure.
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../../src/apply/failure.js';
import { ApiError } from '../../../src/genesys/errors.js';
import type { PlanAction } from '../../../src/plan/types.js';

const action = { address: 'PromptVersion/alpha@1.1.0', action: 'create', kind: 'PromptVersion', name: 'alpha@1.1.0', dependsOn: [] } as unknown as PlanAction;
const read = new ApiError('GET …/versions/1.1.0 failed: 503 after 3 attempts', 503, 'service.unavailable', 'c1', 'GET', '/api/v2/llmgateway/prompttemplates/t1/versions/1.1.0');
const refused = new ApiError('POST …/versions failed: 400 bad.request', 400, 'bad.request', 'c2', 'POST', '/api/v2/llmgateway/prompttemplates/t1/versions');

describe('describeFailure: an unknown outcome', () => {
  it('a read failing after a write of the action landed', () => {
    expect(describeFailure(action, read, true)).toMatchObject({ outcome: 'failure', outcomeUnknown: true });
  });

  it('not a read failing before any write, nor a write refused', () => {
    expect(describeFailure(action, read, false).outcomeUnknown).toBeUndefined();
    expect(describeFailure(action, refused, true).outcomeUnknown).toBeUndefined();
  });

  it("a write's lost answer, or a publish job that did not end in time, whether or not an earlier write landed", () => {
    const lost = Object.assign(new ApiError('POST …/jobs failed: 503; the server may or may not have applied it', 503, 'service.unavailable', 'c3', 'POST', '/jobs'), { outcomeUnknown: true });
    const timeout = new ApiError('publishing did not finish in time', 0, 'job.timeout', undefined, 'POST', '/jobs');
    for (const changed of [false, true]) {
      expect(describeFailure(action, lost, changed).outcomeUnknown).toBe(true);
      expect(describeFailure(action, timeout, changed).outcomeUnknown).toBe(true);
    }
  });
});
