// The plan's integrity seal: sha256 over everything apply acts on (actions with guards and bodies,
// problems, unmanaged, summary, prune, scope) and the org it is bound to (its identity, org.ts),
// not over when it was made, by whom or with which OAuth client, or the target's display label.
import { stableHash } from '../util/json.js';
import { orgIdentity } from './org.js';
import type { Plan } from './types.js';

export type FingerprintInput = Pick<Plan, 'formatVersion' | 'prune' | 'summary' | 'actions' | 'problems' | 'unmanaged' | 'scope' | 'org'>;

export function planFingerprint(plan: FingerprintInput): string {
  const sealed = {
    formatVersion: plan.formatVersion,
    prune: plan.prune,
    summary: plan.summary,
    actions: plan.actions,
    problems: plan.problems,
    unmanaged: plan.unmanaged,
    scope: plan.scope,
    org: plan.org ? orgIdentity(plan.org) : plan.org,
  };
  return stableHash(sealed);
}
