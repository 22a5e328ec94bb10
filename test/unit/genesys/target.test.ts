import { describe, expect, it } from 'vitest';
import { AWS_REGION_DOMAINS, GENESYS_DOMAINS, resolveTarget } from '../../../src/genesys/target.js';
import { isLoopbackHost } from '../../../src/util/net.js';
import { UserError } from '../../../src/util/errors.js';

const creds = { GENESYSCLOUD_OAUTHCLIENT_ID: '1a2b3c4d-client', GENESYSCLOUD_OAUTHCLIENT_SECRET: 's3cr3t-value-xyz' };

function remote(env: NodeJS.ProcessEnv) {
  const t = resolveTarget(env);
  if (t.kind !== 'remote') throw new Error(`expected a remote target, got ${t.kind}`);
  return t;
}

function userError(env: NodeJS.ProcessEnv): string {
  try {
    resolveTarget(env);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('resolveTarget', () => {
  it('is the embedded emulator when nothing is set (empty values count as unset)', () => {
    expect(resolveTarget({})).toEqual({ kind: 'embedded' });
    expect(resolveTarget({ GENESYSCLOUD_REGION: '  ', PATH: '/usr/bin' })).toEqual({ kind: 'embedded' });
  });

  it.each(GENESYS_DOMAINS.map((d) => [d]))('accepts the Genesys domain %s', (domain) => {
    const t = remote({ ...creds, GENESYSCLOUD_REGION: domain });
    expect(t.apiUrl).toBe(`https://api.${domain}/`);
    expect(t.loginUrl).toBe(`https://login.${domain}/`);
    expect(t.label).toBe(`Genesys Cloud ${domain} (client 1a2b…)`);
  });

  it.each(Object.entries(AWS_REGION_DOMAINS))('maps the AWS region %s to %s', (aws, domain) => {
    const t = remote({ ...creds, GENESYSCLOUD_REGION: aws });
    expect(t.apiUrl).toBe(`https://api.${domain}/`);
    expect(t.loginUrl).toBe(`https://login.${domain}/`);
  });

  it('covers the brief’s region table exactly', () => {
    expect(AWS_REGION_DOMAINS['us-west-2']).toBe('usw2.pure.cloud');
    expect(AWS_REGION_DOMAINS['ap-southeast-2']).toBe('mypurecloud.com.au');
    expect(AWS_REGION_DOMAINS['eusc-de-east-1']).toBe('edee1.eusc-pure.cloud');
    expect(Object.keys(AWS_REGION_DOMAINS)).toHaveLength(18);
    expect(new Set(Object.values(AWS_REGION_DOMAINS))).toEqual(new Set(GENESYS_DOMAINS));
  });

  it('is case- and space-tolerant for regions', () => {
    expect(remote({ ...creds, GENESYSCLOUD_REGION: ' US-West-2 ' }).apiUrl).toBe('https://api.usw2.pure.cloud/');
  });

  it('rejects an unknown region, listing the valid ones', () => {
    const msg = userError({ ...creds, GENESYSCLOUD_REGION: 'mars-1' });
    expect(msg).toContain('GENESYSCLOUD_REGION');
    expect(msg).toContain('"mars-1"');
    expect(msg).toContain('usw2.pure.cloud');
    expect(msg).toContain('us-west-2');
    expect(msg).not.toContain('did you mean');
  });

  // A region pasted as the org's address (the browser's apps.usw2.pure.cloud) or one letter off
  // got the list of 36 names alone, the one meant to be found in it by hand.
  it.each([
    ['https://apps.usw2.pure.cloud/', 'usw2.pure.cloud'],
    ['api.mypurecloud.com.au', 'mypurecloud.com.au'],
    ['login.mypurecloud.ie', 'mypurecloud.ie'],
    ['us-west2', 'us-west-2'],
    ['euw2.pure.clod', 'euw2.pure.cloud'],
  ])('names the region meant by an unknown %s', (region, meant) => {
    expect(userError({ ...creds, GENESYSCLOUD_REGION: region })).toContain(`"${region}" (did you mean "${meant}"?): use a Genesys Cloud domain`);
  });

  // From review: an address pasted with its credentials (https://user:password@apps.usw2.pure.cloud/)
  // was echoed whole, the password with it, and its user taken for the host (no region named).
  it('never echoes the credentials of an address pasted as the region, and names the region its host lies in', () => {
    const msg = userError({ ...creds, GENESYSCLOUD_REGION: 'https://jane:hunter2pass@apps.usw2.pure.cloud/' });
    expect(msg).not.toContain('hunter2pass');
    expect(msg).not.toContain('jane');
    expect(msg).toContain('"https://[redacted]@apps.usw2.pure.cloud/" (did you mean "usw2.pure.cloud"?): use a Genesys Cloud domain');
    const bare = userError({ ...creds, GENESYSCLOUD_REGION: 'jane:hunter2pass@api.mypurecloud.ie' });
    expect(bare).not.toContain('hunter2pass');
    expect(bare).toContain('"[redacted]@api.mypurecloud.ie" (did you mean "mypurecloud.ie"?)');
    // A query or fragment (a login page's address copied with its token) is no part of a region either.
    const query = userError({ ...creds, GENESYSCLOUD_REGION: 'https://apps.usw2.pure.cloud/?token=sEcr3tT0ken#access_token=fr4gT0ken' });
    expect(query).not.toContain('sEcr3tT0ken');
    expect(query).not.toContain('fr4gT0ken');
    expect(query).toContain('"https://apps.usw2.pure.cloud/?[redacted]" (did you mean "usw2.pure.cloud"?)');
    const fragment = userError({ ...creds, GENESYSCLOUD_REGION: 'usw2.pure.cloud#t=fr4gT0ken' });
    expect(fragment).not.toContain('fr4gT0ken');
    expect(fragment).toContain('"usw2.pure.cloud#[redacted]"');
  });

  it('uses GENESYSCLOUD_API_URL for both hosts unless a login URL is given', () => {
    const t = remote({ ...creds, GENESYSCLOUD_API_URL: 'http://127.0.0.1:4010' });
    expect(t.apiUrl).toBe('http://127.0.0.1:4010/');
    expect(t.loginUrl).toBe('http://127.0.0.1:4010/');
    expect(t.label).toBe('http://127.0.0.1:4010 (client 1a2b…)');
    const u = remote({ ...creds, GENESYSCLOUD_API_URL: 'https://gw.example.com/genesys', GENESYSCLOUD_LOGIN_URL: 'https://login.example.com' });
    expect(u.apiUrl).toBe('https://gw.example.com/genesys/');
    expect(u.loginUrl).toBe('https://login.example.com/');
    expect(u.label).toBe('https://gw.example.com/genesys (client 1a2b…)');
  });

  it('lets GENESYSCLOUD_API_URL win over the region, and GENESYSCLOUD_LOGIN_URL override the region’s login host', () => {
    expect(remote({ ...creds, GENESYSCLOUD_REGION: 'us-east-1', GENESYSCLOUD_API_URL: 'http://localhost:9' }).apiUrl).toBe(
      'http://localhost:9/',
    );
    const t = remote({ ...creds, GENESYSCLOUD_REGION: 'us-east-1', GENESYSCLOUD_LOGIN_URL: 'https://sso.example.com' });
    expect(t.apiUrl).toBe('https://api.mypurecloud.com/');
    expect(t.loginUrl).toBe('https://sso.example.com/');
  });

  it('allows plain http only to loopback hosts', () => {
    for (const url of ['http://127.0.0.1:1', 'http://127.8.9.10', 'http://localhost:4010', 'http://[::1]:4010']) {
      expect(remote({ ...creds, GENESYSCLOUD_API_URL: url }).kind).toBe('remote');
    }
    for (const url of ['http://10.0.0.5:4010', 'http://api.mypurecloud.com', 'http://128.0.0.1', 'http://[::2]']) {
      const msg = userError({ ...creds, GENESYSCLOUD_API_URL: url });
      expect(msg).toMatch(/plain http/);
      expect(msg).toContain('GENESYSCLOUD_API_URL');
    }
    expect(userError({ ...creds, GENESYSCLOUD_API_URL: 'https://x.example', GENESYSCLOUD_LOGIN_URL: 'http://x.example' })).toContain(
      'GENESYSCLOUD_LOGIN_URL',
    );
  });

  it('refuses URLs that are invalid, not http(s), or carry credentials (without echoing them)', () => {
    expect(userError({ ...creds, GENESYSCLOUD_API_URL: 'not a url' })).toContain('not a valid URL');
    expect(userError({ ...creds, GENESYSCLOUD_API_URL: 'ftp://127.0.0.1' })).toContain('http(s)');
    const msg = userError({ ...creds, GENESYSCLOUD_API_URL: 'https://user:hunter2@gw.example.com' });
    expect(msg).toContain('must not contain credentials');
    expect(msg).not.toContain('hunter2');
  });

  it("refuses a URL ending in the API's own /api/v2, naming the URL to set (calls went to /api/v2/api/v2/…: a review's probe)", () => {
    expect(userError({ ...creds, GENESYSCLOUD_API_URL: 'https://api.mypurecloud.com/api/v2' })).toBe(
      'GENESYSCLOUD_API_URL ends in /api/v2, which promptctl adds to every call itself: set it to https://api.mypurecloud.com (the host, without the API\'s path)',
    );
    expect(userError({ ...creds, GENESYSCLOUD_API_URL: 'http://127.0.0.1:8080/genesys/API/V2/' })).toContain('set it to http://127.0.0.1:8080/genesys (');
    expect(userError({ ...creds, GENESYSCLOUD_API_URL: 'https://api.mypurecloud.com', GENESYSCLOUD_LOGIN_URL: 'https://login.mypurecloud.com/api/v2' })).toMatch(/^GENESYSCLOUD_LOGIN_URL ends in \/api\/v2/);
    // A path of a gateway in front of the API is kept.
    expect(remote({ ...creds, GENESYSCLOUD_API_URL: 'https://gw.example.com/genesys' }).apiUrl).toBe('https://gw.example.com/genesys/');
  });

  it('names exactly what is missing in a partial configuration', () => {
    const noSecret = userError({ GENESYSCLOUD_REGION: 'us-east-1', GENESYSCLOUD_OAUTHCLIENT_ID: 'abc' });
    expect(noSecret).toContain('GENESYSCLOUD_OAUTHCLIENT_SECRET');
    expect(noSecret).not.toContain('GENESYSCLOUD_OAUTHCLIENT_ID,');
    expect(noSecret).not.toMatch(/GENESYSCLOUD_REGION \(/);

    const onlySecret = userError({ GENESYSCLOUD_OAUTHCLIENT_SECRET: 'topsecret-123' });
    expect(onlySecret).toContain('GENESYSCLOUD_REGION (or GENESYSCLOUD_API_URL)');
    expect(onlySecret).toContain('GENESYSCLOUD_OAUTHCLIENT_ID');
    expect(onlySecret).not.toContain('topsecret-123');

    expect(userError({ GENESYSCLOUD_LOGIN_URL: 'https://login.example.com', ...creds })).toContain('GENESYSCLOUD_REGION');
  });

  it('never puts the secret in the label', () => {
    const t = remote({ ...creds, GENESYSCLOUD_REGION: 'eu-west-1' });
    expect(t.clientSecret).toBe('s3cr3t-value-xyz');
    expect(t.label).not.toContain('s3cr3t');
    expect(JSON.stringify({ ...t, clientSecret: undefined })).not.toContain('s3cr3t');
  });
});

describe('isLoopbackHost', () => {
  it('knows 127.0.0.0/8, ::1 and localhost', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('127.255.0.9')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('LOCALHOST')).toBe(true);
    expect(isLoopbackHost('126.0.0.1')).toBe(false);
    expect(isLoopbackHost('localhost.example.com')).toBe(false);
    expect(isLoopbackHost('127.example.com')).toBe(false);
  });
});

describe('resolveTarget with GENESYSCLOUD_API_URL naming a Genesys Cloud API host', () => {
  // The official SDK (configuration.js setEnvironment) takes "https://api.<env>" and logs in at
  // "https://login.<env>": the API host serves no /oauth/token.
  it.each(GENESYS_DOMAINS.map((d) => [d]))('logs in at login.%s, not at the API host', (domain) => {
    const t = remote({ ...creds, GENESYSCLOUD_API_URL: `https://api.${domain}` });
    expect(t.apiUrl).toBe(`https://api.${domain}/`);
    expect(t.loginUrl).toBe(`https://login.${domain}/`);
  });

  it('keeps an explicit login URL, and any other host for both', () => {
    const t = remote({ ...creds, GENESYSCLOUD_API_URL: 'https://api.mypurecloud.ie/', GENESYSCLOUD_LOGIN_URL: 'https://sso.example.com' });
    expect(t.loginUrl).toBe('https://sso.example.com/');
    expect(remote({ ...creds, GENESYSCLOUD_API_URL: 'https://api.example.com' }).loginUrl).toBe('https://api.example.com/');
    expect(remote({ ...creds, GENESYSCLOUD_API_URL: 'https://api.mypurecloud.com/proxy' }).loginUrl).toBe('https://api.mypurecloud.com/proxy/');
  });
});
