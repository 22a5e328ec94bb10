// The versioned plan JSON of DESIGN §4 (`plan --format json`, `plan --out FILE`) and its reader,
// which refuses a file of another format version or whose content no longer matches its fingerprint.
import { UserError } from '../util/errors.js';
import { planFingerprint } from './fingerprint.js';
import { PLAN_FORMAT_VERSION, type Plan } from './types.js';

export function renderJson(plan: Plan): string {
  return JSON.stringify(plan, null, 2) + '\n';
}

const ACTIONS = new Set(['create', 'update', 'delete', 'noop']);
const KINDS = new Set(['PromptTemplate', 'PromptVersion', 'TrafficSplit', 'SafetyFilter']);

/** Parses a saved plan; `source` names the file in messages. Throws UserError on anything amiss. */
export function parsePlanFile(text: string, source = 'plan file'): Plan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${source}: not a promptctl plan (invalid JSON: ${(e as Error).message})`);
  }
  if (!isObject(data)) throw new UserError(`${source}: not a promptctl plan (expected a JSON object)`);
  if (data.formatVersion !== PLAN_FORMAT_VERSION) {
    throw new UserError(
      `${source}: plan format version ${JSON.stringify(data.formatVersion)} is not supported (this promptctl reads version ${PLAN_FORMAT_VERSION}); run plan again`,
    );
  }
  const missing = ['id', 'createdAt', 'target', 'fingerprint'].filter((k) => typeof data[k] !== 'string');
  if (typeof data.prune !== 'boolean') missing.push('prune');
  if (!isObject(data.git)) missing.push('git');
  if (!isObject(data.summary)) missing.push('summary');
  for (const k of ['actions', 'problems', 'unmanaged']) if (!Array.isArray(data[k])) missing.push(k);
  if (data.scope !== undefined && !(Array.isArray(data.scope) && data.scope.every((a) => typeof a === 'string'))) missing.push('scope');
  if (missing.length > 0) throw new UserError(`${source}: corrupt plan (missing or invalid: ${missing.join(', ')})`);
  (data.actions as unknown[]).forEach((a, i) => {
    if (
      !isObject(a) ||
      typeof a.address !== 'string' ||
      !ACTIONS.has(a.action as string) ||
      !KINDS.has(a.kind as string) ||
      !Array.isArray(a.dependsOn) ||
      !Array.isArray(a.changes)
    ) {
      throw new UserError(`${source}: corrupt plan (action ${i + 1} is malformed)`);
    }
  });
  const plan = data as unknown as Plan;
  if (planFingerprint(plan) !== plan.fingerprint) {
    throw new UserError(`${source}: the plan was modified after it was made (fingerprint mismatch); run plan again`);
  }
  return plan;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
