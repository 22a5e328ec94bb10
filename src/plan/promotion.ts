// Promotion (DESIGN §6): a version reaches an environment only after the one before it in
// `promotion` ran it. Which versions a plan brings to its environment (it publishes them, or sends
// them more traffic than they have now; the guide content and summary settings it writes), and
// which of them the previous environment's live org has not published (or holds with other
// content). Pure: the caller reads the previous org (what to read: promotionReads). And, per gap,
// whether applying the same commit to the previous environment closes it (the gap waits for the
// merge) or not (blocked: git must change), from that environment's own desired state.
import { guardOf, type PlanAction, type PlanProblem } from '../kinds/action.js';
import type { LiveState, Surface } from '../kinds/kind.js';
import { versionAddress } from '../model/address.js';
import { contentHash } from '../kinds/PromptVersion/index.js';
import { contentCanonical, reaches, toWire as guideToWire, versionContent } from '../kinds/Guide/index.js';
import { canonical as summaryCanonical, toWire as settingToWire } from '../kinds/SummarySetting/index.js';
import type { DesiredState } from '../model/types.js';
import { PROMOTION_BLOCKED_RULE, PROMOTION_RULE } from '../model/environments.js';
import { canonicalHash, type Canonical } from '../kinds/canonical.js';
import { stableStringify } from '../util/json.js';
import { planFingerprint } from './fingerprint.js';
import type { Plan } from './types.js';

export { PROMOTION_BLOCKED_RULE, PROMOTION_RULE };

/**
 * Why applying the same commit to the previous environment leaves a gap open: that org does not
 * serve the surface; it published the label with other content (versions are immutable); its own
 * desired state leaves the object out, gives it other content, runs it on another model, or keeps
 * a guide's content a Draft.
 */
export type PromotionBlock = 'no-surface' | 'immutable' | 'not-in-files' | 'other-content' | 'other-model' | 'not-published';

/** A version a plan brings to its environment, and why. */
export interface PromotedVersion {
  template: string;
  version: string;
  /** "PromptVersion/billing-assistant@1.1.0" */
  address: string;
  why: 'published' | 'routed' | 'written' | 'model';
  /** The content this environment runs under that label (its canonical hash), when the plan says. */
  hash?: string;
  /**
   * The model the version answers on here once the plan is applied, when the plan changes it: a
   * version that names no model runs on its template's, so a template's model switch changes what
   * each such version runs (why 'model'), though its content hash stays the same.
   */
  model?: string;
  /**
   * A guide's content, or a summary setting (AI Studio numbers guide versions, and settings have
   * none: `version` is empty, `template` its name).
   */
  kind?: 'Guide' | 'SummarySetting';
}

/** A gap: never published in the previous environment, or published there with other content. */
export interface PromotionGap extends PromotedVersion {
  /** The previous environment published the label with other content (these hashes). */
  otherContent?: string[];
  /** The previous environment runs the label (with this content) on another model: this one. */
  otherModel?: string;
  /** What the previous environment cannot have run: it does not serve the kind's surface, or has no object of that name. */
  missing?: 'no-surface' | 'absent';
  /** A guide whose content the previous environment holds only in a Draft version: saved there, never run. */
  draftOnly?: true;
  /**
   * What applying the same commit to the previous environment does to the gap (judgeGaps): closes
   * it ('waits'), or leaves it open, and why. Absent: not judged.
   */
  closure?: 'waits' | PromotionBlock;
  /**
   * A guide's or summary setting's document in the previous environment's state, when its
   * `metadata.environments` keeps it to some (judgeGaps): the advice to apply it there says that
   * list must keep that environment, which a document without one never needs said.
   */
  keptTo?: readonly string[];
}

/**
 * Every version the plan publishes, or routes more traffic to than the live split does, once each,
 * sorted; the guide content it publishes (not what it leaves a Draft) and the summary settings it writes.
 */
export function promotedVersions(plan: Pick<Plan, 'actions'>): PromotedVersion[] {
  // What each version's content is here: the body a write sends, or what the live one holds (its guard).
  const content = new Map<string, string>();
  const labels = new Map<string, { template: string; version: string }>();
  /** Versions whose written body names a model of their own. */
  const ownModel = new Set<string>();
  for (const a of plan.actions) {
    if (a.kind !== 'PromptVersion') continue;
    const hash = (a.action === 'create' || a.action === 'update') && a.desired.kind === 'PromptVersion' ? contentHash(a.desired.body) : guardOf(a)?.hash;
    if (hash) content.set(a.address, hash);
    if (a.version !== undefined) labels.set(a.address, { template: a.name, version: a.version });
    if ((a.action === 'create' || a.action === 'update') && a.desired.kind === 'PromptVersion' && a.desired.body.model !== undefined) ownModel.add(a.address);
  }
  // Templates this plan creates, with their model: each of their versions that names none runs on it.
  const created = new Map<string, string>();
  for (const a of plan.actions) if (a.action === 'create' && a.desired.kind === 'PromptTemplate') created.set(a.name, a.desired.body.model);
  const found = new Map<string, PromotedVersion>();
  const add = (template: string, version: string, why: PromotedVersion['why']) => {
    const address = versionAddress(template, version);
    if (found.has(address)) return;
    const hash = content.get(address);
    const model = ownModel.has(address) ? undefined : created.get(template);
    found.set(address, { template, version, address, why, ...(hash ? { hash } : {}), ...(model !== undefined ? { model } : {}) });
  };
  for (const a of plan.actions) {
    if (a.action !== 'create' && a.action !== 'update') continue;
    if (a.desired.kind === 'PromptVersion' && a.version !== undefined && (a.action === 'create' || a.desired.publish)) add(a.name, a.version, 'published');
    // A guide's content written as a Draft runs nothing here (DESIGN §6 gates what an environment
    // runs): it is saved, not brought, so the environment before needs to have run nothing.
    if (a.desired.kind === 'Guide' && a.desired.state !== 'Draft' && !found.has(a.address)) {
      found.set(a.address, { template: a.name, version: '', address: a.address, why: 'published', hash: guideContentHash(a.desired.body), kind: 'Guide' });
    }
    if (a.desired.kind === 'SummarySetting') {
      found.set(a.address, { template: a.name, version: '', address: a.address, why: 'written', hash: settingContentHash(a.desired.body), kind: 'SummarySetting' });
    }
    if (a.desired.kind === 'TrafficSplit') {
      const before = liveWeights(a);
      for (const r of a.desired.body.routes) if (r.weight > (before[r.version] ?? 0)) add(a.name, r.version, 'routed');
    }
    // A template's model switch: every version that names no model of its own now runs on the new one.
    if (a.action === 'update' && a.desired.kind === 'PromptTemplate' && a.affects) {
      for (const { address } of a.affects) {
        const label = labels.get(address);
        if (!label) continue;
        const hash = content.get(address);
        const entry = found.get(address) ?? { ...label, address, why: 'model' as const, ...(hash ? { hash } : {}) };
        found.set(address, { ...entry, model: a.desired.body.model });
      }
    }
  }
  return [...found.values()].sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0));
}

/**
 * `wanted` with the model each version answers on in this environment once the plan is applied
 * (`state`, the environment's desired state): its own, else its template's. Set where the plan
 * does not say it, so that a version the previous environment runs on another model (its template
 * switched there by hand, say) is a gap even when this plan changes no model.
 */
export function withModels(wanted: readonly PromotedVersion[], state: Pick<DesiredState, 'templates' | 'versions'>): PromotedVersion[] {
  const templates = new Map(state.templates.map((t) => [t.name, t.model]));
  const own = new Map(state.versions.map((v) => [versionAddress(v.template, v.version), v.model]));
  return wanted.map((w) => {
    if (w.kind !== undefined || w.model !== undefined) return w;
    const model = own.get(w.address) ?? templates.get(w.template);
    return model === undefined ? w : { ...w, model };
  });
}

/** The live split's weights an update was planned against (a create has none). */
function liveWeights(a: PlanAction): Record<string, number> {
  if (a.action !== 'update' || !a.live || typeof a.live !== 'object' || Array.isArray(a.live)) return {};
  const routes = (a.live as Record<string, unknown>).routes;
  if (!routes || typeof routes !== 'object' || Array.isArray(routes)) return {};
  const out: Record<string, number> = {};
  for (const [v, w] of Object.entries(routes)) if (typeof w === 'number') out[v] = w;
  return out;
}

/** What the promotion check must read of the previous org for `wanted`: no more. */
export interface PromotionReads {
  /** Templates with their versions. */
  templates: boolean;
  /** These guides, with their latest and production versions. */
  guides: string[];
  /** These summary settings. */
  summarySettings: string[];
}

export function promotionReads(wanted: readonly PromotedVersion[]): PromotionReads {
  const named = (kind: PromotedVersion['kind']) => wanted.filter((w) => w.kind === kind).map((w) => w.template);
  return { templates: wanted.some((w) => w.kind === undefined), guides: named('Guide'), summarySettings: named('SummarySetting') };
}

/** The previous org as the promotion check reads it. */
export type PreviousOrg = Pick<LiveState, 'templates' | 'guides' | 'summarySettings' | 'unavailable'>;

/**
 * The versions of `wanted` that the previous environment's live org has not published, or has
 * published with other content under the same label (it ran something else); the guide content
 * and summary settings it does not hold.
 */
export function promotionGaps(wanted: readonly PromotedVersion[], previous: PreviousOrg): PromotionGap[] {
  const published = new Map<string, { hash: string; model: string }>();
  for (const t of previous.templates) {
    for (const v of t.versions ?? []) if (v.state === 'Published') published.set(versionAddress(t.name, v.version), { hash: contentHash(v), model: v.model ?? t.model });
  }
  const guideContent = new Map((previous.guides ?? []).map((g) => [g.name, guideVersionsHeld(g)]));
  const settingContent = new Map((previous.summarySettings ?? []).map((s) => [s.name, settingContentHash(s)]));
  // Each kind by its own surface: an org with guides switched off still runs summary settings.
  const lacks = (s: Surface) => previous.unavailable?.includes(s) === true;
  const gaps: PromotionGap[] = [];
  for (const w of wanted) {
    const gap =
      w.kind === 'Guide'
        ? guideGap(w, lacks('guides'), guideContent.get(w.template))
        : w.kind === 'SummarySetting'
          ? settingGap(w, lacks('summarysettings'), settingContent.get(w.template))
          : versionGap(w, lacks('llmgateway'), published.get(w.address));
    if (gap) gaps.push(gap);
  }
  return gaps;
}

/** A version is a gap unless the previous org published that label with this content. */
function versionGap(w: PromotedVersion, noGateway: boolean, there: { hash: string; model: string } | undefined): PromotionGap | undefined {
  if (noGateway) return { ...w, missing: 'no-surface' };
  if (there === undefined) return w;
  if (w.hash !== undefined && there.hash !== w.hash) return { ...w, otherContent: [there.hash] };
  return w.model !== undefined && there.model !== w.model ? { ...w, otherModel: there.model } : undefined;
}

/** A guide's content is a gap unless a published (TestReady or ProductionReady) version holds it there. */
function guideGap(w: PromotedVersion, noGuides: boolean, held: { ran: Set<string>; draft: Set<string> } | undefined): PromotionGap | undefined {
  if (noGuides) return { ...w, missing: 'no-surface' };
  if (!held) return { ...w, missing: 'absent' };
  if (w.hash !== undefined && held.ran.has(w.hash)) return undefined;
  return w.hash !== undefined && held.draft.has(w.hash) ? { ...w, draftOnly: true } : w;
}

/** A summary setting is a gap unless the previous org's setting of that name holds the same content. */
function settingGap(w: PromotedVersion, noSettings: boolean, there: string | undefined): PromotionGap | undefined {
  if (noSettings) return { ...w, missing: 'no-surface' };
  if (there === undefined) return { ...w, missing: 'absent' };
  return w.hash !== undefined && there !== w.hash ? { ...w, otherContent: [there] } : undefined;
}

/**
 * The content a guide's latest and production versions hold there, by whether it ran: a version
 * published to TestReady (what a staging org tests guides in) or ProductionReady ran; a Draft is
 * only saved, and may still be edited in place.
 */
function guideVersionsHeld(g: NonNullable<LiveState['guides']>[number]): { ran: Set<string>; draft: Set<string> } {
  const ran = new Set<string>();
  const draft = new Set<string>();
  for (const v of [g.latest, g.production]) {
    if (v) (reaches(v.state, 'TestReady') ? ran : draft).add(guideContentHash(versionContent(v)));
  }
  return { ran, draft };
}

/**
 * The gaps, each judged by what applying the same commit to the previous environment would leave
 * there: `previousState` is that environment's own desired state (model/environments.ts
 * environmentState), which the merge applies to it before this one.
 */
export function judgeGaps(gaps: readonly PromotionGap[], previousState: DesiredState): PromotionGap[] {
  return gaps.map((g) => {
    const keptTo = documentOf(g, previousState)?.environments;
    return { ...g, closure: blockOf(g, previousState) ?? 'waits', ...(keptTo !== undefined ? { keptTo } : {}) };
  });
}

/** The previous environment's document of a guide or summary setting gap, if its state holds one. */
function documentOf(g: PromotionGap, s: DesiredState): { environments?: string[] } | undefined {
  if (g.kind === 'Guide') return s.guides.find((x) => x.name === g.template);
  if (g.kind === 'SummarySetting') return s.summarySettings.find((x) => x.name === g.template);
  return undefined;
}

/** What no desired state of the previous environment can change: its org's surfaces, its published versions. */
export function intrinsicBlock(g: PromotionGap): PromotionBlock | undefined {
  if (g.missing === 'no-surface') return 'no-surface';
  return g.kind === undefined && g.otherContent ? 'immutable' : undefined;
}

function blockOf(g: PromotionGap, s: DesiredState): PromotionBlock | undefined {
  const intrinsic = intrinsicBlock(g);
  if (intrinsic) return intrinsic;
  if (g.kind === 'Guide') {
    const d = s.guides.find((x) => x.name === g.template);
    if (!d) return 'not-in-files';
    if (g.hash !== undefined && guideContentHash(guideToWire(d)) !== g.hash) return 'other-content';
    // What a guide must reach to have run there (guideVersionsHeld): TestReady or ProductionReady.
    return reaches(d.publish, 'TestReady') ? undefined : 'not-published';
  }
  if (g.kind === 'SummarySetting') {
    const d = s.summarySettings.find((x) => x.name === g.template);
    if (!d) return 'not-in-files';
    return g.hash !== undefined && settingContentHash(settingToWire(d)) !== g.hash ? 'other-content' : undefined;
  }
  const t = s.templates.find((x) => x.name === g.template);
  const v = s.versions.find((x) => x.template === g.template && x.version === g.version);
  if (!t || !v) return 'not-in-files';
  // Applied there, every version in git is published, with git's content, on its model or its template's.
  const after = versionGap(g, false, { hash: contentHash(v), model: v.model ?? t.model });
  return after === undefined ? undefined : after.otherContent ? 'other-content' : 'other-model';
}

/**
 * A guide version's content alone (not its state), as it carries from one org to the next: what
 * must have run before. Data actions and knowledge bases are objects of each org, with ids of
 * their own, so the same guide names different ids in staging and prod: a data action counts by
 * its label and description, a knowledge setting without its id, and so do conversation
 * attribute schemas: a variable's attributes count by name.
 */
function guideContentHash(body: Parameters<typeof contentCanonical>[0]): string {
  const c = contentCanonical(body);
  const actions = Object.values(c.dataActions as Canonical).map((a) => stableStringify(a)).sort();
  const knowledge = c.knowledge as Canonical | null;
  const variables = Object.fromEntries(Object.entries(c.variables as Canonical).map(([name, v]) => [name, withoutSchemaIds(v as Canonical)]));
  return canonicalHash({ ...c, variables, dataActions: actions, knowledge: knowledge && { ...knowledge, knowledgeId: null } });
}

/** A variable's canonical form with its (and its list items') attribute schema ids left out. */
function withoutSchemaIds(v: Canonical): Canonical {
  const out: Canonical = { ...v };
  const attributes = v['customConversationAttributes'];
  if (Array.isArray(attributes)) out['customConversationAttributes'] = attributes.map((a) => ({ ...(a as Canonical), schema: null }));
  const items = v['listVariables'];
  if (Array.isArray(items)) out['listVariables'] = items.map((x) => withoutSchemaIds(x as Canonical));
  return out;
}

/**
 * A summary setting's content as it carries from one org to the next: an External service's
 * integration is each org's own, and so is its interactionType (read-only, A11: no write sets it).
 */
function settingContentHash(s: Parameters<typeof summaryCanonical>[0]): string {
  return canonicalHash({ ...summaryCanonical(s), integrationId: null, interactionType: null });
}

/** The plan with `problems` added, its fingerprint sealed again (the fingerprint covers problems); an unsealed plan stays so. */
export function withProblems(plan: Plan, problems: readonly PlanProblem[]): Plan {
  if (problems.length === 0) return plan;
  const next: Plan = { ...plan, problems: [...plan.problems, ...problems] };
  if (plan.fingerprint !== '') next.fingerprint = planFingerprint(next);
  return next;
}
