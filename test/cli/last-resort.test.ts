// The last-resort line, said when a command's context itself failed: the environment's
// credentials are masked there too, though no CliContext exists to mask it.
import { describe, expect, it } from 'vitest';
import { lastResortLine } from '../../src/cli/process.js';

describe('lastResortLine', () => {
  it('masks the credentials of the environment in the error it prints', () => {
    const env = { GENESYSCLOUD_OAUTHCLIENT_SECRET: 's3cr3t-value-<&>', HOME: '/home/x' };
    const line = lastResortLine(new Error('cannot read s3cr3t-value-<&> and s3cr3t-value-&lt;&amp;&gt;'), env);
    expect(line).toBe('error: internal: Error: cannot read [redacted: GENESYSCLOUD_OAUTHCLIENT_SECRET] and [redacted: GENESYSCLOUD_OAUTHCLIENT_SECRET]');
  });

  it('masks the start of a credential the error cut short', () => {
    const env = { GENESYSCLOUD_OAUTHCLIENT_SECRET: 's3cr3t-value-0123456789' };
    expect(lastResortLine(new Error('bad value "s3cr3t-value-01\u2026"'), env)).toBe('error: internal: Error: bad value "[redacted: GENESYSCLOUD_OAUTHCLIENT_SECRET]\u2026"');
  });

  it('withholds the text when it cannot be checked', () => {
    const hostile = {
      toString(): string {
        throw new Error('no text');
      },
    };
    expect(lastResortLine(hostile, {})).toBe('error: internal (object; its text is withheld: it could not be checked for credentials)');
  });
});
