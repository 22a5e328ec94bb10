// The plan: what apply will do, in order, and what each step was planned against.
// Serialised as the versioned plan JSON of DESIGN §4 (`plan --out`, `--format json`).
import type { ResourceKind } from '../model/types.js';
import type { FilterCreate, TemplateCreate, TrafficPut, VersionCreate } from '../genesys/wire.js';

export const PLAN_FORMAT_VERSION = 1;

export type ActionType = 'create' | 'update' | 'delete' | 'noop';

/** The live state an action was planned against; apply refuses the plan if it moved. */
export interface Guard {
  /** Live integer version (templates, filters, traffic; 0 = no split yet). */
  version?: number;
  /** Live content hash (prompt versions). */
  hash?: string;
  /** Live state label of a prompt version. */
  state?: 'Draft' | 'Published';
}

export interface FieldChange {
  path: string; // e.g. "description", "routes", "thresholds.pii"
  before?: unknown;
  after?: unknown;
}

export interface TokenDelta {
  model: string;
  approximate: boolean;
  before?: number; // worst-case prompt tokens of the live content (updates)
  after?: number;
  costPer1kCallsBefore?: number;
  costPer1kCallsAfter?: number;
}

/** What apply must send; the wire body without the guard version (apply adds it). */
export type DesiredBody =
  | { kind: 'PromptTemplate'; body: TemplateCreate }
  | { kind: 'PromptVersion'; body: VersionCreate; publish: boolean; patch: boolean }
  | { kind: 'TrafficSplit'; body: Omit<TrafficPut, 'version'> }
  | { kind: 'SafetyFilter'; body: FilterCreate };

export interface PlanAction {
  address: string; // "PromptVersion/billing-assistant@1.1.0"
  action: ActionType;
  kind: ResourceKind;
  /** Template or filter name (for versions and splits: the template's name). */
  name: string;
  /** Version label, for PromptVersion. */
  version?: string;
  /** Live id of the object (template id for versions and splits), when it exists. */
  liveId?: string;
  /** null for create. */
  guard: Guard | null;
  changes: FieldChange[];
  tokens?: TokenDelta;
  desired?: DesiredBody;
  /** Addresses that must be applied before this one. */
  dependsOn: string[];
  /** Why, when not obvious: "pruned (managed-by: promptctl)", "no longer routed", … */
  reason?: string;
  /** Calls for a reviewer's attention (deleting a safety filter). */
  destructive?: boolean;
  /** The prompt text before and after, for the diff renderers (updates and creates). */
  text?: { field: 'systemInstruction' | 'userTemplate'; before: string; after: string }[];
  /**
   * SafetyFilter only: a free priority this filter holds while a priority swap/chain settles, because
   * the server refuses (409 priority.conflict) a priority held by another ENABLED filter.
   * What the executor must do:
   *  1. Staging pass — before executing ANY action of the plan, for every action carrying
   *     stagePriority, in plan order: send its `desired.body` with `priority` replaced by
   *     stagePriority — PUT /safetyfilters/{liveId} with `version: guard.version` when the filter
   *     exists (update), POST /safetyfilters when it does not (create). Stage priorities are free
   *     of every live enabled filter and every desired enabled priority, and distinct, so these
   *     calls cannot conflict. After this pass the filter already carries its desired content.
   *  2. At the action's own place in `actions`: PUT `desired.body` (its final priority) to the same
   *     filter, with the id and `version` returned by the staging call (not guard.version).
   * `dependsOn` already encodes that its final priority is free by then. Actions that depend on a
   * staged filter's protection do not wait for step 2: step 1 provided it.
   */
  stagePriority?: number;
  /** Who last changed the live object and when (for drift reports), when the server says. */
  liveModified?: { by?: string; at?: string };
}

/** A problem that makes the plan unappliable (e.g. a published version edited in git). */
export interface PlanProblem {
  address: string;
  rule: string; // "immutable-version" | "priority-conflict" | "unknown-template" | "no-free-priority"
  message: string;
  /** Unified diff of the offending text, when there is one. */
  diff?: string;
}

export interface PlanGit {
  commit?: string;
  branch?: string;
  dirty?: boolean;
  actor?: string;
}

export interface Plan {
  formatVersion: number;
  id: string; // uuid; audit records carry it as planId
  createdAt: string;
  target: string; // human label of the target (no secrets)
  git: PlanGit;
  prune: boolean;
  summary: { create: number; update: number; delete: number; noop: number };
  /** In apply order (a valid topological order of dependsOn). */
  actions: PlanAction[];
  problems: PlanProblem[];
  /** Live objects not in git and left alone (unmanaged, or prune off). */
  unmanaged: { address: string; reason: string }[];
  /** sha256 over the canonical actions and guards; apply checks it before doing anything. */
  fingerprint: string;
  /**
   * Set when the plan was limited (`plan --changed-since`): the sorted addresses it covers, so
   * `apply PLANFILE` re-plans the same slice when it checks the plan is still current. Absent:
   * the plan covers everything.
   */
  scope?: string[];
}
