// The prompts directory's history (simple-git), for `promptctl rollback` (the last split that held
// 100 % on one version): each commit that changed a YAML file under the directory, newest first,
// with the text of every YAML file it changed. The whole directory, not one file followed through
// renames: a split moved out of a file that stays (a file split in two) is no rename git can
// follow, and its earlier states are in the other file. A commit that changed none of the files
// holding the split left it as it was, so these texts are enough to see every state it had.
// First parent only: what the branch itself held, a merge as the state it brought; a side branch's
// commits are states the branch never had (a trial merged back at 50 % never held 100 % here).
// Where the directory's history begins with files moved in (the directory itself moved: prompts/
// to config/prompts/), it goes on in the directories they came from (`movedFrom`). A shallow
// clone holds only part of it (`isShallow`), which rollback says when it finds nothing.
import { basename, dirname, resolve } from 'node:path';
import { isPromptFilePath, YAML_FILE } from '../util/prompt-paths.js';
import { openRepo, tryRaw } from './repo.js';
import { readObjects } from './blobs.js';
import { type RunEnv } from './environment.js';

export interface DirRevision {
  commit: string;
  /** Committer date, ISO 8601. */
  date: string;
  subject: string;
  /** The YAML files under the directory this commit wrote (not those it deleted), with their text then. */
  files: { path: string; text: string }[];
}

/**
 * The commits that changed YAML under `dir` (relative to `cwd`), newest first, `skip` of them
 * passed over and at most `max` given, each with the texts it wrote. Throws a plain Error saying
 * why when there is no history to read.
 */
export async function dirHistory(
  cwd: string,
  env: RunEnv,
  dir: string | readonly string[],
  { skip = 0, max = 200, from = 'HEAD' }: { skip?: number; max?: number; from?: string } = {},
): Promise<DirRevision[]> {
  const git = await openRepo(cwd, env);
  if (!git) throw new Error(`${cwd} is not in a git repository`);
  if (!(await tryRaw(git, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']))) throw new Error('the repository has no commits yet');
  const SEP = '\u001f';
  const dirs = typeof dir === 'string' ? [dir] : [...dir];
  const log = await git.raw(['log', '--first-parent', '--no-renames', `--skip=${skip}`, `-n${max}`, `--format=%x1e%H${SEP}%cI${SEP}%s`, '--name-only', '-z', from, '--', ...dirs]);
  // Only the files discovery reads (no dot-entry, node_modules, Billing.YAML: util/prompt-paths.ts),
  // judged below the directory. Where git cannot place it, every YAML file, as before.
  const tops = await topPaths(cwd, env, dirs);
  const read = (path: string): boolean =>
    tops.length === 0 ? YAML_FILE.test(path) : readUnder(tops, path);
  const out: DirRevision[] = [];
  for (const entry of log.split('\u001e')) {
    // -z: the header and every name end with NUL, so any name (spaces, quotes, non-ASCII) comes through as it is.
    const [head, ...names] = entry.split('\0');
    if (!head?.trim()) continue;
    const [commit, date, subject] = head.split(SEP);
    if (!commit) continue;
    const paths = names.map((p) => p.replace(/^\n+/, '')).filter(read);
    out.push({ commit, date: date ?? '', subject: subject ?? '', files: paths.map((path) => ({ path, text: '' })) });
  }
  await readTexts(git, cwd, env, out);
  return out;
}

/**
 * The YAML files under `dir` that hold `needle` (a template's name) as they were before `commit`
 * (its first parent), with `also` (paths from the top of the work tree: the split's own file,
 * read whatever it holds, a file broken or not UTF-8 perhaps), found by one `git grep` and read by
 * one `cat-file`; undefined for a root commit. What rollback reads of a commit that may have added
 * a split: what routed the template's calls before it. A file naming it only through escapes, or
 * in UTF-16, is not found unless `also` names it.
 */
export async function textsBefore(
  cwd: string,
  env: RunEnv,
  commit: string,
  dir: string | readonly string[],
  needle: string,
  also: readonly string[] = [],
): Promise<{ path: string; text: string }[] | undefined> {
  const git = await openRepo(cwd, env);
  if (!git) return undefined;
  const parent = await firstParent(git, commit);
  if (!parent) return undefined;
  const tops = await topPaths(cwd, env, dir);
  const dirs = typeof dir === 'string' ? [dir] : [...dir];
  // -z: "<parent>:<path>" a name, whatever the path holds; --full-name: from the top, as tops are.
  const listed = (await tryRaw(git, ['grep', '-l', '-z', '-F', '--full-name', '-e', needle, parent, '--', ...dirs])) ?? '';
  const found = listed
    .split('\0')
    .map((name) => name.slice(parent.length + 1))
    .filter((path) => path !== '' && !path.includes('\n') && readUnder(tops, path));
  const paths = [...new Set([...found, ...also.filter((path) => !path.includes('\n') && readUnder(tops, path))])];
  const texts = await readObjects(cwd, env, paths.map((path) => `${parent}:${path}`));
  return paths.flatMap((path, i) => (texts[i] === null || texts[i] === undefined ? [] : [{ path, text: texts[i]! }]));
}

/** A file's path from the top of its work tree (as history names files), or undefined outside one. */
export async function pathFromTop(cwd: string, env: RunEnv, file: string): Promise<string | undefined> {
  const abs = resolve(cwd, file);
  const git = await openRepo(dirname(abs), env);
  if (!git) return undefined;
  const prefix = await tryRaw(git, ['rev-parse', '--show-prefix']);
  // tryRaw reads an empty answer (the top itself) as none.
  return `${prefix ?? ''}${basename(abs)}`;
}

/**
 * Each revision's files with their texts then, read in one process for the whole page (a commit
 * of 1,000 files was 1,000 `git show`s, 37 s for a rollback); a file the commit deleted is left
 * out. A path holding a line break, which `cat-file --batch` cannot be given, is read on its own.
 */
async function readTexts(git: NonNullable<Awaited<ReturnType<typeof openRepo>>>, cwd: string, env: RunEnv, revisions: DirRevision[]): Promise<void> {
  const wanted = revisions.flatMap((r) => r.files.filter((f) => !f.path.includes('\n')).map((f) => `${r.commit}:${f.path}`));
  const texts = await readObjects(cwd, env, wanted);
  let i = 0;
  for (const r of revisions) {
    const files: DirRevision['files'] = [];
    for (const { path } of r.files) {
      const text = path.includes('\n') ? await showFile(git, r.commit, path) : texts[i++]!;
      if (text !== null) files.push({ path, text });
    }
    r.files = files;
  }
}

/** A file's text at a commit; null where that commit deleted it. */
async function showFile(git: NonNullable<Awaited<ReturnType<typeof openRepo>>>, commit: string, path: string): Promise<string | null> {
  try {
    return await git.show([`${commit}:${path}`]);
  } catch {
    return null;
  }
}

/**
 * Where the directory's history goes on before `commit`, the oldest commit that changed `dir` (a
 * path relative to `cwd`, or pathspecs `movedFrom` gave): the directories its files were moved
 * from (renames against the first parent, the path below the directory the same), as pathspecs
 * from the top of the work tree, and the parent to read them from. None when the commit has no
 * parent or moved nothing in.
 */
export async function movedFrom(cwd: string, env: RunEnv, commit: string, dir: string | readonly string[]): Promise<{ dirs: string[]; from: string } | undefined> {
  const git = await openRepo(cwd, env);
  if (!git) return undefined;
  const parent = await firstParent(git, commit);
  if (!parent) return undefined;
  const tops = await topPaths(cwd, env, dir);
  const renames = (await tryRaw(git, ['diff', '-z', '--name-status', '-M', '--diff-filter=R', parent, commit])) ?? '';
  const fields = renames.split('\0');
  const found = new Set<string>();
  for (let i = 0; i + 2 < fields.length; i += 3) {
    const [old, now] = [fields[i + 1]!, fields[i + 2]!];
    for (const base of tops) {
      if (!now.startsWith(base)) continue;
      const rest = now.slice(base.length);
      if (old === rest) found.add('.');
      else if (old.endsWith(`/${rest}`)) found.add(old.slice(0, -rest.length - 1));
    }
  }
  return found.size > 0 ? { dirs: [...found].map((d) => `${TOP}${d}`), from: parent } : undefined;
}

/**
 * Each directory (relative to `cwd`, or a `:(top)` pathspec) as the start of the paths git names
 * under it, from the top of the work tree: "" for the top itself, else "config/prompts/".
 */
async function topPaths(cwd: string, env: RunEnv, dir: string | readonly string[]): Promise<string[]> {
  const tops: string[] = [];
  for (const d of typeof dir === 'string' ? [dir] : dir) {
    let top: string | null;
    if (d.startsWith(TOP)) top = d.slice(TOP.length);
    else {
      // git's prefix for it, as git resolves links (empty at the top of the work tree, which
      // tryRaw would read as no answer).
      const inside = await openRepo(resolve(cwd, d), env);
      top = inside ? await inside.raw(['rev-parse', '--show-prefix']).then((out) => out.trim(), () => null) : null;
    }
    if (top === null) continue;
    const trimmed = top.replace(/\/+$/, '');
    tops.push(trimmed === '' || trimmed === '.' ? '' : `${trimmed}/`);
  }
  return tops;
}

/** Whether a path from the top of the work tree is a file discovery reads under one of `tops` (topPaths). */
function readUnder(tops: readonly string[], path: string): boolean {
  return tops.some((top) => path.startsWith(top) && isPromptFilePath(path.slice(top.length)));
}

/** A commit's first parent (the branch's previous state), or null for a root commit. */
function firstParent(git: NonNullable<Awaited<ReturnType<typeof openRepo>>>, commit: string): Promise<string | null> {
  return tryRaw(git, ['rev-parse', '--verify', '--quiet', `${commit}^1^{commit}`]);
}

/** The pathspec magic of a path from the top of the work tree. */
const TOP = ':(top)';

/** Whether the repository at `cwd` is a shallow clone (its history cut short, as CI checkouts fetch it). */
export async function isShallow(cwd: string, env: RunEnv): Promise<boolean> {
  const git = await openRepo(cwd, env);
  return git !== null && (await tryRaw(git, ['rev-parse', '--is-shallow-repository'])) === 'true';
}
