// A saved plan at apply (DESIGN §5): refused before any change when it was saved with problems,
// would now delete too much, was made for another org or place (both orgs named), or is stale against a fresh plan
// (apply/stale.ts), each refusal with the command that makes the plan again, with the environment,
// directory and prune it was made with; a file the audit trail shows applied already is said to be
// (with nothing to do while what it made still holds: each change's outcome on record against the
// live object now), and one whose run stopped part way is said to be partly applied, with the
// changes left and the plan that makes them.
import { readFile } from 'node:fs/promises';
import { normalize, resolve } from 'node:path';
import { planOnRecord, type MadeChange, type PlanOnRecord } from '../audit/plan-runs.js';
import { describeOrg, otherOrg, staleReasons, type StaleReason } from '../apply/stale.js';
import { liveResourceIds, liveSnapshots } from '../kinds/index.js';
import type { LiveState, Snapshot } from '../kinds/kind.js';
import { MASS_DELETE_RULE } from '../plan/build.js';
import type { Plan } from '../plan/types.js';
import { isApplied, type PlanAction } from '../kinds/action.js';
import { listed } from '../views/apply.js';
import { hasAppliedChanges, SYMBOL } from '../views/plan-common.js';
import { groupThousands } from '../util/numbers.js';
import { plural } from '../util/plural.js';
import { messageOf, UserError } from '../util/errors.js';
import { oneLine, shellWord, visible, visibleName } from '../util/escapes.js';
import { applyCommand, dirFlag, planAgain } from './next-commands.js';
import type { CliContext } from './context.js';
import { asSaved } from './plan-file.js';
import { describeTarget, labelEnvironment, openTarget, targetContext } from './target.js';

/**
 * A saved plan that deletes this much runs only with `apply --allow-mass-delete`. One saved with
 * the refusal in it is refused as planned (its problems are kept); one saved without it was
 * either planned with the flag or edited, and the file cannot tell which.
 */
export function refuseMassDelete(file: string, saved: Plan, fresh: Plan): void {
  const problem = fresh.problems.find((p) => p.rule === MASS_DELETE_RULE);
  if (!problem || saved.problems.some((p) => p.rule === MASS_DELETE_RULE)) return;
  throw new UserError(`${file}: ${problem.message.replace(/\.$/, '')} (a saved plan too: the file cannot allow it); nothing was applied`);
}

/**
 * A saved plan deletes what git no longer defines only when this apply prunes too (`--prune`, or
 * `prune: true` in promptctl.yaml). The fresh plan is made with the file's prune, and anyone can
 * turn a file's prune on, take its deletes off pending and reseal it: as for a mass delete, the
 * file cannot prove the flag was given to plan, so the command that applies it must say so too.
 * `applyIt` is how this run names the file to apply (a path, or `- --auto-approve`).
 */
export function refuseUnprunedDeletes(ctx: CliContext, file: string, dir: string, saved: Plan, prunes: boolean, applyIt: string): void {
  if (!saved.prune || prunes) return;
  const n = saved.actions.filter((a) => a.action === 'delete' && !a.pending).length;
  if (n === 0) return;
  throw new UserError(
    `${file} deletes ${n} object${n === 1 ? '' : 's'} git no longer defines (it was planned with prune on), and this apply does not prune: the file cannot prove --prune was given to plan. ` +
      `If those deletes were reviewed, apply it with \`${applyCommand(ctx, dir, true)} ${applyIt}\` (or set prune: true in promptctl.yaml); nothing was applied`,
  );
}

/**
 * A plan saved with problems is never applied (apply keeps the saved plan's problems, so a file
 * cannot lose a refusal): said before the target is read, with the plan to make instead.
 */
export function refuseSavedProblems(ctx: CliContext, file: string, dir: string, saved: Plan, out = shellWord(file)): void {
  const n = saved.problems.length;
  // As they stood when the plan was made: git or the org may have settled some since (the plan
  // to make instead says what stands now).
  ctx.info(`${file} was saved${savedAt(saved.createdAt)} with ${n === 1 ? 'this problem' : `these ${n} problems`}, as ${n === 1 ? 'it' : 'they'} stood then:`);
  for (const p of saved.problems) {
    // Most messages name their address first already.
    const message = oneLine(p.message);
    ctx.info(`  ${message.startsWith(p.address) ? '' : `${visibleName(p.address)}: `}${message} [${p.rule}]`);
  }
  throw new UserError(
    `${file} was saved with ${n} problem${n === 1 ? '' : 's'} (listed above), and a plan with problems is never applied: fix what still stands, then run \`${planAgain(ctx, dir, saved.prune)} --out ${out}\` again and review the new plan; nothing was applied`,
  );
}

/** " at 2026-12-05 09:30 UTC" from a plan's createdAt; nothing for one that is not a date. */
function savedAt(createdAt: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(createdAt);
  return m ? ` at ${m[1]} ${m[2]} UTC` : '';
}

/** The audit trail an apply writes: `path` to read it, `shown` as messages name it. */
export interface Trail {
  path: string;
  shown: string;
}

/** Where to look for an earlier run of a saved plan: the trail apply writes, and the live state the fresh plan was made from. */
export interface Earlier {
  trail: Trail;
  live: LiveState;
}

/**
 * Refuses the whole saved plan, before any change, if a fresh plan disagrees with it. A file applied
 * already (its plan id on record in `earlier.trail`) is said to be so: what disagrees is then its own work.
 * Resolves to true, refusing nothing, when such a file's changes all still hold (`madeStillHolds`)
 * and nothing else changed (the fresh plan changes nothing): an apply of the same file run again,
 * as a retried job does, has nothing to do.
 * `out`: where the plan is saved again (`plan --out`), as a shell word: the file, or a new one for a plan piped in.
 */
export async function refuseIfStale(ctx: CliContext, file: string, dir: string, saved: Plan, fresh: Plan, out = shellWord(file), earlier?: Earlier): Promise<boolean> {
  refuseOtherOrg(ctx, file, dir, saved, fresh);
  // The file holds the plan with this run's secrets masked: it is compared with the fresh plan as a file would hold it.
  const masked = asSaved(ctx, fresh).plan;
  let reasons = staleReasons(saved, fresh, masked);
  if (reasons.length === 0) return false;
  // Read only now: most saved plans are current, and a long trail is read for nothing then.
  const runs = earlier ? await runsOnRecord(earlier.trail, saved.id) : null;
  // Asked again knowing what its own run changed: a difference that follows only that is not an edit,
  // and an object that run left as its record says is said to be its work, not another's since.
  if (runs && earlier) reasons = ownWork(staleReasons(saved, fresh, masked, changedBy(runs.made)), runs.made, liveObjects(earlier.live));
  const when = runs && earlier ? appliedAt(runs, earlier.trail) : undefined;
  const secret = reasons.some((r) => r.secret);
  // A fresh plan without changes says only that the target matches git now, which a later change
  // of git applied since may have made: what this file made is asked of the target itself.
  if (runs && earlier && !secret && fresh.problems.length === 0 && !hasAppliedChanges(fresh) && madeStillHolds(runs.made, reasons, liveObjects(earlier.live))) {
    ctx.info(`${file} was applied already${when}, and the target still matches it: nothing to do`);
    return true;
  }
  // Addresses and mask names come from the file, which anyone can write: its control characters are printed as escapes.
  for (const r of reasons) ctx.info(`  ${visibleName(r.address)}: ${oneLine(r.message)}`);
  if (secret) {
    // Planning again masks it again, and an apply without a file would send the credential: only the value's source can change.
    throw new UserError(
      `${file} cannot be applied from a file: what it would send holds a secret of this run, which the file masks (listed above); nothing was applied. Take the value out of git, or out of the org's object that carries it (and rotate it: it may have been shared), then plan again.`,
    );
  }
  const stale = `${file} is stale: ${reasons.length} thing${reasons.length === 1 ? '' : 's'} changed since it was planned (listed above); nothing was applied.`;
  const left = runs ? leftByItsRun(saved, runs.made) : [];
  if (runs && earlier && left.some(notDone)) {
    // Some of its changes never ran: its run stopped short, and what is left takes a new plan.
    ctx.info(`Left of ${file} (not made by its earlier run):`);
    for (const line of leftLines(left)) ctx.info(line);
    throw new UserError(
      `${stale} It was partly applied${partlyAt(saved, runs, left, earlier.trail)}; the ${plural(left.length, 'change')} left ${left.length === 1 ? 'is' : 'are'} listed last. A saved plan is applied once, and what is listed as changed since it was planned is its own changes, or what changed after them.${otherDir(saved, dir)} Run \`${planAgain(ctx, dir, saved.prune)} --out ${out}\` to plan what is left, and review the new plan.`,
    );
  }
  const own = when ? ` It was applied already${when}: a saved plan is applied once, and what is listed is its own changes, or what changed after them.` : '';
  throw new UserError(`${stale}${own}${otherDir(saved, dir)} Run \`${planAgain(ctx, dir, saved.prune)} --out ${out}\` again and review the new plan.`);
}

/** A change of a saved plan its earlier run did not make: never started (no `outcome` on record), or ended so (`failure`, `unknown`, …). */
export interface LeftChange {
  action: PlanAction;
  outcome?: string;
}

/** The changes of `saved` (those apply runs) whose last outcome on record did not land, or that have none, in plan order. */
export function leftByItsRun(saved: Plan, made: ReadonlyMap<string, MadeChange>): LeftChange[] {
  return saved.actions.filter(isApplied).flatMap((action) => {
    const m = made.get(action.address);
    if (!m) return [{ action }];
    return m.landed ? [] : [{ action, outcome: m.outcome }];
  });
}

/**
 * A change its run did not do: never started, started and killed with nothing on record since (its
 * intent still open), or settled `not applied` (partly applied included): the plan was partly
 * applied, not applied already. One that failed stopped the run as a failure says.
 */
function notDone(l: LeftChange): boolean {
  return l.outcome === undefined || l.outcome === '' || l.outcome === 'not applied';
}

/**
 * A stale reason at an object the plan's own run left as its record says (what a landed write,
 * or a write settled `not applied` part way, left there; any object of an intent still open, which
 * may have made it) is that run's work: said so, not as a change made on the target since the plan.
 */
function ownWork(reasons: readonly StaleReason[], made: ReadonlyMap<string, MadeChange>, live: ReadonlyMap<string, LiveObject>): StaleReason[] {
  return reasons.map((r) => {
    const m = made.get(r.address);
    if (!m || !/ since the plan\b/.test(r.message)) return r;
    const now = live.get(r.address)?.snapshot.hash;
    const holds = m.open || (!m.gone && m.hash !== null && now === m.hash) || (m.gone && m.landed && now === undefined);
    if (!holds) return r;
    const record = m.open ? 'its intent, with no outcome yet' : m.outcome === 'not applied' ? 'not applied, partly applied' : m.outcome;
    return { ...r, message: `changed by this plan's own earlier run (on record: ${record})` };
  });
}

/** One line a change left, as a stopped apply lists what it did not start (views/apply.ts, capped alike). */
function leftLines(left: readonly LeftChange[]): string[] {
  return listed(left, (l) => `  ${SYMBOL[l.action.action]} ${visibleName(l.action.address)}${l.outcome !== undefined ? ` (on record: ${oneLine(visible(l.outcome || 'no outcome'))})` : ''}`, 'the new plan shows what is left');
}

/**
 * " at 2026-12-07 23:45 UTC by a run that was interrupted or killed before it finished: 12 of its
 * 14 changes are on record in .promptctl/audit.jsonl". A run stops short at an interrupt, a kill
 * (its open changes settled by a later apply) or a failure, after which apply starts nothing new.
 */
function partlyAt(saved: Plan, runs: PlanOnRecord, left: readonly LeftChange[], trail: Trail): string {
  const total = saved.actions.filter(isApplied).length;
  const onRecord = total - left.filter((l) => l.outcome === undefined).length;
  const notMade = left.length - (total - onRecord);
  const failed = [...runs.made.values()].some((m) => m.outcome === 'failure' || m.outcome === 'conflict');
  const how = failed ? 'stopped after a change failed' : 'was interrupted or killed before it finished';
  return `${savedAt(runs.last)} by a run that ${how}: ${groupThousands(onRecord)} of its ${plural(total, 'change')} ${onRecord === 1 ? 'is' : 'are'} on record in ${visibleName(trail.shown)}${notMade > 0 ? ` (${groupThousands(notMade)} of them not made)` : ''}`;
}

/** The addresses a plan's earlier run changed: each landed change, and what a landed delete took along. */
function changedBy(made: ReadonlyMap<string, MadeChange>): Set<string> {
  const out = new Set<string>();
  for (const [address, m] of made) {
    // An intent still open may have made its change; one settled not applied may have made part of it.
    if (!m.landed && !m.open && !(m.outcome === 'not applied' && m.hash !== null)) continue;
    out.add(address);
    for (const a of m.cascade) out.add(a);
  }
  return out;
}

/** A live object as audit records name it: its snapshot, and the id its records carry. */
export interface LiveObject {
  snapshot: Snapshot;
  id: string | undefined;
}

function liveObjects(live: LiveState): Map<string, LiveObject> {
  const ids = liveResourceIds(live);
  return new Map([...liveSnapshots(live)].map(([address, snapshot]) => [address, { snapshot, id: ids.get(address) }]));
}

/**
 * Whether what an earlier run of the plan made still holds on the target (`live`, by address), so
 * that the file's disagreements with a fresh plan (`reasons`) are its own work and nothing more:
 * every change landed (one that failed, was skipped or is unknown made nothing to hold), each
 * write's object is there, the same one (its id, where the record has one), holding what the
 * write left (its snapshot hash), each delete's object is gone with what it took along, and
 * every reason is at one of those addresses (an object the file left alone that moved since is
 * more that changed).
 */
export function madeStillHolds(made: ReadonlyMap<string, MadeChange>, reasons: readonly StaleReason[], live: ReadonlyMap<string, LiveObject>): boolean {
  const own = new Set(made.keys());
  for (const [address, m] of made) {
    if (!m.landed) return false;
    const now = live.get(address);
    if (m.gone) {
      if (now || m.cascade.some((a) => live.has(a))) return false;
      for (const a of m.cascade) own.add(a);
      continue;
    }
    if (!now || m.hash === null || now.snapshot.hash !== m.hash) return false;
    if (m.resourceId !== null && now.id !== undefined && now.id !== m.resourceId) return false;
  }
  return reasons.every((r) => own.has(r.address));
}

/** The trail's records of plan `planId`; null when it records none (or cannot be read: the stale refusal then stands as it is, and the apply's own opening of the trail reports what is wrong with it). */
async function runsOnRecord(trail: Trail, planId: string): Promise<PlanOnRecord | null> {
  try {
    return planOnRecord(await readFile(trail.path, 'utf8'), planId);
  } catch {
    return null;
  }
}

/** " at 2026-12-07 05:22 UTC (14 changes on record in .promptctl/audit.jsonl)". */
function appliedAt(runs: PlanOnRecord, trail: Trail): string {
  const failed = runs.outcomes - runs.succeeded;
  const changes = `${runs.succeeded} change${runs.succeeded === 1 ? '' : 's'}${failed > 0 ? ` (and ${failed} not made)` : ''}`;
  return `${savedAt(runs.last)} (${changes} on record in ${visibleName(trail.shown)})`;
}

/**
 * A plan made for another org is not stale: it is for somewhere else (DESIGN §5), and planning it
 * again here would replace the reviewed file with a plan of the wrong org. Said as such, naming
 * both orgs and the variables that chose this target; a plan for this org goes to another file.
 * A file that names no org (edited, or made elsewhere) is left to the stale check, which says so.
 */
function refuseOtherOrg(ctx: CliContext, file: string, dir: string, saved: Plan, fresh: Plan): void {
  if (!saved.org || !fresh.org || !otherOrg(saved, fresh)) return;
  const orgs = `${file} was made for org ${visible(describeOrg(saved.org))}, but the target is org ${visible(describeOrg(fresh.org))}; nothing was applied`;
  const plan = `make a plan for it in another file (\`${planAgain(ctx, dir, saved.prune)} --out FILE\`) and review that`;
  // The embedded emulator has no variables to point elsewhere: its state was replaced since the plan.
  if (describeTarget(ctx.env, ctx.environment).target.kind === 'embedded') {
    throw new UserError(`${orgs}. A saved plan applies only to the org it was made for, and this embedded emulator's state was replaced since: ${plan}.`);
  }
  const vars = `${ctx.environment ? ctx.environment.settings.credentials : 'GENESYSCLOUD'}_*`;
  throw new UserError(`${orgs}. A saved plan applies only to the org it was made for: apply it with ${vars} naming that org, or, to change the target's org instead, ${plan}.`);
}

/** What a saved plan applied at another place than it was planned for is told (`refuseOtherPlace`). */
export interface OtherPlace {
  /** The file as messages show it. */
  shown: string;
  /** As the user gave it (`-` for stdin): a new plan is written to another file. */
  planFile: string;
  /** How a command applies this same plan: the file, or stdin again. */
  applyArg: string;
  /** This run's target label (describeTarget's). */
  label: string;
  dir: string;
}

/**
 * A saved plan made for another place (API host, or embedded state) than this run's target is
 * refused before anything is read of it but its org (DESIGN §5: naming both orgs; one quick
 * request, on a refusal only), in one sentence naming each side once, then where it applies and
 * how to plan git's state for this target instead, with this run's --env and --dir.
 */
export async function refuseOtherPlace(ctx: CliContext, saved: Plan, at: OtherPlace): Promise<never> {
  const here = await thisOrg(ctx);
  const target = 'org' in here ? placeWords(at.label, here.org) : `${visible(at.label)}, whose org could not be read (${here.unread})`;
  const refusal = `${at.shown} was planned for ${placeWords(saved.target, saved.org)}, but the target is ${target}; nothing was applied`;
  // Planned for an environment this run did not choose (or the other way round): the command that matches it,
  // with the directory the plan was made from (the file names it), which a copy without --dir would not read.
  const planned = labelEnvironment(saved.target);
  const applyIt = `${dirFlag(saved.dir ?? at.dir)} ${at.applyArg}`;
  const vars = `${ctx.environment ? ctx.environment.settings.credentials : 'GENESYSCLOUD'}_*`;
  const where =
    planned !== undefined && planned !== ctx.environment?.name
      ? `To apply it where it was planned: \`promptctl apply --env ${planned}${applyIt}\``
      : planned === undefined && ctx.environment
        ? `To apply it where it was planned, without --env: \`promptctl apply${applyIt}\``
        : saved.target.startsWith('embedded emulator')
          ? `A saved plan applies only to the org it was made for: apply it with ${vars} unset (the embedded emulator it was planned on)`
          : `A saved plan applies only to the org it was made for: apply it with ${vars} naming that org`;
  const file = newPlanFile(ctx.cwd, at.planFile);
  const again = `To apply git's state to this target instead, plan it again: \`${planAgain(ctx, at.dir, saved.prune)} --out ${file}\`, review it, then \`${applyCommand(ctx, at.dir, saved.prune)} ${file}\``;
  throw new UserError(`${refusal}. ${where}. ${again}.`);
}

/** This run's org (`org`), read once with a probe's limits, or why it could not be (`unread`). */
async function thisOrg(ctx: CliContext): Promise<{ org: NonNullable<Plan['org']> } | { unread: string }> {
  try {
    const opened = await openTarget(targetContext(ctx, { environment: ctx.environment }), { quick: true, readOnly: true });
    try {
      const org = await opened.api.organization();
      return { org: { id: org?.id ?? null, ...(org?.name ? { name: org.name } : {}), host: opened.binding.host, clientId: opened.binding.clientId } };
    } finally {
      await opened.close();
    }
  } catch (err) {
    return { unread: ctx.mask(oneLine(messageOf(err))) };
  }
}

/**
 * `environment prod's org "Acme" 1127… at api.mypurecloud.com (client abcd…)`: a target label
 * (which names the environment, and the client, also said by the org) with its org; the label
 * alone where the org is not known (a file that names none).
 */
export function placeWords(label: string, org: Plan['org']): string {
  if (!org) return visible(label);
  const env = labelEnvironment(label);
  return `${env !== undefined ? `environment ${env}'s ` : ''}org ${visible(describeOrg(org))}`;
}

/** Where the plan for this target is saved: plan.json, unless that is the file refused (kept as reviewed). */
function newPlanFile(cwd: string, planFile: string): string {
  return planFile !== '-' && resolve(cwd, planFile) === resolve(cwd, 'plan.json') ? 'plan-here.json' : 'plan.json';
}

/**
 * When the file names another prompts directory than this apply read (`plan --dir X` applied
 * without it), that may be all that changed: said before the hint to plan again, which would
 * otherwise replace the reviewed plan with one of other files. Compared as spelled, since the plan
 * may have been made from another working directory (no refusal rests on it).
 */
export function otherDir(saved: Plan, dir: string): string {
  const spelled = (d: string): string => normalize(d).replace(/(.)[\\/]+$/, '$1');
  if (saved.dir === undefined || spelled(saved.dir) === spelled(dir)) return '';
  return ` It was planned with --dir ${shellWord(saved.dir)} and this apply read ${shellWord(dir)}: if that is the difference, apply it with --dir ${shellWord(saved.dir)} from where it was planned.`;
}

