// promote and rollback (DESIGN §4, §6): which weights one TrafficSplit gets (a version's weight
// set and the others scaled, an environment's own routes or the document's), and, for rollback,
// the routes a file's text held in the prompts directory's history, read as the loader reads a
// split; a state the loader refuses (a file that may hold the split does not parse) is unknown,
// never "no split". Writing the new weights into the file is split-edit.ts. Pure: data and text
// in, data out.
import { parseAllDocuments, type Document } from 'yaml';
import { belongsTo, resolveSplit } from '../model/environments.js';
import { documentEnvironments, normalizeSplit } from '../model/normalize.js';
import type { TrafficSplit } from '../model/types.js';
import { UserError } from '../util/errors.js';
import { visibleName } from '../util/escapes.js';
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
  /** Their paths (from the top of the work tree), in the same order: named when one cannot be read. */
  paths?: readonly string[];
}

/** A revision as rollback names it: `unknown` says why what it routed cannot be known (one of its files may hold the split and cannot be read). */
export type RevisionHeader = Omit<Revision, 'texts' | 'paths'> & { unknown?: string };

/**
 * Why a state of the prompts directory says nothing certain of `template`: a file that may hold
 * its split or versions (it names the template, or it is the split's own file: `splitPath`) is
 * there and cannot be read as the loader reads it. Such a state is neither "this split" nor "no
 * split": the loader refused it, nothing could apply it, and what it meant is unknown.
 */
export interface Unknown {
  unknown: string;
}

export const isUnknown = (v: unknown): v is Unknown => isObj(v) && typeof v.unknown === 'string';

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
 * (`keptTo`: each such version's metadata.environments), and the revisions passed over because a
 * file of theirs that may hold the split cannot be read (the loader refused them: what they routed
 * is unknown, and the walk goes on past them). A revision whose files hold no split of `template`
 * left it as it was (or removed it): it says nothing. `holding`: the revisions that hold the split,
 * or may (`unknown`), newest first.
 */
export function lastSoleVersion(
  history: readonly Revision[],
  template: string,
  env: string | undefined,
  current: string | undefined,
  declared: ReadonlySet<string>,
  keptTo: ReadonlyMap<string, readonly string[]> = new Map(),
  splitPath?: string,
): { found?: { version: string } & RevisionHeader; skipped: string[]; holding: RevisionHeader[] } {
  const skipped: string[] = [];
  const holding: RevisionHeader[] = [];
  for (const rev of history) {
    const header = { commit: rev.commit, date: rev.date, subject: rev.subject };
    const then = splitIn(rev.texts, template, env, rev.paths, splitPath);
    if (isUnknown(then)) {
      holding.push({ ...header, unknown: then.unknown });
      skipped.push(`${rev.commit.slice(0, 7)} (${then.unknown}: what it routed is unknown)`);
      continue;
    }
    if (then) holding.push(header);
    const sole = then && soleVersion(then.routes);
    if (!sole || sole === current) continue;
    if (!declared.has(sole)) {
      skipped.push(passedOver(sole, rev.commit.slice(0, 7), env, keptTo.get(sole)));
      continue;
    }
    return { found: { version: sole, ...header }, skipped, holding };
  }
  return { skipped, holding };
}

/**
 * Which version answered every call of `template` (in `env`) in a state of the prompts directory
 * (the texts of its files that name the template, and the split's own file: `splitPath`, with
 * their `paths`): without a split, its newest version then (DESIGN §3: the newest one answers);
 * 'split' when that state has a split of it; undefined when it has no version of it; Unknown when
 * a file that may hold its split or versions cannot be read (the loader refused that state: it is
 * not "no split"). Rollback's answer from before the commit that added the split.
 */
export function answeredWithoutSplit(
  texts: readonly string[],
  template: string,
  env: string | undefined,
  paths?: readonly string[],
  splitPath?: string,
): string | 'split' | Unknown | undefined {
  const state = stateIn(texts, template, env, paths, splitPath);
  return state.unknown ?? (state.split ? 'split' : newestVersionLabel(state.versions));
}

/** The split of `template` in the first of `texts` that holds one; Unknown when one that may hold its documents cannot be read. */
function splitIn(texts: readonly string[], template: string, env: string | undefined, paths?: readonly string[], splitPath?: string): ReturnType<typeof routesIn> | Unknown {
  const state = stateIn(texts, template, env, paths, splitPath);
  return state.unknown ?? state.split;
}

/**
 * What `texts` (files of one state, or those one commit wrote) hold of `template` for `env`: its
 * split's routes (the first found), its versions' labels, and why the state is unknown when a file
 * that may hold its documents cannot be read: such a state is neither this split nor no split,
 * whatever else its files hold (the loader refused it, so nothing applied it).
 */
function stateIn(
  texts: readonly string[],
  template: string,
  env: string | undefined,
  paths: readonly string[] | undefined,
  splitPath: string | undefined,
): { split?: { routes: Route[]; from: RoutesTarget }; versions: string[]; unknown?: Unknown } {
  const versions: string[] = [];
  let split: { routes: Route[]; from: RoutesTarget } | undefined;
  for (const [i, text] of texts.entries()) {
    // Only a text that names the template, as written, through an escape of a double-quoted scalar
    // (names are [a-z0-9-]) or in a wide encoding, can hold its documents: any other is passed over
    // unparsed (rollback reads every file of every commit of the directory, 1,000 in a bulk commit).
    // The split's own file is read whatever it holds: broken there, the split is unknown.
    const own = splitPath !== undefined && paths?.[i] === splitPath;
    if (!own && !mayName(text, template)) continue;
    const file = paths?.[i] === undefined ? 'a file' : visibleName(paths[i]!);
    const read = readDocuments(text, template, own);
    // yaml's words quote the text (an anchor's name): shown, never obeyed.
    if (read.broken) return { versions, unknown: { unknown: `${file} ${visibleName(read.broken)}` } };
    const found = splitAmong(read.docs, template, env);
    if (isUnknown(found)) return { versions, unknown: { unknown: `${file} ${found.unknown}` } };
    split ??= found;
    for (const data of read.docs) {
      if (data.kind !== 'PromptVersion' || !isObj(data.spec) || data.spec.template !== template) continue;
      const environments = documentEnvironments(data);
      if (env !== undefined && environments && !environments.includes(env)) continue;
      if (typeof data.spec.version !== 'string') return { versions, unknown: { unknown: `${file} holds a PromptVersion of ${template} without a version label` } };
      versions.push(data.spec.version);
    }
  }
  return split ? { split, versions } : { versions };
}

/** Whether a text may name `template`: as written, through an escape, or in UTF-16 or UTF-32 (its characters NUL-padded). */
function mayName(text: string, template: string): boolean {
  return text.includes(template) || text.includes('\\') || (text.includes('\0') && text.replaceAll('\0', '').includes(template));
}

/**
 * The routes `env` gets from the TrafficSplit of `template` in a file's text: a document whose
 * `metadata.environments` leaves `env` out held nothing there and is passed over; the routes are
 * the environment's override, else the document's. Read as the loader reads a split (normalizeSplit,
 * then model/environments.ts), so a past state means what the same text would mean today.
 */
export function routesIn(text: string, template: string, env?: string): { routes: Route[]; from: RoutesTarget } | undefined {
  const found = splitAmong(readDocuments(text, template, false).docs, template, env);
  return isUnknown(found) ? undefined : found;
}

/**
 * The routes of the TrafficSplit of `template` among `docs` (as routesIn reads them); Unknown when
 * none is found and one, for `env`, has routes that are no list (the loader refuses it).
 */
function splitAmong(docs: readonly Record<string, unknown>[], template: string, env: string | undefined): { routes: Route[]; from: RoutesTarget } | Unknown | undefined {
  let unknown: Unknown | undefined;
  for (const data of docs) {
    if (data.kind !== 'TrafficSplit' || !isObj(data.spec) || data.spec.template !== template) continue;
    const environments = documentEnvironments(data);
    if (env !== undefined && environments && !environments.includes(env)) continue;
    if (!Array.isArray(data.spec.routes)) {
      unknown ??= { unknown: `holds a TrafficSplit of ${template} whose routes are no list` };
      continue;
    }
    const split = splitModel(data);
    if (env === undefined) return { routes: split.routes, from: { kind: 'document' } };
    if (!belongsTo(split, env)) continue;
    const from: RoutesTarget = split.overrides?.[env]?.routes !== undefined ? { kind: 'override', env } : { kind: 'document' };
    return { routes: resolveSplit(split, env).routes, from };
  }
  return unknown;
}

/**
 * The documents of a file's text as data, as the loader reads them (lone CRs as line breaks), and
 * why one that may hold `template`'s (it names the template, or `own`: it is the split's own
 * file) cannot be read: a NUL byte (binary, or UTF-16 or UTF-32 text: the loader refuses the
 * file), a YAML error (a tab as indentation, a duplicate key), an alias naming no anchor or an
 * alias bomb (toJS throws on them). Its readable documents are still given; the others, and those
 * of other templates that cannot be read, hold nothing to go back to.
 */
function readDocuments(text: string, template: string, own: boolean): { docs: Record<string, unknown>[]; broken?: string } {
  const concerns = (part: string): boolean => own || mayName(part, template);
  // The loader refuses such a file whole (binary, or UTF-16 or UTF-32 text).
  if (text.includes('\0')) return concerns(text) ? { docs: [], broken: 'is not UTF-8 text (a NUL byte)' } : { docs: [] };
  const src = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
  let parsed: Document.Parsed[];
  try {
    parsed = parseAllDocuments(src) as Document.Parsed[];
  } catch {
    return concerns(text) ? { docs: [], broken: 'does not parse as YAML' } : { docs: [] };
  }
  if (!Array.isArray(parsed)) return concerns(text) ? { docs: [], broken: 'does not parse as YAML' } : { docs: [] };
  const docs: Record<string, unknown>[] = [];
  let broken: string | undefined;
  for (const d of parsed) {
    let data: unknown;
    let why: string | undefined;
    // As the loader refuses it: a YAML error or warning (an unknown tag), yaml's first, its first
    // line ("… at line 9, column 1:", the excerpt after it left out); or an alias naming no anchor,
    // an alias bomb (toJS throws).
    const problem = d.errors[0] ?? d.warnings[0];
    if (problem) why = `does not parse as YAML (${firstLine(problem.message)})`;
    else {
      try {
        data = d.toJS({ maxAliasCount: 100 });
      } catch (err) {
        why = `does not parse as YAML (${firstLine(String((err as Error).message))})`;
      }
    }
    if (why === undefined) {
      if (isObj(data)) docs.push(data);
      continue;
    }
    // Only a document that may be the template's makes the state unknown: judged by its own text.
    // One that names it only through an escape perhaps, whose data as yaml still reads it names
    // it nowhere, is another's (prompt texts are full of escapes).
    const part = src.slice(d.range[0], d.range[2]);
    if (broken === undefined && (own || part.includes(template) || (mayName(part, template) && !namesNowhere(d, template)))) broken = why;
  }
  return broken === undefined ? { docs } : { docs, broken };
}

/** The first line of a message, without the colon that led to the excerpt after it. */
const firstLine = (message: string): string => message.split('\n')[0]!.replace(/:$/, '');

/** Whether a broken document's data, as far as yaml reads it, holds `template` in no key or value (none read: it may). */
function namesNowhere(d: Document.Parsed, template: string): boolean {
  try {
    return !JSON.stringify(d.toJS({ maxAliasCount: 100 }) ?? null).includes(template);
  } catch {
    return false;
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
