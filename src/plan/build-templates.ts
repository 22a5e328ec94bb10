// Template, version and traffic actions for one template name at a time.
// Versions: absent → create+publish; live Draft → (patch and) publish; live Published and equal →
// noop; live Published and different → an immutable-version problem, never an update.
import { compareVersionLabels, type WireTemplate, type WireVersion } from '../genesys/wire.js';
import type { Config, PromptTemplate, PromptVersion, TrafficSplit } from '../model/types.js';
import { versionTokens, type VersionTokenReport } from '../tokens/index.js';
import { compareWithLive, filterApplies, keptReason, noteLiveModified, type FilterPart, type PlanPart } from './build-filters.js';
import { templateBody, templateFromWire, trafficBody, versionBody, versionFromWire } from './mappers.js';
import {
  canonicalEqual,
  canonicalTemplate,
  canonicalTraffic,
  canonicalVersion,
  describeCreate,
  diffCanonical,
  isManaged,
  type Canonical,
} from './normalize.js';
import { unifiedDiff } from './textdiff.js';
import type { FieldChange, PlanAction, TokenDelta } from './types.js';

/** Counts a version's worst case; the default is src/tokens' versionTokens. */
export type TokenCounter = (
  v: PromptVersion,
  template: PromptTemplate | undefined,
  config: Config,
) => Pick<VersionTokenReport, 'model' | 'approximate' | 'worstCasePromptTokens' | 'costPer1kCalls'>;

export const defaultTokenCounter: TokenCounter = versionTokens;

export interface TemplateContext {
  prune: boolean;
  commit?: string;
  config: Config;
  tokens: TokenCounter;
  protectors: FilterPart['protectors'];
}

export interface TemplateInputs {
  name: string;
  desired?: PromptTemplate;
  versions: PromptVersion[];
  split?: TrafficSplit;
  live?: WireTemplate;
}

const TEXT_FIELDS = ['systemInstruction', 'userTemplate'] as const;

export const templateAddress = (name: string): string => `PromptTemplate/${name}`;
export const versionAddress = (name: string, label: string): string => `PromptVersion/${name}@${label}`;
export const trafficAddress = (name: string): string => `TrafficSplit/${name}`;

export function planTemplate(input: TemplateInputs, ctx: TemplateContext): PlanPart {
  const part: PlanPart = { actions: [], problems: [], unmanaged: [] };
  const { name, desired: dT, live: lT } = input;

  if (!dT) {
    const orphans = [...input.versions.map((v) => versionAddress(name, v.version)), ...(input.split ? [trafficAddress(name)] : [])];
    for (const address of orphans) {
      part.problems.push({
        address,
        rule: 'unknown-template',
        message: `template "${name}" is not defined in git (add a PromptTemplate named "${name}")`,
      });
    }
    if (lT) planAbsentTemplate(lT, ctx, part);
    return part;
  }

  const guardedBy = (labels: Record<string, string>): string[] =>
    ctx.protectors.filter((p) => filterApplies(p.appliesTo, name, labels)).map((p) => p.address);
  const protectors = guardedBy(dT.labels);

  // The template itself.
  const tBody = templateBody(dT, ctx.commit !== undefined ? { commit: ctx.commit, liveLabels: lT?.labels } : { liveLabels: lT?.labels });
  const tAction: PlanAction = {
    address: templateAddress(name),
    action: 'create',
    kind: 'PromptTemplate',
    name,
    guard: null,
    changes: [],
    desired: { kind: 'PromptTemplate', body: tBody },
    dependsOn: [],
  };
  if (!lT) {
    tAction.changes = describeCreate(canonicalTemplate(tBody));
  } else {
    tAction.liveId = lT.id;
    tAction.guard = { version: lT.version };
    compareWithLive(tAction, canonicalTemplate(lT), canonicalTemplate(tBody), lT);
  }
  if (tAction.action !== 'noop') tAction.dependsOn.push(...protectors);
  part.actions.push(tAction);
  // Versions and the split need the template to exist; its updates they do not wait for.
  const needsTemplate = tAction.action === 'create' ? [tAction.address] : [];

  // Versions in git.
  const liveVersions = new Map((lT?.versions ?? []).map((v) => [v.version, v]));
  const liveTemplate = lT ? { id: lT.id, model: templateFromWire(lT) } : undefined;
  const versionActions = new Map<string, PlanAction>();
  for (const dV of [...input.versions].sort((a, b) => compareVersionLabels(a.version, b.version))) {
    const a = planVersion(dV, dT, liveVersions.get(dV.version), liveTemplate, ctx, part);
    if (!a) continue;
    if (a.action !== 'noop') a.dependsOn.push(...needsTemplate, ...protectors);
    versionActions.set(dV.version, a);
    part.actions.push(a);
  }

  // The traffic split.
  const liveTraffic = lT?.traffic ?? null;
  let trafficAction: PlanAction | undefined;
  if (input.split) {
    const body = trafficBody(input.split);
    trafficAction = {
      address: trafficAddress(name),
      action: 'create',
      kind: 'TrafficSplit',
      name,
      guard: { version: 0 },
      changes: [],
      desired: { kind: 'TrafficSplit', body },
      dependsOn: [],
    };
    if (lT) trafficAction.liveId = lT.id;
    const after = canonicalTraffic(body);
    if (!liveTraffic) {
      trafficAction.changes = describeCreate(after);
    } else {
      trafficAction.guard = { version: liveTraffic.version };
      compareWithLive(trafficAction, canonicalTraffic(liveTraffic), after, liveTraffic);
    }
    if (trafficAction.action !== 'noop') {
      const routed = input.split.routes
        .map((r) => versionActions.get(r.version))
        .filter((a): a is PlanAction => a !== undefined && a.action !== 'noop')
        .map((a) => a.address);
      trafficAction.dependsOn.push(...needsTemplate, ...routed, ...protectors);
    }
    part.actions.push(trafficAction);
  } else if (liveTraffic) {
    part.unmanaged.push({ address: trafficAddress(name), reason: 'live traffic split not in git; left as is' });
  }

  // Live versions that git no longer declares.
  if (lT) {
    const declared = new Set(input.versions.map((v) => v.version));
    const routedByGit = new Set(input.split?.routes.map((r) => r.version) ?? []);
    const routedLive = new Set(liveTraffic?.routes.map((r) => r.version) ?? []);
    const extra = (lT.versions ?? []).filter((v) => !declared.has(v.version));
    for (const lV of extra.sort((a, b) => compareVersionLabels(a.version, b.version))) {
      const address = versionAddress(name, lV.version);
      if (!ctx.prune) part.unmanaged.push({ address, reason: 'not in git; prune is off' });
      else if (!isManaged(lT.labels)) part.unmanaged.push({ address, reason: 'not in git; template not labelled managed-by: promptctl' });
      else if (routedByGit.has(lV.version)) part.unmanaged.push({ address, reason: 'not in git but routed by the traffic split' });
      else if (!input.split && routedLive.has(lV.version))
        part.unmanaged.push({ address, reason: 'not in git; still routed by the live traffic split, which is not in git' });
      else {
        const a: PlanAction = {
          address,
          action: 'delete',
          kind: 'PromptVersion',
          name,
          version: lV.version,
          liveId: lT.id,
          guard: { hash: lV.contentHash, state: lV.state },
          changes: [],
          dependsOn: trafficAction && trafficAction.action !== 'noop' ? [trafficAction.address] : [],
          reason: 'pruned: not in git and not routed',
        };
        part.actions.push(a);
      }
    }
  }
  return part;
}

function planAbsentTemplate(lT: WireTemplate, ctx: TemplateContext, part: PlanPart): void {
  const address = templateAddress(lT.name);
  const kept = keptReason(ctx.prune, lT.labels);
  if (kept) {
    part.unmanaged.push({ address, reason: kept });
    return;
  }
  const a: PlanAction = {
    address,
    action: 'delete',
    kind: 'PromptTemplate',
    name: lT.name,
    liveId: lT.id,
    guard: { version: lT.version },
    changes: [],
    dependsOn: [],
    reason: `pruned: not in git (managed-by: promptctl)${cascade(lT)}`,
  };
  noteLiveModified(a, lT);
  part.actions.push(a);
}

/** What deleting a template takes with it (the server cascades). */
function cascade(lT: WireTemplate): string {
  const n = (lT.versions ?? []).length;
  const parts: string[] = [];
  if (n > 0) parts.push(`${n} version${n === 1 ? '' : 's'}`);
  if (lT.traffic) parts.push('its traffic split');
  return parts.length > 0 ? `; also deletes ${parts.join(' and ')}` : '';
}

function planVersion(
  dV: PromptVersion,
  dT: PromptTemplate,
  lV: WireVersion | undefined,
  liveTemplate: { id: string; model: PromptTemplate } | undefined,
  ctx: TemplateContext,
  part: PlanPart,
): PlanAction | undefined {
  const address = versionAddress(dT.name, dV.version);
  const body = versionBody(dV);
  const after = canonicalVersion(body);
  const a: PlanAction = {
    address,
    action: 'create',
    kind: 'PromptVersion',
    name: dT.name,
    version: dV.version,
    guard: null,
    changes: [],
    desired: { kind: 'PromptVersion', body, publish: true, patch: false },
    dependsOn: [],
  };
  if (liveTemplate) a.liveId = liveTemplate.id;
  if (!lV) {
    a.changes = withoutTextValues(describeCreate(after));
    a.text = TEXT_FIELDS.map((field) => ({ field, before: '', after: body[field] }));
    a.tokens = tokenDelta(ctx.tokens(dV, dT, ctx.config), undefined);
    return a;
  }

  a.guard = { hash: lV.contentHash, state: lV.state };
  const before = canonicalVersion(lV);
  const equal = canonicalEqual(before, after);
  if (lV.state === 'Published') {
    if (equal) {
      a.action = 'noop';
      return a;
    }
    part.problems.push(immutableProblem(address, dV.version, before, after));
    return undefined;
  }

  // A Draft: publish it, patching its content first when git differs.
  a.action = 'update';
  const state: FieldChange = { path: 'state', before: 'Draft', after: 'Published' };
  if (equal) {
    a.changes = [state];
    return a;
  }
  a.desired = { kind: 'PromptVersion', body, publish: true, patch: true };
  a.changes = [...withoutTextValues(diffCanonical(before, after)), state];
  a.text = TEXT_FIELDS.filter((f) => lV[f] !== body[f]).map((field) => ({ field, before: lV[field], after: body[field] }));
  let liveReport: ReturnType<TokenCounter> | undefined;
  try {
    liveReport = ctx.tokens(versionFromWire(lV, dT.name), liveTemplate?.model, ctx.config);
  } catch {
    liveReport = undefined; // live content on a model we cannot count: show the new count alone
  }
  a.tokens = tokenDelta(ctx.tokens(dV, dT, ctx.config), liveReport);
  noteLiveModified(a, lV);
  return a;
}

function tokenDelta(after: ReturnType<TokenCounter>, before: ReturnType<TokenCounter> | undefined): TokenDelta {
  const d: TokenDelta = {
    model: after.model,
    approximate: after.approximate || (before?.approximate ?? false),
    after: after.worstCasePromptTokens,
  };
  if (after.costPer1kCalls !== undefined) d.costPer1kCallsAfter = after.costPer1kCalls;
  if (before) {
    d.before = before.worstCasePromptTokens;
    if (before.costPer1kCalls !== undefined) d.costPer1kCallsBefore = before.costPer1kCalls;
  }
  return d;
}

/** Prompt text lives in `text` (diffed by the renderers); the change names the field only. */
function withoutTextValues(changes: FieldChange[]): FieldChange[] {
  return changes.map((c) => ((TEXT_FIELDS as readonly string[]).includes(c.path) ? { path: c.path } : c));
}

function immutableProblem(address: string, label: string, before: Canonical, after: Canonical) {
  const fields = Object.keys(after)
    .sort()
    .filter((k) => !canonicalEqual(before[k], after[k]));
  const render = (c: Canonical): string =>
    fields
      .map((k) => {
        const v = c[k];
        return `# ${k}\n${typeof v === 'string' ? v : JSON.stringify(v, null, 2)}${typeof v === 'string' && v.endsWith('\n') ? '' : '\n'}`;
      })
      .join('');
  const next = nextPatch(label);
  return {
    address,
    rule: 'immutable-version',
    message:
      `${address} is published and immutable, but git changes its ${fields.join(', ')}. ` +
      `Add a new version${next ? ` (e.g. ${next})` : ''} with this content and route traffic to it, ` +
      `and restore ${label} in git to its published content.`,
    diff: unifiedDiff(`live/${address}`, `git/${address}`, render(before), render(after)),
  };
}

function nextPatch(label: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(label);
  return m ? `${m[1]}.${m[2]}.${Number(m[3]) + 1}` : undefined;
}
