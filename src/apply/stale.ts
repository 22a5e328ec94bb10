// The saved-plan check: before `apply PLANFILE` changes anything, a fresh plan (same files,
// live state re-read) must agree with the saved one, guard for guard and body for body.
// A saved file holds the plan with the run's secrets masked (plan/file.ts): it is compared with
// the fresh plan masked the same way, and refused where apply would act on what was masked.
// Pure: compares plans.
import { guardOf, liveIdOf } from '../kinds/action.js';
import { isOwnedLabel } from '../kinds/labels.js';
import { sameOrg } from '../plan/org.js';
import type { Guard, Plan, PlanAction } from '../plan/types.js';
import { clientIdHint } from '../util/client-id.js';
import { stableStringify } from '../util/json.js';
import { andList } from '../util/plural.js';
import { maskedNames, maskFor } from '../util/secrets.js';

/** One reason to refuse a saved plan, naming the address and what moved. */
export interface StaleReason {
  address: string;
  message: string;
  /** What apply would send holds one of the run's secrets, masked in any file: planning again cannot help. */
  secret?: true;
}

/**
 * Why `saved` (as its file holds it) cannot be applied now, given a fresh plan and `asSaved`, the
 * fresh plan as a file of this run would hold it (plan/file.ts maskedPlan: the run's secrets
 * masked). The two files are compared; an action apply would run whose acted-on fields hold a
 * secret (they differ between `fresh` and `asSaved`) is refused: the file cannot show what apply
 * would send, and a masked body is never what was reviewed.
 * `madeByItsRun`: the addresses an earlier run of this very plan is on record as having changed
 * (audit/plan-runs.ts): a difference that only follows them is that run's work, not an edit.
 */
export function staleReasons(saved: Plan, fresh: Plan, asSaved: Plan = fresh, madeByItsRun: ReadonlySet<string> = new Set()): StaleReason[] {
  // Each action as a file holds it → as apply would run it (masking keeps the order).
  const unmasked = fresh === asSaved ? null : unmaskedActions(fresh.actions, asSaved.actions);
  fresh = asSaved;
  const reasons: StaleReason[] = [];
  const orgMoved = otherOrg(saved, fresh);
  if (orgMoved) {
    // Another org: nothing of the plan can be compared with it.
    return [{ address: '(org)', message: orgMoved }];
  }
  // Where both name their org, it decides: the label also names the OAuth client, and the same
  // org read by another client (the merge's, after a pull request's read-only one) is the same.
  if (saved.target !== fresh.target && !(saved.org && fresh.org)) {
    reasons.push({ address: '(target)', message: `the plan was made for ${saved.target}, but the target is ${fresh.target}` });
  }
  const freshBy = new Map(fresh.actions.map((a) => [a.address, a]));
  const sendsSecret = new Map(unmasked ? secretsActedOn(asSaved.actions, unmasked).map((r) => [r.address, r]) : []);
  const savedBy = new Map(saved.actions.map((a) => [a.address, a]));

  for (const s of saved.actions) {
    const f = freshBy.get(s.address);
    if (s.action === 'noop') {
      if (f && f.action !== 'noop') reasons.push({ address: s.address, message: `now ${needs(f)}, which the plan does not include` });
      else if (f) {
        // DESIGN §5: any guard or id that moved refuses the plan, an unchanged object's too (a
        // hand save of the same content, a re-creation): the fingerprint the apply workflow
        // compares seals it, and the two checks must agree on what was reviewed.
        const moved = idMoved(s, f) ?? guardMoved(guardOf(s), guardOf(f));
        if (moved) reasons.push({ address: s.address, message: `${moved} (it needs no change, but the plan was made against it as it was)` });
      }
      continue;
    }
    if (!f || f.action === 'noop') {
      const moved = f ? idMoved(s, f) ?? guardMoved(guardOf(s), guardOf(f)) : null;
      reasons.push({ address: s.address, message: moved ?? (isPending(s) ? `no longer ${needs(s)}: the target or the files changed` : `no longer ${needs(s)} (the target or the files changed)`) });
      continue;
    }
    const moved = idMoved(s, f) ?? guardMoved(guardOf(s), guardOf(f));
    if (moved) {
      reasons.push({ address: s.address, message: moved });
      continue;
    }
    if (f.action !== s.action) {
      reasons.push({ address: s.address, message: `planned as ${s.action}, a fresh plan says ${f.action}` });
      continue;
    }
    const taken = cascadeMoved(s, f);
    if (taken) {
      reasons.push({ address: s.address, message: taken });
      continue;
    }
    const secret = sendsSecret.get(f.address);
    if (secret) {
      reasons.push(secret);
      continue;
    }
    if (stableStringify(comparable(s)) !== stableStringify(comparable(f))) {
      reasons.push({ address: s.address, message: `the desired content differs from the plan (the files changed since it was saved, or the plan file was edited)${maskedInFile(s, f)}` });
      continue;
    }
    const edited = editedFields(s, f);
    if (edited.length > 0) {
      reasons.push({ address: s.address, message: `the plan file says otherwise than a fresh plan in ${fieldNames(edited)} (${whyEdited(s, f, edited, madeByItsRun)})${maskedInFile(s, f)}` });
      continue;
    }
    const shown = shownFieldsDiffering(s, f);
    if (shown.length > 0) {
      reasons.push({
        address: s.address,
        message: `what the plan file shows a reviewer differs from a fresh plan in ${fieldNames(shown)} (the file was edited to show another change than apply would make, or the live objects the change is shown against changed since it was planned)`,
      });
    }
  }
  for (const f of fresh.actions) {
    if (savedBy.has(f.address)) continue;
    if (f.action !== 'noop') reasons.push({ address: f.address, message: `now ${needs(f)}, which the plan does not include` });
    // A plan holds every object it covers, unchanged ones too (their guards are checked above): one
    // missing was taken out of the file, and what it was planned against goes unchecked.
    else reasons.push({ address: f.address, message: 'it needs no change, but the plan file does not include it (was the file edited?)' });
  }
  for (const p of fresh.problems) {
    if (!saved.problems.some((q) => q.address === p.address && q.rule === p.rule)) {
      reasons.push({ address: p.address, message: p.message });
    }
  }
  return reasons;
}

/** A delete left for prune: shown, never run. */
function isPending(a: PlanAction): boolean {
  return a.action === 'delete' && a.pending === true;
}

/**
 * What an action asks of apply, as a reason says it: a pending delete asks nothing (prune is
 * off, or apply cannot make it), so it is named as the plan shows it, not as a delete apply would make.
 */
function needs(a: PlanAction): string {
  if (a.action === 'delete' && a.unremovable) return 'shows delete (apply cannot make it)';
  return isPending(a) ? 'shows delete (pending: prune is off)' : `needs ${a.action}`;
}

/**
 * The actions apply would run whose acted-on fields hold one of the run's secrets: `masked` is the
 * plan as a file of this run holds it (plan/file.ts maskedPlan), `plain` maps each of its actions to
 * the one apply would run. One check for both ways to apply: a saved plan is refused so (staleReasons),
 * and so is a plain apply (cli/apply.ts), since every plan shown masks what it would send, and a
 * masked body is never what was reviewed. A noop and a delete apply does not run send nothing.
 */
export function secretsActedOn(masked: readonly PlanAction[], plain: ReadonlyMap<PlanAction, PlanAction>): StaleReason[] {
  return masked.flatMap((m) => {
    if (m.action === 'noop' || isPending(m)) return [];
    const message = maskedActedOn(m, plain.get(m));
    return message ? [{ address: m.address, message, secret: true as const }] : [];
  });
}

/** Each of the `masked` actions (made of `plain` by masking: the same actions, in order) → the one of `plain`. */
export function unmaskedActions(plain: readonly PlanAction[], masked: readonly PlanAction[]): ReadonlyMap<PlanAction, PlanAction> {
  return new Map(masked.map((a, i) => [a, plain[i]!]));
}

/**
 * Apply would act on one of the run's secrets here (it is in the body a write sends, or in an id
 * or guard): `masked` is the action as a file holds it, `plain` as apply would run it.
 */
function maskedActedOn(masked: PlanAction, plain: PlanAction | undefined): string | null {
  if (!plain || masked === plain) return null;
  // A delete sends its id and guard only, and a noop nothing: a live name holding a secret is only
  // shown there (it is how the action is matched, masked alike on both sides).
  const sends = (a: PlanAction): Record<string, unknown> => (a.action === 'delete' || a.action === 'noop' ? withoutIdentity(actedOnOnly(a)) : actedOnOnly(a));
  const m = stableStringify(sends(masked));
  const p = stableStringify(sends(plain));
  if (m === p) return null;
  const names = maskedOnlyIn(m, p);
  const which = names.length > 0 ? names.map((n) => (n.startsWith('the ') ? n : `the value of ${n}`)).join(', ') : 'a secret of this run';
  return `what apply would send holds ${which}, which a plan file masks: the file cannot show what apply would send`;
}

/**
 * When the saved action masks a secret where the fresh one (masked as this run masks) shows
 * other text: the plan was made with that secret set to a value this environment does not have.
 */
function maskedInFile(saved: PlanAction, fresh: PlanAction): string {
  const names = maskedOnlyIn(stableStringify(actedOnOnly(saved)), stableStringify(actedOnOnly(fresh)));
  if (names.length === 0) return '';
  return `; the plan file masks ${names.join(', ')} there, which this environment does not hold as a secret (or holds with another value): plan and apply with the same secrets in the environment`;
}

/**
 * A delete that would now take other objects with it than the saved plan showed (a template's
 * versions or split changed since), compared by address and hash (which masking leaves alone).
 * Not for a pending delete, which apply never runs. A file without `cascade` showed nothing taken
 * along (a file made before plans recorded it is sealed the earlier way, and refused before this).
 */
function cascadeMoved(saved: PlanAction, fresh: PlanAction): string | null {
  if (saved.action !== 'delete' || fresh.action !== 'delete' || saved.pending || fresh.pending) return null;
  const was = new Map((saved.cascade ?? []).map((c) => [c.address, c.hash]));
  const now = new Map((fresh.cascade ?? []).map((c) => [c.address, c.hash]));
  const added = [...now.keys()].filter((k) => !was.has(k));
  const changed = [...now.keys()].filter((k) => was.has(k) && was.get(k) !== now.get(k));
  const gone = [...was.keys()].filter((k) => !now.has(k));
  if (added.length + changed.length + gone.length === 0) return null;
  const parts = [
    ...(added.length > 0 ? [`now also ${added.join(', ')}`] : []),
    ...(changed.length > 0 ? [`${changed.join(', ')} changed since the plan`] : []),
    ...(gone.length > 0 ? [`${gone.join(', ')} no longer exist${gone.length === 1 ? 's' : ''}`] : []),
  ];
  return `deleting it takes other objects with it than the plan showed: ${parts.join('; ')}`;
}

/**
 * The body an action would send, minus the labels promptctl owns (`promptctl.dev/commit` names
 * the commit that planned it, which differs between a PR's plan and the merge that applies it).
 */
function comparable(a: PlanAction): unknown {
  if (a.action !== 'create' && a.action !== 'update') return null;
  const d = a.desired;
  if (d.kind !== 'PromptTemplate' && d.kind !== 'SafetyFilter') return { ...d, stagePriority: a.stagePriority };
  const labels = Object.fromEntries(Object.entries(d.body.labels ?? {}).filter(([k]) => k === 'managed-by' || !isOwnedLabel(k)));
  return { ...d, body: { ...d.body, labels }, stagePriority: a.stagePriority };
}

/**
 * The fields of a saved action that a fresh plan has otherwise, by name: everything apply reads
 * (the label a publish names, the template a create goes under, whether a delete waits for
 * prune, what runs first), not only its id, guard and body. What is only shown to the reviewer
 * (why, the field diff, token counts, who last changed it) is left out here: shownFieldsDiffering
 * compares what of it a reviewer reads as the change, after these.
 */
function editedFields(saved: PlanAction, fresh: PlanAction): string[] {
  const s = actedOn(saved);
  const f = actedOn(fresh);
  return [...new Set([...Object.keys(s), ...Object.keys(f)])]
    .filter((k) => !SHOWN_ONLY.has(k))
    .sort()
    .filter((k) => stableStringify(s[k] ?? null) !== stableStringify(f[k] ?? null));
}

/** Fields of an action only a reader uses (kinds/action.ts); a field not named here is compared. */
// `cascade` is what a delete takes along, for its audit records: a delete sends only its id and
// guard, and cascadeMoved compares it by address and hash; `takesAlong`, a pending delete's, is never run.
const SHOWN_ONLY: ReadonlySet<string> = new Set(['reason', 'changes', 'text', 'tokens', 'affects', 'supersedes', 'destructive', 'live', 'liveModified', 'cascade', 'takesAlong']);

/**
 * Of those, what a reviewer reads as the change (`show`, the markdown of a PR comment): the field
 * diff, the prompt text before and after, token counts, what a model switch moves, the version a
 * new one is shown against, whether it weakens safety, the live form. Each derives from the body
 * and the live objects the plan read, so a fresh plan of the same body against the same objects
 * has them alike, and a file whose fingerprint was recomputed over an edit there would show one
 * change and apply another (DESIGN §5: a hand-edited plan file is refused). Not compared: why
 * (its words name the prompts directory as spelled) and who last changed the object (the guard
 * holds what matters of it).
 */
const SHOWN_AS_THE_CHANGE: readonly string[] = ['affects', 'changes', 'destructive', 'live', 'supersedes', 'text', 'tokens'];

/** The fields of SHOWN_AS_THE_CHANGE where the saved action shows a reviewer otherwise than the fresh one. */
function shownFieldsDiffering(saved: PlanAction, fresh: PlanAction): string[] {
  const s = saved as unknown as Record<string, unknown>;
  const f = fresh as unknown as Record<string, unknown>;
  return SHOWN_AS_THE_CHANGE.filter((k) => !sameShown(k, s[k], f[k]));
}

/**
 * Whether a reviewer reads the same in both. The live side (the `live` form, what a field or a
 * text was before) may differ by masks alone: a file made where a secret was set masks the live
 * content holding its value, which a run without it shows as it is, and the guard holds that live
 * object as planned. What the change makes (after) must be the same.
 */
function sameShown(field: string, saved: unknown, fresh: unknown): boolean {
  if (stableStringify(saved ?? null) === stableStringify(fresh ?? null)) return true;
  if (field === 'live') return masksAlone(saved, fresh);
  if (field !== 'text' && field !== 'changes') return false;
  if (!Array.isArray(saved) || !Array.isArray(fresh) || saved.length !== fresh.length) return false;
  return saved.every((entry: { before?: unknown }, i) => {
    const { before, ...rest } = entry;
    const { before: freshBefore, ...freshRest } = fresh[i] as { before?: unknown };
    return stableStringify(rest) === stableStringify(freshRest) && (stableStringify(before ?? null) === stableStringify(freshBefore ?? null) || masksAlone(before, freshBefore));
  });
}

/** `fresh` reads as `saved` with each of saved's masks (`[redacted: NAME]`) standing for some text. */
function masksAlone(saved: unknown, fresh: unknown): boolean {
  const pieces = stableStringify(saved ?? null).split(/\[redacted: [^\]\n]{1,80}\]/);
  if (pieces.length === 1) return false;
  const text = stableStringify(fresh ?? null);
  // Literal pieces between wildcards: each at its first place after the one before, the last at the end.
  if (!text.startsWith(pieces[0]!)) return false;
  let at = pieces[0]!.length;
  for (const piece of pieces.slice(1, -1)) {
    const found = text.indexOf(piece, at);
    if (found < 0) return false;
    at = found + piece.length;
  }
  const last = pieces[pieces.length - 1]!;
  return text.length - last.length >= at && text.endsWith(last);
}

/** Fields a fresh plan takes from the live state alone: which actions run first, and the live parent's id. */
const FOLLOW_LIVE: ReadonlySet<string> = new Set(['dependsOn', 'parentId']);

/**
 * Why a saved action's acted-on fields (`edited`) differ from a fresh plan's. What it waits for
 * and the live parent it writes under follow the live state (a template an earlier, interrupted
 * apply created): a change there alone is the target's, and the run of this very plan when every
 * object it follows is one that run changed (the file cannot have been edited to say what that
 * run's own work then made true). Anything else only an edit explains.
 */
function whyEdited(saved: PlanAction, fresh: PlanAction, edited: readonly string[], madeByItsRun: ReadonlySet<string>): string {
  if (!edited.every((k) => FOLLOW_LIVE.has(k))) return 'was the file edited?';
  const followed = followedBy(saved, fresh, edited);
  if (followed && followed.size > 0 && [...followed].every((a) => madeByItsRun.has(a))) return "this plan's own earlier run changed the target since it was planned";
  return 'the target changed since it was planned, or the file was edited';
}

/**
 * The objects whose live state the differing FOLLOW_LIVE fields follow: the changes waited for on
 * one side only, and the parent template; null when the difference is not one that creating that
 * template explains (the file names a parent id: the template existed when it was planned).
 */
function followedBy(saved: PlanAction, fresh: PlanAction, edited: readonly string[]): Set<string> | null {
  const out = new Set<string>();
  if (edited.includes('dependsOn')) {
    const was = new Set(saved.dependsOn);
    const now = new Set(fresh.dependsOn);
    for (const a of [...was, ...now]) if (was.has(a) !== now.has(a)) out.add(a);
  }
  if (edited.includes('parentId')) {
    if (saved.action !== 'create' || saved.parentId !== undefined) return null;
    // Only a version's and a split's create names a parent: its template, by the name they share.
    out.add(`PromptTemplate/${saved.name}`);
  }
  return out;
}

/**
 * An action's fields as a reader of the plan knows them (what `show` and the plan file's schema
 * describe), not as the file spells them: `dependsOn` is the order the plan shows, `parentId` the
 * template a new version or split goes under. Every field a refusal can name is here (the schema
 * allows no others); an unknown one is named as spelled.
 */
const FIELD_NAMES: Readonly<Record<string, string>> = {
  // What apply acts on (editedFields).
  address: 'its address',
  action: 'its action',
  kind: 'its kind',
  name: 'its name',
  version: 'its version label',
  liveId: "the live object's id",
  parentId: "the live id of the template it goes under",
  guard: 'the live state it was planned against',
  desired: 'what it sends',
  dependsOn: 'the changes it runs after',
  stagePriority: 'the interim priority it moves to first',
  pending: 'whether it waits for prune',
  // What a reviewer reads as the change (SHOWN_AS_THE_CHANGE).
  affects: 'the versions a model switch moves',
  changes: 'the field changes',
  destructive: 'whether it is marked destructive',
  live: 'the live content it is shown against',
  supersedes: 'the version it is shown against',
  text: 'the prompt text diff',
  tokens: 'the token counts and costs',
};

/** "the changes it runs after and the live id of the template it goes under". */
function fieldNames(fields: readonly string[]): string {
  return andList(fields.map((k) => (Object.hasOwn(FIELD_NAMES, k) ? FIELD_NAMES[k]! : k)));
}

function actedOn(a: PlanAction): Record<string, unknown> {
  return { ...a, desired: comparable(a) };
}

/** The names `a` masks (`[redacted: NAME]`) where `b` does not mask them. */
function maskedOnlyIn(a: string, b: string): string[] {
  return maskedNames(a).filter((n) => !b.includes(maskFor(n)));
}

/** An action's fields without what names it (its address and name). */
function withoutIdentity(fields: Record<string, unknown>): Record<string, unknown> {
  const { address: _address, name: _name, ...rest } = fields;
  return rest;
}

/** The fields of an action apply acts on (actedOn less SHOWN_ONLY), its body whole. */
function actedOnOnly(a: PlanAction): Record<string, unknown> {
  return Object.fromEntries(Object.entries(a).filter(([k]) => !SHOWN_ONLY.has(k)));
}

/**
 * The live object the plan acts on is another one now (deleted and re-created, perhaps with the
 * same content): a write must never land on an object nobody reviewed. A prompt version's liveId
 * is its template's, so its own id is read from its guard.
 */
function idMoved(saved: PlanAction, fresh: PlanAction): string | null {
  return replaced(liveIdOf(saved), liveIdOf(fresh)) ?? replaced(guardOf(saved)?.id, guardOf(fresh)?.id);
}

function replaced(before: string | undefined, now: string | undefined): string | null {
  if (before === now || before === undefined || now === undefined) return null;
  return `the live object was replaced since the plan (id ${before} → ${now})`;
}

/** The plan is bound to one org (plan/org.ts: its id and API host): a different one is refused, naming both. */
export function otherOrg(saved: Pick<Plan, 'org'>, fresh: Pick<Plan, 'org'>): string | null {
  const a = saved.org;
  const b = fresh.org;
  // Every plan names its org: one that does not was made elsewhere, or edited.
  if (!a && b) return `the plan names no org, but the target is org ${describeOrg(b)}`;
  if (!a || !b) return null;
  if (sameOrg(a, b)) return null;
  return `the plan was made for org ${describeOrg(a)}, but the target is org ${describeOrg(b)}`;
}

/** An org as messages name it; its client shortened as the target line shows it (util/client-id.ts). */
export function describeOrg(o: NonNullable<Plan['org']>): string {
  const name = o.name ? `"${o.name}" ` : '';
  return `${name}${o.id ?? '(id unknown)'} at ${o.host} (client ${clientIdHint(o.clientId)})`;
}

/** What moved between the guard a plan recorded and the live state now; null when nothing did. */
export function guardMoved(before: Guard | null, now: Guard | null): string | null {
  if (!before && !now) return null;
  if (!before && now) return `was created on the target since the plan${now.version !== undefined ? ` (version ${now.version})` : ''}`;
  if (before && !now) return 'was deleted on the target since the plan';
  const b = before!;
  const n = now!;
  // A prompt version's own id (both known and different: idMoved names the replacement first).
  // Absent from the file alone: a plan saved before guards recorded it, or an edited file.
  if (b.id === undefined && n.id !== undefined) return `the plan file records no live id for it, where a fresh plan has ${n.id} (a plan saved by an earlier promptctl, or an edited file)`;
  const parts: string[] = [];
  if (b.id !== n.id) parts.push(`live id moved ${show(b.id)} → ${show(n.id)}`);
  if (b.version !== n.version) parts.push(`live version moved ${show(b.version)} → ${show(n.version)}`);
  if (b.hash !== n.hash) parts.push(`live content hash moved ${short(b.hash)} → ${short(n.hash)}`);
  if (b.state !== n.state) parts.push(`live state moved ${show(b.state)} → ${show(n.state)}`);
  if (b.label !== n.label) parts.push(`latest version moved ${show(b.label)} → ${show(n.label)}`);
  if (b.dateModified !== n.dateModified) parts.push(`live dateModified moved ${show(b.dateModified)} → ${show(n.dateModified)}`);
  return parts.length > 0 ? `${parts.join(', ')} since the plan` : null;
}

function show(v: unknown): string {
  return v === undefined || v === null ? 'none' : String(v);
}

function short(h: string | undefined): string {
  return h ? h.slice(0, 12) : 'none';
}
