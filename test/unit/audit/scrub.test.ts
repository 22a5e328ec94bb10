import { describe, expect, it } from 'vitest';
import { auditForms, knownSecrets, redactValues, scrubMessage } from '../../../src/audit/scrub.js';

describe('scrub', () => {
  it('collects the client secret and sink keys from env, ignoring unset and too-short values', () => {
    const env = { GENESYSCLOUD_OAUTHCLIENT_SECRET: 'client-secret-1', SINK_KEY: 'sink-key-2', SHORT: 'ab' };
    expect(knownSecrets(env, ['GENESYSCLOUD_OAUTHCLIENT_SECRET', 'SINK_KEY', 'SHORT', 'UNSET']).sort()).toEqual(['client-secret-1', 'sink-key-2']);
  });

  it('replaces every occurrence of a secret value, longest first', () => {
    expect(redactValues('a=abcd1234 b=abcd1234xyz', auditForms(['abcd1234', 'abcd1234xyz'], []))).toBe('a=[redacted] b=[redacted]');
  });

  it('finds every form output masking finds: escaped, base64, URL-encoded in any case, a plain value in another case only when long', () => {
    const forms = auditForms(['Ab/c+d=ef:gh!xy'], []);
    const echoes = ['Ab/c+d=ef:gh!xy', 'Ab\\/c+d=ef:gh!xy', 'AB%2FC%2BD%3DEF%3AGH%21XY', 'ab%2fc%2bd%3def%3agh!xy', Buffer.from('id:Ab/c+d=ef:gh!xy').toString('base64')];
    for (const echo of echoes) {
      const out = redactValues(`got ${echo}.`, forms);
      expect(out).toContain('[redacted]');
      expect(out).not.toContain(echo);
    }
    expect(redactValues('AB/C+D=EF:GH!XY', forms)).toBe('[redacted]');
    expect(redactValues('HUNTER2-PW and hunter2-pw', auditForms(['Hunter2-pw'], []))).toBe('HUNTER2-PW and hunter2-pw');
  });

  it('removes bearer/basic credentials, JWTs and credential-looking key=value pairs from messages', () => {
    const msg =
      'GET /x failed: Authorization: Bearer 0123456789abcdef; Basic dXNlcjpwYXNzd29yZA==; ' +
      'jwt eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJnZW5lc3lzIn0.c2lnbmF0dXJl; {"access_token":"tok-XYZ-123"} client_secret=hunter22';
    const out = scrubMessage(msg, []);
    for (const leaked of ['0123456789abcdef', 'dXNlcjpwYXNzd29yZA', 'eyJhbGciOiJSUzI1NiJ9', 'tok-XYZ-123', 'hunter22']) {
      expect(out).not.toContain(leaked);
    }
    expect(out).toContain('GET /x failed');
  });

  it('leaves ordinary prose alone', () => {
    const msg = 'HTTP 409 version.mismatch on PromptTemplate/billing: Bearer token expired, retried';
    expect(scrubMessage(msg, [])).toBe(msg);
  });
});
