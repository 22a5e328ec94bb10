// What an earlier export left in --out, for `export --force` over it, read once: the file that already holds
// each guide's and summary setting's document, and a template's, guide's or summary setting's file the
// user moved or renamed (written there again, the latter where nothing in it would be lost), a guide's instruction the user
// renamed in letter case alone (written there again, not beside it), every file holding documents
// and each .md of the user's among the guides (never given to another object), the files left from
// before that plan --dir still reads and the text files a document referred to (git history says
// which, for one whose YAML is gone; a file nothing ever referred to is the user's, not named), the
// temp files of a killed write (removed, beside a template's long texts too), and the files git could not give back (uncommitted
// changes, untracked content: never replaced); and whether a YAML file replaced held only what
// export writes for objects the org has changed since (nothing beyond the org is lost); and the
// `publish` each guide's document there says (the version a re-export keeps: export/documents.ts).
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { discoverYamlFiles } from '../config/discover.js';
import { documentAddressOf } from '../config/document-addresses.js';
import { GUIDES_DIR, SUMMARIES_DIR, type ExportDocument } from '../export/documents.js';
import { documentsToYaml } from '../export/yaml.js';
import { NO_TESTS, partTests, withTests, type KeptTests } from '../export/kept-tests.js';
import { UserError } from '../util/errors.js';
import { tempOf } from '../util/atomic-file.js';
import { visibleName } from '../util/escapes.js';
import { lenientDocuments } from '../util/lenient-yaml.js';
import { normalizeText } from '../model/text.js';
import { parseAddress, templateAddress } from '../model/address.js';
import type { GuidePublishState } from '../model/types.js';
import type { RunEnv } from '../git/environment.js';

/**
 * What was in --out before the export, read once, before anything is written: every decision of a
 * re-export (which file holds which object, what is left over) is made from this one reading, so a
 * file changed meanwhile cannot be one thing to one decision and another to the next.
 */
export interface Earlier {
  /** Each YAML file plan --dir reads ('/'-separated, sorted), with its documents (undefined: unreadable, see documentsIn). */
  yaml: ReadonlyMap<string, unknown[] | undefined>;
  /**
   * The text files there that a document refers to ({file:}), or referred to once: each one a YAML
   * file there refers to, and each .md directly under guides/ (where export writes guides'
   * instructions) that a committed YAML file referred to (its guide's YAML removed since). One
   * nothing refers to after the export is left over. A file nothing ever referred to (a README
   * kept among the guides, notes) is the user's, and not among them.
   */
  texts: ReadonlySet<string>;
  /** The .md files directly under guides/ that no document refers to or ever referred to: the user's, never written over. */
  theirs: ReadonlySet<string>;
  /**
   * Each reference to a .md directly under guides/ that names no file there but one in another
   * letter case (the user renamed a guide's instruction, Returns.md, and not its reference): that
   * file, the same one where names ignore case (macOS, Windows). Not the user's: written there again.
   */
  inCase: ReadonlyMap<string, string>;
  /**
   * The temp files a write killed midway left (an export, or promote, ended by SIGKILL or a crash:
   * util/atomic-file.ts names them `<file>.<pid>.<8 hex>.tmp`), where export writes, their process gone.
   */
  temps: readonly string[];
  /**
   * Each template whose documents (itself, its versions, its split) are all in one file, and alone
   * there, other than the one export names after it, and each guide or summary setting whose document
   * is alone in a file other than a .yaml directly under guides/ or summaries/ (an export's file the
   * user moved into a folder or renamed): that file and its text, by the object's address.
   */
  moved: ReadonlyMap<string, { path: string; text: string }>;
  /**
   * The tests (PromptTest documents) each YAML file holds, as written (export/kept-tests.ts): a
   * re-export that writes the file keeps them after the objects' documents. Tests are never in the
   * org, so a file holding one beside an object's documents is still that object's to write.
   */
  tests: ReadonlyMap<string, KeptTests>;
}

/** Reads what an earlier export (or the user) left in --out: see Earlier. `env`: the run's, which places the repository git reads. */
export async function readEarlier(dir: string, env: RunEnv): Promise<Earlier> {
  const yaml = new Map<string, unknown[] | undefined>();
  const yamlTexts = new Map<string, string>();
  const tests = new Map<string, KeptTests>();
  for (const path of (await discoverYamlFiles(dir)).files) {
    const read = await documentsIn(dir, path);
    yaml.set(path, read?.docs);
    if (read !== undefined) yamlTexts.set(path, read.text);
    if (read?.docs.some(isTest)) {
      const { header, tests: kept } = partTests(read.text);
      tests.set(path, { header, tests: kept });
    }
  }
  const refs = new Set([...yaml.values()].flatMap((docs) => (docs ?? []).flatMap(textRefs)));
  const texts = new Set<string>();
  for (const ref of [...refs].sort()) if (await lstat(join(dir, ref)).catch(() => undefined)) texts.add(ref);
  const instructions = await instructionFiles(dir);
  const inCase = referredInCase(refs, texts, instructions);
  for (const path of inCase.values()) texts.add(path);
  // Those no YAML there refers to now: export's own only if git saw a YAML refer to one (outside
  // git nothing tells them from the user's, which are then left alone without a word).
  const renamed = new Set(inCase.values());
  const unnamed = instructions.filter((path) => !refs.has(path) && !renamed.has(path));
  const once = unnamed.length > 0 ? await (await import('../git/ever-referred.js')).everReferred(dir, env, unnamed) : new Set<string>();
  for (const path of once) texts.add(path);
  // A template's long texts go in a folder of their own (export/documents.ts): its killed writes too.
  const textFolders = [...new Set([...texts].map((path) => posix.dirname(path)))];
  return { yaml, texts, theirs: new Set(unnamed.filter((path) => !once.has(path))), inCase, temps: await killedWrites(dir, textFolders), moved: movedObjects(yaml, yamlTexts), tests };
}

/**
 * Earlier.inCase: of the references to a .md under guides/ that name no file (`refs` not among
 * `found`), each one that names a single one of `instructions` in another letter case, which no
 * reference names itself.
 */
function referredInCase(refs: ReadonlySet<string>, found: ReadonlySet<string>, instructions: readonly string[]): Map<string, string> {
  const inCase = new Map<string, string>();
  for (const ref of refs) {
    if (found.has(ref) || !/^guides\/[^/]+\.md$/.test(ref)) continue;
    const twins = instructions.filter((path) => path.toLowerCase() === ref.toLowerCase() && !refs.has(path));
    if (twins.length === 1) inCase.set(ref, twins[0]!);
  }
  return inCase;
}

/** A YAML or Markdown file, whose temp files (util/atomic-file.ts tempOf) a killed export left. */
const WRITTEN_FILE = /\.(?:ya?ml|md)$/;

/** Earlier.temps: at the top of --out, under guides/ and summaries/, and in `textFolders` (the folders of texts referred to; '/'-separated, sorted). */
async function killedWrites(dir: string, textFolders: readonly string[] = []): Promise<string[]> {
  const { isAlive } = await import('../util/process.js');
  const out: string[] = [];
  for (const folder of new Set(['', GUIDES_DIR, SUMMARIES_DIR, ...textFolders.map((f) => (f === '.' ? '' : f))])) {
    const entries = await readdir(join(dir, folder), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const temp = e.isFile() ? tempOf(e.name) : undefined;
      // A process still running may be writing it now (another export into the same directory).
      if (temp !== undefined && WRITTEN_FILE.test(temp.file) && !isAlive(temp.pid)) out.push(folder === '' ? e.name : `${folder}/${e.name}`);
    }
  }
  return out.sort();
}

/**
 * With --force over an earlier export: the file that holds each guide's or summary setting's
 * document alone, directly under guides/ or summaries/ or where the user moved it, and each
 * template's file the user moved, by address, so that the re-export writes it there again
 * (`held`), and the file its instruction is written to (`heldTexts`); every file at the top or under guides/ or summaries/ that
 * holds documents, with what it holds, each text file a YAML file refers to, and each .md of the
 * user's under guides/, holding nothing export reads (`before`): none of those is given to another
 * object. `notMoved`: the objects whose moved file export would write with something lost: a
 * template's is named afresh, a guide's or summary setting's file is kept as it is and the object
 * not exported (`keptAsIs`), which would otherwise be defined twice.
 */
export function filesBefore(
  earlier: Earlier,
  notMoved: ReadonlySet<string>,
): { held: Map<string, string>; before: Map<string, string[]>; heldTexts: Map<string, string>; keptAsIs: Map<string, string>; heldPublish: Map<string, GuidePublishState | undefined> } {
  const held = new Map<string, string>();
  const heldTexts = new Map<string, string>();
  const before = new Map<string, string[]>();
  const keptAsIs = new Map<string, string>();
  const folders = new Set([GUIDES_DIR, SUMMARIES_DIR]);
  const referred = new Map<string, number>();
  for (const [path, docs] of earlier.yaml) {
    if (docs === undefined || docs.length === 0) continue;
    const holds = docs.map(describeDocument);
    const parts = path.split('/');
    const listed = parts.length === 1 || (parts.length === 2 && folders.has(parts[0]!));
    if (listed) before.set(path, holds);
    // A text file any YAML file refers to is taken (a moved guide's instruction left under guides/ too).
    for (const ref of docs.flatMap(textRefs)) {
      referred.set(ref, (referred.get(ref) ?? 0) + 1);
      if (!before.has(ref)) before.set(ref, holds.map((h) => `the text of ${h}`));
    }
    if (!listed) continue;
    // Alone but for tests (kept when it is written: Earlier.tests): a file that holds another object too is not one to replace.
    // A template's file is named after it (its name is a file name), so none is held at the top.
    const objects = docs.filter((d) => !isTest(d));
    const defined = objects.length === 1 ? documentAddressOf(objects[0]) : undefined;
    if (defined === undefined || held.has(defined) || !inItsFolder(defined, path)) continue;
    held.set(defined, path);
    // A guide's instruction file, where export writes them: a .md directly under guides/.
    const text = textRefs(objects[0]).find((r) => /^guides\/[^/]+\.md$/.test(r));
    if (text !== undefined) heldTexts.set(defined, earlier.inCase.get(text) ?? text);
  }
  // The user's own .md among the guides (notes.md): a new guide whose name makes it is numbered past it, as past a YAML file there.
  for (const path of earlier.theirs) if (!before.has(path)) before.set(path, []);
  // A file moved or renamed by the user: written there again (not once more where export names it,
  // beside it, which plan refuses as each object defined twice), unless that would lose something (`notMoved`).
  for (const [address, { path }] of earlier.moved) {
    if (held.has(address)) continue;
    if (notMoved.has(address)) {
      if (!address.startsWith('PromptTemplate/')) keptAsIs.set(address, path);
      continue;
    }
    held.set(address, path);
    // A moved guide's instruction goes where its YAML refers to, wherever that is, when no other document refers to it.
    const text = textRefs(earlier.yaml.get(path)?.find((d) => !isTest(d)))[0];
    if (text !== undefined && referred.get(text) === 1) heldTexts.set(address, earlier.inCase.get(text) ?? text);
  }
  return { held, before, heldTexts, keptAsIs, heldPublish: guidesPublish(earlier) };
}

/**
 * FileNaming.heldPublish: each guide whose document is in --out once (defined twice, plan refuses
 * it), by address, with the `publish` it says (undefined: none, or no state a guide can reach).
 */
function guidesPublish(earlier: Earlier): Map<string, GuidePublishState | undefined> {
  const out = new Map<string, GuidePublishState | undefined>();
  const twice = new Set<string>();
  for (const docs of earlier.yaml.values()) {
    for (const doc of docs ?? []) {
      const address = documentAddressOf(doc);
      if (address === undefined || !address.startsWith('Guide/')) continue;
      if (out.has(address)) twice.add(address);
      const publish = (doc as { spec?: { publish?: unknown } }).spec?.publish;
      out.set(address, typeof publish === 'string' && PUBLISH_STATES.has(publish) ? (publish as GuidePublishState) : undefined);
    }
  }
  for (const address of twice) out.delete(address);
  return out;
}

const PUBLISH_STATES: ReadonlySet<string> = new Set<GuidePublishState>(['ProductionReady', 'TestReady', 'Draft']);

/** Whether `path` is a .yaml file directly in the folder export writes objects of the kind of `address` to (guides/, summaries/). */
function inItsFolder(address: string, path: string): boolean {
  const folder = address.startsWith('Guide/') ? GUIDES_DIR : address.startsWith('SummarySetting/') ? SUMMARIES_DIR : undefined;
  return folder !== undefined && /^[^/]+\.yaml$/.test(path.slice(folder.length + 1)) && path.startsWith(`${folder}/`);
}

/**
 * The documents of a YAML file under --out, read leniently; undefined when it is not a regular file
 * of at most MAX_HELD_BYTES (a FIFO would never answer) or cannot be read.
 */
async function documentsIn(dir: string, path: string): Promise<{ docs: unknown[]; text: string } | undefined> {
  const st = await lstat(join(dir, path)).catch(() => undefined);
  if (!st?.isFile() || st.size > MAX_HELD_BYTES) return undefined;
  const text = await readFile(join(dir, path), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : { docs: lenientDocuments(text).filter((d) => d !== null && d !== undefined), text };
}

/** Earlier.moved, from every YAML file's documents and text. */
function movedObjects(yaml: ReadonlyMap<string, unknown[] | undefined>, texts: ReadonlyMap<string, string>): Map<string, { path: string; text: string }> {
  const spread = new Map<string, Set<string>>();
  const alone = new Map<string, string>();
  for (const [path, docs] of yaml) {
    // Tests beside them do not make the file another's (kept when it is written: Earlier.tests).
    const owners = (docs ?? []).filter((d) => !isTest(d)).map(ownerOf);
    for (const owner of owners) if (owner !== undefined) spread.set(owner, (spread.get(owner) ?? new Set()).add(path));
    const owner = owners[0];
    if (owner === undefined || owners.some((o) => o !== owner) || !docs!.some((d) => documentAddressOf(d) === owner)) continue;
    // Where export names it: not moved.
    const name = parseAddress(owner)!.name;
    if (owner.startsWith('PromptTemplate/') ? path === `${name}.yaml` : inItsFolder(owner, path)) continue;
    alone.set(owner, path);
  }
  const moved = new Map<string, { path: string; text: string }>();
  for (const [owner, path] of alone) if (spread.get(owner)!.size === 1) moved.set(owner, { path, text: texts.get(path)! });
  return moved;
}

/** The object a document belongs to, by address: its template (a PromptTemplate, or a version or split of one), or the guide or summary setting it is. */
function ownerOf(doc: unknown): string | undefined {
  const address = documentAddressOf(doc);
  const a = address === undefined ? undefined : parseAddress(address);
  if (a === undefined) return undefined;
  if (a.kind === 'PromptTemplate' || a.kind === 'PromptVersion' || a.kind === 'TrafficSplit') return templateAddress(a.name);
  return a.kind === 'Guide' || a.kind === 'SummarySetting' ? address : undefined;
}

/**
 * Of Earlier.moved, the objects whose file the export (`files`) would write with something lost:
 * a file not exactly as export writes it (comments, {file:} texts, the user's layout: the prompts
 * directory itself), with a field export does not write, or referring to another text file than
 * export would (a guide's instruction shared with another document). Those are not written over:
 * the template goes where export names it, as before a move (a file renamed in letter case alone is
 * where export names it, the same file where names ignore case: replaced as a file of that name is,
 * export/file-names.ts inTheirCase); a guide or summary setting is not exported (filesBefore keptAsIs).
 */
export function lossyMoves(earlier: Earlier, files: readonly { path: string; documents: ExportDocument[] }[]): Set<string> {
  const lossy = new Set<string>();
  for (const [address, { path, text }] of earlier.moved) {
    const f = files.find((file) => file.path === path);
    if (f === undefined) continue;
    const sameTexts = lenientDocuments(text).flatMap(textRefs).join('\n') === f.documents.flatMap(textRefs).join('\n');
    if (!sameTexts || !onlyTheOrgsChanged(text, withTests(documentsToYaml(f.documents), earlier.tests.get(path) ?? NO_TESTS))) lossy.add(address);
  }
  return lossy;
}

/** A document as a warning names it: its address, else kind/name (a PromptTest), else its kind. */
function describeDocument(doc: unknown): string {
  const address = documentAddressOf(doc);
  if (address !== undefined) return address;
  const d = doc as { kind?: unknown; metadata?: { name?: unknown } };
  const kind = typeof d?.kind === 'string' ? d.kind : 'a document';
  return typeof d?.metadata?.name === 'string' ? `${kind}/${d.metadata.name}` : kind;
}

/** The `{file: ...}` prompt texts a document refers to, relative to --out ('/'-separated); those that lead out of it are left out. */
function textRefs(doc: unknown): string[] {
  const spec = (doc as { spec?: unknown })?.spec;
  if (typeof spec !== 'object' || spec === null) return [];
  return Object.values(spec as Record<string, unknown>).flatMap((v) => {
    const ref = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as { file?: unknown }).file : undefined;
    if (typeof ref !== 'string' || ref.includes('\0') || posix.isAbsolute(ref)) return [];
    const path = posix.normalize(ref);
    return path === '..' || path.startsWith('../') || path === '.' ? [] : [path];
  });
}

/**
 * A file that was in --out before and is not written (`from`: the leftover YAML that refers to it;
 * `unreferenced`: a text file that no document refers to any more, which plan does not read);
 * `gone`: what it holds that the export does not.
 */
export interface Leftover {
  path: string;
  from?: string;
  unreferenced?: true;
  gone: string[];
}

/**
 * The files a re-export leaves from before: every YAML file not written (but one holding only a
 * Config or tests, and a moved file kept as it is, `keptAsIs`, with the texts it refers to), and each text file one of
 * them refers to ({file:}, a deleted guide's .md) that is there and not written, which plan --dir
 * reads; and each text file that nothing refers to any more (a .md under guides/ whose guide's YAML
 * was removed, one a YAML the export rewrote referred to), which plan does not read but git would keep.
 */
export function leftoverFiles(earlier: Earlier, written: ReadonlySet<string>, exported: ReadonlySet<string>, keptAsIs: ReadonlySet<string> = new Set()): Leftover[] {
  const out: Leftover[] = [];
  const named = new Set<string>();
  for (const [path, read] of earlier.yaml) {
    if (written.has(path)) continue;
    const docs = read ?? [];
    // A moved file kept as it is (`keptAsIs`), its object not exported, is said so already, with the texts it refers to.
    if (keptAsIs.has(path)) {
      for (const ref of docs.flatMap(textRefs)) named.add(ref);
      continue;
    }
    const gone = docs.flatMap((d) => documentAddressOf(d) ?? []).filter((a) => !exported.has(a));
    // Not a file of the user's that holds no object an org has (the Config export --env says to
    // copy in, tests): no export writes one, and the check of the export still reads it.
    if (docs.length === 0 || !docs.every(neverLive)) out.push({ path, gone });
    for (const ref of docs.flatMap(textRefs)) {
      if (written.has(ref) || named.has(ref) || !earlier.texts.has(ref)) continue;
      named.add(ref);
      out.push({ path: ref, from: path, gone: [] });
    }
  }
  // (A YAML file among them is named above already.)
  for (const path of [...earlier.texts].sort()) if (!written.has(path) && !named.has(path) && !earlier.yaml.has(path)) out.push({ path, unreferenced: true, gone: [] });
  return out;
}

/** The .md files directly under guides/, where export writes guides' instructions ('/'-separated, sorted). */
async function instructionFiles(dir: string): Promise<string[]> {
  const entries = await readdir(join(dir, GUIDES_DIR), { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name.endsWith('.md')).map((e) => `${GUIDES_DIR}/${e.name}`).sort();
}

/** A test (PromptTest): the user's, never in the org; a re-export keeps it where it is. */
function isTest(doc: unknown): boolean {
  return (doc as { kind?: unknown } | null)?.kind === 'PromptTest';
}

/** Kinds of document that are never objects of an org: the Config, and tests (run by `test`, never applied). */
const NEVER_LIVE = new Set(['Config', 'PromptTest']);

export function neverLive(doc: unknown): boolean {
  const kind = (doc as { kind?: unknown } | null)?.kind;
  return typeof kind === 'string' && NEVER_LIVE.has(kind);
}

/** Up to three items, then how many more. */
export function listed(items: readonly string[]): string {
  return items.length <= 3 ? items.join(', ') : `${items.slice(0, 3).join(', ')} and ${items.length - 3} more`;
}

/** A guide's or summary setting's YAML file is far smaller (its instruction is in a .md beside it). */
export const MAX_HELD_BYTES = 4 * 1024 * 1024;

/**
 * Refuses an export that would replace, with other content, what git could not give back: a file
 * git tracks whose changes are not committed, or one in a work tree that git does not hold at all
 * (untracked, not ignored), unless that is an earlier export's own YAML (onlyTheOrgsChanged: the
 * same check that spares it the warning), so exporting twice before the first commit still works.
 * `writes`: each file's path (relative to --out) and its text as it will be written.
 */
export async function refuseUncommitted(dir: string, env: RunEnv, writes: readonly { path: string; text: (found: Set<string>) => string }[], out: string): Promise<void> {
  const there = [];
  for (const w of writes) if ((await lstat(join(dir, w.path)).catch(() => undefined))?.isFile()) there.push(w);
  const { unrecoverableAmong } = await import('../git/last-change.js');
  // Asked in --out itself: it may lie in another repository than the working directory, or in none.
  const unrecoverable = await unrecoverableAmong(dir, env, there.map((w) => w.path));
  const dirty = new Set(unrecoverable.uncommitted);
  const untracked = new Set(unrecoverable.untracked);
  const changes: string[] = [];
  const unheld: string[] = [];
  for (const w of there) {
    if (!dirty.has(w.path) && !untracked.has(w.path)) continue;
    const now = await readFile(join(dir, w.path)).catch(() => undefined);
    const text = w.text(new Set());
    if (now?.equals(Buffer.from(text))) continue;
    // Read as the loader reads it: CRLF line ends or a byte order mark (an editor's, a copy of a
    // Windows checkout's) are not content, and replacing them loses nothing, as export's warning holds.
    const held = now !== undefined && now.length <= MAX_HELD_BYTES ? now.toString('utf8') : undefined;
    if (held !== undefined && normalizeText(held) === text) continue;
    if (dirty.has(w.path)) {
      changes.push(w.path);
      continue;
    }
    // A guide's instruction (.md) cannot be told from one edited by hand: the org keeps no earlier text to compare.
    if (held !== undefined && replacingLosesNothing(w.path, held, text)) continue;
    unheld.push(w.path);
  }
  if (changes.length === 0 && unheld.length === 0) return;
  const said: string[] = [];
  if (changes.length > 0) said.push(`${namedFiles(changes, out)} ${changes.length === 1 ? 'holds' : 'hold'} uncommitted changes that export --force would replace with the org's content, and git could not give them back: commit or stash them (git stash) first, or discard them (git checkout -- FILE)`);
  if (unheld.length > 0) {
    const one = unheld.length === 1;
    said.push(
      `${namedFiles(unheld, out)} ${one ? 'is' : 'are'} not in git (untracked) and ${one ? 'holds' : 'hold'} other content than export writes there, which export --force would replace for good: ` +
        `commit ${one ? 'it' : 'them'} first (git add, git commit), or remove ${one ? 'it' : 'them'} if ${one ? 'it is' : 'they are'} only an earlier export's output`,
    );
  }
  throw new UserError(`${said.join('; and ')}; nothing was written`);
}

/** The files as messages name them (under --out): up to three, then how many more. */
function namedFiles(paths: readonly string[], out: string): string {
  return listed(paths.map((p) => visibleName(join(out, p))));
}

/**
 * Whether a file at `path` (relative to --out) holding `held` may be replaced by `content`, as
 * export writes it, losing nothing beyond the org's objects: the same text as the loader reads
 * both (CRLF line ends, a byte order mark), or, for YAML, an earlier export's own the org changed
 * since (onlyTheOrgsChanged). The replace warning and the untracked-file refusal ask the same.
 */
export function replacingLosesNothing(path: string, held: string, content: string): boolean {
  return normalizeText(held) === normalizeText(content) || (path.endsWith('.yaml') && onlyTheOrgsChanged(held, content));
}

/**
 * Whether replacing YAML file `before` with `after` (both as export writes them) loses nothing
 * beyond the org's objects: `before` is exactly what export writes for the documents it holds (no
 * comment, no layout of the user's), and every field it holds is still there in `after` (a
 * field git keeps and export does not write, added by hand, is not). An earlier export of an
 * org that has changed since is then refreshed, its changes the org's own. The user's tests in it
 * (export/kept-tests.ts) are asked only to be in `after` as they were.
 */
export function onlyTheOrgsChanged(before: string, after: string): boolean {
  try {
    // `before` as the loader reads it: an earlier export checked out with CRLF line ends (git's
    // autocrlf) or given a byte order mark is still exactly what export wrote.
    const parted = partTests(normalizeText(before));
    const next = partTests(after);
    if (parted.tests !== normalizeText(next.tests)) return false;
    const was = parted.rest;
    const old = lenientDocuments(was);
    const fresh = lenientDocuments(next.rest);
    if (old.length === 0 || documentsToYaml(old as ExportDocument[]) !== was) return false;
    return old.every((doc) => {
      const address = documentAddressOf(doc);
      return address !== undefined && fresh.some((n) => documentAddressOf(n) === address && fieldsWithin(doc, n));
    });
  } catch {
    // Not read as export writes it: said as replaced, as any other file.
    return false;
  }
}

/** Every field (and list item) of `a`, at any depth, is in `b` too; their values may differ. */
function fieldsWithin(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length <= b.length && a.every((x, i) => fieldsWithin(x, b[i]));
  if (typeof a !== 'object' || a === null) return true;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) return false;
  return Object.entries(a).every(([k, v]) => Object.hasOwn(b, k) && fieldsWithin(v, (b as Record<string, unknown>)[k]));
}
