// Shared by the text and markdown renderers: symbols, number/cost formats, token lines, values.
import type { ResourceKind } from '../model/types.js';
import { RESOURCE_KINDS } from '../model/types.js';
import type { ActionType, Plan, PlanAction, TokenDelta } from './types.js';

export type StyleName = 'green' | 'red' | 'yellow' | 'cyan' | 'bold' | 'dim';
/** Colour is injected (src/cli/output.ts `paint`), so rendering stays pure and testable. */
export type Style = (name: StyleName, s: string) => string;
export const plain: Style = (_name, s) => s;

export const SYMBOL: Record<ActionType, string> = { create: '+', update: '~', delete: '-', noop: ' ' };
export const ACTION_STYLE: Record<ActionType, StyleName> = { create: 'green', update: 'yellow', delete: 'red', noop: 'dim' };

export function formatInt(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatCost(usd: number): string {
  if (usd === 0) return '$0';
  if (usd >= 0.1) return `$${usd.toFixed(2)}`;
  return `$${usd.toPrecision(2)}`;
}

/** `tokens: 1,204 → 1,388 (+184), cost/1k calls $0.41 → $0.47`, "≈" when approximate. */
export function tokenLine(t: TokenDelta): string {
  const approx = t.approximate ? '≈' : '';
  const parts: string[] = [];
  if (t.after !== undefined && t.before !== undefined) {
    const delta = t.after - t.before;
    const sign = delta > 0 ? '+' : delta < 0 ? '-' : '±';
    parts.push(`tokens: ${approx}${formatInt(t.before)} → ${approx}${formatInt(t.after)} (${sign}${formatInt(Math.abs(delta))})`);
  } else if (t.after !== undefined) {
    parts.push(`tokens: ${approx}${formatInt(t.after)}`);
  } else if (t.before !== undefined) {
    parts.push(`tokens: ${approx}${formatInt(t.before)}`);
  }
  const cb = t.costPer1kCallsBefore;
  const ca = t.costPer1kCallsAfter;
  if (cb !== undefined && ca !== undefined) parts.push(`cost/1k calls ${formatCost(cb)} → ${formatCost(ca)}`);
  else if (ca !== undefined) parts.push(`cost/1k calls ${formatCost(ca)}`);
  return `${parts.join(', ')} (${t.model})`;
}

/** A field value on one line: strings quoted, structures as compact JSON, absent as (none). */
export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return '(none)';
  return JSON.stringify(v);
}

export function countsByKind(plan: Plan): Record<ResourceKind, Record<ActionType, number>> {
  const out = {} as Record<ResourceKind, Record<ActionType, number>>;
  for (const k of RESOURCE_KINDS) out[k] = { create: 0, update: 0, delete: 0, noop: 0 };
  for (const a of plan.actions) out[a.kind][a.action]++;
  return out;
}

export function summaryCounts(plan: Plan): string {
  const s = plan.summary;
  return `${s.create} to create, ${s.update} to update, ${s.delete} to delete`;
}

export function visibleActions(plan: Plan, showNoop: boolean): PlanAction[] {
  return showNoop ? plan.actions : plan.actions.filter((a) => a.action !== 'noop');
}

/** Whether the plan would change anything (drives --detailed-exitcode and apply's "no changes"). */
export function hasChanges(plan: Plan): boolean {
  return plan.summary.create + plan.summary.update + plan.summary.delete > 0;
}

export function gitLabel(plan: Plan): string {
  const g = plan.git;
  const parts: string[] = [];
  if (g.commit) parts.push(`commit ${g.commit.slice(0, 12)}`);
  if (g.branch) parts.push(`on ${g.branch}`);
  if (g.dirty) parts.push('(uncommitted changes)');
  return parts.join(' ');
}
