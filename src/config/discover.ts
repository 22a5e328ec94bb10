// Discovery: the YAML files of a prompts directory, in a deterministic order, and reading each
// one without following a link out of the directory.
import { constants, lstatSync, realpathSync } from 'node:fs';
import { access, lstat, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isInside } from '../util/inside.js';
import { LEFT_OUT_DIR, YAML_FILE } from '../util/prompt-paths.js';
import { readListedFile, readTextFileSync, type ReadResult } from './read.js';

export const CONFIG_FILE = 'promptctl.yaml';
/** The prompts directory looked for when --dir is not given. */
export const DEFAULT_PROMPTS_DIR = 'prompts';

/** A YAML extension in any letter case: Billing.YAML is not read (DESIGN §2), but it is named. */
const YAML_ANY_CASE = /\.ya?ml$/i;

export interface Discovery {
  /** Paths relative to the prompts directory, forward slashes, sorted by code unit. */
  files: string[];
  /**
   * Directories whose files are unknown, and why: a linked directory not entered (a link out of
   * the directory, a loop; rule file/linked-directory), or one that cannot be read (file/unreadable).
   * `readElsewhere`: a second path to a directory that is read (a loop): its files are known after all.
   */
  skipped: { path: string; rule: 'file/linked-directory' | 'file/unreadable'; reason: string; readElsewhere?: true }[];
  /**
   * The files listed as regular files, not links: inside the prompts directory by construction
   * (every directory walked is), so reading them needs no realpath (readYamlFileSync).
   */
  listedFiles: Set<string>;
  /**
   * Files whose extension is .yaml or .yml in other letter case (Billing.YAML, as macOS and Windows
   * save them): not read, but named, since prune would plan the deletion of what they define.
   */
  misnamed: string[];
}

/**
 * Every `*.yaml`/`*.yml` file under `dir`, skipping node_modules, lost+found and dot-directories. A linked
 * directory is entered when it leads to a directory inside the prompts directory that is not
 * already being read (its files are listed under the link's path); a link out of the directory,
 * or one that loops, is reported in `skipped` — never passed over silently, since prune would
 * then plan the deletion of whatever it defines.
 */
export async function discoverYamlFiles(dir: string, canList: (abs: string) => Promise<void> = listable): Promise<Discovery> {
  const rootReal = await realpath(dir);
  const out: Discovery = { files: [], skipped: [], listedFiles: new Set(), misnamed: [] };
  const misnamed = (rel: string): void => {
    if (!YAML_FILE.test(rel) && YAML_ANY_CASE.test(rel)) out.misnamed.push(rel);
  };
  const visited = new Set<string>([rootReal]);
  // listTree passes over a directory it cannot read: each is checked here instead, since prune
  // would plan the deletion of whatever the unread files define.
  const unreadable = async (abs: string, rel: string): Promise<boolean> => {
    try {
      await canList(abs);
      return false;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      const reason = mayBeNotUtf8(abs, err) && (await lstat(abs).then(() => false, () => true))
        ? `${NOT_UTF8_NAME('directory')} list it: its files are unknown, so nothing can be planned from this directory; rename it`
        : `directory cannot be read (${code}): its files are unknown, so nothing can be planned from this directory`;
      out.skipped.push({ path: rel, rule: 'file/unreadable', reason });
      return true;
    }
  };
  const walk = async (base: string, prefix: string): Promise<void> => {
    if (await unreadable(base, prefix.replace(/\/$/, '') || '.')) return;
    // Links are listed, not followed by listTree: they are judged here one by one.
    const entries = await listTree(base);
    // Every directory this walk reads is known before any link is judged: a link to one of them
    // would read the same files twice.
    for (const e of entries) {
      if (e.dirent.isSymbolicLink() || !e.path.endsWith('/')) continue;
      const abs = join(base, e.path.slice(0, -1));
      visited.add(abs);
      await unreadable(abs, prefix + e.path.slice(0, -1));
    }
    for (const e of entries) {
      const rel = prefix + e.path.replace(/\/$/, '');
      if (!e.dirent.isSymbolicLink()) {
        if (!e.path.endsWith('/') && YAML_FILE.test(rel)) {
          out.files.push(rel);
          if (e.dirent.isFile()) out.listedFiles.add(rel);
        } else if (!e.path.endsWith('/')) misnamed(rel);
        continue;
      }
      let real: string;
      let isDir: boolean;
      try {
        real = await realpath(join(base, e.path));
        isDir = (await stat(real)).isDirectory();
      } catch {
        // A dangling link: the loader names it when it is a YAML file; otherwise nothing to read.
        if (YAML_FILE.test(rel)) out.files.push(rel);
        continue;
      }
      if (!isDir) {
        if (YAML_FILE.test(rel)) out.files.push(rel);
        else misnamed(rel);
        continue;
      }
      if (!isInside(rootReal, real)) {
        out.skipped.push({ path: rel, rule: 'file/linked-directory', reason: 'symbolic link to a directory outside the prompts directory: not read' });
      } else if (visited.has(real)) {
        out.skipped.push({ path: rel, rule: 'file/linked-directory', reason: 'symbolic link to a directory that is already read (a loop or a second path to it): not read again', readElsewhere: true });
      } else {
        visited.add(real);
        await walk(real, `${rel}/`);
      }
    }
  };
  await walk(rootReal, '');
  out.files = [...new Set(out.files)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  out.misnamed.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return out;
}

/** Throws unless the directory's entries can be listed and entered. */
async function listable(abs: string): Promise<void> {
  await access(abs, constants.R_OK | constants.X_OK);
}

/**
 * fast-glob tests each entry's path against picomatch's regex of a pattern, and picomatch writes
 * `*` and `**` with `.`, which matches no line break (nor a CR, U+2028 or U+2029): `**` alone
 * passed over a file whose name holds one, and every file under such a directory, without a word
 * (fast-glob does read them: `**` enters every directory). This pattern, made of bracket classes
 * only, matches every path none of whose names starts with a dot, whatever characters they hold.
 * (test/unit/config/discover.test.ts)
 */
const EVERY_PATH = '[^/.]*([^/])*(/[^/.]*([^/]))';

interface TreeEntry {
  /** Relative to the walk's base, forward slashes; a directory's ends with "/". */
  path: string;
  dirent: { isSymbolicLink(): boolean; isFile(): boolean };
}

/**
 * Every entry under `base` (directories marked with a trailing slash), links listed but not
 * followed, dot-entries, node_modules and lost+found left out, sorted. A directory that cannot be read is
 * passed over (its contents unlisted). fast-glob is loaded on first use, so commands that read
 * no prompts (and `--version`) do not pay for it. A name may hold any character but "/" and NUL:
 * one with a line break is listed too (EVERY_PATH).
 */
async function listTree(base: string): Promise<TreeEntry[]> {
  const { default: fg } = await import('fast-glob');
  const entries = await fg(['**', EVERY_PATH], {
    cwd: base,
    dot: false,
    onlyFiles: false,
    followSymbolicLinks: false,
    markDirectories: true,
    objectMode: true,
    // lost+found: a mounted volume's own (root's, unreadable); never prompts.
    ignore: ['**/node_modules/**', '**/lost+found', '**/lost+found/**'],
    unique: true,
    suppressErrors: true,
  });
  // What the ignore patterns leave out, for the paths only EVERY_PATH matches (their regexes use `.` too).
  const listed = entries.filter((e) => !LEFT_OUT_DIR.test(e.path));
  return listed.map((e) => ({ path: e.path, dirent: e.dirent })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Reads one discovered YAML file (see read.ts for the checks), refusing a symbolic link that
 * leads outside the prompts directory (`rootReal`, its realpath) or nowhere. Blocking, as
 * read.ts explains. `listed`: discovery saw a regular file there (Discovery.listedFiles), so
 * only a file that has changed since needs the realpath check.
 */
export function readYamlFileSync(abs: string, rootReal: string, listed = false): ReadResult {
  const read = listed ? readListedFile(abs) : undefined;
  if (read) return read;
  try {
    // The native realpath, as fs/promises' realpath is: one call, not an lstat per path segment.
    const real = realpathSync.native(abs);
    if (!isInside(rootReal, real)) {
      return { ok: false, rule: 'file/outside-dir', message: 'symbolic link to a file outside the prompts directory', line: 1, column: 1 };
    }
  } catch (err) {
    const loop = (err as NodeJS.ErrnoException).code === 'ELOOP';
    const message = loop ? 'a loop of symbolic links' : mayBeNotUtf8(abs, err) && lstatSync(abs, { throwIfNoEntry: false }) === undefined ? `${NOT_UTF8_NAME('file')} read it: rename it` : 'cannot resolve file (broken symbolic link?)';
    return { ok: false, rule: 'file/unreadable', message, line: 1, column: 1 };
  }
  return readTextFileSync(abs);
}

/** A name that is not UTF-8, as the diagnostic's path shows it (Node's string for it, which names nothing). */
const NOT_UTF8_NAME = (what: 'file' | 'directory'): string => `this ${what}'s name is not UTF-8 (the bytes that are not show as U+FFFD, �), so promptctl cannot name the ${what} to`;

/**
 * Whether `abs`, which the listing gave and `err` says is not there, may be a name that is not
 * UTF-8: Node decodes such a name with U+FFFD for the bytes that are not, and that string names no
 * file. Sure when an lstat of it fails too (a name truly holding U+FFFD is there: a broken link, say).
 */
function mayBeNotUtf8(abs: string, err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT' && abs.includes('\uFFFD');
}
