// The plan: what apply will do, in order, and what each step was planned against. Serialised as
// the versioned plan JSON of DESIGN §4 (`plan --out`, `--format json`), whose shape
// schemas/plan.schema.json publishes. The action types come from the kinds that plan them.
export type {
  ActionType,
  CreateAction,
  DeleteAction,
  DesiredBody,
  FieldChange,
  Guard,
  NoopAction,
  PlanAction,
  PlanProblem,
  TextChange,
  TokenDelta,
  Unmanaged,
  UpdateAction,
  WriteAction,
} from '../kinds/action.js';
import type { PlanAction, PlanProblem, Unmanaged } from '../kinds/action.js';

/** Version 2: actions typed by what they do (create/update/delete/noop), problems' diffs as data. */
export const PLAN_FORMAT_VERSION = 2;

export interface PlanGit {
  commit?: string;
  branch?: string;
  dirty?: boolean;
  actor?: string;
}

/** The org a plan is bound to: applying it anywhere else is refused, naming both. */
export interface PlanOrg {
  /** GET /api/v2/organizations/me; null when the target does not say. */
  id: string | null;
  name?: string;
  /** The API host, e.g. api.mypurecloud.com or 127.0.0.1:4010. */
  host: string;
  /** The OAuth client id (not a secret). */
  clientId: string;
}

export interface Plan {
  formatVersion: number;
  id: string; // uuid; audit records carry it as planId
  createdAt: string;
  target: string; // human label of the target (no secrets)
  /**
   * The prompts directory it was planned from, as `--dir` gave it (relative to the working
   * directory then): a stale `apply PLANFILE` that read another says so. Not sealed, like the
   * target's label: it names where the files were, not what apply does.
   */
  dir?: string;
  /** The org it was planned against (absent only in plans made without a target). */
  org?: PlanOrg;
  git: PlanGit;
  prune: boolean;
  /**
   * Counts by action; `pending`: deletes shown but not applied (prune is off), when any;
   * `unremovable`: deletes shown that no apply can make (kinds/action.ts), when any.
   */
  summary: { create: number; update: number; delete: number; noop: number; pending?: number; unremovable?: number };
  /** In apply order (a valid topological order of dependsOn). */
  actions: PlanAction[];
  problems: PlanProblem[];
  /**
   * Findings that do not block apply, such as a promotion gap in an unprotected environment
   * (DESIGN §6), or, with prune off, deletes waiting for prune that --prune would refuse as a mass
   * delete, or the one of a summary setting renamed in git whose interactionType no create can give
   * (kinds/SummarySetting): carried so that the PR comment and the JSON plan say them too. Absent when none.
   */
  warnings?: PlanProblem[];
  /** Live objects not in git and left alone (unmanaged, or prune off). */
  unmanaged: Unmanaged[];
  /**
   * sha256 over the canonical actions and guards; apply checks it before doing anything. "" in a
   * plan made only to be shown as text (buildPlan's `sealed: false`), which is never written.
   */
  fingerprint: string;
  /**
   * Set when the plan was limited (`plan --changed-since`): the sorted addresses it covers, so
   * `apply PLANFILE` re-plans the same slice when it checks the plan is still current. Absent:
   * the plan covers everything.
   */
  scope?: string[];
}
