// What the target serves, digested for the PromptTest results cache (pure): a cached answer
// stands for a call only while what the target answers it from is the same. The YAML alone does
// not decide an answer: the target answers from its own versions, split and filters, which differ
// from git before an apply and after a change made outside it. Each digest holds what can change
// a call's answer and no more: the filters that apply to the template it calls, in the order they
// run; the versions it can reach (the pinned one, else the split's routes and the versions they
// name, else the newest Published), each with the model that answers for it; a guide's version its
// turns run; and the template's or guide's id: one deleted and made again is another object, whose
// sticky split places keys anew (the gateway hashes the key with the id) and which a canned
// answer may name by id. A change elsewhere (a filter of another template, a template's description or labels,
// a version no call reaches) keeps the cached results. A part the target did not let us read is
// undefined: its calls are made, and not cached.
import { RESOURCE_NAME } from '../model/address.js';
import { coversOnTarget, type FilterDifferences } from '../model/filters.js';
import { liveRoutes, routedVersions } from '../model/routing.js';
import type { LiveGuide } from '../targets/live.js';
import type { WireFilter, WireTemplate } from '../targets/llmgateway/wire.js';
import { stableHash } from '../util/json.js';

export interface LiveFacts {
  /** Per live template name: the digests of what its calls can reach (absent name: not live). */
  templates?: ReadonlyMap<string, LiveTemplateDigests>;
  /**
   * Per live template name: the labels of its Published versions (read with the templates). What
   * git defines beyond them is not on the target yet: its cases are not run (render.ts).
   */
  published?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Per live template name: the labels of its versions still Draft (the next apply publishes them). */
  drafts?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Per live template name: its traffic split's routes (null: none), which route a call that names no version. */
  splits?: ReadonlyMap<string, readonly { version: string; weight: number }[] | null>;
  /**
   * Per live template name: its model, which answers for every version that names none. Git's
   * model changed and not applied yet, such a version answers with this one (render.ts says so).
   */
  models?: ReadonlyMap<string, string>;
  /**
   * Per live template name: a digest of the enabled safety filters that apply to it, in the order
   * they run (`filtersMet`). Undefined unless both the templates and the filters were read: which
   * filters apply depends on the template's id and labels.
   */
  filters?: ReadonlyMap<string, string>;
  /**
   * Per tested live template: how the filters covering it on the target differ from git's (a
   * filter added, changed or removed in git and not applied yet). Its calls met the target's
   * filters; render.ts notes which.
   */
  filtersNotAsInGit?: ReadonlyMap<string, FilterDifferences>;
  /** Per live guide name: the digests of its latest and production versions (absent name: not live). */
  guides?: ReadonlyMap<string, LiveGuideDigests>;
  /**
   * Per guide name: the label of its latest version when neither it nor the production version
   * holds the content git defines (an edit not applied yet, or one made by hand). Its cases are
   * not run: they would test the org's text, not git's.
   */
  guidesNotAsInGit?: ReadonlyMap<string, string>;
  /**
   * Per guide name: the version a test's turns run when it is not the latest: production, which
   * holds git's content while a newer Draft or TestReady version holds someone's work in progress.
   */
  guideVersions?: ReadonlyMap<string, string>;
  /**
   * Per guide name: the version a test's turns run when it is not a production one (ProductionReady):
   * a Draft or TestReady version (git's `publish`, or the latest holding git's content), with the
   * production version's label when the guide has one. The report says so: such a run does not
   * test what serves conversations.
   */
  guidesRunUnpublished?: ReadonlyMap<string, UnpublishedRun>;
  /**
   * "template@version" of the versions the target holds Published with other content than git's
   * (plan's immutable-version error): a call would run the org's text under git's label.
   */
  versionsNotAsInGit?: ReadonlySet<string>;
  /**
   * A digest of the canned answers the target answers from (an emulator's `--responses`, as its
   * answers name them): part of every key, so a result given from other canned answers is not
   * reused. A real org names none.
   */
  cannedAnswers?: string;
  /**
   * The guides listing was refused (403: the client lacks aiStudio:guide:view): each guide case's
   * lookup is refused too (calls.ts lookupFailed), so none of their turns is sent or counted.
   */
  guidesRefused?: true;
}

/** What of a live template a call can reach, digested. */
export interface LiveTemplateDigests {
  /** Its id: a sticky split places a key by it, so the same content made again routes otherwise. */
  id: string;
  /** Per version label: that version, for a call that names it. */
  pinned: ReadonlyMap<string, string>;
  /** For a call that names no version: the split (or none) and the versions it can land on. */
  unpinned: string;
}

/** A live guide's versions, digested. */
export interface LiveGuideDigests {
  /** Its id: a canned answer may name the guide by it. */
  id: string;
  /** The label of its newest version, which turns run unless `guideVersions` names another. */
  latest: string | null;
  /** Per version label (the latest and production ones): what its turns answer from. */
  versions: ReadonlyMap<string, string>;
}

/** A guide version that is not ProductionReady, which a test's turns run. */
export interface UnpublishedRun {
  version: string;
  state: string;
  /** The guide's newest ProductionReady version, when it has one. */
  production?: string;
}

/**
 * Of the named live guides, those whose turns run a version that is not ProductionReady: the
 * latest, unless `inProduction` says production runs instead (its newer versions hold other
 * content) or `notAsInGit` that none runs.
 */
export function guidesRunUnpublished(guides: readonly LiveGuide[], inProduction: ReadonlyMap<string, string>, notAsInGit: ReadonlyMap<string, string>): Map<string, UnpublishedRun> {
  const out = new Map<string, UnpublishedRun>();
  for (const g of guides) {
    if (!g.latest || inProduction.has(g.name) || notAsInGit.has(g.name) || g.latest.state === 'ProductionReady') continue;
    out.set(g.name, { version: g.latest.version, state: g.latest.state, ...(g.production ? { production: g.production.version } : {}) });
  }
  return out;
}

/** Said of a guide test whose turns ran a Draft or TestReady version: not what serves conversations. */
export function unpublishedRunNote(u: UnpublishedRun): string {
  const production = u.production !== undefined ? `, not the production version ${u.production}` : '; the guide has no production version';
  return `ran guide version ${u.version}, which is ${u.state}${production}`;
}

/**
 * Said of a template test whose calls met other safety filters than git's: which of git's filters
 * covering the template are not on the target, differ there, or cover it by one side's labels
 * only, and which of the target's are not in git. A note, not a failure: the versions are git's,
 * and filters change in place at apply as a split or a model does; the reader learns the green
 * (or red) was the target's filters' doing.
 */
export function filtersNotAppliedNote(template: string, d: FilterDifferences): string {
  const names = (list: readonly string[]) => list.map((n) => (RESOURCE_NAME.test(n) ? n : JSON.stringify(n))).join(', ');
  const parts = [
    d.absent.length ? `not on the target: ${names(d.absent)}` : '',
    d.differ.length ? `different there: ${names(d.differ)}` : '',
    d.coversInGitOnly.length ? `covering ${template} by git's labels for it, not the target's: ${names(d.coversInGitOnly)}` : '',
    d.coversOnTargetOnly.length ? `covering ${template} by the target's labels for it, not git's: ${names(d.coversOnTargetOnly)}` : '',
    d.notInGit.length ? `on the target, not in git: ${names(d.notInGit)}` : '',
  ].filter((p) => p !== '');
  return `git's safety filters for ${template} are not applied to the target yet: its calls met the target's (${parts.join('; ')})`;
}

/** What was read: the gateway's templates and filters, the named guides; undefined where the read failed. */
export function liveFacts(read: { templates?: readonly WireTemplate[]; filters?: readonly WireFilter[]; guides?: readonly LiveGuide[] }): LiveFacts {
  const facts: LiveFacts = {};
  if (read.templates) {
    facts.templates = new Map(read.templates.map((t) => [t.name, templateDigests(t)]));
    const labels = (t: WireTemplate, state: string) => new Set((t.versions ?? []).filter((v) => v.state === state).map((v) => v.version));
    facts.published = new Map(read.templates.map((t) => [t.name, labels(t, 'Published')]));
    facts.drafts = new Map(read.templates.map((t) => [t.name, labels(t, 'Draft')]));
    facts.models = new Map(read.templates.map((t) => [t.name, t.model]));
    facts.splits = new Map(read.templates.map((t) => [t.name, t.traffic ? t.traffic.routes.map((r) => ({ version: r.version, weight: r.weight })) : null]));
  }
  if (read.templates && read.filters) {
    const filters = read.filters;
    facts.filters = new Map(read.templates.map((t) => [t.name, stableHash(filtersMet(filters, t).map((f) => without(f, NOT_FILTER_ANSWERS)))]));
  }
  if (read.guides) facts.guides = new Map(read.guides.map((g) => [g.name, guideDigests(g)]));
  return facts;
}

/**
 * The key material of a template call (render.ts): the version it names, or what routes a call
 * that names none, and the filters it meets; undefined while either part is unread (the call is
 * then not cached). null: the template, or the version named, is not live.
 */
export function liveTemplateKey(
  facts: LiveFacts | undefined,
  template: string,
  requested: string | undefined,
): { id: string | null; template: string | null; filters: string | null } | undefined {
  if (!facts?.templates || !facts.filters) return undefined;
  const t = facts.templates.get(template);
  const reached = t === undefined ? null : requested !== undefined ? (t.pinned.get(requested) ?? null) : t.unpinned;
  // The id for a pinned call too: a canned answer may match the template by it.
  return { id: t?.id ?? null, template: reached, filters: facts.filters.get(template) ?? null };
}

/** The key material of a guide call (render.ts): the version its turns run; undefined while the guides are unread. */
export function liveGuideKey(facts: LiveFacts | undefined, guide: string): { id: string | null; guide: string | null } | undefined {
  if (!facts?.guides) return undefined;
  const g = facts.guides.get(guide);
  const label = facts.guideVersions?.get(guide) ?? g?.latest ?? undefined;
  return { id: g?.id ?? null, guide: (label !== undefined ? g?.versions.get(label) : undefined) ?? null };
}

/**
 * The enabled filters that apply to a live template, in the order they run: `appliesTo` as the
 * gateway reads it (none: every template; else the template named, by name or id, or carrying every
 * label), by priority, the name breaking a tie. The emulator decides it in emulator/safety.ts
 * `applicableFilters`, which evals may not import: test/unit/evals/live-facts-keys.test.ts checks
 * the two agree.
 */
export function filtersMet<F extends Pick<WireFilter, 'name' | 'enabled' | 'priority' | 'appliesTo'>>(filters: readonly F[], t: Pick<WireTemplate, 'id' | 'name' | 'labels'>): F[] {
  return filters
    .filter((f) => f.enabled && coversOnTarget(f.appliesTo, t))
    .sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The server's bookkeeping on an object (a template's or guide's id is key material of its own). */
const BOOKKEEPING = ['id', 'dateCreated', 'dateModified', 'createdBy', 'modifiedBy', 'selfUri'];

/**
 * What of a filter that applies can change an answer: all but the server's bookkeeping, its write
 * count, description and labels, and what `filtersMet` already decided (enabled, appliesTo,
 * priority: the order it runs in). A field a server adds is kept: it may score.
 */
const NOT_FILTER_ANSWERS = new Set([...BOOKKEEPING, 'version', 'description', 'labels', 'enabled', 'appliesTo', 'priority']);

/** What of a version can change an answer: all but the server's bookkeeping (a field a server adds kept). */
const NOT_VERSION_ANSWERS = new Set([...BOOKKEEPING, 'templateId', 'datePublished']);

/** What of a guide version can change a turn's answer: all but its state, dates, links and guide (a field a server adds kept). */
const NOT_GUIDE_VERSION_ANSWERS = new Set(['selfUri', 'guide', 'dateCreated', 'dateModified', 'state']);

/** An object without the named fields. */
function without(o: object, left: ReadonlySet<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !left.has(k)));
}

/**
 * A template's versions as calls reach them: each by its label, and for a call naming none, the
 * split's routes (those carrying calls, by version: their order routes nothing) with the versions
 * the gateway may land it on (model/routing.ts: the routed ones, the newest Published without a
 * split or as the fallback). Not its description, labels (the filters they select are in
 * `filters`) or versions no call reaches.
 */
function templateDigests(t: WireTemplate): LiveTemplateDigests {
  const versions = t.versions ?? [];
  // Each with the model that answers for it: its own, else the template's.
  const digest = new Map(versions.map((v) => [v.version, stableHash({ ...without(v, NOT_VERSION_ANSWERS), model: v.model ?? t.model })]));
  const split = t.traffic === undefined ? undefined : t.traffic === null ? null : { routes: t.traffic.routes };
  const routing = routedVersions(versions, { split });
  const reached = routing.kind === 'routed' ? routing.versions.map((v) => digest.get(v.version) ?? null) : [];
  const traffic = t.traffic
    ? {
        strategy: t.traffic.strategy,
        stickyKey: t.traffic.stickyKey ?? null,
        routes: liveRoutes(t.traffic.routes)
          .map((r) => ({ version: r.version, weight: r.weight }))
          .sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0)),
      }
    : t.traffic === null
      ? null
      : 'unread';
  return { id: t.id, pinned: digest, unpinned: stableHash({ traffic, versions: reached }) };
}

/** A guide's latest and production versions, each as its turns answer from it. */
function guideDigests(g: LiveGuide): LiveGuideDigests {
  const versions = new Map<string, string>();
  for (const v of [g.latest, g.production]) if (v) versions.set(v.version, stableHash(without(v, NOT_GUIDE_VERSION_ANSWERS)));
  return { id: g.id, latest: g.latestSavedVersion?.version ?? null, versions };
}
