// Environments (DESIGN §6): one repository, one org per stage. What an environment's desired state
// is: the documents that belong to it (`metadata.environments`, absent = all), its TrafficSplits
// with their `spec.environments.<name>` overrides applied, and its guides' default publish state.
// Pure: config and state in, state out.
import { addressOf, type Config, type DesiredState, type FieldLocations, type Guide, type TrafficSplit } from './types.js';
import { ownEntry } from '../util/entries.js';

/**
 * The plan problems of promotion (plan/promotion.ts makes them; views tell them apart): a version
 * the previous environment has not run yet, which applying the same commit there brings (it
 * waits for the merge), and one that applying it there never brings (git must change).
 */
export const PROMOTION_RULE = 'promotion/not-in-previous';
export const PROMOTION_BLOCKED_RULE = 'promotion/never-in-previous';

/** The environments the config names, in the file's order. */
export function environmentNames(config: Config): string[] {
  return Object.keys(config.environments);
}

/** True when the config names at least one environment. */
export function hasEnvironments(config: Config): boolean {
  return environmentNames(config).length > 0;
}

/** Whether a document belongs to `env` (no `metadata.environments`: every environment). */
export function belongsTo(r: { environments?: string[] }, env: string): boolean {
  return r.environments === undefined || r.environments.includes(env);
}

/** The environment before `env` in `promotion`, if any. */
export function previousEnvironment(config: Config, env: string): string | undefined {
  const order = config.promotion ?? [];
  const i = order.indexOf(env);
  return i > 0 ? order[i - 1] : undefined;
}

/** Where `spec.environments.<env>` of a split is, in its locations ("spec.environments.prod"). */
export function overridePath(env: string): string {
  return `spec.environments.${env}`;
}

/**
 * The split as it is in `env`: the override's fields over the document's, with the locations of
 * the overridden fields pointing into the override (so a finding on a route in prod points at
 * prod's route line). The result carries no overrides.
 */
export function resolveSplit(split: TrafficSplit, env: string): TrafficSplit {
  const { overrides, ...base } = split;
  const o = ownEntry(overrides, env);
  if (!o) return base;
  const out: TrafficSplit = { ...base, locations: { ...split.locations } };
  const prefix = `${overridePath(env)}.`;
  for (const field of ['strategy', 'stickyKey', 'routes'] as const) {
    if (o[field] === undefined) continue;
    dropField(out.locations, `spec.${field}`);
    for (const [k, at] of Object.entries(split.locations)) {
      if (k === `${prefix}${field}` || k.startsWith(`${prefix}${field}.`)) out.locations[`spec.${k.slice(prefix.length)}`] = at;
    }
  }
  if (o.strategy !== undefined) out.strategy = o.strategy;
  if (o.stickyKey !== undefined) out.stickyKey = o.stickyKey;
  if (o.routes !== undefined) out.routes = o.routes.map((r) => ({ ...r }));
  return out;
}

function dropField(locations: FieldLocations, path: string): void {
  for (const k of Object.keys(locations)) if (k === path || k.startsWith(`${path}.`)) delete locations[k];
}

/** A guide as it is in `env`: the environment's guidePublish when the document sets no publish. */
function resolveGuide(g: Guide, config: Config, env: string): Guide {
  const publish = guidePublishIn(g, config, env);
  return g.publish === publish ? g : { ...g, publish };
}

/** The state a guide's content is published to in `env`: its own spec.publish, else the environment's guidePublish, else the default. */
export function guidePublishIn(g: Guide, config: Config, env: string): Guide['publish'] {
  if (g.locations['spec.publish'] !== undefined) return g.publish;
  return ownEntry(config.environments, env)?.guidePublish ?? g.publish;
}

/** The desired state of one environment (DESIGN §6). */
export function environmentState(state: DesiredState, env: string): DesiredState {
  const keep = <T extends { environments?: string[] }>(list: readonly T[]): T[] => list.filter((r) => belongsTo(r, env));
  return {
    ...state,
    templates: keep(state.templates),
    versions: keep(state.versions),
    splits: keep(state.splits).map((s) => resolveSplit(s, env)),
    filters: keep(state.filters),
    guides: keep(state.guides).map((g) => resolveGuide(g, state.config, env)),
    summarySettings: keep(state.summarySettings),
    tests: keep(state.tests),
  };
}

/**
 * What git keeps out of `env`: the address of each document the union has and `env` leaves out,
 * with the environments its `metadata.environments` keeps it to. An object live in `env` at such
 * an address is one git gives another environment, not one git never defined.
 */
export function keptOutOf(union: DesiredState, env: string): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const list of [union.templates, union.versions, union.splits, union.filters, union.guides, union.summarySettings]) {
    for (const r of list) if (!belongsTo(r, env)) out.set(addressOf(r), r.environments ?? []);
  }
  return out;
}

/**
 * Whether `env`'s state differs from the union (a document left out, an override applied, a
 * guide's publish state changed): only then is it worth checking on its own.
 */
export function environmentDiffers(state: DesiredState, env: string): boolean {
  const all = [state.templates, state.versions, state.splits, state.filters, state.guides, state.summarySettings, state.tests];
  if (all.some((list) => list.some((r: { environments?: string[] }) => !belongsTo(r, env)))) return true;
  if (state.splits.some((s) => ownEntry(s.overrides, env) !== undefined)) return true;
  const publish = ownEntry(state.config.environments, env)?.guidePublish;
  return publish !== undefined && state.guides.some((g) => g.locations['spec.publish'] === undefined && g.publish !== publish);
}
