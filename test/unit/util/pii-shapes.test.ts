// The shapes of personal data the pii category counts (util/pii-shapes.ts), which the emulator's
// scorer and the `redacts: pii` leak check share: cards by the Luhn check, phone numbers by their
// digit count, e-mail addresses; not an order number, a date or an amount.
import { describe, expect, it } from 'vitest';
import { digitRunsIn, emailsIn, numberShape } from '../../../src/util/pii-shapes.js';

describe('numberShape', () => {
  it('a card number: 13–19 digits that pass the Luhn check, spaced or hyphenated', () => {
    expect(numberShape('4111 1111 1111 1111')).toBe('card');
    expect(numberShape('4111-1111-1111-1111')).toBe('card');
    expect(numberShape('4111111111111111')).toBe('card');
    // The checksum fails: 16 digits, not a card, and too many for a phone.
    expect(numberShape('4111 1111 1111 1112')).toBeUndefined();
  });

  it('a phone number: formatted 9–15 digits, or a bare 10–11', () => {
    expect(numberShape('+1 415 555 0100')).toBe('phone');
    expect(numberShape('(020) 7946 0958')).toBe('phone');
    expect(numberShape('415.555.0100')).toBe('phone');
    expect(numberShape('4155550100')).toBe('bare phone');
    expect(numberShape('14155550100')).toBe('bare phone');
  });

  it('not personal data: a short number, a date, a bare 8 or 12 digits', () => {
    expect(numberShape('12345678')).toBeUndefined();
    expect(numberShape('123456789012')).toBeUndefined();
    expect(numberShape('2024-06-30')).toBeUndefined();
    expect(numberShape('30.06.2024')).toBeUndefined();
    expect(numberShape('1234')).toBeUndefined();
  });
});

describe('digitRunsIn and emailsIn', () => {
  it('each run whole with its shape; an id joined to letters holds none', () => {
    const text = 'Order AC-12345678: I paid with 4111 1111 1111 1111, call 415-555-0100 on 2024-06-30';
    expect(digitRunsIn(text).map((r) => [r.text, r.shape])).toEqual([
      ['4111 1111 1111 1111', 'card'],
      ['415-555-0100', 'phone'],
      ['2024-06-30', undefined],
    ]);
    // One run where single separators go on: 17 digits, no card.
    expect(digitRunsIn('charged 4111 1111 1111 1111 2 times').map((r) => [r.text, r.shape])).toEqual([['4111 1111 1111 1111 2', undefined]]);
  });

  it('finds e-mail addresses, and leaves their digits out of the runs', () => {
    const text = 'Write to sam.lee+acme@mail.example.com or 4155550100@sms.example.net';
    const emails = emailsIn(text);
    expect(emails.map((e) => text.slice(e.start, e.end))).toEqual(['sam.lee+acme@mail.example.com', '4155550100@sms.example.net']);
    expect(digitRunsIn(text)).toEqual([]);
    expect(emailsIn('no address @ here, nor user@localhost')).toEqual([]);
  });
});
