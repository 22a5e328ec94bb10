// The plan engine: desired state vs live state → ordered, guarded actions. Pure: no I/O.
import type { LiveState } from '../genesys/api.js';
import type { WireTemplate } from '../genesys/wire.js';
import type { DesiredState, PromptVersion } from '../model/types.js';
import { planFilters } from './build-filters.js';
import { defaultTokenCounter, planTemplate, type TokenCounter } from './build-templates.js';
import { planFingerprint } from './fingerprint.js';
import { dependencyClosure, orderActions } from './order.js';
import { PLAN_FORMAT_VERSION, type Plan, type PlanAction, type PlanGit, type PlanProblem } from './types.js';

export interface BuildOptions {
  prune: boolean;
  /** Human label of the target (no secrets). */
  target: string;
  git: PlanGit;
  id: string;
  createdAt: string;
  /** Source commit, recorded on what promptctl creates or updates as `promptctl.dev/commit`. */
  commit?: string;
  /** Addresses to keep (--changed-since); their dependencies are kept too. */
  only?: Set<string>;
  /** Token counting; defaults to src/tokens' versionTokens. */
  tokens?: TokenCounter;
}

export function buildPlan(desired: DesiredState, live: LiveState, opts: BuildOptions): Plan {
  const ctx = { prune: opts.prune, ...(opts.commit !== undefined ? { commit: opts.commit } : {}) };
  const filters = planFilters(desired.filters, live.filters, ctx);
  const actions: PlanAction[] = [...filters.actions];
  const problems: PlanProblem[] = [...filters.problems];
  const unmanaged = [...filters.unmanaged];

  const templateCtx = {
    ...ctx,
    config: desired.config,
    tokens: opts.tokens ?? defaultTokenCounter,
    protectors: filters.protectors,
  };
  const desiredTemplates = new Map(desired.templates.map((t) => [t.name, t]));
  const liveTemplates = new Map<string, WireTemplate>(live.templates.map((t) => [t.name, t]));
  const versionsOf = new Map<string, PromptVersion[]>();
  for (const v of desired.versions) {
    const list = versionsOf.get(v.template) ?? [];
    list.push(v);
    versionsOf.set(v.template, list);
  }
  const splits = new Map(desired.splits.map((s) => [s.template, s]));
  const names = new Set([...desiredTemplates.keys(), ...liveTemplates.keys(), ...versionsOf.keys(), ...splits.keys()]);
  for (const name of [...names].sort()) {
    const input = {
      name,
      desired: desiredTemplates.get(name),
      versions: versionsOf.get(name) ?? [],
      split: splits.get(name),
      live: liveTemplates.get(name),
    };
    const part = planTemplate(input, templateCtx);
    actions.push(...part.actions);
    problems.push(...part.problems);
    unmanaged.push(...part.unmanaged);
  }

  let ordered = orderActions(actions);
  let keptProblems = problems;
  let keptUnmanaged = unmanaged;
  if (opts.only) {
    const keep = dependencyClosure(ordered, opts.only);
    const wanted = new Set([...keep, ...opts.only]);
    ordered = ordered.filter((a) => keep.has(a.address));
    keptProblems = problems.filter((p) => wanted.has(p.address));
    keptUnmanaged = unmanaged.filter((u) => wanted.has(u.address));
  }

  const summary = { create: 0, update: 0, delete: 0, noop: 0 };
  for (const a of ordered) summary[a.action]++;
  const plan: Plan = {
    formatVersion: PLAN_FORMAT_VERSION,
    id: opts.id,
    createdAt: opts.createdAt,
    target: opts.target,
    git: opts.git,
    prune: opts.prune,
    summary,
    actions: ordered,
    problems: keptProblems,
    unmanaged: keptUnmanaged,
    fingerprint: '',
  };
  // The seal covers what apply acts on (see fingerprint.ts), not the id, time or target.
  plan.fingerprint = planFingerprint(plan);
  return plan;
}
