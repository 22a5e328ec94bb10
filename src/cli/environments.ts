// `--env NAME` (DESIGN §6): which environment of promptctl.yaml a command works on. The choice is
// made once, before the command runs (main.ts's preAction hook), and kept on the run's context:
// the target, the embedded emulator's state, the audit trail and the documents all follow it.
// Also the promotion check of plan and apply: what the plan brings to its environment (versions,
// guide content, summary settings) must have run in the environment before it in `promotion`.
import { dirname, resolve } from 'node:path';
import { CONFIG_FILE } from '../config/discover.js';
import { absentConfig, misnamedConfig, misplacedConfig } from './config-absent.js';
import type { Command } from 'commander';
import { resolveTarget, targetVariables, type EnvironmentTargetSpec, type Target } from '../genesys/target.js';
import { clientIdHint } from '../util/client-id.js';
import type { Config, DesiredState, EnvironmentConfig } from '../model/types.js';
import type { Plan } from '../plan/types.js';
import type { PlanProblem } from '../kinds/action.js';
import type { PreviousOrg, PromotedVersion } from '../plan/promotion.js';
import { readPromotionSource } from '../targets/live.js';
import { checkEnvironmentConfig } from '../rules/environments.js';
import { UserError, messageOf } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';
import { oneLine, shellWord, visibleLines, visibleName } from '../util/escapes.js';
import type { CliContext } from './context.js';
import { applySteps } from './next-commands.js';

/** Where each environment keeps what is its own (embedded state, audit trail), relative to the working directory. */
export const ENVIRONMENTS_DIR = '.promptctl/envs';
/** The variable that chooses an environment when `--env` is not given. */
export const ENV_VARIABLE = 'PROMPTCTL_ENV';

/** The commands that take `--env` (those that talk to a target, and validate and tokens). */
export const ENV_COMMANDS: ReadonlySet<string> = new Set(['validate', 'tokens', 'plan', 'apply', 'drift', 'export', 'run', 'test', 'status', 'promote', 'rollback']);

/** One environment, resolved: what every command needs to work on it. */
export interface SelectedEnvironment {
  name: string;
  settings: EnvironmentConfig;
  /** The variables and config host its target is read from. */
  spec: EnvironmentTargetSpec;
  /** Its embedded emulator's state file, relative to the working directory. */
  stateFile: string;
  /** Its audit trail, relative to the working directory (the config's audit.file when set). */
  auditFile: string;
  /** The environment before it in `promotion`. */
  previous?: string;
  /** The config it was read from (for the previous environment). */
  config: Config;
}

/**
 * What `--env` picks where it is not the whole environment (its org, documents, state and audit
 * trail): validate and tokens contact no target, and verify reads a trail alone.
 */
const ENV_PICKS: Readonly<Record<string, string>> = {
  validate: 'its documents, checked as that environment holds them, without contacting its org',
  tokens: 'its documents, checked as that environment holds them, without contacting its org',
  verify: 'its audit trail',
  path: 'its audit trail',
  promote: 'its routes in the split',
  rollback: 'its routes in the split',
};

/** Adds `--env NAME` to a command (and `--dir`, where the config is read from, when it has none). */
export function addEnvOption(cmd: Command): Command {
  const picks = ENV_PICKS[cmd.name()] ?? 'its org, documents, state and audit trail';
  cmd.option('--env <name>', `an environment of promptctl.yaml (dev, staging, prod…): ${picks} (default $${ENV_VARIABLE})`);
  if (!cmd.options.some((o) => o.long === '--dir')) cmd.option('--dir <dir>', 'prompts directory whose promptctl.yaml names the environments', 'prompts');
  return cmd;
}

/**
 * The settings of environment `name`, if the config names it. An own key only: a name is data,
 * and `--env toString` or `__proto__` must be unknown, not Object.prototype's members.
 */
function configuredEnvironment(config: Config, name: string): EnvironmentConfig | undefined {
  return Object.hasOwn(config.environments, name) ? config.environments[name] : undefined;
}

/** The environment named `name` in `config` (which must configure it). */
export function environmentByName(config: Config, name: string): SelectedEnvironment {
  const settings = configuredEnvironment(config, name);
  if (!settings) throw new UserError(`unknown environment "${name}"`);
  const spec: EnvironmentTargetSpec = {
    name,
    vars: targetVariables(settings.credentials),
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}),
    ...(settings.loginUrl ? { loginUrl: settings.loginUrl } : {}),
  };
  const order = config.promotion ?? [];
  const i = order.indexOf(name);
  return {
    name,
    settings,
    spec,
    stateFile: `${ENVIRONMENTS_DIR}/${name}/local-state.json`,
    auditFile: config.audit.file ?? `${ENVIRONMENTS_DIR}/${name}/audit.jsonl`,
    ...(i > 0 ? { previous: order[i - 1]! } : {}),
    config,
  };
}

/**
 * The environment `name` of the promptctl.yaml in `dir`: an unknown name (with a did-you-mean
 * and the list) or a config without environments is a clear error. So is an invalid config, unless
 * `whenInvalid` takes it (then undefined: no environment is known).
 */
export async function selectEnvironment(
  cwd: string,
  dir: string,
  name: string,
  from: string,
  whenInvalid?: (file: string) => void | Promise<void>,
): Promise<SelectedEnvironment | undefined> {
  const { loadConfigFile } = await import('../load/index.js');
  const { config, status, file } = await loadConfigFile({ dir, cwd });
  if (configuredEnvironment(config, name)) return environmentByName(config, name);
  if (status === 'invalid') {
    if (whenInvalid) return void (await whenInvalid(file));
    throw new UserError(`${from} names environment "${name}", but ${visibleName(file)} is not valid (run \`promptctl validate --dir ${shellWord(dir)}\`); nothing was done`);
  }
  const names = Object.keys(config.environments);
  if (names.length === 0) {
    // No promptctl.yaml because there is no such directory (a typo in --dir): say that.
    if (status === 'absent') {
      const { assertDirectory } = await import('../load/project.js');
      await assertDirectory(resolve(cwd, dir), dir, cwd);
    }
    const misnamed = status === 'absent' ? misnamedConfig(resolve(cwd, dir, CONFIG_FILE), file) : undefined;
    if (misnamed !== undefined) {
      throw new UserError(`${from} names environment "${name}", but there is no ${visibleName(file)} (${visibleName(misnamed)} is there: rename it, promptctl reads only ${CONFIG_FILE}); nothing was done`);
    }
    const misplaced = status === 'absent' ? await misplacedConfig(resolve(cwd, dir), file) : undefined;
    if (misplaced !== undefined) {
      throw new UserError(`${from} names environment "${name}", but there is no ${visibleName(file)} (${misplaced} holds a Config document: move it there, promptctl reads the Config only from ${CONFIG_FILE} at the top of the prompts directory); nothing was done`);
    }
    const where = status === 'absent' ? absentConfig(resolve(cwd, dir, CONFIG_FILE), file) : `${file} configures no environments`;
    throw new UserError(`${from} names environment "${name}", but ${where}: add it under spec.environments (with the prefix of its credentials); nothing was done`);
  }
  throw new UserError(`unknown environment "${name}" (${from})${didYouMean(name, names)}: ${file} configures ${names.join(', ')}; nothing was done`);
}

/**
 * Before a command runs: the environment its `--env` (or PROMPTCTL_ENV) names, kept on the
 * context. Commands without the option, and runs without either, are left as they were.
 */
export async function chooseEnvironment(ctx: CliContext, action: Command): Promise<void> {
  if (!action.options.some((o) => o.long === '--env')) return;
  const opts = action.opts<{ env?: string; dir?: string }>();
  // `audit verify FILE`: the file is named, so an exported PROMPTCTL_ENV has nothing to choose.
  if (opts.env === undefined && action.name() === 'verify' && action.args.length > 0) return;
  const fromEnv = ctx.env[ENV_VARIABLE]?.trim();
  const name = opts.env ?? (fromEnv ? fromEnv : undefined);
  if (name === undefined) return;
  const from = opts.env !== undefined ? '--env' : ENV_VARIABLE;
  // validate reports an invalid promptctl.yaml at its lines (the PR workflow runs it with --env):
  // no environment is known then, so every document is checked as a whole, as without --env.
  // Any other command stops, saying where promptctl.yaml is wrong (file:line:column), as it would
  // without --env: in CI every job runs with --env, and its log is where the reader looks.
  const dir = opts.dir ?? 'prompts';
  const whenInvalid =
    action.name() === 'validate'
      ? (file: string) => ctx.info(`note: ${from} names environment "${name}", but ${file} is not valid: checking every document as a whole`)
      : (file: string) => refuseInvalidConfig(ctx, dir, file, `${from} names environment "${name}", but ${visibleName(file)} is not valid`);
  const chosen = await selectEnvironment(ctx.cwd, dir, name, from, whenInvalid);
  if (!chosen) return;
  // Settings the schema passes but validate refuses (a credentials value that is a whole variable's
  // name, a misspelt region): a command that read no documents went on, to an empty embedded org.
  const wrong = action.name() === 'validate' ? [] : checkEnvironmentConfig(chosen.config).filter((d) => d.severity === 'error');
  if (wrong.length > 0) await refuseInvalidConfig(ctx, dir, wrong[0]!.file, `${from} names environment "${name}", but ${visibleName(wrong[0]!.file)} is not valid`);
  ctx.environment = chosen;
}

/**
 * Ends the command on an invalid promptctl.yaml (`file`, relative to cwd), its problems said first,
 * each at its file:line:column as validate says it (on stderr, and in a `--format json` failure
 * document). Only the config's own: what its failure makes wrong in other files (an environment
 * "not configured") is its echo. Without any (it cannot be told), the advice to run validate.
 */
export async function refuseInvalidConfig(ctx: CliContext, dir: string, file: string, what: string): Promise<never> {
  await refuseConfigErrors(ctx, dir, file, what);
  throw new UserError(`${what} (run \`promptctl validate --dir ${shellWord(dir)}\`); nothing was done`);
}

/**
 * Ends the command, as refuseInvalidConfig does, when promptctl.yaml (`file`, relative to cwd) holds
 * an error of its own as validate finds it in `dir`; returns when it holds none.
 */
export async function refuseConfigErrors(ctx: CliContext, dir: string, file: string, what: string): Promise<void> {
  const { loadProject } = await import('../load/index.js');
  const { diagnostics } = await loadProject({ dir, cwd: ctx.cwd, tokenMemo: ctx.tokenMemo, knownSecrets: ctx.knownSecrets, secretOf: ctx.secretOf });
  const own = diagnostics.filter((d) => d.file === file);
  const errors = own.filter((d) => d.severity === 'error').length;
  if (errors === 0) return;
  const [{ formatText }, { FilesRefused }] = await Promise.all([import('../views/diagnostics.js'), import('./refused.js')]);
  for (const d of own) ctx.info(formatText(d));
  throw new FilesRefused(`${what} (${errors} error${errors === 1 ? '' : 's'}, above); nothing was done`, own);
}

/**
 * A protected environment's rules must not be side-stepped: an apply whose target is a protected
 * environment's org (the same API host and OAuth client as its <PREFIX>_* variables name) is
 * refused unless it is that environment's own apply. Without --env the plain GENESYSCLOUD_*
 * target is compared; with --env NAME, NAME's target against every OTHER protected environment
 * (dev's variables pointing at prod's org make no dev apply).
 */
export function refuseProtectedOrgApply(ctx: CliContext, config: Config): void {
  const ours = resolveTarget(ctx.env, ctx.environment?.spec);
  if (ours.kind !== 'remote') return;
  for (const name of otherProtected(ctx, config)) {
    let theirs;
    try {
      theirs = resolveTarget(ctx.env, environmentByName(config, name).spec);
    } catch {
      continue; // its variables are not set here: this run cannot be its org
    }
    if (theirs.kind === 'remote' && sameOrg(theirs, ours)) throw new UserError(protectedOrgRefusal(name, ctx.environment));
  }
  // Without --env, an unprotected environment's org is applied every document (those kept to other
  // environments too) and its records go to the plain trail, not the environment's: allowed, said
  // (a review: a staging-only filter created in dev's org, without a word).
  if (ctx.environment) return;
  for (const [name, settings] of Object.entries(config.environments)) {
    if (settings.protected) continue;
    let theirs;
    try {
      theirs = resolveTarget(ctx.env, environmentByName(config, name).spec);
    } catch {
      continue;
    }
    if (theirs.kind === 'remote' && sameOrg(theirs, ours)) {
      ctx.info(`warning: the target is environment ${name}'s org (the same API host and OAuth client as ${settings.credentials}_*), but this apply names no environment: every document is applied, those kept out of ${name} too, and its records go to the trail of runs without --env, not ${name}'s; run apply with --env ${name}`);
      return;
    }
  }
}

/**
 * The same refusal by org id, once the plan has read the target's: another spelling of the host
 * (localhost for 127.0.0.1, a second DNS name) or another OAuth client of the same org is still
 * that protected environment's org. Each other protected environment whose variables are set here
 * is asked who it is (one quick request). One that cannot be read (slow, down, its credentials
 * refused) is no proof either way: with this run's OAuth client (an org's own: a client id names
 * one org) the apply is refused, since it may well be that org by another host's name; with
 * another client it goes on, said in a warning, never silently (a review: a slow prod org let
 * dev's variables apply to it).
 */
export async function refuseProtectedOrgApplyById(ctx: CliContext, config: Config, orgId: string | null | undefined): Promise<void> {
  // The embedded emulator is nobody's org.
  const ours = resolveTarget(ctx.env, ctx.environment?.spec);
  if (!orgId || ours.kind !== 'remote') return;
  const names = otherProtected(ctx, config);
  const asked = await Promise.all(names.map((name) => remoteOrgId(ctx, environmentByName(config, name))));
  const name = names.find((_, i) => asked[i]?.id === orgId);
  if (name) throw new UserError(protectedOrgRefusal(name, ctx.environment, orgId));
  names.forEach((other, i) => {
    const unread = asked[i]?.unread;
    if (unread === undefined) return;
    const credentials = environmentByName(config, other).settings.credentials;
    const why = `environment ${other}'s org could not be read to tell that this target (org id ${orgId}) is not it (${unread})`;
    if (asked[i]?.clientId === ours.clientId) {
      throw new UserError(`${why}, and this apply signs in with ${other}'s OAuth client: it may be ${other}'s org under another host's name, which is protected. Run apply again once ${other}'s org answers, or without ${credentials}_* set if this target is not ${other}'s org; nothing was applied`);
    }
    ctx.info(`warning: ${why}: applying on, since this apply signs in with another OAuth client than ${other}'s`);
  });
}

/** What asking an environment's org who it is found: its id, or why it could not be read (and the OAuth client asked with). */
interface OrgAnswer {
  id?: string;
  unread?: string;
  clientId: string;
}

/**
 * The id of the org an environment's variables name (one quick request); undefined for the
 * embedded emulator (nobody's org) or variables not set here; `unread` for an org that does not
 * answer with one.
 */
async function remoteOrgId(ctx: CliContext, environment: SelectedEnvironment): Promise<OrgAnswer | undefined> {
  const { openTarget, targetContext } = await import('./target.js');
  let target;
  try {
    target = resolveTarget(ctx.env, environment.spec);
  } catch {
    return undefined; // its variables are not set here: this run cannot be its org
  }
  if (target.kind !== 'remote') return undefined;
  const { clientId } = target;
  try {
    const opened = await openTarget(targetContext(ctx, { environment }), { quick: true, readOnly: true });
    try {
      const id = (await opened.api.organization())?.id;
      return id ? { id, clientId } : { unread: 'it named no org id', clientId };
    } finally {
      await opened.close();
    }
  } catch (err) {
    return { unread: ctx.mask(oneLine(messageOf(err))), clientId };
  }
}

/** The protected environments this apply must not reach: all of them, but its own. */
function otherProtected(ctx: CliContext, config: Config): string[] {
  return Object.entries(config.environments)
    .filter(([name, settings]) => settings.protected && name !== ctx.environment?.name)
    .map(([name]) => name);
}

/** What the user must do when this apply's target is protected environment `name`'s org. */
export function protectedOrgRefusal(name: string, run: Pick<SelectedEnvironment, 'name' | 'settings'> | undefined, orgId?: string): string {
  const org = `the target is environment ${name}'s org${orgId ? ` (id ${orgId})` : ''}, which is protected`;
  if (!run) return `${org}: run apply with --env ${name} so that its rules apply; nothing was applied`;
  return (
    `${org}, but this is an apply to environment ${run.name}: point ${run.name}'s variables (${run.settings.credentials}_*) at ${run.name}'s own org, ` +
    `or run apply with --env ${name} so that its rules apply; nothing was applied`
  );
}

function sameOrg(a: { apiUrl: string; clientId: string }, b: { apiUrl: string; clientId: string }): boolean {
  return new URL(a.apiUrl).host === new URL(b.apiUrl).host && a.clientId === b.clientId;
}

/** A protected environment applies only a saved plan file (DESIGN §6). */
export function refuseUnsavedApply(ctx: CliContext, planFile: string | undefined, flags: UnsavedApplyFlags): void {
  // stdin is no saved file: `plan --format json | apply -` applies a plan no one has reviewed.
  if (!ctx.environment?.settings.protected || (planFile !== undefined && planFile !== '-')) return;
  throw unsavedApplyRefused(ctx, flags, planFile === '-' ? 'a plan piped to `apply -` is none' : undefined);
}

type UnsavedApplyFlags = { dir: string; prune?: boolean; allowMassDelete?: boolean };

/**
 * The refusal of a protected environment's apply without a saved plan file, `why` saying what the
 * run gave instead (stdin, a pipe named as a file), with the two commands that make and apply one.
 */
export function unsavedApplyRefused(ctx: CliContext, flags: UnsavedApplyFlags, why?: string): UserError {
  // The run's --prune and --allow-mass-delete kept: followed as written, the saved plan deletes what
  // this apply meant to, and its apply takes the mass delete this one was given.
  const [save, apply] = applySteps(ctx, flags.dir, { prune: flags.prune === true, allowMassDelete: flags.allowMassDelete === true });
  const instead = why !== undefined ? `, and ${why} (nothing shows it was reviewed)` : '';
  return new UserError(
    `environment ${ctx.environment!.name} is protected: apply takes only a saved, reviewed plan file${instead}. ` +
      `Run \`${save}\`, review it, then \`${apply}\`; nothing was applied`,
  );
}

/**
 * The promotion check (DESIGN §6): the versions `plan` publishes or sends more traffic to must be
 * published in the environment before this one in `promotion`, and the guide content and summary
 * settings it writes held there, read from that environment's live org. Each gap is a warning on
 * stderr, or, when this environment is protected, a problem
 * (returned, for the plan to carry). Nothing to check without an environment or a previous one.
 * `union`: every environment's documents, from which the previous environment's own state says
 * whether applying this commit there closes each gap (it waits) or not (blocked).
 */
export async function promotionCheck(ctx: CliContext, plan: Pick<Plan, 'actions' | 'org'>, union: DesiredState): Promise<PlanProblem[]> {
  return (await promotionFindings(ctx, plan, union)).problems;
}

/** The promotion check's findings: `problems` (protected) or `warnings` (said on stderr too). */
export async function promotionFindings(ctx: CliContext, plan: Pick<Plan, 'actions' | 'org'>, union: DesiredState, opts: { sayWarnings?: boolean } = {}): Promise<PromotionFindings> {
  if (!ctx.environment?.previous) return { problems: [], warnings: [] };
  const { promotedVersions } = await import('../plan/promotion.js');
  return previousFindings(ctx, promotedVersions(plan), union, opts.sayWarnings ?? true, plan.org?.id ?? undefined);
}

export interface PromotionFindings {
  problems: PlanProblem[];
  warnings: PlanProblem[];
}

/** `wanted` against the previous environment's live org: warnings, or (protected) problems. */
export async function checkPrevious(ctx: CliContext, wanted: readonly PromotedVersion[], union: DesiredState, ownOrgId?: string): Promise<PlanProblem[]> {
  return (await previousFindings(ctx, wanted, union, true, ownOrgId)).problems;
}

/**
 * `sayWarnings` false: the caller shows the warnings itself (plan's text output lists them).
 * `ownOrgId`: this environment's org, when the caller has read it (the plan's); else asked here.
 */
async function previousFindings(ctx: CliContext, brought: readonly PromotedVersion[], union: DesiredState, sayWarnings = true, ownOrgId?: string): Promise<PromotionFindings> {
  const none: PromotionFindings = { problems: [], warnings: [] };
  const env = ctx.environment;
  if (!env?.previous || brought.length === 0) return none;
  const [{ judgeGaps, promotionGaps, promotionReads, withModels }, { promotionProblems, promotionSummary }, { environmentState }] = await Promise.all([
    import('../plan/promotion.js'),
    import('../plan/promotion-messages.js'),
    import('../model/environments.js'),
  ]);
  // Each version on the model it answers on here: the previous environment must have run it on that one.
  const wanted = withModels(brought, environmentState(union, env.name));
  const previous = environmentByName(env.config, env.previous);
  const { describeTarget, openTarget, targetContext } = await import('./target.js');
  let previousLive: PreviousOrg;
  let where: string;
  try {
    const there = describeTarget(ctx.env, previous);
    where = there.label;
    // A real org checked against an empty local one proves nothing: say what is missing instead.
    if (there.target.kind === 'embedded' && describeTarget(ctx.env, env).target.kind === 'remote') {
      const v = previous.spec.vars;
      throw new Error(`${previous.name}'s credentials (${v.clientId}, ${v.clientSecret}) are not set here, so its org cannot be read: give this run a read-only client of ${previous.name}`);
    }
    // Nor does this environment's own org read under the previous one's name (its variables copied
    // from this one's): every change this org already holds would be found there, as though run.
    const here = there.target.kind === 'remote' ? remoteTargetOf(ctx, env) : undefined;
    if (there.target.kind === 'remote' && here && sameOrg(there.target, here)) {
      throw new Error(
        `${previous.name}'s variables (${previous.settings.credentials}_*) name ${env.name}'s own org (the same API host ${new URL(here.apiUrl).host} and OAuth client ${clientIdHint(here.clientId)}), so reading it proves nothing of ${previous.name}: point them at ${previous.name}'s org`,
      );
    }
    // Where a failure only warns, an org that does not answer must not hold the plan up for minutes:
    // the probe's limits. Where it refuses (protected), the normal ones, so a slow org is still read.
    const limits = env.settings.protected ? {} : { quick: true };
    // A read of the previous org: an embedded one never applied to reads as empty, and is not made.
    // Its retry notices name it: said bare, under this run's "target:" line, they read as this org's.
    const info = (l: string) => ctx.info(`reading ${previous.name} for the promotion check: ${l}`);
    // Its embedded org kept above this directory (`cd prompts && plan --env prod --dir .`): read
    // here it is empty, and every gap would be put down to it, not to where the run started from.
    if (there.target.kind === 'embedded' && env.config.source) {
      const { keptAbove, embeddedStateAboveNote } = await import('./target.js');
      const above = keptAbove(ctx.cwd, dirname(resolve(ctx.cwd, env.config.source.file)), there.stateFile);
      if (above !== undefined) info(embeddedStateAboveNote(ctx.cwd, there.stateFile, above).replace(/^note: /, ''));
    }
    const target = await openTarget(targetContext(ctx, { environment: previous, info }), { ...limits, readOnly: true });
    try {
      // The same org under another spelling of its host (localhost for 127.0.0.1, a second DNS
      // name) or another OAuth client of it: told by its id, as an apply's protected-org check is.
      if (here) {
        const [theirs, ours] = await Promise.all([target.api.organization().then((o) => o?.id ?? undefined), ownOrgId ?? remoteOrgId(ctx, env).then((a) => a?.id)]);
        if (theirs !== undefined && theirs === ours) {
          throw new Error(
            `${previous.name}'s variables (${previous.settings.credentials}_*) name ${env.name}'s own org (id ${theirs}, read through ${there.target.kind === 'remote' ? new URL(there.target.apiUrl).host : 'its API URL'}), so reading it proves nothing of ${previous.name}: point them at ${previous.name}'s org`,
          );
        }
      }
      previousLive = await readPromotionSource({ gateway: target.api, aistudio: target.aistudio }, promotionReads(wanted));
    } finally {
      await target.close();
    }
  } catch (err) {
    const why = messageOf(err).replace(/\.$/, '');
    // A reason that already says nothing was done (a held embedded state) is not told so twice.
    const done = /nothing was done/.test(why) ? '' : '; nothing was done';
    if (env.settings.protected) throw new UserError(`cannot check promotion from ${previous.name} to ${env.name} (${env.name} is protected): ${why}${done}`);
    const message = `cannot check promotion from ${previous.name} to ${env.name}: ${why}`;
    // `why` holds the previous org's words (its error's message and code): made visible on one line.
    if (sayWarnings) ctx.info(`warning: ${oneLine(message)}`);
    return { problems: [], warnings: [{ address: '(plan)', rule: 'promotion/not-checked', message }] };
  }
  // Each gap judged by what the merge's apply of the previous environment (its own state, from
  // the same files) would leave there: closed (the gap waits), or still open (blocked).
  const gaps = judgeGaps(promotionGaps(wanted, previousLive), environmentState(union, previous.name));
  ctx.info(`promotion: ${promotionSummary(wanted, gaps, env.name, previous.name)} (${where})`);
  if (gaps.length === 0) return none;
  // Each at its document in git, as the plan's own problems are: the text plan, the PR comment and
  // the workflow's annotations (on the diff's line) say where the version or guide is defined.
  const { locateProblems } = await import('../plan/build.js');
  const found = locateProblems(promotionProblems(gaps, env.name, previous.name), environmentState(union, env.name));
  if (!env.settings.protected) {
    // Where in git each is (file:line:column), as the text plan and validate say it.
    if (sayWarnings) for (const p of found) ctx.info(`warning: ${visibleName(p.address)}${p.file ? ` (${visibleName(`${p.file}:${p.line}:${p.column}`)})` : ''}: ${visibleLines(p.message)}`);
    return { problems: [], warnings: found };
  }
  return { problems: found, warnings: [] };
}

/** The environment's remote target, when its variables name one (none: the embedded emulator, or variables that do not make a target). */
function remoteTargetOf(ctx: CliContext, environment: SelectedEnvironment): Extract<Target, { kind: 'remote' }> | undefined {
  try {
    const target = resolveTarget(ctx.env, environment.spec);
    return target.kind === 'remote' ? target : undefined;
  } catch {
    return undefined;
  }
}
