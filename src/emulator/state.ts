// What the emulator keeps (DESIGN §3): the state's collections and their records (templates,
// versions, splits, filters, publish jobs, tokens, answered invocations; AI Studio's from
// aistudio-records.ts), and the empty state an org starts from. store.ts keeps them durable.
import { emptyAiStudioState, type AiStudioState } from './aistudio-records.js';
import type { FilterCreate, JobStatus, VersionContent, VersionState, WireLabels, WireRoute } from '../targets/llmgateway/wire.js';
import type { ErrorBody, UserRef } from '../targets/llmgateway/wire.js';

interface Stamped {
  id: string;
  name: string;
  dateCreated: string;
  dateModified: string;
  createdBy: UserRef;
  modifiedBy: UserRef;
}

export interface TemplateRec extends Stamped {
  description?: string;
  model: string;
  labels: WireLabels;
  version: number;
}

export interface VersionRec extends Stamped, VersionContent {
  templateId: string;
  /** The semver label; also `name`. */
  version: string;
  state: VersionState;
  contentHash: string;
  datePublished?: string;
}

export interface TrafficRec {
  strategy: 'random' | 'sticky';
  stickyKey?: string;
  routes: WireRoute[];
  version: number;
  dateModified: string;
  modifiedBy: UserRef;
}

export interface FilterRec extends Stamped, Omit<FilterCreate, 'enabled' | 'labels'> {
  enabled: boolean;
  labels: WireLabels;
  version: number;
}

export interface JobRec {
  id: string;
  templateId: string;
  label: string;
  status: JobStatus;
  errors: ErrorBody[];
  dateCreated: string;
  /** Epoch ms at which a Running job completes (survives restarts). */
  finishAt: number;
  /** The version's contentHash when the job started: what it publishes, or it fails. */
  contentHash?: string;
  /** The ININ-Correlation-Id of the request that started it: its errors' contextId (an ErrorBody's is a correlation id). */
  correlationId?: string;
}

export interface TokenRec {
  clientId: string;
  expiresAt: number; // epoch ms
}

export interface State extends AiStudioState {
  formatVersion: 1;
  templates: Record<string, TemplateRec>;
  /** templateId → label → version */
  versions: Record<string, Record<string, VersionRec>>;
  /** templateId → split */
  traffic: Record<string, TrafficRec>;
  filters: Record<string, FilterRec>;
  jobs: Record<string, JobRec>;
  /** sha256(access token) → owner and expiry; the token itself is never stored. */
  tokens: Record<string, TokenRec>;
  /** Every invocation the gateway answered (results, refusals and blocks), for analytics. */
  invocations: Record<string, InvocationRec>;
}

/** One answered POST /invocations, as the analytics query counts it. */
export interface InvocationRec {
  id: string;
  /** When it was answered, ISO-8601 UTC. */
  at: string;
  /** The HTTP status of the answer (400 for a block, also when it ended a stream). */
  status: number;
  outcome: 'ok' | 'error' | 'blocked';
  /** The ErrorBody code of a refusal or block. */
  code?: string;
  /** Known once the template was found, and the version once it was chosen. */
  templateId?: string;
  version?: string;
  /** The filters that acted (blocked, masked or flagged), sorted. */
  filters: string[];
  /** True for a call of `promptctl test` (it named its test in X-Promptctl-Test): the analytics' origin `test`. */
  test?: boolean;
  /** Present when the model ran. */
  promptTokens?: number;
  completionTokens?: number;
  /** Millionths of a US dollar. */
  costMicros?: number;
  latencyMs?: number;
}

export function emptyState(): State {
  return { ...emptyAiStudioState(), formatVersion: 1, templates: {}, versions: {}, traffic: {}, filters: {}, jobs: {}, tokens: {}, invocations: {} };
}
