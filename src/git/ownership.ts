// Which AI Studio objects are promptctl's, from git history: Guides and SummarySettings carry no
// labels, so an object counts as promptctl's when a document of its kind and name was ever
// committed under the prompts directory (on the history of HEAD). Deleting the document from git
// then makes the live object a pending delete (or, with prune, a delete); an object made by hand
// in Genesys, which no commit ever named, is left alone. The record survives anything but a
// rewrite of history, and a shallow clone cannot see it all (said in `caveat`). With an
// environment (--env), only documents that belonged to it count (`metadata.environments` absent
// or naming it): a document only ever meant for dev never put anything in prod's org, so a prod
// object of that name is someone else's.
//
// A name git no longer defines carries when it stopped (`removedAt`): a live object of that name
// created after is someone else's (a guide made by hand after promptctl deleted its namesake).
//
// Every version of every YAML file the loader reads under the directory (not in dot-directories
// or node_modules) is read once: `git log --raw` lists the blobs, `git cat-file --batch` reads
// them in one process, and only blobs that mention one of the kinds are parsed.
import { posix, relative, resolve, sep } from 'node:path';
import { setEntry } from '../util/entries.js';
import { lenientDocuments } from '../util/lenient-yaml.js';
import { readBlobsById } from './blobs.js';
import { type RunEnv } from './environment.js';
import { openRepo, otherRepository, tryRaw, unreadableRepository } from './repo.js';
import { regexLiteral } from '../util/regex-literal.js';

export interface CommittedNames {
  /** Per kind, every name a committed document of that kind had, sorted. */
  names: Record<string, string[]>;
  /**
   * Per kind, of the names HEAD no longer defines: when git stopped defining each, the committer
   * date (ISO-8601) of the last change that took it out of a file.
   */
  removedAt: Record<string, Record<string, string>>;
  /** False when history could not be read in full (no repository, a shallow clone). */
  complete: boolean;
  /** Why it is incomplete. */
  caveat?: string;
}

/**
 * The names of the `kinds` documents ever committed under `dir` (relative to `cwd`). Never throws
 * for a missing repository or history: the answer is then incomplete.
 */
export async function committedNames(cwd: string, env: RunEnv, dir: string, kinds: readonly string[], environment?: string): Promise<CommittedNames> {
  const names: Record<string, Set<string>> = Object.fromEntries(kinds.map((k) => [k, new Set<string>()]));
  const removedAt: Record<string, Record<string, string>> = Object.fromEntries(kinds.map((k) => [k, {}]));
  const done = (complete: boolean, caveat?: string): CommittedNames => ({
    names: Object.fromEntries(Object.entries(names).map(([k, v]) => [k, [...v].sort()])),
    removedAt,
    complete,
    ...(caveat ? { caveat } : {}),
  });
  // A prompts directory in another repository than the working directory's: that one's history.
  const elsewhere = otherRepository(cwd, dir, env);
  if (elsewhere) {
    if (elsewhere.root === null) return done(false, 'the prompts directory is not in a git repository');
    return committedNames(elsewhere.dir, {}, '.', kinds, environment);
  }
  const git = await openRepo(cwd, env);
  // A repository git cannot read (safe.directory, git not installed) is said as such: its history
  // is there, and the user can make it readable.
  if (!git) return done(false, (await unreadableRepository(cwd, env)) ?? `${cwd} is not in a git repository`);
  const head = await tryRaw(git, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  if (!head) return done(true); // nothing committed yet: nothing is promptctl's
  const shallow = (await tryRaw(git, ['rev-parse', '--is-shallow-repository'])) === 'true';

  // Paths in the log are relative to the repository's root; the directory is relative to cwd.
  const prefix = (await tryRaw(git, ['rev-parse', '--show-prefix'])) ?? '';
  const root = posix.normalize(posix.join(prefix, relative(resolve(cwd), resolve(cwd, dir)).split(sep).join('/') || '.'));
  let log: string;
  let mainLine: string;
  let tree: string;
  const raw = ['--format=%x01%cI', '--raw', '--no-abbrev', '--no-renames', '-z', 'HEAD', '--', dir];
  try {
    // -m: merges too (a file first written while resolving one); -z: paths as they are; each
    // commit's header (\x01 and its committer date) dates the changes after it. Removals are dated
    // along the first parent: a merge's diff against its other parent would date again a removal
    // the branch never saw (the branch merged long after its name left git).
    [log, mainLine, tree] = await Promise.all([
      git.raw(['log', '-m', ...raw]),
      git.raw(['log', '--first-parent', '-m', ...raw]),
      git.raw(['ls-tree', '-r', '-z', '--full-name', 'HEAD', '--', dir]),
    ]);
  } catch (err) {
    return done(false, `git log failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  const changes = yamlChanges(log, root);
  const atHead = treeBlobs(tree, root);
  const removing = yamlChanges(mainLine, root);
  const blobs = new Set([...changes.flatMap((c) => (c.new ? [c.new] : [])), ...atHead]);
  // A cheap pre-filter, so most blobs are not parsed: `kind: Guide`, and the key quoted as JSON-style YAML writes it.
  const pattern = new RegExp(`kind["']?\\s*:\\s*["']?(${kinds.map(regexLiteral).join('|')})\\b`);
  // Per blob, the "kind\0name" keys of the documents it holds that belonged to the environment.
  const held = new Map<string, Set<string>>();
  for (const [sha, text] of await readBlobsById(cwd, env, [...blobs])) {
    if (!pattern.test(text)) continue;
    const keys = new Set<string>();
    for (const [kind, name, environments] of documentNames(text)) {
      // A kind is data: `constructor` is no kind of ours, not Object.prototype's.
      if (Object.hasOwn(names, kind) && appliesTo(environments, environment)) {
        names[kind]!.add(name);
        keys.add(`${kind}\0${name}`);
      }
    }
    held.set(sha, keys);
  }
  const now = new Set([...atHead].flatMap((sha) => [...(held.get(sha) ?? [])]));
  // Along the first parent first; a name that came and went on a merged branch alone, by the
  // branch's own removal (the first parent never saw it at all).
  const onMain = removals(removing, held);
  const anywhere = removals(changes, held);
  for (const [key, seen] of anywhere) {
    if (now.has(key)) continue;
    const at = onMain.get(key) ?? seen;
    const [kind, name] = key.split('\0') as [string, string];
    setEntry(removedAt[kind]!, name, new Date(at).toISOString()); // a name is data: `__proto__` too; the date in UTC, as Genesys's
  }
  return shallow ? done(false, 'a shallow clone: earlier history is not here (fetch it with `git fetch --unshallow`, or `fetch-depth: 0` on actions/checkout)') : done(true);
}

/** Per "kind\0name": the latest date a change took it out of a file (its old blob held it, its new one does not). */
function removals(changes: readonly YamlChange[], held: ReadonlyMap<string, ReadonlySet<string>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of changes) {
    if (!c.old) continue;
    const after = c.new ? held.get(c.new) : undefined;
    for (const key of held.get(c.old) ?? []) {
      if (after?.has(key)) continue;
      const last = out.get(key);
      if (last === undefined || Date.parse(c.at) > Date.parse(last)) out.set(key, c.at);
    }
  }
  return out;
}

/**
 * Whether the loader reads the file at `path` (relative to the repository's root) when the prompts
 * directory is `root`: a `*.yaml`/`*.yml` file (the case as discovery matches it) outside
 * dot-directories, node_modules and lost+found (config/discover.ts). A document in a file it
 * passes over was never applied, so it made nothing promptctl's.
 */
export function loadable(path: string, root: string): boolean {
  if (!/\.ya?ml$/.test(path)) return false;
  const rel = root === '.' || root === '' ? path : path.startsWith(`${root}/`) ? path.slice(root.length + 1) : undefined;
  if (rel === undefined) return true; // outside the directory as spelled (a link in the path): not ours to judge
  return rel.split('/').every((seg) => !seg.startsWith('.') && seg !== 'node_modules' && seg !== 'lost+found');
}

/** One file's change in a commit: its blob before and after (absent: none), dated by the commit. */
export interface YamlChange {
  at: string;
  old?: string;
  new?: string;
}

/**
 * The changes `git log --raw -z` (with `--format=%x01%cI`) shows to YAML files the loader reads
 * under `root` (the prompts directory, relative to the repository's root).
 */
export function yamlChanges(log: string, root = '.'): YamlChange[] {
  const out: YamlChange[] = [];
  const fields = log.split('\0');
  let at = '';
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!.replace(/^\n+/, '');
    if (field.startsWith('\x01')) {
      at = field.slice(1).trim();
      continue;
    }
    if (!field.startsWith(':')) continue;
    const path = fields[i + 1] ?? '';
    i += 1;
    if (!loadable(path, root)) continue;
    // ":100644 100644 <old> <new> M"
    const [, , old, sha, status = ''] = field.slice(1).split(' ');
    const change: YamlChange = { at };
    if (old && !/^0+$/.test(old)) change.old = old;
    if (sha && !/^0+$/.test(sha) && !status.startsWith('D')) change.new = sha;
    out.push(change);
  }
  return out;
}

/** The blob ids of YAML files written (not deleted) in a `git log --raw -z`, in files the loader reads under `root`. */
export function yamlBlobs(log: string, root = '.'): Set<string> {
  return new Set(yamlChanges(log, root).flatMap((c) => (c.new ? [c.new] : [])));
}

/** The blob ids of the YAML files the loader reads under `root` in `git ls-tree -r -z --full-name` output. */
function treeBlobs(tree: string, root: string): Set<string> {
  const out = new Set<string>();
  for (const entry of tree.split('\0')) {
    // "<mode> blob <sha>\t<path>"
    const tab = entry.indexOf('\t');
    const [, type, sha] = entry.slice(0, tab).split(' ');
    if (tab > 0 && type === 'blob' && sha && loadable(entry.slice(tab + 1), root)) out.add(sha);
  }
  return out;
}

/**
 * Whether a document with these `metadata.environments` was applied to `environment` (undefined:
 * no --env, every document counts). Absent means every environment, as the loader reads it.
 */
export function appliesTo(environments: readonly string[] | undefined, environment: string | undefined): boolean {
  return environment === undefined || environments === undefined || environments.includes(environment);
}

/**
 * (kind, name, environments) of every document in a YAML text that has a kind and a name;
 * environments is undefined when the document names none. Broken documents are skipped.
 */
export function documentNames(text: string): [string, string, string[]?][] {
  const out: [string, string, string[]?][] = [];
  for (const doc of lenientDocuments(text)) {
    const data = doc as { kind?: unknown; metadata?: { name?: unknown; environments?: unknown } } | null;
    if (data && typeof data === 'object' && typeof data.kind === 'string' && typeof data.metadata?.name === 'string') {
      const envs = data.metadata.environments;
      // Only a list restricts; anything else was refused by the loader and never applied anywhere narrower.
      out.push(Array.isArray(envs) ? [data.kind, data.metadata.name, envs.filter((e): e is string => typeof e === 'string')] : [data.kind, data.metadata.name]);
    }
  }
  return out;
}

