// SummarySetting: a conversation summary setting (DESIGN §2, §3b). Its canonical form (the whole
// setting: a PUT replaces it), model ⇄ wire (`maskPII: boolean` ⇄ `{all}`, a prompt ⇒ settingType
// Prompt), planning against the live settings, and the calls apply makes. There is no integer
// version: an update is guarded by the content hash and the dateModified read at plan time.
import { summarySettingAddress } from '../../model/address.js';
import type { DesiredState, SummaryCustomEntity, SummarySetting } from '../../model/types.js';
import type { SummarySettingBody, WireSummarySetting } from '../../targets/aistudio/wire.js';
import type { DeleteAction, FieldChange, PlanAction, PlanPart, PlanProblem } from '../action.js';
import { textTokenCounter, textTokenDelta } from '../aistudio-tokens.js';
import { asLoaded, canonicalEqual, canonicalHash, describeCreate, optionalText, type Canonical } from '../canonical.js';
import type { ApplyContext, CallResult, Kind, LiveState, PlanContext, Snapshot } from '../kind.js';
import { LIVE_SOURCE } from '../live-source.js';
import { aiStudioAbsentFromGit, countOwned } from '../ownership.js';
import { keptOutWords } from '../labels.js';
import { aiStudioOf, assertWrite, caseTwin, desiredOf, GuardMoved, noteRenamedOnTarget, readOrGone, renameNote, settleAgainstLive, stopIfInterrupted } from '../shared.js';
import { byCodeUnits } from '../../util/compare.js';

/** A setting's type: Prompt when a prompt drives it (what the emulator and, we assume, Genesys default to). */
function settingTypeOf(s: SummarySettingBody): 'Basic' | 'Prompt' {
  return s.settingType ?? (typeof s.prompt === 'string' && s.prompt.trim() !== '' ? 'Prompt' : 'Basic');
}

/**
 * The whole setting but its name (the identity) with defaults applied: interactionType Live,
 * serviceType Native, settingType from the prompt; the language in BCP-47's conventional casing
 * (tags are case-insensitive); insights as a set; absent lists empty, absent labels null (and an
 * absent ORG_FILLED field null: a body's null there means "left to the org", see `heldWhereLeftOut`). A
 * Basic setting's prompt is kept too: git cannot hold one (a prompt in YAML makes the setting
 * Prompt-type, DESIGN §2), but the org may, and a PUT replaces the whole setting, so a plan must
 * show that it goes (and an audit record must hold it).
 */
export function canonical(s: SummarySettingBody): Canonical {
  const type = settingTypeOf(s);
  return {
    language: bcp47(s.language),
    interactionType: s.interactionType ?? 'Live',
    summaryType: s.summaryType ?? null,
    format: s.format ?? null,
    maskPII: s.maskPII ? s.maskPII.all : null,
    participantLabels: { internal: optionalText(s.participantLabels?.internal), external: optionalText(s.participantLabels?.external) },
    predefinedInsights: [...new Set(s.predefinedInsights ?? [])].sort(),
    customEntities: (s.customEntities ?? []).map((e) => ({ label: optionalText(e.label), description: optionalText(e.description) })),
    settingType: type,
    prompt: type === 'Prompt' ? (asLoaded(s.prompt) ?? null) : optionalText(asLoaded(s.prompt)),
    serviceType: s.serviceType ?? 'Native',
    integrationId: optionalText(s.integrationId),
    timeoutDuration: s.timeoutDuration ?? null,
  };
}

/**
 * The fields a real org may fill in by itself when a write leaves them out (A17: the Platform API
 * documents no defaults for them, and names none). Left out of git, each is the org's, as
 * Terraform's "optional + computed": neither compared nor reset, and a PUT carries what the org
 * holds. Lists, labels, the prompt and the External service's fields (integrationId, and
 * timeoutDuration, which the SDK gives no default) are the user's content, which no server is
 * seen to invent; serviceType is already read as Native when absent.
 */
const ORG_FILLED = ['summaryType', 'format', 'maskPII'] as const satisfies ReadonlyArray<keyof SummarySettingBody>;

/** `body` with each ORG_FILLED field it leaves out as `live` holds it (absent where live has none). */
function keepOrgFilled(body: SummarySettingBody, live: SummarySettingBody): SummarySettingBody {
  const out: SummarySettingBody = { ...body };
  for (const k of ORG_FILLED) if (out[k] === undefined || out[k] === null) takeLive(out, live, k);
  return out;
}

/** `out[k]` as `live` holds it, or absent. */
function takeLive<K extends keyof SummarySettingBody>(out: SummarySettingBody, live: SummarySettingBody, k: K): void {
  const v = live[k];
  if (v === undefined || v === null) delete out[k];
  else out[k] = v;
}

/**
 * A canonical form meant by a write (`intended`) with each ORG_FILLED field it left out (null) as
 * the live setting's form holds it: what "the write landed" compares, so that whatever the org
 * filled in is accepted (a create sends none of them; a PUT sends them only where the org held one).
 */
function heldWhereLeftOut(intended: Canonical, live: Canonical): Canonical {
  const out: Canonical = { ...intended };
  for (const k of ORG_FILLED) if (out[k] === null && Object.hasOwn(live, k)) out[k] = live[k]!;
  return out;
}

/** "Did my write land?": a setting of that name holding what was sent, the fields it left out as the org filled them. */
export function landed(sent: SummarySettingBody, live: SummarySettingBody): boolean {
  return sent.name === live.name && holdsWritten(canonical(sent), canonical(live));
}

/** The body a write sends: the language as the plan shows it, in BCP-47's conventional casing (`de-de` is sent `de-DE`). */
export function toWire(s: SummarySetting): SummarySettingBody {
  const body: SummarySettingBody = { name: s.name, language: bcp47(s.language) };
  if (s.interactionType !== undefined) body.interactionType = s.interactionType;
  if (s.summaryType !== undefined) body.summaryType = s.summaryType;
  if (s.format !== undefined) body.format = s.format;
  if (s.maskPII !== undefined) body.maskPII = { all: s.maskPII };
  if (s.participantLabels !== undefined) body.participantLabels = { ...s.participantLabels };
  if (s.predefinedInsights !== undefined) body.predefinedInsights = [...s.predefinedInsights];
  if (s.customEntities !== undefined) body.customEntities = s.customEntities.map((e) => ({ label: e.label, description: e.description }));
  // A PUT replaces the whole setting: the type is always said, so dropping the prompt makes it Basic.
  body.settingType = s.prompt !== undefined ? 'Prompt' : 'Basic';
  if (s.prompt !== undefined) body.prompt = s.prompt;
  if (s.serviceType !== undefined) body.serviceType = s.serviceType;
  if (s.integrationId !== undefined) body.integrationId = s.integrationId;
  if (s.timeoutDuration !== undefined) body.timeoutDuration = s.timeoutDuration;
  return body;
}

/**
 * `body` with the text fields the canonical form reads as none when empty (a custom entity's
 * description, the participant labels, the integration id) sent as the live setting holds them
 * where both are empty: an empty one left out, or kept, as live. The schema (DESIGN §2) requires
 * an entity's description, so git, and an export, write `description: ""` for one that has none,
 * and export leaves out empty labels and ids; the plan shows no change there, so the PUT (which
 * replaces the whole setting) must make none either: an entity would gain a description, or an
 * empty label or id go, that no plan showed.
 */
export function emptyAsLive(body: SummarySettingBody, live: SummarySettingBody): SummarySettingBody {
  const out: SummarySettingBody = { ...body };
  if (body.customEntities !== undefined) {
    const without = new Set((live.customEntities ?? []).filter((e) => isEmpty(e.description) && e.description !== '').map((e) => e.label));
    out.customEntities = body.customEntities.map((e) => (e.description === '' && without.has(e.label) ? { label: e.label } : e));
  }
  const labels = asLiveWhereEmpty(body.participantLabels ?? {}, live.participantLabels ?? {}, ['internal', 'external']);
  if (Object.keys(labels).length > 0) out.participantLabels = labels;
  else delete out.participantLabels;
  if (isEmpty(body.integrationId) && isEmpty(live.integrationId)) {
    if (live.integrationId === undefined || live.integrationId === null) delete out.integrationId;
    else out.integrationId = live.integrationId;
  }
  return out;
}

/**
 * `body` with the language as the live setting spells it when it is the same tag: tags are
 * case-insensitive, so the plan shows no change there, and the PUT (made for another field) must
 * make none either; a new tag is sent as the plan shows it.
 */
export function languageAsLive(body: SummarySettingBody, live: SummarySettingBody): SummarySettingBody {
  return bcp47(live.language) === bcp47(body.language) ? { ...body, language: live.language } : body;
}

/** `git`'s fields with each that is empty on both sides as `live` holds it (absent where live has none). */
function asLiveWhereEmpty<T extends { [K in keyof T]?: string | null }>(git: T, live: T, keys: readonly (keyof T)[]): T {
  const out: T = { ...git };
  for (const k of keys) {
    if (!isEmpty(git[k]) || !isEmpty(live[k])) continue;
    if (live[k] === undefined || live[k] === null) delete out[k];
    else out[k] = live[k];
  }
  return out;
}

function isEmpty(v: string | null | undefined): boolean {
  return v === undefined || v === null || v === '';
}

export function fromWire(w: SummarySettingBody): SummarySetting {
  const s: SummarySetting = { kind: 'SummarySetting', name: w.name, labels: {}, language: w.language, source: LIVE_SOURCE, locations: {} };
  if (w.interactionType !== undefined) s.interactionType = w.interactionType;
  if (w.summaryType !== undefined) s.summaryType = w.summaryType;
  if (w.format !== undefined) s.format = w.format;
  if (w.maskPII !== undefined && w.maskPII !== null) s.maskPII = w.maskPII.all;
  const labels = w.participantLabels;
  if (labels && (labels.internal || labels.external)) {
    s.participantLabels = {};
    if (labels.internal) s.participantLabels.internal = labels.internal;
    if (labels.external) s.participantLabels.external = labels.external;
  }
  if (w.predefinedInsights && w.predefinedInsights.length > 0) s.predefinedInsights = [...w.predefinedInsights];
  if (w.customEntities && w.customEntities.length > 0) {
    s.customEntities = w.customEntities.map((e): SummaryCustomEntity => ({ label: e.label ?? '', description: e.description ?? '' }));
  }
  if (settingTypeOf(w) === 'Prompt' && w.prompt !== undefined) s.prompt = w.prompt;
  if (w.serviceType !== undefined) s.serviceType = w.serviceType;
  if (w.integrationId) s.integrationId = w.integrationId;
  if (w.timeoutDuration !== undefined && w.timeoutDuration !== null) s.timeoutDuration = w.timeoutDuration;
  return s;
}

export function snapshot(s: WireSummarySetting): Snapshot {
  const content = canonical(s);
  return { version: null, hash: canonicalHash(content), content };
}

/** A BCP-47 tag in its conventional casing ("en-us" → "en-US", "zh-hant-tw" → "zh-Hant-TW"): tags are case-insensitive. */
export function bcp47(tag: string): string {
  return tag
    .split('-')
    .map((part, i) => (i === 0 ? part.toLowerCase() : part.length === 2 ? part.toUpperCase() : part.length === 4 ? part[0]!.toUpperCase() + part.slice(1).toLowerCase() : part.toLowerCase()))
    .join('-');
}

// ---- plan --------------------------------------------------------------------------------

export function planSummarySettings(desired: DesiredState, live: LiveState, ctx: PlanContext): PlanPart {
  const part: PlanPart = { actions: [], problems: [], unmanaged: [], warnings: [] };
  const settings = live.summarySettings ?? [];
  const liveByName = new Map(settings.map((s) => [s.name, s]));
  const wanted = new Set(desired.summarySettings.map((s) => s.name));
  const count = ctx.textTokens ?? textTokenCounter();
  const creates: Created[] = [];
  for (const d of [...desired.summarySettings].sort((a, b) => byCodeUnits(a.name, b.name))) {
    const l = liveByName.get(d.name);
    const twin = l ? undefined : caseTwin('SummarySetting', summarySettingAddress(d.name), d.name, settings);
    if (twin) {
      part.problems.push(twin);
      continue;
    }
    const readOnly = interactionTypeProblem(d, l);
    if (readOnly) {
      part.problems.push(readOnly);
      continue;
    }
    // A17: a field the org fills in, left out of git, keeps the org's (the PUT replaces the whole
    // setting, so it carries it); a create sends none, and takes what the org fills.
    const body = l ? keepOrgFilled(languageAsLive(emptyAsLive(toWire(d), l), l), l) : toWire(d);
    // interactionType is read-only on the platform: left out of git, the setting keeps the org's.
    if (body.interactionType === undefined && l?.interactionType !== undefined) body.interactionType = l.interactionType;
    const after = canonical(body);
    const desiredBody = { kind: 'SummarySetting' as const, body };
    const common = { address: summarySettingAddress(d.name), kind: 'SummarySetting' as const, name: d.name, dependsOn: [] };
    let a: PlanAction;
    if (!l) {
      a = { ...common, desired: desiredBody, action: 'create', changes: withoutPrompt(describeCreate(after)) };
      creates.push({ action: a, after, typeLeftOut: body.interactionType === undefined });
    } else {
      const before = canonical(l);
      a = settleAgainstLive({ ...common, liveId: l.id, guard: { dateModified: l.dateModified } }, () => desiredBody, before, after, l, ctx.sealed);
      if (a.action === 'update') a.changes = withoutPrompt(a.changes);
    }
    if (a.action !== 'noop') {
      const was = l && canonical(l).prompt;
      const now = after.prompt;
      if (typeof now === 'string' && now !== was) {
        a.text = [{ field: 'prompt', before: typeof was === 'string' ? was : '', after: now }];
        const t = textTokenDelta(count, ctx.config, undefined, now, typeof was === 'string' ? was : undefined);
        if (t) a.tokens = t;
      } else if (typeof was === 'string' && now === null) {
        a.text = [{ field: 'prompt', before: was, after: '' }];
      }
    }
    part.actions.push(a);
  }
  const leftAlike: { create: PlanAction; left: { address: string; id: string }; caveat?: string }[] = [];
  for (const l of [...settings].sort((a, b) => byCodeUnits(a.name, b.name))) {
    if (wanted.has(l.name)) continue;
    const address = summarySettingAddress(l.name);
    const fate = aiStudioAbsentFromGit(ctx.prune, ctx.owned, 'SummarySetting', l.name, keptOutWords(ctx, address), l.dateCreated);
    if (fate.fate === 'kept') {
      part.unmanaged.push({ address, reason: fate.reason });
      // Renamed by hand on the target? git's name is then a create with its content.
      const same = canonical(l);
      for (const c of creates) {
        if (!sameContentAs(c, same)) continue;
        const caveat = typeNotGiven(c, same, address);
        leftAlike.push({ create: c.action, left: { address, id: l.id }, ...(caveat ? { caveat } : {}) });
      }
      continue;
    }
    const before = canonical(l);
    // A Basic setting may hold no prompt: the reason says what goes.
    const prompt = typeof before['prompt'] === 'string' ? ' and its prompt' : '';
    // Nothing can make it again as it is (A11): a create is Live.
    const type = before['interactionType'] !== 'Live' ? ` (an ${String(before['interactionType'])} setting, which the Platform API cannot create again: interactionType is read-only)` : '';
    const a: DeleteAction = {
      address,
      action: 'delete',
      kind: 'SummarySetting',
      name: l.name,
      liveId: l.id,
      guard: { dateModified: l.dateModified, hash: canonicalHash(before) },
      live: before,
      changes: [],
      dependsOn: [],
      reason: `${fate.reason}; ${fate.fate === 'pending' ? 'would remove' : 'removes'} a summary setting${prompt}${type}`,
      liveModified: { at: l.dateModified },
      // Its prompt goes with it, and summaries stop using it: a reviewer's attention, as a filter's removal.
      destructive: true,
    };
    if (fate.fate === 'pending') a.pending = true;
    part.actions.push(a);
    const renamed = creates.find((c) => sameContentAs(c, before));
    if (!renamed) continue;
    renamed.action.reason = `${renamed.action.reason ? `${renamed.action.reason}; ` : ''}${renameNote('summary setting', a)}`;
    const lost = renamedTypeLost(renamed, before, a);
    // Lost for good only once the delete is made: until prune, the old setting stays, and a warning says what prune would lose.
    if (lost) (a.pending ? part.warnings! : part.problems).push(lost);
  }
  noteRenamedOnTarget(part, 'summary setting', leftAlike);
  return part;
}

/** A create the plan makes, with whether git left interactionType out of it (the org's, then: A11). */
interface Created {
  action: PlanAction;
  after: Canonical;
  typeLeftOut: boolean;
}

/**
 * Whether a setting git creates holds `live`'s content, as a rename reads it: each field git
 * leaves to the org as `live` holds it, interactionType too (no write sets it, A11: git leaves it
 * out of a setting it renames, and the create's Live default is no content of git's).
 */
function sameContentAs(c: Created, live: Canonical): boolean {
  return holdsWritten(c.typeLeftOut ? { ...c.after, interactionType: live['interactionType']! } : c.after, live);
}

/** What a setting the plan creates in place of `live` (same content) cannot be: `live`'s interactionType when it is not Live (A11). */
function typeNotGiven(c: Created, live: Canonical, liveAddress: string): string | undefined {
  const type = live['interactionType'];
  if (type === c.after['interactionType']) return undefined;
  return `the setting it creates is ${String(c.after['interactionType'])}, where ${liveAddress} is ${String(type)}: the Platform API cannot set interactionType (read-only)`;
}

/**
 * A rename in git of a setting whose interactionType no create can give (an Email one: A11): the
 * new setting would be Live, and the old one's type is lost with its delete. A problem when this
 * plan deletes it, since nothing brings an Email setting back; a warning while the delete waits for
 * prune (the create alone loses nothing yet, but once it is made no later plan reads the two as a rename).
 */
function renamedTypeLost(c: Created, live: Canonical, removed: DeleteAction): PlanProblem | undefined {
  const type = live['interactionType'];
  if (type === c.after['interactionType']) return undefined;
  const lost = removed.pending ? `is lost once prune deletes it` : `is lost for good when this plan deletes it`;
  return {
    address: c.action.address,
    rule: 'read-only-field',
    field: 'metadata.name',
    message:
      `git renames ${removed.address} to "${c.action.name}", but the Platform API cannot set interactionType (read-only): ` +
      `the new setting would be ${String(c.after['interactionType'])}, and ${removed.address}'s ${String(type)} ${lost}; ` +
      `rename the summary setting in Genesys Cloud instead (the next plan finds it under the new name), or write interactionType: ${String(c.after['interactionType'])} in git if a ${String(c.after['interactionType'])} setting is what you want`,
  };
}

/** A live setting holding what a write means, the fields it left out as the org filled them in (A17): a create landed, or its content under another name. */
function holdsWritten(after: Canonical, live: Canonical): boolean {
  return canonicalEqual(heldWhereLeftOut(after, live), live);
}

/**
 * SummarySetting.interactionType is read-only in the Platform API (its swagger marks it readOnly;
 * the .NET SDK has no setter): a POST or PUT cannot set or change it. Git naming a value the org's
 * setting does not have (a new setting is Live) would be planned as an update on every run and
 * never land, so the plan refuses it, saying so.
 */
function interactionTypeProblem(d: SummarySetting, l: WireSummarySetting | undefined): PlanProblem | undefined {
  const want = d.interactionType;
  const have = l ? (l.interactionType ?? 'Live') : 'Live';
  if (want === undefined || want === have) return undefined;
  return {
    address: summarySettingAddress(d.name),
    rule: 'read-only-field',
    field: 'interactionType',
    message: l
      ? `git says interactionType ${want}, the org's setting is ${have}, and the Platform API cannot change it (read-only); write ${have} in git, or leave it out`
      : `git says interactionType ${want}, but the Platform API cannot set it (read-only): a setting it creates is ${have}; leave it out, or create the setting in Genesys Cloud and export it`,
  };
}

/** The prompt is shown as a text diff; its change names the field only. */
function withoutPrompt(changes: FieldChange[]): FieldChange[] {
  return changes.map((c) => (c.path === 'prompt' ? { path: c.path } : c));
}

// ---- apply -------------------------------------------------------------------------------

async function apply(a: PlanAction, ctx: ApplyContext): Promise<CallResult> {
  assertWrite(a);
  const api = aiStudioOf(ctx, a);
  if (a.action === 'create') {
    // Reconciled by name after a lost answer: never created twice.
    const s = await api.createSummarySetting(desiredOf(a, 'SummarySetting').body);
    return { resourceId: s.id, after: snapshot(s), detail: `created (id ${s.id})` };
  }
  const id = a.liveId;
  const live = await readOrGone(() => api.getSummarySetting(id));
  if (a.action === 'delete') {
    if (!live) return { resourceId: id, after: null, detail: `already gone (id ${id})` };
    guard(a, live);
    stopIfInterrupted(ctx, a, 'the delete');
    await readOrGone(() => api.deleteSummarySetting(id));
    return { resourceId: id, after: null, detail: `deleted (id ${id})` };
  }
  if (!live) throw new GuardMoved(a, 'the setting was deleted');
  const body = desiredOf(a, 'SummarySetting').body;
  if (landed(body, live)) return { resourceId: id, after: snapshot(live), detail: 'already up to date' };
  // The read just made is the one right before the PUT (DESIGN §3b): it carries the guard, name,
  // content hash and dateModified alike; the client reading once more would cost a request more.
  guard(a, live);
  stopIfInterrupted(ctx, a, 'the update');
  const s = await api.putSummarySetting(id, body);
  return { resourceId: id, after: snapshot(s), detail: `updated (dateModified ${s.dateModified})` };
}

/**
 * The setting must still be the one planned: the same name (the identity, outside the hash: a
 * setting renamed by hand since the plan is no longer the one git names, nor promptctl's to
 * prune), the same content hash and the same dateModified (there is no integer version: a PUT
 * carries no guard, so the read before it is the guard).
 */
function guard(a: Extract<PlanAction, { action: 'update' | 'delete' }>, live: WireSummarySetting): void {
  if (live.name !== a.name) throw new GuardMoved(a, `renamed "${a.name}" → "${live.name}" (dateModified ${live.dateModified})`);
  const hash = canonicalHash(canonical(live));
  if (a.guard.hash !== undefined && hash !== a.guard.hash) {
    throw new GuardMoved(a, `content hash ${a.guard.hash.slice(0, 12)} → ${hash.slice(0, 12)} (dateModified ${live.dateModified})`);
  }
  const at = a.guard.dateModified;
  if (at !== undefined && !sameInstant(at, live.dateModified)) {
    throw new GuardMoved(a, `dateModified ${at} → ${live.dateModified}`);
  }
}

/** Two timestamps naming the same instant ("…00Z" and "…00.000Z" alike). */
function sameInstant(a: string, b: string): boolean {
  return a === b || (Number.isFinite(Date.parse(a)) && Date.parse(a) === Date.parse(b));
}

/**
 * What an update weakens: PII masking turned off (summaries then carry the customer's personal
 * data), called out for a reviewer as a version's guardrail turned off is (plan/build.ts). Left
 * out of git, it keeps the org's (A17): no change to call out.
 */
function summaryWeakening(a: PlanAction): string[] {
  if (a.action !== 'update') return [];
  return a.changes.some((c) => c.path === 'maskPII' && c.before === true && c.after === false) ? ['maskPII off'] : [];
}

export const SummarySettingKind: Kind<SummarySettingBody> = {
  kind: 'SummarySetting',
  surface: 'summarysettings',
  phase: { write: 7, remove: 8 },
  canonical,
  documents: (desired) => desired.summarySettings,
  managed: (live, ctx) => countOwned(ctx.owned, 'SummarySetting', (live.summarySettings ?? []).map((s) => s.name)),
  plan: planSummarySettings,
  weakening: summaryWeakening,
  holdsIntended: holdsWritten,
  apply,
  // Updates and deletes read the setting first (the dateModified and hash guard).
  expectedRequests: (a) => (a.action === 'create' ? 1 : 2),
  *snapshots(live) {
    for (const s of live.summarySettings ?? []) yield [summarySettingAddress(s.name), snapshot(s), s.id];
  },
};
