// PromptTests (DESIGN §7), checked before anything runs: case names are unique and hold no
// control character; the target exists; every var is a declared variable of the target with a
// value of its type (test-vars.ts); assertions can work (a regex compiles, a JSON Schema is one, a filter exists
// and can do what is asserted of it); the canned answers of its `responses:` block can match (a
// regex compiles, a version is one it runs on).
//
// Which versions a test without `target.version` is checked against: every version its
// template's TrafficSplit routes (weight above 0), since any of them may answer a call; when the
// template has no split here, its latest version (semver precedence). Messages name the version.
import type { Diagnostic, Severity } from '../model/diagnostic.js';
import { filterCovers } from '../model/filters.js';
import type {
  Assertion,
  DesiredState,
  Guide,
  PromptTemplate,
  PromptTest,
  PromptVersion,
  SafetyFilter,
  SourceLocation,
  TrafficSplit,
} from '../model/types.js';
import { compileAssertionRegex, compileFixtureRegex, usesPropertyEscape } from '../util/regex.js';
import { compareVersionLabels, emulatorGuideLabel, newestVersionLabel } from '../util/semver.js';
import { controlCharacter } from './names.js';
import { checkGuideAssertions, checkGuideInput } from './test-guide-cases.js';
import { checkShadowedResponses } from './test-responses.js';
import { checkGuideVars, checkTemplateVars, versionsLabel, type Err, type VersionTarget } from './test-vars.js';
import { diagnostic, labelsUnsure, locate, suggestion, unlessUnread, type RuleContext } from './util.js';

interface Indexes {
  templates: Map<string, PromptTemplate>;
  versions: Map<string, PromptVersion[]>;
  splits: Map<string, TrafficSplit>;
  guides: Map<string, Guide>;
  filters: Map<string, SafetyFilter>;
}

function indexes(state: DesiredState): Indexes {
  const first = <T>(items: readonly T[], key: (t: T) => string): Map<string, T> => {
    const m = new Map<string, T>();
    for (const x of items) if (!m.has(key(x))) m.set(key(x), x);
    return m;
  };
  const versions = new Map<string, PromptVersion[]>();
  for (const v of state.versions) {
    const list = versions.get(v.template) ?? [];
    if (!list.some((x) => x.version === v.version)) list.push(v);
    versions.set(v.template, list);
  }
  return {
    templates: first(state.templates, (t) => t.name),
    versions,
    splits: first(state.splits, (s) => s.template),
    guides: first(state.guides, (g) => g.name),
    filters: first(state.filters, (f) => f.name),
  };
}

export function checkTests(state: DesiredState, ctx: RuleContext = {}): Diagnostic[] {
  const ix = indexes(state);
  return [...state.tests.flatMap((t) => checkTest(t, ix, ctx)), ...checkShadowedResponses(state.tests)];
}

/** A PromptTest kept out of the desired state, and the indexes of its cases whose name and vars are usable. */
export interface PartTest {
  /** Its target and cases as written; only the cases `cases` names hold anything, and of their assertions only those the schema found nothing wrong with. */
  test: PromptTest;
  cases: readonly number[];
}

/**
 * The target, and the named cases' names, vars and usable assertions, of tests that failed the schema
 * elsewhere (a misspelt assertion, `repeat: 0`), checked against `state` as `checkTests` checks a
 * loaded test's: so one run says both (load/partial.ts). Nothing else of such a test is checked here.
 */
export function checkTestParts(state: DesiredState, tests: readonly PartTest[], ctx: RuleContext = {}): Diagnostic[] {
  const ix = indexes(state);
  const out: Diagnostic[] = [];
  const err = (at: SourceLocation, rule: string, message: string, severity: Severity = 'error') => out.push(diagnostic(at, severity, rule, message));
  for (const { test: t, cases } of tests) {
    checkCaseNames(t, cases, err);
    for (const i of cases) for (const a of t.cases[i]!.expect) checkAssertionValue(t, a, err, ctx);
    if ('guide' in t.target) {
      const guide = guideTarget(t, t.target.guide, ix, ctx, err);
      for (const i of cases) {
        if (guide) checkGuideVars(t, t.cases[i]!, i, guide, err);
        checkGuideAssertions(t, t.cases[i]!, err);
      }
      continue;
    }
    const target = versionTarget(t, ix, ctx, err);
    for (const i of cases) {
      if (target) checkTemplateVars(t, t.cases[i]!, i, target, err);
      for (const a of t.cases[i]!.expect) checkGatewayAssertion(t, a, target, t.target as { template: string; version?: string }, ix, ctx, err);
    }
  }
  return out;
}

/**
 * Case names are how reports and --compare refer to a case: unique, and one visible line. Of the
 * cases `indexes` names (a test that failed the schema elsewhere: those whose name is usable).
 */
function checkCaseNames(t: PromptTest, indexes: Iterable<number>, err: Err): void {
  const names = new Map<string, number>();
  for (const i of indexes) {
    const c = t.cases[i]!;
    // Reports escape it, but an ESC, a bell or a lone CR in a name is almost surely a slip.
    const control = controlCharacter(c.name);
    if (control) err(locate(t, `spec.cases.${i}.name`), 'tests/control-character', `case name contains a control character (${control}): case names are printed in reports, JUnit files and terminals; remove it`);
    const earlier = names.get(c.name);
    if (earlier === undefined) {
      names.set(c.name, i);
      continue;
    }
    err(locate(t, `spec.cases.${i}.name`), 'tests/duplicate-case', `case "${c.name}" is defined twice in this test (first on line ${locate(t, `spec.cases.${earlier}.name`).line}); give each case its own name`);
  }
}

/** The guide a test targets, or undefined (said unless that guide failed to load). */
function guideTarget(t: PromptTest, name: string, ix: Indexes, ctx: RuleContext, err: Err): Guide | undefined {
  const guide = ix.guides.get(name);
  if (!guide && !ctx.unloadedGuides?.has(name)) {
    err(locate(t, 'spec.target.guide'), 'tests/unknown-target', `guide "${name}" is not defined by any Guide${unlessUnread(ctx)}${suggestion(ctx, name, ix.guides.keys())}`);
  }
  return guide;
}

function checkTest(t: PromptTest, ix: Indexes, ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const err = (at: SourceLocation, rule: string, message: string, severity: Severity = 'error') => out.push(diagnostic(at, severity, rule, message));

  checkCaseNames(t, t.cases.keys(), err);

  for (const c of t.cases) {
    for (const a of c.expect) checkAssertionValue(t, a, err, ctx);
  }

  if ('guide' in t.target) {
    const guide = guideTarget(t, t.target.guide, ix, ctx, err);
    t.cases.forEach((c, i) => {
      if (guide) checkGuideVars(t, c, i, guide, err);
      checkGuideInput(t, c, i, err);
      checkGuideAssertions(t, c, err);
    });
    checkResponses(t, 'guide', err);
    return out;
  }

  const target = versionTarget(t, ix, ctx, err);
  t.cases.forEach((c, i) => {
    if (target) checkTemplateVars(t, c, i, target, err);
    for (const a of c.expect) checkGatewayAssertion(t, a, target, t.target as { template: string; version?: string }, ix, ctx, err);
  });
  checkResponses(t, target, err);
  return out;
}

/**
 * The canned answers for the embedded emulator: a regex compiles as the emulator reads it, and a
 * version condition names a version the test runs on (else the response never answers).
 */
function checkResponses(t: PromptTest, target: VersionTarget | 'guide' | undefined, err: Err): void {
  t.responses.forEach((r, i) => {
    const path = `spec.responses.${i}.match`;
    if (r.match.regex !== undefined) {
      try {
        compileFixtureRegex(r.match.regex);
      } catch (e) {
        const reason = e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : String(e);
        err(locate(t, `${path}.regex`), 'tests/invalid-regex', `responses[${i}].match.regex does not compile: ${reason}`);
      }
    }
    const version = r.match.version;
    if (version === undefined) return;
    if (target === 'guide') {
      // Its turns run the guide's latest version, or production when only that holds git's content
      // (evals/calls.ts): which label either has is the target's to say, but canned answers are the
      // embedded emulator's alone, and it gives some labels to no version.
      if (emulatorGuideLabel(version)) return;
      err(
        locate(t, `${path}.version`),
        'tests/response-version',
        `responses[${i}] answers only turns on guide version ${version}, a label the embedded emulator (the only target that answers from responses:) gives no version: it numbers them 1.0, 2.0, …, so it never answers`,
        'warning',
      );
      return;
    }
    if (!target || target.partial || target.versions.some((v) => v.version === version)) return;
    err(
      locate(t, `${path}.version`),
      'tests/response-version',
      `responses[${i}] answers only calls on version ${version}, which this test never runs on (it runs on ${versionsLabel(target.name, target.versions)}), so it never answers`,
      'warning',
    );
  });
}


/** The versions a template test is checked against; undefined when there is nothing to check. */
function versionTarget(t: PromptTest, ix: Indexes, ctx: RuleContext, err: Err): VersionTarget | undefined {
  const { template: name, version } = t.target as { template: string; version?: string };
  const template = ix.templates.get(name);
  const declared = ix.versions.get(name) ?? [];
  if (!template && declared.length === 0) {
    if (!ctx.unloadedTemplates?.has(name)) {
      err(locate(t, 'spec.target.template'), 'tests/unknown-target', `template "${name}" is not defined by any PromptTemplate${unlessUnread(ctx)}${suggestion(ctx, name, ix.templates.keys())}`);
    }
    return undefined;
  }
  const labels = declared.map((v) => v.version).sort(compareVersionLabels);
  if (version !== undefined) {
    const v = declared.find((x) => x.version === version);
    if (v) return { template, name, versions: [v], how: 'pinned', partial: false };
    if (!ctx.unloadedVersions?.has(`${name}@${version}`) && !labelsUnsure(ctx, name)) {
      err(
        locate(t, 'spec.target.version'),
        'tests/unknown-version',
        `version ${version} of template "${name}" is not declared by any PromptVersion${unlessUnread(ctx)}${suggestion(ctx, version, labels)}${labels.length ? `; declared: ${labels.join(', ')}` : ''}`,
      );
    }
    return undefined;
  }
  const split = ix.splits.get(name);
  if (split) {
    const weights = new Map<string, number>();
    const versions: PromptVersion[] = [];
    let partial = false;
    for (const r of split.routes) {
      if (r.weight <= 0 || weights.has(r.version)) continue;
      const v = declared.find((x) => x.version === r.version);
      // An undeclared route is the traffic rule's error; a version that failed to load is unknown.
      if (!v) {
        partial = true;
        continue;
      }
      weights.set(r.version, r.weight);
      versions.push(v);
    }
    return versions.length ? { template, name, versions, weights, how: 'routed', partial } : undefined;
  }
  const latest = labels.at(-1);
  const v = declared.find((x) => x.version === latest);
  if (!v) {
    if (!labelsUnsure(ctx, name) && ![...(ctx.unloadedVersions ?? [])].some((x) => x.startsWith(`${name}@`))) {
      err(locate(t, 'spec.target.template'), 'tests/no-version', `template "${name}" has no PromptVersion here to test${unlessUnread(ctx, 'one')}`);
    }
    return undefined;
  }
  return { template, name, versions: [v], how: 'latest', partial: false };
}

/**
 * How to write /pattern/flags as an assertion's regex: the i flag as a leading (?i), which an
 * assertion reads (dropped, the advice would make a case-insensitive pattern case-sensitive);
 * m and s, which it has no way to give, named; g, y and d change no match; u is taken for \p{…}.
 */
function unslashed(pattern: string, flags: string): string {
  const write = `write ${JSON.stringify(`${flags.includes('i') ? '(?i)' : ''}${pattern}`)}`;
  const lost = [...flags].filter((f) => f === 'm' || f === 's');
  return lost.length === 0 ? write : `${write}; the ${lost.join(' and ')} flag${lost.length === 1 ? '' : 's'} cannot be given`;
}

/** Checks that need nothing but the assertion itself. */
function checkAssertionValue(t: PromptTest, a: Assertion, err: Err, ctx: RuleContext): void {
  if (a.type === 'regex') {
    try {
      compileAssertionRegex(a.value);
    } catch (e) {
      const reason = e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : String(e);
      const mode = usesPropertyEscape(a.value) ? ' (it uses \\p{…}, so it is read with the u flag)' : '';
      err(locate(t, a.path), 'tests/invalid-regex', `regex does not compile: ${reason}${mode}`);
      return;
    }
    // A canned answer's match reads /…/flags; an assertion's regex is the pattern alone, so
    // "/days/i" would look for the slashes and the i, and fail on every answer. Only with flags
    // JavaScript knows, each once, and no bare slash inside: "/orders/" or "/help/refunds" may
    // well mean the slashes of a path.
    const slashed = /^\/((?:[^/\\]|\\.)+)\/([dgimsuvy]+)$/s.exec(a.value);
    if (slashed && new Set(slashed[2]).size === slashed[2]!.length) {
      err(
        locate(t, a.path),
        'tests/regex-slashes',
        `regex ${JSON.stringify(a.value)} is read as a pattern that starts and ends with a slash: an assertion's regex is the pattern alone, without /…/ or flags (${unslashed(slashed[1]!, slashed[2]!)})`,
        'warning',
      );
    }
  }
  if (a.type === 'jsonSchema' && ctx.jsonSchemaProblem) {
    const p = ctx.jsonSchemaProblem(a.value);
    if (p) {
      let at = locate(t, a.path);
      for (let n = p.segments.length; n > 0; n--) {
        const inner = t.locations[[a.path, ...p.segments.slice(0, n)].join('.')];
        if (inner) {
          at = inner;
          break;
        }
      }
      err(at, 'tests/invalid-json-schema', `jsonSchema is ${p.message}`);
    }
  }
}

/** Gateway assertions (filters, routing) against the template target. */
function checkGatewayAssertion(
  t: PromptTest,
  a: Assertion,
  target: VersionTarget | undefined,
  spec: { template: string; version?: string },
  ix: Indexes,
  ctx: RuleContext,
  err: Err,
): void {
  const at = locate(t, a.path);
  const labels = target?.template?.labels ?? {};
  if (a.type === 'blockedBy') {
    const f = ix.filters.get(a.value);
    if (!f) {
      if (!ctx.unloadedFilters?.has(a.value)) {
        err(at, 'tests/unknown-filter', `safety filter "${a.value}" is not defined by any SafetyFilter${unlessUnread(ctx)}${suggestion(ctx, a.value, ix.filters.keys())}`);
      }
      return;
    }
    if (a.not) return; // "not blocked by" holds for any filter that cannot block
    const reason = !f.enabled
      ? 'it is disabled (enabled: false)'
      : f.action !== 'block_and_log'
        ? `its action is ${f.action}, not block_and_log`
        : !filterCovers(f.appliesTo, spec.template, labels)
          ? `its appliesTo does not cover template "${spec.template}"`
          : undefined;
    if (reason) err(at, 'tests/filter-cannot-block', `safety filter "${f.name}" cannot block this call: ${reason}, so the assertion can only fail`, 'warning');
    return;
  }
  if (a.type === 'redacts') {
    // A filter that failed to load may be the one that redacts it; one a file not read may
    // define is said with that doubt.
    if (a.not || (ctx.unloadedFilters?.size ?? 0) > 0) return;
    const redacting = [...ix.filters.values()].some(
      (f) => f.enabled && f.action === 'redact_and_log' && f.categories.includes(a.value) && filterCovers(f.appliesTo, spec.template, labels),
    );
    if (!redacting) {
      err(
        at,
        'tests/no-redacting-filter',
        `no enabled SafetyFilter with action redact_and_log covers ${a.value} for template "${spec.template}", so nothing redacts it and the assertion can only fail${unlessUnread(ctx, 'such a filter')}`,
        'warning',
      );
    }
    return;
  }
  if (a.type !== 'routedTo') return;
  const declared = ix.versions.get(spec.template) ?? [];
  if (!declared.some((v) => v.version === a.value)) {
    if (declared.length > 0 && !ctx.unloadedVersions?.has(`${spec.template}@${a.value}`) && !labelsUnsure(ctx, spec.template)) {
      const list = declared.map((v) => v.version).sort(compareVersionLabels);
      err(at, 'tests/unknown-version', `version ${a.value} of template "${spec.template}" is not declared by any PromptVersion${unlessUnread(ctx)}${suggestion(ctx, a.value, list)}; declared: ${list.join(', ')}`);
    }
    return;
  }
  if (a.not) return;
  if (spec.version !== undefined) {
    err(at, 'tests/routed-pinned', `target.version pins ${spec.version}, so the split is bypassed: routedTo tests the split, drop target.version`, 'warning');
    return;
  }
  const split = ix.splits.get(spec.template);
  if (!split) {
    // Without a split the newest published version answers every call (model/routing.ts): a
    // routedTo to it holds; one to another version can only fail. Said only when the newest is
    // known (a version that failed to load may be newer).
    const newest = newestVersionLabel([...declared].map((v) => v.version));
    // Nor while a file is not read: a newer version, or a split, may be in it (no reference here resolves to nothing).
    const unsure = labelsUnsure(ctx, spec.template) || (ctx.unreadFiles?.length ?? 0) > 0 || [...(ctx.unloadedVersions ?? [])].some((k) => k.startsWith(`${spec.template}@`));
    if (newest !== undefined && newest !== a.value && !unsure) {
      err(
        at,
        'tests/unrouted-version',
        `template "${spec.template}" has no TrafficSplit here, so its newest version ${newest} answers every call and none goes to ${a.value}: the assertion can only fail`,
        'warning',
      );
    }
    return;
  }
  const weight = split.routes.filter((r) => r.version === a.value).reduce((s, r) => s + r.weight, 0);
  if (weight === 0) {
    err(at, 'tests/unrouted-version', `the split of template "${spec.template}" routes no calls to ${a.value}, so the assertion can only fail`, 'warning');
  }
}
