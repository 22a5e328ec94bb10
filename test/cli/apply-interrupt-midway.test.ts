// Ctrl-C while an action of several calls is in flight (DESIGN §5): the call in flight finishes
// and is recorded, but the action starts no later write (a version created is not then
// published; a guide created does not then get its content or its publish). Its audit outcome
// says what landed, the report lists it as partly done, apply exits 130, and the next plan picks
// up what is missing. The interrupt is injected in-process the moment the held request reaches a
// proxy in front of the emulator, which then lets it through.
import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditFile } from '../../src/audit/verify.js';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { forwardTo } from '../helpers/forward.js';
import { plannedChanges, scenario, type Scenario } from '../helpers/scenario.js';

interface Seen {
  method: string;
  path: string;
  /** Arrived after the interrupt. */
  late: boolean;
}

/**
 * A proxy to the emulator that interrupts the command when the first request `trigger` matches
 * arrives, then passes it on; it notes every request and whether it came after the interrupt.
 */
async function interruptingProxy(emulatorUrl: string, trigger: (method: string, path: string) => boolean) {
  const upstream = new URL(emulatorUrl);
  const ac = new AbortController();
  const seen: Seen[] = [];
  const proxy = http.createServer((req, res) => {
    const method = req.method ?? '';
    const path = (req.url ?? '').split('?')[0]!;
    const late = ac.signal.aborted;
    seen.push({ method, path, late });
    // The interrupt arrives while this call is in flight: it has reached the target's side.
    if (!late && trigger(method, path)) ac.abort();
    forwardTo(upstream, req, res);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as { port: number }).port}`,
    signal: ac.signal,
    /** Writes (anything but GET) that started after the interrupt. */
    lateWrites: () => seen.filter((s) => s.late && s.method !== 'GET' && !s.path.includes('/oauth/')),
    seen,
    async close() {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}

type Proxy = Awaited<ReturnType<typeof interruptingProxy>>;

let s: Scenario | undefined;
let proxy: Proxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await s?.close();
  s = proxy = undefined;
});

function applyThrough(p: Proxy): Promise<CliResult> {
  return runCliInProcess(['apply', '--auto-approve'], { cwd: s!.dir.path, env: { ...s!.emu.env, GENESYSCLOUD_API_URL: p.url }, signal: p.signal });
}

/** The latest audit outcome for `address`. */
async function outcomeOf(address: string): Promise<Record<string, any>> {
  const records = (await readFile(join(s!.dir.path, '.promptctl', 'audit.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, any>);
  // The latest: the apply before it may have created the object.
  const outcome = records.filter((r) => r.type === 'outcome' && r.address === address).at(-1);
  expect(outcome).toBeDefined();
  return outcome!;
}

/** After the interrupted run: the next plan shows what is missing, an apply finishes it, and then nothing is left. */
async function expectConverges(change: string): Promise<void> {
  const plan = await s!.cli(['plan']);
  expect(plan.code, plan.stderr).toBe(0);
  expect(plannedChanges(plan.stdout)).toEqual([change]);
  const again = await s!.cli(['apply', '--auto-approve']);
  expect(again.code, again.stderr).toBe(0);
  const after = await s!.cli(['plan', '--detailed-exitcode']);
  expect(after.code, after.stdout).toBe(0);
  // Every intent has its outcome, and the chain holds.
  expect(await verifyAuditFile(join(s!.dir.path, '.promptctl', 'audit.jsonl'))).toMatchObject({ ok: true, pending: [] });
}

const NEW_VERSION = `---
apiVersion: promptctl/v1
kind: PromptVersion
spec:
  template: support-triage
  version: 2.1.0
  systemInstruction: "Triage the ticket, briefly."
  userTemplate: "Ticket: {{ticket}}"
  variables:
    - name: ticket
      type: string
      maxTokens: 1500
`;

const GUIDE = `apiVersion: promptctl/v1
kind: Guide
metadata:
  name: Interrupted-guide
spec:
  instruction: "Help the customer with their question."
  publish: ProductionReady
`;

describe('an apply interrupted in the middle of an action', () => {
  it('PromptVersion: a version whose create was in flight is left a Draft, not published; the next plan publishes it', async () => {
    s = await scenario();
    const first = await s.cli(['apply', '--auto-approve']);
    expect(first.code, first.stderr).toBe(0);
    await writeFile(join(s.dir.path, 'prompts/support/support-triage.yaml'), (await readFile(join(s.dir.path, 'prompts/support/support-triage.yaml'), 'utf8')) + NEW_VERSION);
    proxy = await interruptingProxy(s.emu.url, (m, p) => m === 'POST' && /\/prompttemplates\/[^/]+\/versions$/.test(p));

    const r = await applyThrough(proxy);
    expect(proxy.signal.aborted).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    // The create finished; no publish job (nor anything else that writes) started after the interrupt.
    expect(proxy.lateWrites(), JSON.stringify(proxy.seen)).toEqual([]);
    expect(proxy.seen.filter((x) => x.path.endsWith('/jobs'))).toEqual([]);
    const note = 'interrupted before publishing it: created version 2.1.0 as a Draft, not published; the next apply finishes it';
    expect(r.stderr).toContain(`~ PromptVersion/support-triage@2.1.0 interrupted: ${note}`);
    expect(r.stderr).toMatch(/^Apply interrupted: 0 created, 0 updated, 0 deleted; 0 failed, 1 partly done, 0 not started\.$/m);
    expect(r.stderr).toContain(`Partly done:\n  ~ PromptVersion/support-triage@2.1.0: ${note}`);

    const o = await outcomeOf('PromptVersion/support-triage@2.1.0');
    expect(o).toMatchObject({ outcome: 'failure', error: note });
    expect(o.after.content.state).toBe('Draft');
    const live = (await s.emu.api.listTemplates({ name: 'support-triage', expand: ['versions'] }))[0]!;
    expect(live.versions!.map((v) => [v.version, v.state])).toEqual([
      ['2.0.0', 'Published'],
      ['2.1.0', 'Draft'],
    ]);
    await expectConverges('update PromptVersion/support-triage@2.1.0');
  });

  it('PromptVersion: a publish already started is confirmed (reads only), so the record says it was published', async () => {
    s = await scenario();
    const first = await s.cli(['apply', '--auto-approve']);
    expect(first.code, first.stderr).toBe(0);
    await writeFile(join(s.dir.path, 'prompts/support/support-triage.yaml'), (await readFile(join(s.dir.path, 'prompts/support/support-triage.yaml'), 'utf8')) + NEW_VERSION);
    proxy = await interruptingProxy(s.emu.url, (m, p) => m === 'POST' && p.endsWith('/jobs'));

    const r = await applyThrough(proxy);
    expect(proxy.signal.aborted).toBe(true);
    // Nothing was left undone: the apply is complete.
    expect(r.code, r.stderr).toBe(0);
    expect(proxy.lateWrites()).toEqual([]);
    expect(proxy.seen.some((x) => x.late && x.method === 'GET')).toBe(true);
    expect(await outcomeOf('PromptVersion/support-triage@2.1.0')).toMatchObject({ outcome: 'success', after: { content: { state: 'Published' } } });
    const plan = await s.cli(['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout).toBe(0);
  });

  it('a delete whose guard read was in flight is not sent: skipped on record, not started in the report, still planned', async () => {
    s = await scenario();
    const first = await s.cli(['apply', '--auto-approve']);
    expect(first.code, first.stderr).toBe(0);
    const file = join(s.dir.path, 'prompts/safety-filters.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.slice(0, text.lastIndexOf('---')));
    proxy = await interruptingProxy(s.emu.url, (m, p) => m === 'GET' && /\/safetyfilters\/[^/]+$/.test(p));

    const r = await runCliInProcess(['apply', '--auto-approve', '--prune'], { cwd: s.dir.path, env: { ...s.emu.env, GENESYSCLOUD_API_URL: proxy.url }, signal: proxy.signal });
    expect(proxy.signal.aborted).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(proxy.lateWrites()).toEqual([]);
    expect(r.stderr).toContain('Not started:\n  - SafetyFilter/political-flagger');
    expect(await outcomeOf('SafetyFilter/political-flagger')).toMatchObject({ outcome: 'skipped', error: 'interrupted before the delete: nothing was changed', after: null });
    expect(await verifyAuditFile(join(s.dir.path, '.promptctl', 'audit.jsonl'))).toMatchObject({ ok: true, pending: [] });
    const plan = await s.cli(['plan', '--prune']);
    expect(plannedChanges(plan.stdout)).toEqual(['delete SafetyFilter/political-flagger']);
  });

  it('Guide: a guide whose create was in flight gets no content and no publish; the next plan writes and publishes it', async () => {
    s = await scenario();
    const first = await s.cli(['apply', '--auto-approve']);
    expect(first.code, first.stderr).toBe(0);
    await writeFile(join(s.dir.path, 'prompts/guide.yaml'), GUIDE);
    proxy = await interruptingProxy(s.emu.url, (m, p) => m === 'POST' && p === '/api/v2/guides');

    const r = await applyThrough(proxy);
    expect(r.code, r.stderr).toBe(130);
    expect(proxy.lateWrites(), JSON.stringify(proxy.seen)).toEqual([]);
    expect(r.stderr).toMatch(/^Partly done:\n {2}~ Guide\/Interrupted-guide: interrupted before writing its content: created guide \(id \S+\) without its content; the next apply finishes it$/m);
    const o = await outcomeOf('Guide/Interrupted-guide');
    expect(o.outcome).toBe('failure');
    expect(o.error).toMatch(/^interrupted before writing its content: created guide \(id \S+\) without its content/);
    expect(o.resourceId).toMatch(/\S/);
    await expectConverges('update Guide/Interrupted-guide');
  });

  it('Guide: a guide whose content write was in flight is not published; the next plan publishes it', async () => {
    s = await scenario();
    const first = await s.cli(['apply', '--auto-approve']);
    expect(first.code, first.stderr).toBe(0);
    await writeFile(join(s.dir.path, 'prompts/guide.yaml'), GUIDE);
    // The content goes into the new guide's version: a PATCH of its empty first one, or a POST of one.
    proxy = await interruptingProxy(s.emu.url, (m, p) => (m === 'POST' || m === 'PATCH') && /^\/api\/v2\/guides\/[^/]+\/versions/.test(p) && !p.endsWith('/jobs'));

    const r = await applyThrough(proxy);
    expect(r.code, r.stderr).toBe(130);
    expect(proxy.lateWrites(), JSON.stringify(proxy.seen)).toEqual([]);
    expect(proxy.seen.filter((x) => x.path.endsWith('/jobs'))).toEqual([]);
    expect(r.stderr).toMatch(/^ {2}~ Guide\/Interrupted-guide: interrupted before publishing it to ProductionReady: created guide \(id \S+\), (wrote|created) version \S+, version \S+ holds the content in Draft, not yet ProductionReady; the next apply finishes it$/m);
    const o = await outcomeOf('Guide/Interrupted-guide');
    expect(o.outcome).toBe('failure');
    expect(o.after.content).toMatchObject({ instruction: 'Help the customer with their question.', state: 'Draft' });
    await expectConverges('update Guide/Interrupted-guide');
  });
});
