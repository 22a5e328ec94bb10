// A write after writes of the same action that landed, ended by an apply's interrupt: the action
// is interrupted midway, and says why its next write did not happen. One held back while it
// waited its turn (the pacer, a slot) never reached the server: a review found it told as "its
// request failed and was not resent", as one sent and refused is.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/genesys/errors.js';
import { heldBackError } from '../../../src/genesys/failures.js';
import type { PlanAction } from '../../../src/kinds/action.js';
import { afterLanded, Interrupted } from '../../../src/kinds/shared.js';

const action = { address: 'PromptVersion/a@1.0.0', kind: 'PromptVersion', name: 'a', action: 'create', dependsOn: [], changes: [] } as unknown as PlanAction;
const landed = { done: ['created version 1.0.0 as a Draft, not published'], after: null, resourceId: 't1' };

async function interruptedBy(err: ApiError): Promise<Interrupted> {
  const thrown = await afterLanded(action, 'publishing it', landed, () => Promise.reject(err)).catch((e: unknown) => e);
  expect(thrown).toBeInstanceOf(Interrupted);
  return thrown as Interrupted;
}

describe('afterLanded', () => {
  it('says a write held back before it was sent was not sent, and one refused and not resent so', async () => {
    const held = await interruptedBy(heldBackError({ method: 'POST', path: '/api/v2/llmgateway/prompttemplates/t1/versions/1.0.0/jobs' }));
    expect(held.message).toBe('interrupted before publishing it (not sent: the run was interrupted while it waited its turn): created version 1.0.0 as a Draft, not published; the next apply finishes it');
    const refused = new ApiError('POST …/jobs failed: 503', 503, 'service.unavailable', 'c1', 'POST', '/jobs');
    refused.notResent = true;
    expect((await interruptedBy(refused)).message).toBe('interrupted before publishing it (its request failed and was not resent): created version 1.0.0 as a Draft, not published; the next apply finishes it');
  });
});
