// The promise every audit intent makes: it says what its call produces, so that a run killed
// right after the call is settled as having happened, never as someone else's change.
import { expect } from 'vitest';
import { settle } from '../../src/apply/recovery.js';
import { holdsIntendedOf, midwayOf } from '../../src/kinds/index.js';
import { auditRecords } from './audit-trail.js';

/** Checks every successful outcome in the trail against its intent, as the next apply would settle it. */
export async function expectEachIntentSaysWhatItsCallMade(auditFile: string): Promise<void> {
  const records = await auditRecords('', auditFile);
  const intents = new Map(records.filter((r) => r.type === 'intent').map((r) => [r.seq as number, r]));
  const outcomes = records.filter((r) => r.type === 'outcome' && r.outcome === 'success');
  expect(outcomes.length).toBeGreaterThan(0);
  for (const o of outcomes) {
    const intent = intents.get(o.intent as number)!;
    expect(settle(intent as never, o.after, midwayOf(intent as never), {}, (own) => holdsIntendedOf(intent as never, own)).outcome, `${intent.address} ${intent.action}`).toBe('succeeded (recovered)');
  }
}
