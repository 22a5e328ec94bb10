// Fidelity: the official Genesys Cloud JavaScript SDK, pointed at the emulator through its gateway
// setting, logs in with client credentials and reads and writes LLM Gateway resources.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paths } from '../../src/targets/llmgateway/paths.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';

const require = createRequire(import.meta.url);

interface SdkClient {
  setGateway(g: { host: string; protocol: string; port: number }): void;
  loginClientCredentialsGrant(id: string, secret: string): Promise<{ accessToken: string; tokenExpiryTime: number }>;
  callApi(
    path: string,
    method: string,
    pathParams: Record<string, unknown>,
    queryParams: Record<string, unknown>,
    headerParams: Record<string, unknown>,
    formParams: Record<string, unknown>,
    body: unknown,
    authNames: string[],
    contentTypes: string[],
    accepts: string[],
  ): Promise<any>;
}

let em: RunningEmulator;
let client: SdkClient;

beforeAll(async () => {
  em = await startEmulator({ port: 0 });
  const platformClient = require('purecloud-platform-client-v2') as { ApiClient: { instance: SdkClient } };
  client = platformClient.ApiClient.instance;
  client.setGateway({ host: '127.0.0.1', protocol: 'http', port: em.port });
});
afterAll(async () => {
  await em?.close();
});

const call = (path: string, method: string, query: Record<string, unknown> = {}, body: unknown = null, pathParams: Record<string, unknown> = {}) =>
  client.callApi(path, method, pathParams, query, {}, {}, body, ['PureCloud OAuth'], ['application/json'], ['application/json']);

describe('official SDK (purecloud-platform-client-v2) against the emulator', () => {
  it('refuses bad credentials', async () => {
    await expect(client.loginClientCredentialsGrant('local-client', 'wrong-secret')).rejects.toBeTruthy();
  });

  it('logs in with client credentials and reads, writes and pages listings', async () => {
    const auth = await client.loginClientCredentialsGrant('local-client', 'local-secret');
    expect(auth.accessToken).toEqual(expect.any(String));
    expect(auth.tokenExpiryTime).toBeGreaterThan(Date.now());

    const empty = await call('/api/v2/llmgateway/prompttemplates', 'GET', { pageSize: 25, pageNumber: 1 });
    expect(empty).toMatchObject({ entities: [], total: 0, pageSize: 25, pageNumber: 1 });

    for (const name of ['sdk-b', 'sdk-a', 'sdk-c']) {
      const created = await call('/api/v2/llmgateway/prompttemplates', 'POST', {}, { name, model: 'gpt-4o' });
      expect(created.name).toBe(name);
    }
    const page = await call('/api/v2/llmgateway/prompttemplates', 'GET', { pageSize: 2, pageNumber: 1, expand: 'versions,traffic' });
    expect(page).toMatchObject({ total: 3, pageCount: 2, pageSize: 2 });
    expect(page.entities.map((t: { name: string }) => t.name)).toEqual(['sdk-a', 'sdk-b']);
    expect(page.entities[0].traffic).toBeNull();
    expect(page.nextUri).toContain('pageNumber=2');

    // Path parameters are substituted and URI-encoded by the SDK.
    const one = await call('/api/v2/llmgateway/prompttemplates/{templateId}', 'GET', {}, null, { templateId: page.entities[0].id });
    expect(one.selfUri).toBe(paths.template(page.entities[0].id));

    // Errors come back as the ErrorBody.
    await expect(call('/api/v2/llmgateway/prompttemplates/{templateId}', 'GET', {}, null, { templateId: 'missing' })).rejects.toMatchObject({
      status: 404,
      code: 'not.found',
    });
  });
});
