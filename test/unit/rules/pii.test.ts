import { describe, expect, it } from 'vitest';
import { checkPii } from '../../../src/rules/pii.js';
import { luhnValid } from '../../../src/util/luhn.js';
import { at, state, variable, version } from './build.js';

const run = (text: string) =>
  checkPii(state({ versions: [version('t', '1.0.0', { fewShotExamples: [{ input: 'Q', output: text }] })] }));

describe('pii', () => {
  it('luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('378282246310005')).toBe(true);
  });

  it.each([
    ['mail jane.doe@example.co.uk now', 'email address'],
    ['call (415) 555-0100', 'phone number'],
    ['call 415-555-0100', 'phone number'],
    ['call +44 20 7946 0958', 'phone number'],
    ['call +49 30 1234567', 'phone number'],
    ['card 4111 1111 1111 1111', 'payment card number'],
    ['card 4111-1111-1111-1111', 'payment card number'],
    ['amex 378282246310005', 'payment card number'],
  ])('warns about %j', (text, kind) => {
    const ds = run(text);
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ severity: 'warning', rule: 'pii/detected' });
    expect(ds[0]!.message).toContain(kind);
    expect(ds[0]!.message).toContain('fewShotExamples[0].output');
  });

  it.each([
    'version 1.2.3 released 2024-01-15',
    'server 192.168.100.200 port 8080',
    'order 4111 1111 1111 1112',
    'id 1234567890123',
    'placeholder {{email}} and user@{{domain}}',
    '1000000000000000',
    // Times of day that pass the checksum: no card number starts with 0, nor mixes its separators.
    'open 0830-1230 1330-1730',
    'Mon-Fri 1030-1230 1400-1830',
  ])('does not warn about %j', (text) => {
    expect(run(text)).toEqual([]);
  });

  it('stays fast on hostile text', () => {
    expect(run('a'.repeat(1_000_000) + '1 '.repeat(500_000) + '@'.repeat(100_000) + '.'.repeat(100_000))).toHaveLength(0);
  });
});

// Numbers shaped like phone numbers that are not: ranges and counts, section numbers, order ids,
// times. The brief's own examples were never reported; their close variants were.
// The warning asks for "an obviously fake value": an address at a domain reserved for
// documentation (RFC 2606, RFC 6761) is one, and no one can own it.
describe('pii: variable defaults', () => {
  it("reads variables' text defaults, which a call that leaves the variable out sends, at the default", () => {
    const v = version('t', '1.0.0', {
      userTemplate: '{{contact}} {{n}}',
      variables: [variable('contact', { default: 'Jane Doe, jane.doe@gmail.com', required: false }), variable('n', { type: 'number', default: 5551234567, required: false })],
    });
    const ds = checkPii(state({ versions: [v] }));
    expect(ds).toEqual([
      expect.objectContaining({
        file: at(v, 'spec.variables.0.default').file,
        line: at(v, 'spec.variables.0.default').line,
        severity: 'warning',
        rule: 'pii/detected',
        message: 'variable "contact" default contains what looks like an email address; keep personal data out of prompts (use a placeholder or an obviously fake value)',
      }),
    ]);
  });
});

describe('pii: example email addresses', () => {
  it.each([
    'Write to us at support@example.com for help.',
    'e.g. jane.doe@example.org or JANE@EXAMPLE.NET',
    'Reply-to: billing@mail.example.com',
    'Test account: qa@acme.test, nobody@host.invalid, a@b.example, root@box.localhost',
  ])('does not warn about %j', (text) => {
    expect(run(text)).toEqual([]);
  });

  it.each([
    ['a real domain with "example" in it', 'mail jane@myexample.com'],
    ['a domain under example.com\'s name elsewhere', 'mail jane@example.com.au'],
    ['a test-like label that is not the TLD', 'mail jane@test.acme.io'],
  ])('warns about %s', (_name, text) => {
    expect(run(text).map((d) => d.message.includes('email address'))).toEqual([true]);
  });
});

describe('pii: numbers that are not phone numbers', () => {
  const notPhones: [name: string, text: string][] = [
    ['a range of word counts', 'Write 1000-2000 words.'],
    ['a range with spaces', 'between 1000 - 2000 - 3000 words'],
    ['a three-part range of round numbers', 'ranges 1000-2000-3000'],
    ['a list of round counts', 'Write 500 1000 1500 words'],
    ['round counts with spaces', 'counts 100 200 300'],
    ['a section number', 'see section 4.2.1.3'],
    ['a section number with long parts', 'section 123.456.7890'],
    ['an order id with a prefix', 'order ORD-123-4567'],
    ['an order id after "order"', 'order 123-456-7890'],
    ['an order id after "Order ID"', 'Order ID 2024-123-4567'],
    ['an order id after "order no."', 'order no. 123 456 7890'],
    ['an order id after "#"', 'order #123-456-7890'],
    ['a SKU', 'SKU 123-456-789'],
    ['an invoice number', 'invoice 2024-0001-5678'],
    ['a PO number', 'PO 4500-123-456'],
    ['a reference', 'ref: 12-3456-7890'],
    ['an order number with a colon', 'Order number: 123-456-7890'],
    ['a SKU with a colon', 'SKU: 123-456-789'],
    ['a ticket', 'ticket 2024-555-0100'],
    ['a time range', 'times 10:30-11:45'],
    ['a time range, then a range', 'open 10:30-11:45 1200-1300'],
    ['a date and time', '2024-01-15 10:30:00'],
    ['an account number', 'Account number: 123-456-7890'],
    ['an account no.', 'Ask for the account no. 1234 567 890 on the invoice.'],
    ['a customer number', 'Customer number 555-123-4567'],
    ['a member number', 'Member number 123 456 7890'],
    ['a contract number', 'contract no. 2024-555-0100'],
    ['a count with its thousands grouped by spaces', 'Nous servons plus de 125 000 000 clients.'],
    ['an amount with its thousands grouped by dots', 'Umsatz 2023: 254.300.000 EUR'],
    ['the form of order numbers', 'Order numbers look like 1234-5678-9012.'],
    ['the format of tracking IDs', 'Tracking IDs have the format 123 456 7890.'],
    ['the form of account numbers', 'Account numbers are formatted as: 123-456-7890'],
    // Phone-shaped only by their digit count: no country code, and groups where no numbering plan puts them.
    ['an order number in an example', 'Example: 1234-567-890'],
    ['an order number after "is"', 'Your order number is 4521-889-0034'],
    ['a ticket number in groups of four', 'Your ticket is 2024 5571 0032'],
    ['a quote number', 'Quote 1234 5678 9012'],
    ['an id in groups of three', 'ids 123-456-789, 234-567-890'],
    ['a version string', 'runtime 12.345.6789'],
    ['a range in threes', 'ranges 100-250-500'],
    ['a range of years', 'Years 2023-2024-2025'],
    ['years in a row', 'years 1999 2000 2001'],
    ['sizes that double', 'sizes 256-512-1024'],
    ['limits in even steps', 'limits 500 750 1000'],
    ['latencies in even steps', 'latency 220 350 480 ms'],
    ['three amounts in tens', 'cups of 250 300 450 ml'],
    ['times of day', 'between 1030 and 1130, 1230 1330 1430'],
    ['a date, then times', 'Jan 15, 2024 1030 1130'],
    ['opening hours', 'open 0900 1230 1730'],
    ["an ISO timestamp's offset, then numbers", 'logged 2024-01-15T10:30:00 +0000 123 4567'],
    ["a timestamp's +HHMM offset, then numbers", 'at 2024-01-15 10:30:00 +1000 123 4567'],
  ];
  it.each(notPhones)('does not warn about %s', (_name, text) => {
    expect(run(text)).toEqual([]);
  });

  const phones: [name: string, text: string][] = [
    ['+CC with spaces', 'call +1 555 123 4567'],
    ['area code in parentheses', 'call (555) 123-4567'],
    ['dashes', 'call 555-123-4567'],
    ['dots', 'call 555.123.4567'],
    ['after "phone:"', 'phone: 555 123 4567'],
    ['after "tel:" with no space', 'tel:555-123-4567'],
    ['a 555-01xx number', 'call 415-555-0100'],
    ['+CC with dashes', '+1-555-123-4567'],
    ['UK mobile', 'mobile +44 7700 900123'],
    ['after the word "order" further back', 'About your order, call 555-123-4567.'],
    ['a time, then a phone number', 'Open 09:00-17:00, call 555-123-4567.'],
    ['a department line, "Orders:"', 'Orders: 555-123-4567'],
    ['a department line, "Reservations:"', 'Reservations: 555-123-4567'],
    ['non-round groups that end in 00', 'call 800-555-0100'],
    ['a caller ID', 'Caller ID: 555-123-4567'],
    ['a booking line', 'Booking: 555-123-4567'],
    ['a line labelled by a policy', 'Refund policy: 555-123-4567'],
    ['a line labelled by an order', 'To place an order: 555-123-4567'],
    ['an area code in parentheses, round exchange', 'call (212) 600-2000'],
    ["a customer's phone number", 'Customer phone number: 555-123-4567'],
    ['a line labelled "Customer:"', 'Customer: 555-123-4567'],
    ['a subscriber number', 'subscriber number 555-123-4567'],
    ['three-digit groups that are not all zeros', 'Llame al 612 345 678'],
    ['a number with one zero group', 'call 555 000 1234'],
    ['the form of phone numbers', 'Our phone numbers look like 555-123-4567'],
    ['the form of service numbers', 'Customer service numbers look like 555-123-4567'],
    ['+1 with spaces', 'call +1 415 555 0100'],
    ['a US number, area code in parentheses', 'call (415) 555-0100'],
    ['a London number with its country code', 'call +44 20 7946 0958'],
    ['a London number with its trunk prefix', 'call 020 7946 0958'],
    ["a UK number's trunk prefix in parentheses after the country code", 'call +44 (0)20 7946 0958'],
    ['a Manchester number', 'call 0161 496 0000'],
    ['a Sydney number', 'call 02 9876 5432'],
    ['a French number in pairs', 'appelez le 06 12 34 56 78'],
    ['a US toll-free number with its long-distance 1', 'call 1-800-555-0199'],
    ['a long-distance 1 before an area code in parentheses', 'call 1 (800) 555-0199'],
    ['a US number with a space and a dash', 'call 415 555-0100'],
    ['a Chinese mobile number', '请拨打 138-1234-5678'],
  ];
  it.each(phones)('warns about a phone number: %s', (_name, text) => {
    const ds = run(text);
    expect(ds).toHaveLength(1);
    expect(ds[0]!.message).toContain('phone number');
  });
});

// A timestamp's time and UTC offset end before a number that follows them: the number is not
// their tail (which the phone patterns leave alone), nor is its `+` an offset once one was written.
describe('pii: a phone number right after a timestamp', () => {
  /** The phone findings in a system instruction (located from column 5 of line 1000), as their columns. */
  const columns = (text: string) =>
    checkPii(state({ versions: [version('t', '1.0.0', { systemInstruction: text })] }))
      .filter((d) => d.message.includes('phone number'))
      .map((d) => [d.line, d.column]);

  it.each([
    ['after an offset with a colon, +CC', 'logged 2026-12-06T10:00:00+01:00 +44 20 7946 0958', '+44'],
    ['after Z and a comma', 'logged 2026-12-06T10:00:00Z, call +1 415 555 0100', '+1'],
    ['after a negative offset, +1', 'at 2026-12-06T10:00:00-05:00 +1 415 555 0100', '+1'],
    ['after an offset without a colon, a national number', 'at 10:00:00.250+0100 020 7946 0958', '020'],
    ['after an offset with a colon, a North American number', 'logged 10:00:00+01:00 415-555-0100', '415'],
    ['after a spaced offset', 'logged 2024-01-15 10:30:00 +05:30 +44 20 7946 0958', '+44'],
    ['after a time whose + cannot be an offset (hours 44)', 'logged 2026-12-06 10:00 +44 20 7946 0958', '+44'],
    ['after a time, +1 (one digit: no offset)', 'at 10:00 +1 415 555 0100', '+1'],
    ['after a time, a national number', 'call at 10:30 020 7946 0958', '020'],
  ])('warns about a phone number %s, where it starts', (_name, text, start) => {
    expect(columns(text)).toEqual([[1000, 5 + text.indexOf(start)]]);
  });

  it.each([
    ['an offset after a time, then numbers', 'at 2024-01-15 10:30:00 +1000 123 4567'],
    ['an hour offset after a time, then numbers', 'at 10:30 +05 1234 5678'],
    ['an offset, then an order number', 'logged 2026-12-06T10:00:00+01:00 1234-5678-9012'],
    ['an offset, then years', 'logged 10:00:00 +0100 2023-2024-2025'],
    ['an offset, then round counts', 'logged 10:00:00+01:00 1000 2000 3000'],
    ['a time range, then a range', 'open 10:30-11:45 1200-1300'],
  ])('does not warn about %s', (_name, text) => {
    expect(columns(text)).toEqual([]);
  });
});
