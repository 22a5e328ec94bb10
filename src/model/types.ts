// The desired-state model: what the YAML files say, in one canonical form.
// Produced by src/config (loading) and consumed by rules, tokens and plan.
// Plain data only; no I/O and no behaviour here.

export const API_VERSION = 'promptctl/v1';
export const RESOURCE_KINDS = ['PromptTemplate', 'PromptVersion', 'TrafficSplit', 'SafetyFilter'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
export type DocumentKind = ResourceKind | 'Config';

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
  budget?: { maxPromptTokens?: number; warnAt: number };
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
  source: SourceLocation;
  locations: FieldLocations;
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
  source: SourceLocation;
  locations: FieldLocations;
}

export interface ModelOverride {
  encoding: 'o200k_base' | 'cl100k_base';
  contextWindow: number;
  maxOutputTokens?: number;
  inputCostPer1M?: number;
  outputCostPer1M?: number;
}

export interface HttpAuditSink {
  url: string;
  /** Name of the environment variable holding the HMAC key (never the key itself). */
  secretEnv?: string;
}

export interface Config {
  defaultVariableTokens: number; // default 1000
  models: Record<string, ModelOverride>;
  prune: boolean; // default false
  audit: { file?: string; http: HttpAuditSink[] };
  environments: Record<string, unknown>;
  source?: SourceLocation;
}

export type Resource = PromptTemplate | PromptVersion | TrafficSplit | SafetyFilter;

export interface DesiredState {
  templates: PromptTemplate[];
  versions: PromptVersion[];
  splits: TrafficSplit[];
  filters: SafetyFilter[];
  config: Config;
  /** Every file that was read, relative to cwd, sorted. */
  files: string[];
}

export const MANAGED_BY_LABEL = 'managed-by';
export const MANAGED_BY_VALUE = 'promptctl';
/** Labels promptctl owns on live objects; never diffed against the YAML. */
export const PROMPTCTL_LABEL_PREFIX = 'promptctl.dev/';

export function addressOf(r: Resource): string {
  switch (r.kind) {
    case 'PromptTemplate':
      return `PromptTemplate/${r.name}`;
    case 'PromptVersion':
      return `PromptVersion/${r.template}@${r.version}`;
    case 'TrafficSplit':
      return `TrafficSplit/${r.template}`;
    case 'SafetyFilter':
      return `SafetyFilter/${r.name}`;
  }
}
