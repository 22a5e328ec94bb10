// Environments (DESIGN §6): the names documents and splits use exist in the config, the promotion
// order names configured environments and leaves no protected one out, a document promotion can carry to each environment it
// names (one kept to prod but not staging never is, nor a guide kept a Draft before it), and each environment's own state holds
// together (a route in prod to a version limited to staging is an error at that route, naming prod). The generic
// rules run on every environment's state too (environmentDiagnostics): what they find only in
// some environments is reported once, naming them.
import { checkConfigHost, parseBaseUrl, regionDomain, targetVariables } from '../genesys/target.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { belongsTo, environmentDiffers, environmentNames, environmentState, guidePublishIn, overridePath, PROMOTION_BLOCKED_RULE, previousEnvironment } from '../model/environments.js';
import type { Config, DesiredState, PromptVersion, SourceLocation } from '../model/types.js';
import { byCodeUnits } from '../util/compare.js';
import { didYouMean } from '../util/suggest.js';
import { checkNames } from './names.js';
import { diagnostic, locate, where } from './util.js';
import { messageOf } from '../util/errors.js';

/** Every document that can carry metadata.environments. */
function documents(state: DesiredState) {
  return [...state.templates, ...state.versions, ...state.splits, ...state.filters, ...state.guides, ...state.summarySettings, ...state.tests];
}

function unknownEnvironment(name: string, config: Config, what: string): string {
  const names = environmentNames(config);
  if (names.length === 0) return `${what} names environment "${name}", but promptctl.yaml configures no environments (add it under spec.environments there)`;
  return `${what} names environment "${name}", which promptctl.yaml does not configure${didYouMean(name, names)}; its environments: ${names.join(', ')}`;
}

/** Names that must exist, on the union of the documents (independent of any one environment). */
export function checkEnvironmentNames(state: DesiredState): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { config } = state;
  const known = new Set(environmentNames(config));
  for (const r of documents(state)) {
    r.environments?.forEach((name, i) => {
      if (known.has(name)) return;
      out.push(diagnostic(locate(r, `metadata.environments.${i}`), 'error', 'environments/unknown', unknownEnvironment(name, config, 'metadata.environments')));
    });
  }
  for (const s of state.splits) {
    for (const name of Object.keys(s.overrides ?? {})) {
      // At the environment's name (its key), not its value: in block style that starts a line below.
      const at = s.keyLocations?.[overridePath(name)] ?? locate(s, overridePath(name));
      if (!known.has(name)) {
        out.push(diagnostic(at, 'error', 'environments/unknown', unknownEnvironment(name, config, `the split of template "${s.template}"`)));
      } else if (!belongsTo(s, name)) {
        out.push(
          diagnostic(
            at,
            'warning',
            'environments/override-unused',
            `the split of template "${s.template}" overrides environment "${name}", but its metadata.environments (${s.environments!.join(', ')}) leaves ${name} out: the override is never used`,
          ),
        );
      }
    }
  }
  return out;
}

/**
 * What the promotion check carries (versions, guides, summary settings) kept to an environment
 * but not to the one before it in `promotion`: no commit ever brings it there first, so plan
 * --env reports it blocked (PROMOTION_BLOCKED_RULE; an error where the environment is protected)
 * whenever it brings it. Said at the entry naming the environment, as a warning: only plan sees
 * whether it brings it (a version the environment already runs, kept there while the ones before
 * it retired theirs, is brought by no plan and refused by none).
 */
export function checkPromotionReach(state: DesiredState): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { config } = state;
  const check = (r: { environments?: string[]; locations: Record<string, SourceLocation>; source: SourceLocation }, what: string) => {
    r.environments?.forEach((env, i) => {
      const previous = previousEnvironment(config, env);
      if (previous === undefined || r.environments!.includes(previous) || !Object.hasOwn(config.environments, env) || !Object.hasOwn(config.environments, previous)) return;
      const plan = config.environments[env]!.protected ? 'refuses' : 'warns of';
      out.push(
        diagnostic(
          locate(r, `metadata.environments.${i}`),
          'warning',
          'environments/never-promoted',
          `${what} is kept to ${r.environments!.join(', ')} by metadata.environments, but promotion runs ${previous} before ${env} and ${previous}'s documents never include it: ` +
            `plan --env ${env} ${plan} it (${PROMOTION_BLOCKED_RULE}) unless ${env} already runs it (add ${previous} to metadata.environments)`,
        ),
      );
    });
  };
  for (const v of state.versions) check(v, `version ${v.version} of template "${v.template}"`);
  for (const g of state.guides) check(g, `guide "${g.name}"`);
  for (const s of state.summarySettings) check(s, `summary setting "${s.name}"`);
  return [...out, ...draftGuidesNeverPromoted(state)];
}

/**
 * A guide kept a Draft in the environment before another that publishes it (that environment's
 * guidePublish): a Draft never runs, so plan --env of the next one reports every change to the
 * guide blocked, as for a guide left out of the environment before it. A guide a Draft in both
 * (spec.publish: Draft) runs in neither, and plan checks nothing of it. Said once per
 * environment at its guidePublish, naming the guides.
 */
function draftGuidesNeverPromoted(state: DesiredState): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { config } = state;
  const order = config.promotion ?? [];
  const byEnvironment = new Map<string, { env: string; guides: string[] }>();
  for (const g of state.guides) {
    // Its own spec.publish holds in every environment: a Draft there runs in none, so plan brings
    // it nowhere and checks nothing of it.
    if (g.locations['spec.publish'] !== undefined) continue;
    for (let i = 1; i < order.length; i++) {
      const previous = order[i - 1]!;
      const env = order[i]!;
      if (!Object.hasOwn(config.environments, previous) || !Object.hasOwn(config.environments, env)) continue;
      if (!belongsTo(g, previous) || !belongsTo(g, env)) continue;
      if (guidePublishIn(g, config, previous) !== 'Draft') continue;
      // A Draft in the next environment too runs nothing there: plan brings it nothing to check.
      if (guidePublishIn(g, config, env) === 'Draft') continue;
      const entry = byEnvironment.get(previous) ?? { env, guides: [] };
      entry.guides.push(g.name);
      byEnvironment.set(previous, entry);
    }
  }
  for (const [previous, { env, guides }] of byEnvironment) {
    const at = config.locations?.[`spec.environments.${previous}.guidePublish`] ?? config.source;
    if (!at) continue;
    const plan = config.environments[env]!.protected ? 'refuses' : 'warns of';
    const names = [...guides].sort(byCodeUnits).map((n) => `"${n}"`).join(', ');
    out.push(
      diagnostic(
        at,
        'warning',
        'environments/never-promoted',
        `environment ${previous} keeps guides a Draft (guidePublish), so they never run there, and promotion runs ${previous} before ${env}: plan --env ${env} ${plan} every change to guide${guides.length === 1 ? '' : 's'} ${names} (${PROMOTION_BLOCKED_RULE}); set guidePublish of ${previous} to TestReady or ProductionReady`,
      ),
    );
  }
  return out;
}

/** The config's own environment settings: promotion names configured environments; prefixes are not shared. */
export function checkEnvironmentConfig(config: Config): Diagnostic[] {
  const out: Diagnostic[] = [];
  const src = config.source;
  if (!src) return out;
  const at = (path: string): SourceLocation => config.locations?.[path] ?? src;
  const names = environmentNames(config);
  config.promotion?.forEach((name, i) => {
    if (names.includes(name)) return;
    out.push(diagnostic(at(`spec.promotion.${i}`), 'error', 'environments/unknown', unknownEnvironment(name, config, 'spec.promotion')));
  });
  // A protected environment the order leaves out has no environment before it: nothing a plan
  // brings there is checked, so the order's guarantee silently skips the one it matters most to.
  // Only where an order is set: without one, no environment is gated, by choice. Not while the order
  // names an unknown environment: that is most likely this one misspelt, said above.
  const order = config.promotion ?? [];
  if (order.length > 0 && order.every((name) => names.includes(name))) {
    for (const [name, env] of Object.entries(config.environments)) {
      if (!env.protected || order.includes(name)) continue;
      out.push(
        diagnostic(
          at(`spec.environments.${name}.protected`),
          'warning',
          'environments/protected-not-promoted',
          `environment ${name} is protected but not in spec.promotion (${order.join(', ')}): no plan of ${name} is checked against an environment before it, so a version no other environment ran can reach it; add ${name} to spec.promotion after the environment it follows (promotion: [${[...order, name].join(', ')}], where it comes last)`,
        ),
      );
    }
  }
  // Each environment's host as the target will read it (region, apiUrl, loginUrl): refused here, at its line, not first by plan.
  for (const [name, env] of Object.entries(config.environments)) {
    const field = (f: string) => `spec.environments.${name}.${f}`;
    /** Whether `test` passed; its error is the field's diagnostic. */
    const check = (f: string, test: () => unknown, rule = 'environments/invalid-host'): boolean => {
      try {
        test();
        return true;
      } catch (err) {
        out.push(diagnostic(at(field(f)), 'error', rule, messageOf(err)));
        return false;
      }
    };
    if (env.region !== undefined) check('region', () => regionDomain(env.region!, field('region')));
    const vars = targetVariables(env.credentials);
    for (const f of ['apiUrl', 'loginUrl'] as const) {
      const value = env[f];
      if (value === undefined || !check(f, () => parseBaseUrl(field(f), value, vars))) continue;
      // The target refuses it too, before any call: said here at its line.
      const variable = f === 'apiUrl' ? vars.apiUrl : vars.loginUrl;
      check(f, () => checkConfigHost(field(f), parseBaseUrl(field(f), value, vars), name, variable, vars), 'environments/untrusted-host');
    }
  }
  // A whole variable's name, or a prefix ending in `_`, is no prefix: promptctl would read
  // GENESYSCLOUD_DEV_OAUTHCLIENT_ID_OAUTHCLIENT_ID, find nothing, and plan against an empty
  // embedded org as though nothing were wrong.
  for (const [name, env] of Object.entries(config.environments)) {
    const prefix = credentialsPrefixOf(env.credentials);
    if (prefix === env.credentials) continue;
    out.push(
      diagnostic(
        at(`spec.environments.${name}.credentials`),
        'error',
        'environments/credentials-prefix',
        `credentials of environment ${name} is "${env.credentials}": it must be the prefix alone, which promptctl follows with _OAUTHCLIENT_ID, _OAUTHCLIENT_SECRET and the rest (it would read ${env.credentials}_OAUTHCLIENT_ID)${prefix ? ` (did you mean "${prefix}"?)` : ''}`,
      ),
    );
  }
  const byPrefix = new Map<string, string>();
  for (const [name, env] of Object.entries(config.environments)) {
    const first = byPrefix.get(env.credentials);
    if (first === undefined) {
      byPrefix.set(env.credentials, name);
      continue;
    }
    out.push(
      diagnostic(
        at(`spec.environments.${name}.credentials`),
        'warning',
        'environments/shared-credentials',
        `environments ${first} and ${name} both take their credentials from ${env.credentials}_*: they are the same org, so promotion between them proves nothing`,
      ),
    );
  }
  return out;
}

/**
 * One environment's state on its own terms: what its splits route to, its versions' and splits'
 * templates, all present in that environment. `union` is every document; `env` the environment's.
 */
export function checkEnvironmentState(union: DesiredState, envState: DesiredState, env: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const versionsHere = new Set(envState.versions.map((v) => `${v.template}@${v.version}`));
  const templatesHere = new Set(envState.templates.map((t) => t.name));
  const versionDocs = new Map<string, PromptVersion>(union.versions.map((v) => [`${v.template}@${v.version}`, v]));
  const limit = (r: { environments?: string[]; locations: Record<string, SourceLocation>; source: SourceLocation }) =>
    `limited to ${r.environments!.join(', ')} by its metadata.environments at ${where(locate(r, 'metadata.environments'))}`;
  const unionTemplates = new Map(union.templates.map((t) => [t.name, t]));

  for (const s of envState.splits) {
    s.routes.forEach((r, i) => {
      const key = `${s.template}@${r.version}`;
      const doc = versionDocs.get(key);
      if (versionsHere.has(key) || !doc) return; // undeclared anywhere: the traffic rule says so
      out.push(
        diagnostic(
          locate(s, `spec.routes.${i}.version`),
          'error',
          'environments/route-not-in-environment',
          `in environment ${env}, the split of template "${s.template}" routes to version ${r.version}, which is not in ${env}: PromptVersion ${key} is ${limit(doc)}`,
        ),
      );
    });
  }
  const missingTemplate = (r: { template: string; locations: Record<string, SourceLocation>; source: SourceLocation }, what: string) => {
    const t = unionTemplates.get(r.template);
    if (templatesHere.has(r.template) || !t) return;
    out.push(
      diagnostic(
        locate(r, 'spec.template'),
        'error',
        'environments/template-not-in-environment',
        `in environment ${env}, ${what} belongs to template "${r.template}", which is not in ${env}: PromptTemplate ${r.template} is ${limit(t)}`,
      ),
    );
  };
  for (const v of envState.versions) missingTemplate(v, `version ${v.version}`);
  for (const s of envState.splits) missingTemplate(s, 'this split');
  // A test whose guide or template is kept to other environments: "not defined by any Guide" would
  // be untrue there; the fix is the test's own metadata.environments.
  const guidesHere = new Set(envState.guides.map((g) => g.name));
  const unionGuides = new Map(union.guides.map((g) => [g.name, g]));
  for (const t of envState.tests) {
    const guide = 'guide' in t.target;
    const name = 'guide' in t.target ? t.target.guide : t.target.template;
    const doc = guide ? unionGuides.get(name) : unionTemplates.get(name);
    if (!doc || (guide ? guidesHere : templatesHere).has(name)) continue;
    const kind = guide ? 'Guide' : 'PromptTemplate';
    out.push(
      diagnostic(
        locate(t, guide ? 'spec.target.guide' : 'spec.target.template'),
        'error',
        'environments/target-not-in-environment',
        `in environment ${env}, this test targets ${guide ? 'guide' : 'template'} "${name}", which is not in ${env}: ${kind} ${name} is ${limit(doc)}; give the test the same metadata.environments`,
      ),
    );
  }
  // A test pinned to a version kept to other environments, its template here: "not declared by any
  // PromptVersion" (tests/unknown-version, on this environment's versions) would be untrue there.
  for (const t of envState.tests) {
    if (!('template' in t.target) || t.target.version === undefined || !templatesHere.has(t.target.template)) continue;
    const pinned = `${t.target.template}@${t.target.version}`;
    const doc = versionDocs.get(pinned);
    if (!doc || versionsHere.has(pinned)) continue;
    out.push(
      diagnostic(
        locate(t, 'spec.target.version'),
        'error',
        'environments/target-not-in-environment',
        `in environment ${env}, this test targets version ${t.target.version} of template "${t.target.template}", which is not in ${env}: PromptVersion ${pinned} is ${limit(doc)}; give the test the same metadata.environments, or pin a version ${env} has`,
      ),
    );
  }
  // A split sticky without a key in git itself is traffic/sticky-key's error, said once, not per environment.
  const unkeyed = new Set(union.splits.filter((s) => s.strategy === 'sticky' && s.stickyKey === undefined).map((s) => s.template));
  for (const s of envState.splits) {
    if (s.strategy === 'sticky' && s.stickyKey === undefined && !unkeyed.has(s.template)) {
      out.push(diagnostic(locate(s, 'spec.strategy'), 'error', 'environments/sticky-without-key', `in environment ${env}, the split of template "${s.template}" is sticky without a stickyKey`));
    }
  }
  return out;
}

const key = (d: Diagnostic): string => `${d.file}\0${d.line}\0${d.column}\0${d.rule}\0${d.message}`;
const place = (d: { file: string; line: number; column: number }): string => `${d.file}\0${d.line}\0${d.column}`;
const placeAndRule = (d: Diagnostic): string => `${place(d)}\0${d.rule}`;

/**
 * Every environment's resulting state checked, beyond the union (`base` is what the rules found
 * on the union): the environment rules above, and `run` (every generic rule) on each environment
 * whose state differs from the union. A generic finding the union does not have is reported once,
 * naming the environments where it holds ("(in environment prod)"); one at a place an
 * environment rule already explained is left out.
 */
export function environmentDiagnostics(state: DesiredState, base: readonly Diagnostic[], run: (s: DesiredState) => Diagnostic[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  // A finding the union already has at that place, by the same rule, is the same problem even when
  // its details differ by environment (a "declared: …" list one version shorter): said once.
  const seen = new Set(base.map(placeAndRule));
  const extra = new Map<string, { d: Diagnostic; envs: string[] }>();
  for (const env of environmentNames(state.config)) {
    if (!environmentDiffers(state, env)) continue;
    const envState = environmentState(state, env);
    const own = checkEnvironmentState(state, envState, env);
    out.push(...own);
    const explained = new Set(own.map(place));
    for (const d of run(envState)) {
      const k = key(d);
      if (seen.has(placeAndRule(d)) || explained.has(place(d))) continue;
      const e = extra.get(k);
      if (e) e.envs.push(env);
      else extra.set(k, { d, envs: [env] });
    }
  }
  for (const { d, envs } of extra.values()) {
    out.push({ ...d, message: `${d.message} (in environment${envs.length === 1 ? '' : 's'} ${envs.join(', ')})` });
  }
  return out;
}

/** The diagnostics of one environment's state: its own rules, and `run` (every generic rule) on it. */
export function singleEnvironmentDiagnostics(union: DesiredState, env: string, run: (s: DesiredState) => Diagnostic[]): { state: DesiredState; diagnostics: Diagnostic[] } {
  const envState = environmentState(union, env);
  const own = checkEnvironmentState(union, envState, env);
  const explained = new Set(own.map(place));
  // Identities are unique across all files, whatever environments the documents name (as
  // validate without --env says): two PromptTemplates "billing" kept to staging and to prod would
  // let prod run a version on another model than staging ran it, each --env check passing.
  const names = checkNames(union);
  return { state: envState, diagnostics: [...own, ...names, ...run(envState).filter((d) => !explained.has(place(d)))] };
}

/** The variables' suffixes a prefix is followed by (genesys/target.ts targetVariables). */
const VARIABLE_SUFFIXES = ['_OAUTHCLIENT_ID', '_OAUTHCLIENT_SECRET', '_REGION', '_API_URL', '_LOGIN_URL'];

/** `credentials` as a prefix: without a variable's suffix or trailing `_` it was written with ("" when nothing is left). */
function credentialsPrefixOf(credentials: string): string {
  let prefix = credentials;
  for (const suffix of VARIABLE_SUFFIXES) if (prefix.endsWith(suffix)) prefix = prefix.slice(0, -suffix.length);
  return prefix.replace(/_+$/, '');
}
