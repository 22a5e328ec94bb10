// Guide: an AI Studio guide, as the content its production version must have (DESIGN §2, §3b).
// Its canonical form (a version's content and state), model ⇄ wire, and the calls apply makes:
// create the guide, create or fill a version (Genesys assigns the labels), edit a Draft in place,
// publish (the client waits for the job) and delete (an asynchronous job the client waits for).
// Planning is in plan.ts; a variable's own conversion (wire, model, canonical) in variables.ts.
import { guideAddress } from '../../model/address.js';
import type { Guide, GuidePublishState } from '../../model/types.js';
import type { AiStudioApi } from '../../targets/aistudio/api.js';
import type {
  LATEST_NOT_PRODUCTION_READY_CODE,
  GuideCreate,
  GuideVersionContent,
  GuideVersionPatch,
  GuideVersionState,
  WireGuide,
  WireGuideVersion,
} from '../../targets/aistudio/wire.js';
import type { LiveGuide } from '../../targets/live.js';
import type { PlanAction, WriteAction } from '../action.js';
import { asLoaded, canonicalEqual, canonicalHash, optionalText, type Canonical } from '../canonical.js';
import { setEntry } from '../../util/entries.js';
import type { ApplyContext, CallResult, Kind, Midway, MidwayIntent, Snapshot } from '../kind.js';
import { LIVE_SOURCE } from '../live-source.js';
import { countOwned } from '../ownership.js';
import { afterLanded, aiStudioOf, assertWrite, desiredOf, GuardMoved, Interrupted, isApiError, readOrGone, stopIfInterrupted, type Landed } from '../shared.js';
import { planGuides } from './plan.js';
import { unexpressedVariables, variableCanonical, variableFromWire, variableToWire } from './variables.js';

/** A guide version as plan and audit see it: its content and its state (null: no version yet). */
export interface GuideForm {
  content: GuideVersionContent;
  state: GuideVersionState | null;
}

/** Draft < TestReady < ProductionReady: a state "reaches" every state up to its own. */
export const STATE_RANK: Readonly<Record<GuideVersionState, number>> = { Draft: 0, TestReady: 1, ProductionReady: 2 };

export function reaches(have: GuideVersionState, want: GuidePublishState): boolean {
  return STATE_RANK[have] >= STATE_RANK[want];
}

/**
 * The content of a version: variables keyed by name and data actions by id (their order is not a
 * change), absent optionals as null, the instruction exactly as written. A variable's validation,
 * list settings and conversation attributes count only when set (absent, null, {} and [] are one
 * value), so a guide without them has the form it always had. Knowledge inherited from an external
 * source (which the YAML cannot express) is kept when present, so that a plan shows applying drops it.
 */
export function contentCanonical(c: GuideVersionContent): Canonical {
  const variables: Canonical = {};
  for (const v of c.variables ?? []) setEntry(variables, v.name, variableCanonical(v));
  const dataActions: Canonical = {};
  for (const d of c.resources?.dataActions ?? []) setEntry(dataActions, d.id, { label: d.label, description: optionalText(d.description) });
  const k = c.knowledgeSettings;
  const knowledge: Canonical | null =
    k && (k.knowledgeId || k.description || k.knowledgeType || k.inheritFromExternal)
      ? {
          knowledgeId: optionalText(k.knowledgeId),
          description: optionalText(k.description),
          knowledgeType: k.knowledgeType ?? null,
          ...(k.inheritFromExternal ? { inheritFromExternal: true } : {}),
        }
      : null;
  return { instruction: asLoaded(c.instruction), variables, dataActions, knowledge };
}

/** The ONE canonical form of a guide: its (latest, or desired) version's content and state. */
export function canonical(g: GuideForm): Canonical {
  return { ...contentCanonical(g.content), state: g.state };
}

/** The content of a live version, as a body. */
export function versionContent(v: WireGuideVersion): GuideVersionContent {
  const out: GuideVersionContent = { instruction: v.instruction };
  if (v.variables !== undefined) out.variables = v.variables;
  if (v.resources !== undefined) out.resources = v.resources;
  if (v.knowledgeSettings !== undefined) out.knowledgeSettings = v.knowledgeSettings;
  return out;
}

/** The canonical form of a live version (content and state). */
export function liveCanonical(v: WireGuideVersion): Canonical {
  return canonical({ content: versionContent(v), state: v.state });
}

/** "Did my write land?": the live version holds the content that was sent (its state aside). */
export function landed(sent: GuideVersionContent, live: GuideVersionContent): boolean {
  return canonicalEqual(contentCanonical(sent), contentCanonical(live));
}

/** "Did my create land?": a guide of that name and source. */
export function guideLanded(sent: GuideCreate, live: WireGuide): boolean {
  return sent.name === live.name && sent.source === live.source;
}

export function toWire(g: Guide): GuideVersionContent {
  const body: GuideVersionContent = {
    instruction: g.instruction,
    variables: g.variables.map(variableToWire),
    resources: {
      dataActions: g.dataActions.map((d) => ({ id: d.id, label: d.label, ...(d.description !== undefined ? { description: d.description } : {}) })),
    },
  };
  if (g.knowledge) {
    body.knowledgeSettings = { knowledgeId: g.knowledge.knowledgeId };
    if (g.knowledge.description !== undefined) body.knowledgeSettings.description = g.knowledge.description;
    if (g.knowledge.knowledgeType !== undefined) body.knowledgeSettings.knowledgeType = g.knowledge.knowledgeType;
  }
  return body;
}

/**
 * A live version as the model (what export writes): its content, and `publish` its state. What the
 * YAML cannot express is left out; `unexpressed` names it.
 */
export function fromWire(name: string, v: WireGuideVersion): Guide {
  const g: Guide = {
    kind: 'Guide',
    name,
    labels: {},
    instruction: v.instruction,
    variables: (v.variables ?? []).map(variableFromWire),
    dataActions: (v.resources?.dataActions ?? []).map((d) => ({ id: d.id, label: d.label, ...(d.description ? { description: d.description } : {}) })),
    publish: v.state,
    source: LIVE_SOURCE,
    locations: {},
  };
  const k = v.knowledgeSettings;
  if (k?.knowledgeId) {
    g.knowledge = { knowledgeId: k.knowledgeId };
    if (k.description) g.knowledge.description = k.description;
    if (k.knowledgeType) g.knowledge.knowledgeType = k.knowledgeType;
  }
  return g;
}

/** What of a live version the YAML cannot hold (export warns; a plan would drop it). */
export function unexpressed(v: WireGuideVersion): string[] {
  const out: string[] = unexpressedVariables(v.variables);
  if (v.knowledgeSettings?.inheritFromExternal) out.push('knowledgeSettings.inheritFromExternal');
  if (v.knowledgeSettings && !v.knowledgeSettings.knowledgeId && (v.knowledgeSettings.description || v.knowledgeSettings.knowledgeType)) {
    out.push('knowledgeSettings (without a knowledgeId)');
  }
  return out;
}

export function snapshot(v: WireGuideVersion | undefined): Snapshot {
  if (!v) return { version: null, hash: null, content: null };
  const content = liveCanonical(v);
  return { version: v.version, hash: canonicalHash(content), content };
}

// ---- apply -------------------------------------------------------------------------------

/**
 * The guard of an update or delete against the guide as it is now: same guide under the same
 * name, same latest version, in the same state, with the same content. Returns that version
 * (undefined: none). The name counts because it is the identity: a guide renamed by hand since
 * the plan is no longer the one git names (nor, for a prune, promptctl's).
 */
async function checkGuard(a: Extract<PlanAction, { action: 'update' | 'delete' }>, api: AiStudioApi, g: WireGuide): Promise<WireGuideVersion | undefined> {
  if (g.name !== a.name) throw new GuardMoved(a, `renamed "${a.name}" → "${g.name}"`);
  const label = g.latestSavedVersion?.version;
  if (label !== a.guard.label) {
    throw new GuardMoved(a, `latest version ${a.guard.label ?? 'none'} → ${label ?? 'none'}`);
  }
  if (!label) return undefined;
  const v = await readOrGone(() => api.getGuideVersion(g.id, label));
  if (!v) throw new GuardMoved(a, `version ${label} is gone`);
  if (a.guard.state !== undefined && v.state !== a.guard.state) throw new GuardMoved(a, `version ${label} ${a.guard.state} → ${v.state}`);
  const hash = canonicalHash(liveCanonical(v));
  if (a.guard.hash !== undefined && hash !== a.guard.hash) {
    throw new GuardMoved(a, `content hash of version ${label} ${a.guard.hash.slice(0, 12)} → ${hash.slice(0, 12)}`);
  }
  return v;
}

/** The client's code for "the latest version is not ProductionReady" (kinds see targets' types only). */
const LATEST_NOT_READY: typeof LATEST_NOT_PRODUCTION_READY_CODE = 'latest.version.not.production.ready';

function isLatestNotProductionReady(err: unknown): boolean {
  return isApiError(err) && err.code === LATEST_NOT_READY;
}

/** A PATCH that makes the version hold `body` exactly: a knowledge setting git dropped is cleared. */
function fullPatch(body: GuideVersionContent, live: WireGuideVersion | undefined): GuideVersionPatch {
  const patch: GuideVersionPatch = { ...body };
  // null clears a field on PATCH; only sent when there is something to clear.
  if (body.knowledgeSettings === undefined && live?.knowledgeSettings !== undefined) {
    patch.knowledgeSettings = null;
  }
  return patch;
}

/**
 * Writes `body` into the latest version when it is not ProductionReady, else into a new one.
 * `beforeWrite` is checked before each write (an interrupt ends the action there).
 */
async function writeContent(api: AiStudioApi, guideId: string, body: GuideVersionContent, beforeWrite: () => void): Promise<{ v: WireGuideVersion; verb: string }> {
  const g = await api.getGuide(guideId);
  const label = g.latestSavedVersion?.version;
  if (label) {
    const latest = await api.getGuideVersion(guideId, label);
    if (landed(body, latest)) return { v: latest, verb: `version ${label} already holds it` };
    if (latest.state !== 'ProductionReady') {
      beforeWrite();
      return { v: await api.patchGuideVersion(guideId, label, fullPatch(body, latest)), verb: `wrote version ${label}` };
    }
  }
  try {
    beforeWrite();
    const v = await api.createGuideVersion(guideId, body);
    return { v, verb: `created version ${v.version}` };
  } catch (err) {
    // A Draft appeared since we read the guide (a new guide's empty first version, shown late).
    if (!isLatestNotProductionReady(err)) throw err;
    const again = (await api.getGuide(guideId)).latestSavedVersion?.version;
    if (!again) throw err;
    const latest = await api.getGuideVersion(guideId, again);
    beforeWrite();
    return { v: await api.patchGuideVersion(guideId, again, fullPatch(body, latest)), verb: `wrote version ${again}` };
  }
}

async function apply(a: PlanAction, ctx: ApplyContext): Promise<CallResult> {
  assertWrite(a);
  const api = aiStudioOf(ctx, a);
  if (a.action === 'delete') {
    const g = await readOrGone(() => api.getGuide(a.liveId));
    if (!g) return { resourceId: a.liveId, after: null, detail: `already gone (id ${a.liveId})` };
    await checkGuard(a, api, g);
    stopIfInterrupted(ctx, a, 'the delete');
    await api.deleteGuide(a.liveId).catch((err: unknown) => {
      // The delete job's request went; a read confirming it was held back by the interrupt (one
      // that would have had to wait): the delete is started, whether it ended left to the next plan.
      if (isApiError(err) && err.notResent && err.method === 'GET') {
        throw new Interrupted(a, { done: [`started deleting the guide, id ${a.liveId}`], after: null, resourceId: a.liveId }, 'confirming its delete', 'whether it is gone');
      }
      throw err;
    });
    return { resourceId: a.liveId, after: null, detail: `deleted (id ${a.liveId})` };
  }
  const d = desiredOf(a, 'Guide');
  const done: string[] = [];
  let guideId: string;
  let v: WireGuideVersion;
  if (a.action === 'create') {
    // The client reconciles a lost answer by name, so a retry never makes a second guide.
    const g = await api.createGuide({ name: a.name, source: 'Manual' });
    guideId = g.id;
    done.push(`created guide (id ${g.id})`);
    // Stopped here, the guide holds none of its content (its version, if any, is the empty first one).
    const created: Landed = { done: [`created guide (id ${g.id}) without its content`], after: null, resourceId: g.id };
    const w = await afterLanded(a, 'writing its content', created, () => writeContent(api, guideId, d.body, () => stopIfInterrupted(ctx, a, 'writing its content', created)));
    v = w.v;
    done.push(w.verb);
  } else {
    guideId = a.liveId;
    const g = await readOrGone(() => api.getGuide(guideId));
    if (!g) throw new GuardMoved(a, 'the guide was deleted');
    const latest = await checkGuard(a, api, g);
    if (d.write === 'patch') {
      if (!latest) throw new Error(`${a.address}: the plan edits a version the guide does not have`);
      stopIfInterrupted(ctx, a, 'writing its content');
      v = await api.patchGuideVersion(guideId, latest.version, fullPatch(d.body, latest));
      // Said from the answer: a TestReady version whose content changes is a Draft again (E5).
      const back = v.state !== latest.state ? `, which put it back to ${v.state}` : '';
      done.push(`edited ${latest.state} ${latest.version} in place${back}`);
    } else if (d.write === 'version') {
      stopIfInterrupted(ctx, a, 'writing its content');
      // Reconciled by content after a lost answer: a retry never makes a second version.
      v = await api.createGuideVersion(guideId, d.body);
      done.push(`created version ${v.version}`);
    } else {
      if (!latest) throw new Error(`${a.address}: the plan publishes a version the guide does not have`);
      v = latest;
    }
  }
  if (!reaches(v.state, d.state)) {
    // What this action wrote stays in its state below git's: the next plan publishes it.
    const written = done.length > 0 ? { done: [...done, `version ${v.version} holds the content in ${v.state}, not yet ${d.state}`], after: snapshot(v), resourceId: guideId } : undefined;
    stopIfInterrupted(ctx, a, `publishing it to ${d.state}`, written);
    // Draft never needs publishing; the client waits for the job (or, without one, for the state).
    const version = v.version;
    v = await afterLanded(a, `publishing it to ${d.state}`, written, () =>
      api.publishGuideVersion(guideId, version, d.state as Exclude<GuidePublishState, 'Draft'>).catch((err: unknown) => {
        // The publish job's POST went; a read confirming it was held back by the interrupt (one
        // that would have had to wait): the publish is started, its state left to the next plan.
        if (isApiError(err) && err.notResent && err.method === 'GET') {
          throw new Interrupted(a, { done: [...done, `started publishing ${version} to ${d.state}`], after: null, resourceId: guideId }, 'confirming its publish', 'whether it got there');
        }
        throw err;
      }),
    );
    done.push(`published ${v.version} to ${v.state}`);
  }
  const after = snapshot(v);
  return { resourceId: guideId, after, detail: `${done.join(', ')} (hash ${after.hash!.slice(0, 12)})` };
}

/** An intent's `after`: the desired content in the desired state, at the label it will have when known. */
function intended(a: WriteAction): Snapshot {
  const d = desiredOf(a, 'Guide');
  const content = canonical({ content: d.body, state: d.state });
  const label = a.action === 'update' && (d.write === 'patch' || d.write === 'none') ? (a.guard.label ?? null) : null;
  return { version: label, hash: canonicalHash(content), content };
}

/**
 * A guide is written in steps: the guide, its version's content, then the publish to the state git
 * asks for. A run that died between them leaves what only these calls make: a new guide without
 * a version or with the empty first one a new guide starts with (emulator E1, as the Terraform
 * provider's fallback suggests), or the intended content below the state git asks for. A publish
 * alone is one call and leaves nothing halfway; a guide that lost its versions since it was
 * planned was deleted and made again by someone else (versions are never deleted one by one).
 */
function midway({ before, after }: MidwayIntent): Midway[] {
  const content = canonicalOf(after.content);
  const want = content?.['state'];
  if (!content || typeof want !== 'string' || !(want in STATE_RANK)) return [];
  const was = canonicalOf(before?.content);
  if (was && canonicalEqual({ ...was, state: null }, { ...content, state: null })) return [];
  const lower = (Object.keys(STATE_RANK) as GuideVersionState[]).filter((s) => STATE_RANK[s] < STATE_RANK[want as GuideVersionState]);
  const steps: Midway[] = [];
  if (before === null) {
    const left = 'the guide exists but holds none of its content yet';
    const note = `partly applied: ${left} (the next apply writes it)`;
    steps.push({ hash: null, left, note }, { hash: canonicalHash(liveCanonical(EMPTY_FIRST_VERSION)), left, note });
  }
  for (const state of lower) {
    const left = `the guide’s latest version holds the intended content in ${state}, not yet ${want}`;
    steps.push({ hash: canonicalHash({ ...content, state }), left, note: `partly applied: ${left} (the next apply publishes it)` });
  }
  return steps;
}

/**
 * A guide's publish job moves its version's state up to the one git asks for: until it ends, the
 * version holds the intended content in a state below it (where a write left it, or where it was
 * for a publish alone).
 */
function publishing({ after }: MidwayIntent): string[] {
  const content = canonicalOf(after.content);
  const want = content?.['state'];
  if (!content || typeof want !== 'string' || !(want in STATE_RANK)) return [];
  return (Object.keys(STATE_RANK) as GuideVersionState[]).filter((s) => STATE_RANK[s] < STATE_RANK[want as GuideVersionState]).map((state) => canonicalHash({ ...content, state }));
}

/** The version a new guide may start with (its label and dates do not count in its hash). */
const EMPTY_FIRST_VERSION: WireGuideVersion = {
  selfUri: '',
  guide: { id: '' },
  version: '1.0',
  instruction: '',
  state: 'Draft',
  dateCreated: '',
  dateModified: '',
};

function canonicalOf(v: unknown): Canonical | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Canonical) : undefined;
}

/**
 * The requests an action makes when nothing goes wrong (test/integration/aistudio-apply.test.ts
 * counts them on the emulator): a new guide is its POST, its first version read and filled (a
 * PATCH); an update reads the guide and its latest version, then writes a version or edits one in
 * place, or writes nothing when it only publishes; a publish is its job, a poll and the version read
 * back. A delete reads the guide and its versions, deletes and reads until the guide is gone.
 */
function expectedRequests(a: PlanAction): number {
  if (a.action === 'delete') return 5;
  if (a.action !== 'create' && a.action !== 'update') return 0;
  const d = desiredOf(a, 'Guide');
  const publish = d.state === 'Draft' ? 0 : 3;
  if (a.action === 'create') return 4 + publish;
  return 2 + (d.write === 'none' ? 0 : 1) + publish;
}

export const GuideKind: Kind<GuideForm> = {
  kind: 'Guide',
  surface: 'guides',
  phase: { write: 7, remove: 8 },
  canonical,
  documents: (desired) => desired.guides,
  managed: (live, ctx) => countOwned(ctx.owned, 'Guide', (live.guides ?? []).map((g) => g.name)),
  plan: planGuides,
  apply,
  expectedRequests,
  intended,
  midway,
  publishing,
  *snapshots(live) {
    for (const g of live.guides ?? []) yield [guideAddress(g.name), snapshot((g as LiveGuide).latest), g.id];
  },
};
