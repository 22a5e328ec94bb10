// Where export may write: the --out directory checked before the org is read or anything is
// written (not inside the prompts directory, nor holding it where plan --dir would read both; its
// entries listed, which the command refuses without --force), and nothing in the way of a file or
// folder the export writes (a link out of --out, a file where a folder goes, a directory or a pipe
// where a file goes).
import type { Stats } from 'node:fs';
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { CONFIG_FILE, discoverYamlFiles } from '../config/discover.js';
import { UserError } from '../util/errors.js';
import { visibleName } from '../util/escapes.js';
import { isInside, realPathOr } from '../util/inside.js';
import { lenientDocuments } from '../util/lenient-yaml.js';
import { neverLive } from './export-earlier.js';
import { DEFAULT_DIR } from './common.js';

/** What of export's flags these checks read: --out as the user wrote it, and the prompts directory (--dir). */
interface OutFlags {
  out: string;
  dir?: string;
}

/**
 * Refuses an --out below the prompts directory (--dir, prompts/ by default), before anything is
 * read or written. Plan reads every YAML file under that directory, so the export's documents
 * would define each object a second time beside the files there (every plan, CI's included, then
 * fails on duplicates), and a guide's `{file: guides/…}`, which is read from the prompts
 * directory, would name a file that is not the export's. The directory itself stays allowed (an
 * empty one; with --force, a clash with its files is named as theirs).
 */
export function refuseInsidePrompts(cwd: string, out: string, flags: OutFlags): void {
  const source = flags.dir ?? DEFAULT_DIR;
  const prompts = resolve(cwd, source);
  const below = (root: string, path: string): boolean => path !== root && isInside(root, path);
  if (!below(prompts, out) && !below(realPathOr(prompts), realPathOr(out))) return;
  throw new UserError(
    `--out ${visibleName(flags.out)} is inside the prompts directory ${visibleName(source)}, which plan reads whole: ` +
      `the export's documents would define each object a second time beside the files there, and its guides' {file:} paths, read from ${visibleName(source)}, would name other files; ` +
      `export outside it (--out adopted, say) and move what you want into place; nothing was written`,
  );
}

/**
 * Refuses an --out that holds the prompts directory (`export --out . --force` beside prompts/),
 * before anything is read or written: plan --dir OUT reads every YAML file under OUT, the prompts
 * directory's with the export's, so each object would be defined twice (the export then failed
 * on that after writing), or its promptctl.yaml alone would be a Config out of place. Not when
 * plan would not read it there: one holding no YAML file, or under a dot-directory or
 * node_modules (discovery passes over those), or a link out of --out.
 */
export async function refuseHoldingPrompts(cwd: string, out: string, flags: OutFlags): Promise<void> {
  const source = flags.dir ?? DEFAULT_DIR;
  const prompts = realPathOr(resolve(cwd, source));
  const rel = relative(realPathOr(out), prompts);
  if (rel === '' || !isInside(realPathOr(out), prompts)) return;
  if (rel.split(sep).some((part) => part.startsWith('.') || part === 'node_modules' || part === 'lost+found')) return;
  const found = await discoverYamlFiles(prompts).catch(() => undefined);
  if (found === undefined || found.files.length === 0) return;
  const shownOut = visibleName(flags.out);
  // Its promptctl.yaml and tests define no object twice (no export writes one): read below the top
  // of --out, the Config is one plan refuses there; tests alone are read beside the export, as anywhere.
  const objects = await holdsObjects(prompts, found.files);
  if (!objects && !found.files.includes(CONFIG_FILE)) return;
  const clash = objects
    ? 'each object would be defined twice'
    : `its ${CONFIG_FILE} (${visibleName(join(source, CONFIG_FILE))}) would be a Config below the top of ${shownOut}, which plan refuses (it belongs in ${visibleName(join(flags.out, CONFIG_FILE))})`;
  throw new UserError(
    `--out ${shownOut} holds the prompts directory ${visibleName(source)}, and plan --dir ${shownOut} would read its files with the export: ${clash}; ` +
      `export into a directory that does not hold it (--out adopted, say), or name the prompts directory with --dir if it is not ${visibleName(source)}; nothing was written`,
  );
}

/**
 * Whether any of `files` (under `prompts`) holds a document of an org's object, not only a Config
 * or tests: read until one does. One that cannot be read is taken to hold objects; one that does
 * not parse defines nothing (lenientDocuments reads it as no document).
 */
async function holdsObjects(prompts: string, files: readonly string[]): Promise<boolean> {
  for (const f of files) {
    const text = await readFile(join(prompts, f), 'utf8').catch(() => undefined);
    if (text === undefined || !lenientDocuments(text).every(neverLive)) return true;
  }
  return false;
}

/** `shown`: how messages name the directory (the user's --out, made visible). */
export async function listDir(dir: string, shown: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    if (code === 'ENOTDIR') {
      // The directory itself, or a folder on its way (`--out afile/sub`): said as what it is.
      const itself = await stat(dir).then((st) => st.isFile(), () => false);
      throw new UserError(itself ? `--out ${shown} is a file, not a directory` : `--out ${shown}: part of its path is a file, not a directory`);
    }
    throw err;
  }
}

/** Every folder (relative, '/'-separated, parents first) the given file paths lie in. */
export function foldersOf(paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const parts = p.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i += 1) out.add(parts.slice(0, i).join('/'));
  }
  return [...out].sort();
}

/**
 * Refuses a folder under --out that is a symbolic link (it leads out of --out), or something else
 * than a directory (a file there: its files could not be made); one not there yet is fine.
 */
export async function refuseFolderInTheWay(dir: string, folder: string, out: string): Promise<void> {
  try {
    const st = await lstat(join(dir, folder));
    if (st.isSymbolicLink()) {
      throw new UserError(`${visibleName(join(out, folder))} is a symbolic link: export writes only inside ${visibleName(out)}; remove the link or choose another --out`);
    }
    if (!st.isDirectory()) {
      throw new UserError(`export writes into a folder where a file is: ${visibleName(join(out, folder))}; move it aside or export into an empty directory; nothing was written`);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * Refuses an export one of whose files would go where a directory is (a rename cannot replace it),
 * or a pipe, socket or device, itself or behind a link (writing refuses it: util/atomic-file.ts).
 */
export async function refuseNonFilesInTheWay(dir: string, paths: readonly string[], out: string): Promise<void> {
  const directories: string[] = [];
  const special: string[] = [];
  for (const path of paths) {
    const st = await lstat(join(dir, path)).catch(() => undefined);
    if (st?.isDirectory()) directories.push(path);
    else if (st !== undefined && !isFileOrNone(st.isSymbolicLink() ? await stat(join(dir, path)).catch(() => undefined) : st)) special.push(path);
  }
  refuseInTheWay(directories, ['a directory is', 'directories are'], out);
  refuseInTheWay(special, ['a pipe, socket or device is', 'pipes, sockets or devices are'], out);
}

/** A regular file, a directory a link leads to (the link is replaced), or nothing (a dangling link). */
function isFileOrNone(st: Stats | undefined): boolean {
  return st === undefined || st.isFile() || st.isDirectory();
}

/** `paths` (relative to --out) stand where files go, `what` they are (one, several): refused. */
function refuseInTheWay(inTheWay: readonly string[], [one, several]: readonly [string, string], out: string): void {
  if (inTheWay.length === 0) return;
  const named = inTheWay.slice(0, 3).map((p) => visibleName(join(out, p))).join(', ');
  throw new UserError(
    `export writes ${inTheWay.length === 1 ? 'a file' : `${inTheWay.length} files`} where ${inTheWay.length === 1 ? one : several}: ${named}${inTheWay.length > 3 ? ` and ${inTheWay.length - 3} more` : ''}; move ${inTheWay.length === 1 ? 'it' : 'them'} aside or export into an empty directory; nothing was written`,
  );
}
