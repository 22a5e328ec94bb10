// Guides in git against the live guides (DESIGN §2, §3b). The YAML is the content the guide's
// production version must have and `publish` the state that content must reach. Genesys numbers
// the versions, so the plan says in words what will happen to which version:
//   no live guide                    → create it, write its first version, publish it;
//   latest ProductionReady, same     → nothing;
//   latest ProductionReady, differs  → a new version (Genesys assigns its label), published;
//   latest Draft/TestReady, differs  → edit that version in place, then publish it (unless
//                                      production holds git's content: nothing, the newer
//                                      version being someone's work in progress); a TestReady
//                                      one edited under `publish: Draft` goes back to Draft;
//   latest Draft/TestReady, same     → publish it, if its state is short of the one wanted.
// Each action is guarded by the guide's id, its latest version's label, state and content hash.
// A live guide git does not name is deleted (prune) or a pending delete when git once defined it
// (ownership.ts), and left alone otherwise. Identity is the name: a rename is a delete and a create.
import { guideAddress } from '../../model/address.js';
import type { DesiredState, Guide, GuidePublishState } from '../../model/types.js';
import type { GuideVersionContent, WireGuideVersion } from '../../targets/aistudio/wire.js';
import type { LiveGuide } from '../../targets/live.js';
import type { DeleteAction, FieldChange, GuideWrite, PlanAction, PlanPart, TextChange, UpdateAction } from '../action.js';
import { textTokenCounter, textTokenDelta } from '../aistudio-tokens.js';
import { canonicalHash, describeCreate, diffCanonical } from '../canonical.js';
import type { LiveState, PlanContext } from '../kind.js';
import { aiStudioAbsentFromGit } from '../ownership.js';
import { keptOutWords } from '../labels.js';
import { canonical, contentCanonical, landed, liveCanonical, reaches, toWire, versionContent } from './index.js';
import { byCodeUnits } from '../../util/compare.js';
import { caseTwin, renameNote } from '../shared.js';

export function planGuides(desired: DesiredState, live: LiveState, ctx: PlanContext): PlanPart {
  const part: PlanPart = { actions: [], problems: [], unmanaged: [] };
  const guides = live.guides ?? [];
  const liveByName = new Map(guides.map((g) => [g.name, g]));
  const wanted = new Set(desired.guides.map((g) => g.name));
  const creates: { action: PlanAction; body: GuideVersionContent }[] = [];
  for (const d of [...desired.guides].sort((a, b) => byCodeUnits(a.name, b.name))) {
    const l = liveByName.get(d.name);
    const twin = l ? undefined : caseTwin('Guide', guideAddress(d.name), d.name, guides);
    if (twin) part.problems.push(twin);
    else {
      const a = planGuide(d, l, ctx);
      part.actions.push(a);
      if (a.action === 'create') creates.push({ action: a, body: toWire(d) });
    }
  }
  // Each delete with the versions that hold its guide's content: the latest, and production (which
  // flows call) under a newer Draft or TestReady someone left there.
  const deletes: { action: DeleteAction; held: WireGuideVersion[] }[] = [];
  for (const l of [...guides].sort((a, b) => byCodeUnits(a.name, b.name))) {
    if (wanted.has(l.name)) continue;
    const address = guideAddress(l.name);
    const fate = aiStudioAbsentFromGit(ctx.prune, ctx.owned, 'Guide', l.name, keptOutWords(ctx, address), l.dateCreated);
    if (fate.fate === 'kept') {
      part.unmanaged.push({ address, reason: fate.reason });
      continue;
    }
    const latest = l.latest;
    const a: DeleteAction = {
      address,
      action: 'delete',
      kind: 'Guide',
      name: l.name,
      liveId: l.id,
      guard: guardOf(latest),
      changes: [],
      dependsOn: [],
      reason: `${fate.reason}; deletes the guide with all its versions${l.latestProductionReadyVersion ? ` (production version ${l.latestProductionReadyVersion.version} included)` : ''}`,
      liveModified: { at: l.dateModified },
    };
    if (latest) a.live = liveCanonical(latest);
    // Its versions go with it (a production one too): a reviewer's attention, as a template's.
    if (latest) a.destructive = true;
    if (fate.fate === 'pending') a.pending = true;
    part.actions.push(a);
    const held = [latest, l.production].filter((v): v is WireGuideVersion => v !== undefined);
    if (held.length > 0) deletes.push({ action: a, held });
  }
  for (const c of creates) {
    const same = deletes.find((x) => x.held.some((v) => landed(c.body, v)));
    if (same) c.action.reason = `${c.action.reason}; ${renameNote('guide', same.action)}`;
  }
  return part;
}

/**
 * The live version a guide whose YAML holds `body` and asks for state `want` plans as unchanged
 * against (planGuide's noop), or undefined when the plan changes something: its latest version,
 * holding that content in a state that reaches `want`; else its production version holding it
 * under a newer Draft or TestReady one. Production holds git's content, which reaches any state
 * `publish` asks for: the newer version is someone's work in progress (in the Genesys UI), left
 * as it is; editing it in place would destroy that work and publish what production serves.
 * Export asks it too, to write `publish` only where leaving it out would not plan as unchanged.
 */
export function unchangedAgainst(body: GuideVersionContent, want: GuidePublishState, l: LiveGuide): WireGuideVersion | undefined {
  const latest = l.latest;
  if (!latest) return undefined;
  if (landed(body, latest) && reaches(latest.state, want)) return latest;
  const production = productionOf(l);
  return production && production !== latest && landed(body, production) ? production : undefined;
}

/** A guide's production version: the one Genesys names, or its latest when that is ProductionReady. */
export function productionOf(l: LiveGuide): WireGuideVersion | undefined {
  return l.production ?? (l.latest?.state === 'ProductionReady' ? l.latest : undefined);
}

/** The guard of an action on a live guide: its latest version's label, state and content hash. */
function guardOf(latest: WireGuideVersion | undefined): UpdateAction['guard'] {
  if (!latest) return {};
  return { label: latest.version, state: latest.state, hash: canonicalHash(liveCanonical(latest)) };
}

/** "publishes it to ProductionReady", or nothing more for a Draft. */
function publishing(want: GuidePublishState, it = 'it'): string {
  return want === 'Draft' ? `leaves ${it} a Draft` : `publishes ${it} to ${want}`;
}

export function planGuide(d: Guide, l: LiveGuide | undefined, ctx: PlanContext): PlanAction {
  const body = toWire(d);
  const want = d.publish;
  const address = guideAddress(d.name);
  const common = { address, kind: 'Guide' as const, name: d.name, dependsOn: [] as string[] };
  const count = ctx.textTokens ?? textTokenCounter();
  const tokens = (before?: string) => textTokenDelta(count, ctx.config, d.model, body.instruction, before);
  const desiredBody = (write: GuideWrite) => ({ kind: 'Guide' as const, body, state: want, write });

  if (!l) {
    const t = tokens();
    return {
      ...common,
      action: 'create',
      desired: desiredBody('guide'),
      changes: withoutInstruction(describeCreate(canonical({ content: body, state: want }))),
      text: [{ field: 'instruction', before: '', after: body.instruction }],
      ...(t ? { tokens: t } : {}),
      reason: `creates the guide (source Manual), writes this content into its first version (Genesys assigns the label) and ${publishing(want)}`,
    };
  }

  const latest = l.latest;
  const base = { ...common, liveId: l.id, guard: guardOf(latest) };
  const production = productionOf(l);
  const stamp = { at: l.dateModified };

  if (!latest) {
    const t = tokens();
    return {
      ...base,
      action: 'update',
      desired: desiredBody('version'),
      changes: withoutInstruction(describeCreate(canonical({ content: body, state: want }))),
      text: [{ field: 'instruction', before: '', after: body.instruction }],
      ...(t ? { tokens: t } : {}),
      reason: `the guide has no version yet: creates its first version with this content (Genesys assigns the label) and ${publishing(want)}`,
      // Not stamped: nothing of the target's is put back (an interrupted create leaves such a guide).
    };
  }

  const same = landed(body, latest);
  const held = unchangedAgainst(body, want, l);
  // Guarded by production when that is what holds git's content, not by the newer version it
  // leaves alone: saving that Draft again changes nothing the plan acts on, and must not make a
  // reviewed plan stale.
  if (held) return { ...base, ...(held === latest ? {} : { guard: guardOf(held) }), action: 'noop', changes: [] };

  const update = (write: GuideWrite, changes: FieldChange[], reason: string): UpdateAction => {
    const a: UpdateAction = { ...base, action: 'update', desired: desiredBody(write), changes, reason, live: liveCanonical(latest), liveModified: stamp };
    // The instruction's diff and counts only when it changes (not for a variable or knowledge edit).
    const text = same ? undefined : instructionChange(latest, body.instruction);
    if (text) {
      a.text = [text];
      const t = tokens(latest.instruction);
      if (t) a.tokens = t;
    }
    return a;
  };
  const contentChanges = withoutInstruction(diffCanonical(contentCanonical(versionContent(latest)), contentCanonical(body)));

  if (latest.state === 'ProductionReady') {
    // Immutable: the content goes into a new version.
    const v = latest.version;
    const reason =
      want === 'ProductionReady'
        ? `a new version replaces production version ${v}; Genesys assigns its label`
        : want === 'TestReady'
          ? `a new version after production version ${v}, published to TestReady; production stays ${v}; Genesys assigns its label`
          : `a new Draft version after production version ${v}; production stays ${v}; Genesys assigns its label`;
    return update('version', contentChanges, reason);
  }

  // The latest version is a Draft or TestReady: it is edited in place (a second one cannot exist).
  const what = `${latest.state} ${latest.version}`;
  const replaces =
    want === 'ProductionReady' && production && production.version !== latest.version ? `, replacing production version ${production.version}` : '';
  // Editing a TestReady version's content puts it back to Draft (emulator E5): under `publish:
  // Draft` nothing publishes it again, so the edit itself is the state change.
  const backToDraft = !same && latest.state === 'TestReady' && want === 'Draft';
  const stateChange: FieldChange[] = reaches(latest.state, want) && !backToDraft ? [] : [{ path: 'state', before: latest.state, after: want }];
  const then = backToDraft ? `, which puts it back to Draft (its tested content changes)` : want === 'Draft' ? '' : `, then ${publishing(want)}`;
  const a = same
    ? update('none', stateChange, `publishes ${what} (it holds this content already) to ${want}${replaces}`)
    : update('patch', [...contentChanges, ...stateChange], `edits ${what} in place${then}${replaces}`);
  const out = replaces && production ? withProductionChanges(a, production, body, tokens(production.instruction)) : a;
  // What of the target's applying overwrites, stamped with when it changed: the latest version's
  // content, unless it holds git's already or nothing at all (what an interrupted apply leaves: a
  // Draft written, not yet published; an empty first version); else a production version the
  // publish replaces with other content; else nothing, so the plan does not say it undoes a
  // change made on the target (plan/drift.ts).
  if (!same && !holdsNothing(latest)) return out;
  if (production && out.changes.length > a.changes.length) out.liveModified = { at: production.dateModified };
  else delete out.liveModified;
  return out;
}

/** A version with no content: a blank instruction, no variables, resources or knowledge. */
function holdsNothing(v: WireGuideVersion): boolean {
  const r = v.resources;
  const resources = r !== undefined && Object.values(r).some((x) => (Array.isArray(x) ? x.length > 0 : x !== undefined && x !== null));
  return v.instruction.trim() === '' && (v.variables ?? []).length === 0 && !resources && v.knowledgeSettings === undefined;
}

/**
 * What a publish to ProductionReady changes in production, which the diff against the latest
 * version does not show (it may hold content production never had): each field, and the
 * instruction as a text diff, against the production version it replaces, named so.
 */
function withProductionChanges(a: UpdateAction, production: WireGuideVersion, body: ReturnType<typeof toWire>, tokens: UpdateAction['tokens']): UpdateAction {
  const inProduction = (path: string) => `production ${production.version}: ${path}`;
  const changes = withoutInstruction(diffCanonical(contentCanonical(versionContent(production)), contentCanonical(body))).map((c) => ({ ...c, path: inProduction(c.path) }));
  const text = production.instruction === body.instruction ? [] : [{ field: inProduction('instruction'), before: production.instruction, after: body.instruction }];
  if (changes.length === 0) return a;
  const out: UpdateAction = { ...a, changes: [...a.changes, ...changes] };
  if (text.length > 0) {
    out.text = [...(a.text ?? []), ...text];
    // The token counts production's calls will see: against the version it replaces.
    if (tokens) out.tokens = tokens;
    else delete out.tokens;
  }
  return out;
}

/** The instruction as a text change, when it changes. */
function instructionChange(latest: WireGuideVersion, after: string): TextChange | undefined {
  return latest.instruction === after ? undefined : { field: 'instruction', before: latest.instruction, after };
}

/** The instruction is shown as a text diff; its change names the field only. */
function withoutInstruction(changes: FieldChange[]): FieldChange[] {
  return changes.map((c) => (c.path === 'instruction' ? { path: c.path } : c));
}
