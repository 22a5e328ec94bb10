// The gateway client's reads of single versions and of the publish-confirmation pages check the
// answer's shape too (targets/answer-shapes.ts), over HTTP through a proxy that rewrites them: a
// version of another shape is an ApiError naming the call and the field, not a value the caller
// then fails on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rewritingProxy, type RewritingProxy } from '../helpers/forward.js';
import { quickClient, rejection, setup, versionBody, type Env } from './client-support.js';

let env: Env;
let proxy: RewritingProxy;
beforeEach(async () => {
  env = await setup();
  proxy = await rewritingProxy(new URL(env.emulator.url), (path, body) => {
    const b = body as Record<string, unknown> & { entities?: Array<Record<string, unknown>> };
    // Every version read whole, or listed, loses its state and gets a number for a userTemplate.
    for (const v of /\/versions(\/[^/]+)?$/.test(path) ? (b.entities ?? [b]) : []) {
      delete v.state;
      v.userTemplate = 42;
    }
  });
});
afterEach(async () => {
  await proxy.close();
  await env.close();
});

describe('gateway client: versions of another shape', () => {
  it('getVersion and listVersions refuse it, naming the field', async () => {
    const direct = env.client();
    const t = await direct.createTemplate({ name: 'shape-check', model: 'gpt-4o' });
    await direct.createVersion(t.id, versionBody('1.0.0'));
    const client = quickClient(proxy.url);
    env.clients.push(client);
    const one = await rejection(client.getVersion(t.id, '1.0.0'));
    expect(one.code).toBe('unexpected.answer');
    expect(one.message).toBe(`GET /api/v2/llmgateway/prompttemplates/${t.id}/versions/1.0.0 answered prompt version "1.0.0" without state: promptctl cannot rely on an answer of that shape`);
    const all = await rejection(client.listVersions(t.id));
    expect(all.message).toMatch(/versions answered prompt version "1\.0\.0" without state/);
    // The template itself, with its versions expanded, is read as it is: the proxy leaves it alone.
    expect((await client.getTemplate(t.id, { expand: ['versions'] })).versions?.[0]?.state).toBe('Draft');
  });
});
