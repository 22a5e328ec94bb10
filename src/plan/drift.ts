// Drift as data: every difference between the live org and git that a plan found, with who last
// changed the live side and when (as the target says). The views render it; `drift` exits on it.
import type { Plan, PlanAction, PlanProblem } from './types.js';
import { MASS_DELETE_RULE, SURFACE_UNAVAILABLE_RULE } from './build.js';
import { planFingerprint } from './fingerprint.js';
import type { GitChange, TrailFacts } from '../kinds/kind.js';
import { KEPT_OUT_WORDS } from '../kinds/labels.js';
import { appliedByPromptctl, appliedFromBranch, changedAfterGit } from '../kinds/shared.js';
import { PRIORITY_CONFLICT_RULE } from '../kinds/SafetyFilter/plan.js';
import { UNDER_ANOTHER_NAME } from '../kinds/PromptTemplate/renamed.js';
import { nextPatch } from '../util/semver.js';

export interface DriftEntry {
  address: string;
  /** What apply would do to bring live back in line with git. */
  action: PlanAction['action'] | 'problem';
  /** A delete apply leaves while prune is off (the plan's `- delete (pending: prune is off)`). */
  pending?: true;
  /** A delete no apply can make (a live traffic split git no longer defines): only git settles it. */
  unremovable?: true;
  /** Who last changed the live object (its modifiedBy id), when the target says. */
  modifiedBy: string | null;
  dateModified: string | null;
  message: string;
  /** For problems: the rule, e.g. "immutable-version". */
  rule?: string;
  /**
   * For problems: the live object that stands in the way (the filter not in git holding the
   * priority), with who last changed it and when: its stamp, kept apart from this address's.
   */
  heldBy?: { address: string; modifiedBy: string | null; dateModified: string | null };
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
  // A filter whose priority another holds is one difference: the problem apply refuses on, which
  // says the filter's own update too (listed apart, one object counted twice).
  const conflicted = new Set(plan.problems.filter((p) => p.rule === PRIORITY_CONFLICT_RULE).map((p) => p.address));
  const folded = new Map<string, PlanAction>();
  for (const a of plan.actions) {
    if (a.action === 'noop') continue;
    if (conflicted.has(a.address) && !folded.has(a.address)) {
      folded.set(a.address, a);
      continue;
    }
    const who = a.liveModified;
    const pending = a.action === 'delete' && a.unremovable ? { unremovable: true as const } : a.action === 'delete' && a.pending ? { pending: true as const } : {};
    entries.push({ address: a.address, action: a.action, ...pending, modifiedBy: who?.by ?? null, dateModified: who?.at ?? null, message: describe(a) });
  }
  for (const p of plan.problems) {
    if (NOT_COMPARED_RULES.has(p.rule) || WHOLE_PLAN_RULES.has(p.rule)) continue;
    const own = folded.get(p.address);
    folded.delete(p.address);
    // The object's own stamp: the problem's, else its folded update's; never the holder's.
    const who = p.liveModified ?? own?.liveModified;
    const entry: DriftEntry = { address: p.address, action: 'problem', rule: p.rule, modifiedBy: who?.by ?? null, dateModified: who?.at ?? null, message: own ? `${p.message}; and ${own.action === 'create' ? 'it is defined in git, missing on the target' : `it ${describe(own)}`}` : p.message };
    if (p.heldBy) entry.heldBy = { address: p.heldBy.address, modifiedBy: p.heldBy.liveModified?.by ?? null, dateModified: p.heldBy.liveModified?.at ?? null };
    entries.push(entry);
  }
  return entries;
}

function describe(a: PlanAction): string {
  // A template renamed (by hand, or in git): its note says where git's template is on the target, and what apply does.
  if (a.action === 'create') return `defined in git, missing on the target${a.reason?.includes(UNDER_ANOTHER_NAME) ? aside(a.reason) : ''}`;
  if (a.action === 'delete') {
    // Kept out of this environment by git: git does define it, for the others.
    const kept = KEPT_OUT_WORDS.exec(a.reason ?? '')?.[0];
    if (kept === undefined) return `on the target, not in git${aside(a.reason)}`;
    // Said once: what is left of the reason once the kept-out words lead the line.
    const pruned = `pruned: ${kept}`;
    const rest = a
      .reason!.split('; ')
      .map((part) => (part === kept ? '' : part.startsWith(pruned) ? `pruned${part.slice(pruned.length)}` : part))
      .filter((part) => part !== '')
      .join('; ');
    return `on the target, ${kept}${aside(rest)}`;
  }
  const fields = a.changes.map((c) => c.path);
  return fields.length > 0 ? `differs from git: ${fields.join(', ')}` : `differs from git${aside(a.reason)}`;
}

/**
 * A reason said after what it explains: in parentheses, unless it holds parentheses of its own
 * (a pending delete's "prune is off (run with --prune, …)"), which a second pair around it would
 * double ("…to delete))"): then after a dash, as the plan says what it leaves alone.
 */
export function aside(reason: string | undefined): string {
  if (!reason) return '';
  return /[()]/.test(reason) ? ` — ${reason}` : ` (${reason})`;
}

/** The warning of an update that puts back a change made on the target after git's last. */
export const UNDOES_HAND_CHANGE_RULE = 'undoes-target-change';

/** The problem of a published version whose content git and the target disagree on. */
export const IMMUTABLE_VERSION_RULE = 'immutable-version';

/**
 * Who moved an object the target changed after git last changed it: promptctl's apply of some
 * commit (the live object holds exactly what the trail's last landed change of it left; `dirty`
 * when it applied uncommitted changes of it), someone else (the trail, read, says not), or either
 * (no trail to read).
 */
type Mover = { by: 'hand' } | { by: 'either' } | { by: 'promptctl'; commit: string | null; inBranch?: boolean; dirty?: true };

function moverOf(address: string, trail: TrailFacts | undefined): Mover {
  if (!trail) return { by: 'either' };
  const last = appliedByPromptctl(address, trail);
  if (!last) return { by: 'hand' };
  return { by: 'promptctl', commit: last.commit, ...(last.inBranch !== undefined ? { inBranch: last.inBranch } : {}), ...(last.dirty ? { dirty: true as const } : {}) };
}

/**
 * The branch's own change: the target holds what promptctl applied from a commit this branch has.
 * Never an apply from uncommitted changes: what it left is in no commit, though its record names HEAD.
 */
function ownChange(m: Mover): boolean {
  return m.by === 'promptctl' && appliedFromBranch(m);
}

/**
 * The published versions git and the target disagree on that the target changed after git last
 * changed their files: the plan words each as git changing a published version (what a pull
 * request does), which blames git for a change made on the target. Such a problem is reworded,
 * naming who changed the target and when: drift when the audit trail (`trail`) shows no apply of
 * promptctl made it; an apply of another commit, to merge or rebase on, when it shows one did; either,
 * said as such, when there is no trail to read; an apply from uncommitted changes, which no commit
 * holds, as such. One applied from a commit this branch has is the branch's own change, and keeps its words. The plan is sealed again when it was sealed. And each
 * update of an object the target changed after git's last change gets an `undoes-target-change`
 * warning (warnings are outside the fingerprint), worded alike; none for the branch's own change.
 * `changes` maps an address to when git last changed what defines it.
 */
export function attributeToTarget(plan: Plan, changes: ReadonlyMap<string, GitChange | null>, trail?: TrailFacts): Plan {
  let moved = false;
  const problems = plan.problems.map((p) => {
    const target = changedOnTarget(p, changes.get(p.address));
    if (target === undefined) return p;
    const mover = moverOf(p.address, trail);
    if (ownChange(mover)) return p;
    moved = true;
    return { ...p, message: targetChangedMessage(p, target.at, target.gitAt, mover) };
  });
  // An update that puts back what someone changed on the target since git last changed the object:
  // a reviewer reads the change as the pull request's own, and may undo a fix made in Genesys Cloud,
  // or what another branch applied. A warning, outside the fingerprint: whether git changed the
  // object after the target did can differ between a pull request's head and its squashed merge,
  // which must not read as another plan.
  const undoing: PlanProblem[] = [];
  for (const a of plan.actions) {
    const at = a.liveModified?.at;
    if (a.action !== 'update' || at === undefined || changedAfterGit(at, changes.get(a.address)) !== true) continue;
    const mover = moverOf(a.address, trail);
    if (ownChange(mover)) continue;
    undoing.push({ address: a.address, rule: UNDOES_HAND_CHANGE_RULE, message: undoingMessage(a.liveModified!, at, mover), liveModified: a.liveModified! });
  }
  if (!moved && undoing.length === 0) return plan;
  const out: Plan = { ...plan, problems, ...(undoing.length > 0 ? { warnings: [...(plan.warnings ?? []), ...undoing] } : {}) };
  if (!moved) return out;
  if (plan.fingerprint !== '') out.fingerprint = planFingerprint(out);
  return out;
}

/** The problem's live change when it is later than git's last change to the object's files. */
function changedOnTarget(p: PlanProblem, git: GitChange | null | undefined): { at: string; gitAt: string } | undefined {
  const at = p.liveModified?.at;
  if (p.rule !== IMMUTABLE_VERSION_RULE || at === undefined || !git || git === 'uncommitted') return undefined;
  return changedAfterGit(at, git) ? { at, gitAt: git.at } : undefined;
}

/** A commit as the plan's header shows one. */
function shortCommit(commit: string): string {
  return commit.slice(0, 12);
}

/** "at T from commit C" (from uncommitted changes of C, for a dirty apply), or that the record names none. */
function appliedWhen(m: Extract<Mover, { by: 'promptctl' }>, at: string): string {
  const commit = m.commit !== null ? `commit ${shortCommit(m.commit)}` : null;
  if (m.dirty) return `at ${at} from uncommitted changes ${commit !== null ? `of ${commit}` : '(its audit record names no commit)'}`;
  return `at ${at} ${commit !== null ? `from ${commit}` : '(its audit record names no commit)'}`;
}

/** What to do of an apply of another commit: merge or rebase on it (where git cannot say whether the branch has it, if it does not). */
function mergeAdvice(m: Extract<Mover, { by: 'promptctl' }>): string {
  if (m.commit === null) return 'if this branch does not have the commit that apply was of, merge or rebase on it';
  return m.inBranch === false ? 'a commit this branch does not have: merge or rebase on it' : 'a commit git cannot find here: if this branch lacks it, merge or rebase on it';
}

function undoingMessage(who: { by?: string }, at: string, m: Mover): string {
  const by = who.by ? ` by ${who.by}` : '';
  if (m.by === 'hand') return `the target was changed${by} at ${at}, after git last changed it: applying puts git's back`;
  if (m.by === 'either') return `the target was changed${by} at ${at}, after git last changed it (by hand, or by an apply of a commit this branch does not have): applying puts git's back`;
  // No commit holds what a dirty apply left: nothing to merge, and applying puts git's back.
  if (m.dirty) return `the target holds what promptctl applied ${appliedWhen(m, at)}, after git last changed it here: no commit holds it; applying puts git's back`;
  return `the target holds what promptctl applied ${appliedWhen(m, at)}, after git last changed it here, ${mergeAdvice(m)}; applying puts this branch's back`;
}

function targetChangedMessage(p: PlanProblem, at: string, gitAt: string, m: Mover): string {
  const fields = p.diff && p.diff.length > 0 ? p.diff.map((d) => d.field) : p.field ? [p.field] : [];
  const label = p.address.slice(p.address.lastIndexOf('@') + 1);
  const next = nextPatch(label);
  const by = p.liveModified?.by ? ` by ${p.liveModified.by}` : '';
  const head = `${p.address} is published and immutable, but its ${fields.join(', ') || 'content'} on the target no longer match${fields.length === 1 ? 'es' : ''} git: `;
  const newVersion = `add it as a new version${next ? ` (e.g. ${next})` : ''} and route traffic to it`;
  // Not drift: promptctl wrote it, from a commit the branch may lack (a stacked pull request's base, merged and applied).
  if (m.by === 'promptctl' && m.dirty) return head + `applied by promptctl ${appliedWhen(m, at)}, after git last changed it here (${gitAt}): no commit holds it. Apply cannot write a published version back: to keep the target's content, put it in git; to serve git's, ${newVersion}.`;
  if (m.by === 'promptctl') return head + `applied by promptctl ${appliedWhen(m, at)}, after git last changed it here (${gitAt}), ${mergeAdvice(m)}, then plan again.`;
  const how = m.by === 'hand' ? `changed on the target (drift)${by} at ${at}, after git last changed it (${gitAt})` : `changed on the target${by} at ${at}, after git last changed it (${gitAt}), by hand or by an apply of a commit this branch does not have`;
  return head + `${how}. Apply cannot write a published version back: ${m.by === 'either' ? 'if an apply of another commit made it, merge or rebase on that commit; ' : ''}to keep the target's content, put it in git; to serve git's, ${newVersion}.`;
}
