// export masks the run's secrets in an object's name before making its file name (maskAnyCase, then
// a slug that lowercases and turns every run of other characters into '-'). Masking before the slug
// misses names the slug turns INTO the secret: a Kelvin sign (U+212A) lowercases to 'k', which
// maskAnyCase's /gi regex (no u flag) does not match; and a secret with '-' in it is rebuilt from
// a name holding it with other separators. The secret then sits in a file name in git.
import { describe, expect, it } from 'vitest';
import { exportDocuments } from '../../../src/export/documents.js';
import { maskAnyCase, type NamedSecret } from '../../../src/util/secrets.js';
import type { WireSummarySetting } from '../../../src/targets/aistudio/wire.js';

const setting = (name: string) =>
  ({ id: 's1', name, language: 'en-US', settingType: 'Basic', dateCreated: '2025-06-01T10:00:00.000Z', dateModified: '2025-06-01T10:00:00.000Z' }) as WireSummarySetting;

function paths(name: string, secrets: NamedSecret[]): string[] {
  const out = exportDocuments({ templates: [], filters: [], guides: [], summarySettings: [setting(name)] }, { mask: (n) => maskAnyCase(n, secrets), secrets: secrets.map((s) => s.value) });
  return out.files.map((f) => f.path);
}

describe('export file names and a secret the slug rebuilds', () => {
  it('a name holding the secret with a Kelvin sign for its k (lowercases to k)', () => {
    const secret = 'kq7vz93mxwpl2k';
    const name = `Wrap-up ${secret.replaceAll('k', '\u212A')}`;
    for (const p of paths(name, [{ name: 'GENESYSCLOUD_OAUTHCLIENT_SECRET', value: secret }])) expect(p).not.toContain(secret);
  });

  it('a file an earlier export named with the secret in it (before it was one) is not written again', () => {
    const secret = 'kq7vz93mxwpl2k';
    const name = `Wrap-up ${secret}`;
    const secrets = [{ name: 'GENESYSCLOUD_OAUTHCLIENT_SECRET', value: secret }];
    const held = new Map([[`SummarySetting/${name}`, `summaries/wrap-up-${secret}.yaml`]]);
    const out = exportDocuments({ templates: [], filters: [], guides: [], summarySettings: [setting(name)] }, { mask: (n) => maskAnyCase(n, secrets), secrets: [secret], held });
    expect(out.files.map((f) => f.path)).toEqual(['summaries/wrap-up-redacted-genesyscloud-oauthclient-secret.yaml']);
  });

  it('a name holding a dashed secret with spaces for its dashes (the slug writes them as -)', () => {
    const secret = 'q7vz93-mxwpl2-zr8y';
    const name = `Wrap-up ${secret.replaceAll('-', ' ')}`;
    for (const p of paths(name, [{ name: 'GENESYSCLOUD_OAUTHCLIENT_SECRET', value: secret }])) expect(p).not.toContain(secret);
  });
});
