// The emulator's AI Studio records (DESIGN §3b), part of the store's State: guides, their
// versions, guide jobs (publishing a version, deleting a guide) and summary settings. Kept in
// collections of their own, journaled and snapshotted like every other collection.
import type {
  ErrorBody,
  GuideJobStatus,
  GuideKnowledgeSettings,
  GuidePublishState,
  GuideSource,
  GuideVariable,
  GuideVersionResources,
  GuideVersionState,
  SummarySettingBody,
} from '../targets/aistudio/wire.js';

export interface GuideRec {
  id: string;
  name: string;
  source: GuideSource;
  dateCreated: string;
  dateModified: string;
}

export interface GuideVersionRec {
  guideId: string;
  /** "1.0", "2.0", ...: also its id in paths. */
  version: string;
  instruction: string;
  variables?: GuideVariable[];
  resources?: GuideVersionResources;
  knowledgeSettings?: GuideKnowledgeSettings;
  state: GuideVersionState;
  dateCreated: string;
  dateModified: string;
}

export interface GuideJobRec {
  id: string;
  /** publish: a GuideVersionPublishJob; delete: a GuideJob. */
  kind: 'publish' | 'delete';
  guideId: string;
  /** publish only. */
  version?: string;
  target?: GuidePublishState;
  status: GuideJobStatus;
  errors: ErrorBody[];
  dateCreated: string;
  /** Epoch ms at which an InProgress job completes (survives restarts). */
  finishAt: number;
  /** The ININ-Correlation-Id of the request that started it: its errors' contextId (an ErrorBody's is a correlation id). */
  correlationId?: string;
}

export interface SummarySettingRec extends SummarySettingBody {
  id: string;
  dateCreated: string;
  dateModified: string;
}

/** The AI Studio collections of the store's State. */
export interface AiStudioState {
  guides: Record<string, GuideRec>;
  /** guideId → version label → version */
  guideVersions: Record<string, Record<string, GuideVersionRec>>;
  guideJobs: Record<string, GuideJobRec>;
  summarySettings: Record<string, SummarySettingRec>;
}

export function emptyAiStudioState(): AiStudioState {
  return { guides: {}, guideVersions: {}, guideJobs: {}, summarySettings: {} };
}

/** Drops finished guide jobs older than `retentionMs` (as the store does for publish jobs). */
export function pruneAiStudioJobs(s: AiStudioState, now: number, retentionMs: number): void {
  for (const [k, j] of Object.entries(s.guideJobs ?? {})) {
    if (j.status !== 'InProgress' && j.finishAt + retentionMs < now) delete s.guideJobs[k];
  }
}

/** An entry of a record by key, never a property of Object.prototype (`__proto__`, `constructor`). */
export function own<T>(coll: Record<string, T> | undefined, key: string): T | undefined {
  return coll !== undefined && Object.hasOwn(coll, key) ? coll[key] : undefined;
}
