// rules/environments.ts: names that must exist, and every environment's own state.
import { describe, expect, it } from 'vitest';
import { runRules } from '../../../src/rules/index.js';
import { checkEnvironmentConfig, checkEnvironmentNames, environmentDiagnostics } from '../../../src/rules/environments.js';
import type { Config } from '../../../src/model/types.js';
import * as d from '../../helpers/desired.js';

const at = (line: number, column = 5) => ({ file: 'p.yaml', line, column });
const config = d.config({
  environments: { dev: { credentials: 'GC_DEV', protected: false }, staging: { credentials: 'GC_STAGING', protected: false }, prod: { credentials: 'GC_PROD', protected: true } },
  promotion: ['dev', 'staging', 'prod'],
});

describe('environment rules', () => {
  it('reports unknown names in metadata.environments, overrides and promotion, with a did-you-mean', () => {
    const state = d.desiredState({
      config: { ...config, promotion: ['dev', 'stagng'], source: at(1), locations: { 'spec.promotion.1': at(9, 20) } } as Config,
      filters: [d.filter('f', 1, { environments: ['prdo'], locations: { 'metadata.environments.0': at(4, 18) } })],
      splits: [d.split('a', [['1.0.0', 100]], { environments: ['dev'], overrides: { prod: { routes: [] } }, locations: { 'spec.environments.prod': at(12, 7) } })],
    });
    const ds = [...checkEnvironmentNames(state), ...checkEnvironmentConfig(state.config)].map((x) => `${x.line}:${x.column} ${x.severity} ${x.rule}: ${x.message}`);
    expect(ds).toEqual([
      '4:18 error environments/unknown: metadata.environments names environment "prdo", which promptctl.yaml does not configure (did you mean "prod"?); its environments: dev, staging, prod',
      '12:7 warning environments/override-unused: the split of template "a" overrides environment "prod", but its metadata.environments (dev) leaves prod out: the override is never used',
      '9:20 error environments/unknown: spec.promotion names environment "stagng", which promptctl.yaml does not configure (did you mean "staging"?); its environments: dev, staging, prod',
    ]);
  });

  it('refuses an apiUrl or loginUrl that sends the credentials to a host other than Genesys Cloud or this machine, at its line', () => {
    const hosts = {
      ...config,
      environments: {
        dev: { credentials: 'GC_DEV', protected: false, apiUrl: 'http://127.0.0.1:4010' },
        staging: { credentials: 'GC_STAGING', protected: false, region: 'usw2.pure.cloud', loginUrl: 'https://login.example.net' },
        prod: { credentials: 'GC_PROD', protected: true, apiUrl: 'https://api.mypurecloud.com' },
      },
      source: at(1),
      locations: { 'spec.environments.staging.loginUrl': at(21, 60) },
    } as Config;
    const ds = checkEnvironmentConfig(hosts).map((x) => `${x.line}:${x.column} ${x.severity} ${x.rule}: ${x.message}`);
    expect(ds).toEqual([
      '21:60 error environments/untrusted-host: spec.environments.staging.loginUrl names https://login.example.net, which is not a Genesys Cloud host: environment staging would send its client credentials (GC_STAGING_OAUTHCLIENT_ID, GC_STAGING_OAUTHCLIENT_SECRET) there, and promptctl.yaml is changed by pull requests like any file in git. Give a region (or a Genesys Cloud URL such as https://api.mypurecloud.com), or set GC_STAGING_LOGIN_URL where the credentials are set to use another host',
    ]);
  });

  it('refuses credentials written as a whole variable\'s name or ending in _ (promptctl would read no variable and fall back to an empty embedded org)', () => {
    const bad = {
      ...config,
      environments: { dev: { credentials: 'GENESYSCLOUD_DEV_OAUTHCLIENT_ID', protected: false }, staging: { credentials: 'GC_STAGING_', protected: false }, prod: { credentials: 'GC_PROD', protected: true } },
      source: at(1),
      locations: { 'spec.environments.dev.credentials': at(20, 49), 'spec.environments.staging.credentials': at(21, 49) },
    } as Config;
    const ds = checkEnvironmentConfig(bad).map((x) => `${x.line}:${x.column} ${x.severity} ${x.rule}: ${x.message}`);
    expect(ds).toEqual([
      '20:49 error environments/credentials-prefix: credentials of environment dev is "GENESYSCLOUD_DEV_OAUTHCLIENT_ID": it must be the prefix alone, which promptctl follows with _OAUTHCLIENT_ID, _OAUTHCLIENT_SECRET and the rest (it would read GENESYSCLOUD_DEV_OAUTHCLIENT_ID_OAUTHCLIENT_ID) (did you mean "GENESYSCLOUD_DEV"?)',
      '21:49 error environments/credentials-prefix: credentials of environment staging is "GC_STAGING_": it must be the prefix alone, which promptctl follows with _OAUTHCLIENT_ID, _OAUTHCLIENT_SECRET and the rest (it would read GC_STAGING__OAUTHCLIENT_ID) (did you mean "GC_STAGING"?)',
    ]);
  });

  it('does not repeat a union finding whose details differ in an environment', () => {
    // Found by review: a route to an undeclared version was reported twice at one place, once
    // for the union ("declared: 1.0.0, 1.1.0") and once "(in environment staging)" ("declared: 1.0.0").
    const state = d.desiredState({
      config,
      templates: [d.template('a')],
      versions: [d.version('a', '1.0.0'), d.version('a', '1.1.0', { environments: ['dev'] })],
      splits: [
        d.split('a', [['1.0.0', 100], ['9.9.9', 0]], {
          environments: ['dev', 'staging'],
          locations: { 'spec.routes.1.version': at(7, 16), 'metadata.environments': at(3, 17) },
        }),
      ],
    });
    const base = runRules(state);
    expect(base.map((x) => `${x.line}:${x.column} ${x.rule}`)).toEqual(['7:16 traffic/unknown-version']);
    expect(environmentDiagnostics(state, base, (s) => runRules(s))).toEqual([]);
  });

  it('names the environments where a finding holds when the union does not have it, once', () => {
    const state = d.desiredState({
      config,
      templates: [d.template('a')],
      versions: [d.version('a', '1.0.0'), d.version('a', '1.1.0', { environments: ['dev'] })],
      // staging and prod route 1.1.0 (the document's routes), which only dev has
      splits: [
        d.split('a', [['1.0.0', 50], ['1.1.0', 50]], {
          overrides: { dev: { routes: [{ version: '1.0.0', weight: 40 }, { version: '1.1.0', weight: 50 }] } },
          locations: { 'spec.routes.1.version': at(7, 16), 'spec.environments.dev.routes': at(10, 9) },
        }),
      ],
    });
    const base = runRules(state);
    expect(base.filter((x) => x.severity === 'error')).toEqual([]);
    const ds = environmentDiagnostics(state, base, (s) => runRules(s)).map((x) => `${x.line}:${x.column} ${x.rule}: ${x.message}`);
    expect(ds).toEqual([
      '7:16 environments/route-not-in-environment: in environment staging, the split of template "a" routes to version 1.1.0, which is not in staging: PromptVersion a@1.1.0 is limited to dev by its metadata.environments at test.yaml:1:1',
      '7:16 environments/route-not-in-environment: in environment prod, the split of template "a" routes to version 1.1.0, which is not in prod: PromptVersion a@1.1.0 is limited to dev by its metadata.environments at test.yaml:1:1',
      '10:9 traffic/weights-sum: route weights of template "a" sum to 90; they must sum to exactly 100 (in environment dev)',
    ]);
  });
});
