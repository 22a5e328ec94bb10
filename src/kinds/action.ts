// What planning a kind produces: actions, typed by what each must carry (a create its body; an
// update its live id, guard and body; a delete its live id and guard), and problems. The plan
// engine (plan/) orders and seals them; the executor (apply/) runs them through each kind.
import type { AnyResourceKind } from '../model/address.js';
import type { GuidePublishState } from '../model/types.js';
import type { GuideVersionContent, SummarySettingBody } from '../targets/aistudio/wire.js';
import type {
  FilterCreate,
  TemplateCreate,
  TrafficPut,
  VersionCreate,
} from '../targets/llmgateway/wire.js';
import type { Canonical } from './canonical.js';

export type ActionType = 'create' | 'update' | 'delete' | 'noop';

/** The live state an action was planned against; apply refuses the plan if it moved. */
export interface Guard {
  /** Live integer version (templates, filters, traffic; 0 = no split yet). */
  version?: number;
  /**
   * Live content hash: sha256 of the kind's canonical form (a guide's is its latest version's
   * content and state). A prompt version's is not the server's contentHash, which hashes the
   * wire's canonical fields (targets/llmgateway/wire.ts versionContentHash) in another form.
   */
  hash?: string;
  /**
   * A prompt version's own live id. Its action's `liveId` is its template's (the API addresses a
   * version by template id and label), so a version deleted and made again by hand with the same
   * content and state would pass every other field of the guard: this tells the two apart.
   */
  id?: string;
  /** Live state of a prompt version (Draft, Published) or of a guide's latest version. */
  state?: 'Draft' | 'Published' | 'TestReady' | 'ProductionReady';
  /** Guides: the label Genesys gave the latest version ("2.0"); absent while the guide has none. */
  label?: string;
  /** Summary settings: the dateModified read at plan time (they carry no integer version). */
  dateModified?: string;
}

export interface FieldChange {
  path: string; // e.g. "description", "routes", "thresholds.pii"
  before?: unknown;
  after?: unknown;
}

export interface TokenDelta {
  model: string;
  /** Whether the count after is approximate (and the one before, unless approximateBefore says otherwise). */
  approximate: boolean;
  /** The live content's model, when the change gives it another (its count is in that model's tokens). */
  modelBefore?: string;
  /** Whether the count before is approximate, when it is not as the count after is. */
  approximateBefore?: boolean;
  before?: number; // worst-case prompt tokens of the live content (updates)
  after?: number;
  costPer1kCallsBefore?: number;
  costPer1kCallsAfter?: number;
  /** Without maxTokens, the output the cost after assumes: the model's maximum. */
  assumedOutputTokens?: number;
  /** Without maxTokens, and without a maximum output for the model: no cost after. */
  outputUnbounded?: true;
}

/** Prompt text before and after, for the diff views (an empty `before` for new text). */
export interface TextChange {
  field: string;
  before: string;
  after: string;
}

/**
 * How a guide's content gets written: `guide` creates the guide and fills its first version;
 * `version` creates a new version (the latest is ProductionReady, or there is none); `patch` edits
 * the latest Draft or TestReady version in place; `none`: the latest version holds the content
 * already (only its state moves).
 */
export type GuideWrite = 'guide' | 'version' | 'patch' | 'none';

/** What apply must send; the wire body without the guard version (apply adds it). */
export type DesiredBody =
  | { kind: 'PromptTemplate'; body: TemplateCreate }
  | { kind: 'PromptVersion'; body: VersionCreate; publish: boolean; patch: boolean }
  | { kind: 'TrafficSplit'; body: Omit<TrafficPut, 'version'> }
  | { kind: 'SafetyFilter'; body: FilterCreate }
  /** The content of the guide's version, the state it must reach, and how it is written. */
  | { kind: 'Guide'; body: GuideVersionContent; state: GuidePublishState; write: GuideWrite }
  /** The whole setting (a PUT replaces it). */
  | { kind: 'SummarySetting'; body: SummarySettingBody };

interface ActionCommon {
  address: string; // "PromptVersion/billing-assistant@1.1.0"
  kind: AnyResourceKind;
  /** Template, filter, guide or setting name (for versions and splits: the template's name). */
  name: string;
  /** Version label, for PromptVersion. */
  version?: string;
  changes: FieldChange[];
  tokens?: TokenDelta;
  /** Addresses that must be applied before this one. */
  dependsOn: string[];
  /** Why, when not obvious: "pruned (managed-by: promptctl)", "no longer routed", … */
  reason?: string;
  /** Calls for a reviewer's attention (deleting or disabling a safety filter, deleting a template with its versions or split). */
  destructive?: boolean;
  /** The prompt text before and after (creates and updates). */
  text?: TextChange[];
  /** Who last changed the live object and when (for drift reports), when the server says. */
  liveModified?: { by?: string; at?: string };
  /** A template's model switch: each version it moves to the new model, with its new count and cost. */
  affects?: { address: string; tokens: TokenDelta }[];
}

/**
 * SafetyFilter only, on a create or update: a free priority this filter holds while a priority
 * swap or chain settles, because the server refuses (409 priority.conflict) a priority held by
 * another ENABLED filter. The executor first sends the body at this priority (before any other
 * action), then, at the action's own place, the body at its final priority with the id and
 * version the staging call returned. `dependsOn` already encodes that the final priority is free.
 */
interface Staging {
  stagePriority?: number;
}

export interface CreateAction extends ActionCommon, Staging {
  action: 'create';
  desired: DesiredBody;
  /** The parent's live id, when it exists (a version's or a split's template). */
  parentId?: string;
  /**
   * A new prompt version: the version its changes, text and tokens are shown against (the
   * highest below it published once the plan is applied: live, or created by the same plan),
   * when there is one.
   */
  supersedes?: string;
}

export interface UpdateAction extends ActionCommon, Staging {
  action: 'update';
  /** The live object's id; for versions and splits, their template's id. */
  liveId: string;
  guard: Guard;
  desired: DesiredBody;
  /** The live object's canonical form as planned against (audit records carry it as `before`). */
  live?: Canonical;
}

export interface DeleteAction extends ActionCommon {
  action: 'delete';
  liveId: string;
  guard: Guard;
  /** The live object's canonical form as planned against. */
  live?: Canonical;
  /**
   * What the delete takes with it (the server cascades a template's versions and split), each as
   * its kind's audit snapshot: the delete's audit records carry them, so the trail shows them gone.
   */
  cascade?: CascadedObject[];
  /**
   * A pending delete's: the addresses it would take with it (a template's versions and split),
   * so that the counts a plan shows are true; their content is left out (never run, it would only
   * make the plan's seal move with a Draft's text).
   */
  takesAlong?: string[];
  /**
   * Shown, counted as a change, never applied: removed from git while prune is off, or (with
   * `unremovable`) an object apply cannot remove at all.
   */
  pending?: true;
  /**
   * A pending delete that no apply makes, prune or not: a managed object git no longer defines that
   * the gateway cannot remove (a traffic split: it has no DELETE; a version a live split still
   * routes). Only a change in git settles it, so it is counted apart (`summary.unremovable`).
   */
  unremovable?: true;
}

/** An object a delete takes with it, as audit records carry one (kinds/kind.ts Snapshot, with its address). */
export interface CascadedObject {
  address: string;
  version: number | string | null;
  hash: string | null;
  content: Canonical | null;
}

export interface NoopAction extends ActionCommon {
  action: 'noop';
  liveId: string;
  guard: Guard;
}

export type PlanAction = CreateAction | UpdateAction | DeleteAction | NoopAction;
export type WriteAction = CreateAction | UpdateAction;

/** A problem that makes the plan unappliable (e.g. a published version edited in git). */
export interface PlanProblem {
  address: string;
  rule: string; // "immutable-version" | "priority-conflict" | "unknown-template" | "no-free-priority" | "surface-unavailable" | "name-differs-in-case" | "read-only-field"
  message: string;
  /** The offending text, live against git, field by field; the views render the diff. */
  diff?: TextChange[];
  /** The field at fault, as its path under `spec` (`priority` for spec.priority) or a whole `metadata.` path (`metadata.name`), when one is: where the engine points the problem. */
  field?: string;
  /** Who last changed the live object and when, when the problem is about one (drift names them). */
  liveModified?: { by?: string; at?: string };
  /**
   * Another live object that stands in the way (a filter not in git holding the priority this one
   * wants), with who last changed it and when: drift names them under its address, never this one's.
   */
  heldBy?: { address: string; liveModified?: { by?: string; at?: string } };
  /**
   * A promotion gap's (promotion/*) environment before this one in `promotion`, whose apply of the
   * same commit a waiting gap waits for: named where the views say what the plan waits for.
   */
  previous?: string;
  /** Where in git (set by the plan engine from the desired resource): annotations and editors use it. */
  file?: string;
  line?: number;
  column?: number;
}

export interface Unmanaged {
  address: string;
  reason: string;
}

/** What planning one kind family yields. */
export interface PlanPart {
  actions: PlanAction[];
  problems: PlanProblem[];
  unmanaged: Unmanaged[];
  /** What the plan carries as warnings (`Plan.warnings`): said, never refused. */
  warnings?: PlanProblem[];
}

/** A delete apply leaves until prune is on (`- delete (pending: prune is off)`), not one it can never make. */
export function waitsForPrune(a: PlanAction): boolean {
  return a.action === 'delete' && a.pending === true && a.unremovable !== true;
}

/** Whether apply would act on it: not a noop, not a pending delete (an unremovable one is pending too). */
export function isApplied(a: PlanAction): boolean {
  return a.action !== 'noop' && !(a.action === 'delete' && a.pending);
}

/** The live id an action acts on: its own, or (a create) its parent's, when known. */
export function liveIdOf(a: PlanAction): string | undefined {
  return a.action === 'create' ? a.parentId : a.liveId;
}

/** The guard of an action; a create has none. */
export function guardOf(a: PlanAction): Guard | null {
  return a.action === 'create' ? null : a.guard;
}
