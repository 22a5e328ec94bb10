// Changes that weaken a safety control (a guardrail turned off, a filter that acts less, on less,
// or less often): a reviewer must not miss them among hundreds of lines, so they are called out
// as destructive changes are (DESIGN §5: removing a safety filter is called out).
import type { FieldChange } from '../kinds/action.js';
import type { PlanAction } from './types.js';

/** From strongest to weakest. */
const FILTER_ACTIONS = ['block_and_log', 'redact_and_log', 'flag_and_pass'];

/** What `a` weakens, in words ("piiFilter off", "action block_and_log → flag_and_pass"); [] for nothing. */
export function safetyWeakening(a: PlanAction): string[] {
  // A version is compared with the one it supersedes (its changes are against it); a filter with its live self.
  if (a.kind === 'PromptVersion' && (a.action === 'create' || a.action === 'update')) return a.changes.flatMap(guardrailOff);
  if (a.kind === 'SafetyFilter' && a.action === 'update') return a.changes.flatMap(filterWeakened);
  return [];
}

function guardrailOff(c: FieldChange): string[] {
  const m = /^safetyGuardrails\.(\w+)$/.exec(c.path);
  return m && c.before === true && c.after === false ? [`${m[1]} off`] : [];
}

function filterWeakened(c: FieldChange): string[] {
  if (c.path === 'action' && typeof c.before === 'string' && typeof c.after === 'string') {
    return FILTER_ACTIONS.indexOf(c.after) > FILTER_ACTIONS.indexOf(c.before) && FILTER_ACTIONS.includes(c.before) ? [`action ${c.before} → ${c.after}`] : [];
  }
  if (c.path === 'categories') {
    const gone = strings(c.before).filter((x) => !strings(c.after).includes(x));
    return gone.length > 0 ? [`no longer covers ${gone.join(', ')}`] : [];
  }
  const threshold = /^thresholds\.(\w+)$/.exec(c.path);
  // A higher threshold fires less often. One removed goes with its category (said above) or leaves the server's default.
  if (threshold && typeof c.before === 'number' && typeof c.after === 'number' && c.after > c.before) return [`${threshold[1]} threshold ${c.before} → ${c.after}`];
  if (c.path === 'appliesTo' || c.path === 'appliesTo.templates') {
    const before = templatesOf(c.before, c.path);
    const after = templatesOf(c.after, c.path);
    // undefined: every template.
    if (after === undefined) return [];
    if (before === undefined) return [after.length > 0 ? `covers only ${after.join(', ')} (was every template)` : 'covers no template (was every template)'];
    const gone = before.filter((t) => !after.includes(t));
    return gone.length > 0 ? [`no longer covers template${gone.length === 1 ? '' : 's'} ${gone.join(', ')}`] : [];
  }
  // Label selectors are left alone: whether one narrows or widens depends on the templates list beside it.
  return [];
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The templates an appliesTo (or its templates list) names; undefined when it names none: every template. */
function templatesOf(v: unknown, path: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  const list = path === 'appliesTo' ? (v as { templates?: unknown }).templates : v;
  return list === undefined ? undefined : strings(list);
}
