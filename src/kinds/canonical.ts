// The canonical form every kind reduces its desired and live sides to, and what derives from it:
// equality, field-level differences and a content hash. Defaults applied, server-only fields and
// promptctl-owned labels left out, key order irrelevant (stable JSON); keyed lists become maps.
import { createHash } from 'node:crypto';
import { stableStringify } from '../util/json.js';
import type { FieldChange } from './action.js';

export type CanonicalValue = string | number | boolean | null | CanonicalValue[] | Canonical;
export interface Canonical {
  [key: string]: CanonicalValue;
}

export function canonicalEqual(a: CanonicalValue | undefined, b: CanonicalValue | undefined): boolean {
  if (a === b) return true;
  return stableStringify(a ?? null) === stableStringify(b ?? null);
}

/** sha256 of the canonical form: what audit snapshots record and compare. */
export function canonicalHash(c: Canonical): string {
  return createHash('sha256').update(stableStringify(c)).digest('hex');
}

/** Absent, null and "" are one value for optional free-text fields such as descriptions. */
export function optionalText(s: string | undefined | null): string | null {
  return s === undefined || s === null || s === '' ? null : s;
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
