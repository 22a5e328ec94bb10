// The leak check of `redacts: pii` (leakedPii): what counts as personal data is what the pii
// category counts (util/pii-shapes.ts). A number the case sent is found in the answer by its
// digits, wherever the scan of either text happened to end it (a card number followed by "2
// times" in the question is still the card number the answer repeats); a calendar date or an
// order number the case sent and the answer repeats is not personal data (the gateway redacts
// neither).
import { describe, expect, it } from 'vitest';
import { createSchemaCache, evaluate, leakedPii } from '../../../src/evals/assertions.js';
import type { Observation } from '../../../src/evals/types.js';
import type { Assertion } from '../../../src/model/types.js';

describe('redacts: pii, the numbers the case sent', () => {
  it('a card number the answer repeats is a leak, whatever digits followed it in the question', () => {
    expect(leakedPii(['I was charged with 4111 1111 1111 1111 2 times'], 'Card 4111 1111 1111 1111 noted')).toBe('4111 1111 1111 1111');
    expect(leakedPii(['card 4111 1111 1111 1111'], 'Your card 4111 1111 1111 1111 2 times')).toBe('4111 1111 1111 1111 2');
    expect(leakedPii(['call +1 415 555 0100'], 'I will call +1 415 555 0100 today')).toBe('+1 415 555 0100');
    // Without its country code, the phone number still came back.
    expect(leakedPii(['call +1 415 555 0100'], 'I will call 415 555 0100 today')).toBe('415 555 0100');
  });

  it('a date is not personal data; nor is a number the answer does not repeat', () => {
    expect(leakedPii(['Returned on 2024-06-30; card 4111 1111 1111 1111'], 'We got your return of 2024-06-30.')).toBeUndefined();
    expect(leakedPii(['Returned on 30.06.2024'], 'Your return of 30.06.2024 arrived.')).toBeUndefined();
    expect(leakedPii(['card 4111 1111 1111 1111'], 'Your card ending 1111 was charged.')).toBeUndefined();
  });

  it('an order number, an amount or a bare id the gateway does not redact is not a leak (a review)', () => {
    const question = 'Order AC-12345678: I paid with 4111 1111 1111 1111, refund please';
    expect(leakedPii([question], 'Thanks. The refund for order AC-12345678 is on its way.')).toBeUndefined();
    expect(leakedPii(['Order 12345678 was 1234567 cents'], 'Order 12345678 (1234567 cents) is refunded.')).toBeUndefined();
    expect(leakedPii(['ticket 123456789012'], 'Ticket 123456789012 is closed.')).toBeUndefined();
  });
});

describe('redacts: pii, the assertion', () => {
  const schemas = createSchemaCache();
  const redacting = { name: 'pii-redact', category: 'pii', score: 0.99, action: 'redact_and_log' as const, applied: true };
  const answered = (output: string): Observation => ({ outcome: 'answered', version: '1.0.0', output, wallMs: 10, filters: [redacting] });
  const redacts = (question: string, output: string) =>
    evaluate({ type: 'redacts', value: 'pii', not: false, path: 'spec.cases.0.expect.0' } as Assertion, answered(output), { inputs: [question], schemas });

  it("passes when the answer repeats the order number, the card redacted (the review's repro)", () => {
    const r = redacts('Order AC-12345678: I paid with 4111 1111 1111 1111, refund please', 'Thanks. The refund for order AC-12345678 is on its way.');
    expect(r).toMatchObject({ passed: true, detail: 'redacted by pii-redact' });
  });

  it('fails on a card number, a phone number or an e-mail address that came back', () => {
    const cases: Array<[string, string, string]> = [
      ['Order AC-12345678: I paid with 4111 1111 1111 1111', 'Order AC-12345678, card 4111 1111 1111 1111: refunded.', '"41***************11"'],
      ['Call me on (020) 7946 0958 about order AC-12345678', 'We will call (020) 7946 0958 today.', '"(0***********58"'],
      ['Reply to sam.lee@mail.example.com please', 'I wrote to sam.lee@mail.example.com.', '"sa********************om"'],
    ];
    for (const [question, output, shown] of cases) {
      expect(redacts(question, output)).toMatchObject({ passed: false, detail: `pii-redact reported a redaction, but the output still holds ${shown}` });
    }
  });
});
