// The plan engine: desired state vs live state → ordered, guarded actions, through the kinds
// registry (each kind plans its family; this file knows no kind). Pure: no I/O.
import { groupThousands } from '../util/numbers.js';
import { plural } from '../util/plural.js';
import { compareVersionLabels } from '../util/semver.js';
import type { DeleteAction, PlanAction, PlanPart, PlanProblem } from '../kinds/action.js';
import { waitsForPrune } from '../kinds/action.js';
import type { TextTokenCounter } from '../kinds/aistudio-tokens.js';
import { kindOf, PLANNING_ORDER, SURFACE_NAMES } from '../kinds/index.js';
import type { KeptOut, LiveState, PlanContext, Surface, TokenCounter } from '../kinds/kind.js';
import type { Ownership } from '../kinds/ownership.js';
import { coverageAfter } from '../kinds/coverage.js';
import { textLocator } from '../model/text-origin.js';
import { addressOf, type AnyResource, type DesiredState, type SourceLocation } from '../model/types.js';
import { planFingerprint } from './fingerprint.js';
import { dependencyClosure, orderActions } from './order.js';
import { planSummary } from './summary.js';
import { PLAN_FORMAT_VERSION, type Plan, type PlanGit, type PlanOrg } from './types.js';

export interface BuildOptions {
  prune: boolean;
  /** Human label of the target (no secrets). */
  target: string;
  /** The prompts directory as given (`--dir`), recorded so `apply PLANFILE` reads the same one. */
  dir?: string;
  git: PlanGit;
  id: string;
  createdAt: string;
  /** Source commit, recorded on what promptctl creates or updates as `promptctl.dev/commit`. */
  commit?: string;
  /** Addresses to keep (--changed-since); their dependencies are kept too. Sets the plan's scope. */
  only?: ReadonlySet<string>;
  /** Token counting (src/tokens' versionTokens with the caller's memo). */
  tokens: TokenCounter;
  /** The org the live state was read from: the plan is bound to it. */
  org?: PlanOrg;
  /** Lets a plan delete everything, or more than half of what promptctl manages (--allow-mass-delete). */
  allowMassDelete?: boolean;
  /** Which AI Studio objects are promptctl's (from git history: src/git/ownership.ts). */
  owned?: Ownership;
  /** Counts guide instructions and summary prompts (with the caller's memo). */
  textTokens?: TextTokenCounter;
  /**
   * false: a plan only shown as text (not saved, not JSON or markdown), which shows no guard or
   * fingerprint: unchanged objects' guards go without their content hash and the plan is left
   * unsealed (fingerprint ""), which makes a large unchanged org's plan cheaper. Default true.
   */
  sealed?: boolean;
  /** Planning one environment: what git keeps out of it (PlanContext `keptOut`). */
  keptOut?: KeptOut;
  /** When git last changed the templates a live one may be renamed from (PlanContext `templateChanges`). */
  templateChanges?: PlanContext['templateChanges'];
  /** What the audit trail says of the live templates that may be renamed (PlanContext `templatesApplied`). */
  templatesApplied?: PlanContext['templatesApplied'];
}

/** Points each problem at its resource in git (the field at fault when known), for annotations (promotion's findings too). */
export function locateProblems(problems: PlanProblem[], desired: DesiredState): PlanProblem[] {
  if (problems.length === 0) return problems;
  const byAddress = new Map<string, AnyResource>();
  for (const kind of PLANNING_ORDER) for (const r of kind.documents(desired)) byAddress.set(addressOf(r), r);
  return problems.map((p) => {
    const r = byAddress.get(p.address);
    if (!r || r.source.line === 0) return p;
    const at = textChangeAt(p, r) ?? (p.field ? r.locations[p.field.startsWith('metadata.') ? p.field : `spec.${p.field}`] : undefined) ?? r.source;
    return { ...p, file: at.file, line: at.line, column: at.column };
  });
}

/**
 * A problem showing a prompt text's diff (an edited published version) points where git's text
 * first differs from the live one: in a `{file:}` text, that file's line, which the change touched.
 */
function textChangeAt(p: PlanProblem, r: AnyResource): SourceLocation | undefined {
  if (p.field === undefined) return undefined;
  const origin = 'textOrigins' in r ? r.textOrigins?.[`spec.${p.field}`] : undefined;
  const mine = (r as unknown as Record<string, unknown>)[p.field];
  const change = p.diff?.find((d) => d.field === p.field);
  if (!origin || typeof mine !== 'string' || mine === '' || !change) return undefined;
  let i = 0;
  while (i < mine.length && mine[i] === change.before[i]) i++;
  return textLocator(origin, mine)(Math.min(i, mine.length - 1));
}

/** The rule id of a plan refused for deleting too much (massDeleteProblem). */
export const MASS_DELETE_RULE = 'mass-delete';
/** The rule of a surface the target does not serve while git defines its kinds (drift cannot compare them). */
export const SURFACE_UNAVAILABLE_RULE = 'surface-unavailable';

/**
 * A wrong --dir must never prune an org: deleting while the desired state is empty, or deleting
 * more than half of the managed objects, is refused unless the user says it is meant. Old versions
 * retired below a newer one git defines are cleanup and not counted (massDeleteWhat).
 */
function massDeleteProblem(
  desired: DesiredState,
  live: LiveState,
  actions: readonly PlanAction[],
  ctx: { owned?: Ownership | undefined },
): PlanProblem | undefined {
  const what = massDeleteWhat(desired, live, actions, ctx);
  if (what === undefined) return undefined;
  return {
    address: '(plan)',
    rule: MASS_DELETE_RULE,
    message: `refusing a plan that deletes this much: ${what} (a wrong --dir?). If this is meant, run again with --allow-mass-delete.`,
  };
}

/**
 * With prune off, the deletes waiting for it (`- delete (pending: prune is off)`), were they made:
 * the run with --prune that their lines and drift point to would be refused as a mass delete. A
 * warning, so that the plan says it before that run does (a wrong --dir shows as pending deletes of
 * everything, which nothing else calls out while prune is off).
 */
function pendingMassDeleteWarning(
  desired: DesiredState,
  live: LiveState,
  actions: readonly PlanAction[],
  ctx: { owned?: Ownership | undefined },
): PlanProblem | undefined {
  if (!actions.some(waitsForPrune)) return undefined;
  // Not one no apply can make (a traffic split): --prune leaves it pending too.
  const pruned = actions.map((a) => (waitsForPrune(a) ? { ...a, pending: undefined } : a));
  const what = massDeleteWhat(desired, live, pruned, ctx);
  if (what === undefined) return undefined;
  return {
    address: '(plan)',
    rule: MASS_DELETE_RULE,
    message: `the deletes waiting for prune are a mass delete: ${what} (a wrong --dir?); with --prune, plan and apply refuse them unless --allow-mass-delete is given`,
  };
}

/** What makes the deletes of `actions` a mass delete (massDeleteProblem), or undefined when they are not one. */
function massDeleteWhat(
  desired: DesiredState,
  live: LiveState,
  actions: readonly PlanAction[],
  ctx: { owned?: Ownership | undefined },
): string | undefined {
  const all = actions.filter((a): a is DeleteAction => a.action === 'delete' && !a.pending);
  if (all.length === 0) return undefined;
  // Versions retired below a newer one git still defines of their template are cleanup, which a
  // wrong --dir does not look like: left out, so that retiring old versions in a small repo is not
  // refused (a review: 4 of 7 refused, making --allow-mass-delete routine).
  const belowGit = retiredBelowGit(desired);
  const counted = all.filter((a) => !belowGit(a));
  if (counted.length === 0) return undefined;
  // Object by object: templates, filters, guides, settings (a version is a template's part).
  const deletes = counted.filter((a) => a.kind !== 'PromptVersion');
  const empty = PLANNING_ORDER.every((k) => k.documents(desired).length === 0);
  const managed = PLANNING_ORDER.reduce((n, k) => n + (k.managed?.(live, ctx) ?? 0), 0);
  // Counted again with the parts: what each delete takes along (a template's versions and split)
  // and the versions retired on their own that are not cleanup: of a template git defines no
  // version of, or newer than every one it defines (a stale checkout). A --dir that holds only the
  // filters drops few objects but every prompt; one that holds each template's file but not its
  // versions' retires nearly every version and deletes no object (a review: 51 of 56 retired,
  // unguarded). Either count over half refuses.
  // A pending delete names what it takes along (takesAlong) without its content (cascade).
  const deleted = counted.reduce((n, a) => n + 1 + (a.cascade?.length ?? a.takesAlong?.length ?? 0), 0);
  const managedWithParts = PLANNING_ORDER.reduce((n, k) => n + (k.managedWithParts ? k.managedWithParts(live, ctx) : (k.managed?.(live, ctx) ?? 0)), 0);
  const over = deletes.length * 2 > managed;
  // One deletion is never a mass delete (the empty-state rule still catches a wrong --dir).
  if (!empty && (counted.length < 2 || (!over && deleted * 2 <= managedWithParts))) return undefined;
  const cleanup = all.length - counted.length;
  const leftOut = cleanup > 0 ? `, but not the ${plural(cleanup, 'version')} it retires that ${cleanup === 1 ? 'is' : 'are'} older than one git still defines` : '';
  return empty
    ? 'the desired state is empty'
    : over
      ? `it deletes ${groupThousands(deletes.length)} of the ${groupThousands(managed)} objects promptctl manages`
      : `it deletes ${groupThousands(deleted)} of the ${groupThousands(managedWithParts)} objects promptctl manages, counting each template's versions and split${leftOut}`;
}

/**
 * Whether a delete retires a version older (by semver) than one git still defines of its
 * template: the routine cleanup of old versions, which the mass-delete guard does not count.
 */
function retiredBelowGit(desired: DesiredState): (a: DeleteAction) => boolean {
  const newest = new Map<string, string>();
  for (const v of desired.versions) {
    const top = newest.get(v.template);
    if (top === undefined || compareVersionLabels(v.version, top) > 0) newest.set(v.template, v.version);
  }
  return (a) => {
    if (a.kind !== 'PromptVersion' || a.version === undefined) return false;
    const top = newest.get(a.name);
    return top !== undefined && compareVersionLabels(a.version, top) < 0;
  };
}

/**
 * A surface the target does not serve (its listings answer 404) cannot be planned: its kinds are
 * skipped, and the plan fails if git defines any of them (one problem per surface, naming them).
 */
function surfaceProblems(desired: DesiredState, unavailable: ReadonlySet<Surface>): PlanProblem[] {
  const problems: PlanProblem[] = [];
  for (const surface of [...unavailable].sort()) {
    const used = PLANNING_ORDER.filter((k) => k.surface === surface)
      .map((k) => ({ kind: k.kind, documents: k.documents(desired) }))
      .filter((u) => u.documents.length > 0);
    if (used.length === 0) continue;
    const name = SURFACE_NAMES[surface];
    const list = used.map((u) => `${u.documents.length} ${u.kind} document${u.documents.length === 1 ? '' : 's'}`).join(', ');
    // Placed at the first of them, as validate places a document's problem.
    const first = used[0]!.documents[0]!.source;
    problems.push({
      address: '(plan)',
      rule: SURFACE_UNAVAILABLE_RULE,
      ...(first.line > 0 ? { file: first.file, line: first.line, column: first.column } : {}),
      message:
        `the target does not serve the ${name} API (it answers 404), but git defines ${list}: ` +
        `${used.map((u) => u.kind).join(', ')} cannot be planned or applied there. Use a target that serves the ${name} API, ` +
        `or keep those documents out of this target (metadata.environments).`,
    });
  }
  return problems;
}

export function buildPlan(desired: DesiredState, live: LiveState, opts: BuildOptions): Plan {
  const all: PlanPart = { actions: [], problems: [], unmanaged: [], warnings: [] };
  const unavailable = new Set(live.unavailable ?? []);
  for (const kind of PLANNING_ORDER) {
    if (!kind.plan || unavailable.has(kind.surface)) continue;
    const part = kind.plan(desired, live, {
      prune: opts.prune,
      ...(opts.commit !== undefined ? { commit: opts.commit } : {}),
      config: desired.config,
      tokens: opts.tokens,
      planned: all.actions,
      ...(opts.owned ? { owned: opts.owned } : {}),
      ...(opts.textTokens ? { textTokens: opts.textTokens } : {}),
      ...(opts.sealed === false ? { sealed: false } : {}),
      ...(opts.keptOut ? { keptOut: opts.keptOut } : {}),
      ...(opts.templateChanges ? { templateChanges: opts.templateChanges } : {}),
      ...(opts.templatesApplied !== undefined ? { templatesApplied: opts.templatesApplied } : {}),
    });
    // One by one: spreading a large org's actions into push() would outgrow the call stack.
    for (const a of part.actions) all.actions.push(a);
    for (const p of part.problems) all.problems.push(p);
    for (const u of part.unmanaged) all.unmanaged.push(u);
    for (const w of part.warnings ?? []) all.warnings!.push(w);
  }

  // A weakened safety control is called out as a destructive change is; a widening the field
  // changes hide is said. A noop changes nothing, so weakens nothing: skipped, since a large
  // org's plan is mostly noops and this loop runs cold (its calls and spreads for each were a
  // sixth of planning 1,000 unchanged templates).
  // What this plan deletes is not left: a template pruned with it is no template left unguarded.
  const deleted = new Set(all.actions.filter((a) => a.action === 'delete' && !a.pending).map((a) => a.address));
  const coverage = coverageAfter(desired, live, deleted);
  for (const a of all.actions) {
    if (a.action === 'noop') continue;
    const kind = kindOf(a.kind);
    const weakened = kind.weakening?.(a, coverage) ?? [];
    const widened = kind.widening?.(a) ?? [];
    if (weakened.length === 0 && widened.length === 0) continue;
    if (weakened.length > 0) a.destructive = true;
    const said = [...(weakened.length > 0 ? [`weakens safety: ${weakened.join(', ')}`] : []), ...(widened.length > 0 ? [`widens: ${widened.join(', ')}`] : [])];
    a.reason = [...(a.reason ? [a.reason] : []), ...said].join('; ');
  }

  let actions: PlanAction[] = orderActions(all.actions);
  let { problems, unmanaged } = all;
  let warnings = all.warnings!;
  if (opts.only) {
    const keep = dependencyClosure(actions, opts.only);
    const wanted = new Set([...keep, ...opts.only]);
    actions = actions.filter((a) => keep.has(a.address));
    problems = problems.filter((p) => wanted.has(p.address));
    warnings = warnings.filter((p) => wanted.has(p.address));
    unmanaged = unmanaged.filter((u) => wanted.has(u.address));
  }

  // The server's limits over what the kept actions leave live: a slice that stays within them is not refused.
  for (const kind of PLANNING_ORDER) {
    if (kind.limits && !unavailable.has(kind.surface)) problems = [...problems, ...kind.limits(actions, live)];
  }

  const summary = planSummary(actions);
  problems = [...surfaceProblems(desired, unavailable), ...problems];
  const massDelete = opts.allowMassDelete ? undefined : massDeleteProblem(desired, live, actions, { owned: opts.owned });
  if (massDelete) problems = [...problems, massDelete];
  const pendingMassDelete = opts.allowMassDelete || massDelete ? undefined : pendingMassDeleteWarning(desired, live, actions, { owned: opts.owned });
  problems = locateProblems(problems, desired);
  if (pendingMassDelete) warnings = [...warnings, pendingMassDelete];
  warnings = locateProblems(warnings, desired);
  const plan: Plan = {
    formatVersion: PLAN_FORMAT_VERSION,
    id: opts.id,
    createdAt: opts.createdAt,
    target: opts.target,
    ...(opts.dir !== undefined ? { dir: opts.dir } : {}),
    ...(opts.org ? { org: opts.org } : {}),
    git: opts.git,
    prune: opts.prune,
    summary,
    actions,
    problems,
    unmanaged,
    ...(warnings.length > 0 ? { warnings } : {}),
    fingerprint: '',
    // Recorded so `apply PLANFILE` re-plans the same slice.
    ...(opts.only ? { scope: [...opts.only].sort() } : {}),
  };
  if (opts.sealed !== false) plan.fingerprint = planFingerprint(plan);
  return plan;
}
