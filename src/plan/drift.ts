// Drift as data: every difference between the live org and git that a plan found, with who last
// changed the live side and when (as the target says). The views render it; `drift` exits on it.
import type { Plan, PlanAction } from './types.js';
import { MASS_DELETE_RULE, SURFACE_UNAVAILABLE_RULE } from './build.js';
import { KEPT_OUT_WORDS } from '../kinds/labels.js';

export interface DriftEntry {
  address: string;
  /** What apply would do to bring live back in line with git. */
  action: PlanAction['action'] | 'problem';
  /** A delete apply leaves while prune is off (the plan's `- delete (pending: prune is off)`). */
  pending?: true;
  /** Who last changed the live object (its modifiedBy id), when the target says. */
  modifiedBy: string | null;
  dateModified: string | null;
  message: string;
  /** For problems: the rule, e.g. "immutable-version". */
  rule?: string;
}

/**
 * The rules of problems that are no difference but a part of the org drift could not compare: a
 * surface the target does not serve while git defines its kinds.
 */
const NOT_COMPARED_RULES: ReadonlySet<string> = new Set([SURFACE_UNAVAILABLE_RULE]);

/**
 * The rules of problems that refuse the plan as a whole rather than name a difference: a mass
 * delete (its deletes are the differences, each its own entry; drift's next step says how to make them).
 */
const WHOLE_PLAN_RULES: ReadonlySet<string> = new Set([MASS_DELETE_RULE]);

/** The plan's problems that say part of git could not be compared with the target (drift fails on them). */
export function notCompared(plan: Plan): Plan['problems'] {
  return plan.problems.filter((p) => NOT_COMPARED_RULES.has(p.rule));
}

export function driftEntries(plan: Plan): DriftEntry[] {
  const entries: DriftEntry[] = [];
  for (const a of plan.actions) {
    if (a.action === 'noop') continue;
    const who = a.liveModified;
    const pending = a.action === 'delete' && a.pending ? { pending: true as const } : {};
    entries.push({ address: a.address, action: a.action, ...pending, modifiedBy: who?.by ?? null, dateModified: who?.at ?? null, message: describe(a) });
  }
  for (const p of plan.problems) {
    if (NOT_COMPARED_RULES.has(p.rule) || WHOLE_PLAN_RULES.has(p.rule)) continue;
    const who = p.liveModified;
    entries.push({ address: p.address, action: 'problem', rule: p.rule, modifiedBy: who?.by ?? null, dateModified: who?.at ?? null, message: p.message });
  }
  return entries;
}

function describe(a: PlanAction): string {
  if (a.action === 'create') return 'defined in git, missing on the target';
  if (a.action === 'delete') {
    // Kept out of this environment by git: git does define it, for the others.
    const kept = KEPT_OUT_WORDS.exec(a.reason ?? '')?.[0];
    if (kept === undefined) return `on the target, not in git${a.reason ? ` (${a.reason})` : ''}`;
    // Said once: what is left of the reason once the kept-out words lead the line.
    const pruned = `pruned: ${kept}`;
    const rest = a
      .reason!.split('; ')
      .map((part) => (part === kept ? '' : part.startsWith(pruned) ? `pruned${part.slice(pruned.length)}` : part))
      .filter((part) => part !== '')
      .join('; ');
    return `on the target, ${kept}${rest ? ` (${rest})` : ''}`;
  }
  const fields = a.changes.map((c) => c.path);
  return fields.length > 0 ? `differs from git: ${fields.join(', ')}` : `differs from git${a.reason ? ` (${a.reason})` : ''}`;
}
