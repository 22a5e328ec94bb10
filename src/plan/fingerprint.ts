// The plan's integrity seal: sha256 over everything apply acts on (actions with guards and bodies,
// problems, unmanaged, summary, prune, scope) and the org it is bound to (its identity, org.ts),
// not over when it was made, by whom or with which OAuth client, or the target's display label.
import { stableHash } from '../util/json.js';
import { orgIdentity } from './org.js';
import type { Plan } from './types.js';

export type FingerprintInput = Pick<Plan, 'formatVersion' | 'prune' | 'summary' | 'actions' | 'problems' | 'unmanaged' | 'scope' | 'org'>;

export function planFingerprint(plan: FingerprintInput): string {
  return stableHash(sealedPart(plan, plan.org ? orgIdentity(plan.org) : plan.org));
}

/**
 * The seal of promptctl before 2026-12-04, over the org's whole record (its OAuth client and name
 * too): a file sealed so was not edited, only made by an earlier promptctl.
 */
export function earlierFingerprint(plan: FingerprintInput): string {
  return stableHash(sealedPart(plan, plan.org));
}

function sealedPart(plan: FingerprintInput, org: unknown) {
  return {
    formatVersion: plan.formatVersion,
    prune: plan.prune,
    summary: plan.summary,
    actions: plan.actions,
    problems: plan.problems,
    unmanaged: plan.unmanaged,
    scope: plan.scope,
    org,
  };
}
