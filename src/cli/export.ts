// promptctl export --out DIR: the live org as promptctl YAML, so a team can adopt promptctl on an
// existing org. `plan --dir DIR` right after shows no changes. It writes inside DIR only.
import { rmSync } from 'node:fs';
import { lstat, readFile, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { CONFIG_FILE } from '../config/discover.js';
import { documentAddressOf } from '../config/document-addresses.js';
import { exportDocuments, type ExportResult } from '../export/documents.js';
import { NO_TESTS, withTests } from '../export/kept-tests.js';
import { filesBefore, leftoverFiles, listed, lossyMoves, MAX_HELD_BYTES, readEarlier, refuseUncommitted, replacingLosesNothing } from './export-earlier.js';
import { configFindings, configModels, configNote, readSourceConfig, type ConfigFindings } from './export-config.js';
import { foldersOf, listDir, refuseFolderInTheWay, refuseHoldingPrompts, refuseInsidePrompts, refuseNonFilesInTheWay } from './export-out.js';
import { describeFsError, EXIT, isFsError, messageOf, UserError } from '../util/errors.js';
import { andList, plural } from '../util/plural.js';
import { makeDirectories, writeFileAtomic } from '../util/atomic-file.js';
import { maskAnyCase, maskedNames, maskFor, maskStrings } from '../util/secrets.js';
import { oneLine, shellWord, visibleName } from '../util/escapes.js';
import { regexLiteral } from '../util/regex-literal.js';
import { isRetriedServerError } from '../genesys/retry.js';
import { readLiveParts, SURFACES, type Surface, type SurfaceFailure, type Targets } from '../targets/live.js';
import { LISTING_NOUNS, listedIn, listingsApart, listingsHeld, readListed } from '../targets/listed.js';
import { refusedRead, surfaceKinds } from '../kinds/index.js';
import type { LiveState } from '../kinds/kind.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { announceTarget, assertDirGiven, DEFAULT_DIR, learnConfiguredSecrets, withTarget } from './common.js';
import { refuseConfigErrors } from './environments.js';
import { noteUnavailable, statusOf } from './live-plan.js';
import type { OpenTarget } from './target.js';
import type { CliContext } from './context.js';
import { Interrupt } from './interrupt.js';

interface ExportFlags {
  out: string;
  force?: boolean;
  /** Where the environments are read from (environments.ts adds --dir with --env). */
  dir?: string;
}

export function registerExport(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description('write the live org as promptctl YAML: prompt templates and safety filters, and AI Studio guides and summary settings')
    .requiredOption('--out <dir>', 'directory to write (must be empty or absent unless --force)')
    .option('--force', 'write into a non-empty directory, replacing files of the same name')
    .action(async (flags: ExportFlags, cmd: Command) => {
      await assertDirGiven(ctx, cmd, flags.dir);
      ctx.exitCode = await runExport(ctx, flags);
    });
}

export async function runExport(ctx: CliContext, flags: ExportFlags): Promise<number> {
  await announceTarget(ctx);
  // Its files are meant for git: a sink's key the org holds is written masked too.
  await learnConfiguredSecrets(ctx, flags.dir ?? DEFAULT_DIR);
  const dir = resolve(ctx.cwd, flags.out);
  // The directory as messages name it: the user's argument, which may hold an ESC or a line break.
  const shownOut = visibleName(flags.out);
  refuseInsidePrompts(ctx.cwd, dir, flags);
  await refuseHoldingPrompts(ctx.cwd, dir, flags);
  const existing = await listDir(dir, shownOut);
  if (existing.length > 0 && !flags.force) {
    throw new UserError(`${shownOut} is not empty (${existing.length} entr${existing.length === 1 ? 'y' : 'ies'}); choose an empty directory or pass --force`);
  }

  // The prompts directory's promptctl.yaml, which the export is checked with where --out holds none:
  // an error of its own is the user's, said at it before the org is read (as --env refuses one), not the org's.
  const source = flags.dir ?? DEFAULT_DIR;
  const config = existing.includes(CONFIG_FILE) ? undefined : readSourceConfig(ctx.cwd, source);
  if (config !== undefined) await refuseConfigErrors(ctx, source, config.file, `export checks what it writes with ${visibleName(config.file)}, which is not valid`);

  // Export only reads: an embedded org with no state yet is read as empty, and not created; one that has state is not written.
  const { live, refused } = await withTarget(ctx, (target) => readExportable(ctx, target), { readOnly: true });
  const unread = new Set([...(live.unavailable ?? []), ...refused]);
  // What an earlier export left, read once: which file holds which object and what is left over both come from it.
  const earlier = existing.length > 0 ? await readEarlier(dir, ctx.env) : undefined;
  // File names come from object names: a secret there is masked too, in any case (a slug lowercases).
  // With --env, a guide in the state that environment's guidePublish gives is written without publish, as git would hold it.
  const exported = (notMoved: ReadonlySet<string>) =>
    exportDocuments(
      live,
      {
        mask: (name) => maskAnyCase(ctx.mask(name), ctx.knownSecrets),
        secrets: ctx.knownSecrets.map((s) => s.value),
        ...(earlier !== undefined ? { ...filesBefore(earlier, notMoved), where: (path: string) => join(flags.out, path) } : {}),
      },
      ctx.environment?.settings.guidePublish,
    );
  // A file the user moved is written again only where nothing in it is lost; the others' templates are
  // named afresh, and their guides and summary settings are not exported (their files kept as they are).
  const first = exported(new Set());
  const lossy = earlier !== undefined ? lossyMoves(earlier, first.files) : new Set<string>();
  const result = lossy.size > 0 ? exported(lossy) : first;
  const { documentsToYaml } = await import('../export/yaml.js');
  // A warning names live objects, whose names may be anything (an ESC, a line break): shown visibly.
  for (const w of result.warnings) ctx.info(`warning: ${visibleName(w)}`);
  // Everything goes inside --out: a folder there that is a link (guides/ to elsewhere) is refused
  // before anything is written (plan --dir would not follow it either), and so is a file where a
  // folder goes (a user's notes named summaries), which no write could pass.
  for (const folder of foldersOf([...result.files, ...result.texts].map((f) => f.path))) await refuseFolderInTheWay(dir, folder, flags.out);
  // A directory where a file goes cannot be replaced by it, nor a pipe (writing refuses one):
  // refused before anything is written, so a failed --force leaves no half-written export.
  if (existing.length > 0) await refuseNonFilesInTheWay(dir, [...result.files, ...result.texts].map((f) => f.path), flags.out);
  // Not mkdir's recursive mode: it spins forever on some unmakeable paths (see makeDirectories).
  await makeDirectories(dir);
  // A credential of this run held by the org (pasted into a prompt in the UI) is written masked,
  // like every other output: these files are meant for git. Said per file, by variable.
  const masked = (path: string, found: Set<string>): void => {
    if (found.size > 0) ctx.info(`warning: ${visibleName(join(flags.out, path))}: the live org holds the value of ${[...found].sort().join(', ')}; written as [redacted: …] (remove it from the org, and rotate that credential: it may have been shared)`);
  };
  // --force replaces a file of the same name whole: said per file, since what it held beyond the
  // org's objects (comments, a guide's budget) is not in the export. Not of a file that already
  // holds what is written, nor of an earlier export's YAML the org changed since: nothing beyond the org is lost.
  const replaced = async (path: string, content: string): Promise<void> => {
    if (existing.length === 0) return;
    const st = await lstat(join(dir, path)).catch(() => undefined);
    if (st === undefined) return;
    // Read only a regular file (a FIFO there would never answer; writing refuses it), once, and a
    // large one only when it may hold the same bytes. Read as the loader reads it: a Windows
    // checkout (git's autocrlf) or an editor gives an earlier export CRLF line ends or a byte order
    // mark, and replacing those loses nothing.
    const held = st.isFile() && st.size <= MAX_HELD_BYTES;
    if (held || (st.isFile() && st.size === Buffer.byteLength(content))) {
      const before = await readFile(join(dir, path), 'utf8').catch(() => undefined);
      if (before !== undefined && (before === content || (held && replacingLosesNothing(path, before, content)))) return;
    }
    ctx.info(`warning: ${visibleName(join(flags.out, path))} was there before and is replaced by the export (what it held beyond the org's objects, comments included, is not in it; git has the old file if it was committed)`);
  };
  // Heard while the files are written: the first interrupt lets the file being written finish (a
  // signal ending the process there left its temp file in --out), writes no more, and says what
  // is there; a second one exits at once, removing first the temp file of the file under way.
  let writing: string | undefined;
  const interrupt = new Interrupt(ctx, { again: `interrupted again: exiting now; the export in ${shownOut} is incomplete` }, () => removeTemp(writing));
  // Each file's text, masked, made when it is written: the YAML files, then the prompt texts they refer to.
  const writes: { path: string; text: (found: Set<string>) => string }[] = [
    // The tests a file held beside its objects (the user's, never the org's) kept after them, as they were.
    ...result.files.map((f) => ({ path: f.path, text: (found: Set<string>) => withTests(documentsToYaml(f.documents.map((d) => maskedForExport(ctx, d, found))), earlier?.tests.get(f.path) ?? NO_TESTS) })),
    ...result.texts.map((t) => ({ path: t.path, text: (found: Set<string>) => maskedForExport(ctx, t.text, found) })),
  ];
  // A file of a git checkout holding uncommitted changes is not replaced: git could not give them
  // back ("git has the old file" holds only for what was committed). Refused before anything is written.
  if (existing.length > 0) await refuseUncommitted(dir, ctx.env, writes, flags.out);
  // The line each written file's kept tests start at, by path relative to cwd: an error there is the user's, not the org's.
  const testsFrom = new Map<string, number>();
  const { files: done, unfinished } = await interrupt.during(async (signal) => {
    let files = 0;
    for (const w of writes) {
      if (signal.aborted) return { files };
      const found = new Set<string>();
      const text = w.text(found);
      const tests = earlier?.tests.get(w.path)?.tests ?? '';
      if (tests !== '') testsFrom.set(relative(ctx.cwd, join(dir, w.path)), text.slice(0, text.length - tests.length).split('\n').length);
      await replaced(w.path, text);
      try {
        await writeFileAtomic(join(dir, w.path), text, { onTemp: (tmp) => (writing = tmp) });
      } catch (err) {
        // Interrupted, and the file under way then failed (a full disk, no permission): the
        // interrupt's exit all the same (DESIGN §5), its failure said with what is left.
        if (signal.aborted) return { files, unfinished: `${visibleName(join(flags.out, w.path))} could not be finished: ${fsWords(err)}` };
        throw err;
      }
      masked(w.path, found);
      files++;
    }
    return { files };
  });
  if (interrupt.interrupted) return interruptedExport(ctx, done, writes.length, shownOut, `${environmentOptions(ctx, flags)}--out ${shellWord(flags.out)}`, unfinished);

  // What a killed write left (SIGKILL, a crash: no interrupt to remove it) is no one's file: removed, and said.
  for (const tmp of earlier?.temps ?? []) {
    await rm(join(dir, tmp), { force: true });
    ctx.info(`note: removed ${visibleName(join(flags.out, tmp))}, the temp file of a write that was killed before it finished`);
  }

  const written = new Set([...result.files, ...result.texts].map((f) => f.path));
  // Every YAML file plan --dir will read, in subfolders too (guides/, summaries/ of an earlier export),
  // and the text files they refer to (a deleted guide's .md), which plan reads with them; and a
  // text file that nothing refers to any more, which plan does not read but git would keep.
  const exportedAddresses = new Set(result.files.flatMap((f) => f.documents.flatMap((d) => documentAddressOf(d) ?? [])));
  const leftovers = earlier !== undefined ? leftoverFiles(earlier, written, exportedAddresses, new Set(result.keptAsIs)) : [];
  for (const l of leftovers) {
    const what = l.gone.length > 0 ? ` (it holds ${listed(l.gone)}, which this export does not write)` : '';
    const read = l.unreferenced
      ? `no document refers to it, so plan --dir ${shownOut} does not read it`
      : l.from === undefined
        ? `plan --dir ${shownOut} will read it too`
        : `${visibleName(join(flags.out, l.from))} refers to it, so plan --dir ${shownOut} reads it too`;
    ctx.info(`warning: ${visibleName(join(flags.out, l.path))} was there before and is not part of the export${visibleName(what)}; ${read}`);
  }

  // Every file that was there and is not the export's, those not named above (a Config, tests) too:
  // an error in one is that file's, not the org's.
  const theirs = [...new Set([...leftovers.map((l) => l.path), ...[...(earlier?.yaml.keys() ?? [])].filter((p) => !written.has(p))])];
  // With --env the note below says to copy promptctl.yaml whatever it changes: plan --env needs it.
  const { clash, findings, models } = await checkExport(ctx, flags.out, theirs.map((p) => relative(ctx.cwd, join(dir, p))), config, ctx.environment === undefined, testsFrom);

  const kinds = exportedKinds(result.counts, !unread.has('llmgateway'));
  ctx.info(`exported ${andList(kinds)} to ${shownOut} (${plural(result.files.length + result.texts.length, 'file')})`);
  // An org holding nothing at all is more often the wrong one (an --env, a region) than an empty
  // one. Not when a surface refused its listing, or objects were there and skipped (said above).
  const held = live.templates.length + live.filters.length + (live.guides?.length ?? 0) + (live.summarySettings?.length ?? 0);
  if (held === 0 && refused.length === 0) ctx.info('warning: the target holds nothing promptctl exports: is it the org you meant (see the target line)?');
  const n = result.unlabelled.length;
  if (n > 0) {
    const named = n <= 3 ? result.unlabelled.join(', ') : `${result.unlabelled.slice(0, 3).join(', ')} and ${n - 3} more`;
    ctx.info(
      `note: ${n} exported object${n === 1 ? ' is' : 's are'} not labelled managed-by: promptctl (${named}): ` +
        `prune leaves ${n === 1 ? 'it' : 'them'} alone, even once ${n === 1 ? 'its document is' : 'their documents are'} removed, until an apply changes ${n === 1 ? 'it' : 'them'} (and labels ${n === 1 ? 'it' : 'them'})`,
    );
  }
  const env = ctx.environment?.name;
  // Checked with the prompts directory's promptctl.yaml, which plan --dir OUT does not read: where
  // it changes what the check finds (a model it declares or overrides, a default), said, with why.
  const note = findings && configNote({ config: join(source, CONFIG_FILE), source, out: flags.out, models, findings });
  if (note !== undefined) ctx.info(note);
  if (env !== undefined) {
    // plan --env reads the environment from --dir's promptctl.yaml, which export does not write:
    // plan --dir OUT alone would compare the export with the default target, not this one.
    const config = join(source, CONFIG_FILE);
    const plan = `\`promptctl plan --env ${shellWord(env)} --dir ${shellWord(flags.out)}\``;
    // Exported into the prompts directory itself (--force), or again over an export the user copied
    // one into as told: its promptctl.yaml is there already.
    const there = resolve(ctx.cwd, source) === dir || existing.includes(CONFIG_FILE);
    const copy = there ? '' : `copy ${visibleName(config)} into ${shownOut} (export writes none), then `;
    ctx.info(`note: to compare the export with environment ${env}, ${copy}run ${plan}`);
  }
  if (clash) {
    // --force into a directory of the same documents in another layout: the export is whole, but
    // plan --dir cannot read the two together; a scheduled export must not pass on that.
    throw new UserError(
      `what export wrote clashes with files that were in ${shownOut} before (${clash}): export into an empty directory and move what you want into place, or remove those files; the export's own files are written`,
    );
  }
  return EXIT.ok;
}

/** `--env NAME ` and the --dir its environments were read from (when not the default), as a command to run again says them. */
function environmentOptions(ctx: CliContext, flags: ExportFlags): string {
  if (ctx.environment === undefined) return '';
  const dir = flags.dir !== undefined && flags.dir !== DEFAULT_DIR ? `--dir ${shellWord(flags.dir)} ` : '';
  return `--env ${shellWord(ctx.environment.name)} ${dir}`;
}

/** The temp file of a write under way, removed as the process ends at once (a failure to remove it must not keep it from ending). */
function removeTemp(tmp: string | undefined): void {
  if (tmp === undefined) return;
  try {
    rmSync(tmp, { force: true });
  } catch {
    // Left as it is: the process ends now all the same.
  }
}

/**
 * Interrupted while writing (DESIGN §4: exit 130): how many files are in --out, and how to finish
 * (`again`: the options that export the same org into the same directory).
 * Every file written is whole (each is written atomically); the export as a whole is not.
 */
function interruptedExport(ctx: CliContext, done: number, total: number, shownOut: string, again: string, unfinished?: string): number {
  const whole =
    done === total
      ? `all ${plural(total, 'file')} were written to ${shownOut} (not checked as plan --dir checks them)`
      : `${done} of ${plural(total, 'file')} written to ${shownOut}${unfinished ? `; ${unfinished}` : ''}; the export is incomplete: export again with ${again} --force to finish it`;
  ctx.info(`interrupted: ${whole}`);
  return EXIT.interrupted;
}

/** Why a file could not be written, in words: the file-system error's code and meaning, else its message. */
function fsWords(err: unknown): string {
  return isFsError(err) ? `${err.code} ${describeFsError(err)}` : oneLine(messageOf(err));
}

/**
 * The errors that involve files which were in the directory before (`before`, relative to cwd as
 * diagnostics name files): in one, or naming one at its place (a duplicate's other place, "…at
 * prompts/a.yaml:4:9"), or in the tests a written file kept (`testsFrom`: the line they start at,
 * by file). Those are the directory's, not the org's. With the files they involve.
 */
export function clashWith(errors: readonly Diagnostic[], before: readonly string[], testsFrom: ReadonlyMap<string, number> = new Map()): { theirs: Diagnostic[]; files: string[] } {
  const places = before.map((f) => ({ f, at: new RegExp(`(?:^|[\\s(])${regexLiteral(f)}:\\d`) }));
  const inTests = (d: Diagnostic) => d.line >= (testsFrom.get(d.file) ?? Infinity);
  const involved = (d: Diagnostic) => [...places.filter((p) => d.file === p.f || p.at.test(d.message)).map((p) => p.f), ...(inTests(d) ? [d.file] : [])];
  const theirs = errors.filter((d) => involved(d).length > 0);
  return { theirs, files: [...new Set(theirs.flatMap(involved))] };
}

/**
 * The export checked as plan --dir will check it: what the org holds that git cannot take as it is
 * (a limit the schema sets lower than the server, a variable the instruction never uses, a model
 * the registry does not know) is named at its file, line and column now, not first by the plan.
 * The files stay written: the user settles each one (edit it, or remove the document).
 * `before`: the YAML files that were in the directory and not written, relative to cwd; `testsFrom`:
 * where the tests a written file kept start (clashWith). `config`:
 * the prompts directory's promptctl.yaml, read as the export's when it holds none (the models it
 * declares: without it a custom model is "unknown", and "edit that document" the wrong advice),
 * named where it is (its own errors were refused before the export).
 * `compare`: check it without `config` too, as plan --dir OUT will, and return how the two differ
 * (`findings`) and the models the export uses that `config` declares.
 * Returns what clashes with them, if anything.
 */
async function checkExport(
  ctx: CliContext,
  out: string,
  before: readonly string[],
  config: { text: string; file: string } | undefined,
  compare: boolean,
  testsFrom: ReadonlyMap<string, number>,
): Promise<{ clash: string | undefined; findings?: ConfigFindings; models: { declares: string[]; overrides: string[] } }> {
  const { loadProject } = await import('../load/index.js');
  const { formatText } = await import('../views/diagnostics.js');
  const { BUILT_IN_MODELS } = await import('../tokens/registry.js');
  const load = (fallback: { text: string; file: string } | undefined) =>
    loadProject({
      dir: out,
      cwd: ctx.cwd,
      tokenMemo: ctx.tokenMemo,
      knownSecrets: ctx.knownSecrets,
      secretOf: ctx.secretOf,
      ...(fallback !== undefined ? { configFallback: fallback } : {}),
    });
  const { diagnostics, state } = await load(config);
  const declared = config !== undefined ? Object.keys(state?.config.models ?? {}) : [];
  const used = new Set([...(state?.templates ?? []), ...(state?.versions ?? [])].flatMap((d) => d.model ?? []));
  const models = configModels(declared, used, BUILT_IN_MODELS);
  // The second check is plan --dir OUT's own: the token counts are memoised, so it mostly parses again.
  const findings = config !== undefined && compare ? configFindings(diagnostics, (await load(undefined)).diagnostics, config.file) : undefined;
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return { clash: undefined, ...(findings ? { findings } : {}), models };
  for (const d of errors) ctx.info(formatText(d));
  const { theirs, files } = clashWith(errors, before, testsFrom);
  const orgs = errors.length - theirs.length;
  if (orgs > 0) {
    const count = theirs.length > 0 ? `${orgs} of the ${errors.length} errors above` : `${orgs} error${orgs === 1 ? '' : 's'} above`;
    ctx.info(
      `warning: the export does not validate (${count}): ` +
        `the org holds ${orgs === 1 ? 'something' : 'things'} git cannot take as ${orgs === 1 ? 'it is' : 'they are'}; ` +
        `edit ${orgs === 1 ? 'that document until it validates' : 'those documents until they validate'} before plan --dir ${visibleName(out)}, ` +
        `or remove ${orgs === 1 ? 'it' : 'them'} before you commit (a guide or summary setting whose document was ever committed is promptctl's: removing the document later deletes it live with prune)`,
    );
  }
  const rest = { ...(findings ? { findings } : {}), models };
  if (theirs.length === 0) return { clash: undefined, ...rest };
  const list = files.length <= 3 ? files.join(', ') : `${files.slice(0, 3).join(', ')} and ${files.length - 3} more`;
  return { clash: `${theirs.length} of the ${errors.length} error${errors.length === 1 ? '' : 's'} above involve ${visibleName(list)}`, ...rest };
}

/**
 * The live state to export. A surface the org does not serve (404) is noted; one it refuses to list
 * (a 403 to a client without its rights, a 5xx where the feature is off) is left out with a warning,
 * as plan leaves it out when git does not use it: a gateway-only team needs no AI Studio rights to
 * adopt promptctl, nor a team of summary settings an org with guides switched on (each surface
 * apart: targets/live.ts). Only when no surface could be read does export fail.
 */
/** The live state, and the surfaces that refused to be listed (said as warnings). */
async function readExportable(ctx: CliContext, target: Pick<OpenTarget, 'api' | 'aistudio'>): Promise<{ live: LiveState; refused: Surface[] }> {
  const { live, failed } = await readSettled({ gateway: target.api, aistudio: target.aistudio });
  await noteUnavailable(ctx, live);
  // The surfaces the target serves (answered anything but 404): export fails only when all refused.
  const served = SURFACES.length - (live.unavailable?.length ?? 0);
  if (failed[0] && failed.length >= served) {
    // Nothing could be read (a real org serves AI Studio alone: a client without its rights): what
    // each refusal needs first, as plan says it, then the call's own error.
    for (const f of failed) {
      const read = refusedRead(f);
      ctx.info(`note: the target refused to ${read.verb} its ${read.objects} (${statusOf(f.error)}): ${exportAdvice(f.error, read.right, '')}`);
    }
    throw failed[0].error;
  }
  for (const f of failed) {
    const read = refusedRead(f);
    ctx.info(
      `warning: the target refused to ${read.verb} its ${read.objects} (${statusOf(f.error)}): ` +
        `no ${surfaceKinds(f.surface).join(' or ')} documents were exported; ${exportAdvice(f.error, read.right, ' to include them')}`,
    );
  }
  return { live, refused: failed.map((f) => f.surface) };
}

/** How many times export reads the org whole while it changes under each read, before it gives up. */
export const MAX_EXPORT_READS = 3;

/**
 * The org read whole, kept once a read of its listings made right after it holds the same objects
 * under the same names (targets/listed.ts): a read torn by a delete and a create between two pages
 * passes every check of one read, and its files would hold the deleted object and lack a live one,
 * which plan --dir --prune then deletes. Plan, apply and drift read once: a torn read there fails
 * at apply, safely, and their reads are the hot path.
 */
async function readSettled(t: Targets): Promise<{ live: LiveState; failed: SurfaceFailure[] }> {
  for (let read = 1; ; read++) {
    const parts = await readLiveParts(t);
    const held = listingsHeld(parts.live, parts.failed.map((f) => f.surface));
    const apart = listingsApart(listedIn(parts.live, held), await readListed(t, held));
    if (apart.length === 0) return parts;
    if (read >= MAX_EXPORT_READS) {
      throw new UserError(
        `the org changed while it was exported: its ${apart.map((n) => LISTING_NOUNS[n]).join(' and ')} listed other objects right after each of ${read} reads of it (another apply or a person is changing it); nothing was written; run again`,
      );
    }
  }
}

/**
 * The kinds the count line names: the gateway's where the gateway was read (a real org serves AI
 * Studio alone, and its "0 templates" would name what it cannot hold); AI Studio's where it exported
 * some, or where nothing else was read (an org with no guides says so, not nothing).
 */
function exportedKinds(c: ExportResult['counts'], gatewayRead: boolean): string[] {
  const kinds = gatewayRead ? [plural(c.templates, 'template'), plural(c.versions, 'version'), plural(c.splits, 'traffic split'), plural(c.filters, 'safety filter')] : [];
  if (c.guides + c.summarySettings > 0 || !gatewayRead) kinds.push(plural(c.guides, 'guide'), plural(c.summarySettings, 'summary setting'));
  return kinds;
}

/**
 * What would let export read a refused surface (`right`: what lists, or reads, it, where the
 * platform names one), and `goal` (" to include them"): a 403 is the OAuth client's rights, named;
 * a 5xx is how an org answers where the feature is switched off, which no right changes.
 */
function exportAdvice(error: unknown, right: string | undefined, goal: string): string {
  const status = (error as { status?: number }).status;
  if (status === 403) return `give the OAuth client ${right ?? 'the rights to read them'}, and export again${goal}`;
  // A 502/503/504 was retried until the retries were used up: not a failure of one moment.
  if (status !== undefined && isRetriedServerError(status)) return `it failed on every attempt: its service may be down for now (export again later${goal}), or the feature is switched off in this org (switch it on)`;
  if (status !== undefined && status >= 500) return `an org answers so where the feature is switched off (or its server failed this once): switch it on, or export again later${goal}`;
  return `export again with a client that has the rights${goal}`;
}

/** `value` with every string value in it masked (ctx.mask), never a key (a field name YAML readers parse by); the names of the secrets found go into `found`. */
function maskedForExport<T>(ctx: CliContext, value: T, found: Set<string>): T {
  return maskStrings(value, (v) => {
    const m = ctx.mask(v);
    // By the masks written, not by the values found as they are: one the org holds only encoded
    // (URL-encoded, in base64) is masked too, and the file then differs from the org as much.
    // Counted, so that a mask the org's text already held does not hide one written beside it.
    if (m !== v) for (const name of maskedNames(m)) if (m.split(maskFor(name)).length > v.split(maskFor(name)).length) found.add(name);
    return m;
  });
}
