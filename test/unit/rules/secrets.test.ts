import { describe, expect, it } from 'vitest';
import { checkSecrets, SECRET_PATTERNS } from '../../../src/rules/secrets.js';
import { execBounded } from '../../../src/util/regex.js';
import { at, filter, guide, promptTest, state, summary, template, testCase, variable, version } from './build.js';

const run = (text: string) => checkSecrets(state({ versions: [version('t', '1.0.0', { userTemplate: text })] }));

describe('secrets', () => {
  it.each([
    ['sk-proj-4fGh7Jk2Lm9Nq3Rs8Tv1Wx6Yz0Ab5Cd', 'API key'],
    ['sk-ant-api03-abcdefghijklmnop1234567890', 'API key'],
    ['AKIAIOSFODNN7EXAMPLE', 'AWS access key id'],
    ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'AWS secret'],
    ['-----BEGIN PRIVATE KEY-----', 'private key'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----', 'private key'],
    ['Bearer abcdefghijklmnopqrstuvwxyz123456', 'bearer token'],
    ['Bearer AbCdEfGhIjKlMnOpQrStUvWx', 'bearer token'],
    ['ghp_16C7e42F292c6912E7710c838347Ae178B4a', 'GitHub token'],
    ['github_pat_11ABCDEFG0123456789_abcdefghijklmnop', 'GitHub token'],
    ['xoxb-2934-1234567890-AbCdEfGhIjKl', 'Slack token'],
    ['AIzaSyA-1234567890abcdefghijklmnopqrstu', 'Google API key'],
    ['sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'Stripe key'],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N', 'JSON Web Token'],
    ['password: hunter2hunter2', 'password'],
    ['postgres://admin:s3cr3t@db.internal:5432/app', 'URL with a password'],
    ['glpat-x7Kq2mWv9RtB4nLp8ZcY', 'GitLab token'],
    ['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', 'Hugging Face token'],
    ['npm_4fGh7Jk2Lm9Nq3Rs8Tv1Wx6Yz0Ab5Cd8Ef9h', 'npm token'],
    ['SG.4fGh7Jk2Lm9Nq3Rs8Tv1Wx.6Yz0Ab5Cd8Ef2Gh4Jk6Lm8Nq0Rs2Tv4Wx6Yz8Ab0Cd2', 'SendGrid API key'],
    ['Basic c3VwcG9ydDpTM2NyZXQhMjAyNA==', 'HTTP Basic credentials'],
  ])('detects %s', (secret, kind) => {
    const ds = run(`Call it with\n  ${secret} today`);
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ severity: 'error', rule: 'secrets/detected', line: 2001, column: 7 });
    expect(ds[0]!.message).toContain(kind);
    expect(ds[0]!.message).not.toContain(secret.slice(-8));
  });

  // `\b` before the keyword missed these: `_` is a word character.
  it.each(['DB_PASSWORD=correcthorse9', 'SMTP_PASSWORD: Tr0ub4dor3x', 'ACME_API_KEY=f3a9c2e1b7d44e0a9c1f'])(
    'detects the environment-variable form %s, without repeating the value',
    (secret) => {
      const ds = run(`Connect with\n  ${secret} today`);
      expect(ds).toHaveLength(1);
      expect(ds[0]).toMatchObject({ severity: 'error', rule: 'secrets/detected', line: 2001 });
      expect(ds[0]!.message).toContain('password or key assignment');
      expect(ds[0]!.message).not.toContain(secret.slice(-8));
    },
  );

  // A key glued after a `-` or `_` (a name, a header, an identifier before it) is still the key:
  // only a letter or digit before its prefix makes it part of a longer word.
  it.each([
    ['token-', 'sk-live-4fGh7Jk2Lm9Nq3Rs8Tv1Wx6', 'API key'],
    ['OPENAI_', 'sk-proj-4fGh7Jk2Lm9Nq3Rs8Tv1Wx6Yz0Ab5Cd', 'API key'],
    ['x-', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a', 'GitHub token'],
    ['gh_', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a', 'GitHub token'],
    ['my_', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnop', 'GitHub token'],
    ['key-', 'AKIAIOSFODNN7EXAMPLE', 'AWS access key id'],
    ['gitlab-', 'glpat-x7Kq2mWv9RtB4nLp8ZcY', 'GitLab token'],
    ['my_', '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', 'Hugging Face token'],
    ['my_', 'npm_4fGh7Jk2Lm9Nq3Rs8Tv1Wx6Yz0Ab5Cd8Ef9h', 'npm token'],
    ['mail_', 'SG.4fGh7Jk2Lm9Nq3Rs8Tv1Wx.6Yz0Ab5Cd8Ef2Gh4Jk6Lm8Nq0Rs2Tv4Wx6Yz8Ab0Cd2', 'SendGrid API key'],
    ['maps-', 'AIzaSyA-1234567890abcdefghijklmnopqrstu', 'Google API key'],
    ['id_', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N', 'JSON Web Token'],
  ])('detects a key glued after %j: %s', (glue, secret, kind) => {
    const ds = run(`Call it with\n  ${glue}${secret} today`);
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ severity: 'error', rule: 'secrets/detected', line: 2001, column: 7 + glue.length });
    expect(ds[0]!.message).toContain(kind);
    expect(ds[0]!.message).not.toContain(secret.slice(-8));
  });

  it.each(['Ask-me-anything-session-2024-notes', 'the risk-assessment-framework-v2-2024 review', 'desk-booking-system-version-2-for-staff', 'see the whisk-and-bowl-recipe-collection-2023'])(
    'does not flag a word ending in a key prefix: %j',
    (text) => {
      expect(run(text)).toEqual([]);
    },
  );

  it.each(['authorization: bearer abcdefghijklmnopqrstuvwxyz123456', 'AUTHORIZATION: BEARER ABCDEFGHIJKLMNOPQRSTUVWXYZ123456'])(
    'detects a bearer token whatever the case of the scheme: %s',
    (header) => {
      const ds = run(`curl -H "${header}"`);
      expect(ds).toHaveLength(1);
      expect(ds[0]!.message).toContain('bearer token');
      expect(ds[0]!.message).not.toContain(header.slice(-8));
    },
  );

  it.each([
    'Use scikit-learn and sk-learn-compatible tools.',
    'Authorization: Bearer {{token}}',
    'api_key: YOUR_API_KEY_HERE',
    'password: {{password}}',
    'The task-management-system-for-customers module',
    'Bearer tokens must never be shared.',
    'The bearer of this card may ask for a refund.',
    'Send Authorization: Bearer YOUR_ACCESS_TOKEN_HERE with every call.',
    'Authorization: Bearer your-access-token-goes-here',
    'Basic information about returns comes first.',
    'Basic troubleshooting: restart the router.',
    'Use Basic authentication with {{credentials}}.',
    'Read hf_hub_download docs and npm_config_registry settings.',
    // The working directory a shell session shows (pwd prints it): a path, not a password.
    '$ pwd: /home/user/app2',
    'PWD=/srv/app-v2 when the job started',
    'pwd: C:\\Users\\agent7\\work',
  ])('does not flag %j', (text) => {
    expect(run(text)).toEqual([]);
  });

  it('checks descriptions and variable defaults too', () => {
    const t = template('t', 't.yaml', { description: 'key AKIAIOSFODNN7EXAMPLE' });
    const f = filter('f', 1, { description: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a' });
    const v = version('t', '1.0.0', { variables: [variable('k', { default: 'sk-abcdefghij1234567890klmn', required: false })] });
    const ds = checkSecrets(state({ templates: [t], versions: [v], filters: [f] }));
    expect(ds.map((d) => [d.file, d.line])).toEqual([
      ['t.yaml', at(t, 'spec.description').line],
      ['t-1.0.0.yaml', at(v, 'spec.variables.0.default').line],
      ['f.yaml', at(f, 'spec.description').line],
    ]);
  });

  it('checks label values (errors) and a test’s names, inputs and canned answers (warnings: sample credentials are a test’s business), never naming them by the secret', () => {
    const key = 'sk-proj-4fGh7Jk2Lm9Nq3Rs8Tv1Wx6Yz0Ab5Cd';
    const gh = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
    const t = template('t', 't.yaml', { labels: { owner: gh } });
    const test = promptTest(`smoke ${key}`, { template: 't' }, [
      testCase(`case ${key}`, { q: key, list: ['fine', key] }, [{ type: 'contains', value: key, not: false }], { messages: [{ role: 'user', content: `hi ${key}` }] }),
    ], { responses: [{ match: { contains: key }, output: `answer ${key}` }] }, 'smoke.test.yaml');
    const ds = checkSecrets(state({ templates: [t], tests: [test] }));
    expect(ds.map((d) => d.message.split(' contains ')[0])).toEqual([
      'label "owner"',
      'the test name',
      'the name of case 1',
      'variable "q" of case 1',
      'variable "list" of case 1',
      'message 1 of case 1',
      'canned answer 1',
      "canned answer 1's match",
    ]);
    // The expectation (`contains: <key>`) is what a guard-rail test says: left alone.
    expect(ds.map((d) => d.severity)).toEqual(['error', ...Array(7).fill('warning')]);
    for (const d of ds) {
      expect(d.rule).toBe('secrets/detected');
      expect(d.message).not.toContain(key.slice(-8));
      expect(d.message).not.toContain(gh.slice(-8));
    }
  });

  it('checks every other string of a document too (a data action\'s label and id, participant labels, a custom entity\'s label), at its place', () => {
    const key = 'sk-proj-4fGh7Jk2Lm9Nq3Rs8Tv1Wx6Yz0Ab5Cd';
    const gh = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
    const g = guide('returns', { dataActions: [{ id: gh, label: `lookup ${key}` }] });
    const s = summary('wrapup', { participantLabels: { internal: gh }, customEntities: [{ label: 'AKIAIOSFODNN7EXAMPLE', description: 'a plain one' }] });
    const ds = checkSecrets(state({ guides: [g], summarySettings: [s] }));
    expect(ds.map((d) => [d.message.split(' contains ')[0], d.line])).toEqual([
      ['spec.dataActions.0.id', at(g, 'spec.dataActions.0.id').line],
      ['spec.dataActions.0.label', at(g, 'spec.dataActions.0.label').line],
      ['spec.participantLabels.internal', at(s, 'spec.participantLabels.internal').line],
      ['spec.customEntities.0.label', at(s, 'spec.customEntities.0.label').line],
    ]);
    expect(ds.every((d) => d.severity === 'error' && !d.message.includes(key.slice(-8)) && !d.message.includes(gh.slice(-8)))).toBe(true);
  });

  it('stays fast on hostile text', () => {
    expect(run('sk-'.repeat(300_000) + 'a'.repeat(1_000_000) + 'eyJ'.repeat(100_000))).toEqual([]);
  });

  // Every pattern over every hostile text, each exec given up after a second (util/regex.ts
  // execBounded), so a pattern that is not linear fails here rather than hangs. A JWT could start
  // after every `-` of `-eyJ-eyJ…`, and each start read the whole run before failing on the `.`
  // that never came: 160 KB took 7 s, a 2 MB comment line most of an hour.
  it('keeps every pattern linear: each exec over 2 MB of a glued prefix, repeated, ends within a second', () => {
    const texts = ['-eyJ', '_eyJ', 'x-eyJaaaaaaaa.', '-sk-', 'ghp_', '-glpat-', 'Bearer ', 'a://a:', 'xoxb-'].map((unit) => unit.repeat(Math.ceil(2_000_000 / unit.length)));
    for (const p of SECRET_PATTERNS) {
      const re = new RegExp(p.re.source, `${p.re.flags}g`);
      for (const text of texts) {
        re.lastIndex = 0;
        for (let m = execBounded(re, text, 1_000); m !== null; m = execBounded(re, text, 1_000)) if (m[0].length === 0) re.lastIndex++;
      }
    }
  });

  it('finds a JWT glued to a name of up to 63 characters, as other keys glued to one', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N';
    expect(run(`${'a'.repeat(62)}_${jwt}`)).toHaveLength(1);
    expect(run(`token: my-${jwt}`)).toHaveLength(1);
  });
});

describe('a credential quoted by another rule', () => {
  it('is reported by secrets/detected and shown by no other rule', async () => {
    const { runRules } = await import('../../../src/rules/index.js');
    const token = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
    const key = 'sk-abcdefghij1234567890XYZ';
    const ds = runRules(state({ versions: [version('t', '1.0.0', { userTemplate: `Use {{ ${token} }} and {{${key}}} when asked.` })] }));
    expect(ds.filter((d) => d.rule === 'secrets/detected')).toHaveLength(2);
    expect(ds.some((d) => d.rule.startsWith('placeholders/'))).toBe(true);
    for (const d of ds) {
      expect(d.message, d.rule).not.toContain(token.slice(4, 20));
      expect(d.message, d.rule).not.toContain(key.slice(3, 20));
    }
  });
});

describe("a known secret's value, URL-encoded with its hex in another case", () => {
  const known = [{ name: 'GENESYSCLOUD_OAUTHCLIENT_SECRET', value: 'Ab/c+d=ef:gh!xy' }];
  const columns = (text: string) =>
    checkSecrets(state({ versions: [version('t', '1.0.0', { systemInstruction: text })] }), known).map((d) => [d.column, d.message.split(';')[0]]);

  it.each([
    ['lower-case hex, ! encoded', 'Ab%2fc%2bd%3def%3agh%21xy'],
    ['hex in both cases', 'Ab%2Fc%2bd%3Def%3agh!xy'],
    ["encodeURIComponent's", 'Ab%2Fc%2Bd%3Def%3Agh!xy'],
  ])('is the value still (%s): reported where it starts, by its variable', (_how, encoded) => {
    const text = `sent ${encoded} here`;
    expect(columns(text)).toEqual([[5 + text.indexOf('Ab'), 'systemInstruction contains the value of GENESYSCLOUD_OAUTHCLIENT_SECRET']]);
  });

  it('is the value still with its letters in another case, as output masks it (a value of 12 characters or more)', () => {
    expect(columns('sent ab%2fc%2bd%3def%3agh%21XY and AB/C+D=EF:GH!XY here')).toEqual([
      [10, 'systemInstruction contains the value of GENESYSCLOUD_OAUTHCLIENT_SECRET'],
      [40, 'systemInstruction contains the value of GENESYSCLOUD_OAUTHCLIENT_SECRET'],
    ]);
  });

  it('is another value with its letters in another case when shorter than 12 characters, as output masking finds it', () => {
    const short = [{ name: 'API_TOKEN', value: 'Ab/c+d=ef' }];
    const found = (text: string) => checkSecrets(state({ versions: [version('t', '1.0.0', { systemInstruction: text })] }), short).length;
    expect(found('sent AB/C+D=EF and ab%2fc%2bd%3dEF here')).toBe(0);
    expect(found('sent Ab%2fc%2bd%3def here')).toBe(1);
  });
});

// From review: a known secret in another letter case was masked in every output (a long one), but
// validate passed it, so plan showed it masked, `apply PLANFILE` refused, and apply without a file
// published it.
describe("a known secret's value in another letter case", () => {
  const known = [{ name: 'GENESYSCLOUD_OAUTHCLIENT_SECRET', value: 'local-Secret-9x' }];
  const findings = (text: string) =>
    checkSecrets(state({ versions: [version('t', '1.0.0', { systemInstruction: text })] }), known).map((d) => [d.column, d.message.split(';')[0]]);

  it.each([['LOCAL-SECRET-9X'], ['local-secret-9x'], ['bG9jYWwtU2VjcmV0LTl4'.toUpperCase()]])('is reported where it starts, by its variable (%s)', (written) => {
    const text = `Use ${written} to sign in.`;
    expect(findings(text)).toEqual([[5 + 4, 'systemInstruction contains the value of GENESYSCLOUD_OAUTHCLIENT_SECRET']]);
  });

  it('is not reported when it differs in more than case', () => {
    expect(findings('Use LOCAL-SECRET-9 and local-secret-8x to sign in.')).toEqual([]);
  });
});
