// The validate pipeline's entry point (DESIGN §1, load/): a prompts directory in, the desired
// state and every diagnostic out. It walks the files (discovery and reading are config/'s) and
// feeds each YAML document to the Loader (loader.ts), which knows the order of the checks:
// config → schema → model → rules → tokens.
import { readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE, DEFAULT_PROMPTS_DIR, discoverYamlFiles, readYamlFileSync } from '../config/discover.js';
import { parseYaml } from '../config/parse.js';
import { findDepthProblem } from '../config/lex.js';
import { createTokenMemo, type TokenMemo } from '../tokens/index.js';
import { UserError } from '../util/errors.js';
import { visibleName } from '../util/escapes.js';
import { Loader, type LoadResult } from './loader.js';
import { readAhead } from './read-ahead.js';
import type { KnownSecret } from '../rules/util.js';

export type { LoadResult } from './loader.js';

export interface LoadOptions {
  dir: string;
  cwd?: string;
  /**
   * Where the budget checks count tokens: the caller's memo (the CLI's, seeded from the disk
   * cache), or a fresh one for this load alone.
   */
  tokenMemo?: TokenMemo;
  /** Secret values the run knows (the client secret…), which prompt text must not contain. */
  knownSecrets?: readonly KnownSecret[];
  /**
   * The value of an environment variable promptctl.yaml names as a secret (an audit sink's
   * `secretEnv`): known like knownSecrets once the config is read. Absent: none looked up.
   */
  secretOf?: (name: string) => string | undefined;
  /**
   * One environment of the config (`--env`, DESIGN §6): the state returned is that environment's
   * (its documents, its splits' overrides) and the rules and budgets check it. Without it, the
   * union of every document, checked as a whole and environment by environment.
   */
  environment?: string;
  /** Files to read as this text instead of from disk (absolute paths): a command checks its edit before writing it. */
  texts?: ReadonlyMap<string, string>;
  /**
   * promptctl.yaml for a directory that holds none, its text as read from `file` (absolute, or
   * relative to cwd): export checks what it wrote with the config of the prompts directory its
   * files will join (the models it declares, its defaults). Its problems are said at `file`, where
   * they are, not at a promptctl.yaml the directory does not hold.
   */
  configFallback?: { text: string; file: string };
}

/**
 * How long the load runs before it lets the event loop turn (ms). Reading and parsing are
 * synchronous (config/read.ts), and a command may read the target meanwhile (plan, apply and
 * drift: cli/live-plan.ts withTargetWhileLoading): its requests progress only when the loop turns.
 */
const TURN_EVERY_MS = 10;

export async function loadProject(opts: LoadOptions): Promise<LoadResult> {
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  const dirAbs = path.resolve(cwd, opts.dir);
  await assertDirectory(dirAbs, opts.dir, cwd);
  const rootReal = await realpath(dirAbs);
  const rel = (abs: string) => path.relative(cwd, abs).split(path.sep).join('/') || '.';

  const discovery = await discoverYamlFiles(dirAbs);
  const fallback = opts.configFallback !== undefined && !discovery.files.includes(CONFIG_FILE) ? opts.configFallback : undefined;
  // The Config where it is read from: a fallback at its own file.
  const configAbs = fallback !== undefined ? path.resolve(cwd, fallback.file) : path.join(dirAbs, CONFIG_FILE);
  const yamlFiles = fallback !== undefined ? [CONFIG_FILE, ...discovery.files] : discovery.files;
  const absOf = (f: string) => (fallback !== undefined && f === CONFIG_FILE ? configAbs : path.join(dirAbs, f));

  const loader = new Loader(rootReal, (abs) => rel(underDir(abs, rootReal, dirAbs)), rel(configAbs), opts.tokenMemo ?? createTokenMemo(), opts.knownSecrets, opts.environment, opts.secretOf);
  // A directory where the Config belongs is not "no Config": going on with the defaults would drop
  // the environments (a protected prod among them) and budgets the team meant, without a word.
  if (fallback === undefined && !discovery.files.includes(CONFIG_FILE) && (await isDirectory(configAbs))) {
    const shown = visibleName(rel(configAbs));
    loader.diagnostics.push({
      file: rel(configAbs),
      line: 1,
      column: 1,
      severity: 'error',
      rule: 'config/not-a-file',
      message: `${shown} is a directory, not the Config file: promptctl reads its settings from a file of that name; rename the directory (its YAML files are read as prompts all the same) and put the Config document in a file ${CONFIG_FILE}`,
    });
  }
  for (const s of discovery.skipped) {
    const file = rel(path.join(dirAbs, s.path));
    loader.diagnostics.push({ file, line: 1, column: 1, severity: 'error', rule: s.rule, message: s.reason });
    // Its files are unknown (a second path to a directory read is read there): what they define too.
    if (s.readElsewhere !== true) loader.rememberUnread(file, s.rule, true);
  }
  for (const f of discovery.misnamed) {
    const renamed = path.basename(f).replace(/\.ya?ml$/i, (ext) => ext.toLowerCase());
    loader.diagnostics.push({
      file: rel(path.join(dirAbs, f)),
      line: 1,
      column: 1,
      severity: 'warning',
      rule: 'file/extension',
      message: `not read: promptctl reads files ending in .yaml and .yml, in lower case; rename it to ${renamed} (or to another extension if it holds no prompts)`,
    });
  }
  const reads = readAhead(yamlFiles.length, (i) => {
    const abs = absOf(yamlFiles[i]!);
    const edited = fallback !== undefined && abs === configAbs ? fallback.text : opts.texts?.get(abs);
    return edited !== undefined ? { ok: true as const, text: edited } : readYamlFileSync(abs, rootReal, discovery.listedFiles.has(yamlFiles[i]!));
  });
  let turned = performance.now();
  for (let i = 0; i < yamlFiles.length; i++) {
    if (performance.now() - turned > TURN_EVERY_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      turned = performance.now();
    }
    const f = yamlFiles[i]!;
    const abs = absOf(f);
    const file = rel(abs);
    loader.files.add(file);
    // Read ahead in bursts (blocking: see config/read.ts and read-ahead.ts).
    const read = reads.take(i);
    if (!read.ok) {
      // A huge file that is also nested too deep: the depth is the problem to name, at its line.
      const deep = read.head === undefined ? undefined : findDepthProblem(read.head, file);
      if (deep) loader.diagnostics.push(deep);
      else loader.error({ file, line: read.line, column: read.column }, read.rule, read.message);
      // Nothing of it is read (one refused for its size is not parsed for its names either): a
      // reference to a name defined nowhere else may be to one of its, and is said so.
      loader.rememberUnread(file, deep?.rule ?? read.rule);
      continue;
    }
    const parsed = parseYaml(read.text, file);
    loader.diagnostics.push(...parsed.diagnostics);
    loader.comments.add(file, parsed);
    for (const data of parsed.broken ?? []) loader.rememberBroken(data);
    if (parsed.unread !== undefined) loader.rememberUnread(file, parsed.unread);
    if (parsed.documents.length === 0 && parsed.diagnostics.length === 0) {
      // Harmless, but usually a mistake (a file emptied by a bad merge, content commented out).
      loader.diagnostics.push({ file, line: 1, column: 1, severity: 'warning', rule: 'file/empty', message: 'no YAML documents in this file: nothing here is checked or applied' });
    }
    for (const d of parsed.documents) await loader.document(d, f === CONFIG_FILE, path.dirname(abs));
    if (parsed.broken) loader.brokenDocuments(file, parsed.broken, parsed.documents);
  }
  const result = loader.finish();
  return discovery.skipped.some((s) => s.rule === 'file/unreadable') ? { ...result, unlisted: true } : result;
}

/**
 * A resolved (real) path inside the prompts directory, written under the directory as given: when
 * that is reached through a symbolic link (macOS's /tmp, a linked checkout), a {file: ...} text is
 * reported where its YAML file is (prompts/x.md), not at its real path outside the cwd.
 */
function underDir(abs: string, rootReal: string, dirAbs: string): string {
  const inside = path.relative(rootReal, abs);
  return inside === '' || inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside) ? abs : path.join(dirAbs, inside);
}

/** The prompts directory `given` (at `abs`, under `cwd`) is one, else a UserError saying what to pass (also for a command that reads only its Config: run, emulator). */
export async function assertDirectory(abs: string, given: string, cwd: string): Promise<void> {
  let isDir = false;
  try {
    isDir = (await stat(abs)).isDirectory();
  } catch (err) {
    const unreachable = await unreachableLink(abs, err);
    if (unreachable) throw new UserError(`prompts directory "${visibleName(given)}" ${unreachable} (pass --dir with the directory that holds your prompt YAML)`);
    // `cd prompts && promptctl plan`: the working directory is the prompts directory itself (the
    // default name looked for, not a --dir the user spelled: that is more likely a typo).
    const inside = isDefault(given) && (await stat(path.join(cwd, CONFIG_FILE)).then((s) => s.isFile(), () => false));
    // `cd prompts/billing` or `cd scripts`: the default looked for, found above the working directory.
    const above = inside || !isDefault(given) ? undefined : await promptsAbove(cwd);
    const hint = inside
      ? `; this directory holds ${CONFIG_FILE}, so it looks like the prompts directory itself: run promptctl from the directory above it, where its state and audit trail are kept, or pass --dir .`
      : above !== undefined
        ? `; ${visibleName(path.join(above, DEFAULT_PROMPTS_DIR))} above is one: run promptctl from ${visibleName(above)}, where its state and audit trail are kept`
        : ' (pass --dir with the directory that holds your prompt YAML)';
    throw new UserError(`prompts directory "${visibleName(given)}" not found${hint}`);
  }
  if (!isDir) throw new UserError(`"${visibleName(given)}" is not a directory (pass --dir with the directory that holds your prompt YAML)`);
}

/** Whether `given` is the default prompts directory's name, not a --dir the user spelled (more likely a typo). */
function isDefault(given: string): boolean {
  return path.normalize(given).replace(/[\\/]+$/, '') === DEFAULT_PROMPTS_DIR;
}

/**
 * The directory above `cwd` that holds a prompts directory of the default name, relative to `cwd`:
 * a run from a subdirectory of the project. Looked for up to the root of the repository holding
 * `cwd` (its `.git`); outside any repository, or past its root, is another project: undefined.
 */
async function promptsAbove(cwd: string): Promise<string | undefined> {
  const here = path.resolve(cwd);
  let root: string | undefined;
  for (let d = here; root === undefined; d = path.dirname(d)) {
    if (await stat(path.join(d, '.git')).then(() => true, () => false)) root = d;
    else if (path.dirname(d) === d) return undefined;
  }
  for (let d = here; d !== root; ) {
    d = path.dirname(d);
    if (await stat(path.join(d, DEFAULT_PROMPTS_DIR)).then((s) => s.isDirectory(), () => false)) return path.relative(here, d);
  }
  return undefined;
}

/**
 * Why a path that exists as a symbolic link cannot be followed (it loops, or names nothing), in
 * words; undefined when the path itself is missing, for the caller's "not found".
 */
async function unreachableLink(abs: string, err: unknown): Promise<string | undefined> {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ELOOP') return 'is a symbolic link that leads back to itself';
  if (code === 'EACCES') return 'cannot be read (permission denied)';
  if (code !== 'ENOENT') return undefined;
  const target = await readlink(abs).catch(() => undefined);
  return target === undefined ? undefined : `is a symbolic link to "${visibleName(target)}", which does not exist`;
}

/** Whether `abs` is a directory (through a link too); anything else, or nothing there, is not. */
async function isDirectory(abs: string): Promise<boolean> {
  return stat(abs).then(
    (st) => st.isDirectory(),
    () => false,
  );
}
