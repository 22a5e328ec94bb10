// An environment's apiUrl or loginUrl in promptctl.yaml: a file a pull request changes, while CI
// holds that environment's credentials. Only Genesys Cloud hosts and this machine (an emulator)
// are taken from it; another host must come from the environment's own variable.
import { describe, expect, it } from 'vitest';
import { checkConfigHost, resolveTarget, targetVariables } from '../../../src/genesys/target.js';

const vars = targetVariables('GC_PROD');
const creds = { GC_PROD_OAUTHCLIENT_ID: 'id', GC_PROD_OAUTHCLIENT_SECRET: 'secret-value' };
const spec = (hosts: { apiUrl?: string; loginUrl?: string; region?: string }) => ({ name: 'prod', vars, ...hosts });

describe("a host from an environment's config", () => {
  it('is refused when it is not a Genesys Cloud host, naming the config field and the variable to set', () => {
    expect(() => resolveTarget(creds, spec({ apiUrl: 'https://collector.example.net' }))).toThrow(
      'environments.prod.apiUrl in promptctl.yaml names https://collector.example.net, which is not a Genesys Cloud host: environment prod would send its client credentials (GC_PROD_OAUTHCLIENT_ID, GC_PROD_OAUTHCLIENT_SECRET) there, and promptctl.yaml is changed by pull requests like any file in git. Give a region (or a Genesys Cloud URL such as https://api.mypurecloud.com), or set GC_PROD_API_URL where the credentials are set to use another host',
    );
    expect(() => resolveTarget(creds, spec({ region: 'usw2.pure.cloud', loginUrl: 'https://login.example.net' }))).toThrow(/environments\.prod\.loginUrl in promptctl\.yaml names https:\/\/login\.example\.net, .* or set GC_PROD_LOGIN_URL where/);
    // A Genesys-looking name on another domain, or a Genesys host on another port, is another host.
    expect(() => resolveTarget(creds, spec({ apiUrl: 'https://api.mypurecloud.com.example.net' }))).toThrow(/not a Genesys Cloud host/);
    expect(() => resolveTarget(creds, spec({ apiUrl: 'https://api.mypurecloud.com:8443' }))).toThrow(/not a Genesys Cloud host/);
  });

  it('is taken when it is a Genesys Cloud host or this machine', () => {
    expect(resolveTarget(creds, spec({ apiUrl: 'https://API.mypurecloud.de' }))).toMatchObject({ apiUrl: 'https://api.mypurecloud.de/', loginUrl: 'https://login.mypurecloud.de/' });
    expect(resolveTarget(creds, spec({ apiUrl: 'http://127.0.0.1:4010' }))).toMatchObject({ apiUrl: 'http://127.0.0.1:4010/', loginUrl: 'http://127.0.0.1:4010/' });
    expect(resolveTarget(creds, spec({ apiUrl: 'https://localhost:8443', loginUrl: 'https://login.usw2.pure.cloud' }))).toMatchObject({ loginUrl: 'https://login.usw2.pure.cloud/' });
  });

  it('is not judged when the variable names the host: the operator chose it', () => {
    const t = resolveTarget({ ...creds, GC_PROD_API_URL: 'https://gateway.example.net' }, spec({ apiUrl: 'https://collector.example.net' }));
    expect(t).toMatchObject({ apiUrl: 'https://gateway.example.net/', loginUrl: 'https://gateway.example.net/' });
  });

  it('checkConfigHost passes Genesys Cloud login hosts and refuses plain look-alikes', () => {
    expect(() => checkConfigHost('f', new URL('https://login.apne3.pure.cloud'), 'prod', vars.loginUrl, vars)).not.toThrow();
    expect(() => checkConfigHost('f', new URL('https://apps.mypurecloud.com'), 'prod', vars.apiUrl, vars)).toThrow(/not a Genesys Cloud host/);
    expect(() => checkConfigHost('f', new URL('https://mypurecloud.com'), 'prod', vars.apiUrl, vars)).toThrow(/not a Genesys Cloud host/);
  });
});
