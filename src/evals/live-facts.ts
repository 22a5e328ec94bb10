// What the target serves, digested for the PromptTest results cache (pure): a cached answer
// stands for a call only while the same objects are live. The YAML alone does not decide an
// answer: the target answers from its own versions, split and filters, which differ from git
// before an apply and after a change made outside it. Each digest is the whole live object, so
// any change to it (a new version, a moved split, an edited filter) runs the call again. A part
// the target did not let us read is undefined: its calls are made, and not cached.
import { RESOURCE_NAME } from '../model/address.js';
import type { FilterDifferences } from '../model/filters.js';
import type { WireGuide } from '../targets/aistudio/wire.js';
import type { LiveGuide } from '../targets/live.js';
import type { WireFilter, WireTemplate } from '../targets/llmgateway/wire.js';
import { stableHash } from '../util/json.js';

export interface LiveFacts {
  /** Per template name: its live object with versions and traffic (absent name: not live). */
  templates?: ReadonlyMap<string, string>;
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
  /** Every live safety filter (a filter may cover a template by its labels). */
  filters?: string;
  /**
   * Per tested live template: how the filters covering it on the target differ from git's (a
   * filter added, changed or removed in git and not applied yet). Its calls met the target's
   * filters; render.ts notes which.
   */
  filtersNotAsInGit?: ReadonlyMap<string, FilterDifferences>;
  /** Per guide name: the guide with its latest and production versions (absent name: not live). */
  guides?: ReadonlyMap<string, string>;
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
export function liveFacts(read: { templates?: readonly WireTemplate[]; filters?: readonly WireFilter[]; guides?: readonly WireGuide[] }): LiveFacts {
  const facts: LiveFacts = {};
  if (read.templates) {
    facts.templates = new Map(read.templates.map((t) => [t.name, stableHash(t)]));
    const labels = (t: WireTemplate, state: string) => new Set((t.versions ?? []).filter((v) => v.state === state).map((v) => v.version));
    facts.published = new Map(read.templates.map((t) => [t.name, labels(t, 'Published')]));
    facts.drafts = new Map(read.templates.map((t) => [t.name, labels(t, 'Draft')]));
    facts.models = new Map(read.templates.map((t) => [t.name, t.model]));
    facts.splits = new Map(read.templates.map((t) => [t.name, t.traffic ? t.traffic.routes.map((r) => ({ version: r.version, weight: r.weight })) : null]));
  }
  if (read.filters) facts.filters = stableHash([...read.filters].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  if (read.guides) facts.guides = new Map(read.guides.map((g) => [g.name, stableHash(g)]));
  return facts;
}
