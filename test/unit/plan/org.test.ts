// The org a plan is bound to is its id and host, not the OAuth client that read it; an org that
// did not say its id is known by its client too.
import { describe, expect, it } from 'vitest';
import { earlierFingerprint, planFingerprint, type FingerprintInput } from '../../../src/plan/fingerprint.js';
import { sealedPlan } from '../../../src/plan/file.js';
import { sameOrg } from '../../../src/plan/org.js';
import type { PlanOrg } from '../../../src/plan/types.js';
import { targetPlace } from '../../../src/genesys/target.js';

const org = (over: Partial<PlanOrg> = {}): PlanOrg => ({ id: 'org-1', name: 'Acme', host: 'api.mypurecloud.ie', clientId: 'reader', ...over });
const plan = (o: PlanOrg): FingerprintInput => ({ formatVersion: 2, prune: false, summary: { create: 0, update: 0, delete: 0, noop: 0 }, actions: [], problems: [], unmanaged: [], org: o });

describe('the org a plan is bound to', () => {
  it('is the same org, and the same fingerprint, whichever client read it (or whatever the org is called)', () => {
    expect(sameOrg(org(), org({ clientId: 'writer' }))).toBe(true);
    expect(planFingerprint(plan(org()))).toBe(planFingerprint(plan(org({ clientId: 'writer', name: 'Acme Ltd' }))));
  });

  it('is another org for another id or host', () => {
    for (const other of [org({ id: 'org-2' }), org({ host: 'api.mypurecloud.de' })]) {
      expect(sameOrg(org(), other)).toBe(false);
      expect(planFingerprint(plan(org()))).not.toBe(planFingerprint(plan(other)));
    }
  });

  it('is known by its client as well when it did not say its id (two orgs of a region share the host)', () => {
    expect(sameOrg(org({ id: null }), org({ id: null, clientId: 'writer' }))).toBe(false);
    expect(sameOrg(org({ id: null }), org({ id: null }))).toBe(true);
    expect(planFingerprint(plan(org({ id: null })))).not.toBe(planFingerprint(plan(org({ id: null, clientId: 'writer' }))));
  });

  it('says a file sealed by an earlier promptctl (over the whole org record) was not edited, only made before', () => {
    const made = { ...plan(org()), fingerprint: '' };
    const earlier = { ...made, fingerprint: earlierFingerprint(made) };
    expect(() => sealedPlan(earlier, 'plan.json')).toThrow('plan.json: the plan was made by an earlier promptctl, which sealed it another way; run plan again');
    expect(() => sealedPlan({ ...made, fingerprint: 'f'.repeat(64) }, 'plan.json')).toThrow('fingerprint mismatch');
    expect(sealedPlan({ ...made, fingerprint: planFingerprint(made) })).toBeDefined();
  });

  it("compares targets' labels without the client they name", () => {
    expect(targetPlace('Genesys Cloud mypurecloud.ie (client read…), environment prod')).toBe('Genesys Cloud mypurecloud.ie, environment prod');
    expect(targetPlace('http://127.0.0.1:4010 (client writ…)')).toBe('http://127.0.0.1:4010');
    expect(targetPlace('embedded emulator (state .promptctl/local-state.json)')).toBe('embedded emulator (state .promptctl/local-state.json)');
  });
});
