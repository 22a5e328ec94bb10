// Live org → promptctl documents (plain objects, one list per file). Pure: no I/O.
// What `promptctl export` writes, so that a plan right after it is empty.
import type { LiveState } from '../genesys/api.js';
import { compareVersionLabels, type WireFilter, type WireLabels, type WireTemplate, type WireTraffic, type WireVersion } from '../genesys/wire.js';
import { API_VERSION, type Variable } from '../model/types.js';
import { filterFromWire, splitFromWire, templateFromWire, versionFromWire } from '../plan/mappers.js';

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
    for (const v of [...(t.versions ?? [])].sort((a, b) => compareVersionLabels(a.version, b.version))) {
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

// Each document is written from the model form of the live object (plan/mappers' inverse), so
// export and plan agree on defaults and on which labels are promptctl's own.

function templateDocument(t: WireTemplate): ExportDocument {
  const m = templateFromWire(t);
  const spec: Record<string, unknown> = {};
  if (m.description !== undefined) spec.description = m.description;
  spec.model = m.model;
  return { apiVersion: API_VERSION, kind: 'PromptTemplate', metadata: metadata(m.name, m.labels), spec };
}

function versionDocument(template: string, v: WireVersion): ExportDocument {
  const m = versionFromWire(v, template);
  const spec: Record<string, unknown> = { template, version: m.version };
  if (m.model !== undefined) spec.model = m.model;
  if (m.temperature !== undefined) spec.temperature = m.temperature;
  if (m.maxTokens !== undefined) spec.maxTokens = m.maxTokens;
  if (m.variables.length > 0) spec.variables = m.variables.map(variableSpec);
  spec.systemInstruction = m.systemInstruction;
  spec.userTemplate = m.userTemplate;
  if (m.fewShotExamples.length > 0) spec.fewShotExamples = m.fewShotExamples;
  // Defaults are all true; write the block only when it says something.
  if (Object.values(m.safetyGuardrails).some((on) => !on)) spec.safetyGuardrails = m.safetyGuardrails;
  return { apiVersion: API_VERSION, kind: 'PromptVersion', spec };
}

/** A variable as YAML: `required` only when false (its default is true). */
function variableSpec({ name, type, required, ...rest }: Variable): Record<string, unknown> {
  return { name, type, ...(required ? {} : { required: false }), ...rest };
}

function trafficDocument(template: string, t: WireTraffic): ExportDocument {
  const m = splitFromWire(t, template);
  const spec: Record<string, unknown> = { template, strategy: m.strategy };
  if (m.stickyKey) spec.stickyKey = m.stickyKey;
  spec.routes = m.routes;
  return { apiVersion: API_VERSION, kind: 'TrafficSplit', spec };
}

function filterDocument(f: WireFilter): ExportDocument {
  const m = filterFromWire(f);
  const spec: Record<string, unknown> = {};
  if (m.description !== undefined) spec.description = m.description;
  spec.enabled = m.enabled;
  spec.priority = m.priority;
  spec.categories = m.categories;
  spec.action = m.action;
  spec.thresholds = m.thresholds;
  spec.falsePositiveTolerance = m.falsePositiveTolerance;
  if (m.appliesTo) spec.appliesTo = m.appliesTo;
  return { apiVersion: API_VERSION, kind: 'SafetyFilter', metadata: metadata(m.name, m.labels), spec };
}

function metadata(name: string, labels: WireLabels): Record<string, unknown> {
  return Object.keys(labels).length > 0 ? { name, labels } : { name };
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
