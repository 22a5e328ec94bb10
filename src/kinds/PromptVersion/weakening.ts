// What a new or changed version weakens against the version it supersedes: a guardrail turned
// off. Called out for a reviewer as a destructive change is (plan/build.ts).
import type { FieldChange, PlanAction } from '../action.js';

export function versionWeakening(a: PlanAction): string[] {
  // A create's changes are against the version it supersedes (none for a new template's first).
  return a.action === 'create' || a.action === 'update' ? a.changes.flatMap(guardrailOff) : [];
}

function guardrailOff(c: FieldChange): string[] {
  const m = /^safetyGuardrails\.(\w+)$/.exec(c.path);
  return m && c.before === true && c.after === false ? [`${m[1]} off`] : [];
}
