// A plan reads the templates in promptctl's digest view (wire.ts DIGEST_VIEW): a version whose
// content hash is that of git's content takes git's content, so a no-change plan reads no prompt
// text over the wire; a template with a version of other content (a Draft edited by hand) is read
// again whole, that template alone, and the plan shows the live content it read. What the plan
// compares of such a template (its split, its own fields, its versions) is one read of it, not the
// listing's split beside a later read's versions. A server that does not know the view (it
// ignores `view=digest`) answers whole objects, as before the view, whose versions may carry no
// contentHash (LiveVersion leaves it optional); one may refuse the parameter (400): a plan
// against either still works.
import { afterEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { interposingProxy, rewritingProxy, type RewritingProxy } from '../helpers/forward.js';
import { scenario, type Scenario } from '../helpers/scenario.js';

let s: Scenario | undefined;
let proxy: RewritingProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await s?.close();
  s = proxy = undefined;
});

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
}

/** A proxy in front of the scenario's emulator that keeps every JSON answer as it went by. */
async function watched(sc: Scenario): Promise<{ seen: Seen[]; env: Record<string, string> }> {
  const seen: Seen[] = [];
  proxy = await rewritingProxy(new URL(sc.emu.url), (path, body, query, method) => seen.push({ method, path, query, body: JSON.stringify(body) }));
  return { seen, env: { ...sc.emu.env, GENESYSCLOUD_API_URL: proxy.url } };
}

describe('plan reads the templates in the digest view', () => {
  it('reads no prompt text when every version holds what git holds', async () => {
    s = await scenario();
    const applied = await s.cli(['apply', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    const texts = (await Promise.all((await s.emu.api.listTemplates()).map((t) => s!.emu.api.listVersions(t.id)))).flat().flatMap((v) => [v.systemInstruction, v.userTemplate]);
    expect(texts.length).toBeGreaterThanOrEqual(4);

    const { seen, env } = await watched(s);
    const plan = await s.cli(['plan'], env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes');

    const listings = seen.filter((r) => r.path.endsWith('/prompttemplates'));
    expect(listings.length).toBeGreaterThan(0);
    for (const r of listings) expect(r.query.get('view')).toBe('digest');
    expect(seen.filter((r) => r.path.includes('/versions'))).toEqual([]);
    // JSON escapes a text's line breaks and quotes: look for each as it would be written.
    for (const r of seen) for (const t of texts) expect(r.body.includes(JSON.stringify(t).slice(1, -1)), `${r.path} carries "${t.slice(0, 30)}"`).toBe(false);
  });

  it('reads again whole a template whose live version differs from git, that one alone, and shows the live content', async () => {
    s = await scenario();
    const applied = await s.cli(['apply', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    const templates = await s.emu.api.listTemplates();
    const triage = templates.find((t) => t.name === 'support-triage')!;
    const live = (await s.emu.api.listVersions(triage.id))[0]!;
    // Git asks for 3.0.0; someone made a 3.0.0 Draft by hand, of other content.
    await s.emu.api.createVersion(triage.id, { version: '3.0.0', systemInstruction: live.systemInstruction, userTemplate: 'Made by hand: {{ticket}}', variables: live.variables ?? [], safetyGuardrails: { outputModeration: false } });
    await s.edit(
      'prompts/support/support-triage.yaml',
      '---\napiVersion: promptctl/v1\nkind: TrafficSplit',
      '---\napiVersion: promptctl/v1\nkind: PromptVersion\nspec:\n  template: support-triage\n  version: 3.0.0\n  systemInstruction:\n    file: texts/triage-system.md\n  userTemplate: "In git: {{ticket}}"\n  variables:\n    - name: ticket\n      type: string\n      maxTokens: 1500\n  safetyGuardrails:\n    outputModeration: false\n---\napiVersion: promptctl/v1\nkind: TrafficSplit',
    );

    const { seen, env } = await watched(s);
    const planned = await s.cli(['plan', '--format', 'json'], env);
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(planned.stdout) as Plan;
    const action = plan.actions.find((a) => a.address.endsWith('support-triage@3.0.0'))!;
    expect(action.action).toBe('update');
    expect(action.changes.map((c) => c.path)).toEqual(['userTemplate', 'state']);
    // The live side the plan shows is what the server holds, read whole.
    expect(JSON.stringify(action)).toContain('Made by hand: {{ticket}}');
    expect(plan.actions.filter((a) => a.action !== 'noop').map((a) => a.address)).toEqual([action.address]);

    // That template alone read again whole: its versions with its split, in one read.
    const reads = seen.filter((r) => r.path.startsWith('/api/v2/llmgateway/prompttemplates/'));
    expect(reads.map((r) => `${r.method} ${r.path} ${r.query.get('expand')}`)).toEqual([`GET /api/v2/llmgateway/prompttemplates/${triage.id} versions,traffic`]);
  });
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

describe('templates git holds no version of and that are not promptctl\'s', () => {
  it('are planned from the digest listing: the org is not listed whole again for templates made by hand', async () => {
    s = await scenario();
    expect((await s.cli(['apply', '--auto-approve'])).code).toBe(0);
    for (const name of ['hand-a', 'hand-b', 'hand-c']) {
      const t = await s.emu.api.createTemplate({ name, model: 'gpt-4o-mini' });
      await s.emu.api.createVersion(t.id, { version: '1.0.0', systemInstruction: 'By hand.', userTemplate: 'Hi' });
    }
    const { seen, env } = await watched(s);
    const plan = await s.cli(['plan'], env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes');
    const reads = seen.filter((r) => r.path.startsWith('/api/v2/llmgateway/prompttemplates'));
    expect(reads.map((r) => `${r.path} ${r.query.get('view')}`)).toEqual(['/api/v2/llmgateway/prompttemplates digest']);
  });
});
