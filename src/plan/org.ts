// What identifies the org a plan is bound to (DESIGN §5): its id and API host. Not the OAuth
// client the plan was made with: a pull request plans with a read-only client and the merge
// applies with a writing one, in the same org, so both must seal and compare alike. An org that
// did not say its id is known by its client too: two orgs of a region share the host.
import type { PlanOrg } from './types.js';

export type OrgIdentity = Pick<PlanOrg, 'id' | 'host'> & { clientId?: string };

export function orgIdentity(org: PlanOrg): OrgIdentity {
  return org.id !== null ? { id: org.id, host: org.host } : { id: null, host: org.host, clientId: org.clientId };
}

/** Whether two orgs a plan names are one (by orgIdentity). */
export function sameOrg(a: PlanOrg, b: PlanOrg): boolean {
  const x = orgIdentity(a);
  const y = orgIdentity(b);
  return x.id === y.id && x.host === y.host && x.clientId === y.clientId;
}
