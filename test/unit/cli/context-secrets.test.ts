// What a run masks of its environment's credentials (cli/context.ts secretsIn, CliContext): a
// secret as set and as the client uses it (trimmed), the client's Basic credential whole, and a
// token learnt while a stream is being masked.
import { describe, expect, it } from 'vitest';
import { CliContext, secretsIn } from '../../../src/cli/context.js';

const SECRET = 'S3cr3t-Zq9!x/y+z==';

describe('secretsIn', () => {
  it('knows a secret set with spaces around it as the client uses it, trimmed', () => {
    const values = secretsIn({ GENESYSCLOUD_OAUTHCLIENT_SECRET: ` ${SECRET}\t` }).map((s) => s.value);
    expect(values).toContain(SECRET);
    expect(values).toContain(` ${SECRET}\t`);
  });

  it('knows an OAuth client secret from 4 characters, as the client masks it, and other credentials from 8', () => {
    const found = secretsIn({ GENESYSCLOUD_OAUTHCLIENT_SECRET: 'k3y9', STAGING_OAUTHCLIENT_SECRET: 'q7zx5', GITHUB_TOKEN: 'abc1234', SHORT_SECRET: 'k3y' });
    const values = found.map((s) => s.value);
    expect(values).toContain('k3y9');
    expect(values).toContain('q7zx5');
    expect(values).not.toContain('abc1234');
    const c = new CliContext({ stdout: { write: () => true }, stderr: { write: () => true }, stdin: process.stdin, env: { GENESYSCLOUD_OAUTHCLIENT_SECRET: 'k3y9' }, cwd: '/' });
    expect(c.mask('client secret k3y9 refused')).toBe('client secret [redacted: GENESYSCLOUD_OAUTHCLIENT_SECRET] refused');
  });

  it('knows each OAuth client Basic credential (base64 of id:secret) whole, an environment prefix too', () => {
    const basic = (id: string) => Buffer.from(`${id}:${SECRET}`).toString('base64');
    const found = secretsIn({
      GENESYSCLOUD_OAUTHCLIENT_ID: ' local-client ',
      GENESYSCLOUD_OAUTHCLIENT_SECRET: `${SECRET} `,
      PROD_OAUTHCLIENT_ID: 'prod-client',
      PROD_OAUTHCLIENT_SECRET: SECRET,
    });
    expect(found).toContainEqual({ name: 'GENESYSCLOUD_OAUTHCLIENT_SECRET', value: basic('local-client') });
    expect(found).toContainEqual({ name: 'PROD_OAUTHCLIENT_SECRET', value: basic('prod-client') });
  });
});

describe('CliContext masking', () => {
  const ctx = () =>
    new CliContext({
      stdout: { write: () => true },
      stderr: { write: () => true },
      stdin: process.stdin,
      env: { GENESYSCLOUD_OAUTHCLIENT_ID: 'local-client', GENESYSCLOUD_OAUTHCLIENT_SECRET: SECRET },
      cwd: '/',
    });

  it('masks the Basic credential a server echoes, and the secret as a PHP or .NET server escapes it', () => {
    const c = ctx();
    const basic = Buffer.from(`local-client:${SECRET}`).toString('base64');
    expect(c.mask(`last login: Basic ${basic}`)).toBe('last login: Basic [redacted: GENESYSCLOUD_OAUTHCLIENT_SECRET]');
    expect(c.mask('denied {"client":"local-client:S3cr3t-Zq9!x\\/y+z=="}')).not.toContain('Zq9');
    expect(c.mask('denied {"client":"local-client:S3cr3t-Zq9!x/y\\u002Bz=="}')).not.toContain('Zq9');
  });

  it('masks in a stream a token the run learns after the stream began (renewed by a 401 mid-call)', () => {
    const c = ctx();
    const m = c.streamMasker();
    let out = m.push('echo: ');
    c.learnSecret('the access token', 'tok-ABCDEF123456');
    out += m.push('Bearer tok-ABCDEF123456') + m.end();
    expect(out).toBe('echo: Bearer [redacted: the access token]');
  });
});
