// How export names the files it writes after the objects they hold: a template's name made safe,
// a free-text Genesys name as a slug (accents folded, Windows device names numbered), never a name
// another file of the export or of an earlier one (its objects', the user's) has, never one that
// spells a secret. Pure: what an earlier export left is given (FileNaming), not read.
import { parseAddress } from '../model/address.js';
import type { GuidePublishState } from '../model/types.js';
import type { TextLimits } from './documents.js';

/** Where guides (a YAML and its instruction's .md each) and summary settings go. */
export const GUIDES_DIR = 'guides';
export const SUMMARIES_DIR = 'summaries';

/** `<name>.yaml`, made safe as a file name and never clashing with another file. */
export function uniqueFileName(name: string, used: Set<string>, taken: (file: string) => boolean = () => false): string {
  const base = fileBase(name);
  let candidate = `${base}.yaml`;
  for (let n = 2; used.has(candidate.toLowerCase()) || WINDOWS_DEVICE.test(candidate) || taken(candidate); n += 1) candidate = `${base}-${n}.yaml`;
  used.add(candidate.toLowerCase());
  return candidate;
}

/**
 * What a file an earlier export left (`holds`: what it held) holds that makes it another's than
 * template `name`'s: everything, when none of it is the template's (the user's tests); else the
 * other objects' documents beside it. Undefined when there is no such file or it is the template's
 * (tests beside its documents included: written, the file keeps them, export/kept-tests.ts).
 */
export function othersIn(holds: readonly string[] | undefined, name: string): string | undefined {
  if (holds === undefined || holds.length === 0) return undefined;
  const own = (h: string): boolean => {
    const a = parseAddress(h);
    return a !== undefined && (a.kind === 'PromptTemplate' || a.kind === 'PromptVersion' || a.kind === 'TrafficSplit') && a.name === name;
  };
  const others = holds.filter((h) => !own(h));
  if (others.length === holds.length) return holds.join(', ');
  const foreign = others.filter((h) => parseAddress(h) !== undefined && !h.startsWith('PromptTest/'));
  return foreign.length > 0 ? foreign.join(', ') : undefined;
}

/**
 * The file an earlier export (or the user) left at `file` whatever its letter case, and what it
 * holds: Summarize.yaml is where summarize.yaml goes on macOS and Windows, which would write over
 * it, and git cannot check the two out side by side there. The one of the same case first; the
 * holds of every such file (a case-sensitive file system may hold several).
 */
export function leftAt(before: ReadonlyMap<string, readonly string[]> | undefined, file: string): { path: string; holds: string[] } | undefined {
  const found = inAnyCase(before, file).sort(([a], [b]) => Number(b === file) - Number(a === file));
  return found.length === 0 ? undefined : { path: found[0]![0], holds: found.flatMap(([, holds]) => holds) };
}

/**
 * Where template `name`'s file `file` is written: the file an earlier export (or the user) left at
 * that name in another letter case, when it is the template's own (othersIn: Summarize.yaml, an
 * export's summarize.yaml the user renamed), in their spelling. Where names ignore case (macOS,
 * Windows) it is that very file; beside it on a case-sensitive one, the template would be defined
 * twice and git could not check the pair out there. Else `file`. Each such file is asked alone: of
 * several a case-sensitive file system holds, one of the user's tests (SUMMARIZE.yaml) is not the template's.
 */
export function inTheirCase(before: ReadonlyMap<string, readonly string[]> | undefined, file: string, name: string): string {
  const twins = inAnyCase(before, file);
  if (twins.some(([path]) => path === file)) return file;
  return twins.find(([, holds]) => holds.length > 0 && othersIn(holds, name) === undefined)?.[0] ?? file;
}

/** The files of `before` named `file` in any letter case, with what each holds. */
function inAnyCase(before: ReadonlyMap<string, readonly string[]> | undefined, file: string): [string, readonly string[]][] {
  const folded = file.toLowerCase();
  return [...(before ?? [])].filter(([path]) => path.toLowerCase() === folded);
}

/** `name` made safe as a file name, before `.yaml` (and a `-N` that keeps it unique). */
export function fileBase(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || 'template';
}

/**
 * Names Windows keeps for devices, whatever the extension and the case (con.yaml is the console):
 * git for Windows refuses to check such a path out, so the exported repository could not be cloned there.
 */
const WINDOWS_DEVICE = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\.|$)/i;

/** A free-text name's file name (`<slug>.yaml` from `base`, `fallback` when nothing is left of it), unique among `used`. */
export function uniqueIn(used: Set<string>, fallback: string, base: (name: string) => string): (name: string) => { file: string; first: string } {
  return (name) => {
    const b = base(name) || fallback;
    return { file: uniqueFileName(b, used), first: `${fileBase(b)}.yaml` };
  };
}

/** How export makes file names of object names (exportDocuments). */
export interface FileNaming {
  mask(name: string): string;
  /** The run's secret values. */
  secrets: readonly string[];
  /**
   * A re-export (--force over an earlier one): the file (relative to --out) that already holds each
   * object's document alone (a template's, with its versions and split), by address. They are written there again.
   */
  held?: ReadonlyMap<string, string>;
  /**
   * A re-export: each file at the top and under guides/ and summaries/ that holds documents (relative to --out),
   * with what it holds (addresses, or kind/name); a text file a YAML there refers to, with what
   * that YAML holds; a .md of the user's under guides/ that nothing refers to, holding nothing (an
   * empty list). None is given to another object: a new one's file name is numbered past it.
   */
  before?: ReadonlyMap<string, readonly string[]>;
  /** A re-export: the .md under guides/ (or, its YAML moved, where that refers to) that each held guide's YAML refers to for its instruction, by address. */
  heldTexts?: ReadonlyMap<string, string>;
  /**
   * A re-export: each guide whose document is in --out (an earlier export's, or git's own), by
   * address, with the `publish` it says (undefined: none). A state short of ProductionReady
   * selects the newer version apply made, which the export keeps (export/documents.ts).
   */
  heldPublish?: ReadonlyMap<string, GuidePublishState | undefined>;
  /**
   * A re-export: the file the user moved a guide's or summary setting's document to, by address,
   * that export would write with something lost (comments, their layout): kept as it is, and the
   * object not exported, which would otherwise be defined twice (there and where export names it).
   */
  keptAsIs?: ReadonlyMap<string, string>;
  /** How warnings name a path of the export (under --out). */
  where?: (path: string) => string;
  /** Which version texts go to files of their own (export/documents.ts TEXT_LIMITS when not given: tests lower them). */
  textLimits?: TextLimits;
}

/** What an earlier export left where the objects' files go (FileNaming), and where its warnings go. */
export interface Kept {
  held: ReadonlyMap<string, string> | undefined;
  before: ReadonlyMap<string, readonly string[]> | undefined;
  where: (path: string) => string;
  warnings: string[];
}

/**
 * The file name (within `folder`) of each object, by address: the one that already holds its
 * document, else a new one (`fresh(name)`). The held ones are taken first: a free-text name makes
 * a file name that another name may make too ("Billing Help", "Billing/Help"), and the one that
 * sorts first would otherwise take the other's file, its document and the edits made to it.
 */
export function heldOrNew(
  { held, before, where, warnings }: Kept,
  folder: string,
  addresses: readonly string[],
  used: Set<string>,
  fresh: (name: string) => { file: string; first: string },
): (address: string, name: string) => string {
  const kept = new Map<string, string>();
  for (const address of addresses) {
    const path = held?.get(address);
    const file = path?.startsWith(`${folder}/`) ? path.slice(folder.length + 1) : undefined;
    if (file === undefined || file.includes('/') || !file.endsWith('.yaml') || used.has(file.toLowerCase())) continue;
    used.add(file.toLowerCase());
    kept.set(address, file);
  }
  // Every other file there is someone's (a deleted guide's, the user's): taken, as a live object's
  // is. A guide's file name is taken by its .md too (its instruction goes beside it).
  const taken = new Map<string, string>();
  for (const [path, holds] of before ?? []) {
    const file = path.startsWith(`${folder}/`) ? path.slice(folder.length + 1) : undefined;
    if (file === undefined || file.includes('/')) continue;
    const name = file.endsWith('.yaml') ? file : folder === GUIDES_DIR && file.endsWith('.md') ? `${file.slice(0, -3)}.yaml` : undefined;
    if (name === undefined || used.has(name.toLowerCase())) continue;
    used.add(name.toLowerCase());
    taken.set(name.toLowerCase(), `${where(path)} ${holds.length > 0 ? `holds ${holds.join(', ')}` : 'is a file no document refers to'}`);
  }
  return (address, name) => {
    const k = kept.get(address);
    if (k !== undefined) return k;
    const { file, first } = fresh(name);
    const why = file !== first ? taken.get(first.toLowerCase()) : undefined;
    if (why !== undefined) warnings.push(`${address} is written to ${where(`${folder}/${file}`)}: ${why} and is kept as it is`);
    return file;
  };
}

/**
 * Of the held files (FileNaming.held), those of the objects written to `folder` (`addresses`) that
 * are not directly in it (a guide's or summary setting's file the user moved into a folder of theirs
 * or renamed as .yml): each is written there again, by address. Not one another file of the export
 * takes (`used`, lowercased; each one kept is added).
 */
export function movedOut(held: ReadonlyMap<string, string> | undefined, folder: string, addresses: readonly string[], used: Set<string>): Map<string, string> {
  const moved = new Map<string, string>();
  for (const address of addresses) {
    const path = held?.get(address);
    if (path === undefined || used.has(path.toLowerCase())) continue;
    // One directly in the folder is heldOrNew's.
    if (path.startsWith(`${folder}/`) && /^[^/]+\.yaml$/.test(path.slice(folder.length + 1))) continue;
    used.add(path.toLowerCase());
    moved.set(address, path);
  }
  return moved;
}

/**
 * Each held address (FileNaming.held) the org no longer has, but has in another letter case alone,
 * mapped to the live one: names AI Studio compares without case belong to one object, renamed. Not
 * when the live one holds a file of its own. `live`: the addresses of the guides and summary settings exported.
 */
export function renamedInCase(held: ReadonlyMap<string, string> | undefined, live: readonly string[]): Map<string, string> {
  const renamed = new Map<string, string>();
  const now = new Set(live);
  const folded = new Map(live.map((a) => [a.toLowerCase(), a]));
  for (const address of held?.keys() ?? []) {
    const to = now.has(address) ? undefined : folded.get(address.toLowerCase());
    if (to !== undefined && !held!.has(to) && ![...renamed.values()].includes(to)) renamed.set(address, to);
  }
  return renamed;
}

/** `map` with the keys `renamed` names replaced by their new ones. */
export function rekeyed<T>(map: ReadonlyMap<string, T>, renamed: ReadonlyMap<string, string>): Map<string, T> {
  return new Map([...map].map(([k, v]) => [renamed.get(k) ?? k, v]));
}

/** Letters and digits only, lowercased: what survives every way a file name is made from a name. */
function skeleton(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Whether a file name still holds a secret after the mask: compared by their letters and digits,
 * for a secret with at least 8 of them (fewer would match ordinary names); else as it is, any case.
 */
export function revealsSecret(fileName: string, secrets: readonly string[]): boolean {
  const name = skeleton(fileName);
  return secrets.some((v) => {
    const s = skeleton(v);
    return s.length >= 8 ? name.includes(s) : v !== '' && fileName.toLowerCase().includes(v.toLowerCase());
  });
}

/**
 * Longest slug a file name is made from: a Genesys name has up to 255 characters, a file name (its
 * `.yaml`, a `-N` that keeps it unique and the atomic write's temporary suffix added) at most 255 bytes.
 */
const MAX_SLUG = 100;

/** A free-text Genesys name as a file name: "Voice wrap-up (en-US)" → "voice-wrap-up-en-us", "Résumé" → "resume". */
export function slug(name: string): string {
  return name
    // An accented letter is its letter and a mark (NFKD; a ligature its letters): the mark goes, not the letter.
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG)
    .replace(/-+$/, '');
}
