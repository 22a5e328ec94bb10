// A plan reads the templates in promptctl's digest view (wire.ts DIGEST_VIEW): a version whose
// content hash is that of git's content takes git's content, so a no-change plan reads no prompt
// text over the wire; a template with a version of other content (a Draft edited by hand) is read
// again whole, that template alone, and the plan shows the live content it read.
import { afterEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { rewritingProxy, type RewritingProxy } from '../helpers/forward.js';
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
