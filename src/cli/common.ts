// What plan, apply, drift and export share: loading the prompts (refusing invalid input before
// anything live is changed), opening the target and reading it meanwhile, building a plan. The loader and the plan engine
// are imported when first used, so that `--help` and `--version` load neither.
import { DEFAULT_PROMPTS_DIR } from '../config/discover.js';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { LiveState } from '../kinds/kind.js';
import { readLiveParts, readLiveState, type GuideVersionNeed, type SurfaceFailure } from '../targets/live.js';
import { gitProvenance, type GitProvenance } from '../git/index.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { DesiredState } from '../model/types.js';
import { keptOutOf } from '../model/environments.js';
import type { Plan } from '../plan/types.js';
import type { WireOrganization } from '../genesys/conventions.js';
import { UserError } from '../util/errors.js';
import { visibleName } from '../util/escapes.js';
import type { CliContext } from './context.js';
import { openTarget, targetContext, targetLine, describeTarget, keptAbove, embeddedStateAboveNote, type OpenTarget, type OpenTargetOptions } from './target.js';
import { formatText } from '../views/diagnostics.js';

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
export type TargetUse = 'changes' | 'compares';

/**
 * Prints the target line: the first thing every command says on stderr. `dir`: the prompts
 * directory the command reads (the default for one that reads none). `use`: what the command does
 * with the target, for the warning a run in CI on the embedded emulator gets.
 */
export function announceTarget(ctx: CliContext, dir: string = DEFAULT_DIR, opts: { use?: TargetUse } = {}): string {
  // With --env, the label ends in ", environment NAME" (DESIGN §6).
  const { label, target, stateFile } = describeTarget(ctx.env, ctx.environment);
  ctx.info(targetLine(label));
  if (target.kind === 'embedded') {
    const above = keptAbove(ctx.cwd, dir, stateFile);
    if (above !== undefined) ctx.info(embeddedStateAboveNote(ctx.cwd, stateFile, above));
    const warning = opts.use && embeddedInCiWarning(ctx, opts.use);
    if (warning) ctx.info(warning);
  }
  return label;
}

const EMBEDDED_IN_CI: Record<TargetUse, string> = {
  changes: "it changes only the embedded emulator's throwaway state, not an org",
  compares: "it compares git with the embedded emulator's throwaway state (empty in a fresh job, so every document shows as drift), not an org",
};

/**
 * In CI the embedded emulator is nearly always a secret that did not reach the job: an apply
 * there goes green having changed no org, a drift check reports every document. The warning for
 * a command that `use`s the embedded target, or undefined outside CI.
 */
export function embeddedInCiWarning(ctx: CliContext, use: TargetUse): string | undefined {
  const ci = ctx.env.GITHUB_ACTIONS === 'true' || (ctx.env.CI !== undefined && ctx.env.CI !== '' && ctx.env.CI !== 'false');
  if (!ci) return undefined;
  const unset = ctx.environment ? `neither ${ctx.environment.spec.vars.clientId} nor ${ctx.environment.spec.vars.clientSecret} is set` : 'no GENESYSCLOUD_* variable is set';
  return `warning: this runs in CI with no target configured (${unset}, or they are empty), so ${EMBEDDED_IN_CI[use]}; if the job meant an org, pass its credentials (a secret that did not reach the job?)`;
}

/**
 * The prompts refused as invalid: the error says how many problems, and carries them (already
 * said on stderr, each on its line) for a document that stands for the failed run (test's JUnit file).
 */
export class FilesRefused extends UserError {
  constructor(
    message: string,
    readonly diagnostics: readonly Diagnostic[],
  ) {
    super(message);
  }
}

/**
 * The failure document of a `--format json` command (CliContext `failureDocument`): the error and,
 * for invalid files, their diagnostics, masked as the rest of the run's output is.
 */
export function jsonFailureDocument(ctx: CliContext): (message: string, error: unknown) => Promise<string> {
  return async (message, error) => (await import('../views/diagnostics.js')).formatJsonError(message, await refusedDiagnostics(ctx, error));
}

/** The diagnostics an error carries (invalid files: `FilesRefused`), masked as the run's output is; none for any other error. */
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

/** What the target holds, and whose org it is: read once per plan. */
export interface LiveRead {
  live: LiveState;
  org: WireOrganization | null;
  /** Surfaces the server refused to list (a 403, a 5xx): they fail the plan only if git uses them. */
  failed: SurfaceFailure[];
}

/** What a read of the target asks for besides its objects. */
export interface LiveReadOptions {
  /**
   * false: the org is not asked who it is (`org` null). Only a plan that is saved, shown as JSON
   * or markdown, or applied records its org; a plan shown as text saves the request.
   */
  org?: boolean;
  /** Which guides' versions to read (guideVersionsFor); absent: every guide's. */
  guideVersions?: GuideVersionNeed;
}

/** Starts reading the target; a failure waits for whoever awaits the read (never unhandled). */
export function startLiveRead(target: Pick<OpenTarget, 'api' | 'aistudio'>, opts: LiveReadOptions = {}): Promise<LiveRead> {
  const org = opts.org === false ? Promise.resolve(null) : target.api.organization();
  const scope = opts.guideVersions ? { guideVersions: opts.guideVersions } : {};
  const read = Promise.all([readLiveParts({ gateway: target.api, aistudio: target.aistudio }, {}, scope), org]).then(
    ([{ live, failed }, org]) => ({ live, org, failed }),
  );
  read.catch(() => undefined);
  return read;
}

/**
 * Loads the files and, for a remote target, reads it meanwhile (the network works while the YAML
 * is parsed), then runs `fn` and always closes the target. The read only reads, and until the
 * files have loaded it says nothing (retry notices wait): when `load` refuses the files, closing
 * the target ends the read and the files' error is all the command says. The embedded emulator
 * shares this process's CPU, so it gains nothing from the overlap: it is opened after the files
 * load, as before (invalid files never create its state).
 */
export async function withTargetWhileLoading<S extends { state: DesiredState }, T>(
  ctx: CliContext,
  load: () => Promise<S>,
  fn: (t: OpenTarget, loaded: S, read: Promise<LiveRead>) => Promise<T>,
  readOpts: LiveReadOptions & { dir: string },
): Promise<T> {
  if (describeTarget(ctx.env, ctx.environment).target.kind !== 'remote') {
    const loaded = await load();
    return withTarget(ctx, (t) => fn(t, loaded, startLiveRead(t, { ...readOpts, guideVersions: guideVersionsFor(ctx, readOpts.dir, Promise.resolve(loaded.state)) })));
  }
  // The guides' versions wait for the files (which guides git defines); the listings do not.
  let settle!: { resolve(state: DesiredState): void; reject(err: unknown): void };
  const state = new Promise<DesiredState>((resolve, reject) => (settle = { resolve, reject }));
  state.catch(() => undefined);
  readOpts = { ...readOpts, guideVersions: guideVersionsFor(ctx, readOpts.dir, state) };
  const loading = load;
  load = async () => {
    try {
      const loaded = await loading();
      settle.resolve(loaded.state);
      return loaded;
    } catch (err) {
      settle.reject(err);
      throw err;
    }
  };
  const held: string[] = [];
  let holding = true;
  const info = (message: string): void => {
    if (holding) held.push(message);
    else ctx.info(message);
  };
  // Opened first, on its own: its modules load in a few tens of milliseconds when nothing else
  // runs, but take the whole load when they must interleave with the files' reads.
  const opened = await openTarget(targetContext(ctx, { environment: ctx.environment, info })).then(
    (t) => ({ t, err: undefined }),
    (err: unknown) => ({ t: undefined, err }),
  );
  const reading = opened.t ? startLiveRead(opened.t, readOpts) : undefined;
  let loaded: S;
  try {
    loaded = await load();
  } catch (err) {
    await opened.t?.close();
    throw err;
  }
  // The files' problems come first; then the target's own.
  if (!opened.t || !reading) throw opened.err;
  const t = opened.t;
  holding = false;
  for (const message of held) ctx.info(message);
  try {
    return await fn(t, loaded, reading);
  } finally {
    await t.close();
  }
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
 * Reads the live org and plans the loaded state against it (a fresh plan with its own id,
 * stamped with the target and git provenance): the common path of plan, apply and drift.
 */
export async function planFromFiles(
  ctx: CliContext,
  opts: {
    target: OpenTarget;
    state: DesiredState;
    /** Every document, whatever environments it is kept to: what git keeps out of this one is said so (`--env`). */
    union?: DesiredState;
    git: GitProvenance;
    prune: boolean;
    only?: Set<string> | null;
    allowMassDelete?: boolean;
    /** The prompts directory (ownership of AI Studio objects comes from its git history). */
    dir?: string;
    /** A read of the target already under way (withTargetWhileLoading); otherwise one is made. */
    read?: Promise<LiveRead>;
    /**
     * false: the plan is only shown as text, never saved or shown as JSON or markdown (buildPlan's
     * `sealed`); it is sealed all the same where a promotion check reads its guards.
     */
    sealed?: boolean;
  },
): Promise<{ plan: Plan; live: LiveState }> {
  const { buildPlan } = await import('../plan/build.js');
  const { versionTokenCounter } = await import('../tokens/index.js');
  const { textTokenCounter } = await import('../kinds/aistudio-tokens.js');
  const { live, org, failed } = await (opts.read ?? startLiveRead(opts.target));
  await noteUnavailable(ctx, live);
  await setRefusedApart(ctx, opts.state, live, failed);
  const owned = await ownership(ctx, opts.dir ?? DEFAULT_DIR, opts.state, live);
  const { git } = opts;
  const plan = buildPlan(opts.state, live, {
    prune: opts.prune,
    target: opts.target.label,
    ...(opts.dir !== undefined ? { dir: opts.dir } : {}),
    git: {
      ...(git.commit ? { commit: git.commit } : {}),
      ...(git.branch ? { branch: git.branch } : {}),
      dirty: git.dirty,
      actor: git.actor,
    },
    id: randomUUID(),
    createdAt: new Date().toISOString(),
    // No source commit in the plan's bodies: apply stamps it (promptctl.dev/commit), so the same
    // content planned on a pull request and on its merge commit is the same plan (fingerprint).
    ...(opts.only ? { only: opts.only } : {}),
    ...(opts.allowMassDelete ? { allowMassDelete: true } : {}),
    org: { id: org?.id ?? null, ...(org?.name ? { name: org.name } : {}), ...opts.target.binding },
    tokens: versionTokenCounter(ctx.tokenMemo),
    textTokens: textTokenCounter(ctx.tokenMemo),
    ...(owned ? { owned } : {}),
    // The promotion check (DESIGN §6) reads an unchanged version's content from its guard's hash
    // (plan/promotion.ts promotedVersions): with an environment before this one, every guard is hashed.
    ...(opts.sealed === false && ctx.environment?.previous === undefined ? { sealed: false } : {}),
    ...(ctx.environment && opts.union ? { keptOut: { environment: ctx.environment.name, addresses: keptOutOf(opts.union, ctx.environment.name) } } : {}),
  });
  return { plan: await withLiveCredentialsMasked(plan), live };
}


/**
 * The plan with credentials in the org's live content it shows masked (plan/live-credentials.ts);
 * a plan without changes shows none, and loads no scanner.
 */
async function withLiveCredentialsMasked(plan: Plan): Promise<Plan> {
  if (plan.actions.every((a) => a.action === 'noop' || a.action === 'create') && plan.problems.every((p) => !p.diff)) return plan;
  const [{ maskLiveCredentials }, { credentialsIn }] = await Promise.all([import('../plan/live-credentials.js'), import('../rules/secrets.js')]);
  return maskLiveCredentials(plan, credentialsIn);
}

/**
 * Reads every surface of the target. A surface it does not serve is said once on stderr, naming
 * the kinds it cannot serve (the plan fails only if git uses them).
 */
export async function readLive(ctx: CliContext, target: Pick<OpenTarget, 'api' | 'aistudio'>): Promise<LiveState> {
  const live = await readLiveState({ gateway: target.api, aistudio: target.aistudio });
  await noteUnavailable(ctx, live);
  return live;
}

/**
 * A surface the server refused to list (a 403 to a client without its rights, a 5xx where the
 * feature is off) fails the plan when git defines documents it serves; otherwise it is planned as
 * unavailable, said once on stderr: a team that keeps no guides needs no AI Studio rights.
 */
async function setRefusedApart(ctx: CliContext, state: DesiredState, live: LiveState, failed: readonly SurfaceFailure[]): Promise<void> {
  if (failed.length === 0) return;
  const { PLANNING_ORDER, SURFACE_NAMES, surfaceKinds } = await import('../kinds/index.js');
  for (const f of failed) {
    if (PLANNING_ORDER.some((k) => k.surface === f.surface && k.documents(state).length > 0)) throw f.error;
  }
  for (const f of failed) {
    const e = f.error as { status?: number; code?: string };
    ctx.info(
      `note: the target refused to list its ${SURFACE_NAMES[f.surface]} objects (${e.status}${e.code ? ` ${e.code}` : ''}); ` +
        `git defines no ${surfaceKinds(f.surface).join(' or ')} documents, so none are planned (and none are pruned)`,
    );
  }
  live.unavailable = [...new Set([...(live.unavailable ?? []), ...failed.map((f) => f.surface)])].sort();
}

/** Each surface the target does not serve (its listings answer 404), said once on stderr with the kinds it cannot hold. */
export async function noteUnavailable(ctx: CliContext, live: LiveState): Promise<void> {
  if (live.unavailable?.length) {
    const { SURFACE_NAMES, surfaceKinds } = await import('../kinds/index.js');
    for (const s of live.unavailable) {
      ctx.info(`note: the target does not serve the ${SURFACE_NAMES[s]} API (404): it cannot hold ${surfaceKinds(s).join(', ')} documents`);
    }
  }
}

/**
 * Which live guides' versions a plan reads: those git defines here, and those it ever defined
 * (promptctl's, by git history: deleting one is guarded by its latest version). A guide made in
 * Genesys that git never named is left alone by its name, with no read of its versions.
 */
function guideVersionsFor(ctx: CliContext, dir: string, state: Promise<DesiredState>): GuideVersionNeed {
  return async (guides) => {
    // None listed: nothing to read, and nothing to wait for.
    if (guides.length === 0) return undefined;
    const wanted = new Set((await state).guides.map((g) => g.name));
    if (guides.every((g) => wanted.has(g.name))) return wanted;
    const record = await committedAiStudioNames(ctx, dir);
    return new Set([...wanted, ...(record.names['Guide'] ?? [])]);
  };
}

/** The git history's record of AI Studio documents under `dir` (with --env, that environment's), read once a run. */
function committedAiStudioNames(ctx: CliContext, dir: string): Promise<import('../git/ownership.js').CommittedNames> {
  const memo = (committedMemo.get(ctx) ?? committedMemo.set(ctx, new Map()).get(ctx))!;
  let record = memo.get(dir);
  if (!record) {
    // With --env, only documents that belonged to that environment made its objects.
    record = import('../git/ownership.js').then(({ committedNames }) => committedNames(ctx.cwd, dir, ['Guide', 'SummarySetting'], ctx.environment?.name));
    memo.set(dir, record);
  }
  return record;
}
const committedMemo = new WeakMap<CliContext, Map<string, Promise<import('../git/ownership.js').CommittedNames>>>();

/**
 * Which live guides and summary settings are promptctl's: those whose name a document under the
 * prompts directory ever had in git history. Read only when some live one is not in git.
 */
async function ownership(ctx: CliContext, dir: string, state: DesiredState, live: LiveState) {
  const wanted = { Guide: new Set(state.guides.map((g) => g.name)), SummarySetting: new Set(state.summarySettings.map((s) => s.name)) };
  const absent = (live.guides ?? []).some((g) => !wanted.Guide.has(g.name)) || (live.summarySettings ?? []).some((s) => !wanted.SummarySetting.has(s.name));
  if (!absent) return undefined;
  const environment = ctx.environment?.name;
  const record = await committedAiStudioNames(ctx, dir);
  const source = `git history of ${dir.replace(/\/+$/, '')}/${environment !== undefined ? ` for environment ${environment}` : ''}`;
  return { names: record.names, removedAt: record.removedAt, complete: record.complete, source, ...(record.caveat ? { caveat: record.caveat } : {}) };
}

/**
 * The read-only path of plan and drift: the target line, the desired state (or a refusal),
 * git provenance, then a plan against the live org. `scope` limits the plan (--changed-since).
 */
export async function planTarget(
  ctx: CliContext,
  p: {
    dir: string;
    doing: string;
    prune?: boolean;
    allowMassDelete?: boolean;
    scope?: (state: DesiredState) => Promise<Set<string> | null>;
    /** false: the plan's actor is shown nowhere (a text plan), so git is not asked for HEAD's author. */
    actor?: boolean;
    /** false: the plan is only shown as text (planFromFiles' `sealed`). */
    sealed?: boolean;
    /** What the command does with the target, for announceTarget's CI warning (drift: `compares`). */
    use?: TargetUse;
  },
): Promise<{ plan: Plan; live: LiveState; union: DesiredState }> {
  announceTarget(ctx, p.dir, p.use ? { use: p.use } : {});
  const allowMassDelete = p.allowMassDelete === true;
  return withTargetWhileLoading(
    ctx,
    async () => {
      // git runs in its own processes: it answers while the files are parsed.
      const provenance = gitProvenance(ctx.cwd, ctx.env, p.dir, { author: p.actor !== false });
      provenance.catch(() => undefined);
      const { state, union } = await loadOrRefuse(ctx, p.dir, p.doing);
      const git = await provenance;
      const only = p.scope ? await p.scope(state) : null;
      return { state, union, git, only };
    },
    async (target, { state, union, git, only }, read) => ({
      ...(await planFromFiles(ctx, { target, state, union, git, prune: p.prune ?? state.config.prune, only, allowMassDelete, dir: p.dir, read, sealed: p.sealed !== false })),
      union,
    }),
    // A plan only shown as text records no org (nothing reads it): one request fewer.
    { org: p.sealed !== false, dir: p.dir },
  );
}
