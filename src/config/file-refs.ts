// `{file: path}` text references: resolved inside the prompts directory only, read verbatim.
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { readTextFile } from './read.js';
import { visibleName } from '../util/escapes.js';
import { isInside, unusablePath } from '../util/inside.js';
import { formDifference, formsDiffer } from '../util/lookalike.js';

export type FileRefResult =
  | { ok: true; text: string; absPath: string }
  /** `inFile`: a problem inside the referenced file (a byte that is not UTF-8), at its own line and column. */
  | { ok: false; rule: string; message: string; inFile?: { absPath: string; line: number; column: number } };

/** Characters of a reference a message repeats: a real path is far shorter (and no file system takes one past 4,096). */
const SHOWN_CHARS = 200;

/**
 * A reference as a message names it: control and hidden characters made visible, and a very long
 * one cut (a 100,000-character `file:` made a diagnostic line of as many, in the terminal and in a
 * GitHub annotation alike), never between the halves of a surrogate pair.
 */
function shown(ref: string): string {
  if (ref.length <= SHOWN_CHARS) return visibleName(ref);
  const cut = /[\uD800-\uDBFF]/.test(ref[SHOWN_CHARS - 1]!) ? SHOWN_CHARS - 1 : SHOWN_CHARS;
  return `${visibleName(ref.slice(0, cut))}… (${ref.length} characters)`;
}

/**
 * Resolves and reads one reference. `rootReal` is the realpath of the prompts directory.
 * Reads are memoised by the caller's `cache` (many versions may share one file).
 */
export async function resolveFileRef(
  ref: string,
  rootReal: string,
  yamlDirAbs: string,
  cache: Map<string, Promise<FileRefResult>>,
): Promise<FileRefResult> {
  const unusable = unusablePath(ref);
  if (unusable) return { ok: false, rule: 'file-ref/invalid', message: `file path contains ${unusable}` };
  if (path.isAbsolute(ref) || /^[A-Za-z]:[\\/]/.test(ref)) {
    return {
      ok: false,
      rule: 'file-ref/outside-dir',
      message: `file "${shown(ref)}" is an absolute path; use a path relative to the prompts directory`,
    };
  }
  const lexical = path.resolve(rootReal, ref);
  if (!isInside(rootReal, lexical)) {
    return { ok: false, rule: 'file-ref/outside-dir', message: `file "${shown(ref)}" is outside the prompts directory` };
  }
  let cached = cache.get(lexical);
  if (!cached) {
    cached = load(ref, lexical, rootReal, yamlDirAbs);
    cache.set(lexical, cached);
  }
  return cached;
}

/** A path that exists but does not resolve: a loop of symbolic links, or one that cannot be searched. */
function unresolvedLink(ref: string, err: unknown): FileRefResult | undefined {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return { ok: false, rule: 'file/unreadable', message: `file "${shown(ref)}" is a loop of symbolic links` };
  if (code === 'EACCES') return { ok: false, rule: 'file/unreadable', message: `file "${shown(ref)}" cannot be reached (permission denied)` };
  return undefined;
}

/** Paths are relative to the prompts directory: said so when the author wrote one relative to the YAML file. */
async function besideYamlHint(ref: string, lexical: string, rootReal: string, yamlDirAbs: string): Promise<string | undefined> {
  const besideYaml = path.resolve(yamlDirAbs, ref);
  if (besideYaml === lexical || !isInside(rootReal, besideYaml)) return undefined;
  try {
    if ((await stat(besideYaml)).isFile()) return ` (paths are relative to the prompts directory: did you mean "${path.relative(rootReal, besideYaml).split(path.sep).join('/')}"?)`;
  } catch {
    /* no hint */
  }
  return undefined;
}

/**
 * A file that is there under another spelling: backslashes between folders (a Windows habit, a
 * name character on Linux), letters in another case, or in another Unicode form (`é` as U+00E9,
 * and as `e` + U+0301 in a name macOS wrote). A macOS or Windows checkout finds such a name and CI
 * on Linux does not, so the name on disk is offered as it must be written.
 */
async function spellingHint(ref: string, rootReal: string): Promise<string | undefined> {
  const parts = ref.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..')) return undefined;
  let dir = rootReal;
  const found: string[] = [];
  for (const part of parts) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return undefined;
    }
    const exact = names.includes(part) ? part : undefined;
    const folded = looseName(part);
    const alike = names.filter((n) => looseName(n) === folded);
    const name = exact ?? (alike.length === 1 ? alike[0] : undefined);
    if (name === undefined) return undefined;
    found.push(name);
    dir = path.join(dir, name);
  }
  const written = found.join('/');
  try {
    if (!(await stat(dir)).isFile()) return undefined;
  } catch {
    return undefined;
  }
  const slashes = ref.includes('\\');
  const cased = parts.some((p, i) => composed(p) !== composed(found[i]!));
  const formed = parts.findIndex((p, i) => formsDiffer(p.toLowerCase(), found[i]!.toLowerCase()));
  const why = [slashes ? 'folders are separated by "/"' : '', cased ? 'names are case-sensitive' : '', formed >= 0 ? otherForm(found[formed]!, parts[formed]!) : '']
    .filter((w) => w !== '')
    .join(' and ');
  if (why === '') return undefined;
  return ` (${why}: did you mean "${visibleName(written)}"?)`;
}

/** `name` composed (NFC): ASCII, most names, as it is. */
function composed(name: string): string {
  return /[^\x00-\x7f]/.test(name) ? name.normalize('NFC') : name;
}

/** How a name on disk and a path's name are matched for a hint: without case or Unicode form. */
function looseName(name: string): string {
  return composed(name).toLowerCase();
}

/**
 * A name on disk in another Unicode form than the path writes it: macOS (APFS, HFS+) takes the
 * two for one name, Linux compares bytes, so CI fails where the author's machine did not.
 */
function otherForm(onDisk: string, written: string): string {
  const which = formDifference(onDisk, written, 'this path');
  return `the name on disk is in another Unicode form${which ? ` (${which})` : ''}, which macOS finds and Linux does not`;
}

async function load(ref: string, lexical: string, rootReal: string, yamlDirAbs: string): Promise<FileRefResult> {
  let real: string;
  try {
    real = await realpath(lexical);
  } catch (err) {
    const unresolved = unresolvedLink(ref, err);
    if (unresolved) return unresolved;
    const hint = (await besideYamlHint(ref, lexical, rootReal, yamlDirAbs)) ?? (await spellingHint(ref, rootReal));
    return { ok: false, rule: 'file-ref/missing', message: `file "${shown(ref)}" not found in the prompts directory${hint ?? ''}` };
  }
  if (!isInside(rootReal, real)) {
    return {
      ok: false,
      rule: 'file-ref/outside-dir',
      message: `file "${shown(ref)}" resolves (through a symbolic link) outside the prompts directory`,
    };
  }
  try {
    if ((await stat(real)).isDirectory()) {
      return { ok: false, rule: 'file-ref/not-a-file', message: `file "${shown(ref)}" is a directory; {file: ...} names one text file` };
    }
  } catch {
    /* readTextFile says why */
  }
  const read = await readTextFile(real);
  if (!read.ok) {
    const rule = read.rule === 'file/unreadable' || read.rule === 'file/too-large' ? read.rule : 'file-ref/not-text';
    // Where in the file, when the read knows: said there, where an editor jumps to the byte.
    if (read.line > 1 || read.column > 1) return { ok: false, rule, message: read.message, inFile: { absPath: real, line: read.line, column: read.column } };
    return { ok: false, rule, message: `file "${shown(ref)}": ${read.message}` };
  }
  return { ok: true, text: read.text, absPath: real };
}
