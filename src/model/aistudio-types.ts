// The desired-state model of the AI Studio resources (DESIGN §3b): Guides and summary settings.
// Enum spellings are the Genesys Platform API's (checked against the official SDKs' models).
// Plain data only, as types.ts (which exports these too).

import type { FieldLocations, JsonValue, Labels, SourceLocation, TextOrigin, TokenBudget } from './types.js';

export const GUIDE_VARIABLE_TYPES = ['String', 'Integer', 'Number', 'Boolean', 'Date', 'List'] as const;
export type GuideVariableType = (typeof GUIDE_VARIABLE_TYPES)[number];
export const GUIDE_VARIABLE_SCOPES = ['Input', 'Output', 'InputAndOutput', 'GuideOnly'] as const;
export type GuideVariableScope = (typeof GUIDE_VARIABLE_SCOPES)[number];
export const GUIDE_PUBLISH_STATES = ['ProductionReady', 'TestReady', 'Draft'] as const;
export type GuidePublishState = (typeof GUIDE_PUBLISH_STATES)[number];
export const GUIDE_KNOWLEDGE_TYPES = ['Standard', 'Enhanced'] as const;
export type GuideKnowledgeType = (typeof GUIDE_KNOWLEDGE_TYPES)[number];

export interface GuideVariable {
  name: string;
  type: GuideVariableType;
  scope: GuideVariableScope;
  description?: string;
  // The SDK types `validation` and `listValues` as bare objects (VariableValidation and ListValues
  // have no members), so promptctl holds them as opaque JSON objects: checked to be objects, kept,
  // sent and compared exactly as written.
  /** Validation configuration (SDK Variable.validation); no validation when absent. */
  validation?: { [key: string]: JsonValue };
  /** A List variable's values configuration (SDK Variable.listValues). */
  listValues?: { [key: string]: JsonValue };
  /** A List variable's item variables (SDK Variable.listVariables: variables themselves). */
  listVariables?: GuideVariable[];
  /** Conversation custom attributes the variable is bound to (SDK ConversationAttribute). */
  customConversationAttributes?: GuideConversationAttribute[];
}

/** SDK ConversationAttribute: an attribute of a conversation attribute schema. */
export interface GuideConversationAttribute {
  attributeName: string;
  /** SDK ConversationAttributeSchema: the schema's id (selfUri is the server's link to it). */
  schema: { id: string; selfUri?: string };
}

export interface GuideDataAction {
  id: string;
  label: string;
  description?: string;
}

export interface GuideKnowledge {
  knowledgeId: string;
  description?: string;
  knowledgeType?: GuideKnowledgeType;
}

/**
 * An AI Studio guide: the desired content of its production version. Identity is the Genesys
 * name as it is (free text). Version labels are Genesys's, never written in YAML.
 */
export interface Guide {
  kind: 'Guide';
  name: string;
  labels: Labels;
  /** Resolved text (inline, or the contents of `{file: ...}`), normalised to LF. */
  instruction: string;
  variables: GuideVariable[];
  dataActions: GuideDataAction[];
  knowledge?: GuideKnowledge;
  publish: GuidePublishState; // default ProductionReady
  /** For token counting only; without it, an approximate o200k_base count. */
  model?: string;
  budget?: TokenBudget;
  /** metadata.environments: the environments this document belongs to (absent: all). */
  environments?: string[];
  source: SourceLocation;
  locations: FieldLocations;
  /** Where the instruction starts ("spec.instruction"). Filled by the loader. */
  textOrigins?: Record<string, TextOrigin>;
  /** The `{file: ...}` path (relative to cwd) of the instruction, keyed "spec.instruction". */
  textFiles?: Record<string, string>;
}

export const SUMMARY_INTERACTION_TYPES = ['Live', 'Email'] as const;
export type SummaryInteractionType = (typeof SUMMARY_INTERACTION_TYPES)[number];
export const SUMMARY_TYPES = ['Concise', 'Detailed'] as const;
export type SummaryType = (typeof SUMMARY_TYPES)[number];
export const SUMMARY_FORMATS = ['TextBlock', 'BulletPoints', 'GroupedTextBlocks', 'GroupedBulletPoints'] as const;
export type SummaryFormat = (typeof SUMMARY_FORMATS)[number];
export const SUMMARY_INSIGHTS = ['ReasonForCall', 'Resolution', 'ActionItems'] as const;
export type SummaryInsight = (typeof SUMMARY_INSIGHTS)[number];
export const SUMMARY_SERVICE_TYPES = ['Native', 'External'] as const;
export type SummaryServiceType = (typeof SUMMARY_SERVICE_TYPES)[number];

export interface SummaryCustomEntity {
  label: string;
  description: string;
}

/**
 * A conversation summary setting. Identity is the Genesys name as it is. With a `prompt` it is
 * of setting type Prompt, else Basic. `maskPII` is the wire's `{all: boolean}`.
 */
export interface SummarySetting {
  kind: 'SummarySetting';
  name: string;
  labels: Labels;
  language: string; // BCP-47, e.g. en-US
  interactionType?: SummaryInteractionType;
  summaryType?: SummaryType;
  format?: SummaryFormat;
  maskPII?: boolean;
  participantLabels?: { internal?: string; external?: string };
  predefinedInsights?: SummaryInsight[];
  customEntities?: SummaryCustomEntity[];
  /** Resolved text, normalised to LF; present → setting type Prompt. */
  prompt?: string;
  serviceType?: SummaryServiceType;
  integrationId?: string;
  timeoutDuration?: number; // seconds
  /** metadata.environments: the environments this document belongs to (absent: all). */
  environments?: string[];
  source: SourceLocation;
  locations: FieldLocations;
  /** Where the prompt starts ("spec.prompt"). Filled by the loader. */
  textOrigins?: Record<string, TextOrigin>;
  /** The `{file: ...}` path (relative to cwd) of the prompt, keyed "spec.prompt". */
  textFiles?: Record<string, string>;
}
