// The emulator's runtime parts, pure: safety scorers, the model simulator, the responses format.
import { describe, expect, it } from 'vitest';
import { checkResponses, compileFixtures, compileRegex, findFixture, namedTest } from '../../../src/emulator/responses.js';
import { testHeader } from '../../../src/targets/llmgateway/wire.js';
import { CATEGORIES, FilterReport, mask, maskAt, runStage, scoreText } from '../../../src/emulator/safety.js';
import type { FilterRec } from '../../../src/emulator/store.js';
import { luhnValid } from '../../../src/util/luhn.js';
import { chunkText, modelFor, simulate, truncateToTokens } from '../../../src/emulator/simulator.js';
import { countTokensUncached } from '../../../src/tokens/encoder.js';
import { createTokenMemo } from '../../../src/tokens/count.js';

const score = (category: string, text: string) => scoreText(category, text).score;

describe('safety scorers', () => {
  it('Luhn', () => {
    for (const n of ['4111111111111111', '5500005555555559', '378282246310005', '6011111111111117']) expect(luhnValid(n), n).toBe(true);
    for (const n of ['4111111111111112', '1234567812345678', '']) expect(luhnValid(n), n).toBe(false);
  });

  it('pii: e-mail addresses, Luhn-valid card numbers, phone numbers; not dates, amounts or order numbers', () => {
    expect(score('pii', 'write to ada.lovelace+billing@example.co.uk')).toBe(0.9);
    expect(score('pii', 'card 4111 1111 1111 1111 please')).toBe(0.95);
    expect(score('pii', 'card 4111-1111-1111-1111')).toBe(0.95);
    expect(score('pii', 'card 4111 1111 1111 1112')).toBe(0);
    for (const phone of ['+1 (555) 123-4567', '555-123-4567', '+44 20 7946 0958', '(020) 7946 0958', '+4915112345678']) {
      expect(score('pii', `call ${phone} today`), phone).toBe(0.85);
    }
    expect(score('pii', 'call 5551234567')).toBe(0.6);
    for (const benign of ['on 2024-05-01 at 10:30', 'order INV-2024-118', 'it costs 1,299.00 dollars', 'version 1.10.3', 'room 42']) {
      expect(score('pii', benign), benign).toBe(0);
    }
    // More evidence, a higher score (noisy-or).
    expect(score('pii', 'a@example.org and b@example.org')).toBe(0.99);
  });

  it('phishing: credential lures and look-alike links; the real domains are fine', () => {
    expect(score('phishing', 'Please verify your account now')).toBe(0.6);
    expect(score('phishing', 'Your account has been suspended. Click here to verify: http://paypa1.com/login')).toBeGreaterThan(0.95);
    for (const url of ['http://paypa1.com/x', 'https://paypal.com.account-check.io/', 'https://secure-paypal-login.com', 'http://192.168.10.4/login', 'https://www.xn--pypal-4ve.com/', 'https://paypal.com@evil.example/']) {
      expect(score('phishing', `go to ${url}`), url).toBeGreaterThanOrEqual(0.7);
    }
    for (const fine of ['https://www.paypal.com/signin', 'see https://example.org/docs', 'reset your router']) expect(score('phishing', fine), fine).toBe(0);
  });

  it('word lists match whole words and phrases only, case-insensitively', () => {
    expect(score('violence', 'I will KILL the process')).toBe(0.6);
    expect(score('violence', 'a skilled killer whale')).toBe(0);
    expect(score('sexual', 'Sussex and Essex')).toBe(0);
    expect(score('self_harm', 'I want to die')).toBe(0.8);
    expect(score('political', 'the election and the ballot')).toBeCloseTo(1 - 0.55 * 0.55, 4);
    expect(score('hate_speech', 'they are subhuman vermin')).toBeCloseTo(1 - 0.2 * 0.4, 4);
    expect(score('political', 'left wing')).toBe(0.5);
  });

  it('masks matches, merging overlaps, and the mask itself triggers nothing', () => {
    const text = 'mail a@example.org or call 555-123-4567.';
    expect(mask(text, scoreText('pii', text).matches)).toBe('mail [REDACTED] or call [REDACTED].');
    expect(mask('abcdef', [{ start: 1, end: 4, weight: 1 }, { start: 2, end: 5, weight: 1 }])).toBe('a[REDACTED]f');
    for (const c of CATEGORIES) expect(score(c, '[REDACTED]')).toBe(0);
  });

  it('maskAt says where a cut lands: shifted past masks before it, after a mask it falls inside', () => {
    const spans = [{ start: 2, end: 4, weight: 1 }, { start: 8, end: 10, weight: 1 }];
    const cases: Array<[number, number]> = [[0, 0], [2, 2], [3, 12], [4, 12], [6, 14], [8, 16], [9, 26], [10, 26], [12, 28]];
    for (const [cut, at] of cases) expect(maskAt('abcdefghijkl', spans, cut), `cut ${cut}`).toEqual({ text: 'ab[REDACTED]efgh[REDACTED]kl', cut: at });
  });
});

describe('safety filters over a stage', () => {
  const filter = (name: string, priority: number, categories: string[], action: FilterRec['action']): FilterRec =>
    ({ id: name, name, priority, categories, action, thresholds: {}, falsePositiveTolerance: 0, enabled: true, labels: {}, version: 1 }) as unknown as FilterRec;
  const LURE = 'Card 4111 1111 1111 1111, mail jane.doe@example.com. Your account has been locked. Confirm your password now.';

  // A review sent these: a 500 from a stack overflow, and minutes of a frozen emulator.
  it('blocks a text of a million matches, and scores mixed e-mails and card numbers in one pass', () => {
    const violence = filter('violence-block', 1, ['violence'], 'block_and_log');
    const many = 'kill '.repeat(1_000_000);
    const r = runStage([violence], [many], 'input', new FilterReport());
    expect(r.block?.filter.name).toBe('violence-block');
    expect(r.block?.firstMatch).toEqual([0]);
    const mixed = 'a@b.co 4111 1111 1111 1111 '.repeat(20_000);
    const found = scoreText('pii', mixed);
    expect(found.matches.length).toBe(40_000);
    // A digit run inside an address is the address, not a phone number.
    expect(scoreText('pii', 'mail 5551234567@example.com now').matches).toHaveLength(1);
  });

  it('a block leaves what may be shown before its match redacted by every redacting filter, ranked before it or after', () => {
    const block = filter('phish-block', 1, ['phishing'], 'block_and_log');
    const redact = filter('pii-redact', 5, ['pii'], 'redact_and_log');
    for (const filters of [[block, redact], [redact, block]]) {
      const r = runStage(filters, [LURE], 'output', new FilterReport());
      expect(r.block?.filter.name).toBe('phish-block');
      expect(r.block?.shown).toEqual(['Card [REDACTED], mail [REDACTED]. ']);
    }
    // A match that runs into the blocked part is masked whole, never cut in two.
    // (the address reads as jane@example.confirm, and the lure starts at "confirm")
    const straddling = runStage([block, redact], ['Mail jane@example.confirm your password now.'], 'output', new FilterReport());
    expect(straddling.block?.firstMatch).toEqual([18]);
    expect(straddling.block?.shown).toEqual(['Mail [REDACTED]']);
    // Without a redacting filter the text before the match is shown as it is.
    expect(runStage([block], [LURE], 'output', new FilterReport()).block?.shown).toEqual(['Card 4111 1111 1111 1111, mail jane.doe@example.com. ']);
  });
});

describe('model simulator', () => {
  const model = modelFor('gpt-4o');
  const base = {
    templateId: 't-1',
    templateName: 'bot',
    targetKind: 'template' as const,
    version: '1.0.0',
    model,
    messages: [
      { role: 'system' as const, content: 'You help.' },
      { role: 'user' as const, content: 'Question?' },
    ],
    fixtures: [],
    latencyMs: 0,
  };

  it('is deterministic for a prompt, varies with it, and writes text no safety scorer objects to', () => {
    const memo = createTokenMemo();
    const a = simulate({ ...base, memo });
    expect(simulate({ ...base, memo: createTokenMemo() }).text).toBe(a.text);
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const s = simulate({ ...base, memo, maxTokens: 20 + i * 7, messages: [base.messages[0]!, { role: 'user', content: `Question ${i}?` }] });
      seen.add(s.text);
      expect(s.completionTokens).toBe(countTokensUncached(s.text, 'o200k_base'));
      expect(s.completionTokens).toBeLessThanOrEqual(20 + i * 7);
      expect(s.completionTokens).toBeGreaterThanOrEqual(Math.floor((20 + i * 7) / 2) - 1);
      if (s.finishReason === 'length') expect(s.completionTokens).toBeGreaterThanOrEqual(20 + i * 7 - 3);
      else expect(s.finishReason).toBe('stop');
      for (const c of CATEGORIES) expect(score(c, s.text), `${c}: ${s.text}`).toBe(0);
    }
    expect(seen.size).toBeGreaterThan(50);
  });

  it('draws latency from the option: within [L/2, 3L/2], 0 when L is 0', () => {
    expect(simulate({ ...base, memo: createTokenMemo() }).latencyMs).toBe(0);
    for (let i = 0; i < 30; i++) {
      const s = simulate({ ...base, latencyMs: 200, memo: createTokenMemo(), messages: [{ role: 'user', content: `q${i}` }] });
      expect(s.latencyMs).toBeGreaterThanOrEqual(100);
      expect(s.latencyMs).toBeLessThanOrEqual(300);
    }
  });

  it('answers from fixtures, cut to maxTokens unless the fixture names its finish reason', () => {
    const fixtures = compileFixtures([
      { match: { contains: 'Question' }, output: 'one two three four five six seven eight nine ten' },
      { match: {}, output: 'fallback', finishReason: 'content_filter' },
    ]);
    const hit = simulate({ ...base, fixtures, maxTokens: 4, memo: createTokenMemo() });
    expect(hit).toMatchObject({ text: 'one two three four', finishReason: 'length', completionTokens: 4, fixture: 0 });
    const other = simulate({ ...base, fixtures, messages: [{ role: 'user', content: 'hi' }], maxTokens: 1, memo: createTokenMemo() });
    expect(other).toMatchObject({ text: 'fallback', finishReason: 'content_filter', fixture: 1 });
  });

  it('truncates at word boundaries (or inside one overlong word) and chunks text exactly', () => {
    const text = 'alpha beta gamma delta epsilon';
    expect(truncateToTokens(text, 2, 'o200k_base')).toBe('alpha beta');
    expect(truncateToTokens(text, 0, 'o200k_base')).toBe('');
    const long = 'x'.repeat(200);
    const cut = truncateToTokens(long, 3, 'o200k_base');
    expect(countTokensUncached(cut, 'o200k_base')).toBeLessThanOrEqual(3);
    expect(cut.length).toBeGreaterThan(0);
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (const t of ['', '   ', 'one', '  lead and trail  ', 'a\nb\n\nc d e f g h i j k l m n o p']) {
      const chunks = chunkText(t, random);
      expect(chunks.join('')).toBe(t);
      for (const c of chunks) expect(c.trim().split(/\s+/).length).toBeLessThanOrEqual(4);
    }
  });

  it('counts an unknown model with o200k_base and no price', () => {
    expect(modelFor('my-own-model')).toMatchObject({ id: 'my-own-model', encoding: 'o200k_base', approximate: true });
    expect(modelFor('gpt-4o-2024-08-06')).toMatchObject({ encoding: 'o200k_base', inputCostPer1M: 2.5 });
  });
});

/** The header as node's server hands it over: its name in lower case. */
function testHeaderOf(test: string): Record<string, string> {
  return Object.fromEntries(Object.entries(testHeader(test)).map(([k, v]) => [k.toLowerCase(), v]));
}

describe('responses format', () => {
  it('takes a list or {responses: [...]}, and refuses what it does not know, naming the entry', () => {
    expect(checkResponses(null)).toEqual([]);
    expect(checkResponses({ responses: [{ match: { template: 'a' }, output: 'x' }] })).toEqual([{ match: { template: 'a' }, output: 'x' }]);
    expect(checkResponses([{ output: 'catch-all' }])).toEqual([{ match: {}, output: 'catch-all' }]);
    const bad: Array<[unknown, RegExp]> = [
      [{ responses: 'x' }, /expected a list of responses/],
      [[{ match: {} }], /responses\[0\]: output must be a string/],
      [[{ output: 'x', extra: 1 }], /unknown field extra/],
      [[{ output: 'x', match: { model: 'gpt' } }], /unknown match field model/],
      [[{ output: 'x', match: { template: '' } }], /match.template must be a non-empty string/],
      [[{ output: 'x', finishReason: 'done' }], /finishReason must be stop, length or content_filter/],
      [[{ output: 'x' }, { output: 'y', match: { contains: 'a', regex: 'b' } }], /responses\[1\]: match takes contains or regex/],
    ];
    for (const [data, msg] of bad) expect(() => checkResponses(data, 'f.yaml'), JSON.stringify(data)).toThrow(msg);
  });

  it('compiles regexes in three spellings and matches fixtures in order', () => {
    expect(compileRegex('(?i)card').test('CARD')).toBe(true);
    expect(compileRegex('/card/i').test('CARD')).toBe(true);
    expect(compileRegex('card').test('CARD')).toBe(false);
    const fixtures = compileFixtures([
      { match: { template: 'bot', version: '2.0.0' }, output: 'v2' },
      { match: { template: 't-9' }, output: 'by id' },
      { match: { regex: '/refund/i' }, output: 'refund' },
      { match: {}, output: 'any' },
    ]);
    const q = { templateId: 't-1', templateName: 'bot', version: '1.0.0', prompt: 'user: Refund?' };
    expect(findFixture(fixtures, q)?.fixture.output).toBe('refund');
    expect(findFixture(fixtures, { ...q, version: '2.0.0' })?.fixture.output).toBe('v2');
    expect(findFixture(fixtures, { ...q, templateId: 't-9' })?.fixture.output).toBe('by id');
    expect(findFixture(fixtures, { ...q, prompt: 'hello' })?.fixture.output).toBe('any');
  });

  it("a call that names its test is answered by that test's own fixtures first, then by every fixture in order", () => {
    const fixtures = compileFixtures([
      { match: { template: 'bot', contains: 'refund' }, output: 'earlier test, broad', test: 'smoke' },
      { match: { template: 'bot' }, output: 'file, catch-all' },
      { match: { template: 'bot', version: '1.1.0' }, output: 'own, 1.1.0', test: 'cmp-days' },
      { match: { template: 'bot', regex: '(?i)refund' }, output: 'own, refund', test: 'cmp-days' },
    ]);
    const q = { templateId: 't-1', templateName: 'bot', version: '1.1.0', prompt: 'user: refund?' };
    // Without a test: the first that holds, in order (as before).
    expect(findFixture(fixtures, q)?.fixture.output).toBe('earlier test, broad');
    // The test's own first, in their own order.
    expect(findFixture(fixtures, { ...q, test: 'cmp-days' })?.fixture.output).toBe('own, 1.1.0');
    expect(findFixture(fixtures, { ...q, version: '1.0.0', test: 'cmp-days' })?.fixture.output).toBe('own, refund');
    // None of its own holds: the pool, in order.
    expect(findFixture(fixtures, { ...q, version: '1.0.0', prompt: 'user: parcel?', test: 'cmp-days' })?.fixture.output).toBe('file, catch-all');
    // Another test's call: its own (none here), then the pool.
    expect(findFixture(fixtures, { ...q, test: 'other' })?.fixture.output).toBe('earlier test, broad');
  });

  it('reads the test a request names from X-Promptctl-Test (URI-encoded), and none from a value that does not decode', () => {
    expect(namedTest({ headers: testHeaderOf('cmp-days') })).toEqual({ test: 'cmp-days' });
    expect(namedTest({ headers: testHeaderOf('réponse à 5 jours') })).toEqual({ test: 'réponse à 5 jours' });
    expect(namedTest({ headers: { 'x-promptctl-test': '%E0%A4%A' } })).toEqual({});
    expect(namedTest({ headers: {} })).toEqual({});
    expect(namedTest({})).toEqual({});
  });

  it('answers a fixture regex that backtracks without end with a 400 naming it, instead of hanging', () => {
    const fixtures = compileFixtures([{ match: { regex: '^(a+)+$' }, output: 'never' }]);
    const q = { templateId: 't-1', templateName: 'bot', version: '1.0.0', prompt: 'a'.repeat(40) + '!' };
    expect(() => findFixture(fixtures, q)).toThrow(
      expect.objectContaining({ status: 400, code: 'invalid.value', message: expect.stringMatching(/^response fixture: the regex \/\^\(a\+\)\+\$\/ did not finish within 1 s/) }),
    );
  });
});
