// The emulator's Genesys conventions over real HTTP: OAuth, bearer tokens, headers, ErrorBody, routing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_BASE, paths } from '../../src/targets/llmgateway/paths.js';
import { TOKEN_PATH } from '../../src/genesys/conventions.js';
import { startEmulator } from '../../src/emulator/server.js';
import { Api, emulatorForFile } from './emulator-fixture.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

const api = emulatorForFile({ clientId: 'ci-client', clientSecret: 'ci-secret' });

describe('OAuth client credentials', () => {
  it('issues a bearer token for Basic credentials and a form body', async () => {
    const a = new Api(api.url);
    const r = await a.login('ci-client', 'ci-secret');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 86400 });
    expect(r.body.access_token.length).toBeGreaterThanOrEqual(32);
    expect(r.headers.get('ININ-Correlation-Id')).toMatch(UUID);
    const again = await new Api(api.url).login('ci-client', 'ci-secret');
    expect(again.body.access_token).not.toBe(r.body.access_token);
  });

  it('refuses bad credentials with the login host error shape', async () => {
    for (const [id, secret] of [
      ['ci-client', 'wrong'],
      ['someone', 'ci-secret'],
      ['', ''],
    ] as const) {
      const r = await new Api(api.url).login(id, secret);
      expect(r.status).toBe(401);
      expect(r.body).toEqual({
        error: 'invalid_client',
        description: 'authentication failed',
        error_description: 'authentication failed',
      });
    }
  });

  it('refuses a grant other than client_credentials, and methods other than POST', async () => {
    const r = await fetch(api.url + TOKEN_PATH, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from('ci-client:ci-secret').toString('base64')}` },
      body: 'grant_type=password',
    });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toBe('unsupported_grant_type');
    const g = await fetch(api.url + TOKEN_PATH);
    expect(g.status).toBe(405);
  });

  it('answers 401 bad.credentials for a missing, unknown or expired bearer token', async () => {
    const none = await new Api(api.url).get(paths.templates());
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ code: 'bad.credentials', status: 401 });
    expect(none.body.contextId).toBe(none.headers.get('ININ-Correlation-Id'));

    const unknown = new Api(api.url);
    unknown.token = 'not-a-token';
    expect((await unknown.get(paths.templates())).body.code).toBe('bad.credentials');

  });

  it("refuses a token of another client, once restarted on the same state with other credentials (a review: the old token still worked)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'promptctl-rotated-'));
    const stateFile = join(dir, 'state.json');
    try {
      const first = await startEmulator({ stateFile, clientId: 'old-client', clientSecret: 'old-secret' });
      const a = new Api(first.url);
      try {
        expect((await a.login('old-client', 'old-secret')).status).toBe(200);
        expect((await a.get(paths.templates())).status).toBe(200);
      } finally {
        await first.close();
      }
      const rotated = await startEmulator({ stateFile, clientId: 'new-client', clientSecret: 'new-secret' });
      try {
        const again = new Api(rotated.url);
        again.token = a.token;
        const r = await again.get(paths.templates());
        expect(r.status).toBe(401);
        expect(r.body.code).toBe('bad.credentials');
        expect((await again.login('new-client', 'new-secret')).status).toBe(200);
        expect((await again.get(paths.templates())).status).toBe(200);
      } finally {
        await rotated.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('expires tokens after tokenTtlSeconds', async () => {
    // A zero lifetime makes the expiry deterministic: the token is already expired on first use.
    const expired = await startEmulator({ tokenTtlSeconds: 0 });
    try {
      const a = new Api(expired.url);
      const login = await a.login();
      expect(login.status).toBe(200);
      expect(login.body.expires_in).toBe(0);
      const r = await a.get(paths.templates());
      expect(r.status).toBe(401);
      expect(r.body.code).toBe('bad.credentials');
    } finally {
      await expired.close();
    }
  });
});

describe('conventions on every response', () => {
  it('echoes the caller correlation id, or makes one, and carries the rate-limit headers', async () => {
    const fresh = new Api(api.url);
    await fresh.login('ci-client', 'ci-secret');
    const echoed = await fresh.req('GET', paths.templates(), undefined, { 'ININ-Correlation-Id': 'my-corr-123' });
    expect(echoed.headers.get('inin-correlation-id')).toBe('my-corr-123');
    const made = await fresh.get(paths.filters());
    expect(made.headers.get('inin-correlation-id')).toMatch(UUID);
    expect(made.headers.get('inin-ratelimit-allowed')).toBe('300');
    expect(made.headers.get('inin-ratelimit-count')).toBe('2');
    expect(Number(made.headers.get('inin-ratelimit-reset'))).toBeGreaterThan(0);
    expect(made.headers.get('content-type')).toMatch(/^application\/json/);
    const err = await fresh.get(`${API_BASE}/nothing-here`);
    expect(err.headers.get('inin-ratelimit-count')).toBe('3');
    expect(err.body.contextId).toBe(err.headers.get('inin-correlation-id'));
  });

  it('returns entities in camelCase with uuid ids, UTC timestamps, users and selfUri', async () => {
    const a = new Api(api.url);
    await a.login('ci-client', 'ci-secret');
    const r = await a.post(paths.templates(), { name: 'conventions', model: 'gpt-4o', description: 'd', labels: { team: 'x' } });
    expect(r.status).toBe(201);
    const t = r.body;
    expect(t.id).toMatch(UUID);
    expect(t.dateCreated).toMatch(ISO);
    expect(t.dateModified).toBe(t.dateCreated);
    expect(t.createdBy.id).toMatch(UUID);
    expect(t.modifiedBy).toEqual(t.createdBy);
    expect(t.selfUri).toBe(paths.template(t.id));
    expect(t).toMatchObject({ name: 'conventions', model: 'gpt-4o', description: 'd', labels: { team: 'x' }, version: 1 });
    // The user id is derived from the client id: the same on every token.
    const b = new Api(api.url);
    await b.login('ci-client', 'ci-secret');
    const f = await b.post(paths.filters(), {
      name: 'conventions',
      priority: 1,
      categories: ['pii'],
      action: 'flag_and_pass',
      thresholds: { pii: 0.4 },
      falsePositiveTolerance: 0,
    });
    expect(f.body.createdBy.id).toBe(t.createdBy.id);
  });
});

describe('errors', () => {
  it('names the one value a field takes: a publish job asked for another state (a review: "must be equal to constant")', async () => {
    const id = await api.template('const-named');
    expect((await api.version(id, '1.0.0')).status).toBe(201);
    const r = await api.post<any>(paths.jobs(id, '1.0.0'), { state: 'Draft' });
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('state must be "Published"');
  });

  it('404 not.found for unknown routes and unknown ids, 405 method.not.allowed for wrong methods', async () => {
    const unknownRoute = await api.get(`${API_BASE}/widgets`);
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.body).toMatchObject({ code: 'not.found', status: 404, message: expect.any(String) });
    expect((await api.get('/nowhere')).body.code).toBe('not.found');
    const unknownId = await api.get(paths.template('00000000-0000-0000-0000-000000000000'));
    expect(unknownId.status).toBe(404);
    expect(unknownId.body.code).toBe('not.found');

    const wrong = await api.req('PATCH', paths.templates(), { name: 'x' });
    expect(wrong.status).toBe(405);
    expect(wrong.body).toMatchObject({ code: 'method.not.allowed', status: 405 });
    expect(wrong.headers.get('allow')).toBe('GET, HEAD, POST');
    expect((await api.req('DELETE', paths.filters())).status).toBe(405);
  });

  it('400 bad.request for malformed JSON or a missing body', async () => {
    const bad = await api.req('POST', paths.templates(), '{"name": "x",');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'bad.request', status: 400 });
    const empty = await api.req('POST', paths.templates(), '');
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('bad.request');
  });

  it('400 invalid.value naming the field for a schema-invalid body', async () => {
    const cases: Array<[unknown, string]> = [
      [{ model: 'gpt-4o' }, 'name'],
      [{ name: '   ', model: 'gpt-4o' }, 'name'],
      [{ name: 'ok-name', model: 'gpt-4o', colour: 'red' }, 'colour'],
      [{ name: 'ok-name', model: 'gpt-4o', labels: { team: 7 } }, 'labels.team'],
      [[1, 2], 'body'],
    ];
    for (const [body, field] of cases) {
      const r = await api.post(paths.templates(), body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.code).toBe('invalid.value');
      expect(r.body.details[0].fieldName).toBe(field);
      expect(r.body.message).toContain(field === 'body' ? 'request body' : field);
    }
  });

  it('invocations and analytics refuse bad bodies with 400 and an ErrorBody naming the field', async () => {
    const inv = await api.post(paths.invocations(), { templateId: 'x' });
    expect(inv.status).toBe(400);
    expect(inv.body).toMatchObject({ code: 'invalid.value', status: 400, details: [{ fieldName: 'template' }] });
    const an = await api.post(paths.analytics(), { interval: 'x' });
    expect(an.status).toBe(400);
    expect(an.body).toMatchObject({ code: 'invalid.value', status: 400, details: [{ fieldName: 'metrics' }] });
  });

  it('stale PUT → 409 version.mismatch with the versions in messageParams, and nothing changes', async () => {
    const id = await api.template('stale-put');
    const ok = await api.put(paths.template(id), { name: 'stale-put', model: 'gpt-4o-mini', version: 1 });
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(2);
    const stale = await api.put(paths.template(id), { name: 'stale-put', model: 'o3', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'version.mismatch', messageParams: { current: '2', sent: '1' } });
    expect(stale.body.messageWithParams).toContain('{current}');
    const now = await api.get(paths.template(id));
    expect(now.body).toMatchObject({ model: 'gpt-4o-mini', version: 2 });
  });
});

describe('ids and labels are data', () => {
  it('answers 404 for __proto__, constructor and toString as for any unknown id, and stores nothing under them', async () => {
    const a = new Api(api.url);
    await a.login('ci-client', 'ci-secret');
    const t = await a.req('POST', paths.templates(), { name: 'ids-as-data', model: 'gpt-4o' });
    expect(t.status).toBe(201);
    const count = async () => (await a.req('GET', `${paths.templates()}?pageSize=100`)).body.total as number;
    const before = await count();
    for (const id of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect((await a.req('GET', paths.template(id))).status, id).toBe(404);
      expect((await a.req('PUT', paths.template(id), { name: 'x', model: 'gpt-4o', version: 1 })).status, id).toBe(404);
      expect((await a.req('DELETE', paths.filter(id))).status, id).toBe(404);
      expect((await a.req('GET', paths.version(t.body.id, id))).status, id).toBe(404);
      expect((await a.req('GET', paths.job(t.body.id, '1.0.0', id))).status, id).toBe(404);
    }
    expect(await count()).toBe(before);
    expect((await a.req('GET', paths.template(t.body.id))).status).toBe(200);
  });
});
