// The typed gateway API the rest of promptctl programs against (plan, apply, drift, export).
// Implemented by GatewayClient (src/genesys/client.ts) over HTTP; never by a fake.
import type {
  FilterCreate,
  FilterUpdate,
  TemplateCreate,
  TemplateUpdate,
  TrafficPut,
  VersionContent,
  VersionCreate,
  WireFilter,
  WireJob,
  WireTemplate,
  WireTraffic,
  WireVersion,
} from './wire.js';

export type Expand = 'versions' | 'traffic';

export interface GatewayApi {
  /** A human-readable description of the target, e.g. "embedded emulator (.promptctl/local-state.json)". */
  readonly targetLabel: string;

  listTemplates(opts?: { expand?: Expand[]; name?: string }): Promise<WireTemplate[]>;
  getTemplate(id: string, opts?: { expand?: Expand[] }): Promise<WireTemplate>;
  createTemplate(body: TemplateCreate): Promise<WireTemplate>;
  updateTemplate(id: string, body: TemplateUpdate): Promise<WireTemplate>;
  deleteTemplate(id: string): Promise<void>;

  listVersions(templateId: string): Promise<WireVersion[]>;
  getVersion(templateId: string, label: string): Promise<WireVersion>;
  createVersion(templateId: string, body: VersionCreate): Promise<WireVersion>;
  patchVersion(templateId: string, label: string, body: Partial<VersionContent>): Promise<WireVersion>;
  deleteVersion(templateId: string, label: string): Promise<void>;
  /** Starts the publish job and waits for it; rejects with ApiError if the job fails. */
  publishVersion(templateId: string, label: string, opts?: { timeoutMs?: number }): Promise<WireJob>;

  /** null when the template has no split. */
  getTraffic(templateId: string): Promise<WireTraffic | null>;
  putTraffic(templateId: string, body: TrafficPut): Promise<WireTraffic>;

  listFilters(): Promise<WireFilter[]>;
  getFilter(id: string): Promise<WireFilter>;
  createFilter(body: FilterCreate): Promise<WireFilter>;
  updateFilter(id: string, body: FilterUpdate): Promise<WireFilter>;
  deleteFilter(id: string): Promise<void>;

  /** Requests sent so far (every attempt, including retries); for progress and benchmarks. */
  readonly stats: { requests: number; retries: number; rateLimited: number };
  close(): Promise<void>;
}

/** A gateway error: an HTTP error with its ErrorBody, or a transport failure (status 0). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly correlationId: string | undefined,
    readonly method?: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

/** Everything plan needs from the live org, read in a handful of calls. */
export interface LiveState {
  /** Every template, with `versions` and `traffic` expanded. */
  templates: WireTemplate[];
  filters: WireFilter[];
}
