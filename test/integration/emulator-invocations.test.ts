// POST /invocations over real HTTP: JSON and Server-Sent Events (read by a plain http.request, not
// by our parser), version choice and split routing, variable checks, the safety filters for real
// (block, redact, flag, thresholds, priorities, appliesTo), fixtures, exact usage and cost.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { paths } from '../../src/targets/llmgateway/paths.js';
import { countTokensUncached } from '../../src/tokens/encoder.js';
import { cookbookChat, cookbookPromptTokens } from '../helpers/cookbook-tokens.js';
import type { InvocationResult } from '../../src/targets/llmgateway/wire.js';
import { Api, boot, emulatorForFile } from './emulator-fixture.js';

const FIXTURES = [
  { match: { template: 'fixture-bot', contains: 'refund' }, output: 'Refunds reach your card within 5 working days.' },
  { match: { template: 'fixture-bot', version: '2.0.0' }, output: 'Version two speaking.', finishReason: 'stop' as const },
  { match: { template: 'fixture-bot', regex: '(?i)WEATHER' }, output: 'Sunny, 21 degrees.' },
  { match: { template: 'leaky-bot' }, output: 'Sure: write to jane.doe@example.com or call +1 (555) 123-4567 about card 4111 1111 1111 1111.' },
  { match: { template: 'grim-bot' }, output: 'The story goes on and on with many calm words until the villain plans to murder the hero with a gun, then it ends.' },
  { match: { contains: '[REDACTED]' }, output: 'The model saw a redacted input.' },
  {
    match: { template: 'lure-bot' },
    output: 'Your card 4111 1111 1111 1111 is on file, write to jane.doe@example.com. Your account has been locked. Confirm your password at the link.',
  },
];

const api = emulatorForFile({ rateLimit: 1_000_000, seed: 11, streamDelayMs: 15, responses: FIXTURES });

interface Published {
  id: string;
  name: string;
}

/** A template with Published versions (label → version fields) and, optionally, a split. */
async function publishTemplate(
  a: Api,
  name: string,
  versions: Record<string, Record<string, unknown>>,
  opts: { model?: string; labels?: Record<string, string>; split?: { strategy?: 'random' | 'sticky'; stickyKey?: string; routes: Array<[string, number]> } } = {},
): Promise<Published> {
  const id = await a.template(name, { model: opts.model ?? 'gpt-4o', ...(opts.labels ? { labels: opts.labels } : {}) });
  for (const [label, extra] of Object.entries(versions)) {
    const r = await a.version(id, label, extra);
    if (r.status !== 201) throw new Error(`version ${label}: ${JSON.stringify(r.body)}`);
    const job = await a.publish(id, label);
    if (job.status !== 'Succeeded') throw new Error(`publish ${label}: ${JSON.stringify(job)}`);
  }
  if (opts.split) {
    const r = await a.put(paths.traffic(id), {
      strategy: opts.split.strategy ?? 'random',
      ...(opts.split.stickyKey ? { stickyKey: opts.split.stickyKey } : {}),
      routes: opts.split.routes.map(([version, weight]) => ({ version, weight })),
      version: 0,
    });
    if (r.status !== 200) throw new Error(`split: ${JSON.stringify(r.body)}`);
  }
  return { id, name };
}

const invoke = (a: Api, body: Record<string, unknown>) => a.post<any>(paths.invocations(), body);

const VARS = { customer: 'Ada', question: 'Why was I charged twice?' };


describe('POST /invocations (JSON)', () => {
  it('answers with the documented shape, exact usage in the model encoding, list-price cost, deterministically', async () => {
    const t = await publishTemplate(api, 'usage-bot', {
      '1.0.0': { fewShotExamples: [{ input: 'Hi', output: 'Hello! How can I help?' }], maxTokens: 120 },
    });
    const r = await invoke(api, { template: 'usage-bot', variables: VARS });
    expect(r.status).toBe(200);
    const res = r.body as InvocationResult;
    expect(Object.keys(res).sort()).toEqual(
      ['costUsd', 'filters', 'finishReason', 'id', 'latencyMs', 'model', 'output', 'template', 'usage', 'version'].sort(),
    );
    expect(res.template).toEqual({ id: t.id, name: 'usage-bot' });
    expect(res.version).toBe('1.0.0');
    expect(res.model).toBe('gpt-4o');
    expect(res.output.text.length).toBeGreaterThan(0);
    expect(['stop', 'length']).toContain(res.finishReason);
    expect(res.filters).toEqual([]);
    expect(res.latencyMs).toBe(0);

    // As a real gpt-4o bills it (OpenAI's cookbook): 4 messages, each with its role.
    const prompt = cookbookChat('You help Ada with billing.', 'Question: Why was I charged twice?', 'o200k_base', [{ input: 'Hi', output: 'Hello! How can I help?' }]);
    expect(res.usage.promptTokens).toBe(prompt);
    expect(res.usage.completionTokens).toBe(countTokensUncached(res.output.text, 'o200k_base'));
    expect(res.usage.completionTokens).toBeLessThanOrEqual(120);
    expect(res.usage.totalTokens).toBe(res.usage.promptTokens + res.usage.completionTokens);
    expect(res.costUsd).toBeCloseTo((prompt * 2.5 + res.usage.completionTokens * 10) / 1e6, 9);

    // The same rendered prompt gets the same answer; the same template by id too.
    const again = await invoke(api, { template: t.id, variables: VARS });
    expect(again.body.output).toEqual(res.output);
    expect(again.body.usage).toEqual(res.usage);
    expect(again.body.id).not.toBe(res.id);
    const other = await invoke(api, { template: 'usage-bot', variables: { ...VARS, question: 'Where is my refund for order 1?' } });
    expect(other.body.output.text).not.toBe(res.output.text);
  });

  it('bills each message\'s role, as OpenAI counts a chat: 19 prompt tokens for a 4 + 4 token exchange on gpt-4o, not 17', async () => {
    await publishTemplate(api, 'role-bot', {
      '1.0.0': {
        systemInstruction: 'You help {{customer}}.',
        userTemplate: 'Q: {{question}}',
        variables: [
          { name: 'customer', type: 'string' },
          { name: 'question', type: 'string' },
        ],
      },
    });
    const r = await invoke(api, { template: 'role-bot', variables: { customer: 'Ann', question: 'why?' } });
    expect(r.status).toBe(200);
    // "You help Ann." and "Q: why?" are 4 tokens each; 3 a message and its role ("system", "user":
    // 1 token each); 3 priming the reply.
    expect(cookbookChat('You help Ann.', 'Q: why?', 'o200k_base')).toBe(4 + 4 + 2 * (3 + 1) + 3);
    expect(r.body.usage.promptTokens).toBe(19);
  });

  it('counts a version model override (cl100k_base) and the call messages, and follows maxTokens', async () => {
    await publishTemplate(api, 'turbo-bot', { '1.0.0': { model: 'gpt-4-turbo', maxTokens: 30 } });
    const messages = [
      { role: 'assistant', content: 'Could you give me the invoice number?' },
      { role: 'user', content: 'It is INV-2024-118.' },
    ];
    const lengths = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const r = await invoke(api, { template: 'turbo-bot', variables: { customer: `c${i}`, question: `q${i}` }, messages });
      expect(r.status).toBe(200);
      expect(r.body.model).toBe('gpt-4-turbo');
      expect(r.body.usage.promptTokens).toBe(
        cookbookPromptTokens([{ role: 'system', content: `You help c${i} with billing.` }, { role: 'user', content: `Question: q${i}` }, ...messages], 'cl100k_base'),
      );
      expect(r.body.usage.completionTokens).toBe(countTokensUncached(r.body.output.text, 'cl100k_base'));
      expect(r.body.usage.completionTokens).toBeLessThanOrEqual(30);
      expect(r.body.usage.completionTokens).toBeGreaterThanOrEqual(10);
      lengths.add(r.body.finishReason);
    }
    // Lengths are drawn up to 110 % of maxTokens: some answers are cut.
    expect(lengths).toEqual(new Set(['stop', 'length']));
  });

  it('invokes a named version, refuses Drafts and unknown names, and without a split serves the newest Published one', async () => {
    const t = await publishTemplate(api, 'versions-bot', { '1.0.0': {}, '1.2.0': {} });
    await api.version(t.id, '2.0.0-rc.1');
    expect((await invoke(api, { template: 'versions-bot', variables: VARS })).body.version).toBe('1.2.0');
    expect((await invoke(api, { template: 'versions-bot', version: '1.0.0', variables: VARS })).body.version).toBe('1.0.0');

    const draft = await invoke(api, { template: 'versions-bot', version: '2.0.0-rc.1', variables: VARS });
    expect(draft.status).toBe(409);
    expect(draft.body.code).toBe('version.not.published');
    const missing = await invoke(api, { template: 'versions-bot', version: '9.9.9', variables: VARS });
    expect(missing.status).toBe(404);
    for (const name of ['no-such-template', '__proto__', 'constructor']) {
      const r = await invoke(api, { template: name, variables: VARS });
      expect(r.status, name).toBe(404);
      expect(r.body.code).toBe('not.found');
    }
    const bare = await api.template('bare-bot');
    const none = await invoke(api, { template: bare, variables: {} });
    expect(none.status).toBe(409);
    expect(none.body.code).toBe('no.published.version');
  });

  it('checks the body against the wire schema', async () => {
    const cases: Array<[unknown, string]> = [
      [{ variables: {} }, 'template'],
      // DESIGN §3 marks every optional field with `?`; `variables: {..}` has none: it is required.
      [{ template: 'x' }, 'variables'],
      [{ template: 'x', variables: [] }, 'variables'],
      [{ template: 'x', variables: {}, version: '1.0' }, 'version'],
      [{ template: 'x', variables: {}, messages: [{ role: 'robot', content: 'hi' }] }, 'messages[0].role'],
      [{ template: 'x', variables: {}, tempo: 1 }, 'tempo'],
    ];
    for (const [body, field] of cases) {
      const r = await invoke(api, body as Record<string, unknown>);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.details[0].fieldName, JSON.stringify(body)).toBe(field);
    }
  });
});

describe('the context window', () => {
  // A review: a 1 MB variable value ran on gpt-4o (299,010 prompt tokens against its 128,000) and
  // answered 200, billed, so `test` passed a prompt a real model refuses.
  it('refuses a prompt the model cannot hold beside its maxTokens, before the model runs: 400 context.length.exceeded', async () => {
    await publishTemplate(api, 'window-bot', { '1.0.0': { systemInstruction: 'Summarise.', userTemplate: '{{doc}}', variables: [{ name: 'doc', type: 'string' }], maxTokens: 1000 } });
    const fits = await invoke(api, { template: 'window-bot', variables: { doc: 'a short text' } });
    expect(fits.status).toBe(200);
    // About 120,000 tokens of words: under 128,000, but not with room for 1,000 more.
    const doc = 'lorem '.repeat(127_500);
    const r = await invoke(api, { template: 'window-bot', variables: { doc } });
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(400);
    expect(r.body.code).toBe('context.length.exceeded');
    expect(r.body.message).toMatch(/^The prompt is [\d]+ tokens plus maxTokens 1000, more than model gpt-4o's context window of 128000 tokens$/);
    expect(Number(r.body.messageParams.promptTokens) + 1000).toBeGreaterThan(128_000);
    expect(r.body.usage).toBeUndefined();
  });
});

describe('variables', () => {
  it('refuses missing, unknown, ill-typed, out-of-enum and too-long values with 400 invalid.variables naming each', async () => {
    await publishTemplate(api, 'typed-bot', {
      '1.0.0': {
        systemInstruction: 'Tier {{tier}}; VIP {{vip}}; limit {{limit}}; tone {{tone}}.',
        userTemplate: 'Q: {{question}}',
        variables: [
          { name: 'tier', type: 'enum', values: ['gold', 'silver'] },
          { name: 'vip', type: 'boolean' },
          { name: 'limit', type: 'number' },
          { name: 'tone', type: 'string', required: false, default: 'friendly' },
          { name: 'question', type: 'string', maxLength: 20 },
        ],
      },
    });
    const good = { tier: 'gold', vip: true, limit: 100, question: 'Hello?' };
    const ok = await invoke(api, { template: 'typed-bot', variables: good });
    expect(ok.status).toBe(200);
    expect(ok.body.usage.promptTokens).toBe(cookbookChat('Tier gold; VIP true; limit 100; tone friendly.', 'Q: Hello?', 'o200k_base'));

    const cases: Array<[Record<string, unknown>, string[], RegExp]> = [
      [{ ...good, question: undefined }, ['question'], /variable question is required/],
      [{ ...good, limit: '100' }, ['limit'], /limit must be a number, got a string/],
      [{ ...good, vip: 'yes' }, ['vip'], /vip must be a boolean/],
      [{ ...good, tier: 'bronze' }, ['tier'], /tier must be one of gold, silver, got "bronze"/],
      [{ ...good, question: 'x'.repeat(21) }, ['question'], /21 characters long, more than its maxLength 20/],
      [{ ...good, colour: 'red' }, ['colour'], /colour is not declared/],
      [{ tier: 1, vip: true, limit: 1 }, ['tier', 'question'], /tier must be one of.*; variable question is required/],
    ];
    for (const [vars, names, message] of cases) {
      const r = await invoke(api, { template: 'typed-bot', variables: JSON.parse(JSON.stringify(vars)) });
      expect(r.status, JSON.stringify(vars)).toBe(400);
      expect(r.body.code).toBe('invalid.variables');
      expect(r.body.message).toMatch(message);
      expect(r.body.details.map((d: { fieldName: string }) => d.fieldName)).toEqual(names.map((n) => `variables.${n}`));
      expect(r.body.contextId).toBe(r.headers.get('inin-correlation-id'));
    }
  });
});

describe('traffic split routing', () => {
  it('a sticky split sends each routing key to one version, and the keys split by weight', async () => {
    const t = await publishTemplate(api, 'sticky-bot', { '1.0.0': {}, '1.1.0': {} }, {
      split: { strategy: 'sticky', stickyKey: 'customer', routes: [['1.0.0', 70], ['1.1.0', 30]] },
    });
    const keys = Array.from({ length: 1200 }, (_, i) => `conversation-${i}`);
    const first = await mapConcurrent(keys, 24, async (k) => (await invoke(api, { template: t.name, routingKey: k, variables: VARS })).body.version as string);
    const share = first.filter((v) => v === '1.1.0').length / keys.length;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
    // Stable: the same keys land on the same versions again.
    const sample = keys.slice(0, 150);
    const again = await mapConcurrent(sample, 24, async (k) => (await invoke(api, { template: t.id, routingKey: k, variables: VARS })).body.version as string);
    expect(again).toEqual(first.slice(0, 150));
    // Without a routing key, the variable named by stickyKey is the key.
    const byVar = await invoke(api, { template: t.name, variables: { customer: 'conversation-7', question: 'x' } });
    expect(byVar.body.version).toBe(first[7]);
    // An explicit version wins over the split.
    expect((await invoke(api, { template: t.name, version: '1.0.0', routingKey: keys.find((_, i) => first[i] === '1.1.0'), variables: VARS })).body.version).toBe('1.0.0');
  });

  it('a sticky split written in another route order (same versions and weights) keeps every key on its version', async () => {
    const t = await publishTemplate(api, 'sticky-order-bot', { '1.0.0': {}, '1.1.0': {}, '2.0.0': {} }, {
      split: { strategy: 'sticky', stickyKey: 'customer', routes: [['1.0.0', 50], ['1.1.0', 30], ['2.0.0', 20]] },
    });
    const keys = Array.from({ length: 300 }, (_, i) => `caller-${i}`);
    const route = () => mapConcurrent(keys, 24, async (k) => (await invoke(api, { template: t.name, routingKey: k, variables: VARS })).body.version as string);
    const before = await route();
    expect(new Set(before)).toEqual(new Set(['1.0.0', '1.1.0', '2.0.0']));
    // The plan sees no change in a reorder (routes are keyed by version): neither may routing.
    const put = await api.put(paths.traffic(t.id), {
      strategy: 'sticky',
      stickyKey: 'customer',
      routes: [{ version: '2.0.0', weight: 20 }, { version: '1.0.0', weight: 50 }, { version: '1.1.0', weight: 30 }],
      version: 1,
    });
    expect(put.status).toBe(200);
    expect(await route()).toEqual(before);
  });

  it('a random split follows its weights whatever the routing key', async () => {
    await publishTemplate(api, 'random-bot', { '1.0.0': {}, '1.1.0': {}, '2.0.0': {} }, {
      split: { routes: [['1.0.0', 60], ['1.1.0', 40], ['2.0.0', 0]] },
    });
    const calls = Array.from({ length: 1000 }, (_, i) => i);
    const got = await mapConcurrent(calls, 24, async () => (await invoke(api, { template: 'random-bot', routingKey: 'same-key', variables: VARS })).body.version as string);
    const share = got.filter((v) => v === '1.1.0').length / got.length;
    expect(share).toBeGreaterThan(0.35);
    expect(share).toBeLessThan(0.45);
    expect(got).not.toContain('2.0.0');
  });
});

describe('safety filters on invocations', () => {
  const filter = (name: string, priority: number, template: string, extra: Record<string, unknown>) =>
    api.post(paths.filters(), {
      name,
      priority,
      categories: ['pii'],
      action: 'block_and_log',
      thresholds: { pii: 0.5 },
      falsePositiveTolerance: 0.1,
      appliesTo: { templates: [template] },
      ...extra,
    });

  it('block_and_log refuses with 400 content.blocked naming the filter; other templates are not covered', async () => {
    await publishTemplate(api, 'guarded-bot', { '1.0.0': {} });
    await publishTemplate(api, 'open-bot', { '1.0.0': {} });
    expect((await filter('guard-block-pii', 40, 'guarded-bot', {})).status).toBe(201);

    const email = { customer: 'Ada', question: 'Mail me at ada.lovelace@example.org please' };
    const r = await invoke(api, { template: 'guarded-bot', variables: email });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('content.blocked');
    expect(r.body.message).toMatch(/blocked by safety filter guard-block-pii: pii scored 0\.9 on the input/);
    expect(r.body.messageParams).toMatchObject({ filter: 'guard-block-pii', category: 'pii', stage: 'input' });
    expect(r.body.details[0]).toMatchObject({ errorCode: 'content.blocked', entityName: 'guard-block-pii', fieldName: 'input' });
    // Blocked before the model ran: nothing spent, none said.
    expect(r.body).not.toHaveProperty('usage');
    expect(r.body).not.toHaveProperty('costUsd');

    // Card numbers count only when they pass the Luhn check.
    expect((await invoke(api, { template: 'guarded-bot', variables: { customer: 'Ada', question: 'card 4111 1111 1111 1111' } })).status).toBe(400);
    expect((await invoke(api, { template: 'guarded-bot', variables: { customer: 'Ada', question: 'card 4111 1111 1111 1112' } })).status).toBe(200);
    // Another template is not covered by the filter.
    expect((await invoke(api, { template: 'open-bot', variables: email })).status).toBe(200);
    // Messages are input too.
    const viaMessage = await invoke(api, { template: 'guarded-bot', variables: VARS, messages: [{ role: 'user', content: 'call me on +44 20 7946 0958' }] });
    expect(viaMessage.status).toBe(400);
  });

  it('redact_and_log masks the input (the model sees [REDACTED]) and the output, with finishReason content_filter', async () => {
    await publishTemplate(api, 'masked-bot', { '1.0.0': {} });
    await publishTemplate(api, 'leaky-bot', { '1.0.0': {} });
    expect((await filter('mask-pii-masked', 41, 'masked-bot', { action: 'redact_and_log' })).status).toBe(201);
    expect((await filter('mask-pii-leaky', 42, 'leaky-bot', { action: 'redact_and_log' })).status).toBe(201);

    const r = await invoke(api, { template: 'masked-bot', variables: { customer: 'Ada', question: 'reach me at ada@example.org' } });
    expect(r.status).toBe(200);
    expect(r.body.output.text).toBe('The model saw a redacted input.'); // the fixture for prompts containing [REDACTED]
    expect(r.body.filters).toEqual([{ name: 'mask-pii-masked', category: 'pii', score: 0.9, action: 'redact_and_log', applied: true }]);
    // The prompt the model counted holds the mask, not the address.
    expect(r.body.usage.promptTokens).toBe(cookbookChat('You help Ada with billing.', 'Question: reach me at [REDACTED]', 'o200k_base'));

    const out = await invoke(api, { template: 'leaky-bot', variables: VARS });
    expect(out.status).toBe(200);
    expect(out.body.output.text).toBe('Sure: write to [REDACTED] or call [REDACTED] about card [REDACTED].');
    expect(out.body.finishReason).toBe('content_filter');
    // Usage counts what the model wrote, before masking.
    expect(out.body.usage.completionTokens).toBe(countTokensUncached(FIXTURES[3]!.output, 'o200k_base'));
    expect(out.body.filters[0]).toMatchObject({ name: 'mask-pii-leaky', category: 'pii', applied: true });
    expect(out.body.filters[0].score).toBeGreaterThan(0.99);
  });

  it('flag_and_pass only reports; a score under the threshold is reported, not applied', async () => {
    await publishTemplate(api, 'flagged-bot', { '1.0.0': {} });
    expect(
      (
        await filter('flag-politics', 43, 'flagged-bot', {
          categories: ['political', 'pii'],
          action: 'flag_and_pass',
          thresholds: { political: 0.5, pii: 0.95 },
        })
      ).status,
    ).toBe(201);
    const q = { customer: 'Ada', question: 'Who wins the election? The senator said vote early. Call 555-123-4567' };
    const r = await invoke(api, { template: 'flagged-bot', variables: q });
    expect(r.status).toBe(200);
    expect(r.body.finishReason).not.toBe('content_filter');
    expect(r.body.filters).toEqual([
      { name: 'flag-politics', category: 'political', score: expect.any(Number), action: 'flag_and_pass', applied: true },
      { name: 'flag-politics', category: 'pii', score: 0.85, action: 'flag_and_pass', applied: false },
    ]);
    expect(r.body.filters[0].score).toBeGreaterThanOrEqual(0.5);
  });

  it('runs filters in priority order: a redaction ahead of a block disarms it; swapped, the block wins', async () => {
    await publishTemplate(api, 'priority-bot', { '1.0.0': {} });
    const redact = await filter('prio-redact', 44, 'priority-bot', { action: 'redact_and_log' });
    const block = await filter('prio-block', 45, 'priority-bot', {});
    const vars = { customer: 'Ada', question: 'my mail is ada@example.org' };
    const first = await invoke(api, { template: 'priority-bot', variables: vars });
    expect(first.status).toBe(200);
    expect(first.body.filters.map((f: { name: string; applied: boolean }) => [f.name, f.applied])).toEqual([['prio-redact', true]]);

    // Swap: the block moves to 44 (the redaction first leaves it free), the redaction to 46.
    expect((await api.put(paths.filter(redact.body.id), { ...stripFilter(redact.body), priority: 46, version: 1 })).status).toBe(200);
    expect((await api.put(paths.filter(block.body.id), { ...stripFilter(block.body), priority: 44, version: 1 })).status).toBe(200);
    const second = await invoke(api, { template: 'priority-bot', variables: vars });
    expect(second.status).toBe(400);
    expect(second.body.messageParams.filter).toBe('prio-block');
    // Disabled, it does nothing.
    expect((await api.put(paths.filter(block.body.id), { ...stripFilter(block.body), priority: 44, enabled: false, version: 2 })).status).toBe(200);
    expect((await invoke(api, { template: 'priority-bot', variables: vars })).status).toBe(200);
  });

  it('a block on the output refuses the JSON call and ends a stream with an error event after the safe text', async () => {
    await publishTemplate(api, 'grim-bot', { '1.0.0': {} }, { labels: { team: 'stories' } });
    expect(
      (
        await api.post(paths.filters(), {
          name: 'stories-violence',
          priority: 47,
          categories: ['violence'],
          action: 'block_and_log',
          thresholds: { violence: 0.6 },
          falsePositiveTolerance: 0,
          appliesTo: { labels: { team: 'stories' } },
        })
      ).status,
    ).toBe(201);
    const r = await invoke(api, { template: 'grim-bot', variables: VARS });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('content.blocked');
    expect(r.body.messageParams).toMatchObject({ filter: 'stories-violence', category: 'violence', stage: 'output' });
    // The model ran before the block: the refusal says what it spent, as a result would.
    expect(r.body.usage.completionTokens).toBeGreaterThan(0);
    expect(r.body.usage.totalTokens).toBe(r.body.usage.promptTokens + r.body.usage.completionTokens);
    expect(r.body.costUsd).toBeGreaterThan(0);

    const s = await rawStream(api, { template: 'grim-bot', variables: VARS });
    expect(s.status).toBe(200);
    const events = parseRaw(s.text);
    const deltas = events.filter((e) => e.event === 'delta').map((e) => JSON.parse(e.data).text as string);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('The story goes on and on with many calm words until the villain plans to ');
    const last = events[events.length - 1]!;
    expect(last.event).toBe('error');
    expect(JSON.parse(last.data)).toMatchObject({ code: 'content.blocked', status: 400, contextId: s.correlationId, usage: r.body.usage, costUsd: r.body.costUsd });
    expect(events.some((e) => e.event === 'done')).toBe(false);
  });

  it('what streams before a block on the output is redacted by every redacting filter, whatever its priority', async () => {
    await publishTemplate(api, 'lure-bot', { '1.0.0': {} });
    // The block runs first (48), so the redaction (49) never ran before: the card and address streamed in clear.
    expect((await filter('lure-phish-block', 48, 'lure-bot', { categories: ['phishing'], thresholds: { phishing: 0.5 } })).status).toBe(201);
    expect((await filter('lure-pii-redact', 49, 'lure-bot', { action: 'redact_and_log' })).status).toBe(201);

    const r = await invoke(api, { template: 'lure-bot', variables: VARS });
    expect(r.status).toBe(400);
    expect(r.body.messageParams).toMatchObject({ filter: 'lure-phish-block', category: 'phishing', stage: 'output' });

    const s = await rawStream(api, { template: 'lure-bot', variables: VARS });
    const events = parseRaw(s.text);
    const shown = events.filter((e) => e.event === 'delta').map((e) => JSON.parse(e.data).text as string).join('');
    expect(shown).toBe('Your card [REDACTED] is on file, write to [REDACTED]. ');
    expect(events.at(-1)!.event).toBe('error');
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ code: 'content.blocked', messageParams: { filter: 'lure-phish-block' } });
  });
});

describe('fixtures', () => {
  it('answers from the first matching fixture: by template and contains, version, regex; else the simulator', async () => {
    const t = await publishTemplate(api, 'fixture-bot', { '1.0.0': {}, '2.0.0': {} });
    const ask = (question: string, version = '1.0.0') => invoke(api, { template: 'fixture-bot', version, variables: { customer: 'Ada', question } });
    expect((await ask('where is my refund?')).body.output.text).toBe('Refunds reach your card within 5 working days.');
    expect((await ask('where is my refund?', '2.0.0')).body.output.text).toBe('Refunds reach your card within 5 working days.');
    expect((await ask('hello', '2.0.0')).body.output.text).toBe('Version two speaking.');
    expect((await ask('How is the weather?')).body.output.text).toBe('Sunny, 21 degrees.');
    const free = (await ask('hello')).body as InvocationResult;
    expect(free.output.text).not.toMatch(/Refunds|Version two|Sunny/);
    expect(free.usage.completionTokens).toBe(countTokensUncached(free.output.text, 'o200k_base'));
    // By id as well as by name.
    const r = await invoke(api, { template: t.id, version: '1.0.0', variables: { customer: 'Ada', question: 'refund?' } });
    expect(r.body.output.text).toMatch(/^Refunds/);
  });

  it('reads a responses file (YAML) and cuts a fixture to maxTokens', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'promptctl-responses-'));
    const file = join(dir, 'responses.yaml');
    await writeFile(
      file,
      ['responses:', '  - match: {template: long-bot}', `    output: "${'word '.repeat(60).trim()}"`, '  - match: {}', '    output: "Catch-all."', '    finishReason: content_filter', ''].join('\n'),
    );
    const { em, api: a } = await boot({ responsesFile: file });
    try {
      await publishTemplate(a, 'long-bot', { '1.0.0': { maxTokens: 10 } });
      await publishTemplate(a, 'short-bot', { '1.0.0': {} });
      const long = await invoke(a, { template: 'long-bot', variables: VARS });
      expect(long.body.finishReason).toBe('length');
      expect(long.body.usage.completionTokens).toBe(10);
      expect(long.body.output.text).toBe('word '.repeat(10).trim());
      const other = await invoke(a, { template: 'short-bot', variables: VARS });
      expect(other.body.output.text).toBe('Catch-all.');
      expect(other.body.finishReason).toBe('content_filter');
    } finally {
      await em.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a malformed responses file at start, naming the entry', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'promptctl-responses-'));
    const file = join(dir, 'responses.json');
    await writeFile(file, JSON.stringify([{ match: { template: 'x' }, output: 'ok' }, { match: { contains: 'a', regex: 'b' }, output: 'x' }]));
    await expect(boot({ responsesFile: file })).rejects.toThrow(/responses\[1\]: match takes contains or regex, not both/);
    await writeFile(file, JSON.stringify([{ match: { regex: '(' }, output: 'x' }]));
    await expect(boot({ responsesFile: file })).rejects.toThrow(/responses\[0\]: match.regex is not a valid regular expression/);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('Server-Sent Events', () => {
  it('streams deltas that arrive one by one (a plain http.request sees them), then done with everything but the text', async () => {
    await publishTemplate(api, 'stream-bot', { '1.0.0': { maxTokens: 60 } });
    const body = { template: 'stream-bot', variables: { customer: 'Ada', question: 'Explain my invoice in detail' } };
    const json = (await invoke(api, body)).body as InvocationResult;
    const s = await rawStream(api, body);
    expect(s.status).toBe(200);
    expect(s.contentType).toMatch(/^text\/event-stream/);

    const events = parseRaw(s.text);
    const deltas = events.filter((e) => e.event === 'delta').map((e) => JSON.parse(e.data) as { text: string });
    expect(deltas.length).toBeGreaterThan(3);
    for (const d of deltas) expect(d.text.trim().split(/\s+/).length).toBeLessThanOrEqual(4);
    expect(deltas.map((d) => d.text).join('')).toBe(json.output.text);
    expect(events.map((e) => e.event).slice(-1)).toEqual(['done']);
    const done = JSON.parse(events[events.length - 1]!.data);
    const { output: _o, id: _id, ...rest } = json;
    expect(done).toMatchObject(rest);
    expect(done.output).toBeUndefined();

    // Incremental: the deltas came in separate reads spread over time, not in one burst at the end.
    // (The server waits 15 ms between deltas; a busy client may still read a few at once.)
    const deltaReads = s.reads.filter((r) => r.text.includes('event: delta'));
    expect(deltaReads.length).toBeGreaterThanOrEqual(2);
    expect(s.reads[0]!.text).not.toContain('event: done');
    expect(s.reads[s.reads.length - 1]!.at - deltaReads[0]!.at).toBeGreaterThanOrEqual(15);
  });

  it('stream: true in the body streams too; refusals before the stream are plain JSON errors', async () => {
    await publishTemplate(api, 'stream-flag-bot', { '1.0.0': {} });
    const viaBody = await rawStream(api, { template: 'stream-flag-bot', variables: VARS, stream: true }, 'application/json');
    expect(viaBody.contentType).toMatch(/^text\/event-stream/);
    expect(parseRaw(viaBody.text).slice(-1)[0]!.event).toBe('done');
    const bad = await rawStream(api, { template: 'stream-flag-bot', variables: {} });
    expect(bad.status).toBe(400);
    expect(bad.contentType).toMatch(/json/);
    expect(JSON.parse(bad.text).code).toBe('invalid.variables');
  });

  it('sends : ping comments while the model is slow to start, and reports its drawn latency', async () => {
    const { em, api: a } = await boot({ latencyMs: 100, pingIntervalMs: 20, streamDelayMs: 1, seed: 3 });
    try {
      await publishTemplate(a, 'slow-bot', { '1.0.0': {} });
      // Find a prompt whose drawn latency (50..150 ms) leaves time beyond the 100 ms every request waits anyway.
      let chosen: { vars: Record<string, string>; latency: number } | undefined;
      for (let i = 0; i < 40 && !chosen; i++) {
        const vars = { customer: `c${i}`, question: 'hello' };
        const r = await invoke(a, { template: 'slow-bot', variables: vars });
        expect(r.body.latencyMs).toBeGreaterThanOrEqual(50);
        expect(r.body.latencyMs).toBeLessThanOrEqual(150);
        if (r.body.latencyMs >= 140) chosen = { vars, latency: r.body.latencyMs };
      }
      expect(chosen).toBeDefined();
      const s = await rawStream(a, { template: 'slow-bot', variables: chosen!.vars });
      expect(s.text).toMatch(/^: ping\n\n/m);
      expect(s.text.indexOf(': ping')).toBeLessThan(s.text.indexOf('event: delta'));
      expect(JSON.parse(parseRaw(s.text).slice(-1)[0]!.data).latencyMs).toBe(chosen!.latency);
    } finally {
      await em.close();
    }
  });
});

function stripFilter(f: Record<string, unknown>): Record<string, unknown> {
  const { id: _i, version: _v, selfUri: _s, dateCreated: _dc, dateModified: _dm, createdBy: _cb, modifiedBy: _mb, ...rest } = f;
  return rest;
}

async function mapConcurrent<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

interface RawStream {
  status: number;
  contentType: string;
  correlationId: string;
  text: string;
  /** Each chunk as the socket delivered it, with its arrival time. */
  reads: Array<{ at: number; text: string }>;
}

/** POST /invocations with Accept: text/event-stream through node:http, recording every chunk as it arrives. */
function rawStream(a: Api, body: unknown, accept = 'text/event-stream'): Promise<RawStream> {
  const url = new URL(paths.invocations(), a.url);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${a.token}`, accept, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const reads: RawStream['reads'] = [];
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => reads.push({ at: performance.now(), text: chunk }));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            correlationId: String(res.headers['inin-correlation-id'] ?? ''),
            text: reads.map((r) => r.text).join(''),
            reads,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A deliberately simple SSE reader for well-formed emulator output (one data line per event). */
function parseRaw(text: string): Array<{ event: string; data: string }> {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '' && !block.startsWith(':'))
    .map((block) => {
      const lines = block.split('\n');
      return {
        event: lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message',
        data: lines.find((l) => l.startsWith('data: '))?.slice(6) ?? '',
      };
    });
}
