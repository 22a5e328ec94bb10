// What the commands that read prompts or talk to a target share: the prompts directory option,
// the target line, loading the prompts (refusing invalid input before anything live is changed),
// and opening and closing the target. Reading it and planning against it is live-plan.ts's. The
// loader is imported when first used, so that `--help` and `--version` do not load it.
import { DEFAULT_PROMPTS_DIR } from '../config/discover.js';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Diagnostic } from '../model/diagnostic.js';
import type { DesiredState, SourceLocation } from '../model/types.js';
import type { ConfigResult } from '../load/index.js';
import { applyFirst, dirFlag, planThenApply } from './next-commands.js';
import { FilesRefused } from './refused.js';
import { messageOf, UserError } from '../util/errors.js';
import { formNote } from '../util/lookalike.js';
import { andList } from '../util/plural.js';
import { closest } from '../util/suggest.js';
import { visibleName } from '../util/escapes.js';
import type { CliContext, MachineDocument } from './context.js';
import { openTarget, targetContext, targetLine, describeTarget, keptAbove, embeddedStateAboveNote, type OpenTarget, type OpenTargetOptions } from './target.js';
import { formatText } from '../views/diagnostics.js';
import { ENV, environmentTargetVariables, unreadTargetVariables } from '../genesys/target.js';

export const DEFAULT_DIR = DEFAULT_PROMPTS_DIR;

export function addDirOption(cmd: Command): Command {
  return cmd.option('--dir <dir>', 'prompts directory', DEFAULT_DIR);
}

/**
 * For a command whose --dir only says where the environments are read from (export, status:
 * environments.ts adds it): a --dir given must be a directory all the same, as every command's
 * is, so a typo is not passed over.
 */
export async function assertDirGiven(ctx: CliContext, cmd: Command, dir: string | undefined): Promise<void> {
  if (cmd.getOptionValueSource('dir') !== 'cli' || dir === undefined) return;
  const { assertDirectory } = await import('../load/project.js');
  await assertDirectory(resolve(ctx.cwd, dir), dir, ctx.cwd);
}

/**
 * What a command does with its target, as the CI warning says it (`embeddedInCiWarning`): apply
 * changes it, drift compares git with it. A command that names none is not warned.
 */
export type TargetUse = 'changes' | 'compares' | 'tests';

/**
 * Prints the target line: the first thing every command says on stderr. `dir`: the prompts
 * directory the command reads (the default for one that reads none). `use`: what the command does
 * with the target, for the warning a run in CI on the embedded emulator gets.
 */
export async function announceTarget(ctx: CliContext, dir: string = DEFAULT_DIR, opts: { use?: TargetUse } = {}): Promise<string> {
  // With --env, the label ends in ", environment NAME" (DESIGN §6).
  const { label, target, stateFile } = describeTarget(ctx.env, ctx.environment);
  ctx.info(targetLine(label));
  if (target.kind === 'embedded') {
    const unread = unreadTargetNote(ctx);
    if (unread) ctx.info(unread);
    const above = keptAbove(ctx.cwd, dir, stateFile);
    if (above !== undefined) ctx.info(embeddedStateAboveNote(ctx.cwd, stateFile, above));
    const warning = opts.use && (await embeddedInCiWarning(ctx, opts.use, dir));
    if (warning) ctx.info(warning);
  }
  return label;
}

/**
 * The note for a run on the embedded emulator while variables under the target's prefix are set
 * that promptctl does not read (a misspelt GENESYSCLOUD_CLIENT_ID): the user meant an org.
 */
function unreadTargetNote(ctx: CliContext): string | undefined {
  const vars = ctx.environment?.spec.vars ?? ENV;
  const unread = unreadTargetVariables(ctx.env, vars);
  if (unread.length === 0) return undefined;
  return (
    `note: ${unread.join(', ')} ${unread.length === 1 ? 'is' : 'are'} set, but promptctl does not read ${unread.length === 1 ? 'it' : 'them'}: ` +
    `it reads ${vars.region} (or ${vars.apiUrl}), ${vars.clientId} and ${vars.clientSecret}, none of them set, so the target is the embedded emulator`
  );
}

const EMBEDDED_IN_CI: Record<TargetUse, string> = {
  changes: "it changes only the embedded emulator's throwaway state, not an org",
  compares: "it compares git with the embedded emulator's throwaway state (empty in a fresh job, so every document shows as drift), not an org",
  tests: "it tests the embedded emulator's throwaway state (empty in a fresh job, so no case runs, and the run passes having tested nothing), not an org",
};

/**
 * In CI the embedded emulator is nearly always a secret that did not reach the job: an apply
 * there goes green having changed no org, a drift check reports every document, a test run passes
 * having run no case. The warning for a command that `use`s the embedded target, or undefined
 * outside CI. `dir`: where promptctl.yaml names the environments whose credentials it looks for.
 */
export async function embeddedInCiWarning(ctx: CliContext, use: TargetUse, dir: string): Promise<string | undefined> {
  const ci = ctx.env.GITHUB_ACTIONS === 'true' || (ctx.env.CI !== undefined && ctx.env.CI !== '' && ctx.env.CI !== 'false');
  if (!ci) return undefined;
  const unset = ctx.environment
    ? `neither ${ctx.environment.spec.vars.clientId} nor ${ctx.environment.spec.vars.clientSecret} is set`
    : `no GENESYSCLOUD_* variable ${anyTargetPrefixed(ctx.env) ? 'that promptctl reads ' : ''}is set`;
  return `warning: this runs in CI with no target configured (${unset}, or they are empty), so ${EMBEDDED_IN_CI[use]}; ${whatTheJobMissed(ctx, await configuredPrefixes(ctx, dir))}`;
}

/**
 * What a CI job on the embedded emulator most likely left out: an environment's credentials set
 * without --env (they reached the job; the flag did not), else the credentials themselves.
 */
function whatTheJobMissed(ctx: CliContext, configured: readonly string[]): string {
  const { names, prefixes } = environmentTargetVariables(ctx.env, configured);
  if (names.length === 0) return 'if the job meant an org, pass its credentials (a secret that did not reach the job?)';
  const whose = prefixes.length === 1 ? `the environment whose credentials are ${prefixes[0]}: if the job meant that org` : `the environments whose credentials are ${prefixes.join(', ')}: if the job meant one of their orgs`;
  return `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} set, which promptctl reads only for ${whose}, pass --env with its name`;
}

/**
 * The credentials prefixes of the environments promptctl.yaml in `dir` names (GENESYSCLOUD_DEV,
 * PCTL_PROD: any prefix), none with --env (its own are the ones read) or when the file is absent
 * or invalid (no environment to pass to --env). Read only for this warning: in CI on the embedded
 * emulator, a rare run that reads the file again a moment later anyway.
 */
async function configuredPrefixes(ctx: CliContext, dir: string): Promise<string[]> {
  if (ctx.environment) return [];
  const { loadConfigFile } = await import('../load/config.js');
  const { config, status } = await loadConfigFile({ dir, cwd: ctx.cwd });
  return status === 'ok' ? Object.values(config.environments).map((e) => e.credentials) : [];
}

/**
 * Whether any GENESYSCLOUD_* variable holds a value: one promptctl does not read (a misspelling,
 * which the note names; an environment's, without --env) makes "no GENESYSCLOUD_* variable is set" false.
 */
function anyTargetPrefixed(env: NodeJS.ProcessEnv): boolean {
  return Object.entries(env).some(([name, value]) => name.startsWith('GENESYSCLOUD_') && value !== undefined && value.trim() !== '');
}

/**
 * The failure document of a `--format json` command (CliContext `failureDocument`): the error and,
 * for invalid files, their diagnostics, masked as the rest of the run's output is.
 */
export function jsonFailureDocument(ctx: CliContext): (message: string, error: unknown) => Promise<MachineDocument> {
  return async (message, error) => ({ kind: 'json', text: (await import('../views/diagnostics.js')).formatJsonError(message, await refusedDiagnostics(ctx, error)) });
}

/** The diagnostics an error carries (invalid files, a plan file that cannot be read: `FilesRefused`), masked as the run's output is; none for any other error. */
export async function refusedDiagnostics(ctx: CliContext, error: unknown): Promise<readonly Diagnostic[]> {
  if (!(error instanceof FilesRefused)) return [];
  const { maskStrings } = await import('../util/secrets.js');
  return maskStrings(error.diagnostics, (t) => ctx.mask(t));
}

/** For a command whose `--format json` is a document: with json, a failed run writes the error's (jsonFailureDocument). */
export function jsonFailureOnFormat(ctx: CliContext): (format: string) => void {
  return (format) => {
    ctx.failureDocument = format === 'json' ? jsonFailureDocument(ctx) : undefined;
  };
}

/**
 * Learns the secrets promptctl.yaml names (an audit sink's signing key, `secretEnv`, whatever its
 * variable is called) for a command that prints or writes what the target holds without loading the
 * prompts (run, export, status): a model's answer or a live object holding one is masked there too, as by
 * the commands that load them (loadOrRefuse). The --env environment's config, else `dir`'s: an
 * absent or invalid one names none (its own command says what is wrong with it). Returns what it
 * read of `dir`'s promptctl.yaml (undefined with --env), for the command to use rather than read again.
 */
export async function learnConfiguredSecrets(ctx: CliContext, dir: string): Promise<ConfigResult | undefined> {
  if (ctx.environment) {
    ctx.learnConfigSecrets(ctx.environment.config);
    return undefined;
  }
  const { loadConfigFile } = await import('../load/index.js');
  const read = await loadConfigFile({ dir, cwd: ctx.cwd });
  ctx.learnConfigSecrets(read.config);
  return read;
}

/**
 * Loads the desired state. Warnings go to stderr; any error is printed with where it is and
 * ends the command (exit 1) before anything live is changed (or any plan is made). Budgets are counted with
 * the run's token memo. `union`: every environment's documents (the promotion check's source for
 * the previous environment's state); with --env, `state` is that environment's own.
 */
export async function loadOrRefuse(ctx: CliContext, dir: string, doing: string): Promise<{ state: DesiredState; union: DesiredState }> {
  const { loadProject } = await import('../load/index.js');
  const environment = ctx.environment?.name;
  const { state, union, diagnostics } = await loadProject({
    dir,
    cwd: ctx.cwd,
    tokenMemo: ctx.tokenMemo,
    knownSecrets: ctx.knownSecrets,
    secretOf: ctx.secretOf,
    // --env: that environment's documents, checked as that environment (DESIGN §6).
    ...(environment !== undefined ? { environment } : {}),
  });
  ctx.learnConfigSecrets((union ?? state)?.config);
  for (const d of diagnostics) ctx.info(formatText(d));
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0 || !state || !union) {
    throw new FilesRefused(`${errors || 'invalid'} error${errors === 1 ? '' : 's'} in ${visibleName(dir)}: nothing was ${doing}`, diagnostics);
  }
  return { state, union };
}

/** Opens the target (with what `opts` asks of it), runs `fn`, and always closes it (the embedded emulator included). */
export async function withTarget<T>(ctx: CliContext, fn: (t: OpenTarget) => Promise<T>, opts: OpenTargetOptions = {}): Promise<T> {
  const t = await openTarget(targetContext(ctx, { environment: ctx.environment, info: (line) => ctx.info(line) }), opts);
  try {
    return await fn(t);
  } finally {
    await t.close();
  }
}

/**
 * The error for a template (or its version) the target does not hold yet that the prompts
 * directory `dir` defines for this run's --env: where git defines it, and the plan and apply that
 * create it; undefined when git does not define it either. For run and status, once the target is
 * found without it (the directory is read only then; its problems are validate's to say, and one
 * that cannot be read defines nothing here).
 */
export async function notAppliedYet(ctx: CliContext, dir: string, name: string, version?: string): Promise<UserError | undefined> {
  const { state } = await gitState(ctx, dir);
  const where: SourceLocation | undefined =
    version === undefined ? state?.templates.find((t) => t.name === name)?.source : state?.versions.find((v) => v.template === name && v.version === version)?.source;
  if (!where) return undefined;
  const what = version === undefined ? `no prompt template "${name}" on the target yet` : `template "${name}" has no version ${visibleName(version)} on the target yet`;
  return new UserError(`${what}: git defines it (${at(where)}), and the next apply creates it: ${planThenApply(ctx, dir)}`);
}

/** Templates named when the target has none and git has no name close to the one asked for. */
const GIT_NAMES_LISTED = 5;

/**
 * The error for a template name the target does not hold (`onTarget`: the names it does), for run
 * and status. Apply is advised only for a name git defines: applying never creates another. A
 * name git does not define gets the did-you-mean of git's names and the target's together (a
 * name only git defines with the apply that creates it); on an empty target with none close, the
 * names git defines, or why git's could not be read.
 */
export async function noSuchTemplate(ctx: CliContext, dir: string, name: string, onTarget: readonly string[]): Promise<UserError> {
  const head = `no prompt template "${name}" on the target`;
  const empty = onTarget.length === 0;
  const { state, error } = await gitState(ctx, dir);
  const defined = state?.templates.find((t) => t.name === name);
  if (defined) return empty ? new UserError(`${head} (it has none: ${applyFirst(ctx, dir)})`) : (await notAppliedYet(ctx, dir, name))!;
  const inGit = state?.templates ?? [];
  const close = closest(name, [...new Set([...onTarget, ...inGit.map((t) => t.name)])]);
  if (close !== undefined && onTarget.includes(close)) return new UserError(`${head} (did you mean "${close}"?)${formNote(name, close)}`);
  const none = empty ? ' (it has none)' : '';
  if (close !== undefined) {
    const where = at(inGit.find((t) => t.name === close)!.source);
    const next = empty ? applyFirst(ctx, dir) : `the next apply creates it: ${planThenApply(ctx, dir)}`;
    return new UserError(`${head}${none}, nor in git; did you mean "${close}"?${formNote(name, close)} git defines that one (${where})${empty ? ': ' : ', and '}${next}`);
  }
  if (!empty) return new UserError(head);
  if (state === undefined) return new UserError(`${head}${none}; whether git defines it is unknown: ${error}`);
  const names = inGit.map((t) => visibleName(t.name));
  const listed = names.length > GIT_NAMES_LISTED ? `${names.slice(0, GIT_NAMES_LISTED).join(', ')} and ${names.length - GIT_NAMES_LISTED} more` : andList(names);
  return new UserError(`${head}${none}, nor in git${names.length > 0 ? ` (it defines ${listed})` : ` (${visibleName(dir)} defines no template)`}`);
}

/** "team/refunds.yaml:2:1". */
const at = (where: SourceLocation): string => `${visibleName(where.file)}:${where.line}:${where.column}`;

/** What the prompts directory `dir` defines for this run's --env, or why it could not be read. */
async function gitState(ctx: CliContext, dir: string): Promise<{ state?: DesiredState; error?: string }> {
  const { loadProject } = await import('../load/index.js');
  const environment = ctx.environment?.name;
  try {
    const { state } = await loadProject({ dir, cwd: ctx.cwd, tokenMemo: ctx.tokenMemo, ...(environment !== undefined ? { environment } : {}) });
    return state ? { state } : { error: `${visibleName(dir)} could not be loaded (\`promptctl validate${dirFlag(dir)}\` says why)` };
  } catch (err) {
    return { error: messageOf(err) };
  }
}
