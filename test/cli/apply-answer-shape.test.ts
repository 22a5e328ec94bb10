// Publish confirmations read a listing page of templates (one page confirms many publications):
// only the templates a round waits on are checked for their shape there. Another team's template
// of another shape on the same page never fails publications it holds no part in (it made every
// confirmation on the page fail, and their audit outcomes unknown, when the page was checked whole).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rewritingProxy, type RewritingProxy } from '../helpers/forward.js';
import { scenario, type Scenario } from '../helpers/scenario.js';
import { RETURNS_GUIDE } from '../helpers/documents.js';

let s: Scenario;
let proxy: RewritingProxy | undefined;
beforeEach(async () => {
  s = await scenario();
});
afterEach(async () => {
  await proxy?.close();
  await s.close();
});

describe('apply: publish confirmations beside a template of another shape', () => {
  it("another team's malformed template on the confirmation page leaves the publications confirmed", async () => {
    const other = await s.emu.api.createTemplate({ name: 'zz-other-team', model: 'gpt-4o' });
    await s.emu.api.createVersion(other.id, { version: '1.0.0', systemInstruction: 'x', userTemplate: 'y' });
    let confirmations = 0;
    proxy = await rewritingProxy(new URL(s.emu.url), (path, body, query) => {
      // The confirmation pages (expand=versions alone; the plan's read also expands traffic).
      if (!path.endsWith('/prompttemplates') || query.get('expand') !== 'versions') return;
      confirmations += 1;
      for (const t of (body as { entities: Array<{ name: string; versions: Array<Record<string, unknown>> }> }).entities) {
        if (t.name === 'zz-other-team') for (const v of t.versions) v.userTemplate = null;
      }
    });
    const r = await s.cli(['apply', '--auto-approve'], { GENESYSCLOUD_API_URL: proxy.url, GENESYSCLOUD_LOGIN_URL: proxy.url });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(confirmations).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/Apply complete/);
    expect(r.stdout + r.stderr).not.toMatch(/unexpected\.answer|failed/);
  });
});

type Body = Record<string, unknown>;

describe('apply: write answers that leave a field out', () => {
  async function applyThrough(rewrite: (path: string, body: Body, method: string) => void) {
    proxy = await rewritingProxy(new URL(s.emu.url), (path, body, _q, method) => rewrite(path, body as Body, method));
    return s.cli(['apply', '--auto-approve'], { GENESYSCLOUD_API_URL: proxy.url, GENESYSCLOUD_LOGIN_URL: proxy.url });
  }
  const filterAnswers = (path: string, method: string) => /\/safetyfilters(\/[^/]+)?$/.test(path) && (method === 'POST' || method === 'PUT');

  it('a filter created disabled whose answer leaves enabled out is read back, and holds it', async () => {
    const r = await applyThrough((path, body, method) => filterAnswers(path, method) && body.enabled === false && delete body.enabled);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/SafetyFilter\/political-flagger created/);
    expect((await s.emu.api.listFilters()).find((f) => f.name === 'political-flagger')?.enabled).toBe(false);
  });

  it('one whose every answer leaves enabled: false out (read as enabled) is a write not held, not a success', async () => {
    const r = await applyThrough((path, body) => {
      for (const f of /\/safetyfilters(\/[^/]+)?$/.test(path) ? ((body.entities as Body[] | undefined) ?? [body]) : []) if (f.enabled === false) delete f.enabled;
    });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/political-flagger[\s\S]*does not hold what was sent/);
  });

  it('a guide version whose write answer leaves its instruction out is read back: created, not "not held"', async () => {
    await mkdir(join(s.dir.path, 'prompts', 'aistudio'), { recursive: true });
    await writeFile(join(s.dir.path, 'prompts', 'aistudio', 'guide.yaml'), RETURNS_GUIDE);
    const r = await applyThrough((path, body, method) => /\/guides\/[^/]+\/versions(\/[^/]+)?$/.test(path) && method !== 'GET' && delete body.instruction);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(/not hold/);
  });
});
