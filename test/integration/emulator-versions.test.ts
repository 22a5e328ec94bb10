// Versions, publish jobs and traffic splits over real HTTP.
import { describe, expect, it } from 'vitest';
import { paths } from '../../src/targets/llmgateway/paths.js';
import { versionContentHash, type VersionContent } from '../../src/targets/llmgateway/wire.js';
import { startEmulator } from '../../src/emulator/server.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, boot, emulatorForFile, versionBody } from './emulator-fixture.js';

const api = emulatorForFile({ publishDelayMs: 1 });

const contentOf = (b: Record<string, unknown>): VersionContent => {
  const { version: _label, ...content } = b;
  return content as unknown as VersionContent;
};

describe('versions', () => {
  it('creates a Draft with the content hash of wire.ts, and refuses an existing label', async () => {
    const id = await api.template('ver-create');
    const body = versionBody('1.0.0', { temperature: 0.3, maxTokens: 400, safetyGuardrails: { piiFilter: false } });
    const r = await api.post(paths.versions(id), body);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ templateId: id, version: '1.0.0', name: '1.0.0', state: 'Draft', temperature: 0.3 });
    expect(r.body.contentHash).toBe(versionContentHash(contentOf(body)));
    expect(r.body.selfUri).toBe(paths.version(id, '1.0.0'));
    expect(r.body.datePublished).toBeUndefined();
    const again = await api.post(paths.versions(id), versionBody('1.0.0', { userTemplate: 'Other {{question}}' }));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('version.exists');
    expect((await api.get(paths.version(id, '1.0.0'))).body.contentHash).toBe(r.body.contentHash);
  });

  it('refuses placeholder/variable mismatches either way with 400 invalid.variables', async () => {
    const id = await api.template('ver-vars');
    const undeclared = await api.post(paths.versions(id), versionBody('1.0.0', { userTemplate: '{{question}} and {{account}}' }));
    expect(undeclared.status).toBe(400);
    expect(undeclared.body.code).toBe('invalid.variables');
    expect(undeclared.body.message).toContain('account');
    const unused = await api.post(
      paths.versions(id),
      versionBody('1.0.0', { variables: [{ name: 'customer', type: 'string' }, { name: 'question', type: 'string' }, { name: 'spare', type: 'number' }] }),
    );
    expect(unused.status).toBe(400);
    expect(unused.body.code).toBe('invalid.variables');
    expect(unused.body.details.map((d: { fieldName: string }) => d.fieldName)).toContain('variables.spare');
    const none = await api.post(paths.versions(id), { version: '1.0.0', systemInstruction: 'plain', userTemplate: 'no placeholders' });
    expect(none.status).toBe(201);
    expect(none.body.variables).toBeUndefined();
  });

  it('refuses a default no call could send as a value with 400 invalid.variables, at create and PATCH', async () => {
    // Stored, such defaults were rendered into every call that left the variable out, though the
    // same values sent were refused.
    const id = await api.template('ver-defaults');
    const vars = (extra: Record<string, unknown> = {}) => ({
      userTemplate: 'n={{n}} k={{k}} s={{s}} b={{b}}',
      systemInstruction: 'plain',
      variables: [
        { name: 'n', type: 'number', default: 'abc' },
        { name: 'k', type: 'enum', values: ['a', 'b'], default: 'zzz' },
        { name: 's', type: 'string', maxLength: 3, default: 'toolong' },
        { name: 'b', type: 'boolean', default: true },
      ],
      ...extra,
    });
    const bad = await api.post(paths.versions(id), { version: '1.0.0', ...vars() });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid.variables');
    expect(bad.body.message).toBe(
      'the default of variable n must be a number, got a string; the default of variable k must be one of a, b, got "zzz"; ' +
        'the default of variable s is 7 characters long, more than its maxLength 3',
    );
    expect(bad.body.details).toEqual(['n', 'k', 's'].map((n) => ({ errorCode: 'invalid.variables', fieldName: `variables.${n}.default` })));
    expect((await api.get(paths.version(id, '1.0.0'))).status).toBe(404);

    // With a placeholder mismatch too, one refusal says both.
    const both = await api.post(paths.versions(id), { version: '1.0.0', ...vars({ userTemplate: 'n={{n}} k={{k}} s={{s}} b={{b}} {{extra}}' }) });
    expect(both.body.message).toMatch(/^placeholders not declared as variables: extra; the default of variable n /);

    // Defaults a call could send are kept, a required variable's too (the gateway fills it in).
    const fine = [
      { name: 'n', type: 'number', default: 3 },
      { name: 'k', type: 'enum', values: ['a', 'b'], default: 'b', required: true },
      { name: 's', type: 'string', maxLength: 3, default: 'abc' },
      { name: 'b', type: 'boolean', default: false },
    ];
    const ok = await api.post(paths.versions(id), { version: '1.0.0', ...vars({ variables: fine }) });
    expect(ok.status).toBe(201);
    const patched = await api.patch(paths.version(id, '1.0.0'), { variables: [...fine.slice(0, 3), { name: 'b', type: 'boolean', default: 'yes' }] });
    expect(patched.status).toBe(400);
    expect(patched.body.message).toBe('the default of variable b must be a boolean, got a string');
    expect((await api.get(paths.version(id, '1.0.0'))).body.variables).toEqual(fine);

    // The check is the one a call's values get: the same value sent is refused in the same words.
    await api.publish(id, '1.0.0');
    const sent = await api.post(paths.invocations(), { template: 'ver-defaults', variables: { n: 'abc', k: 'zzz' } });
    expect(sent.status).toBe(400);
    expect(sent.body.message).toBe('variable n must be a number, got a string; variable k must be one of a, b, got "zzz"');
  });

  it('refuses a bad semver label and bad fields with 400 naming the field', async () => {
    const id = await api.template('ver-bad');
    for (const [extra, field] of [
      [{ version: '1.0' }, 'version'],
      [{ version: 1 }, 'version'],
      [{ temperature: 3 }, 'temperature'],
      [{ variables: [{ name: 'customer', type: 'date' }, { name: 'question', type: 'string' }] }, 'variables[0].type'],
      [{ fewShotExamples: [{ input: 'x' }] }, 'fewShotExamples[0].output'],
    ] as const) {
      const r = await api.post(paths.versions(id), versionBody('1.0.0', extra));
      expect(r.status, JSON.stringify(extra)).toBe(400);
      expect(r.body.code).toBe('invalid.value');
      expect(r.body.details[0].fieldName).toBe(field);
    }
    expect((await api.post(paths.versions('00000000-0000-0000-0000-000000000000'), versionBody('1.0.0'))).status).toBe(404);
  });

  it('PATCH changes a Draft and its hash; a Published version is immutable (409 version.immutable)', async () => {
    const id = await api.template('ver-patch');
    const created = await api.version(id, '2.0.0');
    const patched = await api.patch(paths.version(id, '2.0.0'), { temperature: 1.2, userTemplate: 'Q: {{question}}' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ temperature: 1.2, userTemplate: 'Q: {{question}}', state: 'Draft' });
    expect(patched.body.contentHash).not.toBe(created.body.contentHash);
    expect(patched.body.contentHash).toBe(
      versionContentHash({ ...contentOf(versionBody('2.0.0')), temperature: 1.2, userTemplate: 'Q: {{question}}' }),
    );
    // null clears an optional field; the hash follows.
    const cleared = await api.patch(paths.version(id, '2.0.0'), { temperature: null });
    expect(cleared.body.temperature).toBeUndefined();
    expect(cleared.body.contentHash).toBe(versionContentHash({ ...contentOf(versionBody('2.0.0')), userTemplate: 'Q: {{question}}' }));
    const mismatch = await api.patch(paths.version(id, '2.0.0'), { userTemplate: 'Q: {{other}}' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.code).toBe('invalid.variables');
    const relabel = await api.patch(paths.version(id, '2.0.0'), { version: '2.0.1' });
    expect(relabel.status).toBe(400);

    const job = await api.publish(id, '2.0.0');
    expect(job.status).toBe('Succeeded');
    const published = await api.get(paths.version(id, '2.0.0'));
    const frozen = await api.patch(paths.version(id, '2.0.0'), { temperature: 0.1 });
    expect(frozen.status).toBe(409);
    expect(frozen.body.code).toBe('version.immutable');
    expect((await api.get(paths.version(id, '2.0.0'))).body).toEqual(published.body);
  });

  it('lists versions in semver order with paging', async () => {
    const id = await api.template('ver-list');
    for (const v of ['1.10.0', '1.2.0', '1.2.0-rc.1', '0.9.0']) expect((await api.version(id, v)).status).toBe(201);
    const r = await api.get(paths.versions(id));
    expect(r.body.entities.map((v: { version: string }) => v.version)).toEqual(['0.9.0', '1.2.0-rc.1', '1.2.0', '1.10.0']);
    expect(r.body.total).toBe(4);
    const p = await api.get(`${paths.versions(id)}?pageSize=3&pageNumber=2`);
    expect(p.body.entities.map((v: { version: string }) => v.version)).toEqual(['1.10.0']);
    expect(p.body.pageCount).toBe(2);
  });

  it('DELETE removes a Draft or a Published version unless it is routed (409 version.in.use)', async () => {
    const id = await api.template('ver-delete');
    await api.version(id, '1.0.0');
    await api.version(id, '1.1.0');
    await api.version(id, '1.2.0');
    await api.publish(id, '1.0.0');
    await api.publish(id, '1.1.0');
    await api.put(paths.traffic(id), { routes: [{ version: '1.0.0', weight: 100 }], version: 0 });

    const routed = await api.del(paths.version(id, '1.0.0'));
    expect(routed.status).toBe(409);
    expect(routed.body.code).toBe('version.in.use');
    expect((await api.get(paths.version(id, '1.0.0'))).status).toBe(200);
    expect((await api.del(paths.version(id, '1.1.0'))).status).toBe(204);
    expect((await api.del(paths.version(id, '1.2.0'))).status).toBe(204);
    expect((await api.get(paths.version(id, '1.2.0'))).status).toBe(404);
    expect((await api.del(paths.version(id, '1.2.0'))).status).toBe(404);
  });
});

describe('publish jobs', () => {
  it('202 Running, then Succeeded; the version becomes Published with datePublished; re-publishing succeeds', async () => {
    const id = await api.template('job-life');
    await api.version(id, '1.0.0');
    const start = await api.post(paths.jobs(id, '1.0.0'), { state: 'Published' });
    expect(start.status).toBe(202);
    expect(start.body).toMatchObject({ id: expect.any(String), status: 'Running', errors: [] });
    expect(start.body.selfUri).toBe(paths.job(id, '1.0.0', start.body.id));
    let job = await api.get(start.body.selfUri);
    while (job.body.status === 'Running') job = await api.get(start.body.selfUri);
    expect(job.body).toEqual({ id: start.body.id, status: 'Succeeded', errors: [], selfUri: start.body.selfUri });
    const v = (await api.get(paths.version(id, '1.0.0'))).body;
    expect(v.state).toBe('Published');
    expect(v.datePublished).toMatch(/Z$/);

    const again = await api.publish(id, '1.0.0');
    expect(again.status).toBe('Succeeded');
    expect((await api.get(paths.version(id, '1.0.0'))).body.datePublished).toBe(v.datePublished);
  });

  it('refuses a body other than {state: Published}, unknown versions and unknown jobs', async () => {
    const id = await api.template('job-bad');
    await api.version(id, '1.0.0');
    const bad = await api.post(paths.jobs(id, '1.0.0'), { state: 'Draft' });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].fieldName).toBe('state');
    expect((await api.post(paths.jobs(id, '9.9.9'), { state: 'Published' })).status).toBe(404);
    expect((await api.get(paths.job(id, '1.0.0', 'no-such-job'))).status).toBe(404);
    expect((await api.get(paths.jobs(id, '1.0.0'))).status).toBe(405);
  });

  it('a job whose version is deleted while Running fails with errors', async () => {
    const slow = await boot({ publishDelayMs: 60_000 });
    try {
      const id = await slow.api.template('job-orphan');
      await slow.api.version(id, '1.0.0');
      const start = await slow.api.post(paths.jobs(id, '1.0.0'), { state: 'Published' });
      expect((await slow.api.get(start.body.selfUri)).body.status).toBe('Running');
      expect((await slow.api.get(paths.version(id, '1.0.0'))).body.state).toBe('Draft');
      expect((await slow.api.del(paths.version(id, '1.0.0'))).status).toBe(204);
      // The job went with its version.
      expect((await slow.api.get(start.body.selfUri)).status).toBe(404);
    } finally {
      await slow.em.close();
    }
  });

  it('a Running job survives a restart and completes afterwards', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'promptctl-job-'));
    const stateFile = join(dir, 'state.json');
    try {
      const first = await boot({ stateFile, publishDelayMs: 600_000 });
      const id = await first.api.template('job-restart');
      await first.api.version(id, '1.0.0');
      const start = await first.api.post(paths.jobs(id, '1.0.0'), { state: 'Published' });
      expect(start.body.status).toBe('Running');
      await first.em.close();

      // The second run's clock is past the job's ten minutes: the job it resumes is due at once.
      const second = await startEmulator({ stateFile, now: () => Date.now() + 600_000 });
      try {
        const api2 = new Api(second.url);
        await api2.login();
        await second.jobsSettled(); // the resumed job's timer has run
        // Reading the version completes nothing: only the resumed timer can have published it.
        expect((await api2.get(paths.version(id, '1.0.0'))).body.state).toBe('Published');
        expect((await api2.get(start.body.selfUri)).body.status).toBe('Succeeded');
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('traffic', () => {
  async function templateWith(name: string, published: string[], drafts: string[] = []): Promise<string> {
    const id = await api.template(name);
    for (const v of [...published, ...drafts]) await api.version(id, v);
    for (const v of published) await api.publish(id, v);
    return id;
  }

  it('404 until a split exists; PUT from version 0, then each PUT must carry the current version', async () => {
    const id = await templateWith('traffic-life', ['1.0.0', '1.1.0']);
    const none = await api.get(paths.traffic(id));
    expect(none.status).toBe(404);
    expect(none.body.code).toBe('not.found');
    const wrongStart = await api.put(paths.traffic(id), { strategy: 'random', routes: [{ version: '1.0.0', weight: 100 }], version: 1 });
    expect(wrongStart.status).toBe(409);
    expect(wrongStart.body.code).toBe('version.mismatch');

    const first = await api.put(paths.traffic(id), { strategy: 'random', routes: [{ version: '1.0.0', weight: 100 }], version: 0 });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ templateId: id, strategy: 'random', version: 1, selfUri: paths.traffic(id) });
    expect(first.body.modifiedBy.id).toEqual(expect.any(String));

    const split = { strategy: 'sticky', stickyKey: 'customerId', routes: [{ version: '1.0.0', weight: 90 }, { version: '1.1.0', weight: 10 }] };
    const second = await api.put(paths.traffic(id), { ...split, version: 1 });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ ...split, version: 2 });
    const stale = await api.put(paths.traffic(id), { strategy: 'random', routes: [{ version: '1.1.0', weight: 100 }], version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('version.mismatch');
    expect((await api.get(paths.traffic(id))).body).toEqual(second.body);
  });

  it('400 invalid.traffic for bad splits, and nothing changes', async () => {
    const id = await templateWith('traffic-rules', ['1.0.0', '1.1.0'], ['2.0.0-beta']);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ routes: [{ version: '1.0.0', weight: 60 }, { version: '1.1.0', weight: 30 }] }, 'routes'],
      [{ routes: [{ version: '1.0.0', weight: 50 }, { version: '1.0.0', weight: 50 }] }, 'routes[1].version'],
      [{ routes: [{ version: '1.0.0', weight: 50 }, { version: '2.0.0-beta', weight: 50 }] }, 'routes[1].version'],
      [{ routes: [{ version: '3.0.0', weight: 100 }] }, 'routes[0].version'],
      [{ routes: [{ version: '1.0.0', weight: 99.5 }, { version: '1.1.0', weight: 0.5 }] }, 'routes[0].weight'],
      [{ routes: [{ version: '1.0.0', weight: 101 }] }, 'routes[0].weight'],
      [{ strategy: 'sticky', routes: [{ version: '1.0.0', weight: 100 }] }, 'stickyKey'],
      [{ strategy: 'roundrobin', routes: [{ version: '1.0.0', weight: 100 }] }, 'strategy'],
      [{ routes: [] }, 'routes'],
    ];
    for (const [body, field] of cases) {
      const r = await api.put(paths.traffic(id), { strategy: 'random', ...body, version: 0 });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.code).toBe('invalid.traffic');
      expect(r.body.details[0].fieldName, JSON.stringify(body)).toBe(field);
    }
    expect((await api.get(paths.traffic(id))).status).toBe(404);
    // Zero-weight routes are allowed (a version kept warm but idle).
    const ok = await api.put(paths.traffic(id), { routes: [{ version: '1.0.0', weight: 100 }, { version: '1.1.0', weight: 0 }], version: 0 });
    expect(ok.status).toBe(200);
    expect(ok.body.strategy).toBe('random');
  });
});
