// The gateway wire contract (DESIGN §3): paths, JSON shapes and the content hash.
// Shared by the client (src/genesys) and the emulator (src/emulator); nothing else is.
import { createHash } from 'node:crypto';

export const API_BASE = '/api/v2/llmgateway';
export const TOKEN_PATH = '/oauth/token';
export const ANALYTICS_PATH = '/api/v2/analytics/llmgateway/aggregates/query';

/** Every API path, in one place. Ids and labels are URI-encoded here. */
export const paths = {
  templates: () => `${API_BASE}/prompttemplates`,
  template: (id: string) => `${API_BASE}/prompttemplates/${enc(id)}`,
  versions: (id: string) => `${API_BASE}/prompttemplates/${enc(id)}/versions`,
  version: (id: string, label: string) => `${API_BASE}/prompttemplates/${enc(id)}/versions/${enc(label)}`,
  jobs: (id: string, label: string) => `${API_BASE}/prompttemplates/${enc(id)}/versions/${enc(label)}/jobs`,
  job: (id: string, label: string, jobId: string) =>
    `${API_BASE}/prompttemplates/${enc(id)}/versions/${enc(label)}/jobs/${enc(jobId)}`,
  traffic: (id: string) => `${API_BASE}/prompttemplates/${enc(id)}/traffic`,
  filters: () => `${API_BASE}/safetyfilters`,
  filter: (id: string) => `${API_BASE}/safetyfilters/${enc(id)}`,
  invocations: () => `${API_BASE}/invocations`,
  analytics: () => ANALYTICS_PATH,
  /** The selfUri of a user (createdBy/modifiedBy); not served by the gateway. */
  user: (id: string) => `/api/v2/users/${enc(id)}`,
} as const;

function enc(s: string): string {
  return encodeURIComponent(s);
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;
export const CORRELATION_HEADER = 'ININ-Correlation-Id';
export const RATELIMIT_HEADERS = {
  count: 'inin-ratelimit-count',
  allowed: 'inin-ratelimit-allowed',
  reset: 'inin-ratelimit-reset',
} as const;

export interface UserRef {
  id: string;
  selfUri?: string;
}

/** Fields every entity carries. */
export interface EntityBase {
  id: string;
  name: string;
  dateCreated: string; // ISO-8601 UTC
  dateModified: string;
  createdBy: UserRef;
  modifiedBy: UserRef;
  selfUri: string;
}

export interface EntityListing<T> {
  entities: T[];
  pageSize: number;
  pageNumber: number;
  total: number;
  pageCount: number;
  firstUri: string;
  lastUri: string;
  selfUri: string;
  nextUri?: string;
  previousUri?: string;
}

export interface ErrorBody {
  message: string;
  code: string; // dotted, e.g. "version.mismatch"
  status: number;
  messageWithParams?: string;
  messageParams?: Record<string, string>;
  contextId: string; // = correlation id
  details?: Array<{ errorCode?: string; fieldName?: string; entityId?: string; entityName?: string }>;
  errors?: ErrorBody[];
}

export interface OAuthTokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number; // seconds
}

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

/** The content of a version with defaults applied and absent optionals as null (one form for both sides). */
export function canonicalVersionFields(c: VersionContent) {
  const g = c.safetyGuardrails ?? {};
  return {
    systemInstruction: c.systemInstruction,
    userTemplate: c.userTemplate,
    variables: (c.variables ?? []).map((v) => ({
      name: v.name,
      type: v.type,
      required: v.required ?? true,
      default: v.default ?? null,
      maxLength: v.maxLength ?? null,
      maxTokens: v.maxTokens ?? null,
      values: v.values ? [...v.values] : null,
      description: v.description ?? null,
    })),
    fewShotExamples: (c.fewShotExamples ?? []).map((e) => ({ input: e.input, output: e.output })),
    model: c.model ?? null,
    temperature: c.temperature ?? null,
    maxTokens: c.maxTokens ?? null,
    safetyGuardrails: {
      piiFilter: g.piiFilter ?? true,
      jailbreakDetection: g.jailbreakDetection ?? true,
      outputModeration: g.outputModeration ?? true,
    },
  };
}

/**
 * The canonical content of a version: canonicalVersionFields with keys sorted.
 * Both sides hash this, so a version's identity never depends on formatting or key order.
 */
export function canonicalVersionContent(c: VersionContent): string {
  return stableStringify(canonicalVersionFields(c));
}

export function versionContentHash(c: VersionContent): string {
  return createHash('sha256').update(canonicalVersionContent(c)).digest('hex');
}

/**
 * The order of version labels: semver precedence (MAJOR.MINOR.PATCH, a pre-release before its
 * release, pre-release identifiers per semver §11). Listings return versions in this order;
 * labels that are not semver sort last, by text.
 */
export function compareVersionLabels(a: string, b: string): number {
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  if (!pa || !pb) return pa ? -1 : pb ? 1 : byCodeUnit(a, b);
  for (let i = 0; i < 3; i += 1) {
    const d = pa.core[i]! - pb.core[i]!;
    if (d !== 0) return d;
  }
  if (pa.pre === pb.pre) return 0;
  if (pa.pre === null) return 1;
  if (pb.pre === null) return -1;
  return comparePrerelease(pa.pre, pb.pre);
}

function parseSemver(s: string): { core: number[]; pre: string | null } | null {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(s);
  if (!m) return null;
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ?? null };
}

function comparePrerelease(a: string, b: string): number {
  const xs = a.split('.');
  const ys = b.split('.');
  for (let i = 0; i < Math.max(xs.length, ys.length); i += 1) {
    const x = xs[i];
    const y = ys[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny && Number(x) !== Number(y)) return Number(x) - Number(y);
    if (nx !== ny) return nx ? -1 : 1;
    if (x !== y) return byCodeUnit(x, y);
  }
  return 0;
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON with object keys sorted at every level; arrays keep their order. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as Record<string, unknown>).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}
