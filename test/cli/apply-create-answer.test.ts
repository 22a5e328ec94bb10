// A create answered 2xx with what is no object of its kind (`{}`, `null`, an empty or blank body,
// an id that is no string) is no success: the org is read by name to settle it, as a safety
// filter's or a version's answer is. A template, a summary setting and a guide whose create the
// proxy answers itself, the target never seeing it, fail naming the call and the answer, their
// audit outcome a failure (never `success` with a null resourceId, as they were, the template's
// versions then failing with "does not exist on the target"); one that the target did make, its
// answer replaced, is created with the id read back; one whose read back fails is of unknown outcome.
// A template's update answered `{}` is read back the same way.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyThrough, closeAfterEach, scriptedProxy, type ProxyAnswer, type Seen } from '../helpers/interrupt.js';
import { scenario, type Scenario } from '../helpers/scenario.js';
import { RETURNS_GUIDE, promptSummarySetting } from '../helpers/documents.js';
import { CLIENT_ID, CLIENT_SECRET } from '../helpers/emulator.js';

const closing = closeAfterEach();

const SETTING = promptSummarySetting('Wrap-up');

interface Case {
  kind: string;
  /** The object's address, and its name in messages. */
  address: string;
  named: string;
  path: string;
  /** What the emulator answers a create with. */
  status: number;
  /** Adds the object to the basic fixture's prompts. */
  add(s: Scenario): Promise<void>;
  /** The live object's id, read from the emulator. */
  liveId(s: Scenario): Promise<string | undefined>;
}

const CASES: Case[] = [
  {
    kind: 'prompt template',
    address: 'PromptTemplate/billing-assistant',
    named: 'prompt template billing-assistant',
    path: '/api/v2/llmgateway/prompttemplates',
    status: 201,
    add: async () => undefined,
    liveId: (s) => liveIdNamed(s, '/api/v2/llmgateway/prompttemplates', 'billing-assistant'),
  },
  {
    kind: 'summary setting',
    address: 'SummarySetting/Wrap-up',
    named: 'summary setting Wrap-up',
    path: '/api/v2/conversations/summaries/settings',
    status: 200,
    add: (s) => writeFile(join(s.dir.path, 'prompts/setting.yaml'), SETTING),
    liveId: (s) => liveIdNamed(s, '/api/v2/conversations/summaries/settings', 'Wrap-up'),
  },
  {
    kind: 'guide',
    address: 'Guide/Returns assistant',
    named: 'guide Returns assistant',
    path: '/api/v2/guides',
    status: 200,
    add: async (s) => {
      await mkdir(join(s.dir.path, 'prompts/aistudio'), { recursive: true });
      await writeFile(join(s.dir.path, 'prompts/aistudio/guide.yaml'), RETURNS_GUIDE);
    },
    liveId: (s) => liveIdNamed(s, '/api/v2/guides', 'Returns assistant'),
  },
];

/** Each answer, and how its problem is worded ({} by the kind's answer schema). */
const ANSWERS: Array<{ body: string; said: (c: Case) => string }> = [
  { body: '{}', said: (c) => `${c.kind} without id` },
  { body: 'null', said: () => 'null' },
  { body: '', said: () => 'no body' },
];

type AuditRecord = Record<string, any>;

/** The id of the object `name` in the emulator's listing at `path`, read as an operator would (its own token). */
async function liveIdNamed(s: Scenario, path: string, name: string): Promise<string | undefined> {
  const login = await fetch(`${s.emu.url}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  const token = ((await login.json()) as { access_token: string }).access_token;
  const page = (await (await fetch(`${s.emu.url}${path}?pageSize=100`, { headers: { authorization: `Bearer ${token}` } })).json()) as { entities?: Array<{ id: string; name: string }> };
  return page.entities?.find((e) => e.name === name)?.id;
}

async function auditRecords(s: Scenario): Promise<AuditRecord[]> {
  const text = await readFile(join(s.dir.path, '.promptctl', 'audit.jsonl'), 'utf8');
  return text.trim().split('\n').map((l) => JSON.parse(l) as AuditRecord);
}

/** The basic fixture with `c`'s object, applied through a proxy that answers its create with `answer`. */
async function applyAnswered(c: Case, answer: ProxyAnswer, afterCreate: (r: Seen) => ProxyAnswer = () => 'forward') {
  const s = closing(await scenario());
  await c.add(s);
  let created = false;
  const proxy = closing(
    await scriptedProxy(s.emu.url, (r) => {
      if (r.method === 'POST' && r.path === c.path) return (created = true), answer;
      return created ? afterCreate(r) : 'forward';
    }),
  );
  const r = await applyThrough(s, proxy);
  const out = r.stdout + r.stderr;
  // Never a TypeError of the answer's, nor a success built on it.
  expect(out).not.toMatch(/Cannot read properties|is not a function|id undefined|does not exist on the target|GET \/api\/v2\/guides\/undefined/);
  for (const o of (await auditRecords(s)).filter((x) => x.type === 'outcome')) {
    if (o.outcome === 'success') expect(o.resourceId, JSON.stringify(o)).toEqual(expect.any(String));
  }
  return { s, r, out, proxy };
}

describe.each(CASES)('a $kind create answered 2xx with what is no $kind', (c) => {
  describe.each(ANSWERS)('answered $body', ({ body, said }) => {
    it('not made by the target: fails naming the call and the answer; its audit outcome a failure', async () => {
      const { s, r, out } = await applyAnswered(c, { status: c.status, body });
      expect(r.code, out).toBe(1);
      const message = `POST ${c.path} answered ${c.status} with ${said(c)}, and no ${c.named} can be read back: it was not created`;
      expect(out).toContain(`! ${c.address} failed: ${message}`);
      expect(out).not.toContain(`${c.address} created`);
      expect(await c.liveId(s)).toBeUndefined();
      const outcome = (await auditRecords(s)).filter((x) => x.type === 'outcome' && x.address === c.address).at(-1);
      expect(outcome).toMatchObject({ outcome: 'failure', resourceId: null });
      expect(outcome!.error).toContain(message);
    });

    it('made by the target, its answer replaced: created, with the id read back by name', async () => {
      const { s, r, out } = await applyAnswered(c, { status: c.status, body, forwarded: true });
      expect(r.code, out).toBe(0);
      const id = await c.liveId(s);
      expect(id).toEqual(expect.any(String));
      expect(out).toMatch(new RegExp(`\\+ ${c.address.replace('/', '\\/')} created[^\\n]*\\(id ${id}\\)`));
      const outcome = (await auditRecords(s)).filter((x) => x.type === 'outcome' && x.address === c.address).at(-1);
      // The org's word, not the answer's, says it was made.
      expect(outcome).toMatchObject({ outcome: 'success', resourceId: id, confirmedBy: 'read' });
    });
  });
});

describe('a prompt template create answered with what else is no template', () => {
  const template = CASES[0]!;

  it('an id that is no string: read back, and not created when none is there (no audit failure of its own)', async () => {
    const { r, out } = await applyAnswered(template, { status: 201, body: '{"id":5,"name":"billing-assistant","version":1}' });
    expect(r.code, out).toBe(1);
    expect(out).toContain(`! ${template.address} failed: POST ${template.path} answered 201 with prompt template "billing-assistant" whose id is the integer 5, not a string, and no prompt template billing-assistant can be read back`);
    expect(out).not.toMatch(/writing the audit outcome failed/);
  });

  // A blank body under a JSON content type is a body cut short (genesys/attempt.ts answerBody): the
  // 201 says it landed, so it is not sent again and its outcome is left unknown for the next apply.
  it('a blank body: not sent again, its outcome unknown, never a success', async () => {
    const { r, out } = await applyAnswered(template, { status: 201, body: ' \n' });
    expect(r.code, out).toBe(1);
    expect(out).toContain(`POST ${template.path} failed: 201 http.201: Created (the answer's JSON body could not be read, cut short or not valid JSON`);
    expect(out).toContain('its audit outcome is unknown');
  });

  it('and the read back by name refused: its outcome unknown, left for the next apply to settle', async () => {
    const { s, r, out } = await applyAnswered(template, { status: 201, body: '{}', forwarded: true }, (seen) =>
      seen.method === 'GET' && seen.path === template.path && seen.query.get('name') === 'billing-assistant' ? { status: 400, code: 'bad.request' } : 'forward',
    );
    expect(r.code, out).toBe(1);
    expect(out).toContain(`POST ${template.path} answered 201 with prompt template without id, and reading the prompt template billing-assistant back failed`);
    expect(out).toContain('whether it was written is not known');
    const outcome = (await auditRecords(s)).filter((x) => x.type === 'outcome' && x.address === template.address).at(-1);
    expect(outcome).toMatchObject({ outcome: 'unknown' });
    // The next apply settles it from what the org holds (it landed), and goes on from there.
    const next = await s.cli(['apply', '--auto-approve']);
    expect(next.code, next.stdout + next.stderr).toBe(0);
    expect(next.stdout + next.stderr).toContain(`${template.address} from an earlier run: succeeded (recovered)`);
    const settled = (await auditRecords(s)).filter((x) => x.type === 'outcome' && x.address === template.address).at(-1);
    expect(settled).toMatchObject({ outcome: 'succeeded (recovered)', resourceId: await template.liveId(s) });
  });
});

describe('a prompt template update answered 2xx with `{}`', () => {
  /** The basic fixture applied, then billing-assistant's description changed, applied through a proxy answering its PUT. */
  async function updateAnswered(answer: ProxyAnswer) {
    const s = closing(await scenario());
    const first = await s.cli(['apply', '--auto-approve']);
    expect(first.code, first.stderr).toBe(0);
    await s.edit('prompts/billing/billing-assistant.yaml', 'for signed-in customers', 'for every customer');
    const proxy = closing(await scriptedProxy(s.emu.url, (r) => (r.method === 'PUT' && /\/prompttemplates\/[^/]+$/.test(r.path) ? answer : 'forward')));
    const r = await applyThrough(s, proxy);
    const out = r.stdout + r.stderr;
    expect(out).not.toMatch(/Cannot read properties|is not a function|version undefined/);
    const outcome = (await auditRecords(s)).filter((x) => x.type === 'outcome' && x.address === 'PromptTemplate/billing-assistant').at(-1);
    return { r, out, outcome };
  }

  it('made by the target: read back, updated, with the version it holds', async () => {
    const { r, out, outcome } = await updateAnswered({ status: 200, body: '{}', forwarded: true });
    expect(r.code, out).toBe(0);
    expect(out).toMatch(/~ PromptTemplate\/billing-assistant updated \(version 2\)/);
    expect(outcome).toMatchObject({ outcome: 'success', after: { version: 2 } });
  });

  it('not made by the target: read back, and a failure naming the call, not a success', async () => {
    const { r, out, outcome } = await updateAnswered({ status: 200, body: '{}' });
    expect(r.code, out).toBe(1);
    expect(out).toMatch(/! PromptTemplate\/billing-assistant failed: PUT \/api\/v2\/llmgateway\/prompttemplates\/[^ ]+ succeeded, but the prompt template does not hold what was sent/);
    expect(outcome).toMatchObject({ outcome: 'failure' });
  });
});

describe('a traffic split PUT answered 2xx with `{}`', () => {
  const splitPut = (r: Seen) => r.method === 'PUT' && r.path.endsWith('/traffic') && r.path.includes('/prompttemplates/');

  it('made by the target: read back, with the version it holds', async () => {
    const s = closing(await scenario());
    const proxy = closing(await scriptedProxy(s.emu.url, (r) => (splitPut(r) ? { status: 200, body: '{}', forwarded: true } : 'forward')));
    const r = await applyThrough(s, proxy);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/\+ TrafficSplit\/billing-assistant created \(version 1\)/);
    expect(r.stdout + r.stderr).not.toMatch(/version undefined/);
  });

  it('not made by the target: a failure naming the call and the answer, not a success', async () => {
    const s = closing(await scenario());
    const proxy = closing(await scriptedProxy(s.emu.url, (r) => (splitPut(r) ? { status: 200, body: '{}' } : 'forward')));
    const r = await applyThrough(s, proxy);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/! TrafficSplit\/[a-z-]+ failed: PUT \/api\/v2\/llmgateway\/prompttemplates\/[^/]+\/traffic answered 2xx with A\/B split without [a-zA-Z]+, and no A\/B split of prompt template [^ ]+ can be read back: it was not created/);
    const outcomes = (await auditRecords(s)).filter((x) => x.type === 'outcome' && String(x.address).startsWith('TrafficSplit/'));
    expect(outcomes.map((o) => o.outcome)).not.toContain('success');
  });
});
