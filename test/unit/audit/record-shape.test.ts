// What one record's fields must be (record-shape.ts), for an outcome's `confirmedBy`: a success
// known only by reading the org back says `"read"`; no other value, and on no other record (an
// intent, a failure, a recovery: a recovery is read by definition and says so in its outcome).
// Records without it, as every trail before it holds, are as good as ever.
import { describe, expect, it } from 'vitest';
import { shapeProblemV2 } from '../../../src/audit/record-shape.js';

const HASH = 'a'.repeat(64);

/** A well-formed format-2 outcome record of a create that succeeded. */
function outcome(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: 2, seq: 2, timestamp: '2025-01-01T00:00:00.000Z', type: 'outcome', actor: 'a', commit: null, planId: 'p',
    org: { id: 'org', host: 'localhost' }, address: 'SafetyFilter/f', action: 'create', resourceId: 'id-1',
    before: null, after: { version: 1, hash: null, content: null }, outcome: 'success', intent: 1,
    correlationId: 'c', alg: 'sha256', prevHash: HASH, hash: HASH, ...extra,
  };
}

/** A well-formed intent record. */
function intent(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { intent: _i, ...rest } = outcome({ type: 'intent', seq: 1, outcome: null, run: { id: 'r', host: 'h', pid: 1 }, ...extra });
  return rest;
}

describe('shapeProblemV2: confirmedBy', () => {
  it('accepts a success without it (every older record) and a success confirmed by "read"', () => {
    expect(shapeProblemV2(outcome())).toBeNull();
    expect(shapeProblemV2(outcome({ confirmedBy: 'read' }))).toBeNull();
    expect(shapeProblemV2(intent())).toBeNull();
  });

  it('names any other value', () => {
    for (const value of ['answer', 'READ', '', null, true, 1, ['read'], { by: 'read' }]) {
      expect(shapeProblemV2(outcome({ confirmedBy: value })), JSON.stringify(value)).toBe('confirmedBy is not "read"');
    }
  });

  it('names it on an outcome that is not a success, a recovered one included, and on an intent', () => {
    for (const o of ['failure', 'conflict', 'skipped']) {
      expect(shapeProblemV2(outcome({ outcome: o, confirmedBy: 'read' })), o).toBe('confirmedBy on an outcome that is not "success"');
    }
    expect(shapeProblemV2(outcome({ format: 3, outcome: 'unknown', confirmedBy: 'read' }))).toBe('confirmedBy on an outcome that is not "success"');
    const by = { actor: 'b', commit: null, planId: 'q' };
    expect(shapeProblemV2(outcome({ outcome: 'succeeded (recovered)', recoveredBy: by }))).toBeNull();
    expect(shapeProblemV2(outcome({ outcome: 'succeeded (recovered)', recoveredBy: by, confirmedBy: 'read' }))).toBe('confirmedBy on an outcome that is not "success"');
    expect(shapeProblemV2(intent({ confirmedBy: 'read' }))).toBe('an intent has confirmedBy');
  });
});
