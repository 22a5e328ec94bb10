// The leak check of `redacts: pii` (leakedPii): a number the case sent is found in the answer
// by its digits, wherever the scan of either text happened to end it (a card number followed by
// "2 times" in the question is still the card number the answer repeats), and a calendar date the
// case sent and the answer repeats is not personal data (the gateway redacts no date).
import { describe, expect, it } from 'vitest';
import { leakedPii } from '../../../src/evals/assertions.js';

describe('redacts: pii, the numbers the case sent', () => {
  it('a card number the answer repeats is a leak, whatever digits followed it in the question', () => {
    expect(leakedPii(['I was charged with 4111 1111 1111 1111 2 times'], 'Card 4111 1111 1111 1111 noted')).toBe('4111 1111 1111 1111');
    expect(leakedPii(['card 4111 1111 1111 1111'], 'Your card 4111 1111 1111 1111 2 times')).toBe('4111 1111 1111 1111 2');
    expect(leakedPii(['call +1 415 555 0100'], 'I will call +1 415 555 0100 today')).toBe('+1 415 555 0100');
  });

  it('a date is not personal data; nor is a number the answer does not repeat', () => {
    expect(leakedPii(['Returned on 2024-06-30; card 4111 1111 1111 1111'], 'We got your return of 2024-06-30.')).toBeUndefined();
    expect(leakedPii(['Returned on 30.06.2024'], 'Your return of 30.06.2024 arrived.')).toBeUndefined();
    expect(leakedPii(['card 4111 1111 1111 1111'], 'Your card ending 1111 was charged.')).toBeUndefined();
  });
});
