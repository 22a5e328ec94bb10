// The typed gateway API the rest of promptctl programs against (plan, apply, drift, export).
// Implemented by GatewayClient (client.ts) over the shared transport; never by a fake.
import type {
  AnalyticsQuery,
  AnalyticsResult,
  FilterCreate,
  InvocationEvent,
  InvocationRequest,
  InvocationResult,
  FilterUpdate,
  TemplateCreate,
  TemplateUpdate,
  TrafficPut,
  VersionCreate,
  VersionPatch,
  WireFilter,
  WireJob,
  WireTemplate,
  WireTraffic,
  WireVersion,
  WireTemplateDigest,
} from './wire.js';

export type { ApiError } from '../../genesys/errors.js';
import type { WireOrganization } from '../../genesys/conventions.js';
import type { RateBudget } from '../../genesys/ratelimit.js';

export type Expand = 'versions' | 'traffic';

/** A streamed invocation as the client yields it: text deltas, then one `done`. An `error` event is thrown (ApiError), never yielded. */
export type InvocationStreamEvent = Exclude<InvocationEvent, { type: 'error' }>;

export interface InvokeOptions {
  /** Aborts the call (waiting, or in flight): it then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** The PromptTest the call is made for (wire.ts `TEST_HEADER`): `promptctl test` names it on every call. */
  test?: string;
}

export interface InvokeStreamOptions {
  /** Aborts the call (before or during the stream); the iteration then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Longest silence (no event, no ping) before the stream counts as dropped (default: the client's attempt timeout). */
  idleTimeoutMs?: number;
}

/** The runtime half of the gateway: running a template and reading what its runs did. */
export interface GatewayRuntimeApi {
  /**
   * Runs a template and waits for the whole answer. Rejects with ApiError: 400 invalid.variables,
   * 400 content.blocked (err.body.messageParams.filter names the filter), 404 not.found, ...
   */
  invoke(body: InvocationRequest, opts?: InvokeOptions): Promise<InvocationResult>;
  /**
   * Runs a template and yields its answer as it arrives: `delta` events (text), then one `done`
   * (everything but the text). Retries (429, 5xx, dropped connections) happen only before the
   * first text of the stream (an `event: error` before it is retried as its status answered
   * outright); an `event: error` after text rejects with that ApiError, and a stream that ends
   * or drops before `done` rejects with ApiError code `stream.interrupted` saying how many
   * characters had arrived: an answer is never silently cut short.
   */
  invokeStream(body: InvocationRequest, opts?: InvokeStreamOptions): AsyncIterable<InvocationStreamEvent>;
  /** The analytics aggregates query (Genesys analytics shape). */
  queryAnalytics(body: AnalyticsQuery): Promise<AnalyticsResult>;
}

export interface PublishOptions {
  timeoutMs?: number;
  /**
   * The version's contentHash as last read or written: the content the publish is meant to freeze.
   * The jobs call carries no version to guard it (DESIGN §3's body is `{state}` alone), so the
   * confirmation checks it instead: a version published with other content (edited in between)
   * rejects with 409 version.mismatch. A publish cannot be undone; it is reported, not passed.
   */
  contentHash?: string;
}

export interface GatewayApi extends GatewayRuntimeApi {
  /** A human-readable description of the target, e.g. "embedded emulator (.promptctl/local-state.json)". */
  readonly targetLabel: string;

  listTemplates(opts?: { expand?: Expand[]; name?: string }): Promise<WireTemplate[]>;
  /**
   * Every template in promptctl's digest view (wire.ts DIGEST_VIEW), versions and traffic
   * expanded: a version's content as its hash, unless the server sends it anyway.
   */
  listTemplateDigests(): Promise<WireTemplateDigest[]>;
  getTemplate(id: string, opts?: { expand?: Expand[] }): Promise<WireTemplate>;
  createTemplate(body: TemplateCreate): Promise<WireTemplate>;
  updateTemplate(id: string, body: TemplateUpdate): Promise<WireTemplate>;
  deleteTemplate(id: string): Promise<void>;

  listVersions(templateId: string): Promise<WireVersion[]>;
  getVersion(templateId: string, label: string): Promise<WireVersion>;
  createVersion(templateId: string, body: VersionCreate): Promise<WireVersion>;
  patchVersion(templateId: string, label: string, body: VersionPatch): Promise<WireVersion>;
  deleteVersion(templateId: string, label: string): Promise<void>;
  /** Starts the publish job and waits for it; rejects with ApiError if the job fails. */
  publishVersion(templateId: string, label: string, opts?: PublishOptions): Promise<WireJob>;
  /**
   * Starts the publish job and resolves once the server has accepted it; `published` settles when
   * the version is confirmed Published (rejects with ApiError if the job fails). Confirmations are
   * held until flushPublications() (or a couple of seconds) so that one listing page confirms many.
   */
  startPublish(templateId: string, label: string, opts?: PublishOptions): Promise<{ published: Promise<WireJob> }>;
  /** The caller has nothing else to do: confirm the publications started so far. */
  flushPublications(): void;

  /** null when the template has no split. */
  getTraffic(templateId: string): Promise<WireTraffic | null>;
  putTraffic(templateId: string, body: TrafficPut): Promise<WireTraffic>;

  listFilters(): Promise<WireFilter[]>;
  getFilter(id: string): Promise<WireFilter>;
  createFilter(body: FilterCreate): Promise<WireFilter>;
  updateFilter(id: string, body: FilterUpdate): Promise<WireFilter>;
  deleteFilter(id: string): Promise<void>;

  /** The rate budget the server has announced so far (inin-ratelimit-*); undefined when it has not. */
  rateBudget(): RateBudget | undefined;
  /** Requests sent so far (every attempt, including retries); for progress and benchmarks. */
  readonly stats: { requests: number; retries: number; rateLimited: number };
  /** The org the credentials belong to (GET /api/v2/organizations/me); null when the server does not say. */
  organization(): Promise<WireOrganization | null>;
  close(): Promise<void>;
}

/** Everything plan needs from the live org, read in a handful of calls. */
export interface LiveState {
  /** Every template, with `versions` and `traffic` expanded. */
  templates: WireTemplate[];
  filters: WireFilter[];
}
