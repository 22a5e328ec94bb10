// The desired-state model: what the YAML files say, in one canonical form.
// Produced by src/config (loading) and consumed by rules, tokens and plan.
// Plain data only; no I/O and no behaviour here.

import { filterAddress, guideAddress, splitAddress, summarySettingAddress, templateAddress, testAddress, versionAddress } from './address.js';
import type { Guide, GuidePublishState, SummarySetting } from './aistudio-types.js';
import type { PromptTest } from './test-types.js';

export const API_VERSION = 'promptctl/v1';

/** Where a document (or a node inside it) sits in the source tree. Paths are relative to cwd. */
export interface SourceLocation {
  file: string;
  line: number; // 1-based
  column: number; // 1-based
}

/**
 * Locations of the fields inside one document, keyed by dotted path from the document root,
 * e.g. "spec.maxTokens", "spec.variables.0.name", "spec.userTemplate". Filled by the loader so
 * that rules and budgets can point at the exact node without any I/O.
 */
export type FieldLocations = Record<string, SourceLocation>;

export type Labels = Record<string, string>;

/** A JSON value as YAML gives it (a guide variable's validation, an assertion's value). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Where a piece of prompt text starts in its source (a YAML scalar or a `{file: ...}` file), so
 * that a finding at an offset inside the text can point at its exact line. Use
 * `locateInText`/`textLocator` in src/model/text-origin.ts rather than reading this by hand.
 */
export interface TextOrigin {
  file: string; // relative to cwd: the YAML file, or the referenced file for `{file: ...}`
  line: number; // 1-based line of the text's first character
  column: number; // 1-based column of the text's first character
  /**
   * True when text line k (0-based) sits on source line `line + k`, character c of it at column
   * `column + c` on the first line and `indentColumn + c` after (literal block scalars, files,
   * single-line scalars without escapes). False for folded or escaped text: only the start is known.
   */
  exact: boolean;
  indentColumn: number;
  /**
   * For inexact text (folded block scalars, multi-line plain or quoted scalars): where text
   * offsets resume on each source line, ascending by offset. Text from `offset` on sits at
   * `line`, `column + (o - offset)` until the next anchor. Optional: without it only the start
   * is known.
   */
  anchors?: readonly TextAnchor[];
}

/** A point where resolved text and its source line up again (see TextOrigin.anchors). */
export interface TextAnchor {
  offset: number;
  line: number;
  column: number;
}

export interface PromptTemplate {
  kind: 'PromptTemplate';
  name: string;
  labels: Labels;
  description?: string;
  model: string;
  budget?: TokenBudget;
  /** metadata.environments: the environments this document belongs to (absent: all). */
  environments?: string[];
  /** Where the keys under metadata.labels are (a label is named by its key), keyed like `locations`; from the loader. */
  keyLocations?: FieldLocations;
  /** Where the description and label values start, to place a finding inside one (load/texts.ts locateOtherTexts). */
  textOrigins?: Record<string, TextOrigin>;
  source: SourceLocation;
  locations: FieldLocations;
}

export type VariableType = 'string' | 'number' | 'boolean' | 'enum';

export interface Variable {
  name: string;
  type: VariableType;
  required: boolean; // default true
  default?: string | number | boolean;
  maxLength?: number;
  maxTokens?: number; // token bound on the value, preferred by the worst-case count
  values?: string[];
  description?: string;
}

export interface FewShotExample {
  input: string;
  output: string;
}

export interface SafetyGuardrails {
  piiFilter: boolean; // default true
  jailbreakDetection: boolean; // default true
  outputModeration: boolean; // default true
}

export interface PromptVersion {
  kind: 'PromptVersion';
  template: string;
  version: string; // semver label, e.g. "1.2.0"
  /** Resolved text: an inline string, or the contents of `{file: ...}`. */
  systemInstruction: string;
  userTemplate: string;
  variables: Variable[];
  fewShotExamples: FewShotExample[];
  model?: string; // overrides the template's
  temperature?: number;
  maxTokens?: number;
  safetyGuardrails: SafetyGuardrails;
  labels: Labels;
  /**
   * metadata.name as written, when it is: a version is addressed by spec.template and spec.version
   * (DESIGN §2), so nothing uses it; kept only so validate can say so (rules/names.ts).
   */
  metadataName?: string;
  /** metadata.environments: the environments this document belongs to (absent: all). */
  environments?: string[];
  source: SourceLocation;
  locations: FieldLocations;
  /**
   * Where each text field starts, keyed like `locations` ("spec.systemInstruction",
   * "spec.userTemplate", "spec.fewShotExamples.0.input", …). Filled by the loader.
   */
  textOrigins?: Record<string, TextOrigin>;
  /** The `{file: ...}` path (relative to cwd) a text field was read from, keyed like `locations`. */
  textFiles?: Record<string, string>;
}

export interface TrafficRoute {
  version: string;
  weight: number;
}

export interface TrafficSplit {
  kind: 'TrafficSplit';
  template: string;
  strategy: 'random' | 'sticky';
  stickyKey?: string;
  routes: TrafficRoute[];
  /**
   * Per-environment replacements (`spec.environments.<name>`), resolved by environmentState
   * (model/environments.ts): in that environment the split is these fields over the ones above.
   */
  overrides?: Record<string, TrafficSplitOverride>;
  /**
   * metadata.labels as written, when there are any. Never sent: the gateway's split carries no
   * labels (DESIGN §3); kept only so validate can say so (rules/labels.ts).
   */
  labels?: Labels;
  /** metadata.name as written, when it is: a split is addressed by spec.template; see PromptVersion's. */
  metadataName?: string;
  /** metadata.environments: the environments this document belongs to (absent: all). */
  environments?: string[];
  /**
   * Where the keys under spec.environments are (an override is named by its key, whose value
   * starts on the next line in block style), keyed like `locations`; from the loader.
   */
  keyLocations?: FieldLocations;
  source: SourceLocation;
  locations: FieldLocations;
}

/** What `spec.environments.<name>` of a TrafficSplit replaces in that environment. */
export interface TrafficSplitOverride {
  strategy?: 'random' | 'sticky';
  stickyKey?: string;
  routes?: TrafficRoute[];
}

export const FILTER_CATEGORIES = ['hate_speech', 'violence', 'self_harm', 'sexual', 'political', 'pii', 'phishing'] as const;
export type FilterCategory = (typeof FILTER_CATEGORIES)[number];
export const FILTER_ACTIONS = ['block_and_log', 'redact_and_log', 'flag_and_pass'] as const;
export type FilterAction = (typeof FILTER_ACTIONS)[number];
export const MAX_ENABLED_FILTERS = 50;

export interface SafetyFilter {
  kind: 'SafetyFilter';
  name: string;
  labels: Labels;
  description?: string;
  enabled: boolean; // default true
  priority: number;
  categories: FilterCategory[];
  action: FilterAction;
  thresholds: Partial<Record<FilterCategory, number>>;
  falsePositiveTolerance: number;
  appliesTo?: { templates?: string[]; labels?: Labels };
  /** metadata.environments: the environments this document belongs to (absent: all). */
  environments?: string[];
  /**
   * Where the keys under spec.thresholds and metadata.labels are (a threshold is named by its
   * category, a label by its key), keyed like `locations`; from the loader.
   */
  keyLocations?: FieldLocations;
  /** Where the description and label values start, to place a finding inside one (load/texts.ts locateOtherTexts). */
  textOrigins?: Record<string, TextOrigin>;
  source: SourceLocation;
  locations: FieldLocations;
}

export interface ModelOverride {
  encoding: 'o200k_base' | 'cl100k_base';
  contextWindow: number;
  maxOutputTokens?: number;
  inputCostPer1M?: number;
  outputCostPer1M?: number;
  /**
   * Whether `encoding` only approximates the model's own tokenizer. Absent: as the built-in
   * registry decides it, by the id (Claude, Gemini, Llama are approximate).
   */
  approximate?: boolean;
}

export interface HttpAuditSink {
  url: string;
  /** Name of the environment variable holding the HMAC key (never the key itself). */
  secretEnv?: string;
}

/** One org of Config.spec.environments (DESIGN §6). */
export interface EnvironmentConfig {
  /** Prefix of the variables holding its credentials: <prefix>_OAUTHCLIENT_ID, _SECRET, _REGION, _API_URL, _LOGIN_URL. */
  credentials: string;
  region?: string;
  apiUrl?: string;
  loginUrl?: string;
  /** The state guides reach here when their document does not set `publish`. */
  guidePublish?: GuidePublishState;
  /** apply only a saved plan file; a version the previous environment has not published is an error. */
  protected: boolean; // default false
}

export interface Config {
  defaultVariableTokens: number; // default 1000
  models: Record<string, ModelOverride>;
  prune: boolean; // default false
  audit: { file?: string; http: HttpAuditSink[] };
  /** By name, in the file's order (DESIGN §6). Empty: no environments, everything as before. */
  environments: Record<string, EnvironmentConfig>;
  /** The order changes travel (dev → staging → prod); absent: none. */
  promotion?: string[];
  source?: SourceLocation;
  /** Where the Config's fields are ("spec.promotion.0"), when it was loaded from a file. */
  locations?: FieldLocations;
}

/** A token budget (PromptTemplate, Guide): worst-case prompt tokens allowed, and when to warn. */
export interface TokenBudget {
  maxPromptTokens?: number;
  warnAt: number; // default 0.9
}

// The AI Studio resources and PromptTest, each in its own file; one import for the whole model.
export * from './aistudio-types.js';
export * from './test-types.js';

/** The LLM Gateway resources. */
export type Resource = PromptTemplate | PromptVersion | TrafficSplit | SafetyFilter;
/** The AI Studio resources. */
export type AiStudioResource = Guide | SummarySetting;
/** Everything plan and apply manage. */
export type AnyResource = Resource | AiStudioResource;
/** Everything with an address. */
export type Addressable = AnyResource | PromptTest;

export interface DesiredState {
  templates: PromptTemplate[];
  versions: PromptVersion[];
  splits: TrafficSplit[];
  filters: SafetyFilter[];
  guides: Guide[];
  summarySettings: SummarySetting[];
  /** Never applied: `promptctl test` runs them. */
  tests: PromptTest[];
  config: Config;
  /** Every file that was read, relative to cwd, sorted. */
  files: string[];
}

export const MANAGED_BY_LABEL = 'managed-by';
export const MANAGED_BY_VALUE = 'promptctl';
/** Labels promptctl owns on live objects; never diffed against the YAML. */
export const PROMPTCTL_LABEL_PREFIX = 'promptctl.dev/';

export function addressOf(r: Addressable): string {
  switch (r.kind) {
    case 'PromptTemplate':
      return templateAddress(r.name);
    case 'PromptVersion':
      return versionAddress(r.template, r.version);
    case 'TrafficSplit':
      return splitAddress(r.template);
    case 'SafetyFilter':
      return filterAddress(r.name);
    case 'Guide':
      return guideAddress(r.name);
    case 'SummarySetting':
      return summarySettingAddress(r.name);
    case 'PromptTest':
      return testAddress(r.name);
  }
}
