// How long settling waits for a publish job a killed run may have left running: until the job's
// own timeout after its intent was written. An intent stamped by a machine whose clock ran ahead
// (a later time than this one's now) counted from that later time, so the wait could run past
// the job's timeout (a review); it counts from when settling began.
import { describe, expect, it } from 'vitest';
import { jobDeadline } from '../../../src/cli/apply-settle.js';

const SETTLING = Date.parse('2026-12-07T22:00:00.000Z');

describe('jobDeadline', () => {
  it("is the intent's time plus the job's timeout", () => {
    const at = SETTLING - 30_000;
    expect(jobDeadline({ address: 'PromptVersion/a@1.0.0', timestamp: new Date(at).toISOString() }, SETTLING)).toBe(at + 120_000);
  });
  it('counts an intent stamped after settling began from then, never longer than the timeout', () => {
    const ahead = new Date(SETTLING + 10 * 60_000).toISOString();
    expect(jobDeadline({ address: 'PromptVersion/a@1.0.0', timestamp: ahead }, SETTLING) - SETTLING).toBe(120_000);
  });
  it('is none for a timestamp it cannot read', () => {
    expect(jobDeadline({ address: 'PromptVersion/a@1.0.0', timestamp: 'yesterday' }, SETTLING)).toBe(Number.NEGATIVE_INFINITY);
  });
});
