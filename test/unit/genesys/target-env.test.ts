// An environment's target (DESIGN §6): its <prefix>_* variables, its config's host as a default.
import { describe, expect, it } from 'vitest';
import { resolveTarget, targetVariables } from '../../../src/genesys/target.js';

const spec = (over = {}) => ({ name: 'prod', vars: targetVariables('GC_PROD'), ...over });

describe('resolveTarget for an environment', () => {
  it('reads the prefixed variables, never GENESYSCLOUD_*', () => {
    expect(resolveTarget({ GENESYSCLOUD_OAUTHCLIENT_ID: 'x', GENESYSCLOUD_OAUTHCLIENT_SECRET: 'y', GENESYSCLOUD_REGION: 'us-east-1' }, spec())).toEqual({ kind: 'embedded' });
    const t = resolveTarget({ GC_PROD_OAUTHCLIENT_ID: 'prod-id', GC_PROD_OAUTHCLIENT_SECRET: 's', GC_PROD_REGION: 'eu-west-1' }, spec());
    expect(t).toMatchObject({ kind: 'remote', apiUrl: 'https://api.mypurecloud.ie/', clientId: 'prod-id' });
  });

  it("takes the config's region or apiUrl when the variables name no host, the variables winning", () => {
    const env = { GC_PROD_OAUTHCLIENT_ID: 'id', GC_PROD_OAUTHCLIENT_SECRET: 's' };
    expect(resolveTarget(env, spec({ region: 'usw2.pure.cloud' }))).toMatchObject({ apiUrl: 'https://api.usw2.pure.cloud/', loginUrl: 'https://login.usw2.pure.cloud/' });
    expect(resolveTarget({ ...env, GC_PROD_REGION: 'mypurecloud.de' }, spec({ region: 'usw2.pure.cloud' }))).toMatchObject({ apiUrl: 'https://api.mypurecloud.de/' });
    expect(() => resolveTarget(env, spec({ region: 'moon-1' }))).toThrow(/unknown environments\.prod\.region in promptctl\.yaml "moon-1"/);
  });

  it('names the missing variables with the prefix', () => {
    expect(() => resolveTarget({ GC_PROD_OAUTHCLIENT_ID: 'id' }, spec())).toThrow(
      'incomplete Genesys Cloud target for environment prod: GC_PROD_REGION (or GC_PROD_API_URL, or region in environment prod of promptctl.yaml), GC_PROD_OAUTHCLIENT_SECRET not set (set them, or unset every GC_PROD_* variable to use environment prod\'s embedded emulator)',
    );
    expect(() => resolveTarget({ GC_PROD_OAUTHCLIENT_ID: 'id' }, spec({ region: 'usw2.pure.cloud' }))).toThrow(/: GC_PROD_OAUTHCLIENT_SECRET not set \(set it,/);
  });
});
