// Schema-valid document data → the canonical model: defaults applied, text resolved, locations
// attached. Pure: the loader does the I/O and hands over what it found.
import type {
  Config,
  EnvironmentConfig,
  FieldLocations,
  FilterAction,
  FilterCategory,
  Guide,
  GuideVariable,
  JsonValue,
  Labels,
  PromptTemplate,
  PromptVersion,
  SafetyFilter,
  SourceLocation,
  SummarySetting,
  TextOrigin,
  TokenBudget,
  TrafficSplit,
  TrafficSplitOverride,
  Variable,
} from './types.js';
import { normalizeText } from './text.js';

export const DEFAULT_WARN_AT = 0.9;
export const DEFAULT_VARIABLE_TOKENS = 1000;
export const DEFAULT_GUIDE_PUBLISH = 'ProductionReady';

/** What the loader knows about one document besides its data. */
export interface DocumentFacts {
  source: SourceLocation;
  /**
   * A value, or (from the loader) an accessor that works the locations out when first read: a
   * clean run reads none (load/lazy-locations.ts). The models share it (`located`).
   */
  locations: FieldLocations;
  /** Resolved text per text field ("spec.systemInstruction", "spec.userTemplate"). */
  texts: Record<string, string>;
  textOrigins: Record<string, TextOrigin>;
  /** For `{file: ...}` text: the referenced file, relative to cwd. */
  textFiles: Record<string, string>;
  /** Where mapping keys are (PromptTest: a var's name; TrafficSplit: an override's environment; SafetyFilter: a threshold's category; a label's key), keyed like `locations`. */
  keyLocations?: FieldLocations;
  /** PromptTest: where a value an alias brings in is written (its anchor), keyed like `locations`, which has the alias. */
  anchoredLocations?: FieldLocations;
}

/** A model object before `located` gives it its locations. */
type Unlocated<T> = Omit<T, 'locations'>;

/**
 * `model` with the document's field locations as `facts` holds them, a value or the loader's
 * accessor, which is carried over unread (so the locations of every document are not worked out
 * here). Added as a new property, as the last key: redefining an existing one would turn the
 * model into a slow (dictionary) object.
 */
export function located<T extends { locations: FieldLocations }>(model: Unlocated<T>, facts: DocumentFacts): T {
  const held = Object.getOwnPropertyDescriptor(facts, 'locations')!;
  return Object.defineProperty(model, 'locations', { ...held, enumerable: true, configurable: true }) as T;
}

export type Obj = Record<string, unknown>;
export const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
export const labelsOf = (doc: Obj): Labels => ({ ...(obj(obj(doc.metadata).labels) as Labels) });

export function normalizeTemplate(doc: Obj, facts: DocumentFacts): PromptTemplate {
  const spec = obj(doc.spec);
  const t: Unlocated<PromptTemplate> = {
    kind: 'PromptTemplate',
    name: String(obj(doc.metadata).name),
    labels: labelsOf(doc),
    model: String(spec.model),
    source: facts.source,
  };
  if (typeof spec.description === 'string') t.description = spec.description;
  if (spec.budget !== undefined) t.budget = normalizeBudget(spec.budget);
  if (facts.keyLocations) t.keyLocations = facts.keyLocations;
  Object.assign(t, textFacts(facts));
  return located<PromptTemplate>(t, facts);
}

function normalizeBudget(raw: unknown): TokenBudget {
  const b = obj(raw);
  const budget: TokenBudget = { warnAt: typeof b.warnAt === 'number' ? b.warnAt : DEFAULT_WARN_AT };
  if (typeof b.maxPromptTokens === 'number') budget.maxPromptTokens = b.maxPromptTokens;
  return budget;
}

/** Text origins and files for the text fields a document has. */
export function textFacts(facts: DocumentFacts): { textOrigins?: Record<string, TextOrigin>; textFiles?: Record<string, string> } {
  const out: { textOrigins?: Record<string, TextOrigin>; textFiles?: Record<string, string> } = {};
  if (Object.keys(facts.textOrigins).length > 0) out.textOrigins = facts.textOrigins;
  if (Object.keys(facts.textFiles).length > 0) out.textFiles = facts.textFiles;
  return out;
}

const optionalString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A guide variable; a List's item variables (listVariables) are variables too. */
function normalizeGuideVariable(raw: unknown): GuideVariable {
  const x = obj(raw);
  const v: GuideVariable = { name: String(x.name), type: x.type as GuideVariable['type'], scope: x.scope as GuideVariable['scope'] };
  if (typeof x.description === 'string') v.description = x.description;
  // Opaque JSON objects (the SDK gives them no members): kept as written.
  if (x.validation !== undefined) v.validation = structuredClone(obj(x.validation)) as Record<string, JsonValue>;
  if (x.listValues !== undefined) v.listValues = structuredClone(obj(x.listValues)) as Record<string, JsonValue>;
  if (Array.isArray(x.listVariables)) v.listVariables = x.listVariables.map(normalizeGuideVariable);
  if (Array.isArray(x.customConversationAttributes)) {
    v.customConversationAttributes = x.customConversationAttributes.map((a) => {
      const schema = obj(obj(a).schema);
      return { attributeName: String(obj(a).attributeName), schema: { id: String(schema.id), ...(typeof schema.selfUri === 'string' ? { selfUri: schema.selfUri } : {}) } };
    });
  }
  return v;
}

export function normalizeGuide(doc: Obj, facts: DocumentFacts): Guide {
  const spec = obj(doc.spec);
  const g: Unlocated<Guide> = {
    kind: 'Guide',
    name: String(obj(doc.metadata).name),
    labels: labelsOf(doc),
    instruction: facts.texts['spec.instruction'] ?? '',
    variables: ((spec.variables as unknown[] | undefined) ?? []).map(normalizeGuideVariable),
    dataActions: ((spec.dataActions as unknown[] | undefined) ?? []).map((raw) => {
      const x = obj(raw);
      const a: Guide['dataActions'][number] = { id: String(x.id), label: String(x.label) };
      if (typeof x.description === 'string') a.description = x.description;
      return a;
    }),
    publish: (spec.publish as Guide['publish'] | undefined) ?? DEFAULT_GUIDE_PUBLISH,
    source: facts.source,
    ...textFacts(facts),
  };
  if (spec.knowledge !== undefined) {
    const k = obj(spec.knowledge);
    g.knowledge = { knowledgeId: String(k.knowledgeId) };
    if (typeof k.description === 'string') g.knowledge.description = k.description;
    if (typeof k.knowledgeType === 'string') g.knowledge.knowledgeType = k.knowledgeType as NonNullable<Guide['knowledge']>['knowledgeType'];
  }
  if (typeof spec.model === 'string') g.model = spec.model;
  if (spec.budget !== undefined) g.budget = normalizeBudget(spec.budget);
  return located<Guide>(g, facts);
}

export function normalizeSummarySetting(doc: Obj, facts: DocumentFacts): SummarySetting {
  const spec = obj(doc.spec);
  const s: Unlocated<SummarySetting> = {
    kind: 'SummarySetting',
    name: String(obj(doc.metadata).name),
    labels: labelsOf(doc),
    language: String(spec.language),
    source: facts.source,
    ...textFacts(facts),
  };
  const set = <K extends keyof Unlocated<SummarySetting>>(key: K, value: SummarySetting[K] | undefined) => {
    if (value !== undefined) s[key] = value;
  };
  set('interactionType', optionalString(spec.interactionType) as SummarySetting['interactionType']);
  set('summaryType', optionalString(spec.summaryType) as SummarySetting['summaryType']);
  set('format', optionalString(spec.format) as SummarySetting['format']);
  if (typeof spec.maskPII === 'boolean') s.maskPII = spec.maskPII;
  if (spec.participantLabels !== undefined) {
    const l = obj(spec.participantLabels);
    s.participantLabels = {};
    if (typeof l.internal === 'string') s.participantLabels.internal = l.internal;
    if (typeof l.external === 'string') s.participantLabels.external = l.external;
  }
  if (Array.isArray(spec.predefinedInsights)) s.predefinedInsights = spec.predefinedInsights.map(String) as SummarySetting['predefinedInsights'];
  if (Array.isArray(spec.customEntities)) {
    s.customEntities = spec.customEntities.map((raw) => ({ label: String(obj(raw).label), description: String(obj(raw).description) }));
  }
  if (facts.texts['spec.prompt'] !== undefined) s.prompt = facts.texts['spec.prompt'];
  set('serviceType', optionalString(spec.serviceType) as SummarySetting['serviceType']);
  set('integrationId', optionalString(spec.integrationId));
  if (typeof spec.timeoutDuration === 'number') s.timeoutDuration = spec.timeoutDuration;
  return located<SummarySetting>(s, facts);
}

export function normalizeVersion(doc: Obj, facts: DocumentFacts): PromptVersion {
  const spec = obj(doc.spec);
  const guard = obj(spec.safetyGuardrails);
  const v: Unlocated<PromptVersion> = {
    kind: 'PromptVersion',
    template: String(spec.template),
    version: String(spec.version),
    systemInstruction: facts.texts['spec.systemInstruction'] ?? '',
    userTemplate: facts.texts['spec.userTemplate'] ?? '',
    variables: ((spec.variables as unknown[] | undefined) ?? []).map((x) => normalizeVariable(obj(x))),
    fewShotExamples: ((spec.fewShotExamples as unknown[] | undefined) ?? []).map((x) => {
      const e = obj(x);
      return { input: normalizeText(String(e.input)), output: normalizeText(String(e.output)) };
    }),
    safetyGuardrails: {
      piiFilter: guard.piiFilter !== false,
      jailbreakDetection: guard.jailbreakDetection !== false,
      outputModeration: guard.outputModeration !== false,
    },
    labels: labelsOf(doc),
    source: facts.source,
    textOrigins: facts.textOrigins,
  };
  if (Object.keys(facts.textFiles).length > 0) v.textFiles = facts.textFiles;
  const name = obj(doc.metadata).name;
  if (typeof name === 'string') v.metadataName = name;
  if (typeof spec.model === 'string') v.model = spec.model;
  if (typeof spec.temperature === 'number') v.temperature = spec.temperature;
  if (typeof spec.maxTokens === 'number') v.maxTokens = spec.maxTokens;
  return located<PromptVersion>(v, facts);
}

function normalizeVariable(x: Obj): Variable {
  const v: Variable = {
    name: String(x.name),
    type: x.type as Variable['type'],
    required: x.required !== false,
  };
  if (typeof x.default === 'string' || typeof x.default === 'number' || typeof x.default === 'boolean') v.default = x.default;
  if (typeof x.maxLength === 'number') v.maxLength = x.maxLength;
  if (typeof x.maxTokens === 'number') v.maxTokens = x.maxTokens;
  if (Array.isArray(x.values)) v.values = x.values.map(String);
  if (typeof x.description === 'string') v.description = x.description;
  return v;
}

export function normalizeSplit(doc: Obj, facts: DocumentFacts): TrafficSplit {
  const spec = obj(doc.spec);
  const s: Unlocated<TrafficSplit> = {
    kind: 'TrafficSplit',
    template: String(spec.template),
    strategy: spec.strategy === 'sticky' ? 'sticky' : 'random',
    routes: ((spec.routes as unknown[] | undefined) ?? []).map((r) => ({
      version: String(obj(r).version),
      weight: Number(obj(r).weight),
    })),
    source: facts.source,
  };
  if (typeof spec.stickyKey === 'string') s.stickyKey = spec.stickyKey;
  // Neither is sent nor names the split; kept so validate can say so.
  const labels = labelsOf(doc);
  if (Object.keys(labels).length > 0) s.labels = labels;
  const name = obj(doc.metadata).name;
  if (typeof name === 'string') s.metadataName = name;
  if (spec.environments !== undefined) {
    if (facts.keyLocations) s.keyLocations = facts.keyLocations;
    s.overrides = {};
    for (const [name, raw] of Object.entries(obj(spec.environments))) {
      const o = obj(raw);
      const override: TrafficSplitOverride = {};
      if (o.strategy === 'random' || o.strategy === 'sticky') override.strategy = o.strategy;
      if (typeof o.stickyKey === 'string') override.stickyKey = o.stickyKey;
      if (Array.isArray(o.routes)) override.routes = o.routes.map((r) => ({ version: String(obj(r).version), weight: Number(obj(r).weight) }));
      s.overrides[name] = override;
    }
  }
  return located<TrafficSplit>(s, facts);
}

export function normalizeFilter(doc: Obj, facts: DocumentFacts): SafetyFilter {
  const spec = obj(doc.spec);
  const f: Unlocated<SafetyFilter> = {
    kind: 'SafetyFilter',
    name: String(obj(doc.metadata).name),
    labels: labelsOf(doc),
    enabled: spec.enabled !== false,
    priority: Number(spec.priority),
    categories: ((spec.categories as unknown[] | undefined) ?? []).map((c) => String(c) as FilterCategory),
    action: spec.action as FilterAction,
    thresholds: { ...(obj(spec.thresholds) as Partial<Record<FilterCategory, number>>) },
    falsePositiveTolerance: Number(spec.falsePositiveTolerance),
    source: facts.source,
    ...textFacts(facts),
  };
  if (typeof spec.description === 'string') f.description = spec.description;
  if (spec.appliesTo !== undefined) {
    const a = obj(spec.appliesTo);
    f.appliesTo = {};
    if (Array.isArray(a.templates)) f.appliesTo.templates = a.templates.map(String);
    if (a.labels !== undefined) f.appliesTo.labels = { ...(obj(a.labels) as Labels) };
  }
  if (facts.keyLocations) f.keyLocations = facts.keyLocations;
  return located<SafetyFilter>(f, facts);
}

export function defaultConfig(): Config {
  return { defaultVariableTokens: DEFAULT_VARIABLE_TOKENS, models: {}, prune: false, audit: { http: [] }, environments: {} };
}

export function normalizeConfig(doc: Obj, source: SourceLocation): Config {
  const spec = obj(doc.spec);
  const c = defaultConfig();
  c.source = source;
  if (typeof spec.defaultVariableTokens === 'number') c.defaultVariableTokens = spec.defaultVariableTokens;
  if (spec.models !== undefined) c.models = structuredClone(obj(spec.models)) as Config['models'];
  if (typeof spec.prune === 'boolean') c.prune = spec.prune;
  const audit = obj(spec.audit);
  if (typeof audit.file === 'string') c.audit.file = audit.file;
  if (Array.isArray(audit.http)) c.audit.http = structuredClone(audit.http) as Config['audit']['http'];
  for (const [name, raw] of Object.entries(obj(spec.environments))) {
    const e = obj(raw);
    const env: EnvironmentConfig = { credentials: String(e.credentials), protected: e.protected === true };
    for (const k of ['region', 'apiUrl', 'loginUrl'] as const) if (typeof e[k] === 'string') env[k] = e[k];
    if (typeof e.guidePublish === 'string') env.guidePublish = e.guidePublish as EnvironmentConfig['guidePublish'];
    c.environments[name] = env;
  }
  if (Array.isArray(spec.promotion)) c.promotion = spec.promotion.map(String);
  return c;
}

/**
 * `metadata.environments` of a document: the environments it belongs to, or undefined (all of
 * them). The loader sets it on every resource it normalises.
 */
export function documentEnvironments(doc: Obj): string[] | undefined {
  const list = obj(doc.metadata).environments;
  return Array.isArray(list) ? list.map(String) : undefined;
}
