// A call answered 500 is not retried: DESIGN §5 retries a 429, a 502/503/504 and a dropped
// connection (the official Genesys Java SDK retries 429, 502, 503, 504), and a 500 is the server's own
// failure, which a resend meets again for the call's whole budget (10 retries, about 26 s). A write
// so answered may still have landed: it is read for (reconcile) before it fails, never resent. A
// 500 was retried like a 503, a read and a PUT or DELETE blindly, a create after reading for it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { forwardTo, interceptor, type Interceptor } from '../helpers/forward.js';
import { paths } from '../../src/targets/llmgateway/paths.js';
import { rejection, setup, type Env } from './client-support.js';

let env: Env | undefined;
let server: Interceptor | undefined;
afterEach(async () => {
  await server?.close();
  await env?.close();
  server = env = undefined;
});

/** Every request to the emulator as "METHOD /path"; the first one `fails` picks is answered 500, before (`'instead'`) or after (`'after'`) the emulator did it. */
async function failingOnce(fails: (method: string, path: string) => boolean, when: 'instead' | 'after'): Promise<{ url: string; seen: string[] }> {
  env = await setup({ rateLimit: 1_000_000 });
  const upstream = new URL(env.emulator.url);
  const seen: string[] = [];
  let failed = false;
  const fail = (res: ServerResponse): void => {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: 'the handler failed', code: 'internal.server.error', status: 500 }));
  };
  server = await interceptor(upstream, (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    seen.push(`${req.method} ${path}`);
    if (failed || !fails(req.method ?? '', path)) return false;
    failed = true;
    if (when === 'instead') {
      req.resume();
      fail(res);
      return true;
    }
    // Done by the emulator, its answer replaced by a 500.
    const done = new Proxy(res, {
      get: (target, key) => (key === 'writeHead' ? () => target : key === 'end' ? () => fail(target) : key === 'write' ? () => true : Reflect.get(target, key, target)),
    });
    forwardTo(upstream, req, done as ServerResponse);
    return true;
  });
  return { url: server.url, seen };
}

const sent = (seen: string[], call: string): number => seen.filter((s) => s === call).length;

describe('a call answered 500', () => {
  it('a read fails at once, saying it is not retried', async () => {
    const { url, seen } = await failingOnce((m, p) => m === 'GET' && p === paths.templates(), 'instead');
    const c = env!.client({ apiUrl: url, loginUrl: url });
    const err = await rejection(c.listTemplates());
    expect(err).toMatchObject({ status: 500, code: 'internal.server.error' });
    expect(err.message).toMatch(/; a 500 is not retried$/);
    expect(err.outcomeUnknown).toBeUndefined();
    expect(sent(seen, `GET ${paths.templates()}`)).toBe(1);
  });

  it('a create that did not land is read for, not resent, and fails saying so', async () => {
    const { url, seen } = await failingOnce((m, p) => m === 'POST' && p === paths.templates(), 'instead');
    const c = env!.client({ apiUrl: url, loginUrl: url });
    const err = await rejection(c.createTemplate({ name: 'faq-bot', model: 'gpt-4o' }));
    expect(err).toMatchObject({ status: 500, method: 'POST' });
    // Read and not found: it did not land, so nothing is said of a maybe.
    expect(err.message).toMatch(/the handler failed \(correlation id [\w-]+\); a 500 is not retried$/);
    expect(err.outcomeUnknown).toBeUndefined();
    expect(sent(seen, `POST ${paths.templates()}`)).toBe(1);
    expect(sent(seen, `GET ${paths.templates()}`)).toBe(1);
    expect(await env!.client().listTemplates()).toEqual([]);
  });

  it('a create that landed is found by reading, and is the answer: sent once', async () => {
    const { url, seen } = await failingOnce((m, p) => m === 'POST' && p === paths.templates(), 'after');
    const c = env!.client({ apiUrl: url, loginUrl: url });
    const t = await c.createTemplate({ name: 'faq-bot', model: 'gpt-4o' });
    expect(t).toMatchObject({ name: 'faq-bot', model: 'gpt-4o' });
    expect(sent(seen, `POST ${paths.templates()}`)).toBe(1);
    expect((await env!.client().listTemplates()).map((x) => x.id)).toEqual([t.id]);
  });

  it('an update that did not land is read for, not resent', async () => {
    const { url, seen } = await failingOnce((m) => m === 'PUT', 'instead');
    const t = await env!.client().createTemplate({ name: 'faq-bot', model: 'gpt-4o' });
    const c = env!.client({ apiUrl: url, loginUrl: url });
    const err = await rejection(c.updateTemplate(t.id, { name: 'faq-bot', model: 'gpt-4o-mini', version: t.version }));
    expect(err).toMatchObject({ status: 500, method: 'PUT' });
    expect(err.message).toMatch(/; a 500 is not retried$/);
    expect(sent(seen, `PUT ${paths.template(t.id)}`)).toBe(1);
    expect((await env!.client().listTemplates())[0]).toMatchObject({ model: 'gpt-4o', version: t.version });
  });
});
