// A template whose versions are read whole after the digest listing: what the plan compares of it
// (its split, its own fields, its versions) is one read of it, not the listing's split beside a
// later read's versions. Here the org changes between the two: a version published and routed.
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

/** Forwards to the emulator; before the first read of one template's versions (or the template), runs `meanwhile`. */
async function changingProxy(upstream: URL, meanwhile: () => Promise<void>): Promise<string> {
  let ran = false;
  proxy = await interposingProxy(upstream, {
    async before(method, url) {
      if (!ran && method === 'GET' && /\/prompttemplates\/[^/]+(\/versions)?$/.test(url.pathname)) {
        ran = true;
        await meanwhile();
      }
      return undefined;
    },
  });
  return proxy.url;
}

describe('a template changed between the digest listing and its read again', () => {
  it('drift reports the split routed by hand to a version published meanwhile', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    const api = s.emu.api;
    const triage = (await api.listTemplates()).find((t) => t.name === 'support-triage')!;
    const live = (await api.listVersions(triage.id))[0]!;
    const body = { systemInstruction: live.systemInstruction, userTemplate: 'By hand: {{ticket}}', variables: live.variables ?? [] };
    // A Draft by hand: the template's versions are read whole.
    await api.createVersion(triage.id, { version: '2.5.0', ...body });
    const url = await changingProxy(new URL(s.emu.url), async () => {
      await api.createVersion(triage.id, { version: '3.0.0', ...body });
      await api.publishVersion(triage.id, '3.0.0');
      const split = (await api.getTraffic(triage.id))!;
      await api.putTraffic(triage.id, { strategy: split.strategy, stickyKey: split.stickyKey!, routes: [{ version: '3.0.0', weight: 100 }], version: split.version });
    });
    const drift = await s.cli(['drift', '--format', 'json'], { ...s.emu.env, GENESYSCLOUD_API_URL: url });
    expect(drift.code, drift.stderr).toBe(2);
    const plan = JSON.parse(drift.stdout) as { actions: Array<{ address: string; action: string }>; pending?: unknown };
    const action = (address: string) => plan.actions.find((a) => a.address === address)?.action;
    // What the org holds now: the split routes to 3.0.0, not git's 2.0.0.
    expect(action('TrafficSplit/support-triage')).toBe('update');
  });
});
