// The PromptTest assertions, one by one, with `not`, on answered, blocked and failed calls.
import { describe, expect, it } from 'vitest';
import { createSchemaCache, evaluate, leakedPii } from '../../../src/evals/assertions.js';
import type { Observation } from '../../../src/evals/types.js';
import type { Assertion } from '../../../src/model/types.js';

const schemas = createSchemaCache();
const answered = (output: string, extra: Partial<Observation> = {}): Observation => ({
  outcome: 'answered',
  version: '1.1.0',
  output,
  usage: { promptTokens: 100, completionTokens: 40, totalTokens: 140 },
  costUsd: 0.0012,
  latencyMs: 250,
  wallMs: 300,
  filters: [],
  ...extra,
});
const blocked: Observation = {
  outcome: 'blocked',
  version: '2.0.0',
  output: '',
  wallMs: 20,
  filters: [],
  blocked: { filter: 'phish-block', category: 'phishing', stage: 'input', message: 'The request was blocked' },
  error: { status: 400, code: 'content.blocked', message: 'The request was blocked' },
};
const failed: Observation = { outcome: 'error', output: '', wallMs: 5, filters: [], error: { status: 404, code: 'not.found', message: 'prompt template x not found' } };

function check(a: Omit<Assertion, 'path' | 'not'> & { not?: boolean }, obs: Observation, inputs: string[] = []) {
  return evaluate({ not: false, path: 'spec.cases.0.expect.0', ...a } as Assertion, obs, { inputs, schemas });
}

describe('assertions on an answer', () => {
  it('contains, notContains and regex look at the output text (case-sensitive)', () => {
    const obs = answered('Refunds reach your card within 5 days.');
    expect(check({ type: 'contains', value: 'within 5 days' }, obs).passed).toBe(true);
    expect(check({ type: 'contains', value: 'refunds' }, obs)).toMatchObject({ passed: false, detail: expect.stringContaining('not found in "Refunds reach') });
    expect(check({ type: 'contains', value: 'refunds', not: true }, obs).passed).toBe(true);
    expect(check({ type: 'notContains', value: 'card' }, obs)).toMatchObject({ passed: false, detail: expect.stringContaining('found in') });
    expect(check({ type: 'notContains', value: 'cash' }, obs).passed).toBe(true);
    expect(check({ type: 'regex', value: '\\b(days?|weeks?)\\b' }, obs)).toMatchObject({ passed: true, detail: 'matched "days"' });
    expect(check({ type: 'regex', value: '^\\d+$' }, obs).passed).toBe(false);
    expect(check({ type: 'regex', value: '^\\d+$', not: true }, obs).passed).toBe(true);
  });

  it('a regex that backtracks without end fails its assertion within the time limit instead of hanging the run (with or without not)', () => {
    // Matched without a limit, this takes hours: the test's own timeout would fail it.
    const obs = answered('a'.repeat(40) + '!');
    const expected = { passed: false, detail: 'the regex /^(a+)+$/ did not finish within 1 s (catastrophic backtracking: rewrite it without nested repetition)' };
    expect(check({ type: 'regex', value: '^(a+)+$' }, obs)).toMatchObject(expected);
    expect(check({ type: 'regex', value: '^(a+)+$', not: true }, obs)).toMatchObject(expected);
  });

  it('a jsonSchema pattern that backtracks without end fails its assertion within the time limit too (a pattern, or a patternProperties key)', () => {
    // Matched without a limit, each takes hours, holding the main thread (an interrupt is not even heard).
    const long = 'a'.repeat(40) + '!';
    const expected = { passed: false, detail: 'the regex /^(a+)+$/u did not finish within 1 s (catastrophic backtracking: rewrite it without nested repetition)' };
    const pattern = { type: 'object', properties: { queue: { type: 'string', pattern: '^(a+)+$' } } };
    expect(check({ type: 'jsonSchema', value: pattern }, answered(JSON.stringify({ queue: long })))).toMatchObject(expected);
    expect(check({ type: 'jsonSchema', value: pattern, not: true }, answered(JSON.stringify({ queue: long })))).toMatchObject(expected);
    const keys = { type: 'object', patternProperties: { '^(a+)+$': { type: 'string' } } };
    expect(check({ type: 'jsonSchema', value: keys }, answered(JSON.stringify({ [long]: 'x' })))).toMatchObject(expected);
    // A pattern that finishes is judged as before.
    expect(check({ type: 'jsonSchema', value: pattern }, answered('{"queue": "aaa"}')).passed).toBe(true);
    expect(check({ type: 'jsonSchema', value: pattern }, answered('{"queue": "aab"}'))).toMatchObject({ passed: false, detail: expect.stringContaining('must match pattern "^(a+)+$"') });
  });

  it('equals: a string against the trimmed output, any other value against the output parsed as JSON', () => {
    expect(check({ type: 'equals', value: 'yes' }, answered('yes\n')).passed).toBe(true);
    expect(check({ type: 'equals', value: 'yes' }, answered('Yes')).passed).toBe(false);
    expect(check({ type: 'equals', value: { queue: 'billing', urgent: false } }, answered('{"urgent": false, "queue": "billing"}')).passed).toBe(true);
    expect(check({ type: 'equals', value: { queue: 'billing' } }, answered('{"queue": "other"}')).passed).toBe(false);
    expect(check({ type: 'equals', value: 42 }, answered('not json'))).toMatchObject({ passed: false, detail: expect.stringContaining('not JSON') });
    // An answer that is not JSON is plainly not equal to a JSON value: `not` passes on it.
    expect(check({ type: 'equals', value: 42, not: true }, answered('not json')).passed).toBe(true);
  });

  it('isJson and jsonSchema (draft 2020-12, with formats)', () => {
    expect(check({ type: 'isJson', value: true }, answered(' {"a": 1} ')).passed).toBe(true);
    expect(check({ type: 'isJson', value: true }, answered('Here you go: {"a": 1}')).passed).toBe(false);
    expect(check({ type: 'isJson', value: true, not: true }, answered('plain text')).passed).toBe(true);
    const schema = { type: 'object', required: ['queue', 'urgent'], properties: { queue: { enum: ['billing', 'technical', 'other'] }, urgent: { type: 'boolean' }, at: { type: 'string', format: 'date' } } };
    expect(check({ type: 'jsonSchema', value: schema }, answered('{"queue": "billing", "urgent": true}')).passed).toBe(true);
    const bad = check({ type: 'jsonSchema', value: schema }, answered('{"queue": "sales", "at": "yesterday"}'));
    expect(bad.passed).toBe(false);
    expect(bad.detail).toMatch(/must have required property 'urgent'/);
    expect(bad.detail).toMatch(/\/queue must be equal to one of the allowed values/);
    expect(check({ type: 'jsonSchema', value: schema }, answered('nope'))).toMatchObject({ passed: false, detail: expect.stringMatching(/not JSON/) });
    // Nor does it match a schema: `not` passes on it.
    expect(check({ type: 'jsonSchema', value: schema, not: true }, answered('nope')).passed).toBe(true);
  });

  it('maxOutputTokens, maxLatencyMs and maxCostUsd are inclusive upper bounds', () => {
    const obs = answered('x');
    expect(check({ type: 'maxOutputTokens', value: 40 }, obs)).toMatchObject({ passed: true, detail: '40 output tokens' });
    expect(check({ type: 'maxOutputTokens', value: 39 }, obs).passed).toBe(false);
    expect(check({ type: 'maxLatencyMs', value: 250 }, obs)).toMatchObject({ passed: true, detail: '250 ms' });
    expect(check({ type: 'maxLatencyMs', value: 249 }, obs).passed).toBe(false);
    // Without a latency from the target, the one measured here counts (and says so).
    expect(check({ type: 'maxLatencyMs', value: 1000 }, answered('x', { latencyMs: undefined }))).toMatchObject({ passed: true, detail: '300 ms (measured here)' });
    expect(check({ type: 'maxCostUsd', value: 0.0012 }, obs).passed).toBe(true);
    expect(check({ type: 'maxCostUsd', value: 0.001 }, obs)).toMatchObject({ passed: false, detail: '$0.0012' });
    expect(check({ type: 'maxCostUsd', value: 1, not: true }, answered('x', { costUsd: undefined }))).toMatchObject({ passed: false, detail: 'the target reported no cost' });
    expect(check({ type: 'maxOutputTokens', value: 10 }, answered('x', { usage: undefined })).passed).toBe(false);
  });

  it('routedTo compares the version that answered', () => {
    expect(check({ type: 'routedTo', value: '1.1.0' }, answered('x')).passed).toBe(true);
    expect(check({ type: 'routedTo', value: '1.0.0' }, answered('x'))).toMatchObject({ passed: false, detail: 'answered by 1.1.0' });
    expect(check({ type: 'routedTo', value: '1.0.0', not: true }, answered('x')).passed).toBe(true);
  });

  it('redacts: a redact_and_log filter acted on that category, and no personal data the case sent came back', () => {
    const redacting = { name: 'pii-guard', category: 'pii', score: 0.99, action: 'redact_and_log', applied: true };
    const card = 'I paid with 4111 1111 1111 1111 twice';
    expect(check({ type: 'redacts', value: 'pii' }, answered('Your card [REDACTED] was charged once.', { filters: [redacting] }), [card])).toMatchObject({
      passed: true,
      detail: 'redacted by pii-guard',
    });
    // The gateway says it redacted, but the number is in the answer: not masked.
    const leak = check({ type: 'redacts', value: 'pii' }, answered('Card 4111 1111 1111 1111 was charged.', { filters: [redacting] }), [card]);
    expect(leak.passed).toBe(false);
    expect(leak.detail).toContain('still holds "41');
    expect(leak.detail).not.toContain('4111 1111 1111 1111');
    // Scored but below the threshold (not applied), flagged only, or another category: not a redaction.
    for (const f of [
      { ...redacting, applied: false },
      { ...redacting, action: 'flag_and_pass' },
      { ...redacting, category: 'phishing' },
    ]) {
      expect(check({ type: 'redacts', value: 'pii' }, answered('ok', { filters: [f] })).passed).toBe(false);
    }
    expect(check({ type: 'redacts', value: 'pii', not: true }, answered('ok')).passed).toBe(true);
    expect(leakedPii(['mail me at sam@example.com'], 'I wrote to sam@example.com')).toBe('sam@example.com');
    expect(leakedPii(['call +1 415 555 0100'], 'I will call you')).toBeUndefined();
  });
});

describe('assertions on a call without an answer', () => {
  it('blockedBy names the filter that refused the call; not blockedBy holds for an answer', () => {
    expect(check({ type: 'blockedBy', value: 'phish-block' }, blocked)).toMatchObject({ passed: true, detail: 'blocked by phish-block' });
    expect(check({ type: 'blockedBy', value: 'other-filter' }, blocked).passed).toBe(false);
    expect(check({ type: 'blockedBy', value: 'phish-block', not: true }, blocked).passed).toBe(false);
    expect(check({ type: 'blockedBy', value: 'phish-block' }, answered('fine'))).toMatchObject({ passed: false, detail: 'not blocked' });
    expect(check({ type: 'blockedBy', value: 'phish-block', not: true }, answered('fine')).passed).toBe(true);
  });

  it('every assertion about the answer fails, whatever `not` says, when there is none', () => {
    for (const obs of [blocked, failed]) {
      for (const a of [
        { type: 'contains', value: 'x' },
        { type: 'notContains', value: 'x' },
        { type: 'notContains', value: 'x', not: true },
        { type: 'isJson', value: true, not: true },
        { type: 'maxOutputTokens', value: 100 },
        { type: 'redacts', value: 'pii', not: true },
      ] as const) {
        const r = check(a, obs);
        expect(r.passed, `${a.type} on ${obs.outcome}`).toBe(false);
        expect(r.detail).toMatch(/^no answer: /);
      }
    }
    expect(check({ type: 'contains', value: 'x' }, blocked).detail).toBe('no answer: blocked by phish-block');
    expect(check({ type: 'blockedBy', value: 'phish-block', not: true }, failed).detail).toMatch(/not\.found \(HTTP 404\)/);
    // The version of a refused pinned call is known; of one refused before routing, not.
    expect(check({ type: 'routedTo', value: '2.0.0' }, blocked).passed).toBe(true);
    expect(check({ type: 'routedTo', value: '2.0.0' }, failed).passed).toBe(false);
  });

  it('maxOutputTokens and maxCostUsd judge what a call blocked on its output spent; one that says none fails them', () => {
    const onOutput: Observation = {
      ...blocked,
      usage: { promptTokens: 65, completionTokens: 14, totalTokens: 79 },
      costUsd: 0.0000363,
      blocked: { ...blocked.blocked!, stage: 'output' },
    };
    expect(check({ type: 'maxCostUsd', value: 0.01 }, onOutput)).toMatchObject({ passed: true, detail: '$0.0000363, spent though blocked by phish-block' });
    expect(check({ type: 'maxCostUsd', value: 0.00001 }, onOutput).passed).toBe(false);
    expect(check({ type: 'maxCostUsd', value: 0.00001, not: true }, onOutput).passed).toBe(true);
    expect(check({ type: 'maxOutputTokens', value: 14 }, onOutput)).toMatchObject({ passed: true, detail: '14 output tokens, spent though blocked by phish-block' });
    expect(check({ type: 'maxOutputTokens', value: 13 }, onOutput).passed).toBe(false);
    // Still no answer: the assertions about it fail.
    expect(check({ type: 'notContains', value: 'x' }, onOutput).detail).toBe('no answer: blocked by phish-block');
    // Blocked on the input (or said without usage): nothing to judge, whatever `not` says.
    for (const a of [{ type: 'maxCostUsd', value: 1 }, { type: 'maxCostUsd', value: 1, not: true }, { type: 'maxOutputTokens', value: 1, not: true }] as const) {
      expect(check(a, blocked)).toMatchObject({ passed: false, detail: 'no answer: blocked by phish-block' });
    }
    expect(check({ type: 'maxCostUsd', value: 1, not: true }, failed)).toMatchObject({ passed: false, detail: expect.stringMatching(/^no answer: not\.found/) });
  });
});
