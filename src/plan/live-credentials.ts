// Credentials in the org's live content a plan shows (an API key pasted into a prompt by hand):
// git's own are validate's errors, the org's no rule checked. Masked where the plan holds live
// content (what an update or delete was planned against, the diff's before side, a problem's),
// before anything renders or saves it: a drift report is posted on an issue, a plan file uploaded
// as an artifact. Only there: git's text beside it is what apply sends, and stays as written.
// Pure: the finder (the secrets rule's patterns) is passed in.
import type { PlanAction, PlanProblem, TextChange } from '../kinds/action.js';
import { maskFound, type CredentialFinding } from '../util/found-credentials.js';
import { maskStrings } from '../util/secrets.js';
import { planFingerprint } from './fingerprint.js';
import type { Plan } from './types.js';

export function maskLiveCredentials(plan: Plan, find: (text: string) => CredentialFinding[]): Plan {
  const mask = (text: string): string => maskFound(text, find, (name) => `${name} in the org's content`);
  const actions = keepingSame(plan.actions, (a) => maskedAction(a, mask));
  const problems = keepingSame(plan.problems, (p) => (p.diff ? withDiff(p, keepingSame(p.diff, (d) => withBefore(d, mask(d.before)))) : p));
  if (actions === plan.actions && problems === plan.problems) return plan;
  const masked = { ...plan, actions: [...actions], problems: [...problems] };
  // Sealed over what it now holds, as every run that reads the same org masks it alike.
  return plan.fingerprint === '' ? masked : { ...masked, fingerprint: planFingerprint(masked) };
}

function maskedAction(a: PlanAction, mask: (text: string) => string): PlanAction {
  if (a.action !== 'update' && a.action !== 'delete') return a;
  let out: PlanAction = a;
  const live = maskStrings(a.live, mask);
  if (live !== a.live) out = { ...out, live };
  const changes = keepingSame(a.changes, (c) => (c.before === undefined ? c : withBefore(c, maskStrings(c.before, mask))));
  if (changes !== a.changes) out = { ...out, changes: [...changes] };
  if (a.action === 'update' && a.text) {
    const text = keepingSame(a.text, (t) => withBefore(t, mask(t.before)));
    if (text !== a.text) out = { ...out, text: [...text] } as PlanAction;
  }
  return out;
}

/** `list` itself when `f` returns every item as it is; else a copy with the changed items. */
function keepingSame<T>(list: readonly T[], f: (item: T) => T): readonly T[] {
  let out: T[] | undefined;
  list.forEach((item, i) => {
    const next = f(item);
    if (next !== item) (out ??= list.slice())[i] = next;
  });
  return out ?? list;
}

/** `x` with `before` replaced, or `x` itself when it is the same. */
function withBefore<T extends { before?: unknown }>(x: T, before: T['before']): T {
  return before === x.before ? x : { ...x, before };
}

function withDiff(p: PlanProblem, diff: readonly TextChange[]): PlanProblem {
  return diff === p.diff ? p : { ...p, diff: [...diff] };
}
