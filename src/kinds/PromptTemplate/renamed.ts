// A template renamed under git's back or in git: git's name is missing live, and a live template
// git does not define holds what promptctl published for it. The plan still makes git's name anew
// and deletes (or, prune off, would delete) the other, as for any name git holds and the target
// lacks; this says so on both, and on the family the create brings, so that a reviewer reads one
// rename with its cost (a new id) and how to keep the id, not unrelated creates and a delete.
//
// The evidence is the live template's published versions: every one of them holds, under its
// label, the content git declares for the missing template. A published version is immutable, so
// that content is what promptctl published for git's template, and nothing of it moves with a
// rename. The template's own fields are weaker (editable, and often alike across templates), and
// its `promptctl.dev/commit` label only says promptctl wrote it, not under which name (that needs
// git history, which planning does not read). The audit trail, which names the id git's template
// was created as, is not there for a plan in CI. Only a promptctl-stamped template is taken, and
// only a pairing that is one to one: a wrong rename note is worse than none.
//
// Which side renamed it is when each last changed it: the live template after git last changed
// the template's file is a rename by hand (drift), before it a rename in git (a pull request's
// plan); without git's word, both are said possible. After it, a template the audit trail shows
// promptctl's apply made (another branch's rename in git, applied) is no hand rename: both are
// said possible then too, and when the trail cannot be read.
import { splitAddress, templateAddress } from '../../model/address.js';
import type { DesiredState, PromptVersion } from '../../model/types.js';
import type { WireTemplate } from '../../targets/llmgateway/wire.js';
import { compareVersionLabels } from '../../util/semver.js';
import type { PlanAction, PlanPart } from '../action.js';
import { canonicalEqual } from '../canonical.js';
import type { GitChange, PlanContext, TrailFacts } from '../kind.js';
import { isManaged, ownershipLost } from '../labels.js';
import { canonical as versionCanonical } from '../PromptVersion/index.js';
import { appliedByPromptctl, appliedFromBranch, changedAfterGit, liveModified, UNDER_ANOTHER_NAME } from '../shared.js';

export { UNDER_ANOTHER_NAME };

/** One git template found live under another name. */
interface Rename {
  /** git's name, missing live. */
  from: string;
  live: WireTemplate;
  /** The live template's published version labels that hold git's content, lowest first. */
  versions: string[];
}

/** Adds the rename notes to the part's actions and left-alone entries (planTemplates calls it last). */
export function noteRenames(part: PlanPart, desired: Pick<DesiredState, 'templates' | 'versions'>, live: readonly WireTemplate[], ctx: Pick<PlanContext, 'keptOut' | 'templateChanges' | 'templatesApplied'>): void {
  const created = new Set(part.actions.filter((a) => a.kind === 'PromptTemplate' && a.action === 'create').map((a) => a.name));
  if (created.size === 0) return;
  const defined = new Set(desired.templates.map((t) => t.name));
  const gitVersions = new Map<string, PromptVersion[]>();
  for (const v of desired.versions) if (created.has(v.template)) gitVersions.set(v.template, [...(gitVersions.get(v.template) ?? []), v]);
  for (const r of renames(created, gitVersions, live.filter((l) => !defined.has(l.name) && stamped(l) && !ctx.keptOut?.addresses.has(templateAddress(l.name)))))
    note(part, r, renamedWhere(r.live, ctx.templateChanges?.get(r.from), ctx.templatesApplied));
}

/** promptctl wrote it: `managed-by: promptctl`, or a `promptctl.dev/` label whose managed-by was removed. */
export function stamped(l: WireTemplate): boolean {
  return isManaged(l.labels) || ownershipLost(l.labels);
}

/** The one-to-one pairings of git's missing names with live templates holding their published versions. */
function renames(created: ReadonlySet<string>, gitVersions: ReadonlyMap<string, PromptVersion[]>, orphans: readonly WireTemplate[]): Rename[] {
  const found: Rename[] = [];
  for (const l of orphans) {
    const matches = [...created].flatMap((from) => {
      const versions = heldVersions(l, gitVersions.get(from) ?? []);
      return versions ? [{ from, live: l, versions }] : [];
    });
    if (matches.length === 1) found.push(matches[0]!);
  }
  // A git name two live templates both match is no rename of either.
  return found.filter((r) => found.filter((o) => o.from === r.from).length === 1);
}

/**
 * The live template's published versions, when it has some and each holds git's content under its
 * label (a version listed without its content, in the digest view, is no evidence); else undefined.
 */
function heldVersions(l: WireTemplate, git: readonly PromptVersion[]): string[] | undefined {
  const published = (l.versions ?? []).filter((v) => v.state === 'Published');
  if (published.length === 0) return undefined;
  const byLabel = new Map(git.map((v) => [v.version, v]));
  for (const v of published) {
    const g = byLabel.get(v.version);
    if (!g || typeof v.systemInstruction !== 'string' || !canonicalEqual(versionCanonical(v), versionCanonical(g))) return undefined;
  }
  return published.map((v) => v.version).sort(compareVersionLabels);
}

/** Which side renamed it: the live template changed after git last changed the template's file, or before. */
type Where = 'by hand' | 'in git' | 'unknown';

/**
 * After git's last change, it is a rename by hand only where the audit trail, read, shows no apply
 * of promptctl made the live template (another branch renamed it in git and applied it): without
 * the trail, or from a commit this branch may lack or from uncommitted changes, either is said possible.
 */
function renamedWhere(live: WireTemplate, git: GitChange | null | undefined, trail: TrailFacts | null | undefined): Where {
  const after = changedAfterGit(live.dateModified || undefined, git);
  if (after === undefined) return 'unknown';
  if (!after) return 'in git';
  if (trail === null) return 'unknown';
  const applied = trail ? appliedByPromptctl(templateAddress(live.name), trail) : undefined;
  if (applied) return appliedFromBranch(applied) ? 'in git' : 'unknown';
  return 'by hand';
}

function note(part: PlanPart, r: Rename, where: Where): void {
  const gitAddress = templateAddress(r.from);
  const liveAddress = templateAddress(r.live.name);
  const removal = part.actions.find((a) => a.address === liveAddress && a.action === 'delete');
  const left = part.unmanaged.find((u) => u.address === liveAddress);
  // What this plan does to the live one (the delete's own reason says why, and what it takes along).
  const fate = (it: string) =>
    !removal ? `leaves ${it} alone` : removal.action === 'delete' && removal.pending ? `would delete ${it} once prune is on` : `deletes ${it}, and with it what calls by id reach`;
  const who = liveModified(r.live);
  const stamp = who ? `, last changed${who.by ? ` by ${who.by}` : ''}${who.at ? ` at ${who.at}` : ''}` : '';
  const held = `published version${r.versions.length === 1 ? '' : 's'} ${r.versions.join(', ')}`;
  const how =
    where === 'by hand' ? 'renamed by hand on the target after git last changed it' : where === 'in git' ? 'renamed in git since it was applied' : 'renamed by hand on the target or in git';
  // A call names its template by name or by id (InvocationRequest): the two part ways here.
  const cost = (it: string) => `this plan creates ${r.from} anew under a new id, with its versions and split (calls by name reach it, calls by id still reach ${liveAddress}), and ${fate(it)}`;
  const keep =
    where === 'in git'
      ? `To keep the id instead, rename it to "${r.from}" in Genesys Cloud as well before applying (the next plan finds it under the new name)`
      : `To keep the id instead, ${where === 'by hand' ? 'rename it back' : 'rename it'} to "${r.from}" in Genesys Cloud, or rename the template to "${r.live.name}" in git (its versions and split with it)`;
  for (const a of part.actions) {
    if (a.action !== 'create' || a.name !== r.from) continue;
    if (a.address === gitAddress) append(a, `on the target ${UNDER_ANOTHER_NAME}, ${liveAddress} (id ${r.live.id}${stamp}), which holds its ${held}: ${how}. ${cap(cost(liveAddress))}. ${keep}`);
    else if (a.kind === 'PromptVersion' || a.address === splitAddress(r.from)) append(a, `its template is on the target ${UNDER_ANOTHER_NAME}, ${liveAddress} (see ${gitAddress})`);
  }
  // Said first: the delete's reason goes on with what it takes along.
  const lead = `${gitAddress} ${UNDER_ANOTHER_NAME} (it holds git's ${held} of it), ${how}: ${cost('this one')}. ${keep}`;
  if (removal) removal.reason = removal.reason ? `${lead}; ${removal.reason}` : lead;
  else if (left) left.reason = `${lead}; ${left.reason}`;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function append(a: PlanAction, words: string): void {
  a.reason = a.reason ? `${a.reason}; ${words}` : words;
}
