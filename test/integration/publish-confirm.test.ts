// Publish jobs confirmed in bulk against a real emulator: an apply spends one listing page on
// many publications instead of a poll per job, and every way a batched publication can go
// (published, deleted meanwhile, placed wrongly by the name hint, too slow) ends as it should.
import { afterEach, describe, expect, it } from 'vitest';
import { executePlan } from '../../src/apply/executor.js';
import { createCorrelationTracker } from '../../src/apply/correlation.js';
import { readLiveState } from '../../src/targets/live.js';
import { buildPlan } from '../../src/plan/build.js';
import { versionTokens } from '../../src/tokens/index.js';
import { desiredState, split, template, version } from '../helpers/desired.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { rejection, versionBody as versionWire } from './client-support.js';
import { createGatewayClient } from '../../src/targets/llmgateway/client.js';
import { gatewayWriteChecks } from '../../src/kinds/index.js';
import { join } from 'node:path';
import { openAuditLog } from '../../src/audit/log.js';
import { tempDir } from '../helpers/tmp.js';

let emu: TestEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** T templates, two published versions each, split 50/50. */
function twoVersionTemplates(t: number) {
  const names = Array.from({ length: t }, (_, i) => `t-${String(i).padStart(3, '0')}`);
  return desiredState({
    templates: names.map((n) => template(n)),
    versions: names.flatMap((n) => [version(n, '1.0.0'), version(n, '1.1.0')]),
    splits: names.map((n) => split(n, [['1.0.0', 50], ['1.1.0', 50]])),
  });
}


describe('publish confirmations', () => {
  it('an apply confirms many publications with one listing page: about 6 requests per template, not 8', async () => {
    emu = await startTestEmulator({ publishDelayMs: 30 });
    const t = 40;
    const desired = twoVersionTemplates(t);
    const live = await readLiveState({ gateway: emu.api });
    const plan = buildPlan(desired, live, { prune: false, target: 'test', git: {}, id: 'p', createdAt: new Date().toISOString(), tokens: versionTokens });
    const dir = await tempDir('promptctl-publish-');
    const audit = await openAuditLog(join(dir.path, 'audit.jsonl'), { env: {}, onWarning: () => undefined });
    const before = emu.api.stats.requests;
    const result = await executePlan(plan, emu.api, { audit, correlations: createCorrelationTracker(), actor: 'a', commit: null, concurrency: 16 });
    await audit.close();
    await dir.remove();
    expect(result.ok).toBe(true);
    const requests = emu.api.stats.requests - before;
    // 1 template POST + 2 version POSTs + 2 job POSTs + 1 traffic PUT each; a poll per job would add 80.
    const writes = t * 6;
    expect(requests).toBeGreaterThanOrEqual(writes);
    // About one page per batch of 16 open templates, sometimes a second when a job was slower
    // than the first look (more on a busy machine); a poll per job would be 80.
    expect(requests).toBeLessThanOrEqual(writes + t / 2);
    const after = await readLiveState({ gateway: emu.api });
    expect(after.templates.flatMap((x) => x.versions ?? []).filter((v) => v.state === 'Published')).toHaveLength(2 * t);
    expect(after.templates.every((x) => x.traffic?.routes.length === 2)).toBe(true);
  });

  it('batched publications wait for a flush, then settle together; a version deleted meanwhile is reported', async () => {
    emu = await startTestEmulator({ publishDelayMs: 200 });
    const api = emu.api;
    const ids: string[] = [];
    for (const name of ['a', 'b']) {
      const t = await api.createTemplate({ name, model: 'gpt-4o' });
      ids.push(t.id);
      for (const label of ['1.0.0', '1.1.0']) await api.createVersion(t.id, versionWire(label));
    }
    await api.listTemplates(); // the directory learns where a and b sit
    const started = await Promise.all(
      ids.flatMap((id) => ['1.0.0', '1.1.0'].map((label) => api.startPublish(id, label))),
    );
    // The version is gone before its job completes.
    await api.deleteVersion(ids[1]!, '1.1.0');
    const before = api.stats.requests;
    api.flushPublications();
    const outcomes = await Promise.allSettled(started.map((s) => s.published));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    const err = (outcomes[3] as PromiseRejectedResult).reason;
    expect(err).toMatchObject({ status: 404, code: 'not.found' });
    expect(err.message).toMatch(/was deleted while it was being published/);
    // A listing page a round (the jobs take 200 ms) and two reads for the deleted one; a poll per job would be about 14.
    expect(api.stats.requests - before).toBeLessThanOrEqual(10);
    expect((await api.getVersion(ids[0]!, '1.1.0')).state).toBe('Published');
  });

  it('a template the directory does not know (made by someone else) is confirmed by its job', async () => {
    emu = await startTestEmulator({ publishDelayMs: 20 });
    const other = emu.api;
    const t = await other.createTemplate({ name: 'theirs', model: 'gpt-4o' });
    await other.createVersion(t.id, versionWire('1.0.0'));
    const mine = createGatewayClient({
      landed: gatewayWriteChecks,
      apiUrl: emu.url,
      loginUrl: emu.url,
      clientId: 'local-client',
      clientSecret: 'local-secret',
      targetLabel: 'second client',
    });
    try {
      const job = await mine.publishVersion(t.id, '1.0.0');
      expect(job.status).toBe('Succeeded');
      expect((await mine.getVersion(t.id, '1.0.0')).state).toBe('Published');
    } finally {
      await mine.close();
    }
  });

  it('a batched publication nobody flushes is looked at by its deadline, not failed unseen', async () => {
    emu = await startTestEmulator({ publishDelayMs: 50 });
    const api = emu.api;
    const t = await api.createTemplate({ name: 'unflushed', model: 'gpt-4o' });
    await api.createVersion(t.id, versionWire('1.0.0'));
    const { published } = await api.startPublish(t.id, '1.0.0', { timeoutMs: 1000 });
    expect(await published).toMatchObject({ status: 'Succeeded' });
  });

  it('a publication that outlasts its timeout fails with job.timeout, batched or not', async () => {
    emu = await startTestEmulator({ publishDelayMs: 60_000 });
    const api = emu.api;
    const t = await api.createTemplate({ name: 'slow', model: 'gpt-4o' });
    await api.createVersion(t.id, versionWire('1.0.0'));
    await api.createVersion(t.id, versionWire('1.1.0'));
    expect(await rejection(api.publishVersion(t.id, '1.0.0', { timeoutMs: 150 }))).toMatchObject({ code: 'job.timeout' });
    const { published } = await api.startPublish(t.id, '1.1.0', { timeoutMs: 150 });
    expect(await rejection(published)).toMatchObject({ code: 'job.timeout' });
  });
});
