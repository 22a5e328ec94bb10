// The plan's integrity seal: sha256 over everything apply acts on (actions with guards and bodies,
// problems, unmanaged, summary, prune), not over when, where or by whom it was made.
import { createHash } from 'node:crypto';
import { stableStringify } from '../genesys/wire.js';
import type { Plan } from './types.js';

export type FingerprintInput = Pick<Plan, 'formatVersion' | 'prune' | 'summary' | 'actions' | 'problems' | 'unmanaged'>;

export function planFingerprint(plan: FingerprintInput): string {
  const sealed = {
    formatVersion: plan.formatVersion,
    prune: plan.prune,
    summary: plan.summary,
    actions: plan.actions,
    problems: plan.problems,
    unmanaged: plan.unmanaged,
  };
  return createHash('sha256').update(stableStringify(sealed)).digest('hex');
}
