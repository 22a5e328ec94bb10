// The LLM Gateway's runtime on the wire (DESIGN §3, POST /invocations and the analytics aggregates
// query): an invocation's request, its answer whole or as Server-Sent Events, and the query and
// its result. wire.ts re-exports it, the one module the client and the emulator read the contract from.
import type { ErrorBody } from '../../genesys/conventions.js';
import type { FilterCreate } from './wire.js';

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

/**
 * promptctl's extension of a 400 content.blocked ErrorBody (DESIGN §3 lets optional fields be
 * added): a block on the OUTPUT comes after the model ran, whose tokens were spent and billed all
 * the same, so it says them as a result does. A block on the input (the model never ran, nothing
 * was spent) carries neither, as the analytics count no tokens for it.
 */
export interface BlockedSpend {
  usage?: InvocationUsage;
  costUsd?: number;
}

/**
 * promptctl's extension of a 400 content.blocked ErrorBody as well: the template and the version
 * the call was routed to, as a result names them. A version is chosen (pinned, or the split's
 * draw) before either filter stage, so a block on the input says it too. A real gateway may send
 * neither: a blocked call through a split then has no known version.
 */
export interface BlockedRoute {
  template?: { id: string; name: string };
  version?: string;
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
  /**
   * promptctl's extension (its emulator alone sends it): the answer is a canned response, a
   * PromptTest's `responses:` (`test` names it) or a responses file's (no `test`), not the simulator's;
   * `response`: which one, as util/canned-answer.ts digests it (absent from an older emulator).
   */
  canned?: { test?: string; response?: string };
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
