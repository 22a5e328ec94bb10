// One PromptVersion in git against its live counterpart: create (shown against the version it
// supersedes once the plan is applied: the one just below it, live or made by the same plan),
// publish a Draft (patched first when git differs), noop, or an immutable-version problem with
// its diff; and the token deltas a reviewer reads beside each.
import { versionAddress } from '../../model/address.js';
import type { PromptTemplate, PromptVersion } from '../../model/types.js';
import type { WireVersion } from '../../targets/llmgateway/wire.js';
import { compareVersionLabels, nextPatch } from '../../util/semver.js';
import type { CreateAction, FieldChange, PlanAction, PlanProblem, TextChange, TokenDelta, UpdateAction } from '../action.js';
import { canonicalEqual, compareWithLive, describeCreate, diffCanonical, type Canonical } from '../canonical.js';
import type { PlanContext, TokenCounter } from '../kind.js';
import { liveModified, noopAction, unchangedAction } from '../shared.js';
import { canonical, fromWire, TEXT_FIELDS, toWire, versionGuard } from './index.js';
import { plainlySameContent } from './same.js';

export interface LiveTemplateRef {
  id: string;
  model: PromptTemplate;
}

/**
 * One version in git against its live counterpart: absent → create and publish; a live Draft →
 * (patch and) publish; Published and equal → noop; Published and different → an
 * immutable-version problem (never an update). Returns no action for a problem.
 */
export function planVersion(
  dV: PromptVersion,
  dT: PromptTemplate,
  lV: WireVersion | undefined,
  liveTemplate: (LiveTemplateRef & { versions: readonly WireVersion[] }) | undefined,
  ctx: Pick<PlanContext, 'tokens' | 'config' | 'sealed'>,
  problems: PlanProblem[],
  /** The template's versions published once the plan is applied (publishedAfterPlan), asked for only by a new version. */
  published: () => readonly Published[],
): PlanAction | undefined {
  const address = versionAddress(dT.name, dV.version);
  // Most versions of a large org are unchanged: shown equal without building either canonical form.
  if (lV?.state === 'Published' && plainlySameContent(dV, lV)) {
    const base = { address, kind: 'PromptVersion' as const, name: dT.name, version: dV.version, dependsOn: [], liveId: liveTemplate!.id, guard: versionGuard(lV, undefined) };
    return unchangedAction(base, () => canonical(lV), ctx.sealed);
  }
  // The model has the wire's content fields, so its canonical form is its body's; the body itself
  // is made only for a write.
  const after = canonical(dV);
  const common = { address, kind: 'PromptVersion' as const, name: dT.name, version: dV.version, dependsOn: [] };
  if (!lV) {
    const body = toWire(dV);
    // A reviewer reads a new version against the one it supersedes, not as all-new text: the one
    // just below it once this plan is applied, which may be another version the plan creates.
    const prev = supersededBy(dV.version, published());
    const prevBody = prev?.git ? toWire(prev.git) : prev?.live;
    const a: CreateAction = {
      ...common,
      action: 'create',
      changes: withoutTextValues(prev ? diffCanonical(canonical(prev.git ?? prev.live!), after) : describeCreate(after)),
      desired: { kind: 'PromptVersion', body, publish: true, patch: false },
      text: TEXT_FIELDS.filter((f) => !prevBody || prevBody[f] !== body[f]).map((field) => ({ field, before: prevBody?.[field] ?? '', after: body[field] })),
      tokens: tokenDelta(ctx.tokens(dV, dT, ctx.config), prev ? previousTokens(prev, dT, liveTemplate, ctx) : undefined),
    };
    if (prev) a.supersedes = prev.version;
    if (liveTemplate) a.parentId = liveTemplate.id;
    return a;
  }

  const before = canonical(lV);
  // A Draft equal to git is still published (an update): its guard always holds the hash.
  const { hash, equal } = compareWithLive(before, after, ctx.sealed !== false || lV.state !== 'Published');
  const guard = versionGuard(lV, hash);
  const liveId = liveTemplate!.id;
  if (lV.state === 'Published') {
    // A literal rather than a copy of `common`: most versions of a large org end here.
    if (equal) return noopAction({ address, kind: 'PromptVersion', name: dT.name, version: dV.version, dependsOn: [], liveId }, guard);
    const problem = immutableProblem(address, dV.version, before, after);
    const m = liveModified(lV);
    if (m) problem.liveModified = m;
    problems.push(problem);
    return undefined;
  }

  // A Draft: publish it, patching its content first when git differs.
  const body = toWire(dV);
  const state: FieldChange = { path: 'state', before: 'Draft', after: 'Published' };
  const a: UpdateAction = {
    ...common,
    action: 'update',
    liveId,
    guard,
    changes: [state],
    desired: { kind: 'PromptVersion', body, publish: true, patch: false },
    live: before,
  };
  if (equal) return a;
  a.desired = { kind: 'PromptVersion', body, publish: true, patch: true };
  a.changes = [...withoutTextValues(diffCanonical(before, after)), state];
  a.text = TEXT_FIELDS.filter((f) => lV[f] !== body[f]).map((field) => ({ field, before: lV[field], after: body[field] }));
  a.tokens = tokenDelta(ctx.tokens(dV, dT, ctx.config), liveTokens(lV, dT.name, liveTemplate, ctx));
  const m = liveModified(lV);
  if (m) a.liveModified = m;
  return a;
}

/** A version published once the plan is applied: its live content, or git's that the plan publishes. */
export interface Published {
  version: string;
  live?: WireVersion;
  git?: PromptVersion;
}

/**
 * The template's versions published once the plan is applied, lowest first: git's content for a
 * version git declares and the target does not hold published (this plan creates or publishes
 * it), the live content otherwise (a published version is immutable: git equal to it, or a
 * problem that leaves it as it is). Made once per template, not per version.
 */
export function publishedAfterPlan(live: readonly WireVersion[], inGit: readonly PromptVersion[]): Published[] {
  const out: Published[] = [];
  const published = new Set<string>();
  for (const v of live) {
    if (v.state !== 'Published') continue;
    published.add(v.version);
    out.push({ version: v.version, live: v });
  }
  for (const v of inGit) if (!published.has(v.version)) out.push({ version: v.version, git: v });
  return out.sort((a, b) => compareVersionLabels(a.version, b.version));
}

/** What a new version supersedes: the highest of `order` (lowest first) below `label`. */
function supersededBy(label: string, order: readonly Published[]): Published | undefined {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareVersionLabels(order[mid]!.version, label) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? order[lo - 1] : undefined;
}

/** The superseded version's worst case: git's content counted as the new one is, or the live one's. */
function previousTokens(
  prev: Published,
  dT: PromptTemplate,
  liveTemplate: LiveTemplateRef | undefined,
  ctx: Pick<PlanContext, 'tokens' | 'config'>,
): ReturnType<TokenCounter> | undefined {
  if (prev.git) return ctx.tokens(prev.git, dT, ctx.config);
  return liveTokens(prev.live!, dT.name, liveTemplate, ctx);
}

/** A live version's worst case, or undefined for live content on a model we cannot count. */
export function liveTokens(
  lV: WireVersion,
  template: string,
  liveTemplate: LiveTemplateRef | undefined,
  ctx: Pick<PlanContext, 'tokens' | 'config'>,
): ReturnType<TokenCounter> | undefined {
  try {
    return ctx.tokens(fromWire(lV, template), liveTemplate?.model, ctx.config);
  } catch {
    return undefined; // show the new count alone
  }
}

export function tokenDelta(after: ReturnType<TokenCounter>, before: ReturnType<TokenCounter> | undefined): TokenDelta {
  const d: TokenDelta = {
    model: after.model,
    approximate: after.approximate,
    after: after.worstCasePromptTokens,
  };
  if (after.costPer1kCalls !== undefined) d.costPer1kCallsAfter = after.costPer1kCalls;
  if (after.assumedOutputTokens !== undefined) d.assumedOutputTokens = after.assumedOutputTokens;
  if (after.outputUnbounded) d.outputUnbounded = true;
  if (before) {
    // Counted for the live content's model: exact for gpt-4o, say, though the new one's is not.
    if (before.model !== after.model) d.modelBefore = before.model;
    if (before.approximate !== after.approximate) d.approximateBefore = before.approximate;
    d.before = before.worstCasePromptTokens;
    if (before.costPer1kCalls !== undefined) d.costPer1kCallsBefore = before.costPer1kCalls;
  }
  return d;
}

/** Prompt text lives in `text` (diffed by the views); the change names the field only. */
function withoutTextValues(changes: FieldChange[]): FieldChange[] {
  return changes.map((c) => ((TEXT_FIELDS as readonly string[]).includes(c.path) ? { path: c.path } : c));
}

/** Each changed field as text: prompt text as it is, anything else as indented JSON. */
function asText(v: Canonical[string] | undefined): string {
  if (typeof v === 'string') return v;
  return `${JSON.stringify(v ?? null, null, 2)}\n`;
}

function immutableProblem(address: string, label: string, before: Canonical, after: Canonical): PlanProblem {
  const fields = Object.keys(after)
    .sort()
    .filter((k) => !canonicalEqual(before[k], after[k]));
  const diff: TextChange[] = fields.map((field) => ({ field, before: asText(before[field]), after: asText(after[field]) }));
  const next = nextPatch(label);
  return {
    address,
    field: fields[0]!,
    rule: 'immutable-version',
    message:
      `${address} is published and immutable, but git changes its ${fields.join(', ')}. ` +
      `Add a new version${next ? ` (e.g. ${next})` : ''} with this content and route traffic to it, ` +
      `and restore ${label} in git to its published content.`,
    diff,
  };
}
