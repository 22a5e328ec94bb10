// Shared by the text and markdown plan views: symbols, number/cost formats, token lines, values,
// and a problem's text changes as one unified diff.
import { ALL_RESOURCE_KINDS, parseAddress, type AnyResourceKind } from '../model/address.js';
import { clipLongLines, formatDiffLine, textDiff } from './textdiff.js';
import type { ActionType, Plan, PlanAction, PlanProblem, TokenDelta } from '../plan/types.js';
import type { StyleName } from './style.js';
import { Document, Scalar, visit } from 'yaml';
import { diffArrays } from 'diff';
import { groupThousands } from '../util/numbers.js';
import { shownChanged, visibleName } from '../util/escapes.js';
import { UNFOLDED, blockKeepsLineEnds } from '../util/yaml-text.js';
import { codeSpan } from './code-span.js';
import { PROMOTION_RULE } from '../model/environments.js';


export const SYMBOL: Record<ActionType, string> = { create: '+', update: '~', delete: '-', noop: ' ' };
export const ACTION_STYLE: Record<ActionType, StyleName> = { create: 'green', update: 'yellow', delete: 'red', noop: 'dim' };

/**
 * Refuses a plan made only to be shown as text (no fingerprint, unchanged objects' guards without
 * their hash) where a document would show its seal: a caller that asks for JSON or markdown must
 * have planned it sealed (buildPlan's `sealed`).
 */
export function requireSealed(plan: Plan): void {
  if (plan.fingerprint === '') throw new Error('internal error: a plan made to be shown as text only (unsealed) cannot be written as JSON or markdown');
}

export function formatInt(n: number): string {
  return groupThousands(n);
}

export function formatCost(usd: number): string {
  if (usd === 0) return '$0';
  if (usd >= 0.1) return `$${usd.toFixed(2)}`;
  // toPrecision writes exponents below 1e-6 ("$1.2e-7"): a reviewer reads a bound instead.
  if (usd < 0.0001) return '<$0.0001';
  return `$${usd.toPrecision(2)}`;
}

/** `tokens: 1,204 → 1,388 (+184), cost/1k calls $0.41 → $0.47`, "≈" when approximate. */
export function tokenLine(t: TokenDelta): string {
  const approx = t.approximate ? '≈' : '';
  const approxBefore = (t.approximateBefore ?? t.approximate) ? '≈' : '';
  const parts: string[] = [];
  if (t.after !== undefined && t.before !== undefined) {
    const delta = t.after - t.before;
    const sign = delta > 0 ? '+' : delta < 0 ? '-' : '±';
    parts.push(`tokens: ${approxBefore}${formatInt(t.before)} → ${approx}${formatInt(t.after)} (${sign}${formatInt(Math.abs(delta))})`);
  } else if (t.after !== undefined) {
    parts.push(`tokens: ${approx}${formatInt(t.after)}`);
  } else if (t.before !== undefined) {
    parts.push(`tokens: ${approxBefore}${formatInt(t.before)}`);
  }
  const cb = t.costPer1kCallsBefore;
  const ca = t.costPer1kCallsAfter;
  // Without maxTokens the cost after is the model's whole output (or none): said, or a jump reads as a mistake.
  const assumed = t.assumedOutputTokens !== undefined ? ` (no maxTokens: ${formatInt(t.assumedOutputTokens)} output tokens assumed)` : '';
  if (cb !== undefined && ca !== undefined) parts.push(`cost/1k calls ${formatCost(cb)} → ${formatCost(ca)}${assumed}`);
  else if (ca !== undefined) parts.push(`cost/1k calls ${formatCost(ca)}${assumed}`);
  else if (t.outputUnbounded) parts.push(`cost/1k calls ${cb !== undefined ? `${formatCost(cb)} → ` : ''}unbounded (no maxTokens, and no maxOutputTokens for the model)`);
  const model = `${t.modelBefore !== undefined && t.before !== undefined ? `${t.modelBefore} → ` : ''}${t.model}`;
  // A line that ends in a parenthesis of its own (a delta, "no maxTokens: … assumed") takes the
  // model inside it: "(+184; gpt-4o)", never a second pair beside it ("(+184) (gpt-4o)").
  const said = parts.join(', ');
  return said.endsWith(')') ? `${said.slice(0, -1)}; ${model})` : `${said} (${model})`;
}

/** A field value on one line: strings quoted, structures as compact JSON, absent as (none). */
export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return '(none)';
  // JSON writes a zero-width space or a bidi override raw: `"billing"` and `"billing\u200b"` (a
  // filter's label that no longer matches) would read as one value.
  return shownChanged(JSON.stringify(v));
}

/** A changed field's path (`labels.team`: a live label's key may be anything), on its line and with nothing hidden in it. */
export function formatPath(path: string): string {
  return shownChanged(visibleName(path));
}

/** Whether a value reads better as a block (a map or list with something in it) than on one line. */
export function isStructured(v: unknown): boolean {
  return v !== null && typeof v === 'object' && Object.keys(v).length > 0;
}

/**
 * A structured value as YAML lines, the way export writes it: a multi-line text a block would write
 * with a line ending in whitespace (its own spaces, or indentation alone for a text of line breaks)
 * double-quoted on one line, so every space shown is content. Each line is shown as a changed
 * line of a diff is (`shownChanged`).
 */
export function formatBlock(v: unknown): string[] {
  const doc = new Document(v);
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && node.value.includes('\n') && !blockKeepsLineEnds(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString(UNFOLDED).replace(/\n$/, '').split('\n').map(shownChanged);
}

/** One line of a structured field's change: kept (context), removed or added. */
export interface BlockLine {
  kind: 'ctx' | 'del' | 'add';
  text: string;
}

/**
 * A structured field's change as YAML lines, line by line (diff's `diffArrays`): what both hold is
 * context, so one entity added to a list of ten reads as one entity added, not as ten removed and
 * eleven added. A value added or removed whole is all added or removed lines.
 */
export function blockDiff(before: unknown, after: unknown): BlockLine[] {
  const old = before === undefined ? [] : formatBlock(before);
  const now = after === undefined ? [] : formatBlock(after);
  return diffArrays(old, now).flatMap((part) => part.value.map((text): BlockLine => ({ kind: part.added ? 'add' : part.removed ? 'del' : 'ctx', text })));
}

/** A promotion gap that applying the same commit to the previous environment closes: the plan waits, nothing in git is wrong. */
export function waitsForPromotion(p: PlanProblem): boolean {
  return p.rule === PROMOTION_RULE;
}

/**
 * What the waiting gaps among `problems` wait for, by name ("staging") when they all name the
 * same one; else, or in a file from before gaps named it, "the environment before this one". As
 * written in the plan (a saved file is anyone's to write): the caller escapes it for its format.
 */
export function waitedFor(problems: readonly PlanProblem[]): string {
  const names = new Set(problems.filter(waitsForPromotion).map((p) => p.previous));
  const [only] = names;
  return names.size === 1 && only !== undefined && only !== '' ? only : 'the environment before this one';
}

/** The verb a reviewer reads: a pending delete is not a delete that happens, nor is one apply cannot make. */
export function actionVerb(a: PlanAction): string {
  if (a.action === 'noop') return 'unchanged';
  if (a.action === 'delete' && a.unremovable) return UNREMOVABLE_VERB;
  if (a.action === 'delete' && a.pending) return 'delete (pending: prune is off)';
  return a.action;
}

/**
 * What a new version is compared with, when anything: " (changes from 1.0.0)"; or that it changes
 * nothing from it (" (same content as 1.0.0)"), where "changes from" over no change at all would
 * leave a reviewer looking for the diff.
 */
export function supersedesNote(a: PlanAction): string {
  if (a.action !== 'create' || !a.supersedes) return '';
  const same = a.changes.length === 0 && (a.text ?? []).length === 0;
  return same ? ` (same content as ${a.supersedes})` : ` (changes from ${a.supersedes})`;
}

/**
 * Per kind, counted as the summary counts: a pending delete (prune off) is not a delete. What a
 * delete takes along (a template's versions and split) counts in its own kind's row, as it goes
 * too: a table that showed only the template would read as if its versions stayed.
 */
export function countsByKind(plan: Plan): Record<AnyResourceKind, Record<ActionType | 'pending' | 'unremovable', number>> {
  const out = {} as Record<AnyResourceKind, Record<ActionType | 'pending' | 'unremovable', number>>;
  for (const k of ALL_RESOURCE_KINDS) out[k] = { create: 0, update: 0, delete: 0, pending: 0, unremovable: 0, noop: 0 };
  for (const a of plan.actions) {
    const column = a.action === 'delete' && a.unremovable ? 'unremovable' : a.action === 'delete' && a.pending ? 'pending' : a.action;
    out[a.kind][column]++;
    for (const address of takenAlong(a)) {
      const kind = parseAddress(address)?.kind;
      if (kind && kind !== 'PromptTest') out[kind][column]++;
    }
  }
  return out;
}

/** The addresses a delete takes with it: a pruned one's cascade, a pending one's takesAlong. */
export function takenAlong(a: PlanAction): string[] {
  if (a.action !== 'delete') return [];
  return a.cascade?.map((c) => c.address) ?? a.takesAlong ?? [];
}


/**
 * The first step of a priority swap: a safety filter apply creates or moves to a free interim
 * priority before any other change (apply/executor.ts, in plan order), then sets to its own
 * priority at its place in the plan. The views show it first, where apply runs it: listed only at
 * its final place, a new filter taking a pruned one's priority read as created after the delete.
 */
export interface StagedStep {
  address: string;
  /** Created at the interim priority (the action is a create), or moved there (an update). */
  created: boolean;
  interim: number;
  /** The priority it takes at its place in the plan. */
  takes: number;
}

/** The staged steps of a plan, in the order apply runs them (the plan's). */
export function stagedSteps(plan: Plan): StagedStep[] {
  const out: StagedStep[] = [];
  for (const a of plan.actions) {
    // Only safety filters are staged (kinds/action.ts Staging).
    if ((a.action !== 'create' && a.action !== 'update') || a.stagePriority === undefined || a.desired.kind !== 'SafetyFilter') continue;
    out.push({ address: a.address, created: a.action === 'create', interim: a.stagePriority, takes: a.desired.body.priority });
  }
  return out;
}

/** What a staged step does, after its address: "first: created at interim priority 100, takes priority 20 at its place below". */
export function stagedWords(s: StagedStep): string {
  return `first: ${s.created ? 'created at' : 'moved to'} interim priority ${s.interim}, takes priority ${s.takes} at its place below`;
}

export function visibleActions(plan: Plan, showNoop: boolean): PlanAction[] {
  return showNoop ? plan.actions : plan.actions.filter((a) => a.action !== 'noop');
}


export function gitLabel(plan: Plan): string {
  const g = plan.git;
  const parts: string[] = [];
  if (g.commit) parts.push(`commit ${g.commit.slice(0, 12)}`);
  if (g.branch) parts.push(`on ${g.branch}`);
  if (g.dirty) parts.push('(uncommitted changes)');
  return parts.join(' ');
}

/**
 * A problem's text changes as one unified diff (live → git), each field's hunks headed `# field`
 * (`clip`: long lines cut around their change, for a diff that must be short).
 * Each field is diffed on its own, as it is: joining the fields into one text needs a newline
 * after each, which would hide an edit that only adds or drops a field's final newline.
 */
export function problemPatch(p: PlanProblem, opts: { clip?: boolean } = {}): string | undefined {
  if (!p.diff || p.diff.length === 0) return undefined;
  const lines = [`--- live/${p.address}`, `+++ git/${p.address}`];
  for (const c of p.diff) {
    const d = textDiff(c.before, c.after);
    // Said, as an action's text diff says it: every line shown changed may not be.
    lines.push(`# ${c.field}${d.replaced ? ' (too different to diff: shown replaced)' : ''}`, ...(opts.clip ? clipLongLines(d.lines) : d.lines).map(formatDiffLine));
  }
  return lines.join('\n') + '\n';
}

/**
 * What a plan limited by `--changed-since` says of itself: it covers only `scope`, so "no
 * changes" there says nothing of the rest of the directory.
 */
export function scopeNote(plan: Plan): string | undefined {
  if (!plan.scope) return undefined;
  const n = plan.scope.length;
  return `limited to ${formatInt(n)} address${n === 1 ? '' : 'es'} (--changed-since): not the full plan`;
}

/**
 * The "no changes" line, naming the directory (`code`: as a markdown code span) or, for a limited
 * plan, what was planned. Objects the target holds that git does not define are left alone, so
 * the target as a whole does not match git: the line says what does, and where the view lists them.
 */
export function noChangesLine(plan: Plan, dir: string, opts: { code?: boolean; listed?: 'above' | 'below' } = {}): string {
  if (plan.scope) return `No changes in the ${formatInt(plan.scope.length)} address${plan.scope.length === 1 ? '' : 'es'} planned.`;
  const slashed = dir.endsWith('/') ? dir : dir + '/';
  // A code span whose fence outlasts any backtick in the name (a saved plan's dir is anyone's text).
  const shown = opts.code ? codeSpan(slashed) : slashed;
  const n = plan.unmanaged.length;
  if (n === 0) return `No changes. Live state matches ${shown}.`;
  return `No changes. What promptctl manages matches ${shown}; ${leftAlone(n)}${opts.listed ? ` (listed ${opts.listed})` : ''}.`;
}

/** "3 objects on the target that git does not define are left alone": why the target is not git's alone (plan and drift). */
export function leftAlone(n: number): string {
  return `${formatInt(n)} object${n === 1 ? '' : 's'} on the target that git does not define ${n === 1 ? 'is' : 'are'} left alone`;
}

/**
 * `N to create, N to update, N to delete`, and the pending deletes. `notes` (markdown's "13
 * unchanged"): said in the same parentheses as "prune is off", never in a second pair beside it.
 * Why apply cannot make some deletes is a clause of advice, not a note: beside notes it is a
 * sentence of its own after them ("(13 unchanged). The gateway cannot remove …"), not their
 * middle part ("(prune is off; the gateway cannot remove …; 13 unchanged)").
 */
export function summaryCounts(plan: Plan, notes: readonly string[] = []): string {
  const s = plan.summary;
  // Counted as actions (what apply runs and its tally says), with what the deletes take along
  // beside them, so the per-kind table, which counts those in their rows, adds up to this line.
  let along = 0;
  let alongPending = 0;
  for (const a of plan.actions) {
    if (a.action !== 'delete' || a.unremovable) continue;
    if (a.pending) alongPending += takenAlong(a).length;
    else along += takenAlong(a).length;
  }
  const plus = (n: number) => (n > 0 ? ` and ${formatInt(n)} taken along` : '');
  const pending = s.pending ? `, ${formatInt(s.pending)} pending delete${s.pending === 1 ? '' : 's'}${plus(alongPending)}` : '';
  // Differences only git can settle: said with what to write there, since no apply will.
  const unremovable = s.unremovable ? `, ${formatInt(s.unremovable)} apply cannot delete` : '';
  const why = s.unremovable ? unremovableWhy(unremovableKinds(plan)) : undefined;
  const apart = why !== undefined && notes.length > 0;
  const said = [...(s.pending ? ['prune is off'] : []), ...(why !== undefined && !apart ? [why] : []), ...(notes.length > 0 ? [notes.join(', ')] : [])];
  // Grouped as every count the plan writes ("1,204 to create", as "… 1,204 more resources not shown").
  const counts = `${formatInt(s.create)} to create, ${formatInt(s.update)} to update, ${formatInt(s.delete)} to delete${plus(along)}${pending}${unremovable}${said.length > 0 ? ` (${said.join('; ')})` : ''}`;
  return apart ? `${counts}. ${why[0]!.toUpperCase()}${why.slice(1)}.` : counts;
}

/**
 * Whether git and the target differ (drives --detailed-exitcode, drift's exit code and apply's
 * "no changes"): a pending delete is a difference even though apply leaves it, and so is one no
 * apply can make (a live traffic split git no longer defines).
 */
export function hasChanges(plan: Plan): boolean {
  const s = plan.summary;
  return s.create + s.update + s.delete + (s.pending ?? 0) + (s.unremovable ?? 0) > 0;
}

/** How the plan names a delete no apply can make (kinds/action.ts DeleteAction's `unremovable`). */
export const UNREMOVABLE_VERB = 'delete (apply cannot make it)';

/**
 * Why apply cannot make those deletes, and what to do in git instead: said beside their count,
 * naming only the kinds among them (`kinds`: a live split git does not define, a version it routes).
 */
export function unremovableWhy(kinds: ReadonlySet<string>): string {
  const split = kinds.has('TrafficSplit');
  const version = kinds.has('PromptVersion');
  const what = split && version ? 'a live traffic split, nor a version it routes' : version ? 'a version a live traffic split routes' : 'a live traffic split';
  return `the gateway cannot remove ${what}, so keep the split in git, or route it 100 % to one version there`;
}

/** The kinds of a plan's deletes no apply can make. */
export function unremovableKinds(plan: Plan): Set<string> {
  return new Set(plan.actions.flatMap((a) => (a.action === 'delete' && a.unremovable ? [a.kind] : [])));
}

/** Whether apply would change anything. */
export function hasAppliedChanges(plan: Plan): boolean {
  const s = plan.summary;
  return s.create + s.update + s.delete > 0;
}
