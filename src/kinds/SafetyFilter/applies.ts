// Which templates a filter protects, and which planned filter changes a template's changes must
// wait for (a template is never served before the filters meant to guard it exist).
import { filterCovers } from '../../model/filters.js';
import type { SafetyFilter } from '../../model/types.js';
import type { PlanAction } from '../action.js';

export interface Protector {
  address: string;
  appliesTo: SafetyFilter['appliesTo'];
}

/**
 * Filter creates and updates that end enabled and are not staged (a staged filter protects from
 * step 1, before anything else runs): what a template's changes depend on.
 */
export function protectorsOf(planned: readonly PlanAction[], desired: readonly SafetyFilter[]): Protector[] {
  const byName = new Map(desired.map((f) => [f.name, f]));
  const out: Protector[] = [];
  for (const a of planned) {
    if (a.kind !== 'SafetyFilter' || (a.action !== 'create' && a.action !== 'update') || a.stagePriority !== undefined) continue;
    const f = byName.get(a.name);
    if (f?.enabled) out.push({ address: a.address, appliesTo: f.appliesTo });
  }
  return out;
}

/** The addresses of the protectors that cover a template. */
export function guardedBy(protectors: readonly Protector[], template: string, labels: Record<string, string>): string[] {
  return protectors.filter((p) => filterCovers(p.appliesTo, template, labels)).map((p) => p.address);
}
