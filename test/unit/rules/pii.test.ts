import { describe, expect, it } from 'vitest';
import { checkPii } from '../../../src/rules/pii.js';
import { luhnValid } from '../../../src/util/luhn.js';
import { state, version } from './build.js';

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
  ])('does not warn about %j', (text) => {
    expect(run(text)).toEqual([]);
  });

  it('stays fast on hostile text', () => {
    expect(run('a'.repeat(1_000_000) + '1 '.repeat(500_000) + '@'.repeat(100_000) + '.'.repeat(100_000))).toHaveLength(0);
  });
});
