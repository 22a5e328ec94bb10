// Schema-valid document data → the canonical model: defaults applied, text resolved, locations
// attached. Pure: the loader does the I/O and hands over what it found.
import type {
  Config,
  FieldLocations,
  FilterAction,
  FilterCategory,
  Labels,
  PromptTemplate,
  PromptVersion,
  SafetyFilter,
  SourceLocation,
  TextOrigin,
  TrafficSplit,
  Variable,
} from './types.js';

export const DEFAULT_WARN_AT = 0.9;
export const DEFAULT_VARIABLE_TOKENS = 1000;

/** What the loader knows about one document besides its data. */
export interface DocumentFacts {
  source: SourceLocation;
  locations: FieldLocations;
  /** Resolved text per text field ("spec.systemInstruction", "spec.userTemplate"). */
  texts: Record<string, string>;
  textOrigins: Record<string, TextOrigin>;
  /** For `{file: ...}` text: the referenced file, relative to cwd. */
  textFiles: Record<string, string>;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const labelsOf = (doc: Obj): Labels => ({ ...(obj(obj(doc.metadata).labels) as Labels) });

export function normalizeTemplate(doc: Obj, facts: DocumentFacts): PromptTemplate {
  const spec = obj(doc.spec);
  const t: PromptTemplate = {
    kind: 'PromptTemplate',
    name: String(obj(doc.metadata).name),
    labels: labelsOf(doc),
    model: String(spec.model),
    source: facts.source,
    locations: facts.locations,
  };
  if (typeof spec.description === 'string') t.description = spec.description;
  if (spec.budget !== undefined) {
    const b = obj(spec.budget);
    t.budget = { warnAt: typeof b.warnAt === 'number' ? b.warnAt : DEFAULT_WARN_AT };
    if (typeof b.maxPromptTokens === 'number') t.budget.maxPromptTokens = b.maxPromptTokens;
  }
  return t;
}

export function normalizeVersion(doc: Obj, facts: DocumentFacts): PromptVersion {
  const spec = obj(doc.spec);
  const guard = obj(spec.safetyGuardrails);
  const v: PromptVersion = {
    kind: 'PromptVersion',
    template: String(spec.template),
    version: String(spec.version),
    systemInstruction: facts.texts['spec.systemInstruction'] ?? '',
    userTemplate: facts.texts['spec.userTemplate'] ?? '',
    variables: ((spec.variables as unknown[] | undefined) ?? []).map((x) => normalizeVariable(obj(x))),
    fewShotExamples: ((spec.fewShotExamples as unknown[] | undefined) ?? []).map((x) => {
      const e = obj(x);
      return { input: String(e.input), output: String(e.output) };
    }),
    safetyGuardrails: {
      piiFilter: guard.piiFilter !== false,
      jailbreakDetection: guard.jailbreakDetection !== false,
      outputModeration: guard.outputModeration !== false,
    },
    labels: labelsOf(doc),
    source: facts.source,
    locations: facts.locations,
    textOrigins: facts.textOrigins,
  };
  if (Object.keys(facts.textFiles).length > 0) v.textFiles = facts.textFiles;
  if (typeof spec.model === 'string') v.model = spec.model;
  if (typeof spec.temperature === 'number') v.temperature = spec.temperature;
  if (typeof spec.maxTokens === 'number') v.maxTokens = spec.maxTokens;
  return v;
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
  const s: TrafficSplit = {
    kind: 'TrafficSplit',
    template: String(spec.template),
    strategy: spec.strategy === 'sticky' ? 'sticky' : 'random',
    routes: ((spec.routes as unknown[] | undefined) ?? []).map((r) => ({
      version: String(obj(r).version),
      weight: Number(obj(r).weight),
    })),
    source: facts.source,
    locations: facts.locations,
  };
  if (typeof spec.stickyKey === 'string') s.stickyKey = spec.stickyKey;
  return s;
}

export function normalizeFilter(doc: Obj, facts: DocumentFacts): SafetyFilter {
  const spec = obj(doc.spec);
  const f: SafetyFilter = {
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
    locations: facts.locations,
  };
  if (typeof spec.description === 'string') f.description = spec.description;
  if (spec.appliesTo !== undefined) {
    const a = obj(spec.appliesTo);
    f.appliesTo = {};
    if (Array.isArray(a.templates)) f.appliesTo.templates = a.templates.map(String);
    if (a.labels !== undefined) f.appliesTo.labels = { ...(obj(a.labels) as Labels) };
  }
  return f;
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
  if (spec.environments !== undefined) c.environments = structuredClone(obj(spec.environments));
  return c;
}
