// Reading the target and planning against it, the read-only path plan, apply and drift share:
// the target opened and read while the files load (a remote one), git provenance meanwhile, the
// live org's guides' versions only where git needs them, and the plan built, its live credentials
// masked. Which live AI Studio objects are promptctl's is read from git history, only when asked.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { LiveState, TrailFacts } from '../kinds/kind.js';
import { isManaged } from '../kinds/labels.js';
import { stamped } from '../kinds/PromptTemplate/renamed.js';
import { readLiveParts, type GuideVersionNeed, type LiveReadScope, type SurfaceFailure } from '../targets/live.js';
import type { GitVersionContent } from '../targets/llmgateway/digests.js';
import { gitProvenance, type GitProvenance } from '../git/index.js';
import type { GitLastChange } from '../git/last-change.js';
import type { AnyResource, DesiredState } from '../model/types.js';
import { keptOutOf } from '../model/environments.js';
import { templateAddress } from '../model/address.js';
import type { Plan } from '../plan/types.js';
import type { WireOrganization } from '../genesys/conventions.js';
import { isRetriedServerError } from '../genesys/retry.js';
import type { CliContext } from './context.js';
import { openTarget, targetContext, describeTarget, type OpenTarget, type OpenTargetOptions } from './target.js';
import { visibleName } from '../util/escapes.js';
import { announceTarget, DEFAULT_DIR, loadOrRefuse, withTarget, type TargetUse } from './common.js';

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
  /** The content git holds for each prompt version (versionsInGit): templates are then listed in the digest view. */
  gitVersions?: () => Promise<GitVersionContent>;
}

/** Starts reading the target; a failure waits for whoever awaits the read (never unhandled). */
export function startLiveRead(target: Pick<OpenTarget, 'api' | 'aistudio'>, opts: LiveReadOptions = {}): Promise<LiveRead> {
  const org = opts.org === false ? Promise.resolve(null) : target.api.organization();
  const scope: LiveReadScope = {};
  if (opts.guideVersions) scope.guideVersions = opts.guideVersions;
  if (opts.gitVersions) {
    scope.gitVersions = opts.gitVersions;
    // Not promptctl's: a plan names its versions (unmanaged), never compares their content.
    scope.leftAlone = (t) => !isManaged(t.labels);
  }
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
  /** `reread`: another read as `read` is made, started now (apply's, after settling an earlier run changed what the first one read). */
  fn: (t: OpenTarget, loaded: S, read: Promise<LiveRead>, reread: () => Promise<LiveRead>) => Promise<T>,
  readOpts: LiveReadOptions & {
    dir: string;
    /** The command changes nothing (plan, drift): an embedded org with no state yet is read as empty, in memory, and not created; one that has state is not written. */
    readOnly?: boolean;
  },
): Promise<T> {
  const { readOnly, ...liveOpts } = readOpts;
  const opening: OpenTargetOptions = readOnly ? { readOnly } : {};
  if (describeTarget(ctx.env, ctx.environment).target.kind !== 'remote') {
    const loaded = await load();
    const state = Promise.resolve(loaded.state);
    const opts = { ...liveOpts, guideVersions: guideVersionsFor(ctx, readOpts.dir, state), gitVersions: versionsInGit(state) };
    return withTarget(ctx, (t) => fn(t, loaded, startLiveRead(t, opts), () => startLiveRead(t, opts)), opening);
  }
  // The guides' versions wait for the files (which guides git defines); the listings do not.
  let settle!: { resolve(state: DesiredState): void; reject(err: unknown): void };
  const state = new Promise<DesiredState>((resolve, reject) => (settle = { resolve, reject }));
  state.catch(() => undefined);
  const remoteOpts = { ...liveOpts, guideVersions: guideVersionsFor(ctx, readOpts.dir, state), gitVersions: versionsInGit(state) };
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
  const opened = await openTarget(targetContext(ctx, { environment: ctx.environment, info }), opening).then(
    (t) => ({ t, err: undefined }),
    (err: unknown) => ({ t: undefined, err }),
  );
  const reading = opened.t ? startLiveRead(opened.t, remoteOpts) : undefined;
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
    return await fn(t, loaded, reading, () => startLiveRead(t, remoteOpts));
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
    /** The plan's id: a new one unless given (apply's plan made again after settling keeps its run's). */
    id?: string;
    /** The run's plan made again (apply, after settling): the notes its first plan said are not said twice. */
    again?: boolean;
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
  if (!opts.again) await noteUnavailable(ctx, live);
  await setRefusedApart(ctx, opts.state, live, failed, opts.again === true);
  const owned = await ownership(ctx, opts.dir ?? DEFAULT_DIR, opts.state, live);
  const { git } = opts;
  const templateChanges = await renameCandidatesChanged(ctx, opts.state, live);
  // A live template that may be one renamed: the trail says whether promptctl's apply made it.
  const templatesApplied = templateChanges ? await trailFacts(ctx, org?.id ?? null, opts.state, live, renameCandidatesLive(opts.state, live)) : undefined;
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
    id: opts.id ?? randomUUID(),
    createdAt: new Date().toISOString(),
    // No source commit in the plan's bodies: apply stamps it (promptctl.dev/commit), so the same
    // content planned on a pull request and on its merge commit is the same plan (fingerprint).
    ...(opts.only ? { only: opts.only } : {}),
    ...(opts.allowMassDelete ? { allowMassDelete: true } : {}),
    org: { id: org?.id ?? null, ...(org?.name ? { name: org.name } : {}), ...opts.target.binding },
    tokens: versionTokenCounter(ctx.tokenMemo),
    textTokens: textTokenCounter(ctx.tokenMemo),
    ...(owned ? { owned } : {}),
    ...(templateChanges ? { templateChanges } : {}),
    ...(templatesApplied !== undefined ? { templatesApplied } : {}),
    // The promotion check (DESIGN §6) reads an unchanged version's content from its guard's hash
    // (plan/promotion.ts promotedVersions): with an environment before this one, every guard is hashed.
    ...(opts.sealed === false && ctx.environment?.previous === undefined ? { sealed: false } : {}),
    ...(ctx.environment && opts.union ? { keptOut: { environment: ctx.environment.name, addresses: keptOutOf(opts.union, ctx.environment.name) } } : {}),
  });
  const attributed = await withTargetChangesAttributed(ctx, plan, opts.union ?? opts.state, live);
  return { plan: await withLiveCredentialsMasked(attributed), live };
}

/**
 * When git last changed the file of each template git names and the target lacks, while a live
 * template git does not define, promptctl's by its labels, may be one of them renamed
 * (kinds/PromptTemplate/renamed.ts tells a rename by hand from one in git by it). Most plans have
 * no such pair and ask git nothing.
 */
async function renameCandidatesChanged(ctx: CliContext, state: DesiredState, live: LiveState): Promise<Map<string, GitLastChange | null> | undefined> {
  const liveNames = new Set(live.templates.map((t) => t.name));
  const missing = state.templates.filter((t) => !liveNames.has(t.name) && t.source.line > 0);
  if (missing.length === 0) return undefined;
  const gitNames = new Set(state.templates.map((t) => t.name));
  if (!live.templates.some((t) => !gitNames.has(t.name) && stamped(t))) return undefined;
  // Every one at once (git/last-change.ts), not two git processes a template.
  const { lastChangedEach } = await import('../git/last-change.js');
  return lastChangedEach(ctx.cwd, ctx.env, new Map(missing.map((t) => [t.name, [t.source.file]])));
}

/** The addresses of the live templates git does not define that promptctl wrote (renamed.ts' candidates). */
function renameCandidatesLive(state: DesiredState, live: LiveState): Set<string> {
  const gitNames = new Set(state.templates.map((t) => t.name));
  return new Set(live.templates.filter((t) => !gitNames.has(t.name) && stamped(t)).map((t) => templateAddress(t.name)));
}

/**
 * The plan with each published version git and the target disagree on worded as drift when the
 * target changed it after git last changed its files, and each update that puts back such a change
 * warned of (plan/drift.ts attributeToTarget): a change made on the target is not git's, in plan,
 * apply and drift alike. git is asked only of those objects, all at once (git/last-change.ts
 * lastChangedEach); a plan without one loads nothing. The audit trail then says which of them
 * promptctl's own apply of another commit made (`trailFacts`).
 */
async function withTargetChangesAttributed(ctx: CliContext, plan: Plan, state: DesiredState, live: LiveState): Promise<Plan> {
  const updates = plan.actions.filter((a) => a.action === 'update' && a.liveModified?.at !== undefined);
  if (updates.length === 0 && !plan.problems.some((p) => p.liveModified?.at !== undefined)) return plan;
  const [{ attributeToTarget, IMMUTABLE_VERSION_RULE }, { lastChangedEach }, { addressOf }] = await Promise.all([
    import('../plan/drift.js'),
    import('../git/last-change.js'),
    import('../model/types.js'),
  ]);
  const resources = new Map<string, AnyResource>(
    [...state.templates, ...state.versions, ...state.splits, ...state.filters, ...state.guides, ...state.summarySettings].map((r) => [addressOf(r), r]),
  );
  // What defines each: its document and the texts it reads (a version's, a guide's, a setting's);
  // a guide's publish state also promptctl.yaml (an environment's guidePublish), whose change alone
  // makes apply write every guide: git's change, not one made on the target.
  const config = state.config.source?.file;
  const filesOf = (address: string, file?: string): string[] => {
    const r = resources.get(address);
    const texts = r && 'textFiles' in r && r.textFiles ? Object.values(r.textFiles) : [];
    const settings = r?.kind === 'Guide' && config !== undefined ? [config] : [];
    return [...new Set([...(file ? [file] : r ? [r.source.file] : []), ...texts, ...settings])];
  };
  const groups = new Map<string, string[]>();
  for (const p of plan.problems) if (p.rule === IMMUTABLE_VERSION_RULE && p.liveModified?.at !== undefined) groups.set(p.address, filesOf(p.address, p.file));
  for (const a of updates) groups.set(a.address, filesOf(a.address));
  const changes = await lastChangedEach(ctx.cwd, ctx.env, groups);
  // The trail is read only for objects the target changed after git did (most plans have none).
  const { changedAfterGit } = await import('../kinds/shared.js');
  const after = new Set([...plan.problems, ...updates].filter((x) => groups.has(x.address) && changedAfterGit(x.liveModified?.at, changes.get(x.address)) === true).map((x) => x.address));
  const trail = after.size > 0 ? await trailFacts(ctx, plan.org?.id ?? null, state, live, after) : undefined;
  return attributeToTarget(plan, changes, trail ?? undefined);
}

/**
 * What the audit trail apply writes says of `addresses` (plan/drift.ts TrailFacts): what promptctl
 * last applied to each, in this org, from which commit, whether this branch has it, and the live
 * objects' snapshot hashes to compare with. Read only, never locked or repaired (as status reads it
 * for names); null when it cannot be read (a CI job that did not restore it), so a change on
 * the target is not said to be a hand change for want of it.
 */
async function trailFacts(ctx: CliContext, org: string | null, state: DesiredState, live: LiveState, addresses: ReadonlySet<string>): Promise<TrailFacts | null> {
  const [{ DEFAULT_AUDIT_FILE }, { lastAppliedEach }] = await Promise.all([import('../audit/log.js'), import('../audit/last-applied.js')]);
  const file = ctx.environment?.auditFile ?? state.config.audit.file ?? DEFAULT_AUDIT_FILE;
  const text = await readFile(resolve(ctx.cwd, file), 'utf8').catch(() => undefined);
  if (text === undefined) return null;
  // A record of another org (a trail shared between targets) says nothing of this one.
  const last = [...lastAppliedEach(text, addresses)].filter(([, r]) => org === null || r.org === null || r.org === org);
  if (last.length === 0) return { applied: new Map(), live: new Map() };
  const [{ liveSnapshots }, { inHeadEach }] = await Promise.all([import('../kinds/index.js'), import('../git/last-change.js')]);
  const snapshots = liveSnapshots(live);
  const inHead = await inHeadEach(ctx.cwd, ctx.env, last.flatMap(([, r]) => (r.commit !== null ? [r.commit] : [])));
  return {
    applied: new Map(
      last.map(([address, r]) => [address, { hash: r.hash, commit: r.commit, ...(r.commit !== null && inHead.has(r.commit) ? { inBranch: inHead.get(r.commit)! } : {}), ...(r.dirty ? { dirty: true as const } : {}) }]),
    ),
    live: new Map([...addresses].map((a) => [a, snapshots.get(a)?.hash ?? null])),
  };
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
 * A surface the server refused to list (a 403 to a client without its rights, a 5xx where the
 * feature is off) fails the plan when git defines documents it serves; otherwise it is planned as
 * unavailable, said once on stderr: a team that keeps no guides needs no rights to them, nor an
 * org with guides switched on. Guides and summary settings are judged each on its own (targets/
 * live.ts): a repository of summary settings alone plans where guides are refused.
 */
async function setRefusedApart(ctx: CliContext, state: DesiredState, live: LiveState, failed: readonly SurfaceFailure[], saidBefore = false): Promise<void> {
  if (failed.length === 0) return;
  const { PLANNING_ORDER, refusedRead, surfaceKinds } = await import('../kinds/index.js');
  for (const f of failed) {
    const used = PLANNING_ORDER.filter((k) => k.surface === f.surface).flatMap((k) => k.documents(state).map((d) => ({ kind: k.kind, at: d.source })));
    if (used.length === 0) continue;
    // The call's own error comes last; first what git needs the surface for, and what would give it.
    const { at } = used[0]!;
    const where = `${visibleName(at.file)}:${at.line}:${at.column}${used.length > 1 ? ` and ${used.length - 1} more` : ''}`;
    const kinds = [...new Set(used.map((u) => u.kind))];
    // The listing, or (guides) a version's read, which needs a right of its own.
    const read = refusedRead(f);
    ctx.info(`note: git defines ${kinds.join(', ')} documents (${where}), so this plan must ${read.verb} the ${read.objects}, ${refusalAdvice(f, read.right, read.verb)}`);
    throw f.error;
  }
  for (const f of saidBefore ? [] : failed) {
    const read = refusedRead(f);
    ctx.info(
      `note: the target refused to ${read.verb} its ${read.objects} (${statusOf(f.error)}); ` +
        `git defines no ${surfaceKinds(f.surface).join(' or ')} documents, so none are planned (and none are pruned)`,
    );
  }
  live.unavailable = [...new Set([...(live.unavailable ?? []), ...failed.map((f) => f.surface)])].sort();
}

/** What a refusal of a surface git uses means, and what would let the plan read it (`right`: what lists, or reads, it). */
function refusalAdvice(f: SurfaceFailure, right: string | undefined, verb: 'list' | 'read'): string {
  const status = (f.error as { status?: number }).status;
  const keepOut = 'keep these documents out of this environment (metadata.environments)';
  if (status === 403) return `which the target refused (403): give the OAuth client ${right ? `${right} (and the rights to write them)` : `the rights to ${verb} them`}, or ${keepOut}`;
  // A listing's 5xx is how an org with the feature switched off answers; a read after the listing worked is not that.
  if (status !== undefined && status >= 500 && verb === 'read') return `which the target failed to read (${status}) after listing them: try again later, or ${keepOut}`;
  // A 500 is not retried (genesys/retry.ts): it may be the server failing once, which a run again gets past.
  if (status === 500) return `which the target failed to ${verb} (500, which is not retried): an org answers so where the feature is switched off, or its server failed this once; switch it on, or run again, or ${keepOut}`;
  // A 502/503/504 was retried until the retries were used up: an outage as likely as a feature switched off.
  if (status !== undefined && isRetriedServerError(status)) {
    return `which the target failed to ${verb} (${status}) on every attempt: its service may be down for now (try again later), or the feature is switched off in this org (switch it on); or ${keepOut}`;
  }
  if (status !== undefined && status >= 500) return `which the target failed to ${verb} (${status}): an org answers so where the feature is switched off; switch it on, or ${keepOut}`;
  return `which the target refused${status !== undefined ? ` (${status})` : ''}: ${keepOut}`;
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

/**
 * The content the loaded files give each prompt version, for a read in the digest view: a live
 * version of the same content is not read again (targets/llmgateway/digests.ts).
 */
function versionsInGit(state: Promise<DesiredState>): () => Promise<GitVersionContent> {
  return async () => {
    const [s, { gitVersionContent }] = await Promise.all([state, import('../kinds/PromptVersion/index.js')]);
    return gitVersionContent(s);
  };
}

/** The git history's record of AI Studio documents under `dir` (with --env, that environment's), read once a run. */
function committedAiStudioNames(ctx: CliContext, dir: string): Promise<import('../git/ownership.js').CommittedNames> {
  const memo = (committedMemo.get(ctx) ?? committedMemo.set(ctx, new Map()).get(ctx))!;
  let record = memo.get(dir);
  if (!record) {
    // With --env, only documents that belonged to that environment made its objects.
    record = import('../git/ownership.js').then(({ committedNames }) => committedNames(ctx.cwd, ctx.env, dir, ['Guide', 'SummarySetting'], ctx.environment?.name));
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
  await announceTarget(ctx, p.dir, p.use ? { use: p.use } : {});
  const allowMassDelete = p.allowMassDelete === true;
  return withTargetWhileLoading(
    ctx,
    async () => {
      // git runs in its own processes: it answers while the files are parsed.
      const provenance = gitProvenance(ctx.cwd, ctx.env, p.dir, { author: p.actor !== false, unreadable: gitUnreadableWarning(ctx) });
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
    // A plan only shown as text records no org (nothing reads it): one request fewer. Plan and drift
    // change nothing, so a first run in a fresh checkout leaves no embedded state behind, and a
    // later one leaves the state (and its journal) as it found them.
    { org: p.sealed !== false, dir: p.dir, readOnly: true },
  );
}

/**
 * Said when a repository is there but git cannot read it (safe.directory; git not installed): the
 * run then records no commit (CI's GITHUB_SHA at most) and cannot tell uncommitted changes, which
 * without a word reads as a directory outside git. For plan, drift and apply.
 */
export function gitUnreadableWarning(ctx: CliContext): (why: string) => void {
  return (why) => ctx.info(`warning: this run records no git commit and cannot tell uncommitted changes: ${why}`);
}

/**
 * A refusal's status and code as messages show them ("403 missing.any.permissions"): the code is
 * the server's word, shown as a name is, its control characters as escapes.
 */
export function statusOf(error: unknown): string {
  const e = error as { status?: number; code?: string };
  return `${e.status}${e.code ? ` ${visibleName(e.code)}` : ''}`;
}
