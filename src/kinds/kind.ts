// The one interface every resource kind implements (DESIGN §1), so that adding a kind is one
// folder and one registry line: its canonical form, model ⇄ wire conversion, how it is planned
// (desired vs live → actions with their dependencies) and how an action is applied.
import type { AnyResourceKind } from '../model/address.js';
import type { AnyResource, Config, DesiredState, Labels, PromptTemplate, PromptVersion } from '../model/types.js';
import type { AiStudioApi } from '../targets/aistudio/api.js';
import type { LiveState, Surface } from '../targets/live.js';
import type { GatewayApi } from '../targets/llmgateway/api.js';
import type { VersionTokenReport } from '../tokens/index.js';
import type { PlanAction, PlanPart, PlanProblem, WriteAction } from './action.js';
import type { TextTokenCounter } from './aistudio-tokens.js';
import type { Canonical } from './canonical.js';
import type { Coverage } from './coverage.js';
import type { IdBook } from './ids.js';
import type { Ownership } from './ownership.js';

export type { LiveGuide, LiveState, Surface } from '../targets/live.js';

/** Counts a version's worst case (src/tokens' versionTokens, with the caller's memo). */
export type TokenCounter = (
  v: PromptVersion,
  template: PromptTemplate | undefined,
  config: Config,
) => Pick<VersionTokenReport, 'model' | 'approximate' | 'worstCasePromptTokens' | 'costPer1kCalls' | 'assumedOutputTokens' | 'outputUnbounded'>;

export interface PlanContext {
  prune: boolean;
  /** Source commit, recorded on what promptctl creates or updates as `promptctl.dev/commit`. */
  commit?: string;
  config: Config;
  tokens: TokenCounter;
  /** What the kinds planned before this one, in registry order (templates wait for filters). */
  planned: readonly PlanAction[];
  /**
   * Which AI Studio objects are promptctl's (they carry no labels): the names git history has
   * defined (ownership.ts). Absent: none is known to be, so none is ever deleted.
   */
  owned?: Ownership;
  /** Counts a guide instruction or a summary prompt (default: a fresh memo per plan). */
  textTokens?: TextTokenCounter;
  /**
   * false: the plan is only shown as text, where no guard appears and nothing is saved, so an
   * unchanged object's guard may go without its content hash (the costly part of planning a large,
   * unchanged org). Otherwise (a plan saved, or shown as JSON or markdown) every guard has it.
   */
  sealed?: boolean;
  /**
   * Planning one environment (`--env`): the addresses git defines only for other environments,
   * each with the environments its document is kept to, so that a live object git keeps out of
   * this one is said to be so rather than "not in git" (labels.ts `notInGit`).
   */
  keptOut?: KeptOut;
  /**
   * When git last changed the file of each template git names and the target lacks, asked only
   * while a live template git does not define may be one of them renamed: a rename after git's
   * last change was made by hand on the target, one before it in git (PromptTemplate/renamed.ts).
   */
  templateChanges?: ReadonlyMap<string, GitChange | null>;
  /**
   * What the audit trail says promptctl last applied to the live templates git does not define,
   * asked with `templateChanges`: one that holds what promptctl's apply of another commit made is
   * not said to be renamed by hand. null: the trail could not be read, so neither is said as fact.
   */
  templatesApplied?: TrailFacts | null;
}

/** What promptctl last applied to an address, as its audit trail says (the CLI reads it: the core does no I/O). */
export interface LastAppliedFact {
  /** The snapshot hash of what that apply left (`snapshots`); null where the record says none. */
  hash: string | null;
  /** The commit it was applied from; null where the record names none. */
  commit: string | null;
  /** Whether this branch (HEAD) holds that commit; absent where git cannot say. */
  inBranch?: boolean;
  /** Applied from uncommitted changes (the record's `dirty`): no commit holds what it left, whatever `commit` says. */
  dirty?: true;
}

/**
 * The audit trail as the command could read it, for some live objects: what promptctl last
 * applied to each (`applied`, by address) and each one's snapshot hash now (`live`).
 */
export interface TrailFacts {
  applied: ReadonlyMap<string, LastAppliedFact>;
  live: ReadonlyMap<string, string | null>;
}

/** When git last changed some files (git/last-change.ts; null where it cannot say). */
export type GitChange = { at: string } | 'uncommitted';

/** The addresses git keeps out of `environment` (model/environments.ts `keptOutOf`). */
export interface KeptOut {
  environment: string;
  addresses: ReadonlyMap<string, readonly string[]>;
}

/** An object as audit records carry it: its version, and its canonical form with that form's hash. */
export interface Snapshot {
  version: number | string | null;
  hash: string | null;
  content?: Canonical | null;
}

/**
 * What a write of a kind can leave live when the run dies between its calls (a version created or
 * patched as a Draft, not yet published): the live object's snapshot hash then, and what settling
 * says of it.
 */
/** What `midway` reads of an open intent. */
export interface MidwayIntent {
  before: { content?: unknown } | null;
  after: { content?: unknown };
}

export interface Midway {
  /** null: the object exists with nothing in it yet (a guide without a version). */
  hash: string | null;
  /** What the write's calls so far left live, in words ("the version holds … as a Draft, not yet published"). */
  left: string;
  /** The record's note when the object still holds it: `partly applied: <left>`, and what the next apply does. */
  note: string;
}

export interface CallResult {
  resourceId: string | null;
  after: Snapshot | null;
  /** Past-tense summary for the progress line: "created (id 1234…)". */
  detail: string;
}

/** A filter moved to its stage priority before the plan's other actions run. */
export interface StagedFilter {
  id: string;
  version: number;
}

export interface ApplyContext {
  /** The LLM Gateway. */
  api: GatewayApi;
  /** AI Studio, when the target has it. */
  aistudio?: AiStudioApi;
  ids: IdBook;
  /** Labels the executor guarantees on what it creates or updates (`managed-by: promptctl`). */
  own: Labels;
  /** Set on the second step of a staged filter: it exists now with this id and version. */
  staged?: StagedFilter;
  /**
   * Waits for `waiting` without working (a publication being confirmed): the action's slot is
   * free meanwhile, and once every action in flight only waits, the executor asks the client to
   * confirm what is pending in one go.
   */
  idle<T>(waiting: Promise<T>): Promise<T>;
  /**
   * The run was interrupted (DESIGN §5: no new call starts after the first SIGINT/SIGTERM). An
   * action of several calls checks it before each write after its first call (`stopIfInterrupted`,
   * shared.ts), so an interrupt never lets it go on to publish what it had only created.
   */
  stopped(): boolean;
}

export interface Kind<Wire = never> {
  readonly kind: AnyResourceKind;
  /** The API surface that serves it: a target without that surface cannot plan it. */
  readonly surface: Surface;
  /** Apply order (DESIGN §5): creates and updates by `write`, deletes by `remove`, lower first. */
  readonly phase: { write: number; remove: number };
  /** The ONE canonical form of a wire body or live entity of this kind. */
  canonical(w: Wire): Canonical;
  /** The documents of this kind in the desired state. */
  documents(desired: DesiredState): readonly AnyResource[];
  /**
   * How many live objects of this kind promptctl manages (and so may delete), for the plan's
   * mass-delete guard. Kinds deleted only with their parent leave it out.
   */
  managed?(live: LiveState, ctx: Pick<PlanContext, 'owned'>): number;
  /** The same, each counted with the objects its delete takes along (a template's versions and split); default `managed`. */
  managedWithParts?(live: LiveState, ctx: Pick<PlanContext, 'owned'>): number;
  /**
   * What a write means to produce, as an audit intent's `after`, when the desired body alone does
   * not say it (a guide's content and the state it must reach). Default: canonical(body).
   */
  intended?(a: WriteAction): Snapshot;
  /**
   * What an update or delete was planned against, as an audit intent's `before`, when the guard
   * alone does not describe it the way `snapshots` does (a prompt version's snapshot includes its
   * state). Settling an interrupted run compares the two. Default: the guard's version and hash
   * with the live canonical form.
   */
  plannedAgainst?(a: Extract<PlanAction, { action: 'update' | 'delete' }>): Snapshot | null;
  /**
   * The half-done states of a write that takes more than one call, from what its intent was
   * planned against (`before`, null for a create) and meant to produce (`after`): settling an
   * interrupted run reads such a live object as promptctl's own unfinished write ("not
   * applied", saying what landed), not as someone else's change. Only states this write's calls
   * can leave: any other is someone else's. Default: none.
   */
  midway?(intent: MidwayIntent): Midway[];
  /**
   * Whether a live object's canonical form holds what an intent's write meant (`intended`, its
   * `after` content) where that write left fields for the org to fill in (a summary setting's
   * summaryType, format and maskPII git leaves out: A17), so settling reads it as landed though
   * the hashes differ. Default: the hashes alone decide.
   */
  holdsIntended?(intended: Canonical, live: Canonical): boolean;
  /**
   * The snapshot hashes the intent's object holds while a publish job its write starts has not
   * ended (the intended content in a state below the one asked for, a publish alone's included):
   * a job is not listed and its run, killed, recorded no id, so settling an intent left there
   * recently waits for the object to move on (cli/apply-settle.ts). Default: none (no job).
   */
  publishing?(intent: MidwayIntent): string[];
  /**
   * Plans this kind's family against the live state. Kinds planned by their parent (a template
   * plans its versions and split) leave it out.
   */
  plan?(desired: DesiredState, live: LiveState, ctx: PlanContext): PlanPart;
  /**
   * Problems only the actions a plan keeps can show (after `--changed-since` keeps a slice): a
   * limit of the server over what the plan leaves live. Default: none.
   */
  limits?(actions: readonly PlanAction[], live: LiveState): PlanProblem[];
  /**
   * What a planned action of this kind weakens in a safety control ("piiFilter off", "action
   * block_and_log → flag_and_pass", a template no filter guards any more), judged against the
   * templates and filters the plan leaves: the plan calls it out as destructive. Default: nothing.
   */
  weakening?(action: PlanAction, coverage: Coverage): string[];
  /**
   * What a planned action widens that its field changes do not say plainly: a filter whose
   * `appliesTo` goes shows as a list removed, yet it now covers every template. Said on the
   * action's line; not destructive. Default: nothing.
   */
  widening?(action: PlanAction): string[];
  /**
   * The requests `apply` makes for a non-noop action when nothing goes wrong (a fraction for
   * calls shared with others): plans the expected duration of an apply at the target's rate.
   */
  expectedRequests(action: PlanAction): number;
  /** Runs one non-noop action. Throws ApiError, GuardMoved or Error on failure. */
  apply(action: PlanAction, ctx: ApplyContext): Promise<CallResult>;
  /**
   * Every live object of this kind, by address, with the id its audit records carry as resourceId
   * (a version's and a split's: their template's), to settle an interrupted run's intents.
   */
  snapshots(live: LiveState): Iterable<[address: string, snapshot: Snapshot, resourceId: string]>;
}
