// An environment's config loginUrl goes with the config's host: when its <prefix>_API_URL or
// _REGION variable names another host, the client's credentials must not be sent to the
// config's login host (another org's, or the real platform's while the API is an emulator).
import { describe, expect, it } from 'vitest';
import { resolveTarget, targetVariables } from '../../../src/genesys/target.js';

const spec = { name: 'prod', vars: targetVariables('GC_PROD'), apiUrl: 'https://api.mypurecloud.com', loginUrl: 'https://login.mypurecloud.com' };
const creds = { GC_PROD_OAUTHCLIENT_ID: 'id', GC_PROD_OAUTHCLIENT_SECRET: 'secret-value' };

describe("an environment's loginUrl from promptctl.yaml", () => {
  it('is used with the host the config gives', () => {
    expect(resolveTarget(creds, spec)).toMatchObject({ apiUrl: 'https://api.mypurecloud.com/', loginUrl: 'https://login.mypurecloud.com/' });
  });

  it('is not used when the API URL variable names another host', () => {
    const t = resolveTarget({ ...creds, GC_PROD_API_URL: 'http://127.0.0.1:4010' }, spec);
    expect(t).toMatchObject({ apiUrl: 'http://127.0.0.1:4010/', loginUrl: 'http://127.0.0.1:4010/' });
  });

  it('is not used when the region variable names another region', () => {
    const t = resolveTarget({ ...creds, GC_PROD_REGION: 'eu-west-1' }, spec);
    expect(t).toMatchObject({ apiUrl: 'https://api.mypurecloud.ie/', loginUrl: 'https://login.mypurecloud.ie/' });
  });

  it('gives way to the login URL variable', () => {
    const t = resolveTarget({ ...creds, GC_PROD_LOGIN_URL: 'https://login.example.test' }, spec);
    expect(t).toMatchObject({ loginUrl: 'https://login.example.test/' });
  });
});
