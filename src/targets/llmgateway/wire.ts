// The LLM Gateway wire contract (DESIGN §3): JSON shapes and the content hash. Shared by the
// client (targets/llmgateway) and the emulator, which shares nothing else with the client. The
// platform conventions (listings, ErrorBody, headers) are re-exported for the emulator, and so is
// the runtime's part of the contract (invocations and analytics), runtime-wire.ts.
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
export * from './runtime-wire.js';

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
