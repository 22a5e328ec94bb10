// The analytics answer status reads, checked at the read: the platform leaves out an empty list
// (`{}` for an interval without calls, as it leaves out an empty listing's `entities`), which is
// no calls, not "internal: result.results is not iterable" (exit 1); an answer of another shape (a
// field missing or of another type: another API version, a proxy rewriting bodies) is refused
// naming the call and the field (exit 1, no stack), not an internal error.
import { afterEach, describe, expect, it } from 'vitest';
import { interposingProxy, type RewritingProxy } from '../helpers/forward.js';
import { evalsProject, type EvalsProject } from './evals-support.js';

let p: EvalsProject | undefined;
let proxy: RewritingProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await p?.close();
  p = undefined;
});

/** status through a proxy that answers every analytics query with `body`. */
async function statusAnswered(body: unknown, args: string[]) {
  p = await evalsProject();
  await p.emu.api.invoke({ template: 'faq-bot', version: '1.0.0', variables: { question: 'Where is my parcel?' } });
  proxy = await interposingProxy(new URL(p.emu.url), {
    before: (method, url) => (method === 'POST' && url.pathname.includes('/analytics/') ? { answer: { status: 200, body } } : undefined),
  });
  return p.cli(['status', ...args], { env: { GENESYSCLOUD_API_URL: proxy.url } });
}

describe('status and the shape of the analytics answer', () => {
  it('an answer without results (the platform leaves an empty list out) is no calls', async () => {
    const r = await statusAnswered({}, ['faq-bot', '--format', 'json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const t = JSON.parse(r.stdout).templates[0];
    expect(t).toMatchObject({ template: 'faq-bot', invocations: 0 });
    expect(t.versions.map((v: { version: string; invocations: number }) => [v.version, v.invocations])).toEqual([
      ['1.0.0', 0],
      ['1.1.0', 0],
    ]);
  });

  it('an answer of another shape is refused naming the call and the field, exit 1, no stack', async () => {
    const r = await statusAnswered({ results: [{ group: { templateId: 'x', version: '1.0.0' }, data: [{ interval: 'i', metrics: [{ metric: 'nInvocations', stats: { count: '3', sum: 3 } }] }] }] }, ['faq-bot']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: POST \/api\/v2\/analytics\/llmgateway\/aggregates\/query answered analytics whose results\[0\]\.data\[0\]\.metrics\[0\]\.stats\.count is a string, not a number: promptctl cannot rely on an answer of that shape/m);
    expect(r.stderr).not.toMatch(/internal|\n\s+at /);
    await proxy!.close();
    proxy = await interposingProxy(new URL(p!.emu.url), {
      before: (method, url) => (method === 'POST' && url.pathname.includes('/analytics/') ? { answer: { status: 200, body: { results: [{ group: { templateId: 'x' } }] } } } : undefined),
    });
    const missing = await p!.cli(['status', 'faq-bot'], { env: { GENESYSCLOUD_API_URL: proxy.url } });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/answered analytics without results\[0\]\.data: promptctl cannot rely/);
    expect(missing.stderr).not.toMatch(/internal/);
  });
});
