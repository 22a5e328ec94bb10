// From PromptTests to the calls `promptctl test` makes (pure): which tests run, on which versions,
// each case's request, and the key its result is cached under. The key is a hash of everything
// that decides the answer: the target, the version asked for (or the split's routes), the prompt
// as rendered from the YAML of every version that may answer (system instruction, few-shot
// examples, user template with the case's vars, the case's messages) with its model parameters
// (model, temperature, maxTokens), the safety filters that cover the template, the canned
// answers the embedded emulator may give for the target (a test's `responses:`, its own first, in
// the order the emulator tries them), what the target
// serves for it (live-facts.ts: the live template's or guide's id, the live versions the call can
// reach or the guide version its turns run, and the live filters that apply), where
// promptctl's registry prices the answer (the embedded emulator) the prices it does so with, and
// the repetition. Change any of them and the case runs again; change nothing and it does not.
import { createHash } from 'node:crypto';
import { filterCovers } from '../model/filters.js';
import { liveRoutes, routedVersions, unkeyedStickyRoutes } from '../model/routing.js';
import type { DesiredState, Guide, PromptTemplate, PromptTest, PromptVersion, TestCase, TestVarValue } from '../model/types.js';
import { stableStringify } from '../util/json.js';
import { compareVersionLabels } from '../util/semver.js';
import { setEntry } from '../util/entries.js';
import { resolveModel, type ModelCatalog } from '../tokens/registry.js';
import type { EncodingName } from '../tokens/count.js';
import { AISTUDIO_DEFAULT_ENCODING } from '../tokens/texts.js';
import type { InvocationMessage, InvocationRequest, VariableValue } from '../targets/llmgateway/wire.js';
import { renderPrompt, varProblem } from './case-vars.js';
import { filtersNotAppliedNote, liveGuideKey, liveTemplateKey, unpublishedRunNote, type LiveFacts } from './live-facts.js';
import { RESPONSES_UNUSED, responsesFor, type TargetResponse } from './responses.js';
// What the planned calls' `responses` option is made from, where it was always found beside planTests.
export { emulatorResponses } from './responses.js';

/** Bump when the meaning of a cached result changes: old entries are then simply not found. */
// 3: an answer is judged as it came; entries of 2 held masked answers, which would now be judged as unmasked.
export const CACHE_FORMAT = 3;

export type PlannedRequest =
  | { kind: 'template'; request: InvocationRequest }
  | { kind: 'guide'; guide: string; inputVariables: Array<{ name: string; value: string }>; turns: string[]; version?: string; encoding: EncodingName };

/** One call to make: a case, on a version (or through the split), one repetition. */
export interface PlannedCall {
  caseIndex: number;
  case: TestCase;
  /** The version asked for; undefined: the split (or the newest version) decides. */
  requested?: string;
  /** 1-based. */
  repetition: number;
  call: PlannedRequest;
  /** Why the call cannot be made as written (checked here, before spending a call). */
  notRun?: string;
  /**
   * Why the call is not made yet: git defines what it asks for (a template version, a split's
   * route, a guide) and the target does not hold it, Published, yet (known from `live`). Not a
   * failure: the case is not run, no call is made and nothing is cached, until it is applied.
   */
  notLive?: string;
  /** sha256 hex of the rendered request (see the top of this file). */
  key: string;
  /** What the target serves for it could not be read: no cached result stands for it, none is kept. */
  uncached?: boolean;
  /** The texts the case sends (var values, messages). */
  inputs: string[];
}

export interface PlannedTest {
  test: PromptTest;
  kind: 'template' | 'guide';
  /** For people: "billing-assistant@1.1.0", "billing-assistant (traffic split: 1.0.0 80%, 1.1.0 20%)", "guide Returns assistant". */
  target: string;
  threshold: number;
  repeat: number;
  /** Under --compare: the two versions, in order. */
  versions?: [string, string];
  calls: PlannedCall[];
  notes: string[];
  /** Under --compare: why the test is left out (a guide, a template without both versions, a case one of them cannot take). */
  skip?: string;
  /** Left out for a case, though its template declares both versions. */
  skipCase?: true;
  /** Through a split: the routes that choose each call's version (git's, or the target's until git's is applied). */
  routedBy?: Array<{ version: string; weight: number }>;
  /**
   * `routedBy` is git's sticky split: the variable it is sticky on (a test sends no routing key),
   * and which cases give it (`every`, `some`, `none`): a case that does lands on the same version
   * on every call, and repeating it draws nothing new. Absent for a random split, or the target's
   * (its strategy unread).
   */
  sticky?: { key?: string; keyed: 'every' | 'some' | 'none' };
}

export interface PlanOptions {
  /** The target's label: results from one org never answer for another. */
  targetLabel: string;
  /** --repeat: overrides every test's repeat. */
  repeat?: number;
  /** --threshold: overrides every test's threshold. */
  threshold?: number;
  /** --compare A,B: every case of a template test on both versions. */
  compare?: [string, string];
  /**
   * The canned answers the target was started with (the embedded emulator only: `emulatorResponses`):
   * those for a call's template (or guide) are part of its key, in the order the emulator tries
   * them for the call's test (its own first), so a changed answer, or a changed precedence, runs again.
   */
  responses?: readonly TargetResponse[];
  /** The target is not the embedded emulator: a test's `responses:` answer nothing there, its notes say so. */
  responsesUnused?: true;
  /** What the target serves (read before the calls): part of every key, so a result never outlives it. */
  live?: LiveFacts;
  /**
   * The target prices and counts its answers with promptctl's own model registry (the embedded
   * emulator): what each model of a call is priced with goes into its key (`localPricing`). An
   * emulator that says it answers from canned answers (`live.cannedAnswers`) is taken as one too.
   */
  localPrices?: true;
  /** Set by planTests: the Config's `models:`, the definitions of a call's models go into its key. */
  models?: Readonly<Record<string, unknown>>;
  /** Set by planTests: the test being planned, whose own `responses:` the emulator tries first. */
  forTest?: string;
  /**
   * The plan a note says shows a published version's edit: `promptctl plan` with the run's --env and
   * --dir, without which the command copied plans another target or directory (default: bare).
   */
  planCommand?: string;
}

/** The tests named (by metadata.name or address), all when none; names that match nothing are returned. */
export function selectTests(state: DesiredState, names: readonly string[]): { tests: PromptTest[]; unknown: string[] } {
  if (names.length === 0) return { tests: [...state.tests], unknown: [] };
  const wanted = names.map((n) => n.replace(/^PromptTest\//, ''));
  const unknown = wanted.filter((n) => !state.tests.some((t) => t.name === n));
  return { tests: state.tests.filter((t) => wanted.includes(t.name)), unknown };
}

export function planTests(state: DesiredState, tests: readonly PromptTest[], opts: PlanOptions): PlannedTest[] {
  // The Config's model definitions price and count an answer (the embedded emulator's, and the
  // cost assertions'): a changed price or encoding runs the calls again.
  const models = state.config.models;
  return tests.map((t) => planTest(state, t, { ...opts, models, forTest: t.name }));
}

function planTest(state: DesiredState, t: PromptTest, opts: PlanOptions): PlannedTest {
  const repeat = opts.repeat ?? t.repeat;
  const threshold = opts.threshold ?? t.threshold;
  const notes: string[] = [];
  if (opts.responsesUnused && t.responses.length > 0) notes.push(RESPONSES_UNUSED);
  const base = { test: t, threshold, repeat, notes };
  if ('guide' in t.target) {
    const guide = state.guides.find((g) => g.name === (t.target as { guide: string }).guide);
    if (opts.compare) return { ...base, kind: 'guide', target: `guide ${JSON.stringify(t.target.guide)}`, calls: [], skip: 'a guide has no versions to compare (Genesys numbers them)' };
    const calls = t.cases.flatMap((c, i) => repetitions(repeat, (r) => guideCall(opts, t.target as { guide: string }, guide, c, i, r)));
    if (t.cases.some((c) => c.messages.some((m) => m.role !== 'user'))) notes.push('a guide is sent the user messages only, one turn each; the guide writes its own replies');
    const unpublished = opts.live?.guidesRunUnpublished?.get(t.target.guide);
    if (unpublished) notes.push(unpublishedRunNote(unpublished));
    return { ...base, kind: 'guide', target: `guide ${JSON.stringify((t.target as { guide: string }).guide)}`, calls };
  }
  const spec = t.target;
  const template = state.templates.find((x) => x.name === spec.template);
  const declared = state.versions.filter((v) => v.template === spec.template).sort((a, b) => compareVersionLabels(a.version, b.version));
  const split = state.splits.find((s) => s.template === spec.template);
  const filters = state.filters
    .filter((f) => f.enabled && filterCovers(f.appliesTo, spec.template, template?.labels ?? {}))
    .sort((a, b) => a.priority - b.priority)
    // In the order they run; whom else they cover (appliesTo) and their priority's number change no answer.
    .map((f) => ({ name: f.name, categories: f.categories, action: f.action, thresholds: f.thresholds }));

  if (opts.compare) {
    const [a, b] = opts.compare;
    const missing = [a, b].filter((v) => !declared.some((d) => d.version === v));
    if (missing.length === 0) {
      const pair = [a, b].map((label) => declared.find((d) => d.version === label)!);
      // A case one of the versions cannot take (a var it does not declare, a value of another type,
      // a required var left out) leaves nothing to compare it by: the test is left out, named with
      // why, rather than failed.
      const unfit = t.cases.map((c) => ({ c, why: pair.map((v) => varProblem(v, c.vars, true)).find((p) => p !== undefined) })).find((x) => x.why !== undefined);
      if (unfit) return { ...base, kind: 'template', target: spec.template, calls: [], skip: `case "${unfit.c.name}": ${unfit.why}`, skipCase: true };
      if (t.cases.some((c) => c.expect.some((e) => e.type === 'routedTo'))) {
        const only = t.cases.some((c) => c.expect.every((e) => e.type === 'routedTo'));
        notes.push(`routedTo is not checked under --compare: each call names its version${only ? '; a case whose only assertion is routedTo is not checked, and left out of the pass rate' : ''}`);
      }
      notes.push(...notAppliedNotes(spec.template, template, pair, opts.live));
      const calls = pair.flatMap((v) => t.cases.flatMap((c, i) => repetitions(repeat, (r) => templateCall(opts, spec.template, template, [v], v.version, null, filters, c, i, r, true))));
      return { ...base, kind: 'template', target: `${spec.template}@${a} vs ${b}`, versions: [a, b], calls };
    }
    const skip = `template "${spec.template}" declares no version ${missing.join(' or ')}${declared.length ? ` (it declares ${declared.map((d) => d.version).join(', ')})` : ''}`;
    return { ...base, kind: 'template', target: spec.template, calls: [], skip };
  }

  // The rule `run` follows too (model/routing.ts), over git's versions: each is Published once
  // applied. Without its fallback to the newest: a route to a version git does not declare is a
  // validate error (rules/traffic.ts: routes name declared versions, weights sum to 100), so the
  // calls are rendered and keyed on exactly the versions git's split routes to, never another.
  const routing = routedVersions(declared.map((v) => ({ version: v.version, state: 'Published', v })), { pinned: spec.version, split: split ?? null, fallback: false });
  const candidates = routing.kind === 'routed' ? routing.versions.map((x) => x.v) : [];
  let routes: Array<{ version: string; weight: number }> | null = null;
  let routedBy: Array<{ version: string; weight: number }> | undefined;
  let target: string;
  let gitRoutes = true;
  if (spec.version !== undefined) target = `${spec.template}@${spec.version}`;
  else if (split) {
    routes = liveRoutes(split.routes).map((r) => ({ version: r.version, weight: r.weight }));
    target = `${spec.template} (traffic split: ${splitText(routes)})`;
    // A call that names no version is routed by the target's split: until git's is applied, the
    // report says which one answered.
    const onTarget = opts.live?.splits?.has(spec.template) ? opts.live.splits.get(spec.template)! : undefined;
    const targets = onTarget ? splitText(liveRoutes(onTarget)) : undefined;
    gitRoutes = onTarget === undefined || targets === splitText(routes);
    routedBy = gitRoutes ? routes : onTarget ? liveRoutes(onTarget).map((r) => ({ version: r.version, weight: r.weight })) : undefined;
    if (!gitRoutes) {
      target = `${spec.template} (the target's traffic split: ${targets ?? 'none, its newest published version answers'})`;
      // Said only when the calls are made: while a routed version is not on the target, no case runs.
      if (versionsNotLive(opts.live, spec.template, candidates) === undefined) {
        notes.push(`git's traffic split (${splitText(routes)}) is not applied to the target yet: its calls were routed by the target's`);
      }
    }
  } else {
    target = `${spec.template} (no split: its newest published version answers)`;
    const onTarget = opts.live?.splits?.get(spec.template);
    if (onTarget) {
      target = `${spec.template} (the target's traffic split: ${splitText(liveRoutes(onTarget))})`;
      routedBy = liveRoutes(onTarget).map((r) => ({ version: r.version, weight: r.weight }));
      if (versionsNotLive(opts.live, spec.template, candidates) === undefined) notes.push("git has no traffic split for this template, but the target has one: its calls were routed by the target's");
    }
  }
  // Said of git's split only while it is the one routing (else the target's routes, by rules git does not hold).
  if (spec.version === undefined && gitRoutes) {
    const drawn = randomlyRouted(t, split, candidates);
    if (drawn) notes.push(drawn);
  }
  notes.push(...notAppliedNotes(spec.template, template, candidates, opts.live));
  const calls = t.cases.flatMap((c, i) => repetitions(repeat, (r) => templateCall(opts, spec.template, template, candidates, spec.version, routes, filters, c, i, r, false)));
  const sticky = spec.version === undefined && gitRoutes ? stickyRouting(t, split) : undefined;
  return { ...base, kind: 'template', target, calls, ...(routedBy && routedBy.length > 1 ? { routedBy, ...(sticky ? { sticky } : {}) } : {}) };
}

/** How git's split routes a test's calls when it is sticky (PlannedTest.sticky); undefined for a random one. */
function stickyRouting(t: PromptTest, split: DesiredState['splits'][number] | undefined): PlannedTest['sticky'] {
  if (!split || split.strategy !== 'sticky') return undefined;
  const key = split.stickyKey;
  const n = key === undefined ? 0 : t.cases.filter((c) => Object.hasOwn(c.vars, key)).length;
  const keyed = n === 0 ? 'none' : n === t.cases.length ? 'every' : 'some';
  return { ...(key !== undefined ? { key } : {}), keyed };
}

/**
 * A note when a sticky split draws the version of some cases at random: a test sends no routing
 * key, so a case decides its version only through the variable the split is sticky on (`run`
 * says the same of a call without --routing-key). What answers such a case, and whether its
 * routedTo holds, is chance (kept in the cache until the case changes).
 */
function randomlyRouted(t: PromptTest, split: DesiredState['splits'][number] | undefined, candidates: readonly PromptVersion[]): string | undefined {
  const unkeyed = t.cases.filter((c) => unkeyedStickyRoutes(split, undefined, { has: (name) => Object.hasOwn(c.vars, name) }) !== undefined);
  if (!split || unkeyed.length === 0) return undefined;
  const shares = splitText(liveRoutes(split.routes));
  const one = unkeyed.length === 1;
  const named = unkeyed.map((c) => JSON.stringify(c.name)).join(', ');
  const which = unkeyed.length === t.cases.length ? (one ? 'its case gives' : 'its cases give') : `${one ? 'case' : 'cases'} ${named} ${one ? 'gives' : 'give'}`;
  const routed = unkeyed.some((c) => c.expect.some((e) => e.type === 'routedTo')) ? `; a routedTo on ${one ? 'it' : 'them'} holds by chance` : '';
  // A var must be declared by the versions (validate): the key is a way only where they declare it.
  const key = split.stickyKey;
  const declared = key !== undefined && candidates.length > 0 && candidates.every((v) => v.variables.some((d) => d.name === key));
  const fix = declared ? `give ${one ? 'it' : 'them'} a ${key} var, or pin target.version` : 'pin target.version to test one version (a test sends no routing key)';
  return `the split is sticky${key !== undefined ? ` on ${key}` : ''}, but ${which} no ${key ?? 'routing key'}: ${one ? 'its' : 'their'} calls go to a version drawn at random (${shares})${routed}; ${fix}`;
}

/** What of git's template the target has not applied yet, as notes on a test of `versions`: its model, its safety filters. */
function notAppliedNotes(name: string, template: PromptTemplate | undefined, versions: readonly PromptVersion[], live: LiveFacts | undefined): string[] {
  return [modelNotApplied(name, template, versions, live), filtersNotApplied(name, versions, live)].filter((n): n is string => n !== undefined);
}

/**
 * A note when git's model for the template is not the target's yet (a model change before its
 * apply): a version that names no model of its own answers with the template's, so its calls
 * were answered, priced and counted by the target's model, not the one git sets. Said as an
 * unapplied split is: the calls are made (the version is as git defines it), the report says
 * which model answered, and the next apply makes it git's.
 */
function modelNotApplied(name: string, template: PromptTemplate | undefined, versions: readonly PromptVersion[], live: LiveFacts | undefined): string | undefined {
  const onTarget = live?.models?.get(name);
  if (!template || onTarget === undefined || onTarget === template.model) return undefined;
  // Only versions the target holds answer (the others' cases are not run, and say why).
  const taking = versions.filter((v) => v.model === undefined && live?.published?.get(name)?.has(v.version)).map((v) => v.version);
  if (taking.length === 0) return undefined;
  const which = taking.length === versions.length ? 'its calls were' : `the calls on ${taking.join(' and ')} were`;
  return `git's model for ${name} (${template.model}) is not applied to the target yet: ${which} answered by the target's, ${onTarget}`;
}

/** A note when the filters the target applies to the template are not git's, said once a call of it is made (a version it holds). */
function filtersNotApplied(name: string, versions: readonly PromptVersion[], live: LiveFacts | undefined): string | undefined {
  const d = live?.filtersNotAsInGit?.get(name);
  return d && versions.some((v) => live?.published?.get(name)?.has(v.version)) ? filtersNotAppliedNote(name, d) : undefined;
}

/** A split's routes as a report names them, by version. */
function splitText(routes: readonly { version: string; weight: number }[]): string {
  return [...routes]
    .sort((a, b) => compareVersionLabels(a.version, b.version))
    .map((r) => `${r.version} ${r.weight} %`)
    .join(', ');
}

function repetitions<T>(n: number, make: (r: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => make(i + 1));
}

function hash(material: unknown): string {
  return createHash('sha256').update(stableStringify({ format: CACHE_FORMAT, ...(material as object) })).digest('hex');
}

function templateCall(
  opts: PlanOptions,
  templateName: string,
  template: PromptTemplate | undefined,
  candidates: readonly PromptVersion[],
  requested: string | undefined,
  routes: Array<{ version: string; weight: number }> | null,
  filters: unknown[],
  c: TestCase,
  caseIndex: number,
  repetition: number,
  comparing: boolean,
): PlannedCall {
  const variables: Record<string, VariableValue> = {};
  let notRun: string | undefined;
  for (const [name, value] of Object.entries(c.vars)) {
    if (Array.isArray(value)) notRun ??= `var "${name}" is a list; template variables take a string, number or boolean`;
    else setEntry(variables, name, value);
  }
  for (const v of candidates) notRun ??= varProblem(v, c.vars, comparing);
  for (const v of candidates) {
    if (opts.live?.versionsNotAsInGit?.has(`${templateName}@${v.version}`)) {
      notRun ??= `${templateName}@${v.version} is published on this target with other content than git's, and a published version cannot change: \`${opts.planCommand ?? 'promptctl plan'}\` shows the difference (add a new version)`;
    }
  }
  const messages: InvocationMessage[] = c.messages.map((m) => ({ role: m.role, content: m.content }));
  const request: InvocationRequest = {
    template: templateName,
    ...(requested !== undefined ? { version: requested } : {}),
    variables,
    ...(messages.length ? { messages } : {}),
  };
  const rendered = candidates.map((v) => ({
    version: v.version,
    model: v.model ?? template?.model ?? null,
    temperature: v.temperature ?? null,
    maxTokens: v.maxTokens ?? null,
    messages: renderPrompt(v, c.vars, messages),
  }));
  const defined = [...new Set(rendered.map((r) => r.model))].filter((m): m is string => m !== null && opts.models?.[m] !== undefined).sort();
  const models = defined.length ? { models: Object.fromEntries(defined.map((m) => [m, opts.models![m]])) } : {};
  const served = liveTemplateKey(opts.live, templateName, requested);
  const live = served ? { live: served } : {};
  const uncached = opts.live !== undefined && served === undefined;
  const priced = localPricing(opts, rendered.map((r) => r.model));
  const key = hash({ target: opts.targetLabel, template: templateName, requested: requested ?? null, routes, rendered, filters, request, repetition, ...responsesFor(opts, templateName, 'template'), ...live, ...models, ...cannedAnswers(opts), ...priced });
  const notLive = notRun ? undefined : versionsNotLive(opts.live, templateName, candidates);
  return {
    caseIndex,
    case: c,
    ...(requested !== undefined ? { requested } : {}),
    repetition,
    call: { kind: 'template', request },
    ...(notRun ? { notRun } : {}),
    ...(notLive ? { notLive } : {}),
    key,
    ...(uncached ? { uncached } : {}),
    inputs: inputsOf(c),
  };
}

/**
 * Where promptctl's registry prices the answers (see localPrices), what each of the call's models
 * is priced and counted with as this build resolves it (the Config's entry over the built-in, a
 * snapshot's family), so that an upgrade changing a built-in price makes the call again and
 * maxCostUsd never judges a cost of the old prices. Elsewhere the server prices its answers: none,
 * and the key is as it was.
 */
function localPricing(opts: PlanOptions, models: readonly (string | null)[]): { pricing?: Record<string, unknown> } {
  if (!opts.localPrices && opts.live?.cannedAnswers === undefined) return {};
  const pricing: Record<string, unknown> = {};
  for (const id of [...new Set(models)].filter((m): m is string => m !== null).sort()) {
    const m = resolveModel(id, { models: (opts.models ?? {}) as ModelCatalog });
    // An unknown model is counted approximately and costs nothing (the emulator's modelFor).
    setEntry(pricing, id, m ? { encoding: m.encoding, input: m.inputCostPer1M ?? null, output: m.outputCostPer1M ?? null } : null);
  }
  return { pricing };
}

/** The canned answers the target says it answers from, as key material (none: the key is as it was). */
function cannedAnswers(opts: PlanOptions): { cannedAnswers?: string } {
  return opts.live?.cannedAnswers !== undefined ? { cannedAnswers: opts.live.cannedAnswers } : {};
}

function guideCall(opts: PlanOptions, target: { guide: string }, guide: Guide | undefined, c: TestCase, caseIndex: number, repetition: number): PlannedCall {
  const inputVariables = Object.entries(c.vars).map(([name, value]) => ({ name, value: guideValue(value) }));
  const users = c.messages.filter((m) => m.role === 'user').map((m) => m.content);
  const turns = users.length > 0 ? users : [''];
  const content = guide ? { instruction: guide.instruction, variables: guide.variables, dataActions: guide.dataActions, knowledge: guide.knowledge ?? null } : null;
  const served = liveGuideKey(opts.live, target.guide);
  const live = served ? { live: served } : {};
  const uncached = opts.live !== undefined && served === undefined;
  // A turn reports no usage: its answer is counted with the guide's model's encoding (the stand-in
  // without one, or of a model the registry lacks), which is key material but for the stand-in.
  const encoding = (guide?.model !== undefined ? resolveModel(guide.model, { models: (opts.models ?? {}) as ModelCatalog })?.encoding : undefined) ?? AISTUDIO_DEFAULT_ENCODING;
  const counted = encoding !== AISTUDIO_DEFAULT_ENCODING ? { encoding } : {};
  const key = hash({ target: opts.targetLabel, guide: target.guide, content, inputVariables, turns, repetition, ...responsesFor(opts, target.guide, 'guide'), ...live, ...cannedAnswers(opts), ...counted });
  // A guide git defines (validate refuses any other) that the target's listing does not name, or
  // whose latest and production versions hold other content than git's: not run yet.
  const other = guide ? opts.live?.guidesNotAsInGit?.get(target.guide) : undefined;
  // The turns run the latest version, or production when only it holds git's content.
  const version = guide ? opts.live?.guideVersions?.get(target.guide) : undefined;
  const notLive =
    guide && opts.live?.guides && !opts.live.guides.has(target.guide)
      ? `guide ${JSON.stringify(target.guide)} ${NOT_LIVE_YET}`
      : other !== undefined
        ? `guide ${JSON.stringify(target.guide)} as git defines it ${NOT_LIVE_YET}: its version ${other} there holds other content`
        : undefined;
  return {
    caseIndex,
    case: c,
    repetition,
    call: { kind: 'guide', guide: target.guide, inputVariables, turns, ...(version !== undefined ? { version } : {}), encoding },
    ...(notLive ? { notLive } : {}),
    key,
    ...(uncached ? { uncached } : {}),
    inputs: inputsOf(c),
  };
}

/** The words every not-live reason ends with. */
export const NOT_LIVE_YET = 'is not on this target yet (apply it, then test)';

/**
 * The versions of `candidates` (versions git defines: the one pinned, compared, routed, or the
 * newest) the target does not hold Published, as a reason; undefined when it holds them all or
 * when what it holds could not be read (the call is then made, as before).
 */
function versionsNotLive(live: LiveFacts | undefined, template: string, candidates: readonly PromptVersion[]): string | undefined {
  if (!live?.templates || !live.published) return undefined;
  const held = live.published.get(template);
  const missing = candidates.filter((v) => !held?.has(v.version));
  if (missing.length === 0) return undefined;
  const names = missing.map((v) => `${template}@${v.version}`);
  // A Draft there is the version half applied: the next apply publishes it.
  const drafts = live.drafts?.get(template);
  if (missing.length === 1 && drafts?.has(missing[0]!.version)) return `${names[0]} is only a Draft on this target, not published yet (apply publishes it, then test)`;
  return missing.length === 1 ? `${names[0]} ${NOT_LIVE_YET}` : `${names.join(' and ')} are not on this target yet (apply them, then test)`;
}

function guideValue(v: TestVarValue): string {
  return Array.isArray(v) ? JSON.stringify(v) : String(v);
}

function inputsOf(c: TestCase): string[] {
  return [...Object.values(c.vars).flatMap((v) => (Array.isArray(v) ? v : [String(v)])), ...c.messages.map((m) => m.content)];
}
