// A failed job's errors are ErrorBodies, whose contextId is a correlation id (DESIGN §3): the one
// the request that started the job carried, which the client logged for that call. Before, it was
// the job's own id, so a failed publish was reported (and audited) under a "correlation id" no
// request had sent. Over real HTTP, for a gateway publish job and a guide publish job alike; the
// emulator's clock is moved by hand so the jobs fall due without waiting.
import { describe, expect, it } from 'vitest';
import { paths } from '../../src/targets/llmgateway/paths.js';
import { paths as aiPaths } from '../../src/targets/aistudio/paths.js';
import { CORRELATION_HEADER } from '../../src/genesys/conventions.js';
import { boot } from './emulator-fixture.js';

describe("a failed job's errors", () => {
  it('name the publish request’s correlation id as their contextId (a gateway version edited while it publishes)', async () => {
    let clock = Date.now();
    const { em, api } = await boot({ publishDelayMs: 60_000, now: () => clock });
    try {
      const id = await api.template('job-context');
      expect((await api.version(id, '1.0.0')).status).toBe(201);
      const start = await api.req('POST', paths.jobs(id, '1.0.0'), { state: 'Published' }, { [CORRELATION_HEADER]: 'publish-call-1' });
      expect(start.status).toBe(202);
      // Edited while the job runs: what it was asked to publish is gone, so it fails.
      expect((await api.patch(paths.version(id, '1.0.0'), { systemInstruction: 'You help {{customer}} now.' })).status).toBe(200);
      clock += 60_000;
      const job = await api.req('GET', start.body.selfUri, undefined, { [CORRELATION_HEADER]: 'poll-call' });
      expect(job.body.status).toBe('Failed');
      expect(job.body.errors).toHaveLength(1);
      expect(job.body.errors[0]).toMatchObject({ code: 'version.mismatch', status: 409, contextId: 'publish-call-1' });
    } finally {
      await em.close();
    }
  });

  it('name the publish request’s correlation id as their contextId (a guide version published past TestReady first)', async () => {
    let clock = Date.now();
    const { em, api } = await boot({ publishDelayMs: 60_000, now: () => clock, aiStudio: { newGuideDraft: false } });
    try {
      const g = await api.post(aiPaths.guides(), { name: 'Job context', source: 'Manual' });
      const v = await api.post(aiPaths.guideVersions(g.body.id), { instruction: 'Help.' });
      expect(v.status, JSON.stringify(v.body)).toBe(200);
      const jobs = aiPaths.guideVersionJobs(g.body.id, v.body.version);
      const toTest = await api.req('POST', jobs, { guideVersion: { state: 'TestReady' } }, { [CORRELATION_HEADER]: 'test-ready-call' });
      const toProduction = await api.req('POST', jobs, { guideVersion: { state: 'ProductionReady' } }, { [CORRELATION_HEADER]: 'production-call' });
      expect([toTest.status, toProduction.status]).toEqual([202, 202]);
      clock += 60_000;
      // The ProductionReady job finishes first; the TestReady one then cannot take the version back.
      expect((await api.get(toProduction.body.selfUri)).body.status).toBe('Succeeded');
      const failed = await api.get(toTest.body.selfUri);
      expect(failed.body.status).toBe('Failed');
      expect(failed.body.errors[0]).toMatchObject({ code: 'invalid.state', contextId: 'test-ready-call' });
    } finally {
      await em.close();
    }
  });
});
