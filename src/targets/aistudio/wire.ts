// The AI Studio wire contract (DESIGN §3b): the JSON shapes of guides, guide versions, their
// jobs, guide session turns and summary settings, with field names and enum values as the
// official SDK's typings have them (purecloud-platform-client-v2 `AIStudioApi`: Guide,
// GuideVersion, CreateGuideVersion, UpdateGuideVersion, Variable, GuideVersionPublishJob,
// GuideJob, GuideSessionTurnRequest/Response, SummarySetting). Shared by the client and the
// emulator, which shares nothing else with the client. What the SDK leaves undocumented is
// named in assumptions.ts.
export {
  CORRELATION_HEADER,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  RATELIMIT_HEADERS,
  TOKEN_PATH,
  type EntityListing,
  type ErrorBody,
  type UserRef,
} from '../../genesys/conventions.js';
import type { EntityListing, ErrorBody } from '../../genesys/conventions.js';

// ---- enums -------------------------------------------------------------------------------

export const GUIDE_STATUSES = ['Draft', 'Published'] as const;
export type GuideStatus = (typeof GUIDE_STATUSES)[number];

/**
 * How the guide's content was made (CreateGuide.source, Guide.source). The JS SDK's typings give
 * no enum; the Python SDK's models (create_guide.py, guide.py) list these four: a real org can
 * hold guides made from transcripts, so reading or serving them must not refuse the value.
 */
export const GUIDE_SOURCES = ['Manual', 'Prompt', 'Document', 'Transcripts'] as const;
export type GuideSource = (typeof GUIDE_SOURCES)[number];

export const GUIDE_VERSION_STATES = ['Draft', 'TestReady', 'ProductionReady'] as const;
export type GuideVersionState = (typeof GUIDE_VERSION_STATES)[number];

/** The states a publish job can take a version to (GuideVersionPublish.state). */
export const GUIDE_PUBLISH_STATES = ['TestReady', 'ProductionReady'] as const;
export type GuidePublishState = (typeof GUIDE_PUBLISH_STATES)[number];

/** GuideJob and GuideVersionPublishJob status. */
export const GUIDE_JOB_STATUSES = ['InProgress', 'Succeeded', 'Failed'] as const;
export type GuideJobStatus = (typeof GUIDE_JOB_STATUSES)[number];

export const VARIABLE_TYPES = ['String', 'Integer', 'Number', 'Boolean', 'Date', 'List'] as const;
export type GuideVariableType = (typeof VARIABLE_TYPES)[number];

export const VARIABLE_SCOPES = ['Input', 'Output', 'InputAndOutput', 'GuideOnly'] as const;
export type GuideVariableScope = (typeof VARIABLE_SCOPES)[number];

export const KNOWLEDGE_TYPES = ['Standard', 'Enhanced'] as const;
export type KnowledgeType = (typeof KNOWLEDGE_TYPES)[number];

/** GET /guides sorting (sortBy default dateModified, sortOrder default desc). */
export const GUIDE_SORT_FIELDS = ['dateModified', 'name', 'status'] as const;
export const SUMMARY_SORT_FIELDS = ['dateModified', 'name'] as const;
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

// ---- guides ------------------------------------------------------------------------------

export interface AddressableEntityRef {
  id: string;
  selfUri?: string;
}

export interface GuideVersionRef {
  version: string;
  selfUri?: string;
}

/** A guide as GET /guides/{id} returns it. Its status is Published once a version is ProductionReady. */
export interface WireGuide {
  id: string;
  name: string;
  status: GuideStatus;
  source: GuideSource;
  dateCreated: string;
  dateModified: string;
  /** The newest version, whatever its state (absent while the guide has none). */
  latestSavedVersion?: GuideVersionRef;
  /** The newest ProductionReady version (absent until one is published). */
  latestProductionReadyVersion?: GuideVersionRef;
  selfUri: string;
}

export type GuideEntityListing = EntityListing<WireGuide>;

/** POST /guides (CreateGuide). */
export interface GuideCreate {
  name: string;
  source: GuideSource;
}

/** PATCH /guides/{id} (UpdateGuide). */
export interface GuideUpdate {
  name?: string;
}

/** Binds a variable to Conversation Custom Attributes (ConversationAttribute). */
export interface GuideConversationAttribute {
  schema: { id: string; selfUri?: string; [k: string]: unknown };
  attributeName: string;
}

/** A guide variable (Variable). */
export interface GuideVariable {
  name: string;
  type: GuideVariableType;
  scope: GuideVariableScope;
  description?: string;
  /** Validation configuration; no validation when absent. */
  validation?: Record<string, unknown>;
  /** Values configuration for List variables. */
  listValues?: Record<string, unknown>;
  /** Where a List variable's result is stored. */
  listVariables?: GuideVariable[];
  customConversationAttributes?: GuideConversationAttribute[];
}

/** A Genesys data action the guide may call (DataAction). */
export interface GuideDataAction {
  id: string;
  label: string;
  description?: string;
  selfUri?: string;
}

export interface GuideVersionResources {
  dataActions?: GuideDataAction[];
}

/** AuthoringKnowledgeSettings. */
export interface GuideKnowledgeSettings {
  knowledgeId?: string;
  description?: string;
  knowledgeType?: KnowledgeType;
  inheritFromExternal?: boolean;
}

/** The content of a guide version: POST /guides/{id}/versions (CreateGuideVersion). */
export interface GuideVersionContent {
  instruction: string;
  variables?: GuideVariable[];
  resources?: GuideVersionResources;
  knowledgeSettings?: GuideKnowledgeSettings;
}

/**
 * PATCH /guides/{id}/versions/{version} (UpdateGuideVersion): the fields it names are replaced; a
 * knowledge setting named with null is cleared (assumed: the SDK's model has no word on null).
 */
export type GuideVersionPatch = Partial<Omit<GuideVersionContent, 'knowledgeSettings'>> & { knowledgeSettings?: GuideKnowledgeSettings | null };

/** A guide version as the server returns it; identified by its label within the guide. */
export interface WireGuideVersion {
  selfUri: string;
  guide: AddressableEntityRef;
  /** "1.0", "2.0", ... assigned by Genesys. */
  version: string;
  instruction: string;
  state: GuideVersionState;
  dateCreated: string;
  dateModified: string;
  variables?: GuideVariable[];
  resources?: GuideVersionResources;
  knowledgeSettings?: GuideKnowledgeSettings;
}

/** POST /guides/{id}/versions/{version}/jobs (GuideVersionPublishJobRequest). */
export interface GuideVersionPublishJobRequest {
  guideVersion: { state: GuidePublishState };
}

/** GuideVersionPublishJob. The POST that starts one may answer 202 with no body at all. */
export interface WireGuideVersionPublishJob {
  id: string;
  status: GuideJobStatus;
  errors?: ErrorBody[];
  guide?: AddressableEntityRef;
  guideVersion?: WireGuideVersion;
  selfUri?: string;
}

/** GuideJob: deleting a guide (DELETE /guides/{id}/jobs, GET /guides/{id}/jobs/{jobId}). */
export interface WireGuideJob {
  id: string;
  status: GuideJobStatus;
  errors?: ErrorBody[];
  guide?: AddressableEntityRef;
  selfUri?: string;
}

// ---- guide sessions ----------------------------------------------------------------------

export const SESSION_INPUT_TYPES = ['UserInput', 'ReturnControl', 'NoOp'] as const;
export type GuideSessionInputType = (typeof SESSION_INPUT_TYPES)[number];
export const SESSION_INPUT_MODES = ['Text'] as const;
export type GuideSessionInputMode = (typeof SESSION_INPUT_MODES)[number];

export const SESSION_TURN_STATUSES = ['IN_PROGRESS', 'COMPLETED', 'ERROR'] as const;
export type GuideSessionTurnStatus = (typeof SESSION_TURN_STATUSES)[number];
export const SESSION_TURN_RESULTS = [
  'SUCCESSFUL_COLLECTION',
  'CONFIRMATION_REQUIRED',
  'ESCALATION_TRIGGERED',
  'CLIENT_ACTION_REQUIRED',
  'NO_MATCH',
] as const;
export type GuideSessionTurnResult = (typeof SESSION_TURN_RESULTS)[number];

/** The output of a client-side action the guide asked for (GuideSessionTurnInvocationData). */
export interface GuideSessionInvocationData {
  group: string;
  actionName: string;
  output: string;
}

export interface GuideSessionInputEvent {
  type: GuideSessionInputType;
  text?: string;
  mode: GuideSessionInputMode;
  invocationId?: string;
  invocations?: GuideSessionInvocationData[];
}

export interface GuideSessionVariable {
  name?: string;
  value?: string;
}

/** POST /guides/{id}/sessions/{sessionId}/turns (GuideSessionTurnRequest). */
export interface GuideSessionTurnRequest {
  inputEvent: GuideSessionInputEvent;
  /** e.g. en-US. */
  languageCode: string;
  /** The guide version to run ("1.0"). */
  version: string;
  inputVariables?: GuideSessionVariable[];
  knowledgeSettings?: { knowledgeId?: string; description?: string; knowledgeType?: KnowledgeType };
}

/** A client-side action the guide asks for (GuideSessionTurnInvocationResponse). */
export interface GuideSessionInvocation {
  id?: string;
  group: string;
  actionName: string;
  parameters?: Array<{ name?: string; type?: string; value?: string }>;
}

/** GuideSessionTurnResponse. */
export interface GuideSessionTurnResponse {
  response?: { text?: string };
  status?: GuideSessionTurnStatus;
  result?: GuideSessionTurnResult;
  outputVariables?: GuideSessionVariable[];
  invocationId?: string;
  invocations?: GuideSessionInvocation[];
}

// ---- summary settings --------------------------------------------------------------------

export const SUMMARY_INTERACTION_TYPES = ['Live', 'Email'] as const;
export type SummaryInteractionType = (typeof SUMMARY_INTERACTION_TYPES)[number];
export const SUMMARY_TYPES = ['Concise', 'Detailed'] as const;
export type SummaryType = (typeof SUMMARY_TYPES)[number];
export const SUMMARY_FORMATS = ['TextBlock', 'BulletPoints', 'GroupedTextBlocks', 'GroupedBulletPoints'] as const;
export type SummaryFormat = (typeof SUMMARY_FORMATS)[number];
export const SUMMARY_INSIGHTS = ['ReasonForCall', 'Resolution', 'ActionItems'] as const;
export type SummaryInsight = (typeof SUMMARY_INSIGHTS)[number];
export const SUMMARY_SETTING_TYPES = ['Basic', 'Prompt'] as const;
export type SummarySettingType = (typeof SUMMARY_SETTING_TYPES)[number];
export const SUMMARY_SERVICE_TYPES = ['Native', 'External'] as const;
export type SummaryServiceType = (typeof SUMMARY_SERVICE_TYPES)[number];

/** SummarySettingPII: whether PII is masked in the generated summary. */
export interface SummarySettingPII {
  all: boolean;
}

export interface SummarySettingParticipantLabels {
  internal?: string;
  external?: string;
}

export interface SummarySettingCustomEntity {
  label?: string;
  description?: string;
}

/**
 * The body of POST /conversations/summaries/settings and of PUT .../{id} (which replaces the
 * whole setting: what is left out is cleared). There is no integer `version`.
 */
export interface SummarySettingBody {
  name: string;
  /** BCP-47, e.g. en-US. */
  language: string;
  /** The interaction type the setting is for (read-only in some SDKs; see assumptions.ts). */
  interactionType?: SummaryInteractionType;
  summaryType?: SummaryType;
  format?: SummaryFormat;
  maskPII?: SummarySettingPII;
  participantLabels?: SummarySettingParticipantLabels;
  predefinedInsights?: SummaryInsight[];
  customEntities?: SummarySettingCustomEntity[];
  /** Prompt when a custom `prompt` drives the summary. */
  settingType?: SummarySettingType;
  prompt?: string;
  /** External needs integrationId. */
  serviceType?: SummaryServiceType;
  integrationId?: string;
  /** Seconds, for the external summarization service. */
  timeoutDuration?: number;
}

export interface WireSummarySetting extends SummarySettingBody {
  id: string;
  dateCreated: string;
  dateModified: string;
  selfUri: string;
}

export type SummarySettingEntityListing = EntityListing<WireSummarySetting>;

// ---- messages the platform is known to answer with -------------------------------------

/**
 * The refusal of POST /guides/{id}/versions while the latest version is not ProductionReady,
 * word for word as the Genesys Terraform provider matches it (its status code is not documented).
 */
export const LATEST_NOT_PRODUCTION_READY = 'Latest version is not in Production Ready state';

/**
 * Genesys's refusal to publish a version whose instruction calls a data action it does not declare
 * (`{{Action.<label>}}` with no resources.dataActions entry of that label), word for word as the
 * Genesys Terraform provider's guide_version test expects it. Where it comes (the POST of the
 * publish job, or the job's errors) is not documented: the emulator refuses the POST (E14).
 */
export const INVALID_DATA_ACTIONS = 'There are invalid data actions in the version';

/**
 * The code that refusal carries in promptctl: the emulator answers with it, and the client
 * reports the refusal with it whatever code the real platform used (assumptions.ts A3, E2).
 */
export const LATEST_NOT_PRODUCTION_READY_CODE = 'latest.version.not.production.ready';
