// A publish freezes a version for good, and the jobs call carries no integer version (DESIGN §3's
// body is {state} alone). Apply reads a Draft it publishes as it is against its guard first, and
// checks that what was published is the content it wrote or read; the emulator fails a job whose
// version changed while it ran. A Draft edited by someone else around its publish is a conflict,
// never a success that froze content nobody reviewed.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toWire as versionWire } from '../../src/kinds/PromptVersion/index.js';
import type { DesiredState } from '../../src/model/types.js';
import type { GatewayApi } from '../../src/targets/llmgateway/api.js';
import { desiredState, split, template, version } from '../helpers/desired.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { applyPlan, planAgainst } from '../helpers/engine.js';
import { gatewayWriteChecks } from '../../src/kinds/index.js';
import { createGatewayClient } from '../../src/targets/llmgateway/client.js';
import { CLIENT_ID, CLIENT_SECRET, rejection, startRecordingProxy } from './client-support.js';

let emu: TestEmulator;
beforeEach(async () => {
  emu = await startTestEmulator();
});
afterEach(async () => {
  await emu.close();
});

const plan = (desired: DesiredState, api: GatewayApi = emu.api) => planAgainst(desired, api);
const execute = async (desired: DesiredState, api: GatewayApi = emu.api) => applyPlan(await plan(desired, api), api);

/** alpha applied with 1.0.0, and a Draft 1.1.0 made by hand with git's content: the plan publishes it as it is. */
async function handMadeDraft(): Promise<{ desired: DesiredState; templateId: string }> {
  const desired = desiredState({ templates: [template('alpha')], versions: [version('alpha', '1.0.0')], splits: [split('alpha', [['1.0.0', 100]])] });
  expect((await execute(desired)).ok).toBe(true);
  const t = (await emu.api.listTemplates({ name: 'alpha' }))[0]!;
  const git = version('alpha', '1.1.0');
  await emu.api.createVersion(t.id, versionWire(git));
  desired.versions.push(git);
  return { desired, templateId: t.id };
}

const liveDraft = async (templateId: string) => (await emu.api.listVersions(templateId)).find((v) => v.version === '1.1.0')!;

describe('publishing what was reviewed, or nothing', () => {
  it('refuses a hand-made Draft edited between the plan and its publish, before the publish', async () => {
    const { desired, templateId } = await handMadeDraft();
    const p = await plan(desired);
    expect(p.actions.find((a) => a.address === 'PromptVersion/alpha@1.1.0')).toMatchObject({ action: 'update' });
    await emu.api.patchVersion(templateId, '1.1.0', { systemInstruction: 'Someone else’s text.' });
    const result = await applyPlan(p, emu.api);
    expect(result.ok).toBe(false);
    expect(result.failed.map((f) => [f.action.address, f.outcome, f.detail])).toEqual([
      ['PromptVersion/alpha@1.1.0', 'conflict', expect.stringMatching(/^PromptVersion\/alpha@1\.1\.0 changed on the target since the plan \(content hash \w+ → \w+\); run plan again$/)],
    ]);
    expect(await liveDraft(templateId)).toMatchObject({ state: 'Draft', systemInstruction: 'Someone else’s text.' });
  });

  it('reports a Draft edited between apply’s read and the publish as a conflict, not as published, and sends DESIGN’s body', async () => {
    const { desired, templateId } = await handMadeDraft();
    // Someone edits the Draft just as the job is asked for (after apply read and checked it).
    const racing: GatewayApi = Object.create(emu.api);
    racing.startPublish = async (t, l, opts) => {
      await emu.api.patchVersion(t, l, { systemInstruction: 'Someone else’s text.' });
      return emu.api.startPublish(t, l, opts);
    };
    const result = await execute(desired, racing);
    expect(result.ok).toBe(false);
    expect(result.failed.map((f) => [f.action.address, f.outcome])).toEqual([['PromptVersion/alpha@1.1.0', 'conflict']]);
    expect(result.failed[0]!.detail).toContain('[version.mismatch]');
    // Published it is (nothing undoes a publish); the next plan shows it as an immutable-version problem.
    expect(await liveDraft(templateId)).toMatchObject({ state: 'Published', systemInstruction: 'Someone else’s text.' });
    expect((await plan(desired)).problems.map((p) => [p.address, p.rule])).toEqual([['PromptVersion/alpha@1.1.0', 'immutable-version']]);
  });

  it('checks the published content whether a listing page or the job confirms it', async () => {
    const { desired, templateId } = await handMadeDraft();
    desired.versions.push(version('alpha', '1.2.0'));
    // Two publications at once: one listing page confirms both (seen on the wire: no job is read).
    const proxy = await startRecordingProxy(() => emu.url);
    const client = createGatewayClient({ landed: gatewayWriteChecks, apiUrl: proxy.url, loginUrl: proxy.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, targetLabel: 'proxy' });
    const racing: GatewayApi = Object.create(client);
    racing.startPublish = async (t, l, opts) => {
      if (l === '1.2.0') await emu.api.patchVersion(t, l, { systemInstruction: 'Someone else’s text.' });
      return client.startPublish(t, l, opts);
    };
    try {
      const result = await execute(desired, racing);
      expect(result.failed.map((f) => [f.action.address, f.outcome])).toEqual([['PromptVersion/alpha@1.2.0', 'conflict']]);
      expect(result.succeeded.map((f) => f.action.address)).toContain('PromptVersion/alpha@1.1.0');
      expect(proxy.log.filter((e) => e.method === 'GET' && /\/jobs\//.test(e.path))).toEqual([]);
      expect(proxy.log.some((e) => e.method === 'GET' && e.path === '/api/v2/llmgateway/prompttemplates')).toBe(true);
      expect((await liveDraft(templateId)).state).toBe('Published');
    } finally {
      await client.close();
      await proxy.close();
    }
  });

  it('checks a job that answers Succeeded at once, too', async () => {
    // Jobs that finish as soon as they are read: the server below finishes each inside its POST.
    await emu.close();
    emu = await startTestEmulator({ publishDelayMs: 0 });
    const { desired, templateId } = await handMadeDraft();
    // A server that finishes the publish inside the POST: 200 with the Succeeded job.
    const answers: string[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const url = new URL(req.url ?? '/', emu.url);
        const headers = Object.fromEntries(Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === 'string' && !['host', 'connection', 'content-length'].includes(e[0])));
        const r = await fetch(url, { method: req.method ?? 'GET', headers, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) });
        let body = Buffer.from(await r.arrayBuffer());
        let status = r.status;
        if (req.method === 'POST' && url.pathname.endsWith('/jobs') && status === 202) {
          const { id } = JSON.parse(body.toString('utf8')) as { id: string };
          body = Buffer.from(await (await fetch(new URL(`${url.pathname}/${id}`, emu.url), { headers })).arrayBuffer());
          answers.push((JSON.parse(body.toString('utf8')) as { status: string }).status);
          status = 200;
        }
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = createGatewayClient({ landed: gatewayWriteChecks, apiUrl: url, loginUrl: url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, targetLabel: 'at once' });
    const racing: GatewayApi = Object.create(client);
    racing.startPublish = async (t, l, opts) => {
      await emu.api.patchVersion(t, l, { systemInstruction: 'Someone else’s text.' });
      return client.startPublish(t, l, opts);
    };
    try {
      const result = await execute(desired, racing);
      expect(answers.every((a) => a === 'Succeeded')).toBe(true);
      expect(answers.length).toBeGreaterThan(0);
      expect(result.failed.map((f) => [f.action.address, f.outcome])).toEqual([['PromptVersion/alpha@1.1.0', 'conflict']]);
      expect(await liveDraft(templateId)).toMatchObject({ state: 'Published', systemInstruction: 'Someone else’s text.' });
    } finally {
      await client.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('fails the job when the Draft is edited while it runs', async () => {
    await emu.close();
    emu = await startTestEmulator({ publishDelayMs: 300 });
    const { templateId } = await handMadeDraft();
    const draft = await liveDraft(templateId);
    const { published } = await emu.api.startPublish(templateId, '1.1.0', { contentHash: draft.contentHash });
    await emu.api.patchVersion(templateId, '1.1.0', { systemInstruction: 'Someone else’s text.' });
    emu.api.flushPublications();
    const err = await rejection(published);
    expect(err.code).toBe('job.failed');
    expect(err.message).toMatch(/version\.mismatch: version 1\.1\.0 changed while it was being published; it stays a Draft/);
    expect(await liveDraft(templateId)).toMatchObject({ state: 'Draft', systemInstruction: 'Someone else’s text.' });
  });

  it('says which content it publishes, whatever the write before it', async () => {
    const { desired } = await handMadeDraft();
    const asked: Array<string | undefined> = [];
    const watching: GatewayApi = Object.create(emu.api);
    watching.startPublish = async (t, l, opts) => {
      asked.push(opts?.contentHash);
      return emu.api.startPublish(t, l, opts);
    };
    desired.versions.push(version('alpha', '1.2.0'));
    expect((await execute(desired, watching)).ok).toBe(true);
    expect(asked).toHaveLength(2);
    for (const h of asked) expect(h).toMatch(/^[0-9a-f]{64}$/);
  });
});
