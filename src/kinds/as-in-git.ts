// Whether what the target holds under git's names is the content git defines, through each kind's
// canonical form: a test's call on such an object would run the org's text under git's name. For
// `test` (which cases not to run, evals/live-facts.ts; and which safety filters its calls met
// that are not git's, a note); plan reports the same differences its own way (an immutable
// version's error, a guide's update, a filter's create, update or delete).
import { coversOnTarget, filterCovers, type FilterDifferences } from '../model/filters.js';
import type { DesiredState, SafetyFilter } from '../model/types.js';
import type { LiveGuide } from '../targets/live.js';
import type { WireFilter, WireTemplate } from '../targets/llmgateway/wire.js';
import { byCodeUnits } from '../util/compare.js';
import { canonicalEqual } from './canonical.js';
import { contentCanonical, toWire as guideToWire, versionContent } from './Guide/index.js';
import { canonical as versionCanonical } from './PromptVersion/index.js';
import { canonical as filterCanonical, toWire as filterToWire } from './SafetyFilter/index.js';

/**
 * "template@version" of the versions of the `tested` templates the target holds Published with
 * other content than git's under the same label (plan's immutable-version error).
 */
export function versionsNotAsInGit(state: DesiredState, templates: readonly WireTemplate[], tested: ReadonlySet<string>): Set<string> {
  const differs = new Set<string>();
  // Only the tested templates' versions, each looked up by key: the org may hold thousands.
  const mine = new Map(state.versions.filter((v) => tested.has(v.template)).map((v) => [`${v.template}@${v.version}`, v]));
  for (const t of templates) {
    if (!tested.has(t.name)) continue;
    for (const lV of t.versions ?? []) {
      if (lV.state !== 'Published') continue;
      const dV = mine.get(`${t.name}@${lV.version}`);
      if (dV && !canonicalEqual(versionCanonical(dV), versionCanonical(lV))) differs.add(`${t.name}@${lV.version}`);
    }
  }
  return differs;
}

/**
 * Per guide git defines: the label of its latest live version when neither it nor the production
 * version holds git's content (an edit before its apply, or a change made by hand). A test's
 * turns would run the org's text under git's name.
 */
export function guidesNotAsInGit(state: DesiredState, guides: readonly LiveGuide[]): Map<string, string> {
  const other = new Map<string, string>();
  for (const [g, held] of guidesHolding(state, guides)) if (held === undefined && g.latest) other.set(g.name, g.latest.version);
  return other;
}

/**
 * Per guide git defines: the production version's label when it holds git's content and a newer
 * Draft or TestReady version other content (someone's work in progress, which plan leaves alone):
 * the version a test's turns run, instead of the latest.
 */
export function guidesTestedInProduction(state: DesiredState, guides: readonly LiveGuide[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [g, held] of guidesHolding(state, guides)) if (held !== undefined && held !== g.latest) out.set(g.name, held.version);
  return out;
}

/** Each live guide git defines, with the version that holds git's content: the latest, else production, else none. */
function guidesHolding(state: DesiredState, guides: readonly LiveGuide[]): Array<[LiveGuide, LiveGuide['latest']]> {
  const mine = new Map(state.guides.map((d) => [d.name, d]));
  const out: Array<[LiveGuide, LiveGuide['latest']]> = [];
  for (const g of guides) {
    const d = mine.get(g.name);
    if (!d || !g.latest) continue;
    const want = contentCanonical(guideToWire(d));
    const holds = (v: LiveGuide['latest']) => v !== undefined && canonicalEqual(want, contentCanonical(versionContent(v)));
    out.push([g, holds(g.latest) ? g.latest : holds(g.production) ? g.production : undefined]);
  }
  return out;
}

/**
 * Per tested template the target holds: how the enabled filters covering it on the target (by its
 * live name, id and labels) differ from git's covering it (by git's labels), compared in the
 * canonical form the plan compares; absent when they are the same. A test's calls meet the
 * target's filters, so a filter added, changed or removed in git and not applied yet would
 * otherwise pass unseen.
 */
export function filtersNotAsInGit(state: DesiredState, templates: readonly WireTemplate[], filters: readonly WireFilter[], tested: ReadonlySet<string>): Map<string, FilterDifferences> {
  const out = new Map<string, FilterDifferences>();
  const mine = new Map(state.filters.map((f) => [f.name, f]));
  const theirs = new Map(filters.map((f) => [f.name, f]));
  const differs = new Set(state.filters.filter((f) => theirs.has(f.name) && !canonicalEqual(filterCanonical(filterToWire(f)), filterCanonical(theirs.get(f.name)!))).map((f) => f.name));
  for (const t of templates) {
    if (!tested.has(t.name)) continue;
    const gitLabels = state.templates.find((d) => d.name === t.name)?.labels ?? {};
    const inGit = (f: SafetyFilter | undefined) => f !== undefined && f.enabled && filterCovers(f.appliesTo, t.name, gitLabels);
    const onTarget = (f: WireFilter | undefined) => f !== undefined && f.enabled && coversOnTarget(f.appliesTo, t);
    const d: FilterDifferences = { absent: [], differ: [], coversInGitOnly: [], coversOnTargetOnly: [], notInGit: [] };
    for (const name of [...new Set([...mine.keys(), ...theirs.keys()])].sort(byCodeUnits)) {
      const g = mine.get(name);
      const l = theirs.get(name);
      if (!inGit(g) && !onTarget(l)) continue;
      if (!l) d.absent.push(name);
      else if (!g) d.notInGit.push(name);
      else if (differs.has(name)) d.differ.push(name);
      else if (!onTarget(l)) d.coversInGitOnly.push(name);
      else if (!inGit(g)) d.coversOnTargetOnly.push(name);
    }
    if (Object.values(d).some((names: string[]) => names.length > 0)) out.set(t.name, d);
  }
  return out;
}
