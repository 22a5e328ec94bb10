// The client's runtime calls: invoke (JSON), invokeStream (SSE, events as they arrive) and
// queryAnalytics, against a real emulator; and, against small hand-written servers, the stream
// failures the emulator does not produce on demand: retries only before the first byte, a stream
// cut mid-way (reported, never silently truncated), an error event, a JSON answer to a stream call.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gatewayWriteChecks } from '../../src/kinds/index.js';
import type { ApiError } from '../../src/genesys/errors.js';
import type { GatewayApi, InvocationStreamEvent } from '../../src/targets/llmgateway/api.js';
import { createGatewayClient, type RetryInfo } from '../../src/targets/llmgateway/client.js';
import type { BlockedSpend, InvocationRequest } from '../../src/targets/llmgateway/wire.js';
import { rejection, setup, versionBody, type Env } from './client-support.js';
import { RETRIED_FAULTS } from '../helpers/emulator.js';

const FIXTURES = [{ match: { template: 'story-bot' }, output: 'Once upon a time a calm knight rode out, and then he wanted to stab the dragon, the end.' }];

let env: Env;
let c: GatewayApi;

beforeAll(async () => {
  env = await setup({ rateLimit: 1_000_000, streamDelayMs: 20, responses: FIXTURES, publishDelayMs: 1 });
  c = env.client();
  for (const name of ['chat-bot', 'story-bot']) {
    const t = await c.createTemplate({ name, model: 'gpt-4o-mini' });
    await c.createVersion(t.id, versionBody('1.0.0', { maxTokens: 80 }));
    await c.publishVersion(t.id, '1.0.0');
  }
  await c.createFilter({
    name: 'chat-pii',
    priority: 1,
    categories: ['pii'],
    action: 'block_and_log',
    thresholds: { pii: 0.5 },
    falsePositiveTolerance: 0,
    appliesTo: { templates: ['chat-bot'] },
  });
  await c.createFilter({
    name: 'story-violence',
    priority: 2,
    categories: ['violence'],
    action: 'block_and_log',
    thresholds: { violence: 0.5 },
    falsePositiveTolerance: 0,
    appliesTo: { templates: ['story-bot'] },
  });
});

afterAll(async () => {
  await env?.close();
});

async function collect(stream: AsyncIterable<InvocationStreamEvent>): Promise<{ events: InvocationStreamEvent[]; at: number[] }> {
  const events: InvocationStreamEvent[] = [];
  const at: number[] = [];
  for await (const e of stream) {
    events.push(e);
    at.push(performance.now());
  }
  return { events, at };
}

const ask = (question: string, extra: Partial<InvocationRequest> = {}): InvocationRequest => ({ template: 'chat-bot', variables: { question }, ...extra });

describe('invoke and invokeStream against the emulator', () => {
  it('invoke returns the result; invokeStream yields the same text in deltas as they arrive, then done', async () => {
    const body = ask('How do refunds work for annual plans?');
    const result = await c.invoke(body);
    expect(result).toMatchObject({ template: { name: 'chat-bot' }, version: '1.0.0', model: 'gpt-4o-mini', filters: [] });
    expect(result.usage.totalTokens).toBe(result.usage.promptTokens + result.usage.completionTokens);

    const { events, at } = await collect(c.invokeStream(body));
    const deltas = events.filter((e): e is Extract<InvocationStreamEvent, { type: 'delta' }> => e.type === 'delta');
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.map((d) => d.text).join('')).toBe(result.output.text);
    expect(events.slice(-1)[0]!.type).toBe('done');
    const done = events.slice(-1)[0] as Extract<InvocationStreamEvent, { type: 'done' }>;
    const { output: _o, id: _i, ...rest } = result;
    expect(done.result).toMatchObject(rest);
    expect(done.result.id).not.toBe(result.id);
    // The deltas reached the caller as they came (20 ms apart on the server), not all at the end.
    expect(at[at.length - 1]! - at[0]!).toBeGreaterThanOrEqual(20);
  });

  it('a refusal before the stream rejects with its ApiError and yields nothing', async () => {
    const events: InvocationStreamEvent[] = [];
    const err = await rejection(
      (async () => {
        for await (const e of c.invokeStream(ask('mail me: ada@example.org'))) events.push(e);
      })(),
    );
    expect(events).toEqual([]);
    expect(err).toMatchObject({ status: 400, code: 'content.blocked' });
    expect(err.body?.messageParams?.['filter']).toBe('chat-pii');
    // Blocked on the input: the model never ran, and the refusal says no spend.
    expect(err.body).not.toHaveProperty('usage');
    expect(err.body).not.toHaveProperty('costUsd');
    // Routed before the filters ran: the refusal names the template and version, as an answer would.
    expect(err.body).toMatchObject({ template: { name: 'chat-bot' }, version: '1.0.0' });
    const vars = await rejection(c.invoke({ template: 'chat-bot', variables: {} }));
    expect(vars).toMatchObject({ status: 400, code: 'invalid.variables' });
    expect(vars.body?.details?.[0]?.fieldName).toBe('variables.question');
    expect(vars.message).toMatch(/variable question is required/);
  });

  it('an error event after the stream started rejects with that ApiError after the text before it', async () => {
    const events: InvocationStreamEvent[] = [];
    const err = await rejection(
      (async () => {
        for await (const e of c.invokeStream({ template: 'story-bot', variables: { question: 'a story' } })) events.push(e);
      })(),
    );
    const text = events.map((e) => (e.type === 'delta' ? e.text : '')).join('');
    expect(text).toBe('Once upon a time a calm knight rode out, and then he wanted to ');
    expect(events.every((e) => e.type === 'delta')).toBe(true);
    expect(err).toMatchObject({ status: 400, code: 'content.blocked' });
    expect(err.message).toMatch(new RegExp(`failed after ${text.length} characters of output: 400 content.blocked: .*story-violence`));
    expect(err.body?.messageParams?.['stage']).toBe('output');
    expect((await rejection(c.invoke({ template: 'story-bot', variables: { question: 'a story' } }))).code).toBe('content.blocked');
  });

  it('a block on the output says what the model spent, whole and streamed, as the analytics count it', async () => {
    const story = { template: 'story-bot', variables: { question: 'a story' } };
    const whole = await rejection(c.invoke(story));
    expect(whole).toMatchObject({ status: 400, code: 'content.blocked' });
    const spent = whole.body as BlockedSpend | undefined;
    expect(spent?.usage?.completionTokens).toBeGreaterThan(0);
    expect(spent?.usage?.totalTokens).toBe(spent!.usage!.promptTokens + spent!.usage!.completionTokens);
    expect(spent?.costUsd).toBeGreaterThan(0);
    // The same prompt and canned answer: the same spend, said by the stream's error event after its text.
    const streamed = await rejection(collect(c.invokeStream(story)));
    expect(streamed.outputChars).toBeGreaterThan(0);
    expect(streamed.body).toMatchObject({ usage: spent!.usage, costUsd: spent!.costUsd });
    // And where the call was routed (the version the model ran on), whole and streamed.
    expect(whole.body).toMatchObject({ template: { name: 'story-bot' }, version: '1.0.0' });
    expect(streamed.body).toMatchObject({ template: { name: 'story-bot' }, version: '1.0.0' });
    // The analytics count the same tokens and cost for the two blocked calls.
    const tmpl = (await c.listTemplates({ name: 'story-bot' }))[0]!;
    const q = await c.queryAnalytics({
      interval: `${new Date(Date.now() - 60_000).toISOString()}/${new Date(Date.now() + 1000).toISOString()}`,
      groupBy: ['templateId'],
      metrics: ['nBlocked', 'nPromptTokens', 'nCompletionTokens', 'nCostMicros'],
      filter: { type: 'and', predicates: [{ dimension: 'templateId', value: tmpl.id }] },
    });
    const m = Object.fromEntries(q.results[0]!.data[0]!.metrics.map((x) => [x.metric, x.stats]));
    expect(m['nPromptTokens']!.max).toBe(spent!.usage!.promptTokens);
    expect(m['nCompletionTokens']!.max).toBe(spent!.usage!.completionTokens);
    expect(m['nCostMicros']!.max).toBeCloseTo(spent!.costUsd! * 1e6, 3);
  });

  it('an aborted stream rejects with the abort reason', async () => {
    const ac = new AbortController();
    const seen: string[] = [];
    const p = (async () => {
      for await (const e of c.invokeStream(ask('Tell me about plans'), { signal: ac.signal })) {
        if (e.type === 'delta') seen.push(e.text);
        if (seen.length === 2) ac.abort();
      }
    })();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toHaveLength(2);
    const early = new AbortController();
    early.abort();
    await expect(collect(c.invokeStream(ask('x'), { signal: early.signal }))).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a caller that stops early drops the stream, and the client carries on', async () => {
    for (let i = 0; i < 20; i++) {
      for await (const e of c.invokeStream(ask(`Question ${i} about plans`))) {
        expect(e.type).toBe('delta');
        break;
      }
    }
    expect((await c.invoke(ask('still there?'))).version).toBe('1.0.0');
  });

  it('queryAnalytics counts what was invoked', async () => {
    const start = new Date(Date.now() - 60_000).toISOString();
    const tmpl = (await c.listTemplates({ name: 'chat-bot' }))[0]!;
    const before = await c.queryAnalytics({
      interval: `${start}/${new Date(Date.now() + 1000).toISOString()}`,
      groupBy: ['templateId'],
      metrics: ['nInvocations', 'nBlocked', 'nErrors'],
      filter: { type: 'and', predicates: [{ dimension: 'templateId', value: tmpl.id }] },
    });
    expect(before.results).toHaveLength(1);
    const counts = Object.fromEntries(before.results[0]!.data[0]!.metrics.map((m) => [m.metric, m.stats.count]));
    // 2 in the first test, 2 refused in the second (1 blocked, 1 bad variables), 2 aborted or refused-by-abort streams at most.
    expect(counts['nBlocked']).toBe(1);
    expect(counts['nErrors']).toBe(1);
    expect(counts['nInvocations']).toBeGreaterThanOrEqual(5);
  });
});

describe('invokeStream under injected faults', () => {
  // Each invocation the gateway runs is billed, and no read tells whether it ran (DESIGN §5).
  it('never sends again an invocation the gateway may have run (a 5xx, a connection dropped): it ends saying so; one that arrives is whole', { timeout: 60_000 }, async () => {
    const faulty = await setup({ rateLimit: 1_000_000, faultRate: 0.4, faultKinds: RETRIED_FAULTS, seed: 99, streamDelayMs: 0, publishDelayMs: 1 });
    try {
      const retries: RetryInfo[] = [];
      const fc = faulty.client({ onRetry: (i) => retries.push(i) });
      const t = await fc.createTemplate({ name: 'faulty-bot', model: 'gpt-4o' });
      await fc.createVersion(t.id, versionBody('1.0.0', { maxTokens: 30 }));
      await fc.publishVersion(t.id, '1.0.0');
      const unsent = (err: ApiError): void => {
        expect(err.outcomeUnknown, err.message).toBe(true);
        expect(err.message).toMatch(/the gateway may have run it \(each call is billed\), so it was not sent again$/);
      };
      let expected: string | undefined;
      let failed = 0;
      for (let i = 0; i < 15; i++) {
        const got = await collect(fc.invokeStream({ template: 'faulty-bot', variables: { question: 'q' } })).catch((err: ApiError) => (unsent(err), failed++, undefined));
        if (got === undefined) continue;
        const text = got.events.map((e) => (e.type === 'delta' ? e.text : '')).join('');
        expected ??= text;
        expect(text).toBe(expected);
        expect(got.events.slice(-1)[0]!.type).toBe('done');
      }
      expect(failed).toBeGreaterThan(0);
      expect(expected).toBeDefined();
      // Nothing of unknown outcome was sent again: only a refusal before any work would be (a 429).
      expect(retries.filter((r) => r.path.endsWith('/invocations') && r.status !== 429)).toEqual([]);
    } finally {
      await faulty.close();
    }
  });
});

// ---- hand-written servers ---------------------------------------------------------------------

interface HandServer {
  url: string;
  attempts(): number;
  close(): Promise<void>;
}

async function handServer(onInvoke: (attempt: number, req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<HandServer> {
  let attempts = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      if (req.url === '/oauth/token') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'hand-token-1234', token_type: 'bearer', expires_in: 3600 }));
        return;
      }
      onInvoke(++attempts, req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    attempts: () => attempts,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const SSE_HEAD = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };
const delta = (text: string) => `event: delta\ndata: ${JSON.stringify({ text })}\n\n`;
const DONE = `event: done\ndata: ${JSON.stringify({ id: 'i-1', template: { id: 't', name: 'x' }, version: '1.0.0', model: 'gpt-4o', finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3 }, costUsd: 0, latencyMs: 0, filters: [] })}\n\n`;

let hand: HandServer | undefined;
const handClients: GatewayApi[] = [];
afterEach(async () => {
  await Promise.all(handClients.splice(0).map((x) => x.close()));
  await hand?.close();
  hand = undefined;
});

function handClient(retries?: RetryInfo[]): GatewayApi {
  const x = createGatewayClient({
    landed: gatewayWriteChecks,
    apiUrl: hand!.url,
    loginUrl: hand!.url,
    clientId: 'hand',
    clientSecret: 'hand-secret',
    targetLabel: 'hand server',
    backoffBaseMs: 5,
    backoffCapMs: 20,
    ...(retries ? { onRetry: (i: RetryInfo) => retries.push(i) } : {}),
  });
  handClients.push(x);
  return x;
}

// Paces a hand-written server's answer (a head, then a cut; a stream in pieces; a ping, then
// silence): answers spread over time are what these tests are about; the tests await the client.
const later = (ms: number, fn: () => void) => setTimeout(fn, ms);

describe('invokeStream against hand-written servers', () => {
  it('resends a 429 (refused before any work); a 503, a dropped connection or a head without a body (cut or empty) may have run the model: not sent again', async () => {
    hand = await handServer((attempt, _req, res) => {
      if (attempt === 1) {
        res.writeHead(429, { 'retry-after': '0', 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'slow down', code: 'too.many.requests', status: 429, contextId: 'x' }));
      } else if (attempt === 2) {
        res.writeHead(200, SSE_HEAD);
        res.write(delta('Hello '));
        later(10, () => res.end(delta('world') + DONE));
      } else if (attempt === 3) {
        res.writeHead(503, { 'retry-after': '0', 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'busy', code: 'service.unavailable', status: 503, contextId: 'x' }));
      } else if (attempt === 4) {
        res.socket?.destroy();
      } else if (attempt === 5) {
        res.writeHead(200, SSE_HEAD);
        res.flushHeaders();
        later(20, () => res.socket?.destroy());
      } else {
        res.writeHead(200, SSE_HEAD);
        res.end(); // a clean but empty answer
      }
    });
    const retries: RetryInfo[] = [];
    const x = handClient(retries);
    const { events } = await collect(x.invokeStream(ask('q')));
    expect(events.map((e) => e.type)).toEqual(['delta', 'delta', 'done']);
    expect(hand.attempts()).toBe(2);
    expect(retries.map((r) => r.status ?? r.code)).toEqual([429]);
    // Each ends its call after one attempt, saying why it was not sent again.
    const ends: string[] = [];
    for (let i = 3; i <= 6; i++) {
      const err = await rejection(collect(x.invokeStream(ask('q'))));
      expect(err.outcomeUnknown, err.message).toBe(true);
      expect(err.message).toMatch(/the gateway may have run it \(each call is billed\), so it was not sent again$/);
      expect(hand.attempts()).toBe(i);
      ends.push(String(err.status || err.code));
    }
    // The head-only answer fails as the socket does (a reset), or as a premature end where it closes cleanly.
    expect(ends).toEqual(['503', 'ECONNRESET', expect.stringMatching(/^(ECONNRESET|ERR_STREAM_PREMATURE_CLOSE)$/), 'ERR_STREAM_PREMATURE_CLOSE']);
    expect(retries).toHaveLength(1);
  });

  it('a stream cut after its first bytes is an error naming how much arrived, and is not retried', async () => {
    hand = await handServer((_attempt, _req, res) => {
      res.writeHead(200, SSE_HEAD);
      res.write(delta('Hello '));
      // The cut comes once 'world' has been written (not on a timer that could overtake the write).
      later(10, () => res.write(delta('world'), () => res.socket?.destroy()));
    });
    const seen: string[] = [];
    const err = await rejection(
      (async () => {
        for await (const e of handClient().invokeStream(ask('q'))) if (e.type === 'delta') seen.push(e.text);
      })(),
    );
    expect(seen).toEqual(['Hello ', 'world']);
    expect(err.code).toBe('stream.interrupted');
    expect(err.status).toBe(0);
    expect(err.message).toMatch(/event stream was cut after 11 characters of output \(.+\); the answer is incomplete/);
    expect(hand.attempts()).toBe(1);
  });

  it('a stream gone silent past idleTimeoutMs is dropped and reported', async () => {
    hand = await handServer((_attempt, _req, res) => {
      res.writeHead(200, SSE_HEAD);
      res.write(delta('Hello'));
      later(30, () => res.write(': ping\n\n')); // a ping is not silence
      // ... then nothing
    });
    const started = Date.now();
    const err = await rejection(collect(handClient().invokeStream(ask('q'), { idleTimeoutMs: 150 })));
    expect(err.code).toBe('stream.interrupted');
    expect(err.message).toMatch(/cut after 5 characters of output \(timed out/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(hand.attempts()).toBe(1);
  });

  it('a stream that ends without done, or in the middle of an event, is an error too', async () => {
    for (const [tail, why] of [
      ['', /before the done event/],
      ['event: delta\ndata: {"text":"par', /in the middle of an event/],
    ] as const) {
      hand = await handServer((_attempt, _req, res) => {
        res.writeHead(200, SSE_HEAD);
        res.end(delta('Partial answer') + tail);
      });
      const err = await rejection(collect(handClient().invokeStream(ask('q'))));
      expect(err.code).toBe('stream.interrupted');
      expect(err.message).toMatch(/cut after 14 characters/);
      expect(err.message).toMatch(why);
      await Promise.all(handClients.splice(0).map((x) => x.close()));
      await hand.close();
      hand = undefined;
    }
  });

  it('turns an error event into its ApiError, ignores unknown events and comments, and accepts a JSON answer', async () => {
    hand = await handServer((attempt, _req, res) => {
      if (attempt === 1) {
        res.writeHead(200, SSE_HEAD);
        res.end(
          ': ping\n\nevent: progress\ndata: {}\n\n' +
            delta('Hi') +
            `event: error\ndata: ${JSON.stringify({ message: 'model overloaded', code: 'model.unavailable', status: 503, contextId: 'ctx-9' })}\n\n`,
        );
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ...JSON.parse(DONE.split('data: ')[1]!), output: { text: 'whole answer' } }));
      }
    });
    const x = handClient();
    const err = await rejection(collect(x.invokeStream(ask('q'))));
    expect(err).toMatchObject({ status: 503, code: 'model.unavailable', correlationId: 'ctx-9' });
    expect(err.message).toMatch(/failed after 2 characters of output: 503 model.unavailable: model overloaded/);
    expect(hand.attempts()).toBe(1); // an error event is an answer: never retried
    const { events } = await collect(x.invokeStream(ask('q')));
    expect(events).toEqual([
      { type: 'delta', text: 'whole answer' },
      { type: 'done', result: expect.objectContaining({ id: 'i-1', version: '1.0.0' }) },
    ]);
  });

  it('takes an error event that comes before any text as that status answered outright (none given: a 500): the model may have run, so not sent again; a 4xx is the answer', async () => {
    const error = (body: object) => `event: error\ndata: ${JSON.stringify(body)}\n\n`;
    hand = await handServer((attempt, _req, res) => {
      res.writeHead(200, SSE_HEAD);
      if (attempt === 1) res.end(': ping\n\nevent: progress\ndata: {}\n\n' + error({ message: 'model failed to start', code: 'model.unavailable', status: 503, contextId: 'ctx-1' }));
      else if (attempt === 2) res.end(error({ message: 'internal' }));
      else if (attempt === 3) res.end(delta('Hello') + DONE);
      else if (attempt === 4) res.end(error({ message: 'blocked by safety filter chat-pii', code: 'content.blocked', status: 400, contextId: 'ctx-4' }));
      else res.end(delta('Hi') + error({ message: 'model overloaded', code: 'model.unavailable', status: 503, contextId: 'ctx-5' }));
    });
    const retries: RetryInfo[] = [];
    const x = handClient(retries);
    const first = await rejection(collect(x.invokeStream(ask('q'))));
    expect(first).toMatchObject({ status: 503, code: 'model.unavailable', outcomeUnknown: true });
    expect(first.message).toMatch(/^POST \/api\/v2\/llmgateway\/invocations failed: 503 model\.unavailable: model failed to start \(correlation id ctx-1\); the gateway may have run it \(each call is billed\), so it was not sent again$/);
    expect(hand.attempts()).toBe(1);
    expect(await rejection(collect(x.invokeStream(ask('q'))))).toMatchObject({ status: 500, outcomeUnknown: true });
    expect(hand.attempts()).toBe(2);
    const { events } = await collect(x.invokeStream(ask('q')));
    expect(events.map((e) => e.type)).toEqual(['delta', 'done']);
    expect(hand.attempts()).toBe(3);
    expect(retries).toEqual([]);
    // A refusal is an answer, said as an error event says it.
    const blocked = await rejection(collect(x.invokeStream(ask('q'))));
    expect(blocked).toMatchObject({ status: 400, code: 'content.blocked', correlationId: 'ctx-4' });
    expect(blocked.message).toMatch(/^POST \/api\/v2\/llmgateway\/invocations failed: 400 content.blocked: blocked by safety filter chat-pii \(correlation id ctx-4\)$/);
    expect(blocked.body?.code).toBe('content.blocked');
    expect(hand.attempts()).toBe(4);
    // Text shown: the error is the answer's end, not retried.
    const after = await rejection(collect(x.invokeStream(ask('q'))));
    expect(after.message).toMatch(/failed after 2 characters of output: 503 model.unavailable/);
    expect(hand.attempts()).toBe(5);
    expect(retries).toEqual([]);
  });

  it('reads what a blocked call spent from its refusal, whole or as the stream\'s first event; one of another shape is refused naming the field', async () => {
    const usage = { promptTokens: 12, completionTokens: 7, totalTokens: 19 };
    const refusal = (extra: object) => JSON.stringify({ message: 'The response was blocked by safety filter chat-phish', code: 'content.blocked', status: 400, contextId: 'ctx-b', ...extra });
    hand = await handServer((attempt, _req, res) => {
      const stream = attempt % 2 === 0;
      const extra = attempt <= 2 ? { usage, costUsd: 0.0000123 } : { usage: { ...usage, promptTokens: '12' } };
      if (stream) {
        res.writeHead(200, SSE_HEAD);
        res.end(`event: error\ndata: ${refusal(extra)}\n\n`);
      } else {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(refusal(extra));
      }
    });
    const x = handClient();
    for (const call of [() => x.invoke(ask('q')), () => collect(x.invokeStream(ask('q')))]) {
      const err = await rejection(call());
      expect(err).toMatchObject({ status: 400, code: 'content.blocked', body: { usage, costUsd: 0.0000123 } });
    }
    for (const call of [() => x.invoke(ask('q')), () => collect(x.invokeStream(ask('q')))]) {
      const err = await rejection(call());
      expect(err).toMatchObject({ status: 400, code: 'unexpected.answer' });
      expect(err.message).toBe('POST /api/v2/llmgateway/invocations answered content.blocked error body whose usage.promptTokens is a string, not a number: promptctl cannot rely on an answer of that shape');
    }
    expect(hand.attempts()).toBe(4);
  });

  it('takes a stream that ends before any text (pings only, or cut in its first event) as a connection dropped: the model may have run, so not sent again', async () => {
    hand = await handServer((attempt, _req, res) => {
      res.writeHead(200, SSE_HEAD);
      if (attempt === 1) res.end(': ping\n\n');
      else if (attempt === 2) res.end('event: progress\ndata: {}\n\nevent: delta\ndata: {"te');
      else res.end(delta('Hello') + DONE);
    });
    const retries: RetryInfo[] = [];
    const x = handClient(retries);
    for (const attempts of [1, 2]) {
      const err = await rejection(collect(x.invokeStream(ask('q'))));
      expect(err).toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE', outcomeUnknown: true });
      expect(hand.attempts()).toBe(attempts);
    }
    const { events } = await collect(x.invokeStream(ask('q')));
    expect(events.map((e) => e.type)).toEqual(['delta', 'done']);
    expect(retries).toEqual([]);
  });

  it('refuses an answer of another shape naming the field (a done event, a JSON answer, whole or streamed), and reads an event of JSON null as none', async () => {
    const summary = JSON.parse(DONE.split('data: ')[1]!) as Record<string, unknown>;
    const { usage: _u, ...withoutUsage } = summary;
    const { filters: _f, ...withoutFilters } = summary;
    const answers: Array<[string, string]> = [
      ['sse', delta('Hi') + `event: done\ndata: ${JSON.stringify(withoutUsage)}\n\n`],
      ['sse', delta('Hi') + 'event: done\ndata: null\n\n'],
      ['sse', 'event: delta\ndata: null\n\n'],
      ['sse', delta('Hi') + 'event: error\ndata: null\n\n'],
      ['json', JSON.stringify({ ...summary, usage: { promptTokens: 1, completionTokens: '2', totalTokens: 3 }, output: { text: 'x' } })],
      ['json', JSON.stringify(summary)],
      ['sse', delta('Hi') + `event: done\ndata: ${JSON.stringify(withoutFilters)}\n\n`],
    ];
    hand = await handServer((attempt, _req, res) => {
      const [kind, body] = answers[(attempt - 1) % answers.length]!;
      res.writeHead(200, kind === 'sse' ? SSE_HEAD : { 'content-type': 'application/json' });
      res.end(body);
    });
    const x = handClient();
    const errs: ApiError[] = [];
    for (let i = 0; i < 4; i++) errs.push(await rejection(collect(x.invokeStream(ask('q')))));
    expect(errs.map((e) => e.code)).toEqual(['unexpected.answer', 'unexpected.answer', 'stream.invalid', 'stream.error']);
    expect(errs[0]!.message).toMatch(/^POST \/api\/v2\/llmgateway\/invocations answered done event "i-1" without usage: promptctl cannot rely on an answer of that shape/);
    expect(errs[1]!.message).toMatch(/answered done event is null, not an object/);
    expect(errs[2]!.message).toMatch(/\(a delta event without text\)/);
    expect(errs[3]!.message).toMatch(/failed after 2 characters of output: 500 stream.error/);
    // invoke (JSON) and a JSON answer to a stream call alike.
    const usage = await rejection(x.invoke(ask('q')));
    expect(usage).toMatchObject({ code: 'unexpected.answer', status: 200 });
    expect(usage.message).toMatch(/answered invocation result "i-1" whose usage.completionTokens is a string, not a number/);
    expect((await rejection(collect(x.invokeStream(ask('q'))))).message).toMatch(/answered invocation result "i-1" without output/);
    // Filters left out: none acted.
    const { events } = await collect(x.invokeStream(ask('q')));
    expect(events.at(-1)).toEqual({ type: 'done', result: expect.objectContaining({ version: '1.0.0', filters: [] }) });
    expect(hand.attempts()).toBe(7);
  });

  it('names an answer that is neither an event stream nor JSON (a proxy\'s page) as such, not as a stream cut off', async () => {
    hand = await handServer((attempt, _req, res) => {
      res.writeHead(200, attempt === 1 ? { 'content-type': 'text/html; charset=utf-8' } : {});
      res.end('<html><body>Sign in to continue</body></html>');
    });
    const x = handClient();
    const html = await rejection(collect(x.invokeStream(ask('q'))));
    expect(html).toMatchObject({ code: 'unexpected.answer', status: 200 });
    expect(html.message).toMatch(/^POST \/api\/v2\/llmgateway\/invocations answered text\/html; charset=utf-8, neither an event stream nor JSON: promptctl cannot rely on an answer of that shape/);
    expect(html.message).not.toMatch(/cut/);
    expect((await rejection(collect(x.invokeStream(ask('q'))))).message).toMatch(/answered a body without a content type, neither an event stream nor JSON/);
    expect(hand.attempts()).toBe(2);
  });

  it('sends the body with stream: true and Accept: text/event-stream; invoke sends neither', async () => {
    const seen: Array<{ accept: string | undefined; body: string }> = [];
    hand = await handServer((_attempt, req, res, body) => {
      seen.push({ accept: req.headers.accept, body });
      if (req.headers.accept?.includes('text/event-stream')) {
        res.writeHead(200, SSE_HEAD);
        res.end(DONE);
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ...JSON.parse(DONE.split('data: ')[1]!), output: { text: '' } }));
      }
    });
    const x = handClient();
    await collect(x.invokeStream(ask('q', { stream: false })));
    await x.invoke(ask('q', { stream: true }));
    expect(seen[0]!.accept).toBe('text/event-stream');
    expect(JSON.parse(seen[0]!.body)).toEqual({ template: 'chat-bot', variables: { question: 'q' }, stream: true });
    expect(seen[1]!.accept).toBe('application/json');
    expect(JSON.parse(seen[1]!.body)).toEqual({ template: 'chat-bot', variables: { question: 'q' } });
  });
});

describe('invoke with an AbortSignal (promptctl test and run on an interrupt)', () => {
  /** The error a call rejects with (failing if it resolves). */
  const caught = (p: Promise<unknown>): Promise<Error> =>
    p.then(
      () => {
        throw new Error('the call resolved');
      },
      (e: unknown) => e as Error,
    );

  it('cuts off a call the server is still answering: rejects with the signal\'s reason, once, and the server sees the connection go', async () => {
    let arrived!: () => void;
    const inFlight = new Promise<void>((r) => (arrived = r));
    let gone!: () => void;
    const closed = new Promise<void>((r) => (gone = r));
    hand = await handServer((_attempt, _req, res) => {
      res.on('close', () => gone());
      arrived(); // ... and never answered
    });
    const ac = new AbortController();
    const call = handClient().invoke(ask('q'), { signal: ac.signal });
    const settled = caught(call);
    await inFlight;
    ac.abort();
    const err = await settled;
    expect(err.name).toBe('AbortError');
    await closed;
    expect(hand.attempts()).toBe(1);
  });

  // The server asks for 20 s: the call must end long before that.
  it('ends a retry\'s wait at once, and sends nothing when already aborted', { timeout: 5_000 }, async () => {
    hand = await handServer((attempt, _req, res) => {
      if (attempt === 1) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '20' });
        res.end(JSON.stringify({ message: 'slow down', code: 'too.many.requests', status: 429 }));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(DONE.split('data: ')[1]!.trim());
      }
    });
    const ac = new AbortController();
    const client = createGatewayClient({
      landed: gatewayWriteChecks,
      apiUrl: hand.url,
      loginUrl: hand.url,
      clientId: 'hand',
      clientSecret: 'hand-secret',
      targetLabel: 'hand server',
      // The interrupt comes while the client waits out Retry-After.
      onRetry: () => ac.abort(),
    });
    handClients.push(client);
    const err = await caught(client.invoke(ask('q'), { signal: ac.signal }));
    expect(err.name).toBe('AbortError');
    expect(hand.attempts()).toBe(1);
    const again = await caught(client.invoke(ask('q'), { signal: ac.signal }));
    expect(again.name).toBe('AbortError');
    expect(hand.attempts()).toBe(1);
  });
});
