// A live answer of another shape than promptctl reads (a field missing, null or of another type:
// another API version, a proxy rewriting bodies) is refused at the read, naming the call, the
// object and the field (exit 1, no stack, nothing planned or changed), instead of failing deep in
// the planner as "internal: f3.categories is not iterable". A field the SDK makes optional and
// whose absence has a meaning (a guide version without an instruction) is read as that meaning.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rewritingProxy, type RewritingProxy } from '../helpers/forward.js';
import { scenario, type Scenario } from '../helpers/scenario.js';
import { RETURNS_GUIDE } from '../helpers/documents.js';


const SETTING = `apiVersion: promptctl/v1
kind: SummarySetting
metadata:
  name: Voice wrap-up
spec:
  language: en-US
  summaryType: Concise
  format: BulletPoints
  predefinedInsights: [ReasonForCall]
`;

type Entity = Record<string, unknown>;
const entities = (body: unknown): Entity[] => ((body as { entities?: Entity[] }).entities ?? []);

let s: Scenario;
let proxy: RewritingProxy | undefined;
beforeEach(async () => {
  s = await scenario();
  await mkdir(join(s.dir.path, 'prompts', 'aistudio'), { recursive: true });
  await writeFile(join(s.dir.path, 'prompts', 'aistudio', 'guide.yaml'), RETURNS_GUIDE);
  await writeFile(join(s.dir.path, 'prompts', 'aistudio', 'setting.yaml'), SETTING);
  const r = await s.cli(['apply', '--auto-approve']);
  expect(r.code, r.stderr).toBe(0);
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await s.close();
});

async function planThrough(rewrite: (path: string, body: unknown) => void) {
  proxy = await rewritingProxy(new URL(s.emu.url), rewrite);
  const r = await s.cli(['plan'], { GENESYSCLOUD_API_URL: proxy.url, GENESYSCLOUD_LOGIN_URL: proxy.url });
  await proxy.close();
  proxy = undefined;
  return r;
}

describe('plan: a live answer of another shape', () => {
  const cases: Array<[string, (path: string, body: unknown) => void, RegExp]> = [
    [
      'a filter without categories',
      (path, body) => path.endsWith('/safetyfilters') && entities(body).forEach((f) => delete f.categories),
      /GET \/api\/v2\/llmgateway\/safetyfilters answered safety filter "[^"]+" without categories: promptctl cannot rely on an answer of that shape/,
    ],
    [
      "a version's variable that is null",
      (path, body) => path.endsWith('/prompttemplates') && entities(body).forEach((t) => ((t.versions as Entity[])[0]!.variables = [null])),
      /prompttemplates answered prompt template "[^"]+" whose versions\[0\]\.variables\[0\] is null, not an object/,
    ],
    [
      "a split's routes that are not a list",
      (path, body) => path.endsWith('/prompttemplates') && entities(body).forEach((t) => t.traffic && ((t.traffic as Entity).routes = 'all')),
      /prompt template "[^"]+" whose traffic\.routes is a string, not a list/,
    ],
    [
      "a template's version that is not an integer",
      (path, body) => path.endsWith('/prompttemplates') && entities(body).forEach((t) => (t.version = '3')),
      /prompt template "[^"]+" whose version is a string, not an integer/,
    ],
    [
      'a filter without its id (named by its name, not counted as an entity of a listing)',
      (path, body) => path.endsWith('/safetyfilters') && entities(body).forEach((f) => delete f.id),
      /safetyfilters answered safety filter "[^"]+" without id: promptctl cannot rely on an answer of that shape/,
    ],
    [
      "a filter whose dateModified is not a text (drift prints it)",
      (path, body) => path.endsWith('/safetyfilters') && entities(body).forEach((f) => (f.dateModified = 7)),
      /safety filter "[^"]+" whose dateModified is the integer 7, not a string/,
    ],
    [
      'a summary setting without its language',
      (path, body) => path.endsWith('/summaries/settings') && entities(body).forEach((x) => delete x.language),
      /GET \/api\/v2\/conversations\/summaries\/settings answered summary setting "Voice wrap-up" without language/,
    ],
    [
      'a guide without a name (named by its id)',
      (path, body) => path.endsWith('/guides') && entities(body).forEach((g) => delete g.name),
      /GET \/api\/v2\/guides answered guide "[0-9a-f-]{36}" without name/,
    ],
  ];
  for (const [name, rewrite, message] of cases) {
    it(`${name} is refused at the read, naming the call and the field`, async () => {
      const r = await planThrough(rewrite);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/unexpected\.answer, correlation id /);
      expect(r.stderr).not.toMatch(/internal/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).not.toMatch(/Plan:/);
    });
  }

  it('a guide version without an instruction (optional in the SDK) is read as an empty one: an update, not an error', async () => {
    const r = await planThrough((path, body) => {
      if (/\/guides\/[^/]+\/versions\/[^/]+$/.test(path)) delete (body as Entity).instruction;
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Guide\/Returns assistant/);
    expect(r.stdout).toMatch(/Plan: 0 to create, 1 to update, 0 to delete/);
  });

  it('a filter listed without enabled is read as enabled (the contract default) by every part of the plan: a priority swap is still staged', async () => {
    await s.edit('prompts/safety-filters.yaml', /priority: 10/, 'priority: 99');
    await s.edit('prompts/safety-filters.yaml', /priority: 20/, 'priority: 10');
    await s.edit('prompts/safety-filters.yaml', /priority: 99/, 'priority: 20');
    const asListed = await planThrough(() => undefined);
    expect(asListed.code, asListed.stderr).toBe(0);
    expect(asListed.stdout).toMatch(/staged at priority/);
    const withoutEnabled = await planThrough((path, body) => path.endsWith('/safetyfilters') && entities(body).forEach((f) => f.enabled === true && delete f.enabled));
    expect(withoutEnabled.code, withoutEnabled.stderr).toBe(0);
    const unported = (text: string) => text.replaceAll(/http:\/\/127\.0\.0\.1:\d+/g, 'URL');
    expect(unported(withoutEnabled.stdout)).toBe(unported(asListed.stdout));
  });

  it('the answers as the emulator gives them plan with no changes', async () => {
    const r = await planThrough(() => undefined);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/No changes/);
  });
});
