// Credentials in the org's live content a plan shows (an API key pasted into a prompt by hand):
// git's own are validate's errors, the org's no rule checked. Masked where the plan holds live
// content (what an update or delete was planned against, the diff's before side, a problem's),
// before anything renders or saves it: a drift report is posted on an issue, a plan file uploaded
// as an artifact. Only there: git's text beside it is what apply sends, and stays as written.
// Pure: the finder (the secrets rule's patterns) is passed in.
import type { PlanAction, PlanProblem } from '../kinds/action.js';
import { maskFor, maskStrings } from '../util/secrets.js';
import { planFingerprint } from './fingerprint.js';
import type { Plan } from './types.js';

/** A credential found in a text: where, and what it looks like ("an API key (sk-…)"). */
export interface CredentialFinding {
  index: number;
  length: number;
  name: string;
}

export function maskLiveCredentials(plan: Plan, find: (text: string) => CredentialFinding[]): Plan {
  const mask = (text: string): string => {
    const found = find(text);
    if (found.length === 0) return text;
    let out = '';
    let at = 0;
    for (const f of found) {
      out += text.slice(at, f.index) + maskFor(`${f.name} in the org's content`);
      at = f.index + f.length;
    }
    return out + text.slice(at);
  };
  let changed = false;
  const actions = plan.actions.map((a) => {
    const m = maskedAction(a, mask);
    if (m !== a) changed = true;
    return m;
  });
  const problems = plan.problems.map((p) => {
    const m = maskedProblem(p, mask);
    if (m !== p) changed = true;
    return m;
  });
  if (!changed) return plan;
  const masked = { ...plan, actions, problems };
  // Sealed over what it now holds, as every run that reads the same org masks it alike.
  return plan.fingerprint === '' ? masked : { ...masked, fingerprint: planFingerprint(masked) };
}

function maskedAction(a: PlanAction, mask: (text: string) => string): PlanAction {
  if (a.action !== 'update' && a.action !== 'delete') return a;
  const live = maskStrings(a.live, mask);
  const changes = a.changes.map((c) => (c.before === undefined ? c : { ...c, before: maskStrings(c.before, mask) }));
  const text = a.action === 'update' ? a.text?.map((t) => ({ ...t, before: mask(t.before) })) : undefined;
  const same =
    live === a.live &&
    changes.every((c, i) => c.before === a.changes[i]!.before) &&
    (a.action !== 'update' || (text ?? []).every((t, i) => t.before === a.text![i]!.before));
  if (same) return a;
  const out = { ...a, changes } as PlanAction & { live?: unknown };
  if (a.live !== undefined) out.live = live;
  if (text) (out as { text?: unknown }).text = text;
  return out;
}

function maskedProblem(p: PlanProblem, mask: (text: string) => string): PlanProblem {
  if (!p.diff) return p;
  const diff = p.diff.map((d) => ({ ...d, before: mask(d.before) }));
  return diff.every((d, i) => d.before === p.diff![i]!.before) ? p : { ...p, diff };
}
