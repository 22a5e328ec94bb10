// A saved plan, once its file has passed schemas/plan.schema.json (schema/plan-file.ts): the seal
// is checked before anything trusts it. A plan whose content no longer matches its fingerprint
// was edited after it was made, and is refused.
import { UserError } from '../util/errors.js';
import { planFingerprint } from './fingerprint.js';
import type { Plan } from './types.js';

/** The plan in `data` (schema-checked), if its fingerprint holds; `source` names the file. */
export function sealedPlan(data: unknown, source = 'plan file'): Plan {
  const plan = data as Plan;
  if (planFingerprint(plan) !== plan.fingerprint) {
    throw new UserError(`${source}: the plan was modified after it was made (fingerprint mismatch); run plan again`);
  }
  return plan;
}
