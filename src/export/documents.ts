// Live org → promptctl documents (plain objects, one list per file). Pure: no I/O.
// What `promptctl export` writes, so that a plan right after it is empty.
import { fromWire as guideFromWire, landed, reaches, toWire as guideToWire, unexpressed, versionContent } from '../kinds/Guide/index.js';
import { productionOf, unchangedAgainst } from '../kinds/Guide/plan.js';
import type { LiveGuide, LiveState } from '../kinds/kind.js';
import { fromWire as templateFromWire } from '../kinds/PromptTemplate/index.js';
import { fromWire as versionFromWire } from '../kinds/PromptVersion/index.js';
import { fromWire as filterFromWire } from '../kinds/SafetyFilter/index.js';
import { canonical as summaryCanonical, fromWire as summaryFromWire } from '../kinds/SummarySetting/index.js';
import { fromWire as splitFromWire } from '../kinds/TrafficSplit/index.js';
import { asLoaded } from '../kinds/canonical.js';
import { isManaged, otherManager } from '../kinds/labels.js';
import { filterAddress, GENESYS_NAME_RULE, guideAddress, isGenesysName, RESOURCE_NAME, RESOURCE_NAME_RULE, summarySettingAddress, templateAddress, versionAddress } from '../model/address.js';
import { API_VERSION, type GuidePublishState, type Labels, type Variable } from '../model/types.js';
import { compareVersionLabels } from '../util/semver.js';
import { byCodeUnits } from '../util/compare.js';
import { hasLoneSurrogate } from '../util/surrogates.js';
import { fileBase, GUIDES_DIR, heldOrNew, inTheirCase, leftAt, movedOut, othersIn, rekeyed, renamedInCase, revealsSecret, slug, SUMMARIES_DIR, uniqueFileName, uniqueIn, type FileNaming } from './file-names.js';

type WireTemplate = LiveState['templates'][number];
type WireVersion = NonNullable<WireTemplate['versions']>[number];
type WireTraffic = NonNullable<WireTemplate['traffic']>;
type WireFilter = LiveState['filters'][number];

export type ExportDocument = Record<string, unknown>;

export interface ExportFile {
  /** Relative path inside the output directory. */
  path: string;
  documents: ExportDocument[];
}

/** A file written as it is (a guide's instruction, referenced from its YAML with `{file:}`). */
export interface ExportText {
  path: string;
  text: string;
}

export interface ExportResult {
  files: ExportFile[];
  /** Text files the documents reference. */
  texts: ExportText[];
  warnings: string[];
  counts: { templates: number; versions: number; splits: number; filters: number; guides: number; summarySettings: number };
  /** Files the user moved a guide's or summary setting's document to, kept as they are, the object not exported (FileNaming.keptAsIs). */
  keptAsIs: string[];
  /**
   * Exported templates and filters without the `managed-by: promptctl` label (made by hand): prune
   * never deletes them until an apply changes them (and labels them). Guides and settings carry no
   * labels; once their documents are committed, git history makes them promptctl's.
   */
  unlabelled: string[];
}

export const FILTERS_FILE = 'safety-filters.yaml';
/**
 * File names at the top of the export no template file may take: the filters' file, and the
 * Config's (config/discover.ts CONFIG_FILE, which export may not import), where the loader refuses
 * any other document: a template named "promptctl" would make the export fail validate.
 */
export const RESERVED_FILE_NAMES: readonly string[] = [FILTERS_FILE, 'promptctl.yaml'];
export { GUIDES_DIR, SUMMARIES_DIR };
type WireSummarySetting = NonNullable<LiveState['summarySettings']>[number];
type GuideVersion = NonNullable<LiveGuide['latest']>;

/**
 * `names`: how an object's name may show in a file name. `mask` masks the run's secrets in it,
 * whatever their case (the CLI's; a slug lowercases); file names are made from the masked name,
 * so two names the mask makes alike are told apart like any other two names that slug alike. And
 * since making a file name lowercases and drops characters, which can rebuild a secret the mask
 * did not see (a Kelvin sign lowercases to k; a dashed secret written with spaces), a file name
 * that still holds one of `secrets` (letters and digits compared) is `redacted` instead.
 */
export function exportDocuments(live: LiveState, names: FileNaming = { mask: (name) => name, secrets: [] }, guidePublish: GuidePublishState = 'ProductionReady'): ExportResult {
  const maskName = (name: string): string => names.mask(name);
  const safe = (base: string): string => (revealsSecret(base, names.secrets) ? 'redacted' : base);
  const where = names.where ?? ((path: string) => path);
  const warnings: string[] = [];
  const files: ExportFile[] = [];
  const counts = { templates: 0, versions: 0, splits: 0, filters: 0, guides: 0, summarySettings: 0 };
  const used = new Set<string>(RESERVED_FILE_NAMES);
  const texts: ExportText[] = [];
  const unlabelled: string[] = [];

  for (const t of [...live.templates].sort((a, b) => byCodeUnits(a.name, b.name))) {
    // A name the YAML cannot hold: its document would fail validate, and with it the whole export.
    if (!RESOURCE_NAME.test(t.name)) {
      const n = (t.versions ?? []).filter((v) => v.state === 'Published').length;
      const also = [n > 0 ? `its ${n} version${n === 1 ? '' : 's'}` : '', t.traffic ? 'traffic split' : ''].filter(Boolean).join(' and ');
      warnings.push(`skipped PromptTemplate/${t.name}${also ? ` (${also} with it)` : ''}: ${RESOURCE_NAME_RULE}, so it cannot be managed under this name; it is left as it is`);
      continue;
    }
    const docs: ExportDocument[] = [templateDocument(t)];
    counts.templates += 1;
    if (!isManaged(t.labels)) unlabelled.push(templateAddress(t.name));
    const other = otherManager(t.labels);
    if (other !== undefined) warnings.push(takenOver(templateAddress(t.name), other));
    for (const v of [...(t.versions ?? [])].sort((a, b) => compareVersionLabels(a.version, b.version))) {
      if (v.state !== 'Published') {
        // A Draft has not shipped; git holds what is published (apply publishes every version it creates).
        // On a template promptctl manages, a live version git does not hold is promptctl's to prune:
        // the export's plan is then not empty, and with prune someone's work in progress goes.
        const fate = isManaged(t.labels) ? `; its template is labelled managed-by: promptctl, so a plan of the export shows deleting it (with prune, apply deletes it): publish it, or keep a copy, first` : '';
        warnings.push(`skipped ${versionAddress(t.name, v.version)}: it is a ${v.state} version, not published${fate}`);
        continue;
      }
      docs.push(versionDocument(t.name, v));
      counts.versions += 1;
    }
    if (t.traffic) {
      docs.push(trafficDocument(t.name, t.traffic));
      counts.splits += 1;
    }
    // A file there that holds none of this template's documents, or another object's, is someone else's: not replaced.
    const base = safe(maskName(t.name));
    // Where the user moved an earlier export's file of it (a folder of theirs, a new name): written there again.
    const keptAt = names.held?.get(templateAddress(t.name));
    let path: string;
    // Its long texts' folder: beside the file export names; for a file the user moved, where they
    // were, so the moved file still refers to the same texts (export-earlier.ts lossyMoves).
    let folder: string | undefined;
    if (keptAt !== undefined && keptAt.endsWith('.yaml') && !revealsSecret(keptAt, names.secrets) && !used.has(keptAt.toLowerCase())) {
      used.add(keptAt.toLowerCase());
      path = keptAt;
      folder = textFolder(`${fileBase(base)}.yaml`);
    } else {
      const file = uniqueFileName(base, used, (candidate) => othersIn(leftAt(names.before, candidate)?.holds, t.name) !== undefined);
      const first = leftAt(names.before, `${fileBase(base)}.yaml`);
      const theirs = file !== `${fileBase(base)}.yaml` ? othersIn(first?.holds, t.name) : undefined;
      if (theirs !== undefined) warnings.push(`${templateAddress(t.name)} is written to ${where(file)}: ${where(first!.path)} holds ${theirs} and is kept as it is`);
      path = inTheirCase(names.before, file, t.name);
    }
    texts.push(...longTextsApart(t.name, folder ?? textFolder(path), docs, { warnings, where, secrets: names.secrets, limits: names.textLimits ?? TEXT_LIMITS }));
    files.push({ path, documents: docs });
  }

  for (const f of live.filters) {
    if (!RESOURCE_NAME.test(f.name)) warnings.push(`skipped SafetyFilter/${f.name}: ${RESOURCE_NAME_RULE}, so it cannot be managed under this name; it is left as it is`);
  }
  const filters = [...live.filters].filter((f) => RESOURCE_NAME.test(f.name)).sort((a, b) => a.priority - b.priority || byCodeUnits(a.name, b.name));
  if (filters.length > 0) {
    files.push({ path: FILTERS_FILE, documents: filters.map(filterDocument) });
    counts.filters = filters.length;
    for (const f of filters) {
      if (!isManaged(f.labels)) unlabelled.push(filterAddress(f.name));
      const other = otherManager(f.labels);
      if (other !== undefined) warnings.push(takenOver(filterAddress(f.name), other));
    }
  }

  // AI Studio: a guide as its YAML and its instruction, one file each; a summary setting per file.
  const usedGuides = new Set<string>();
  const guides = [...(live.guides ?? [])].sort((a, b) => byCodeUnits(a.name, b.name));
  // A file an earlier export named with a secret of this run in it (before it was one) is not kept.
  // A guide or summary setting renamed in letter case alone is the same object (AI Studio compares
  // their names without case): its file, and its instruction's, are written again for its new name.
  const settings = [...(live.summarySettings ?? [])].sort((a, b) => byCodeUnits(a.name, b.name));
  const renamed = renamedInCase(names.held, [...guides.map((g) => guideAddress(g.name)), ...settings.map((s) => summarySettingAddress(s.name))]);
  const held = names.held && new Map([...rekeyed(names.held, renamed)].filter(([, path]) => !revealsSecret(path, names.secrets)));
  const heldTexts = names.heldTexts && rekeyed(names.heldTexts, renamed);
  const heldPublish = names.heldPublish && rekeyed(names.heldPublish, renamed);
  const keptAsIs = rekeyed(names.keptAsIs ?? new Map(), renamed);
  const kept = { held, before: names.before, where, warnings };
  const guideAddresses = guides.map((g) => guideAddress(g.name));
  // A file the user moved the document to is written there again; else the one under guides/ that holds it, or a new one.
  const guidesMoved = movedOut(held, GUIDES_DIR, guideAddresses, used);
  const guideFile = heldOrNew(kept, GUIDES_DIR, guideAddresses, usedGuides, uniqueIn(usedGuides, 'guide', (n) => safe(slug(maskName(n)))));
  const guidePath = (name: string): string => guidesMoved.get(guideAddress(name)) ?? `${GUIDES_DIR}/${guideFile(guideAddress(name), name)}`;
  // A kept guide's instruction goes back into the file its YAML refers to (the user may have renamed
  // it), unless another guide's YAML refers to it too, or it is the .md beside another guide's YAML.
  const claimed = new Map<string, number>();
  for (const path of heldTexts?.values() ?? []) claimed.set(path, (claimed.get(path) ?? 0) + 1);
  const textFile = (address: string, yaml: string): string | undefined => {
    const path = heldTexts?.get(address);
    if (path === undefined || claimed.get(path) !== 1 || revealsSecret(path, names.secrets) || held?.get(address) !== yaml) return undefined;
    const twin = `${path.slice(0, -3)}.yaml`.toLowerCase();
    return [...(held ?? [])].some(([other, file]) => other !== address && file.toLowerCase() === twin) ? undefined : path;
  };
  const keptPaths: string[] = [];
  // Written with something lost, it would be defined twice: there and where export names it.
  const keptThere = (address: string): boolean => {
    const path = keptAsIs.get(address);
    if (path === undefined) return false;
    warnings.push(
      `${address} is not exported: ${where(path)}, where its document was moved, holds what export would not write there again (comments, a layout or fields of yours, an instruction file another document refers to), so that file is kept as it is; a plan shows how it differs from the org`,
    );
    keptPaths.push(path);
    return true;
  };
  for (const g of guides) {
    if (keptThere(guideAddress(g.name))) continue;
    const address = guideAddress(g.name);
    const gits = heldPublish?.has(address) ? { publish: heldPublish.get(address) } : undefined;
    const out = guideDocument(g, guidePath, warnings, guidePublish, (yaml) => textFile(address, yaml), gits);
    if (!out) continue;
    files.push(out.file);
    if (out.text) texts.push(out.text);
    counts.guides += 1;
  }
  const usedSummaries = new Set<string>();
  const settingAddresses = settings.map((s) => summarySettingAddress(s.name));
  const settingsMoved = movedOut(held, SUMMARIES_DIR, settingAddresses, used);
  const summaryFile = heldOrNew(kept, SUMMARIES_DIR, settingAddresses, usedSummaries, uniqueIn(usedSummaries, 'summary-setting', (n) => safe(slug(maskName(n)))));
  for (const s of settings) {
    if (keptThere(summarySettingAddress(s.name))) continue;
    if (!isGenesysName(s.name)) {
      // Quoted: what is wrong with it (a trailing space, a tab) does not show otherwise.
      warnings.push(`skipped SummarySetting ${JSON.stringify(s.name)}: ${GENESYS_NAME_RULE}, so it cannot be managed under this name; it is left as it is`);
      continue;
    }
    const doc = summaryDocument(s);
    const prompt = (doc.spec as { prompt?: unknown }).prompt;
    if (typeof prompt !== 'string' && typeof summaryCanonical(s).prompt === 'string') {
      // DESIGN §2: a prompt in YAML makes a setting Prompt-type, so a Basic one's cannot be written.
      warnings.push(`${summarySettingAddress(s.name)}: a Basic setting that holds a prompt; promptctl YAML cannot hold it (a prompt there makes the setting Prompt-type), so a plan of the export shows removing it`);
    }
    const address = summarySettingAddress(s.name);
    files.push({ path: settingsMoved.get(address) ?? `${SUMMARIES_DIR}/${summaryFile(address, s.name)}`, documents: [doc] });
    counts.summarySettings += 1;
  }
  return { files, texts, warnings, counts, unlabelled, keptAsIs: keptPaths };
}

/**
 * Sizes (UTF-8 bytes) that decide which of a template's version texts go to files of their own:
 * `long`, a systemInstruction or userTemplate above it; `inline`, what the template's YAML holds
 * inline at most (its largest texts go out first until the rest fits); `readable`, the largest
 * file promptctl reads (config/read.ts MAX_FILE_BYTES, which export may not import).
 */
export interface TextLimits {
  long: number;
  inline: number;
  readable: number;
}

/**
 * 64 KiB: a text that long is read as a file, not in a YAML diff. 512 KiB inline: written as
 * escapes a text takes at most 6 bytes a byte (`\u0001`), so a template's YAML stays under the
 * 4 MiB a re-export reads back (cli/export-earlier.ts MAX_HELD_BYTES) and the 8 MiB plan reads.
 */
export const TEXT_LIMITS: TextLimits = { long: 64 * 1024, inline: 512 * 1024, readable: 8 * 1024 * 1024 };

/** The version text fields that may be `{file:}` texts (few-shot examples may not). */
const TEXT_FIELDS = [
  ['systemInstruction', 'system'],
  ['userTemplate', 'user'],
] as const;

/**
 * Moves the long texts of template `name`'s version documents (in `docs`) into .md files in
 * `folder` (textFolder), `<folder>/<version>.system.md` (`.user.md`), each referenced
 * with `{file:}`: a text above `limits.long`, then the largest left while what stays inline passes
 * `limits.inline`. Inline, 100 versions of 85 KB made one file above the 8 MiB plan reads. Not a
 * text holding half a UTF-16 surrogate pair, which no UTF-8 file can hold (it stays an escape the
 * export's check reports). Deterministic, so a re-export writes the same files.
 */
function longTextsApart(
  name: string,
  folder: string,
  docs: ExportDocument[],
  { warnings, where, secrets, limits }: { warnings: string[]; where: (path: string) => string; secrets: readonly string[]; limits: TextLimits },
): ExportText[] {
  const found: { spec: Record<string, unknown>; field: string; suffix: string; bytes: number }[] = [];
  let inline = 0;
  for (const doc of docs) {
    if (doc.kind !== 'PromptVersion') continue;
    const spec = doc.spec as Record<string, unknown>;
    for (const [field, suffix] of TEXT_FIELDS) {
      const text = spec[field];
      if (typeof text !== 'string') continue;
      const bytes = Buffer.byteLength(text);
      inline += bytes;
      if (!hasLoneSurrogate(text)) found.push({ spec, field, suffix, bytes });
    }
  }
  // Largest first (then in document order: the sort is stable), so the same texts go out every time.
  const out = found.filter((f) => f.bytes > limits.long);
  inline -= out.reduce((n, f) => n + f.bytes, 0);
  for (const f of [...found].sort((a, b) => b.bytes - a.bytes)) {
    if (inline <= limits.inline) break;
    if (out.includes(f)) continue;
    out.push(f);
    inline -= f.bytes;
  }
  const used = new Set<string>();
  const written: ExportText[] = [];
  for (const f of found.filter((x) => out.includes(x))) {
    const version = String(f.spec.version);
    const label = revealsSecret(version, secrets) ? 'redacted' : version;
    let file = `${label}.${f.suffix}.md`;
    // Labels that differ in letter case alone (1.0.0-RC, 1.0.0-rc) would be one file on macOS and Windows.
    for (let n = 2; used.has(file.toLowerCase()); n += 1) file = `${label}.${f.suffix}-${n}.md`;
    used.add(file.toLowerCase());
    const path = `${folder}/${file}`;
    const text = f.spec[f.field] as string;
    const address = versionAddress(name, version);
    if (f.bytes > limits.readable) {
      warnings.push(`${where(path)}: ${address}'s ${f.field} is ${f.bytes.toLocaleString('en-US')} bytes, more than the ${limits.readable / 1024 / 1024} MiB promptctl reads from a file: git cannot hold it, so plan --dir refuses this file until the org holds a shorter version instead`);
    }
    // A .md file holds the text raw: no writing keeps its line-end spaces from a trim.
    if (endsALineInWhitespace(text)) warnings.push(`${where(path)}: ${address}'s ${f.field} has lines that end in spaces or tabs, which are its text: a tool that trims trailing whitespace on commit changes the version (published, immutable), so leave this file out of it`);
    f.spec[f.field] = { file: path };
    written.push({ path, text });
  }
  return written;
}

/**
 * The folder of a template's text files: its YAML's path without `.yaml`; `.texts` after a name
 * that is export's own folder at the top (a template named guides), which no template name
 * (letters, digits, hyphens) makes.
 */
function textFolder(yaml: string): string {
  const folder = yaml.replace(/\.ya?ml$/, '');
  return [GUIDES_DIR, SUMMARIES_DIR].includes(folder.toLowerCase()) ? `${folder}.texts` : folder;
}

/**
 * A guide as the content of its production version (DESIGN §2: what git holds), or, with none yet,
 * of its latest version (so that a plan right after is empty: plan leaves a newer Draft or
 * TestReady version alone while production holds git's content); the instruction goes to a .md
 * file next to the YAML, referenced with `{file:}`, unless it holds half a UTF-16 surrogate pair
 * (a truncated emoji), which no UTF-8 file can: that one is written in the YAML, where it stays an
 * escape (`"\ud83d"`) the export's check reports, as it does a template's.
 * `guidePublish`: the state a document without `publish` reaches where it is exported from (an
 * environment's guidePublish). `gits`: the guide's document a re-export (--force) rewrites, with
 * the `publish` it says: where that state (or, without one, guidePublish) is short of
 * ProductionReady, the newer Draft or TestReady version it selects is git's own (apply made it),
 * exported, not rewound to production's content.
 */
function guideDocument(
  g: LiveGuide,
  filePath: (name: string) => string,
  warnings: string[],
  guidePublish: GuidePublishState,
  textFile: (yaml: string) => string | undefined = () => undefined,
  gits?: { publish: GuidePublishState | undefined },
): { file: ExportFile; text?: ExportText } | undefined {
  const address = guideAddress(g.name);
  // A name the YAML cannot hold: its document would fail validate, and with it the whole export.
  if (!isGenesysName(g.name)) {
    // Quoted: what is wrong with it (a trailing space, a tab) does not show otherwise.
    warnings.push(`skipped Guide ${JSON.stringify(g.name)}: ${GENESYS_NAME_RULE}, so it cannot be managed under this name; it is left as it is`);
    return undefined;
  }
  const latest = g.latest;
  const production = productionOf(g);
  const gitsState = gits === undefined ? undefined : (gits.publish ?? guidePublish);
  const beyond = latest !== undefined && latest !== production && latest.state !== 'ProductionReady' ? latest : undefined;
  // The version git's state selects (TestReady: the latest TestReady one), else production's.
  const selected = beyond !== undefined && gitsState !== undefined && reaches(beyond.state, gitsState) ? beyond : undefined;
  const v = selected ?? production ?? latest;
  if (!v) {
    warnings.push(`skipped ${address}: it has no version yet`);
    return undefined;
  }
  // Whitespace alone serves nothing either, and validate refuses it (guides/empty-instruction): its
  // document would fail the whole export's plan, as an empty one's would.
  if (v.instruction.trim() === '') {
    const what = v.instruction === '' ? 'no instruction yet' : 'a blank instruction (whitespace alone)';
    warnings.push(`skipped ${address}: its ${v === production ? 'production' : 'latest'} version ${v.version} (${v.state}) has ${what}`);
    return undefined;
  }
  const m = guideFromWire(g.name, v);
  const lost = unexpressed(v);
  const publish = publishToWrite(g, guideToWire(m), v, production, guidePublish, gits?.publish, lost.length === 0);
  if (selected && production) {
    // git's own version (its state short of production), not someone's work in progress.
    const same = landed(versionContent(production), versionContent(v));
    const why = gits?.publish !== undefined ? `its YAML's publish: ${gits.publish}` : `the guidePublish ${guidePublish} of the environment exported`;
    warnings.push(`${address}: exported its latest version ${v.version} (${v.state}), the version ${why} selects; production stays version ${production.version} (${same ? 'the same content' : 'other content'}), not exported`);
  } else if (latest && v !== latest) {
    // Someone's work in progress in Genesys: not what runs, so not git's; plan leaves it alone
    // while production holds git's content, which it does not when YAML cannot hold all of it.
    const same = landed(versionContent(latest), versionContent(v));
    const then = lost.length > 0 ? 'but production holds what YAML cannot (below), so a plan of the export edits that version in place' : 'and plan leaves it as it is until git changes the guide, which edits it in place';
    warnings.push(`${address}: exported production version ${v.version}; its newer ${latest.state} version ${latest.version} (${same ? 'the same content' : 'other content'}) is not exported, ${then}`);
  } else if (!production && publish !== undefined && publish !== 'ProductionReady' && publish !== gits?.publish) {
    warnings.push(`${address}: its latest version ${v.version} is ${v.state} (nothing is in production yet); exported it with publish: ${publish}; set publish: ProductionReady to ship it`);
  }
  if (lost.length > 0) warnings.push(`${address}: promptctl YAML cannot hold ${lost.join(', ')}; a plan of the export shows removing them`);
  const yaml = filePath(g.name);
  const instruction = asLoaded(v.instruction);
  // Written as UTF-8, half a surrogate pair would become U+FFFD without a word.
  const inline = hasLoneSurrogate(instruction);
  const mdPath = textFile(yaml) ?? `${yaml.replace(/\.ya?ml$/, '')}.md`;
  // A .md file holds the text raw: no writing keeps its line-end spaces from a trim.
  if (!inline && endsALineInWhitespace(instruction)) warnings.push(`${mdPath}: ${address}'s instruction has lines that end in spaces or tabs, which are its text: a tool that trims trailing whitespace on commit (pre-commit's trailing-whitespace hook, EditorConfig's trim_trailing_whitespace, an editor's trim on save) changes the guide, so leave this file out of it`);
  const spec: Record<string, unknown> = { instruction: inline ? instruction : { file: mdPath } };
  if (m.variables.length > 0) spec.variables = m.variables;
  if (m.dataActions.length > 0) spec.dataActions = m.dataActions;
  if (m.knowledge) spec.knowledge = m.knowledge;
  if (publish !== undefined) spec.publish = publish;
  return {
    file: { path: yaml, documents: [{ apiVersion: API_VERSION, kind: 'Guide', metadata: { name: g.name }, spec }] },
    ...(inline ? {} : { text: { path: mdPath, text: instruction } }),
  };
}

/**
 * The `publish` a guide's exported document says (undefined: none), `body` its content, `v` the
 * version exported: git's own where the document is rewritten and it still plans as unchanged,
 * else none where leaving it out plans as unchanged against the org (its guidePublish, TestReady
 * in staging, then goes on applying there: written, `publish` would win over it in every
 * environment, and a production guide's edit in staging would go straight to production), else
 * the exported version's state. Where nothing plans unchanged (content YAML cannot hold), as
 * near as it gets: git's, else none for production's content, else the version's state.
 */
function publishToWrite(
  g: LiveGuide,
  body: ReturnType<typeof guideToWire>,
  v: GuideVersion,
  production: GuideVersion | undefined,
  guidePublish: GuidePublishState,
  gits: GuidePublishState | undefined,
  expressed: boolean,
): GuidePublishState | undefined {
  const candidates: (GuidePublishState | undefined)[] = [...(gits !== undefined ? [gits] : []), undefined, v.state];
  if (expressed) for (const p of candidates) if (unchangedAgainst(body, p ?? guidePublish, g) !== undefined) return p;
  if (gits !== undefined) return gits;
  return v === production || v.state === guidePublish ? undefined : v.state;
}

function summaryDocument(w: WireSummarySetting): ExportDocument {
  const m = summaryFromWire(w);
  const spec: Record<string, unknown> = { language: m.language };
  // interactionType is read-only (A11): Live, the default, is left out, so the setting can be
  // created in another org (which makes every setting Live). Email is kept: left out, another
  // org's plan would create an email summary as a live one without a word; named, that plan
  // refuses the create, saying to make the setting there by hand.
  if (m.interactionType !== undefined && m.interactionType !== 'Live') spec.interactionType = m.interactionType;
  if (m.summaryType !== undefined) spec.summaryType = m.summaryType;
  if (m.format !== undefined) spec.format = m.format;
  if (m.maskPII !== undefined) spec.maskPII = m.maskPII;
  if (m.participantLabels !== undefined) spec.participantLabels = m.participantLabels;
  if (m.predefinedInsights !== undefined) spec.predefinedInsights = m.predefinedInsights;
  if (m.customEntities !== undefined) spec.customEntities = m.customEntities;
  if (m.prompt !== undefined) spec.prompt = asLoaded(m.prompt);
  if (m.serviceType !== undefined) spec.serviceType = m.serviceType;
  if (m.integrationId !== undefined) spec.integrationId = m.integrationId;
  if (m.timeoutDuration !== undefined) spec.timeoutDuration = m.timeoutDuration;
  return { apiVersion: API_VERSION, kind: 'SummarySetting', metadata: { name: m.name }, spec };
}

// Each document is written from the model form of the live object (each kind's fromWire), so
// export and plan agree on defaults and on which labels are promptctl's own; its prompt texts as
// the loader reads them (DESIGN §2: CRLF and lone CR as LF, no leading byte-order mark), so what
// git holds is what apply sends, and an org made from the export exports the same files.

function templateDocument(t: WireTemplate): ExportDocument {
  const m = templateFromWire(t);
  const spec: Record<string, unknown> = {};
  if (m.description !== undefined) spec.description = m.description;
  spec.model = m.model;
  return { apiVersion: API_VERSION, kind: 'PromptTemplate', metadata: metadata(m.name, m.labels), spec };
}

function versionDocument(template: string, v: WireVersion): ExportDocument {
  const m = versionFromWire(v, template);
  const spec: Record<string, unknown> = { template, version: m.version };
  if (m.model !== undefined) spec.model = m.model;
  if (m.temperature !== undefined) spec.temperature = m.temperature;
  if (m.maxTokens !== undefined) spec.maxTokens = m.maxTokens;
  if (m.variables.length > 0) spec.variables = m.variables.map(variableSpec);
  spec.systemInstruction = asLoaded(m.systemInstruction);
  spec.userTemplate = asLoaded(m.userTemplate);
  if (m.fewShotExamples.length > 0) spec.fewShotExamples = m.fewShotExamples.map((e) => ({ input: asLoaded(e.input), output: asLoaded(e.output) }));
  // Defaults are all true; write the block only when it says something.
  if (Object.values(m.safetyGuardrails).some((on) => !on)) spec.safetyGuardrails = m.safetyGuardrails;
  return { apiVersion: API_VERSION, kind: 'PromptVersion', spec };
}

/** A variable as YAML: `required` only when false (its default is true). */
function variableSpec({ name, type, required, ...rest }: Variable): Record<string, unknown> {
  return { name, type, ...(required ? {} : { required: false }), ...rest };
}

function trafficDocument(template: string, t: WireTraffic): ExportDocument {
  const m = splitFromWire(t, template);
  const spec: Record<string, unknown> = { template, strategy: m.strategy };
  if (m.stickyKey) spec.stickyKey = m.stickyKey;
  spec.routes = m.routes;
  return { apiVersion: API_VERSION, kind: 'TrafficSplit', spec };
}

function filterDocument(f: WireFilter): ExportDocument {
  const m = filterFromWire(f);
  const spec: Record<string, unknown> = {};
  if (m.description !== undefined) spec.description = m.description;
  spec.enabled = m.enabled;
  spec.priority = m.priority;
  spec.categories = m.categories;
  spec.action = m.action;
  spec.thresholds = m.thresholds;
  spec.falsePositiveTolerance = m.falsePositiveTolerance;
  if (m.appliesTo) spec.appliesTo = m.appliesTo;
  return { apiVersion: API_VERSION, kind: 'SafetyFilter', metadata: metadata(m.name, m.labels), spec };
}

function metadata(name: string, labels: Labels): Record<string, unknown> {
  return Object.keys(labels).length > 0 ? { name, labels } : { name };
}

/** The warning for an object another tool manages (its `managed-by` label, which git cannot hold): exporting it is adopting it. */
function takenOver(address: string, other: string): string {
  return `${address} is labelled managed-by: ${other}, so another tool manages it: its document is exported without that label, and the first apply that changes it hands it to promptctl (managed-by: promptctl; prune may then delete it). Leave its document out unless promptctl is to take it over`;
}

/** A line of `text` ends in a space or a tab (what trailing-whitespace hooks strip). */
function endsALineInWhitespace(text: string): boolean {
  return /[ \t](?:\n|$)/.test(text);
}
