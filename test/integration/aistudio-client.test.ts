// The AI Studio client against a real emulator over HTTP: guides, their versions and publish
// jobs (with and without a job in the 202), guide deletion, session turns, summary settings with
// the dateModified guard, a switched-off surface, and durability across a restart.
import { afterEach, describe, expect, it } from 'vitest';
import { paths } from '../../src/targets/aistudio/paths.js';
import { readNamedGuides, readPromotionSource } from '../../src/targets/live.js';
import { LATEST_NOT_PRODUCTION_READY_CODE } from '../../src/targets/aistudio/wire.js';
import { paths as gatewayPaths } from '../../src/targets/llmgateway/paths.js';
import { content, recordingProxy, rejection, setup, type Env } from './aistudio-support.js';

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe('AI Studio client: guides', () => {
  it('creates a guide, edits its first Draft, publishes it, takes a new version, renames and deletes it', async () => {
    env = await setup();
    const c = env.client();

    const g = await c.createGuide({ name: 'Returns', source: 'Manual' });
    expect(g).toMatchObject({ name: 'Returns', status: 'Draft', latestSavedVersion: { version: '1.0' } });
    expect((await c.listGuides({ name: 'Returns' })).map((x) => x.id)).toEqual([g.id]);
    // The API matches names case-insensitively; the client keeps exact matches only.
    expect(await c.listGuides({ name: 'returns' })).toEqual([]);

    // The latest version is a Draft: a new one is refused, with the code promptctl uses for it.
    const refused = await rejection(c.createGuideVersion(g.id, content(1)));
    expect(refused).toMatchObject({ status: 409, code: LATEST_NOT_PRODUCTION_READY_CODE });
    expect(refused.message).toMatch(/edit the guide's latest version/);

    const draft = await c.patchGuideVersion(g.id, '1.0', content(1));
    expect(draft).toMatchObject({ version: '1.0', state: 'Draft', instruction: content(1).instruction });
    expect((await c.publishGuideVersion(g.id, '1.0', 'TestReady')).state).toBe('TestReady');
    const published = await c.publishGuideVersion(g.id, '1.0', 'ProductionReady');
    expect(published).toMatchObject({ version: '1.0', state: 'ProductionReady' });
    // Publishing again to the state it has converges.
    expect((await c.publishGuideVersion(g.id, '1.0', 'ProductionReady')).state).toBe('ProductionReady');
    // Going back is refused by the server and reported as such.
    expect(await rejection(c.publishGuideVersion(g.id, '1.0', 'TestReady'))).toMatchObject({ status: 409, code: 'invalid.state' });
    expect(await rejection(c.patchGuideVersion(g.id, '1.0', { instruction: 'x' }))).toMatchObject({ status: 409, code: 'version.immutable' });

    const v2 = await c.createGuideVersion(g.id, content(2));
    expect(v2).toMatchObject({ version: '2.0', state: 'Draft' });
    expect(await c.getGuideVersion(g.id, '2.0')).toEqual(v2);
    expect(await c.getGuide(g.id)).toMatchObject({
      status: 'Published',
      latestSavedVersion: { version: '2.0' },
      latestProductionReadyVersion: { version: '1.0' },
    });

    const renamed = await c.patchGuide(g.id, { name: 'Returns assistant' });
    expect(renamed.name).toBe('Returns assistant');
    await c.createGuide({ name: 'Billing', source: 'Manual' });
    expect(await rejection(c.createGuide({ name: 'billing', source: 'Manual' }))).toMatchObject({ status: 409, code: 'duplicate.name' });
    expect((await c.listGuides()).map((x) => x.name)).toEqual(['Billing', 'Returns assistant']);
    expect((await c.listGuides({ status: 'Published' })).map((x) => x.name)).toEqual(['Returns assistant']);

    const turn = await c.sessionTurn(g.id, 'test-session', {
      inputEvent: { type: 'UserInput', text: 'I want to return a lamp', mode: 'Text' },
      languageCode: 'en-US',
      version: '1.0',
    });
    expect(turn).toMatchObject({ status: 'COMPLETED', outputVariables: [{ name: 'orderId' }] });
    expect(turn.response?.text?.length).toBeGreaterThan(0);

    await c.deleteGuide(g.id);
    expect(await rejection(c.getGuide(g.id))).toMatchObject({ status: 404, code: 'not.found' });
    expect(await rejection(c.deleteGuide(g.id))).toMatchObject({ status: 404 });
    expect(await rejection(c.getGuide('__proto__'))).toMatchObject({ status: 404 });
  });

  it('publishes when the 202 carries no job, by re-reading the version until its state moves', async () => {
    env = await setup({ aiStudio: { emptyPublishBody: true }, publishDelayMs: 0 });
    let versionPath = '';
    let first = true;
    // The first read says Draft whenever the job finishes, as it does on a server whose job is slower.
    const draftFirst = (method: string, path: string, body: Buffer): Buffer => {
      if (method !== 'GET' || path !== versionPath || !first) return body;
      first = false;
      return Buffer.from(JSON.stringify({ ...(JSON.parse(body.toString('utf8')) as object), state: 'Draft' }));
    };
    const wire = await recordingProxy(() => env!.emulator.url, undefined, draftFirst);
    try {
      const c = env.client({ apiUrl: wire.url, loginUrl: wire.url });
      const g = await c.createGuide({ name: 'Empty 202', source: 'Manual' });
      await c.patchGuideVersion(g.id, '1.0', content(1));
      versionPath = paths.guideVersion(g.id, '1.0');
      const v = await c.publishGuideVersion(g.id, '1.0', 'ProductionReady');
      expect(v.state).toBe('ProductionReady');

      const start = wire.log.find((e) => e.method === 'POST' && e.path === paths.guideVersionJobs(g.id, '1.0'));
      expect(start).toMatchObject({ status: 202, bytes: 0 });
      // No job to poll: the client read the version, and again after it still said Draft.
      const reads = wire.log.filter((e) => e.method === 'GET' && e.path === versionPath);
      expect(reads.length).toBeGreaterThan(1);
      expect(wire.log.some((e) => e.path.includes('/jobs/'))).toBe(false);
    } finally {
      await wire.close();
    }
  });

  it('times out naming the job-less start when the version never moves, and how long it waited', async () => {
    env = await setup({ aiStudio: { emptyPublishBody: true }, publishDelayMs: 5_000 });
    const c = env.client();
    const g = await c.createGuide({ name: 'Slow', source: 'Manual' });
    const err = await rejection(c.publishGuideVersion(g.id, '1.0', 'ProductionReady', { timeoutMs: 300 }));
    expect(err).toMatchObject({ code: 'job.timeout' });
    expect(err.message).toMatch(/without returning a job, but the version is still Draft after 0\.3 s$/);
  });

  it('finishes as soon as the version shows the state asked for, though its publish job never says it finished', async () => {
    env = await setup({ aiStudio: { jobsNeverFinish: true }, publishDelayMs: 0 });
    const wire = await recordingProxy(() => env!.emulator.url);
    try {
      // Without reading the version meanwhile, this waits out the whole timeout and fails.
      const c = env.client({ apiUrl: wire.url, loginUrl: wire.url, jobTimeoutMs: 10_000 });
      const g = await c.createGuide({ name: 'Job never ends', source: 'Manual' });
      await c.patchGuideVersion(g.id, '1.0', content(1));
      const v = await c.publishGuideVersion(g.id, '1.0', 'ProductionReady');
      expect(v).toMatchObject({ version: '1.0', state: 'ProductionReady' });
      // The job was looked at and still said InProgress; the version read in turn ended the wait.
      const jobReads = wire.log.filter((e) => e.method === 'GET' && e.path.includes('/jobs/'));
      expect(jobReads.length).toBeGreaterThan(0);
      expect(wire.log.filter((e) => e.method === 'GET' && e.path === paths.guideVersion(g.id, '1.0')).length).toBeGreaterThan(0);
    } finally {
      await wire.close();
    }
  });

  it('gives up at the timeout saying what it waited for: the job still InProgress, the version still Draft, and how long', async () => {
    env = await setup({ aiStudio: { jobsNeverFinish: true }, publishDelayMs: 600_000 });
    const c = env.client();
    const g = await c.createGuide({ name: 'Nothing moves', source: 'Manual' });
    await c.patchGuideVersion(g.id, '1.0', content(1));
    const err = await rejection(c.publishGuideVersion(g.id, '1.0', 'ProductionReady', { timeoutMs: 300 }));
    expect(err).toMatchObject({ code: 'job.timeout' });
    expect(err.message).toMatch(
      new RegExp(`^publishing version 1\\.0 of guide ${g.id} to ProductionReady did not finish in 0\\.3 s: its job [0-9a-f-]{36} was still InProgress, and the version still Draft$`),
    );
  });

  it('deletes a guide as soon as reading it answers 404, though its delete job never says it finished', async () => {
    env = await setup({ aiStudio: { jobsNeverFinish: true }, publishDelayMs: 0 });
    const wire = await recordingProxy(() => env!.emulator.url);
    try {
      // Without reading the guide meanwhile, this waits out the whole timeout and fails.
      const c = env.client({ apiUrl: wire.url, loginUrl: wire.url, jobTimeoutMs: 10_000 });
      const g = await c.createGuide({ name: 'Delete job never ends', source: 'Manual' });
      await c.deleteGuide(g.id);
      expect(await rejection(c.getGuide(g.id))).toMatchObject({ status: 404 });
      // The job was looked at, and still said InProgress.
      expect(wire.log.some((e) => e.method === 'GET' && e.path.startsWith(`${paths.guideJobs(g.id)}/`))).toBe(true);
    } finally {
      await wire.close();
    }
  });

  it('gives up a delete at the timeout saying what it waited for: the job still InProgress, the guide still there', async () => {
    env = await setup({ aiStudio: { jobsNeverFinish: true }, publishDelayMs: 600_000 });
    const c = env.client();
    const g = await c.createGuide({ name: 'Not going', source: 'Manual' });
    const err = await rejection(c.deleteGuide(g.id, { timeoutMs: 300 }));
    expect(err).toMatchObject({ code: 'job.timeout' });
    expect(err.message).toMatch(new RegExp(`^deleting guide ${g.id} did not finish in 0\\.3 s: its job [0-9a-f-]{36} was still InProgress, and the guide still there$`));
  });

  it('works as well when a new guide starts without any version', async () => {
    env = await setup({ aiStudio: { newGuideDraft: false } });
    const c = env.client();
    const g = await c.createGuide({ name: 'Blank', source: 'Prompt' });
    expect(g.latestSavedVersion).toBeUndefined();
    const v1 = await c.createGuideVersion(g.id, content(1));
    expect(v1).toMatchObject({ version: '1.0', state: 'Draft' });
    expect((await c.getGuide(g.id)).latestSavedVersion?.version).toBe('1.0');
  });

  it('accepts every guide source the SDK knows, Transcripts included (a real org has such guides)', async () => {
    env = await setup();
    const c = env.client();
    // CreateGuide.source and Guide.source: Manual, Prompt, Document, Transcripts (the SDK's models).
    const g = await c.createGuide({ name: 'From transcripts', source: 'Transcripts' });
    expect(g).toMatchObject({ name: 'From transcripts', source: 'Transcripts' });
    expect((await c.listGuides({ name: 'From transcripts' })).map((x) => x.source)).toEqual(['Transcripts']);
  });

  it('answers a session turn from a response fixture that names the guide', async () => {
    env = await setup({ responses: [{ match: { template: 'Canned guide', version: '1.0', contains: 'refund' }, output: 'Refunds take five days.' }] });
    const c = env.client();
    const g = await c.createGuide({ name: 'Canned guide', source: 'Manual' });
    await c.patchGuideVersion(g.id, '1.0', content(1));
    const turn = (text: string) =>
      c.sessionTurn(g.id, 'fixture-session', { inputEvent: { type: 'UserInput', text, mode: 'Text' }, languageCode: 'en-US', version: '1.0' });
    expect((await turn('When do I get my refund?')).response?.text).toBe('Refunds take five days.');
    expect((await turn('Hello')).response?.text).not.toBe('Refunds take five days.');
  });

  it('keeps guides, versions, settings and unfinished jobs across a restart', async () => {
    // The job takes ten minutes on the first run's clock, so it is surely unfinished at the restart.
    env = await setup({ publishDelayMs: 600_000 });
    const c = env.client();
    const g = await c.createGuide({ name: 'Durable', source: 'Manual' });
    await c.patchGuideVersion(g.id, '1.0', content(1));
    const s = await c.createSummarySetting({ name: 'Wrap-up', language: 'en-US', summaryType: 'Detailed' });
    // Start a publish and restart while its job is still InProgress: the job resumes and finishes.
    const res = await fetch(`${env.emulator.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('local-client:local-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const token = ((await res.json()) as { access_token: string }).access_token;
    const started = await fetch(`${env.emulator.url}${paths.guideVersionJobs(g.id, '1.0')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ guideVersion: { state: 'ProductionReady' } }),
    });
    expect(started.status).toBe(202);
    // The second run's clock is past the job's finish time: the job it resumes is due at once.
    await env.restart({ publishDelayMs: 600_000, now: () => Date.now() + 600_000 });

    const after = env.client();
    expect(await after.getGuideVersion(g.id, '1.0')).toMatchObject({ instruction: content(1).instruction });
    expect(await after.getSummarySetting(s.id)).toEqual(s);
    await env.emulator.jobsSettled(); // the resumed job's timer has run and its change is durable
    const guide = await after.getGuide(g.id);
    expect(guide).toMatchObject({ status: 'Published', latestProductionReadyVersion: { version: '1.0' } });
  });
});

describe('AI Studio client: summary settings', () => {
  it('creates, lists, replaces under the dateModified guard, and deletes', async () => {
    env = await setup();
    const c = env.client();
    const body = { name: 'Voice wrap-up', language: 'en-US', format: 'BulletPoints' as const, prompt: 'Summarise briefly.' };
    const s = await c.createSummarySetting(body);
    expect(s).toMatchObject({ ...body, settingType: 'Prompt', interactionType: 'Live' });
    await c.createSummarySetting({ name: 'Voice wrap-up (long)', language: 'en-US' });
    expect((await c.listSummarySettings({ name: 'Voice wrap-up' })).map((x) => x.id)).toEqual([s.id]);
    expect(await c.listSummarySettings()).toHaveLength(2);
    expect(await rejection(c.createSummarySetting({ ...body, name: 'VOICE WRAP-UP' }))).toMatchObject({ status: 409, code: 'duplicate.name' });

    const changed = { ...body, summaryType: 'Detailed' as const };
    const put = await c.putSummarySetting(s.id, changed, { ifDateModified: s.dateModified });
    expect(put).toMatchObject({ summaryType: 'Detailed' });
    // A stale guard is refused, unless the setting already holds what is sent.
    expect(await rejection(c.putSummarySetting(s.id, { ...body, summaryType: 'Concise' }, { ifDateModified: s.dateModified }))).toMatchObject({
      status: 409,
      code: 'version.mismatch',
    });
    expect(await c.putSummarySetting(s.id, changed, { ifDateModified: s.dateModified })).toEqual(put);
    // The same instant written another way is the same guard.
    const iso = new Date(Date.parse(put.dateModified)).toISOString().replace('.000Z', 'Z');
    expect((await c.putSummarySetting(s.id, body, { ifDateModified: iso })).summaryType).toBeUndefined();

    await c.deleteSummarySetting(s.id);
    expect(await rejection(c.getSummarySetting(s.id))).toMatchObject({ status: 404 });
  });
});

describe('AI Studio surface switched off', () => {
  it('answers 404 for all of AI Studio, like an org without it, and still serves the gateway', async () => {
    env = await setup({ surfaces: { aistudio: false } });
    const c = env.client();
    expect(await c.probe()).toEqual({ guides: false, summarySettings: false });
    expect(await rejection(c.listGuides())).toMatchObject({ status: 404, code: 'not.found' });
    expect(await rejection(c.createGuide({ name: 'x', source: 'Manual' }))).toMatchObject({ status: 404, code: 'not.found' });
    expect(await rejection(c.deleteSummarySetting('any'))).toMatchObject({ status: 404 });
    const token = await login(env.emulator.url);
    const gw = await fetch(`${env.emulator.url}${gatewayPaths.templates()}`, { headers: { authorization: `Bearer ${token}` } });
    expect(gw.status).toBe(200);
  });

  it('switches guides and summary settings off apart, each answering 404 alone', async () => {
    env = await setup({ surfaces: { guides: false } });
    expect(await env.client().probe()).toEqual({ guides: false, summarySettings: true });
    expect(await rejection(env.client().listGuides())).toMatchObject({ status: 404, code: 'not.found' });
    await env.restart({ surfaces: { summarysettings: false } });
    expect(await env.client().probe()).toEqual({ guides: true, summarySettings: false });
    expect(await rejection(env.client().listSummarySettings())).toMatchObject({ status: 404, code: 'not.found' });
  });

  it('refuses guides alone (403, 5xx) or summary settings alone, the other served', async () => {
    env = await setup({ refuse: { guides: 403 } });
    expect(await rejection(env.client().listGuides())).toMatchObject({ status: 403, code: 'missing.any.permissions' });
    expect(await env.client().listSummarySettings()).toEqual([]);
    await env.restart({ refuse: { summarysettings: 501 } });
    expect(await rejection(env.client().listSummarySettings())).toMatchObject({ status: 501 });
    expect(await env.client().listGuides()).toEqual([]);
    // The whole of AI Studio at once, a part's own status over it.
    await env.restart({ refuse: { aistudio: 403, summarysettings: 501 } });
    expect(await rejection(env.client().listGuides())).toMatchObject({ status: 403 });
    expect(await rejection(env.client().listSummarySettings())).toMatchObject({ status: 501 });
  });

  it('serves AI Studio when only the gateway is off', async () => {
    env = await setup({ surfaces: { llmgateway: false } });
    const c = env.client();
    expect(await c.probe()).toEqual({ guides: true, summarySettings: true });
    const token = await login(env.emulator.url);
    for (const path of [gatewayPaths.templates(), gatewayPaths.analytics()]) {
      const res = await fetch(`${env.emulator.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { code: string }).code).toBe('not.found');
    }
  });
});

async function login(url: string): Promise<string> {
  const res = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('local-client:local-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('a write answered with success that does not hold what was sent', () => {
  it('is an error naming the call, so nothing is published on top of it', async () => {
    env = await setup();
    // A server that reads null as "not sent": it answers 200 and keeps the knowledge setting.
    const withoutNulls = (method: string, _path: string, body: Buffer): Buffer =>
      method === 'PATCH' ? Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8')), (_k, v: unknown) => (v === null ? undefined : v))) : body;
    const proxy = await recordingProxy(() => env!.emulator.url, withoutNulls);
    try {
      const c = env.client({ apiUrl: proxy.url, loginUrl: proxy.url });
      const g = await c.createGuide({ name: 'Knowledge', source: 'Manual' });
      await c.patchGuideVersion(g.id, '1.0', content(1, { knowledgeSettings: { knowledgeId: '3f2a6a5e-8c1d-4a83-9d5c-2b7e4f0c1a90', knowledgeType: 'Standard' } }));
      const err = await rejection(c.patchGuideVersion(g.id, '1.0', { ...content(1), knowledgeSettings: null }));
      expect(err.code).toBe('write.not.held');
      expect(err.message).toBe(`PATCH ${paths.guideVersion(g.id, '1.0')} succeeded, but the guide version does not hold what was sent (the server kept or dropped a field); nothing more was done with it`);
      // Without the null, the same server is fine.
      await expect(c.patchGuideVersion(g.id, '1.0', content(2, { knowledgeSettings: { knowledgeId: '3f2a6a5e-8c1d-4a83-9d5c-2b7e4f0c1a90', knowledgeType: 'Standard' } }))).resolves.toMatchObject({ state: 'Draft' });
    } finally {
      await proxy.close();
    }
  });
});


describe('reading named guides (what a promotion check needs of the previous org)', () => {
  it('reads only the guides named, with their versions, and says when the org serves no AI Studio', async () => {
    env = await setup();
    const c = env.client();
    const g = await c.createGuide({ name: 'Returns', source: 'Manual' });
    await c.patchGuideVersion(g.id, '1.0', content(1));
    await c.createGuide({ name: 'Other', source: 'Manual' });
    const read = await readNamedGuides(c, ['Returns', 'Missing']);
    expect(read.guides?.map((x) => [x.name, x.latest?.version, x.latest?.instruction])).toEqual([['Returns', '1.0', content(1).instruction]]);
    await env.restart({ surfaces: { aistudio: false } });
    expect(await readNamedGuides(env.client(), ['Returns'])).toEqual({ unavailable: ['guides'] });
  });
});

describe('reading the previous org for a promotion check', () => {
  it('reads only the summary settings named, beside the named guides, and says when the org serves no AI Studio', async () => {
    env = await setup();
    const c = env.client();
    await c.createSummarySetting({ name: 'Voice wrap-up', language: 'en-US', settingType: 'Prompt', prompt: 'Summarise the call.' });
    await c.createSummarySetting({ name: 'Email wrap-up', language: 'en-US' });
    const need = { templates: false, guides: [], summarySettings: ['Voice wrap-up', 'Missing'] };
    const read = await readPromotionSource({ gateway: env.gateway(), aistudio: c }, need);
    expect(read.templates).toEqual([]);
    expect(read.guides).toBeUndefined();
    expect(read.summarySettings?.map((s) => [s.name, s.prompt])).toEqual([['Voice wrap-up', 'Summarise the call.']]);
    await env.restart({ surfaces: { aistudio: false } });
    expect(await readPromotionSource({ gateway: env.gateway(), aistudio: env.client() }, { ...need, guides: ['Returns'] })).toEqual({ templates: [], unavailable: ['guides', 'summarysettings'] });
  });

  it('reads the summary settings named where the org has guides switched off (404), saying guides alone are unavailable', async () => {
    env = await setup({ surfaces: { guides: false } });
    const c = env.client();
    await c.createSummarySetting({ name: 'Voice wrap-up', language: 'en-US', settingType: 'Prompt', prompt: 'Summarise the call.' });
    const read = await readPromotionSource({ gateway: env.gateway(), aistudio: c }, { templates: false, guides: ['Returns'], summarySettings: ['Voice wrap-up'] });
    expect(read.unavailable).toEqual(['guides']);
    expect(read.summarySettings?.map((s) => [s.name, s.prompt])).toEqual([['Voice wrap-up', 'Summarise the call.']]);
    expect(read.guides).toBeUndefined();
  });

  it('reads the guides named where the org does not serve summary settings', async () => {
    env = await setup({ surfaces: { summarysettings: false } });
    const c = env.client();
    const g = await c.createGuide({ name: 'Returns', source: 'Manual' });
    await c.patchGuideVersion(g.id, '1.0', content(1));
    const read = await readPromotionSource({ gateway: env.gateway(), aistudio: c }, { templates: false, guides: ['Returns'], summarySettings: ['Voice wrap-up'] });
    expect(read.unavailable).toEqual(['summarysettings']);
    expect(read.guides?.map((x) => x.name)).toEqual(['Returns']);
  });

  it('says when the org serves no LLM Gateway (its listing answers 404), as for AI Studio', async () => {
    env = await setup({ surfaces: { llmgateway: false } });
    const need = { templates: true, guides: [], summarySettings: ['Voice wrap-up'] };
    expect(await readPromotionSource({ gateway: env.gateway(), aistudio: env.client() }, need)).toEqual({ templates: [], summarySettings: [], unavailable: ['llmgateway'] });
  });
});
