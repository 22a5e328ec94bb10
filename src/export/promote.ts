// promote and rollback (DESIGN §4, §6): which weights one TrafficSplit gets (a version's weight
// set and the others scaled, an environment's own routes or the document's), and, for rollback,
// the routes a file's text held in the prompts directory's history, read as the loader reads a
// split. Writing the new weights into the file is split-edit.ts. Pure: data and text in, data out.
import { parseAllDocuments, type Document } from 'yaml';
import { belongsTo, resolveSplit } from '../model/environments.js';
import { documentEnvironments, normalizeSplit } from '../model/normalize.js';
import type { TrafficSplit } from '../model/types.js';
import { UserError } from '../util/errors.js';
import { newestVersionLabel } from '../util/semver.js';

export interface Route {
  version: string;
  weight: number;
}

/**
 * The routes with `version` at `weight` percent and every other weight scaled to share the rest
 * in proportion to what it had (largest remainders; ties to the larger weight, then the earlier
 * route), so the weights sum to exactly 100 and the same input always gives the same output. A
 * version not routed yet is added last. A version that holds everything gives what it gives up to
 * the one other route at 0 %; among several, which should take it is the user's to say.
 */
export function scaleWeights(routes: readonly Route[], version: string, weight: number): Route[] {
  if (!Number.isInteger(weight) || weight < 0 || weight > 100) throw new UserError(`the weight must be a whole number from 0 to 100, not ${weight}`);
  const out = routes.map((r) => ({ ...r }));
  if (!out.some((r) => r.version === version)) out.push({ version, weight: 0 });
  const others = out.map((r, i) => ({ r, i })).filter((x) => x.r.version !== version);
  const rest = 100 - weight;
  if (others.length === 0 && rest > 0) {
    throw new UserError(`version ${version} is the only route: it cannot take ${weight}%, nothing would take the other ${rest}%`);
  }
  const sum = others.reduce((n, x) => n + x.r.weight, 0);
  // The version holds everything and gives some up to routes at 0 %: the only other one takes it;
  // among several, which should is the user's call, not an even share.
  if (sum === 0 && rest > 0 && others.length > 1) {
    throw new UserError(
      `version ${version} holds all the traffic and the other routes (${others.map((x) => x.r.version).join(', ')}) have none: say which version takes the other ${rest}% (promote that one with --weight ${rest}), or roll back; nothing was changed`,
    );
  }
  const shares = others.map((x) => {
    // sum is 0 only when rest is too, or one other route takes all of it (above).
    const exact = sum > 0 ? (rest * x.r.weight) / sum : rest / others.length;
    return { x, floor: Math.floor(exact), frac: exact - Math.floor(exact) };
  });
  let left = rest - shares.reduce((n, s) => n + s.floor, 0);
  const order = [...shares].sort((a, b) => b.frac - a.frac || b.x.r.weight - a.x.r.weight || a.x.i - b.x.i);
  for (const s of order) {
    if (left <= 0) break;
    s.floor++;
    left--;
  }
  for (const s of shares) out[s.x.i]!.weight = s.floor;
  out.find((r) => r.version === version)!.weight = weight;
  return out;
}

/** The one version holding 100 % of `routes`, if any. */
export function soleVersion(routes: readonly Route[]): string | undefined {
  const full = routes.filter((r) => r.weight === 100);
  return full.length === 1 && routes.every((r) => r.weight === 0 || r.weight === 100) ? full[0]!.version : undefined;
}

/** Which routes of a split an edit changes: the document's own, or one environment's override. */
export type RoutesTarget = { kind: 'document' } | { kind: 'override'; env: string };

/** The split as promote and rollback need to know it: its overrides and the environments it belongs to. */
export interface SplitScope {
  overrides?: Record<string, { routes?: unknown }>;
  /** metadata.environments (absent: all). */
  environments?: string[];
}

/**
 * Which routes an edit for `env` changes (DESIGN §6): the environment's own override when it has
 * one; the document's when no other environment uses them; otherwise a new override (`create`),
 * so that only `env` changes. `sharing` names the environments that use the document's routes.
 * Without an environment, the document's routes.
 */
export function routesTarget(split: SplitScope, env: string | undefined, environments: readonly string[]): { target: RoutesTarget; create: boolean; sharing: string[] } {
  if (env === undefined) return { target: { kind: 'document' }, create: false, sharing: [] };
  if (split.overrides?.[env]?.routes) return { target: { kind: 'override', env }, create: false, sharing: [] };
  const sharing = environments.filter(
    (e) => e !== env && (split.environments === undefined || split.environments.includes(e)) && !split.overrides?.[e]?.routes,
  );
  return sharing.length > 0 ? { target: { kind: 'override', env }, create: true, sharing } : { target: { kind: 'document' }, create: false, sharing };
}

/** One commit of the prompts directory (newest first), as git history gives it. */
export interface Revision {
  commit: string;
  date: string;
  subject: string;
  /** The texts of the YAML files the commit wrote: the split's state then, if one holds it. */
  texts: readonly string[];
}

/**
 * Why rollback passes over `version`, found at `where` (a commit, or what it did), which `env`'s
 * documents do not declare: gone from git, or declared with a metadata.environments that keeps it
 * to others (`keptTo`), which is where the reader must look, not for a missing document.
 */
export function passedOver(version: string, where: string, env: string | undefined, keptTo: readonly string[] | undefined): string {
  const why = env && keptTo ? `kept out of ${env} by its document's metadata.environments: ${keptTo.join(', ')}` : 'no longer declared';
  return `${version} (${where}: ${why})`;
}

/**
 * rollback's answer: the newest revision whose routes (for `env`) held 100 % on one version that
 * is not the one holding them now (`current`) and is still `declared`. `skipped` names the
 * versions passed over because they are no longer declared, or are kept to other environments
 * (`keptTo`: each such version's metadata.environments). A revision whose files hold no split
 * of `template` left it as it was (or removed it): it says nothing.
 */
export function lastSoleVersion(
  history: readonly Revision[],
  template: string,
  env: string | undefined,
  current: string | undefined,
  declared: ReadonlySet<string>,
  keptTo: ReadonlyMap<string, readonly string[]> = new Map(),
): { found?: { version: string } & Omit<Revision, 'texts'>; skipped: string[]; holding: Omit<Revision, 'texts'>[] } {
  const skipped: string[] = [];
  const holding: Omit<Revision, 'texts'>[] = [];
  for (const rev of history) {
    const then = splitIn(rev.texts, template, env);
    if (then) holding.push({ commit: rev.commit, date: rev.date, subject: rev.subject });
    const sole = then && soleVersion(then.routes);
    if (!sole || sole === current) continue;
    if (!declared.has(sole)) {
      skipped.push(passedOver(sole, rev.commit.slice(0, 7), env, keptTo.get(sole)));
      continue;
    }
    return { found: { version: sole, commit: rev.commit, date: rev.date, subject: rev.subject }, skipped, holding };
  }
  return { skipped, holding };
}

/**
 * Which version answered every call of `template` (in `env`) in a state of the prompts directory
 * (the texts of its files that name the template): without a split, its newest version then
 * (DESIGN §3: the newest one answers); 'split' when that state has a split of it; undefined when
 * it has no version of it. Rollback's answer from before the commit that added the split.
 */
export function answeredWithoutSplit(texts: readonly string[], template: string, env: string | undefined): string | 'split' | undefined {
  const versions: string[] = [];
  for (const text of texts) {
    // As splitIn passes texts over: one that names the template neither as written nor through an escape holds none of its documents.
    if (!text.includes('\\') && !text.includes(template)) continue;
    for (const data of documentsIn(text)) {
      if (!isObj(data.spec) || data.spec.template !== template) continue;
      const environments = documentEnvironments(data);
      if (env !== undefined && environments && !environments.includes(env)) continue;
      if (data.kind === 'TrafficSplit') return 'split';
      const version = data.spec.version;
      if (data.kind === 'PromptVersion' && typeof version === 'string') versions.push(version);
    }
  }
  return newestVersionLabel(versions);
}

/** The split of `template` in the first of `texts` that holds one. */
function splitIn(texts: readonly string[], template: string, env: string | undefined): ReturnType<typeof routesIn> {
  for (const text of texts) {
    // A split of `template` names its kind and the template in its text, as written or through
    // an escape of a double-quoted scalar (names are [a-z0-9-]): any other text is passed over
    // unparsed (rollback reads every file of every commit of the directory, 1,000 in a bulk commit).
    if (!text.includes('\\') && !(text.includes(template) && text.includes('TrafficSplit'))) continue;
    const found = routesIn(text, template, env);
    if (found) return found;
  }
  return undefined;
}

/**
 * The routes `env` gets from the TrafficSplit of `template` in a file's text: a document whose
 * `metadata.environments` leaves `env` out held nothing there and is passed over; the routes are
 * the environment's override, else the document's. Read as the loader reads a split (normalizeSplit,
 * then model/environments.ts), so a past state means what the same text would mean today.
 */
export function routesIn(text: string, template: string, env?: string): { routes: Route[]; from: RoutesTarget } | undefined {
  for (const data of documentsIn(text)) {
    if (data.kind !== 'TrafficSplit' || !isObj(data.spec) || data.spec.template !== template || !Array.isArray(data.spec.routes)) continue;
    const split = splitModel(data);
    if (env === undefined) return { routes: split.routes, from: { kind: 'document' } };
    if (!belongsTo(split, env)) continue;
    const from: RoutesTarget = split.overrides?.[env]?.routes !== undefined ? { kind: 'override', env } : { kind: 'document' };
    return { routes: resolveSplit(split, env).routes, from };
  }
  return undefined;
}

/**
 * The documents of a file's text as data, as the loader reads them (lone CRs as line breaks); a
 * document committed broken (an alias naming no anchor, an alias bomb: toJS throws on it) is
 * passed over: it held nothing to go back to.
 */
function* documentsIn(text: string): Generator<Record<string, unknown>> {
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text) as Document.Parsed[];
  } catch {
    return;
  }
  if (!Array.isArray(docs)) return;
  for (const d of docs) {
    if (d.errors.length > 0) continue;
    let data: unknown;
    try {
      data = d.toJS({ maxAliasCount: 100 });
    } catch {
      continue;
    }
    if (isObj(data)) yield data;
  }
}

/** A TrafficSplit document's data as the model holds it, `metadata.environments` included (as the loader scopes it). */
function splitModel(data: Record<string, unknown>): TrafficSplit {
  // Text found in history, not a loaded file: no source or field locations to give.
  const facts = { source: { file: '', line: 1, column: 1 }, locations: {}, texts: {}, textOrigins: {}, textFiles: {} };
  const split = normalizeSplit(data, facts);
  const environments = documentEnvironments(data);
  return environments ? { ...split, environments } : split;
}

export const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
