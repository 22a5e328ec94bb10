// A saved plan. Its file never holds a secret of the run: `maskedPlan` is the plan as the file
// holds it (each secret value masked, `[redacted: NAME]`), sealed as it is written, so the seal
// is over the file's own content. Once a file has passed schemas/plan.schema.json
// (schema/plan-file.ts), the seal is checked before anything trusts it: a plan whose content no
// longer matches its fingerprint was edited after it was made, and is refused. What was masked
// is only ever shown: apply/stale.ts refuses a file whose masked parts apply would act on.
import { UserError } from '../util/errors.js';
import { visibleName } from '../util/escapes.js';
import { maskStrings } from '../util/secrets.js';
import { planSummary } from './summary.js';
import { earlierFingerprint, planFingerprint } from './fingerprint.js';
import type { Plan, PlanAction } from './types.js';

/** The plan in `data` (schema-checked), if its fingerprint holds; `source` names the file. */
export function sealedPlan(data: unknown, source = 'plan file'): Plan {
  const plan = data as Plan;
  if (planFingerprint(plan) !== plan.fingerprint) {
    if (earlierFingerprint(plan) === plan.fingerprint) throw new UserError(`${source}: the plan was made by an earlier promptctl, which sealed it another way; run plan again`);
    throw new UserError(`${source}: the plan was modified after it was made (fingerprint mismatch); run plan again`);
  }
  // One action an address, as every plan is made (orderActions refuses two): a second copy would be
  // counted and shown to a reviewer, while apply, comparing address by address, makes the change once.
  const repeated = repeatedAddress(plan.actions);
  if (repeated) throw new UserError(`${source}: the plan was modified after it was made: it holds ${repeated.count} actions for ${visibleName(repeated.address)}; run plan again`);
  // The summary is what `show` and a PR comment lead with, and the seal anyone can recompute says
  // nothing of it: it must count the file's own actions (which apply compares with a fresh plan).
  const counted = planSummary(plan.actions);
  if (countsOf(counted) !== countsOf(plan.summary)) {
    throw new UserError(`${source}: the plan was modified after it was made: its summary says ${countsOf(plan.summary)}, but its actions are ${countsOf(counted)}; run plan again`);
  }
  return plan;
}

/** The first address that more than one action names, and how many do. */
function repeatedAddress(actions: readonly PlanAction[]): { address: string; count: number } | undefined {
  const counts = new Map<string, number>();
  for (const a of actions) counts.set(a.address, (counts.get(a.address) ?? 0) + 1);
  for (const [address, count] of counts) if (count > 1) return { address, count };
  return undefined;
}

function countsOf(s: Plan['summary']): string {
  return `${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.pending ?? 0} pending delete, ${s.unremovable ? `${s.unremovable} apply cannot delete, ` : ''}${s.noop} unchanged`;
}

/**
 * `plan` as its file holds it: `mask` applied to every string in it, and sealed again when that
 * changed anything (the fingerprint covers live content an update shows). A plan without a
 * secret is returned as it is, fingerprint and all.
 */
export function maskedPlan(plan: Plan, mask: (text: string) => string): Plan {
  const masked = maskStrings(plan, mask);
  if (masked === plan) return plan;
  return { ...masked, fingerprint: planFingerprint(masked) };
}
