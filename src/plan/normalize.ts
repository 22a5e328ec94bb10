// One canonical, comparable form per kind, built from the WIRE shape on both sides
// (desired → wire body via mappers.ts; live entities as read). Defaults are applied, server-only
// fields (id, dates, createdBy, selfUri, version ints, contentHash, state, templateId) never enter,
// promptctl-owned labels are left out, and object key order is irrelevant (stableStringify).
// Keyed lists (variables by name, routes by version) become maps, so their order does not matter
// either; sequences that mean something in order (few-shot examples, enum values) keep it.
// Prompt text is compared exactly: a trailing newline is a change.
import {
  canonicalVersionFields,
  stableStringify,
  type FilterCreate,
  type TemplateCreate,
  type TrafficPut,
  type VersionContent,
  type WireLabels,
} from '../genesys/wire.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, PROMPTCTL_LABEL_PREFIX } from '../model/types.js';
import type { FieldChange } from './types.js';

export type CanonicalValue = string | number | boolean | null | CanonicalValue[] | Canonical;
export interface Canonical {
  [key: string]: CanonicalValue;
}

/** `managed-by` and `promptctl.dev/*` belong to promptctl, not to the YAML: never diffed. */
export function isOwnedLabel(key: string): boolean {
  return key === MANAGED_BY_LABEL || key.startsWith(PROMPTCTL_LABEL_PREFIX);
}

export function isManaged(labels: WireLabels | undefined): boolean {
  return labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
}

/** The labels a user wrote (or may write): everything but promptctl's own. */
export function userLabels(labels: WireLabels | undefined): WireLabels {
  const out: WireLabels = {};
  for (const key of Object.keys(labels ?? {}).sort()) {
    if (!isOwnedLabel(key)) out[key] = labels![key]!;
  }
  return out;
}

/** Absent, null and "" are one value for optional free-text fields such as descriptions. */
function optionalText(s: string | undefined | null): string | null {
  return s === undefined || s === null || s === '' ? null : s;
}

export function canonicalTemplate(t: TemplateCreate): Canonical {
  return {
    description: optionalText(t.description),
    model: t.model,
    labels: userLabels(t.labels),
  };
}

/** The content-hash form (canonicalVersionFields) with variables keyed by name: their order is not a change. */
export function canonicalVersion(c: VersionContent): Canonical {
  const { variables, ...rest } = canonicalVersionFields(c);
  const byName: Canonical = {};
  for (const { name, ...v } of variables) byName[name] = v;
  return { ...rest, variables: byName };
}

export function canonicalTraffic(t: Omit<TrafficPut, 'version'>): Canonical {
  const routes: Canonical = {};
  for (const r of t.routes) routes[r.version] = r.weight;
  return {
    strategy: t.strategy ?? 'random',
    stickyKey: t.stickyKey ?? null,
    routes,
  };
}

export function canonicalFilter(f: FilterCreate): Canonical {
  const thresholds: Canonical = {};
  for (const [k, v] of Object.entries(f.thresholds ?? {})) thresholds[k] = v;
  const selector = f.appliesTo ?? {};
  const selectorLabels = selector.labels && Object.keys(selector.labels).length > 0 ? { ...selector.labels } : null;
  return {
    description: optionalText(f.description),
    enabled: f.enabled ?? true,
    priority: f.priority,
    // Categories are a set (unique by schema): order carries no meaning.
    categories: [...f.categories].sort(),
    action: f.action,
    thresholds,
    falsePositiveTolerance: f.falsePositiveTolerance,
    // No selector, an empty one and empty label maps all mean "every template".
    appliesTo: {
      templates: selector.templates ? [...selector.templates].sort() : null,
      labels: selectorLabels,
    },
    labels: userLabels(f.labels),
  };
}

export function canonicalEqual(a: CanonicalValue | undefined, b: CanonicalValue | undefined): boolean {
  return stableStringify(a ?? null) === stableStringify(b ?? null);
}

function isMap(v: CanonicalValue | undefined): v is Canonical {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
}

/** For display: null means "absent" in canonical forms, so nested nulls are left out of values. */
function withoutNulls(v: CanonicalValue): CanonicalValue {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (!isMap(v)) return v;
  const out: Canonical = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null) continue;
    const y = withoutNulls(x);
    if (isMap(y) && Object.keys(y).length === 0) continue;
    out[k] = y;
  }
  return out;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function joinPath(prefix: string, key: string): string {
  if (IDENTIFIER.test(key)) return prefix ? `${prefix}.${key}` : key;
  return `${prefix}[${key}]`;
}

/**
 * Field-level differences between two canonical forms, in sorted path order. Maps present on both
 * sides are descended into; anything else that differs is one change (null shown as absent).
 * Paths: `description`, `thresholds.pii`, `variables.tone.maxLength`, `routes[1.1.0]`.
 */
export function diffCanonical(before: Canonical, after: Canonical, prefix = ''): FieldChange[] {
  const changes: FieldChange[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const key of keys) {
    const b = before[key];
    const a = after[key];
    if (canonicalEqual(b, a)) continue;
    const path = joinPath(prefix, key);
    if (isMap(b) && isMap(a)) {
      changes.push(...diffCanonical(b, a, path));
      continue;
    }
    const change: FieldChange = { path };
    if (b !== undefined && b !== null) change.before = withoutNulls(b);
    if (a !== undefined && a !== null) change.after = withoutNulls(a);
    changes.push(change);
  }
  return changes;
}

/** The fields of a new object, as changes from nothing (empty maps and lists left out). */
export function describeCreate(after: Canonical): FieldChange[] {
  return diffCanonical({}, after).filter((c) => {
    const v = c.after;
    if (Array.isArray(v)) return v.length > 0;
    if (v !== null && typeof v === 'object') return Object.keys(v).length > 0;
    return true;
  });
}
