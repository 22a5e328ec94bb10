// Which Accept headers make an invocation answer as Server-Sent Events: text/event-stream named
// with a q-value above 0 (RFC 9110 §12.5.1), not one the client ranks 0, which says it is not
// acceptable, nor a wildcard, which JSON, the default answer, already satisfies.
import { describe, expect, it } from 'vitest';
import { paths } from '../../src/targets/llmgateway/paths.js';
import { emulatorForFile } from './emulator-fixture.js';

const api = emulatorForFile({ rateLimit: 10_000 });

async function publish(name: string): Promise<void> {
  const id = await api.template(name);
  const v = await api.post(paths.versions(id), { version: '1.0.0', systemInstruction: 'You help.', userTemplate: 'Hello' });
  expect(v.status).toBe(201);
  expect((await api.publish(id, '1.0.0')).status).toBe('Succeeded');
}

async function contentTypeFor(accept: string): Promise<string> {
  const res = await fetch(api.url + paths.invocations(), {
    method: 'POST',
    headers: { Authorization: `Bearer ${api.token}`, 'Content-Type': 'application/json', Accept: accept },
    body: JSON.stringify({ template: 'accept-bot', variables: {} }),
  });
  expect(res.status).toBe(200);
  await res.text();
  return res.headers.get('content-type') ?? '';
}

describe('an invocation’s Accept header', () => {
  it('streams when text/event-stream is acceptable, answers JSON when it is ranked 0 or not named', async () => {
    await publish('accept-bot');
    for (const accept of ['text/event-stream', 'TEXT/Event-Stream', 'application/json;q=0.5, text/event-stream', 'text/event-stream;q=0.1']) {
      expect(await contentTypeFor(accept), accept).toMatch(/^text\/event-stream/);
    }
    for (const accept of ['application/json, text/event-stream;q=0', 'text/event-stream; q=0.0', 'application/json', '*/*', 'text/*']) {
      expect(await contentTypeFor(accept), accept).toMatch(/^application\/json/);
    }
  });
});
