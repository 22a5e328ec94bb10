// Desired model ⇄ wire bodies. Forward: what apply sends (labels include promptctl's own).
// Inverse: live entities as model resources, for token counts of live content and for export.
import type {
  FilterCreate,
  TemplateCreate,
  TrafficPut,
  VersionContent,
  VersionCreate,
  WireLabels,
  WireTemplate,
  WireVariable,
} from '../genesys/wire.js';
import {
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  PROMPTCTL_LABEL_PREFIX,
  type FilterAction,
  type FilterCategory,
  type PromptTemplate,
  type PromptVersion,
  type SafetyFilter,
  type SourceLocation,
  type TrafficSplit,
  type Variable,
} from '../model/types.js';
import { userLabels } from './normalize.js';

export const COMMIT_LABEL = `${PROMPTCTL_LABEL_PREFIX}commit`;

export interface LabelOptions {
  /** Source commit, recorded as `promptctl.dev/commit`. */
  commit?: string;
  /** Labels of the live object being updated: its `promptctl.dev/*` labels are kept unless replaced. */
  liveLabels?: WireLabels;
}

/** The user's labels plus promptctl's: `managed-by: promptctl` and, when known, the source commit. */
export function labelsFor(desired: WireLabels, opts: LabelOptions): WireLabels {
  const out: WireLabels = { ...userLabels(desired) };
  for (const [k, v] of Object.entries(opts.liveLabels ?? {})) {
    if (k.startsWith(PROMPTCTL_LABEL_PREFIX)) out[k] = v;
  }
  out[MANAGED_BY_LABEL] = MANAGED_BY_VALUE;
  if (opts.commit) out[COMMIT_LABEL] = opts.commit;
  return out;
}

export function templateBody(t: PromptTemplate, opts: LabelOptions = {}): TemplateCreate {
  const body: TemplateCreate = { name: t.name, model: t.model, labels: labelsFor(t.labels, opts) };
  if (t.description !== undefined) body.description = t.description;
  return body;
}

function variableBody(v: Variable): WireVariable {
  const w: WireVariable = { name: v.name, type: v.type, required: v.required };
  if (v.default !== undefined) w.default = v.default;
  if (v.maxLength !== undefined) w.maxLength = v.maxLength;
  if (v.maxTokens !== undefined) w.maxTokens = v.maxTokens;
  if (v.values !== undefined) w.values = [...v.values];
  if (v.description !== undefined) w.description = v.description;
  return w;
}

export function versionBody(v: PromptVersion): VersionCreate {
  const body: VersionCreate = {
    version: v.version,
    systemInstruction: v.systemInstruction,
    userTemplate: v.userTemplate,
    variables: v.variables.map(variableBody),
    fewShotExamples: v.fewShotExamples.map((e) => ({ input: e.input, output: e.output })),
    safetyGuardrails: { ...v.safetyGuardrails },
  };
  if (v.model !== undefined) body.model = v.model;
  if (v.temperature !== undefined) body.temperature = v.temperature;
  if (v.maxTokens !== undefined) body.maxTokens = v.maxTokens;
  return body;
}

export function trafficBody(s: TrafficSplit): Omit<TrafficPut, 'version'> {
  const body: Omit<TrafficPut, 'version'> = {
    strategy: s.strategy,
    routes: s.routes.map((r) => ({ version: r.version, weight: r.weight })),
  };
  if (s.stickyKey !== undefined) body.stickyKey = s.stickyKey;
  return body;
}

export function filterBody(f: SafetyFilter, opts: LabelOptions = {}): FilterCreate {
  const body: FilterCreate = {
    name: f.name,
    enabled: f.enabled,
    priority: f.priority,
    categories: [...f.categories],
    action: f.action,
    thresholds: { ...f.thresholds } as Record<string, number>,
    falsePositiveTolerance: f.falsePositiveTolerance,
    labels: labelsFor(f.labels, opts),
  };
  if (f.description !== undefined) body.description = f.description;
  if (f.appliesTo !== undefined) {
    body.appliesTo = {};
    if (f.appliesTo.templates) body.appliesTo.templates = [...f.appliesTo.templates];
    if (f.appliesTo.labels) body.appliesTo.labels = { ...f.appliesTo.labels };
  }
  return body;
}

// ---- inverse: live → model -------------------------------------------------------------------

/** Where live-derived resources "come from": not a file. */
export const LIVE_SOURCE: SourceLocation = { file: '(live)', line: 0, column: 0 };

export function templateFromWire(w: TemplateCreate | WireTemplate): PromptTemplate {
  const t: PromptTemplate = {
    kind: 'PromptTemplate',
    name: w.name,
    labels: userLabels(w.labels),
    model: w.model,
    source: LIVE_SOURCE,
    locations: {},
  };
  if (w.description !== undefined && w.description !== null && w.description !== '') t.description = w.description;
  return t;
}

export function versionFromWire(w: VersionContent & { version: string }, template: string): PromptVersion {
  const g = w.safetyGuardrails ?? {};
  const v: PromptVersion = {
    kind: 'PromptVersion',
    template,
    version: w.version,
    systemInstruction: w.systemInstruction,
    userTemplate: w.userTemplate,
    variables: (w.variables ?? []).map((x) => {
      const variable: Variable = { name: x.name, type: x.type, required: x.required ?? true };
      if (x.default !== undefined && x.default !== null) variable.default = x.default;
      if (x.maxLength !== undefined && x.maxLength !== null) variable.maxLength = x.maxLength;
      if (x.maxTokens !== undefined && x.maxTokens !== null) variable.maxTokens = x.maxTokens;
      if (x.values !== undefined && x.values !== null) variable.values = [...x.values];
      if (x.description !== undefined && x.description !== null) variable.description = x.description;
      return variable;
    }),
    fewShotExamples: (w.fewShotExamples ?? []).map((e) => ({ input: e.input, output: e.output })),
    safetyGuardrails: {
      piiFilter: g.piiFilter ?? true,
      jailbreakDetection: g.jailbreakDetection ?? true,
      outputModeration: g.outputModeration ?? true,
    },
    labels: {},
    source: LIVE_SOURCE,
    locations: {},
  };
  if (w.model !== undefined && w.model !== null) v.model = w.model;
  if (w.temperature !== undefined && w.temperature !== null) v.temperature = w.temperature;
  if (w.maxTokens !== undefined && w.maxTokens !== null) v.maxTokens = w.maxTokens;
  return v;
}

export function splitFromWire(w: Omit<TrafficPut, 'version'>, template: string): TrafficSplit {
  const s: TrafficSplit = {
    kind: 'TrafficSplit',
    template,
    strategy: w.strategy ?? 'random',
    routes: w.routes.map((r) => ({ version: r.version, weight: r.weight })),
    source: LIVE_SOURCE,
    locations: {},
  };
  if (w.stickyKey !== undefined && w.stickyKey !== null) s.stickyKey = w.stickyKey;
  return s;
}

export function filterFromWire(w: FilterCreate): SafetyFilter {
  const f: SafetyFilter = {
    kind: 'SafetyFilter',
    name: w.name,
    labels: userLabels(w.labels),
    enabled: w.enabled ?? true,
    priority: w.priority,
    categories: [...w.categories] as FilterCategory[],
    action: w.action as FilterAction,
    thresholds: { ...w.thresholds } as SafetyFilter['thresholds'],
    falsePositiveTolerance: w.falsePositiveTolerance,
    source: LIVE_SOURCE,
    locations: {},
  };
  if (w.description !== undefined && w.description !== null && w.description !== '') f.description = w.description;
  const sel = w.appliesTo;
  if (sel && (sel.templates !== undefined || (sel.labels && Object.keys(sel.labels).length > 0))) {
    f.appliesTo = {};
    if (sel.templates) f.appliesTo.templates = [...sel.templates];
    if (sel.labels && Object.keys(sel.labels).length > 0) f.appliesTo.labels = { ...sel.labels };
  }
  return f;
}
