// Traffic splits: weights sum to exactly 100; routes name declared versions, each once.
import type { Diagnostic } from '../model/diagnostic.js';
import type { DesiredState, Variable } from '../model/types.js';
import { variableTypes } from '../model/routing.js';
import { byCodeUnits } from '../util/compare.js';
import { diagnostic, labelsUnsure, locate, suggestion, unlessUnread, type RuleContext } from './util.js';

export function checkTraffic(state: DesiredState, ctx: RuleContext = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const versionsOf = new Map<string, Set<string>>();
  for (const v of state.versions) {
    let set = versionsOf.get(v.template);
    if (!set) versionsOf.set(v.template, (set = new Set()));
    set.add(v.version);
  }
  const templates = new Set(state.templates.map((t) => t.name));
  const variablesOf = new Map<string, readonly Variable[]>(state.versions.map((v) => [`${v.template}@${v.version}`, v.variables]));

  for (const s of state.splits) {
    const sum = s.routes.reduce((a, r) => a + r.weight, 0);
    if (sum !== 100) {
      out.push(
        diagnostic(
          locate(s, 'spec.routes'),
          'error',
          'traffic/weights-sum',
          `route weights of template "${s.template}" sum to ${sum}; they must sum to exactly 100`,
        ),
      );
    }
    const declared = versionsOf.get(s.template) ?? new Set<string>();
    // Without the template there is nothing to check versions against (references reports it).
    // Nor when one of its versions has a broken label: the route may name what it was meant to be.
    const checkVersions = (templates.has(s.template) || declared.size > 0) && !labelsUnsure(ctx, s.template);
    const firstRoute = new Map<string, number>();
    s.routes.forEach((r, i) => {
      // Looked up only to report (reading locations works them out: load/lazy-locations.ts).
      const at = () => locate(s, `spec.routes.${i}.version`);
      const earlier = firstRoute.get(r.version);
      if (earlier !== undefined) {
        out.push(
          diagnostic(
            at(),
            'error',
            'traffic/duplicate-version',
            // By line, not by path: an environment's routes (spec.environments.<env>.routes) are
            // checked as its split's spec.routes, a path that names the document's own routes.
            `version ${r.version} is routed twice (first on line ${locate(s, `spec.routes.${earlier}.version`).line}); give it one route with the combined weight`,
          ),
        );
        return;
      }
      firstRoute.set(r.version, i);
      if (!checkVersions || declared.has(r.version) || ctx.unloadedVersions?.has(`${s.template}@${r.version}`)) return;
      const list = [...declared].sort();
      out.push(
        diagnostic(
          at(),
          'error',
          'traffic/unknown-version',
          `version ${r.version} of template "${s.template}" is not declared by any PromptVersion${unlessUnread(ctx)}${suggestion(ctx, r.version, list)}${list.length ? `; declared: ${list.join(', ')}` : ''}`,
        ),
      );
    });
    const disagree = routedVariablesDisagree(s.routes, (v) => variablesOf.get(`${s.template}@${v}`));
    if (disagree) out.push(diagnostic(locate(s, 'spec.routes'), 'warning', 'traffic/variables-differ', `routes of template "${s.template}" ${disagree}`));
    if (s.strategy !== 'sticky' && s.stickyKey !== undefined) {
      out.push(
        diagnostic(
          locate(s, 'spec.stickyKey'),
          'warning',
          'traffic/sticky-key-ignored',
          `stickyKey is ignored with strategy ${s.strategy}; set strategy: sticky to pin callers to a route`,
        ),
      );
    }
  }
  return out;
}

/**
 * Why no call suits every version a split routes to (weight above 0), or undefined: a variable
 * they declare with different types (an enum is a string on the wire), or one a version requires
 * (without a default) that another does not declare. The gateway checks each call's variables
 * against the version it lands on, so such a split refuses some of its calls whatever they send
 * (400 invalid.variables), by the luck of the draw (a review: 2 of 20 calls refused, validate silent).
 * Unless every route lets the variable be left out (a default, or required: false, or not declared):
 * then only callers that set it are refused, and the message says so (a review: the old wording
 * claimed every call refused, yet calls without the variable ran on each version).
 */
export function routedVariablesDisagree(routes: readonly { version: string; weight: number }[], variablesOf: (version: string) => readonly Variable[] | undefined): string | undefined {
  const versions = [...new Set(routes.filter((r) => r.weight > 0).map((r) => r.version))]
    .map((version) => ({ version, variables: variablesOf(version) }))
    .filter((v): v is { version: string; variables: readonly Variable[] } => v.variables !== undefined);
  if (versions.length < 2) return undefined;
  const names = [...new Set(versions.flatMap((v) => v.variables.map((x) => x.name)))].sort(byCodeUnits);
  const typing = variableTypes(versions, names);
  if (typing.kind === 'disagree') {
    const byType = new Map<string, string[]>();
    for (const d of typing.declared) byType.set(d.type, [...(byType.get(d.type) ?? []), d.version]);
    const types = [...byType].map(([type, vs]) => `a ${type} in ${vs.join(', ')}`).join(' but ');
    const refused = optionalEverywhere(versions, typing.name)
      ? `any value a caller sets is refused by some route (400 invalid.variables), and only calls that leave ${typing.name} out (optional on every route) suit every route`
      : 'no value suits every route, so calls routed to some of them are refused (400 invalid.variables)';
    return `send calls to versions that type variable ${typing.name} apart (${types}): ${refused}; give the versions one type, or route to one`;
  }
  for (const name of names) {
    // Enums of the variable whose values no value shares: every value is refused by some route.
    const enums = versions.map((v) => ({ version: v.version, x: v.variables.find((x) => x.name === name) })).filter((e) => e.x?.type === 'enum');
    if (enums.length >= 2 && !enums[0]!.x!.values?.some((value) => enums.every((e) => e.x!.values?.includes(value)))) {
      const each = enums.map((e) => `${e.version} takes ${(e.x!.values ?? []).join(', ')}`).join('; ');
      const refused = optionalEverywhere(versions, name)
        ? `any value a caller sets is refused by some route (400 invalid.variables), and only calls that leave ${name} out (optional on every route) suit every route`
        : 'every value is refused by some route (400 invalid.variables)';
      return `send calls to versions whose enum variable ${name} shares no value (${each}): ${refused}; give them a value in common, or route to one`;
    }
    const requiring = versions.filter((v) => requires(v.variables, name));
    const lacking = versions.filter((v) => !v.variables.some((x) => x.name === name));
    if (requiring.length === 0 || lacking.length === 0) continue;
    const req = requiring.map((v) => v.version).join(', ');
    const lack = lacking.map((v) => v.version).join(', ');
    return `send calls to versions that disagree on variable ${name}: ${req} ${requiring.length === 1 ? 'requires' : 'require'} it and ${lack} ${lacking.length === 1 ? 'does' : 'do'} not declare it, so a call with it is refused by ${lack} and one without it by ${req} (400 invalid.variables); declare it alike, or route to one`;
  }
  return undefined;
}

/** Whether a call that leaves the variable out is refused: required and no default to stand in (as the gateway checks, targets/llmgateway/variables.ts). */
function requires(variables: readonly Variable[], name: string): boolean {
  return variables.some((x) => x.name === name && x.required && x.default === undefined);
}

/** Whether every version accepts a call that leaves the variable out (those not declaring it do too). */
function optionalEverywhere(versions: ReadonlyArray<{ variables: readonly Variable[] }>, name: string): boolean {
  return !versions.some((v) => requires(v.variables, name));
}
