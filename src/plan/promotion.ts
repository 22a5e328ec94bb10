// Promotion (DESIGN §6): a version reaches an environment only after the one before it in
// `promotion` ran it. Which versions a plan brings to its environment (it publishes them, or sends
// them more traffic than they have now), and which of them the previous environment's live org
// has not published. Pure: the caller reads the previous org.
import { guardOf, type PlanAction, type PlanProblem } from '../kinds/action.js';
import type { LiveState } from '../kinds/kind.js';
import { versionAddress } from '../model/address.js';
import { contentHash } from '../kinds/PromptVersion/index.js';
import { contentCanonical, reaches, versionContent } from '../kinds/Guide/index.js';
import { canonicalHash } from '../kinds/canonical.js';
import { planFingerprint } from './fingerprint.js';
import type { Plan } from './types.js';

export const PROMOTION_RULE = 'promotion/not-in-previous';

/** A version a plan brings to its environment, and why. */
export interface PromotedVersion {
  template: string;
  version: string;
  /** "PromptVersion/billing-assistant@1.1.0" */
  address: string;
  why: 'published' | 'routed';
  /** The content this environment runs under that label (its canonical hash), when the plan says. */
  hash?: string;
  /** A guide's content (AI Studio numbers its versions: `version` is empty, `template` its name). */
  kind?: 'Guide';
}

/** A gap: never published in the previous environment, or published there with other content. */
export interface PromotionGap extends PromotedVersion {
  /** The previous environment published the label with other content (these hashes). */
  otherContent?: string[];
  /** A guide the previous environment cannot have run: it does not serve AI Studio, or has no guide of that name. */
  noGuide?: 'no-surface' | 'absent';
  /** A guide whose content the previous environment holds only in a Draft version: saved there, never run. */
  draftOnly?: true;
}

/** Every version the plan publishes, or routes more traffic to than the live split does, once each, sorted. */
export function promotedVersions(plan: Pick<Plan, 'actions'>): PromotedVersion[] {
  // What each version's content is here: the body a write sends, or what the live one holds (its guard).
  const content = new Map<string, string>();
  for (const a of plan.actions) {
    if (a.kind !== 'PromptVersion') continue;
    const hash = (a.action === 'create' || a.action === 'update') && a.desired.kind === 'PromptVersion' ? contentHash(a.desired.body) : guardOf(a)?.hash;
    if (hash) content.set(a.address, hash);
  }
  const found = new Map<string, PromotedVersion>();
  const add = (template: string, version: string, why: PromotedVersion['why']) => {
    const address = versionAddress(template, version);
    if (found.has(address)) return;
    const hash = content.get(address);
    found.set(address, { template, version, address, why, ...(hash ? { hash } : {}) });
  };
  for (const a of plan.actions) {
    if (a.action !== 'create' && a.action !== 'update') continue;
    if (a.desired.kind === 'PromptVersion' && a.version !== undefined && (a.action === 'create' || a.desired.publish)) add(a.name, a.version, 'published');
    if (a.desired.kind === 'Guide' && !found.has(a.address)) {
      found.set(a.address, { template: a.name, version: '', address: a.address, why: 'published', hash: guideContentHash(a.desired.body), kind: 'Guide' });
    }
    if (a.desired.kind === 'TrafficSplit') {
      const before = liveWeights(a);
      for (const r of a.desired.body.routes) if (r.weight > (before[r.version] ?? 0)) add(a.name, r.version, 'routed');
    }
  }
  return [...found.values()].sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0));
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

/**
 * The versions of `wanted` that the previous environment's live org has not published, or has
 * published with other content under the same label (it ran something else).
 */
export function promotionGaps(wanted: readonly PromotedVersion[], previous: Pick<LiveState, 'templates' | 'guides' | 'unavailable'>): PromotionGap[] {
  const published = new Map<string, string>();
  for (const t of previous.templates) {
    for (const v of t.versions ?? []) if (v.state === 'Published') published.set(versionAddress(t.name, v.version), contentHash(v));
  }
  const guideContent = new Map((previous.guides ?? []).map((g) => [g.name, guideVersionsHeld(g)]));
  const gaps: PromotionGap[] = [];
  for (const w of wanted) {
    if (w.kind === 'Guide') {
      const held = guideContent.get(w.template);
      if (previous.unavailable?.includes('aistudio')) gaps.push({ ...w, noGuide: 'no-surface' });
      else if (!held) gaps.push({ ...w, noGuide: 'absent' });
      else if (!w.hash || !held.ran.has(w.hash)) gaps.push(w.hash !== undefined && held.draft.has(w.hash) ? { ...w, draftOnly: true } : w);
      continue;
    }
    const there = published.get(w.address);
    if (there === undefined) gaps.push(w);
    else if (w.hash !== undefined && there !== w.hash) gaps.push({ ...w, otherContent: [there] });
  }
  return gaps;
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

/** One problem per gap, naming the version, the environment and the one before it. */
export function promotionProblems(gaps: readonly PromotionGap[], env: string, previous: string): PlanProblem[] {
  return gaps.map((g) => ({
    address: g.address,
    rule: PROMOTION_RULE,
    message: promotionMessage(g, env, previous),
  }));
}

export function promotionMessage(g: PromotionGap, env: string, previous: string): string {
  if (g.kind === 'Guide') {
    if (g.noGuide === 'no-surface') {
      return `guide "${g.template}" would be written in ${env}, but ${previous} (before ${env} in promotion) does not serve AI Studio, so no guide can run there first: leave guides out of ${env} (metadata.environments) or promote them through an environment that serves AI Studio`;
    }
    if (g.noGuide === 'absent') {
      return `guide "${g.template}" would be written in ${env}, but ${previous} (before ${env} in promotion) has no guide of that name: apply it to ${previous} first (its documents must include ${previous}: metadata.environments)`;
    }
    if (g.draftOnly) {
      return `guide "${g.template}" would get content ${g.hash?.slice(0, 12) ?? ''} in ${env}, but ${previous} (before ${env} in promotion) holds that content only in a Draft version, which has not run there: publish it in ${previous} first (TestReady or ProductionReady: the guide's spec.publish, or guidePublish of environment ${previous} in promptctl.yaml), then apply to ${previous}`;
    }
    return `guide "${g.template}" would get content ${g.hash?.slice(0, 12) ?? ''} in ${env}, but ${previous} (before ${env} in promotion) has no version of it with that content: apply it to ${previous} first`;
  }
  const does = g.why === 'published' ? 'published' : 'given more traffic';
  if (g.otherContent) {
    return `version ${g.version} of template "${g.template}" would be ${does} in ${env} with content ${g.hash!.slice(0, 12)}, but ${previous} (before ${env} in promotion) published other content under that label (${g.otherContent.map((h) => h.slice(0, 12)).join(', ')}): what ${env} would run, ${previous} never ran`;
  }
  return `version ${g.version} of template "${g.template}" would be ${does} in ${env}, but ${previous} (before ${env} in promotion) has never published it: apply it to ${previous} first`;
}

/**
 * The promotion line's count: "2 of 2 versions and 1 of 1 guide brought to prod are published in
 * staging". A guide counts as published when a TestReady or ProductionReady version holds its content.
 */
export function promotionSummary(wanted: readonly PromotedVersion[], gaps: readonly PromotionGap[], env: string, previous: string): string {
  const kinds = [
    { noun: 'version', of: (w: PromotedVersion) => w.kind === undefined },
    { noun: 'guide', of: (w: PromotedVersion) => w.kind === 'Guide' },
  ];
  const parts: string[] = [];
  for (const k of kinds) {
    const n = wanted.filter(k.of).length;
    if (n > 0) parts.push(`${n - gaps.filter(k.of).length} of ${n} ${k.noun}${n === 1 ? '' : 's'}`);
  }
  return `${parts.join(' and ')} brought to ${env} ${wanted.length === 1 ? 'is' : 'are'} published in ${previous}`;
}

/** A guide version's content alone (not its state): what must have run before. */
function guideContentHash(body: Parameters<typeof contentCanonical>[0]): string {
  return canonicalHash(contentCanonical(body));
}

/** The plan with `problems` added, its fingerprint sealed again (the fingerprint covers problems). */
export function withProblems(plan: Plan, problems: readonly PlanProblem[]): Plan {
  if (problems.length === 0) return plan;
  const next: Plan = { ...plan, problems: [...plan.problems, ...problems] };
  next.fingerprint = planFingerprint(next);
  return next;
}
