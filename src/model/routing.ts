// Which versions of a template may answer a call (DESIGN §3): the pinned one, else those its
// traffic split routes to, else the newest Published, as the gateway picks them; and what follows
// from it: how a variable is typed when any of them may answer, and when a sticky split draws at
// random. Pure, over plain data ({version, state}, {version, weight}), so that `run` (the target's
// wire objects) and `test` (evals/render.ts, git's desired versions) share the one rule. The
// emulator draws a route for real (emulator/invocations.ts) and may not import model/.
import { compareVersionLabels } from '../util/semver.js';

export interface VersionState {
  version: string;
  state: string;
}

export interface Route {
  version: string;
  weight: number;
}

/** The routes that carry calls: a weight above 0. */
export function liveRoutes<R extends Route>(routes: readonly R[]): R[] {
  return routes.filter((r) => r.weight > 0);
}

export interface RoutingAsked {
  /** TEMPLATE@VERSION: that version, and only if it is Published. */
  pinned?: string | undefined;
  /** The template's split; null: it has none; undefined: not known (a listing without it), then every Published version. */
  split: { routes: readonly Route[] } | null | undefined;
  /**
   * With a split: whether the newest Published version also answers when a route names a version
   * that is not Published (or none) or no route carries calls, as the gateway's does. Default true.
   */
  fallback?: boolean;
}

export type Routing<V extends VersionState> =
  /** `published`: every Published version, oldest first. `versions`: those that may answer, in that order. */
  | { kind: 'routed'; versions: V[]; published: V[] }
  /** The pinned version is not among them at all. */
  | { kind: 'unknown'; published: V[] }
  /** The pinned version is there, but not Published (`version`: the first such). */
  | { kind: 'unpublished'; version: V; published: V[] };

/** The versions a call may land on (see the file's header), or why a pinned one cannot be run. */
export function routedVersions<V extends VersionState>(versions: readonly V[], asked: RoutingAsked): Routing<V> {
  const published = versions.filter((v) => v.state === 'Published').sort((a, b) => compareVersionLabels(a.version, b.version));
  if (asked.pinned !== undefined) {
    const matches = versions.filter((v) => v.version === asked.pinned);
    if (matches.length === 0) return { kind: 'unknown', published };
    const unpublished = matches.find((v) => v.state !== 'Published');
    if (unpublished) return { kind: 'unpublished', version: unpublished, published };
    return { kind: 'routed', versions: matches, published };
  }
  if (asked.split === undefined) return { kind: 'routed', versions: published, published };
  const newest = published.at(-1);
  if (asked.split === null) return { kind: 'routed', versions: newest ? [newest] : [], published };
  const routed = new Set(liveRoutes(asked.split.routes).map((r) => r.version));
  const out = published.filter((v) => routed.has(v.version));
  if ((asked.fallback ?? true) && newest && !out.includes(newest) && (out.length < routed.size || out.length === 0)) out.push(newest);
  return { kind: 'routed', versions: out, published };
}

export interface DeclaredVariable {
  name: string;
  type: string;
}

export type VariableTyping<X extends DeclaredVariable> =
  /** Each name some version declares, with the first such declaration (names none declares are absent). */
  | { kind: 'typed'; variables: Map<string, X> }
  /** The first name the versions declare with different types: each declaring version with its type as the wire sends it. */
  | { kind: 'disagree'; name: string; declared: Array<{ version: string; type: string }> };

/**
 * How each named variable is typed: as every version that may answer declares it. Versions that
 * declare it with different types leave no one value that suits them all (the gateway checks the
 * type): that is returned, not one version's type. An enum's value is a string on the wire: the two agree.
 */
export function variableTypes<X extends DeclaredVariable>(
  versions: ReadonlyArray<{ version: string; variables?: readonly X[] | undefined }>,
  names: Iterable<string>,
): VariableTyping<X> {
  const variables = new Map<string, X>();
  for (const name of names) {
    const seen: Array<{ version: string; variable: X }> = [];
    for (const v of versions) {
      const x = (v.variables ?? []).find((d) => d.name === name);
      if (x) seen.push({ version: v.version, variable: x });
    }
    const declared = seen.map((s) => ({ version: s.version, type: s.variable.type === 'enum' ? 'string' : s.variable.type }));
    if (new Set(declared.map((d) => d.type)).size > 1) return { kind: 'disagree', name, declared };
    if (seen[0]) variables.set(name, seen[0].variable);
  }
  return { kind: 'typed', variables };
}

/**
 * The routes a call of a sticky split is drawn among at random, for want of a key: no routing key
 * and no value for the variable the split names as its sticky key. Undefined when a key decides,
 * the split is random (or absent), or fewer than two routes carry calls.
 */
export function unkeyedStickyRoutes<R extends Route>(
  split: { strategy: string; stickyKey?: string | undefined; routes: readonly R[] } | null | undefined,
  routingKey: string | undefined,
  given: { has(name: string): boolean },
): R[] | undefined {
  if (!split || split.strategy !== 'sticky' || routingKey !== undefined) return undefined;
  if (split.stickyKey !== undefined && given.has(split.stickyKey)) return undefined;
  const routes = liveRoutes(split.routes);
  return routes.length < 2 ? undefined : routes;
}
