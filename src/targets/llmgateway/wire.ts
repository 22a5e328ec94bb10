// The LLM Gateway wire contract (DESIGN §3): JSON shapes and the content hash. Shared by the
// client (targets/llmgateway) and the emulator, which shares nothing else with the client. The
// platform conventions (listings, ErrorBody, headers) are re-exported for the emulator.
import { hash } from 'node:crypto';
import type { EntityBase, ErrorBody, UserRef } from '../../genesys/conventions.js';

export {
  CORRELATION_HEADER,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  ORGANIZATION_PATH,
  RATELIMIT_HEADERS,
  TOKEN_PATH,
  type EntityBase,
  type EntityListing,
  type ErrorBody,
  type OAuthTokenResponse,
  type UserRef,
  type WireOrganization,
} from '../../genesys/conventions.js';

/**
 * promptctl's own header on /invocations (the gateway contract is promptctl's): the PromptTest a
 * call is made for (its name, URI-encoded). The emulator answers it from that test's own
 * `responses:` first, and its analytics count it under origin `test`. On a guide session (AI
 * Studio, real Genesys) it goes only to the embedded emulator.
 */
export const TEST_HEADER = 'X-Promptctl-Test';

/** The header's value for a test name (any text a name may hold travels as ASCII). */
export function testHeader(test: string): Record<string, string> {
  return { [TEST_HEADER]: encodeURIComponent(test) };
}

/**
 * The emulator's own header on every answer when it has canned model answers (a `--responses`
 * file, a test's `responses:`): a digest of what they hold. `promptctl test` keys its cached
 * results by it, so an answer given from other canned answers is not reused; a real org sends none.
 */
export const ANSWERS_HEADER = 'X-Promptctl-Answers';

export type WireLabels = Record<string, string>;

export interface WireVariable {
  name: string;
  type: 'string' | 'number' | 'boolean' | 'enum';
  required?: boolean;
  default?: string | number | boolean;
  maxLength?: number;
  maxTokens?: number;
  values?: string[];
  description?: string;
}

export interface WireSafetyGuardrails {
  piiFilter?: boolean;
  jailbreakDetection?: boolean;
  outputModeration?: boolean;
}

/** Body of POST /prompttemplates/{id}/versions and of PATCH (partial) while Draft. */
export interface VersionContent {
  systemInstruction: string;
  userTemplate: string;
  variables?: WireVariable[];
  fewShotExamples?: Array<{ input: string; output: string }>;
  model?: string;
  temperature?: number;
  maxTokens?: number;
  safetyGuardrails?: WireSafetyGuardrails;
}

/** The optional content fields: absent means the default (the template's model, the guardrails on). */
export type VersionOptionalField = Exclude<keyof VersionContent, 'systemInstruction' | 'userTemplate'>;

/** Body of PATCH .../versions/{version} while Draft: the fields to replace; null clears an optional one. */
export type VersionPatch = Partial<Pick<VersionContent, 'systemInstruction' | 'userTemplate'>> & {
  [K in VersionOptionalField]?: VersionContent[K] | null;
};

export interface VersionCreate extends VersionContent {
  version: string; // semver label
}

export type VersionState = 'Draft' | 'Published';

/** A prompt version as the server returns it. Identified by its label; no integer version (Published is immutable). */
export interface WireVersion extends EntityBase, VersionCreate {
  templateId: string;
  state: VersionState;
  contentHash: string; // sha256 hex of canonicalVersionContent
  datePublished?: string;
}

export interface WireRoute {
  version: string;
  weight: number;
}

export interface TrafficPut {
  strategy: 'random' | 'sticky';
  stickyKey?: string;
  routes: WireRoute[];
  /** The current integer version; 0 when the template has no split yet. */
  version: number;
}

export interface WireTraffic extends TrafficPut {
  templateId: string;
  dateModified: string;
  modifiedBy: UserRef;
  selfUri: string;
}

export interface TemplateCreate {
  name: string;
  description?: string;
  model: string;
  labels?: WireLabels;
}

export interface TemplateUpdate extends TemplateCreate {
  version: number;
}

export interface WireTemplate extends EntityBase {
  description?: string;
  model: string;
  labels: WireLabels;
  version: number;
  /** Present with ?expand=versions (all versions, any state). */
  versions?: WireVersion[];
  /** Present with ?expand=traffic; null when the template has no split. */
  traffic?: WireTraffic | null;
}

/**
 * promptctl's own listing view (the gateway contract is promptctl's; DESIGN §3 leaves the listing
 * open to optional parameters): `GET /prompttemplates?expand=versions,traffic&view=digest` answers
 * each template with what a plan compares and no more. A version carries its `contentHash` in
 * place of its content, and no object carries the entity metadata a plan never reads (dateCreated,
 * createdBy, selfUri; modifiedBy only as its id). A no-change plan of a large org then reads a
 * third of the bytes (365 KB a page of 100 templates with two versions each, 121 KB so viewed).
 * A server that does not know the view answers the whole objects, which serve as well.
 */
export const DIGEST_VIEW = 'digest';

/**
 * A version in the digest view: its content as its hash. Content fields, when a server sends them
 * anyway, are typed as usual; such a server (one that does not know the view) may send no
 * contentHash, which a whole version need not carry (schemas/answers/LiveVersionDigest: the hash
 * or both texts).
 */
export type WireVersionDigest = Pick<WireVersion, 'id' | 'templateId' | 'version' | 'state'> & { contentHash?: string } &
  Partial<Pick<WireVersion, 'dateModified' | VersionContentField>> & { modifiedBy?: { id: string } };

/** The content fields of a version, those the digest view leaves out. */
export type VersionContentField = keyof VersionContent;

export type WireTrafficDigest = Omit<WireTraffic, 'selfUri' | 'modifiedBy' | 'dateModified'> & { dateModified?: string; modifiedBy?: { id: string } };

/** A template in the digest view (`versions` and `traffic` as asked by `expand`). */
export interface WireTemplateDigest {
  id: string;
  name: string;
  description?: string;
  model: string;
  labels: WireLabels;
  version: number;
  dateModified?: string;
  modifiedBy?: { id: string };
  versions?: WireVersionDigest[];
  traffic?: WireTrafficDigest | null;
}

export interface FilterCreate {
  name: string;
  description?: string;
  enabled?: boolean; // default true
  priority: number;
  categories: string[];
  action: 'block_and_log' | 'redact_and_log' | 'flag_and_pass';
  thresholds: Record<string, number>;
  falsePositiveTolerance: number;
  appliesTo?: { templates?: string[]; labels?: WireLabels };
  labels?: WireLabels;
}

export interface FilterUpdate extends FilterCreate {
  version: number;
}

export interface WireFilter extends EntityBase, FilterCreate {
  enabled: boolean;
  labels: WireLabels;
  version: number;
}

export type JobStatus = 'Running' | 'Succeeded' | 'Failed';

export interface WireJob {
  id: string;
  status: JobStatus;
  errors: ErrorBody[];
  selfUri: string;
}

/**
 * The content of a version with defaults applied and absent optionals as null (one form for both
 * sides), built with its keys in sorted order at every level: stable JSON then writes it natively
 * (a plan hashes git's side of every version a digest listing names).
 */
export function canonicalVersionFields(c: VersionContent) {
  return {
    fewShotExamples: (c.fewShotExamples ?? []).map((e) => ({ input: e.input, output: e.output })),
    maxTokens: c.maxTokens ?? null,
    model: c.model ?? null,
    safetyGuardrails: canonicalGuardrails(c.safetyGuardrails),
    systemInstruction: c.systemInstruction,
    temperature: c.temperature ?? null,
    userTemplate: c.userTemplate,
    variables: (c.variables ?? []).map((v) => ({
      default: v.default ?? null,
      description: v.description ?? null,
      maxLength: v.maxLength ?? null,
      maxTokens: v.maxTokens ?? null,
      name: v.name,
      required: v.required ?? true,
      type: v.type,
      values: v.values ? [...v.values] : null,
    })),
  };
}

/** A version's guardrails with their defaults (each on), in key order. */
function canonicalGuardrails(g: WireSafetyGuardrails | undefined): Required<WireSafetyGuardrails> {
  return {
    jailbreakDetection: g?.jailbreakDetection ?? true,
    outputModeration: g?.outputModeration ?? true,
    piiFilter: g?.piiFilter ?? true,
  };
}

/** A version in the digest view (DIGEST_VIEW): its fields but the content, modifiedBy as its id alone. */
export function versionDigest(v: Omit<WireVersionDigest, 'modifiedBy'> & { modifiedBy?: { id: string } }): WireVersionDigest {
  return {
    id: v.id,
    templateId: v.templateId,
    version: v.version,
    state: v.state,
    contentHash: v.contentHash,
    dateModified: v.dateModified,
    modifiedBy: v.modifiedBy && { id: v.modifiedBy.id },
  };
}

/**
 * The canonical content of a version: canonicalVersionFields as stable JSON (plain data built in
 * key order, which JSON.stringify writes as stable JSON: test/unit/targets/version-content-hash.test.ts).
 * Both sides hash this, so a version's identity never depends on formatting or key order.
 */
export function canonicalVersionContent(c: VersionContent): string {
  return JSON.stringify(canonicalVersionFields(c));
}

export function versionContentHash(c: VersionContent): string {
  return hash('sha256', canonicalVersionContent(c));
}

// ---- runtime: invocations and analytics (DESIGN §3, POST /invocations and the aggregates query) ----

/** The media type of a streamed invocation (Server-Sent Events). */
export const EVENT_STREAM = 'text/event-stream';

export type InvocationRole = 'system' | 'user' | 'assistant';

export interface InvocationMessage {
  role: InvocationRole;
  content: string;
}

export type VariableValue = string | number | boolean;

/** Body of POST /api/v2/llmgateway/invocations. */
export interface InvocationRequest {
  /** The template's name or id. */
  template: string;
  /** A Published version label; without it the template's traffic split routes the call. */
  version?: string;
  /** Hashed by a sticky split to pick the same version for the same key. */
  routingKey?: string;
  variables: Record<string, VariableValue>;
  /** Conversation turns sent after the rendered user template. */
  messages?: InvocationMessage[];
  /** Answer as Server-Sent Events (as does `Accept: text/event-stream`). */
  stream?: boolean;
}

/**
 * stop: the answer ended; length: it was cut at the version's maxTokens; content_filter: a
 * redact_and_log filter masked part of it (a block is an error, never a result).
 */
export type FinishReason = 'stop' | 'length' | 'content_filter';

export type FilterAction = FilterCreate['action'];

/** One safety filter category that scored above zero on the input or the output. */
export interface InvocationFilterResult {
  name: string;
  category: string;
  /** 0..1; the higher of the input's and the output's score. */
  score: number;
  action: FilterAction;
  /** The score reached the filter's threshold for the category: blocked, masked or flagged. */
  applied: boolean;
}

export interface InvocationUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** 200 answer of POST /invocations (JSON). */
export interface InvocationResult {
  id: string;
  template: { id: string; name: string };
  version: string;
  model: string;
  output: { text: string };
  finishReason: FinishReason;
  usage: InvocationUsage;
  costUsd: number;
  latencyMs: number;
  filters: InvocationFilterResult[];
}

/** The data of the SSE `done` event: the result without its text (the deltas carried it). */
export type InvocationSummary = Omit<InvocationResult, 'output'>;

/** SSE event names of a streamed invocation. */
export const INVOCATION_EVENTS = { delta: 'delta', done: 'done', error: 'error' } as const;

/** A streamed invocation as the client yields it: text deltas, then done (or an error). */
export type InvocationEvent =
  | { type: 'delta'; text: string }
  | { type: 'done'; result: InvocationSummary }
  | { type: 'error'; error: ErrorBody };

/**
 * `origin` is promptctl's extension of the §3 dimensions: `test` for a call made by `promptctl
 * test` (it carries the X-Promptctl-Test header), `live` for any other; status leaves tests out.
 */
export const ANALYTICS_DIMENSIONS = ['templateId', 'version', 'filterName', 'origin'] as const;
export type AnalyticsDimension = (typeof ANALYTICS_DIMENSIONS)[number];

/**
 * Event metrics (nInvocations, nErrors, nBlocked) count invocations: stats.count = stats.sum =
 * how many. Measures (tLatency ms, nPromptTokens, nCompletionTokens, nCostMicros: millionths of a
 * US dollar) are taken over the invocations that reached the model: count = how many, sum, min, max.
 * nErrors counts refusals other than blocks (bad variables, unknown template, ...); nBlocked the
 * invocations a block_and_log filter stopped.
 */
export const ANALYTICS_METRICS = [
  'nInvocations',
  'nErrors',
  'nBlocked',
  'tLatency',
  'nPromptTokens',
  'nCompletionTokens',
  'nCostMicros',
] as const;
export type AnalyticsMetric = (typeof ANALYTICS_METRICS)[number];

export interface AnalyticsPredicate {
  type?: 'dimension';
  dimension: AnalyticsDimension;
  operator?: 'matches';
  value: string;
}

/** Body of POST /api/v2/analytics/llmgateway/aggregates/query (Genesys analytics shape). */
export interface AnalyticsQuery {
  /** `start/end`, ISO-8601 date-times; start inclusive, end exclusive. */
  interval: string;
  groupBy?: AnalyticsDimension[];
  metrics: AnalyticsMetric[];
  filter?: { type: 'and' | 'or'; predicates: AnalyticsPredicate[] };
  /** Buckets aligned to the interval's start; without it, one bucket for the whole interval. */
  granularity?: 'PT1H' | 'P1D';
  /**
   * promptctl's extension (optional; a server without it ignores or refuses the field): these
   * percentiles (1–99) of every measured metric in each bucket, in `stats.percentiles`.
   */
  percentiles?: number[];
}

export interface AnalyticsStats {
  count: number;
  sum: number;
  min?: number;
  max?: number;
  /** The percentiles the query asked for, by number ("50", "95"): nearest rank over the bucket's observations. */
  percentiles?: Record<string, number>;
}

export interface AnalyticsResult {
  /** One entry per group that had invocations in the interval (absent dimensions: none applies). */
  results: Array<{
    group: Partial<Record<AnalyticsDimension, string>>;
    /** Buckets with invocations only, in time order; every requested metric in each. */
    data: Array<{ interval: string; metrics: Array<{ metric: AnalyticsMetric; stats: AnalyticsStats }> }>;
  }>;
}
