// A server that does not know promptctl's digest view (it ignores `view=digest`) answers whole
// objects, as it did before the view; its versions may carry no contentHash (LiveVersion leaves it
// optional), and a plan against it must still work; so must one against a server that refuses the
// parameter it does not know (400).
import { afterEach, describe, expect, it } from 'vitest';
import { interposingProxy, type RewritingProxy } from '../helpers/forward.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
let proxy: RewritingProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await s?.close();
  s = proxy = undefined;
});

/**
 * A server that does not know `view`: it drops it, or (`refuseView`) answers it 400 as an unknown
 * parameter; and whose versions may carry no contentHash.
 */
async function oldServer(upstream: URL, opts: { dropHash: boolean; refuseView?: boolean }): Promise<string> {
  proxy = await interposingProxy(upstream, {
    before(_method, url) {
      if (!url.searchParams.has('view')) return undefined;
      if (opts.refuseView) return { answer: { status: 400, body: { message: 'unknown query parameter view', code: 'bad.request', status: 400 } } };
      url.searchParams.delete('view');
      return { path: url.pathname + url.search };
    },
    ...(opts.dropHash ? { rewrite: (text: string) => text.replace(/,?"contentHash":"[0-9a-f]{64}"/g, '') } : {}),
  });
  return proxy.url;
}

describe('a server that ignores view=digest', () => {
  it('plans no changes when it answers whole objects', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const url = await oldServer(new URL(s.emu.url), { dropHash: false });
    const plan = await s.cli(['plan'], { ...s.emu.env, GENESYSCLOUD_API_URL: url });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes');
  });

  it('plans no changes when its whole versions carry no contentHash (as LiveVersion allows, and as before the digest view)', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const url = await oldServer(new URL(s.emu.url), { dropHash: true });
    const plan = await s.cli(['plan'], { ...s.emu.env, GENESYSCLOUD_API_URL: url });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes');
  });

  it('lists the templates whole when it refuses the view as an unknown parameter (400)', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const url = await oldServer(new URL(s.emu.url), { dropHash: false, refuseView: true });
    const plan = await s.cli(['plan'], { ...s.emu.env, GENESYSCLOUD_API_URL: url });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes');
  });
});
