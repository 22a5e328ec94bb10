// The saved-plan check: before `apply PLANFILE` changes anything, a fresh plan (same files,
// live state re-read) must agree with the saved one, guard for guard and body for body.
// Pure: compares two plans.
import { stableStringify } from '../genesys/wire.js';
import { PROMPTCTL_LABEL_PREFIX } from '../model/types.js';
import type { Guard, Plan, PlanAction } from '../plan/types.js';

/** One reason to refuse a saved plan, naming the address and what moved. */
export interface StaleReason {
  address: string;
  message: string;
}

export function staleReasons(saved: Plan, fresh: Plan): StaleReason[] {
  const reasons: StaleReason[] = [];
  if (saved.target !== fresh.target) {
    reasons.push({ address: '(target)', message: `the plan was made for ${saved.target}, but the target is ${fresh.target}` });
  }
  const freshBy = new Map(fresh.actions.map((a) => [a.address, a]));
  const savedBy = new Map(saved.actions.map((a) => [a.address, a]));

  for (const s of saved.actions) {
    const f = freshBy.get(s.address);
    if (s.action === 'noop') {
      if (f && f.action !== 'noop') reasons.push({ address: s.address, message: `now needs ${f.action}, which the plan does not include` });
      continue;
    }
    if (!f || f.action === 'noop') {
      const moved = f ? guardMoved(s.guard, f.guard) : null;
      reasons.push({ address: s.address, message: moved ?? `no longer needs ${s.action} (the target or the files changed)` });
      continue;
    }
    const moved = guardMoved(s.guard, f.guard);
    if (moved) {
      reasons.push({ address: s.address, message: moved });
      continue;
    }
    if (f.action !== s.action) {
      reasons.push({ address: s.address, message: `planned as ${s.action}, a fresh plan says ${f.action}` });
      continue;
    }
    if (stableStringify(comparable(s)) !== stableStringify(comparable(f))) {
      reasons.push({ address: s.address, message: 'the desired content differs from the plan (the files changed)' });
    }
  }
  for (const f of fresh.actions) {
    if (f.action !== 'noop' && !savedBy.has(f.address)) {
      reasons.push({ address: f.address, message: `now needs ${f.action}, which the plan does not include` });
    }
  }
  for (const p of fresh.problems) {
    if (!saved.problems.some((q) => q.address === p.address && q.rule === p.rule)) {
      reasons.push({ address: p.address, message: p.message });
    }
  }
  return reasons;
}

/**
 * The body an action would send, minus the labels promptctl owns (`promptctl.dev/commit` names
 * the commit that planned it, which differs between a PR's plan and the merge that applies it).
 */
function comparable(a: PlanAction): unknown {
  const d = a.desired;
  if (!d) return null;
  if (d.kind !== 'PromptTemplate' && d.kind !== 'SafetyFilter') return d;
  const labels = Object.fromEntries(Object.entries(d.body.labels ?? {}).filter(([k]) => !k.startsWith(PROMPTCTL_LABEL_PREFIX)));
  return { ...d, body: { ...d.body, labels } };
}

/** What moved between the guard a plan recorded and the live state now; null when nothing did. */
export function guardMoved(before: Guard | null, now: Guard | null): string | null {
  if (!before && !now) return null;
  if (!before && now) return `was created on the target since the plan${now.version !== undefined ? ` (version ${now.version})` : ''}`;
  if (before && !now) return 'was deleted on the target since the plan';
  const b = before!;
  const n = now!;
  const parts: string[] = [];
  if (b.version !== n.version) parts.push(`live version moved ${show(b.version)} → ${show(n.version)}`);
  if (b.hash !== n.hash) parts.push(`live content hash moved ${short(b.hash)} → ${short(n.hash)}`);
  if (b.state !== n.state) parts.push(`live state moved ${show(b.state)} → ${show(n.state)}`);
  return parts.length > 0 ? `${parts.join(', ')} since the plan` : null;
}

function show(v: unknown): string {
  return v === undefined || v === null ? 'none' : String(v);
}

function short(h: string | undefined): string {
  return h ? h.slice(0, 12) : 'none';
}
