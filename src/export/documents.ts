// Live org → promptctl documents (plain objects, one list per file). Pure: no I/O.
// What `promptctl export` writes, so that a plan right after it is empty.
import type { LiveState } from '../genesys/api.js';
import type { WireFilter, WireLabels, WireTemplate, WireTraffic, WireVariable, WireVersion } from '../genesys/wire.js';
import { API_VERSION, MANAGED_BY_LABEL, MANAGED_BY_VALUE, PROMPTCTL_LABEL_PREFIX } from '../model/types.js';

export type ExportDocument = Record<string, unknown>;

export interface ExportFile {
  /** Relative path inside the output directory. */
  path: string;
  documents: ExportDocument[];
}

export interface ExportResult {
  files: ExportFile[];
  warnings: string[];
  counts: { templates: number; versions: number; splits: number; filters: number };
}

export const FILTERS_FILE = 'safety-filters.yaml';

export function exportDocuments(live: LiveState): ExportResult {
  const warnings: string[] = [];
  const files: ExportFile[] = [];
  const counts = { templates: 0, versions: 0, splits: 0, filters: 0 };
  const used = new Set<string>([FILTERS_FILE]);

  for (const t of [...live.templates].sort((a, b) => cmp(a.name, b.name))) {
    const docs: ExportDocument[] = [templateDocument(t)];
    counts.templates += 1;
    for (const v of [...(t.versions ?? [])].sort((a, b) => compareSemver(a.version, b.version))) {
      if (v.state !== 'Published') {
        // A Draft has not shipped; git holds what is published (apply publishes every version it creates).
        warnings.push(`skipped PromptVersion/${t.name}@${v.version}: it is a ${v.state} version, not published`);
        continue;
      }
      docs.push(versionDocument(t.name, v));
      counts.versions += 1;
    }
    if (t.traffic) {
      docs.push(trafficDocument(t.name, t.traffic));
      counts.splits += 1;
    }
    files.push({ path: uniqueFileName(t.name, used), documents: docs });
  }

  const filters = [...live.filters].sort((a, b) => a.priority - b.priority || cmp(a.name, b.name));
  if (filters.length > 0) {
    files.push({ path: FILTERS_FILE, documents: filters.map(filterDocument) });
    counts.filters = filters.length;
  }
  return { files, warnings, counts };
}

function templateDocument(t: WireTemplate): ExportDocument {
  const spec: Record<string, unknown> = {};
  if (typeof t.description === 'string') spec.description = t.description;
  spec.model = t.model;
  return { apiVersion: API_VERSION, kind: 'PromptTemplate', metadata: metadata(t.name, t.labels), spec };
}

function versionDocument(template: string, v: WireVersion): ExportDocument {
  const spec: Record<string, unknown> = { template, version: v.version };
  if (v.model !== undefined && v.model !== null) spec.model = v.model;
  if (v.temperature !== undefined && v.temperature !== null) spec.temperature = v.temperature;
  if (v.maxTokens !== undefined && v.maxTokens !== null) spec.maxTokens = v.maxTokens;
  if (v.variables && v.variables.length > 0) spec.variables = v.variables.map(variableSpec);
  spec.systemInstruction = v.systemInstruction;
  spec.userTemplate = v.userTemplate;
  if (v.fewShotExamples && v.fewShotExamples.length > 0) {
    spec.fewShotExamples = v.fewShotExamples.map((e) => ({ input: e.input, output: e.output }));
  }
  const g = v.safetyGuardrails ?? {};
  const guardrails = {
    piiFilter: g.piiFilter ?? true,
    jailbreakDetection: g.jailbreakDetection ?? true,
    outputModeration: g.outputModeration ?? true,
  };
  // Defaults are all true; write the block only when it says something.
  if (Object.values(guardrails).some((on) => !on)) spec.safetyGuardrails = guardrails;
  return { apiVersion: API_VERSION, kind: 'PromptVersion', spec };
}

function variableSpec(v: WireVariable): Record<string, unknown> {
  const out: Record<string, unknown> = { name: v.name, type: v.type };
  if (v.required === false) out.required = false;
  if (v.default !== undefined && v.default !== null) out.default = v.default;
  if (v.maxLength !== undefined && v.maxLength !== null) out.maxLength = v.maxLength;
  if (v.maxTokens !== undefined && v.maxTokens !== null) out.maxTokens = v.maxTokens;
  if (v.values !== undefined && v.values !== null) out.values = [...v.values];
  if (v.description !== undefined && v.description !== null) out.description = v.description;
  return out;
}

function trafficDocument(template: string, t: WireTraffic): ExportDocument {
  const spec: Record<string, unknown> = { template, strategy: t.strategy };
  if (t.stickyKey) spec.stickyKey = t.stickyKey;
  spec.routes = t.routes.map((r) => ({ version: r.version, weight: r.weight }));
  return { apiVersion: API_VERSION, kind: 'TrafficSplit', spec };
}

function filterDocument(f: WireFilter): ExportDocument {
  const spec: Record<string, unknown> = {};
  if (typeof f.description === 'string') spec.description = f.description;
  spec.enabled = f.enabled;
  spec.priority = f.priority;
  spec.categories = [...f.categories];
  spec.action = f.action;
  spec.thresholds = { ...f.thresholds };
  spec.falsePositiveTolerance = f.falsePositiveTolerance;
  const appliesTo: Record<string, unknown> = {};
  if (f.appliesTo?.templates && f.appliesTo.templates.length > 0) appliesTo.templates = [...f.appliesTo.templates];
  if (f.appliesTo?.labels && Object.keys(f.appliesTo.labels).length > 0) appliesTo.labels = { ...f.appliesTo.labels };
  if (Object.keys(appliesTo).length > 0) spec.appliesTo = appliesTo;
  return { apiVersion: API_VERSION, kind: 'SafetyFilter', metadata: metadata(f.name, f.labels), spec };
}

function metadata(name: string, labels: WireLabels | undefined): Record<string, unknown> {
  const own = userLabels(labels);
  return Object.keys(own).length > 0 ? { name, labels: own } : { name };
}

/** Labels without the ones promptctl sets itself (they are not part of the desired state). */
export function userLabels(labels: WireLabels | undefined): WireLabels {
  const out: WireLabels = {};
  for (const [k, v] of Object.entries(labels ?? {}).sort(([a], [b]) => cmp(a, b))) {
    if (k === MANAGED_BY_LABEL && v === MANAGED_BY_VALUE) continue;
    if (k.startsWith(PROMPTCTL_LABEL_PREFIX)) continue;
    out[k] = v;
  }
  return out;
}

/** `<name>.yaml`, made safe as a file name and never clashing with another file. */
function uniqueFileName(name: string, used: Set<string>): string {
  const base = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || 'template';
  let candidate = `${base}.yaml`;
  for (let n = 2; used.has(candidate.toLowerCase()); n += 1) candidate = `${base}-${n}.yaml`;
  used.add(candidate.toLowerCase());
  return candidate;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Semver order (MAJOR.MINOR.PATCH, a pre-release before its release); unparsable labels last, by text. */
export function compareSemver(a: string, b: string): number {
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  if (!pa || !pb) return pa ? -1 : pb ? 1 : cmp(a, b);
  for (let i = 0; i < 3; i += 1) {
    const d = pa.core[i]! - pb.core[i]!;
    if (d !== 0) return d;
  }
  if (pa.pre === pb.pre) return 0;
  if (pa.pre === null) return 1;
  if (pb.pre === null) return -1;
  return comparePre(pa.pre, pb.pre);
}

function parseSemver(s: string): { core: number[]; pre: string | null } | null {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(s);
  if (!m) return null;
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ?? null };
}

function comparePre(a: string, b: string): number {
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
    if (x !== y) return cmp(x, y);
  }
  return 0;
}
