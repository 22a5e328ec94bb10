// Credentials never reach an error: not its message, String(), JSON, or stack. Against the real
// emulator (bad secret, unreachable port, API errors), and against a hostile server that echoes
// the Authorization header back in its error bodies (the scrubber's last line of defence).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/genesys/errors.js';
import { createGatewayClient, type ClientOptions } from '../../src/targets/llmgateway/client.js';
import { basicCredential } from '../../src/genesys/redact.js';
import { CLIENT_ID, CLIENT_SECRET, rejection, setup, startRecordingProxy, versionBody, type Env } from './client-support.js';
import { gatewayWriteChecks } from '../../src/kinds/index.js';

let env: Env | undefined;
const servers: Server[] = [];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  await env?.close();
  env = undefined;
});

function client(url: string, extra: Partial<ClientOptions> = {}) {
  const c = createGatewayClient({ landed: gatewayWriteChecks,
    apiUrl: url,
    loginUrl: url,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    targetLabel: url,
    backoffBaseMs: 10,
    backoffCapMs: 50,
    ...extra,
  });
  closers.push(() => c.close());
  return c;
}

/** Every way an error is commonly shown, none of which may hold a secret. */
function expectClean(err: Error, secrets: string[]): void {
  const renderings = [err.message, String(err), JSON.stringify(err), err.stack ?? '', JSON.stringify(Object.entries(err))];
  for (const text of renderings) {
    for (const s of secrets) expect(text).not.toContain(s);
    expect(text).not.toMatch(/Bearer\s+(?!\[redacted\])\S/i);
    expect(text).not.toMatch(/Basic\s+(?!\[redacted\])\S/i);
  }
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('redaction against the emulator', () => {
  it('a wrong secret: "authentication failed", without the secret or the Basic credential', async () => {
    env = await setup({ clientSecret: 'the-real-secret' });
    const wrong = 'wrong-secret-value-123';
    const c = client(env.emulator.url, { clientSecret: wrong });
    const err = await rejection(c.listTemplates());
    expect(err).toMatchObject({ status: 401, code: 'authentication.failed' });
    expect(err.message).toMatch(/^authentication failed/);
    expect(err.message).toContain('GENESYSCLOUD_OAUTHCLIENT_SECRET');
    expectClean(err, [wrong, basicCredential(CLIENT_ID, wrong), 'the-real-secret']);
  });

  it('an unreachable port: a short, clean connection error', async () => {
    const url = await listen(() => {});
    await new Promise((r) => servers.pop()!.close(r)); // nothing listens there now
    const c = client(url);
    const err = await rejection(c.getTemplate('x'));
    expect(err).toMatchObject({ status: 0, code: 'ECONNREFUSED' });
    expect(err.message).toContain('connection refused');
    expectClean(err, [CLIENT_SECRET, basicCredential(CLIENT_ID, CLIENT_SECRET)]);
  });

  it('API errors and dropped connections carry no token', async () => {
    env = await setup({ faultRate: 0.3, seed: 99 });
    // See the client's real tokens the way an eavesdropper would: on the wire.
    const proxy = await startRecordingProxy(() => env!.emulator.url);
    closers.push(() => proxy.close());
    const c = client(proxy.url, { maxRetries: 1 });
    const errors: ApiError[] = [];
    for (let i = 0; i < 12; i++) {
      errors.push(await rejection(c.getTemplate(`missing-${i}`)));
      errors.push(await rejection(c.createVersion(`missing-${i}`, versionBody('1.0.0'))));
    }
    const tokens = [...new Set(proxy.log.map((x) => x.authorization?.replace(/^Bearer /, '')).filter((t) => t && t.length > 20))] as string[];
    expect(tokens.length).toBeGreaterThan(0);
    expect(proxy.log.some((x) => x.status === 'dropped')).toBe(true);
    expect(errors.some((e) => e.status === 404)).toBe(true);
    for (const e of errors) expectClean(e, [...tokens, CLIENT_SECRET, basicCredential(CLIENT_ID, CLIENT_SECRET)]);
  });
});

describe('redaction against a hostile server', () => {
  it('scrubs credentials a server echoes back in error bodies', async () => {
    const token = 'tok_' + 'Zx9'.repeat(20);
    const url = await listen((req, res) => {
      if (req.url?.startsWith('/oauth/token')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: token, token_type: 'bearer', expires_in: 3600 }));
        return;
      }
      // Echo everything sensitive: the header, the raw token, a JSON access_token field.
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          code: 'bad.request',
          status: 400,
          contextId: 'c',
          message: `you sent Authorization: ${req.headers.authorization}; raw ${token}; {"access_token":"${token}"}; secret ${CLIENT_SECRET}`,
        }),
      );
    });
    const c = client(url);
    const err = await rejection(c.listFilters());
    expect(err).toMatchObject({ status: 400, code: 'bad.request' });
    expect(err.message).toContain('you sent Authorization');
    expectClean(err, [token, CLIENT_SECRET]);
  });

  it('scrubs a login server that echoes the Basic credential, and reports a non-JSON 502 plainly', async () => {
    const basic = basicCredential(CLIENT_ID, CLIENT_SECRET);
    const url = await listen((req, res) => {
      if (req.url?.startsWith('/oauth/token')) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'invalid_client', error_description: `bad ${req.headers.authorization}` }));
        return;
      }
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>Bad Gateway</body></html>');
    });
    const err = await rejection(client(url).listFilters());
    expect(err.code).toBe('authentication.failed');
    expectClean(err, [basic, CLIENT_SECRET]);
  });

  it('scrubs a login server that echoes the credentials in another letter case, as they are or in base64', async () => {
    const secret = 'S3cret-Value-xy9';
    const pair = `${CLIENT_ID}:${secret}`;
    const forms = (p: string) => [p.toUpperCase(), p.toLowerCase(), Buffer.from(p.toUpperCase()).toString('base64'), Buffer.from(`{"auth":"${p.toLowerCase()}"}`).toString('base64url')];
    for (const status of [401, 500]) {
      const url = await listen((req, res) => {
        req.resume();
        const echoed = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: `invalid_client ${echoed.toUpperCase()}`, error_description: `refused ${forms(echoed).join(' ; ')} ; secret ${secret.toUpperCase()}` }));
      });
      const err = await rejection(client(url, { clientSecret: secret, maxRetries: 0 }).listFilters());
      expect(err.status).toBe(status);
      // Named since the redactor says which value it hid ("[redacted: GENESYSCLOUD_OAUTHCLIENT_SECRET]").
      expect(err.message).toMatch(/\[redacted(?::[^\]]*)?\]/);
      expectClean(err, [secret.toUpperCase(), secret.toLowerCase(), ...forms(pair)]);
    }
  });

  it('a server that never answers: a timeout, within the budget, without credentials', async () => {
    const url = await listen((req, res) => {
      if (req.url?.startsWith('/oauth/token')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'tok-hang-123456', token_type: 'bearer', expires_in: 3600 }));
      }
      // API requests hang forever (closed when the test's server closes).
    });
    const c = client(url, { timeoutMs: 200, retryBudgetMs: 1000 });
    const err = await rejection(c.listFilters());
    expect(err).toMatchObject({ status: 0, code: 'ETIMEDOUT' });
    expect(err.message).toMatch(/timed out.*gave up after \d+ attempts/);
    expectClean(err, ['tok-hang-123456', CLIENT_SECRET]);
    servers.forEach((s) => s.closeAllConnections());
  });

  it('a publish job that fails: ApiError with the job’s errors', async () => {
    const url = await listen((req, res) => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url?.startsWith('/oauth/token')) return send(200, { access_token: 'tok-job-123456', token_type: 'bearer', expires_in: 3600 });
      if (req.method === 'POST') return send(202, { id: 'job-1', status: 'Running', errors: [], selfUri: '/x' });
      send(200, {
        id: 'job-1',
        status: 'Failed',
        errors: [{ message: 'model gpt-9 is not available', code: 'model.unavailable', status: 422, contextId: 'ctx-1' }],
        selfUri: '/x',
      });
    });
    const err = await rejection(client(url).publishVersion('t-1', '1.0.0'));
    expect(err).toMatchObject({ status: 422, code: 'job.failed', correlationId: 'ctx-1' });
    expect(err.message).toContain('model.unavailable: model gpt-9 is not available');
  });
});
