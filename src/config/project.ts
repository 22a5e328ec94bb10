// Loading a prompts directory: discovery → parse → schema → model → rules → token budgets.
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { compareDiagnostics, hasErrors, type Diagnostic } from '../model/diagnostic.js';
import {
  defaultConfig,
  normalizeConfig,
  normalizeFilter,
  normalizeSplit,
  normalizeTemplate,
  normalizeVersion,
  type DocumentFacts,
} from '../model/normalize.js';
import type { ErrorObject } from 'ajv';
import type { Config, DesiredState, DocumentKind, PromptTemplate, SafetyFilter, TextOrigin } from '../model/types.js';
import { runRules, runTextRules, type TextOnlyVersion } from '../rules/index.js';
import { SEMVER } from '../rules/versions.js';
import { checkHeader } from '../schema/header.js';
import { mapSchemaErrors } from '../schema/errors.js';
import { validators } from '../schema/validator.js';
import { budgetDiagnostics } from '../tokens/index.js';
import { UserError } from '../util/errors.js';
import { CONFIG_FILE, discoverYamlFiles } from './discover.js';
import { isInside, resolveFileRef, type FileRefResult } from './file-refs.js';
import { collectLocations, findKey, findNode, nodeStart, scalarTextOrigin, type DocContext } from './nodes.js';
import { findDepthProblem, parseYaml, type ParsedDocument } from './parse.js';
import { readTextFile, type ReadResult } from './read.js';

export interface LoadOptions {
  dir: string;
  cwd?: string;
}

export interface LoadResult {
  /**
   * The desired state. Partial when some documents failed to load (their diagnostics say which);
   * null only when nothing could be loaded at all. Callers that change anything must refuse on
   * any error diagnostic.
   */
  state: DesiredState | null;
  /** Every problem, sorted by file, line and column. */
  diagnostics: Diagnostic[];
  /** Every file read (YAML and `{file: ...}` texts), relative to cwd, sorted. */
  files: string[];
}

const READ_CONCURRENCY = 16;
const TEXT_FIELDS = ['systemInstruction', 'userTemplate'] as const;

export async function loadProject(opts: LoadOptions): Promise<LoadResult> {
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  const dirAbs = path.resolve(cwd, opts.dir);
  await assertDirectory(dirAbs, opts.dir);
  const rootReal = await realpath(dirAbs);
  const rel = (abs: string) => path.relative(cwd, abs).split(path.sep).join('/') || '.';

  const yamlFiles = await discoverYamlFiles(dirAbs);
  const reads = await mapLimit(yamlFiles, READ_CONCURRENCY, (f) => readYaml(path.join(dirAbs, f), rootReal));

  const loader = new Loader(rootReal, rel, rel(path.join(dirAbs, CONFIG_FILE)));
  for (let i = 0; i < yamlFiles.length; i++) {
    const f = yamlFiles[i]!;
    const abs = path.join(dirAbs, f);
    const file = rel(abs);
    loader.files.add(file);
    const read = reads[i]!;
    if (!read.ok) {
      // A huge file that is also nested too deep: the depth is the problem to name, at its line.
      const deep = read.head === undefined ? undefined : findDepthProblem(read.head, file);
      if (deep) loader.diagnostics.push(deep);
      else loader.error({ file, line: read.line, column: read.column }, read.rule, read.message);
      continue;
    }
    const parsed = parseYaml(read.text, file);
    loader.diagnostics.push(...parsed.diagnostics);
    for (const data of parsed.broken ?? []) loader.rememberBroken(data);
    if (parsed.documents.length === 0 && parsed.diagnostics.length === 0) {
      // Harmless, but usually a mistake (a file emptied by a bad merge, content commented out).
      loader.diagnostics.push({ file, line: 1, column: 1, severity: 'warning', rule: 'file/empty', message: 'no YAML documents in this file: nothing here is checked or applied' });
    }
    for (const d of parsed.documents) await loader.document(d, f === CONFIG_FILE, path.dirname(abs));
  }
  return loader.finish();
}

/**
 * The Config alone (promptctl.yaml at the top of the prompts directory), without loading any
 * prompt, for commands that need only settings (`audit verify`). The defaults when the file is
 * absent or its Config does not pass the schema, as loadProject would have it.
 */
export async function loadConfig(opts: LoadOptions): Promise<Config> {
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  const abs = path.join(path.resolve(cwd, opts.dir), CONFIG_FILE);
  const read = await readTextFile(abs);
  if (!read.ok) return defaultConfig();
  const parsed = parseYaml(read.text, path.relative(cwd, abs).split(path.sep).join('/'));
  const d = parsed.documents.find((x) => isPlainObject(x.data) && x.data.kind === 'Config');
  if (!d) return defaultConfig();
  const ctx: DocContext = { file: d.file, doc: d.doc, src: d.src, lineCounter: d.lineCounter };
  const valid = checkHeader(ctx, d.data).diagnostics.length === 0 && validators().validate('Config', d.data).length === 0;
  return valid ? normalizeConfig(d.data as Record<string, unknown>, nodeStart(ctx, findKey(ctx, [], 'kind'))) : defaultConfig();
}

async function assertDirectory(abs: string, given: string): Promise<void> {
  let isDir = false;
  try {
    isDir = (await stat(abs)).isDirectory();
  } catch {
    throw new UserError(`prompts directory "${given}" not found (pass --dir with the directory that holds your prompt YAML)`);
  }
  if (!isDir) throw new UserError(`"${given}" is not a directory (pass --dir with the directory that holds your prompt YAML)`);
}

async function readYaml(abs: string, rootReal: string): Promise<ReadResult> {
  try {
    const real = await realpath(abs);
    if (!isInside(rootReal, real)) {
      return { ok: false, rule: 'file/outside-dir', message: 'symbolic link to a file outside the prompts directory', line: 1, column: 1 };
    }
  } catch {
    return { ok: false, rule: 'file/unreadable', message: 'cannot resolve file (broken symbolic link?)', line: 1, column: 1 };
  }
  return readTextFile(abs);
}

/** Accumulates the model and diagnostics document by document. */
class Loader {
  readonly diagnostics: Diagnostic[] = [];
  readonly files = new Set<string>();
  private readonly state: Omit<DesiredState, 'config' | 'files'> = { templates: [], versions: [], splits: [], filters: [] };
  private config: Config | undefined;
  private configFailed = false;
  private configAt: string | undefined;
  private loadedDocuments = 0;
  private readonly unloadedTemplates = new Set<string>();
  private readonly unloadedVersions = new Set<string>();
  private readonly templatesWithBadVersion = new Set<string>();
  private readonly refCache = new Map<string, Promise<FileRefResult>>();
  /** Documents outside the desired state whose own text is still checked (see textOnly). */
  private readonly textOnlyVersions: TextOnlyVersion[] = [];
  private readonly textOnlyOthers: (PromptTemplate | SafetyFilter)[] = [];

  constructor(
    private readonly rootReal: string,
    private readonly rel: (abs: string) => string,
    private readonly configFile: string,
  ) {}

  error(at: { file: string; line: number; column: number }, rule: string, message: string): void {
    this.diagnostics.push({ file: at.file, line: at.line, column: at.column, severity: 'error', rule, message });
  }

  async document(d: ParsedDocument, inConfigFile: boolean, yamlDir: string): Promise<void> {
    const ctx: DocContext = { file: d.file, doc: d.doc, src: d.src, lineCounter: d.lineCounter };
    const header = checkHeader(ctx, d.data);
    this.diagnostics.push(...header.diagnostics);
    const data = d.data as Record<string, unknown>;
    const kind = header.kind;
    if (!kind) return this.rememberUnloaded(data);

    // In the wrong file: reported, kept out of the desired state, but still checked in full.
    const misplaced = kind === 'Config' ? !inConfigFile : inConfigFile;
    if (misplaced) {
      const kindNode = findNode(ctx, ['kind']).node;
      this.error(
        nodeStart(ctx, kindNode),
        'config/misplaced',
        kind === 'Config'
          ? `the Config document belongs in ${CONFIG_FILE} at the top of the prompts directory (elsewhere it would be ignored)`
          : `${CONFIG_FILE} holds only the Config document; move this ${kind} to its own file`,
      );
    }

    const schemaErrors = validators().validate(kind, d.data);
    if (misplaced || schemaErrors.length > 0 || header.diagnostics.length > 0) {
      const mapped = mapSchemaErrors(ctx, schemaErrors);
      this.diagnostics.push(...mapped);
      // Models declared in a Config that did not load would otherwise all be "unknown".
      if (kind === 'Config') this.configFailed = true;
      this.rememberUnloaded(data);
      return this.textOnly(kind, ctx, data, schemaErrors, yamlDir);
    }

    const source = nodeStart(ctx, findKey(ctx, [], 'kind'));
    if (kind === 'Config') {
      if (this.config) {
        return this.error(source, 'config/duplicate', `a second Config document; the first is at ${this.configAt}`);
      }
      this.config = normalizeConfig(data, source);
      this.configAt = `${source.file}:${source.line}:${source.column}`;
      this.loadedDocuments++;
      return;
    }

    const facts = documentFacts(ctx);
    if (kind === 'PromptVersion' && !(await this.resolveTexts(ctx, data, facts, yamlDir, () => false))) {
      // A `{file: ...}` text could not be read: the version stays out of the desired state, but
      // its other text is still checked.
      this.rememberUnloaded(data);
      this.textOnlyVersions.push({ version: normalizeVersion(data, facts), variablesKnown: true, allTextKnown: false });
      return;
    }
    this.add(kind, data, facts);
    this.loadedDocuments++;
  }

  /**
   * A document that failed the schema: its own text is still checked where the schema found
   * nothing wrong with it (a secret next to `temperature: 3` must not wait for the next run).
   * Nothing here joins the desired state, so no reference, duplicate or budget rule sees it.
   */
  private async textOnly(
    kind: DocumentKind,
    ctx: DocContext,
    data: Record<string, unknown>,
    errors: readonly ErrorObject[],
    yamlDir: string,
  ): Promise<void> {
    const spec = data.spec;
    if (!isPlainObject(spec)) return;
    // An error at a path or below it makes that part unusable; one at a parent (a missing or
    // unknown sibling field) does not.
    const blocked = (pointer: string) => errors.some((e) => e.instancePath === pointer || e.instancePath.startsWith(`${pointer}/`));
    const facts = documentFacts(ctx);
    if (kind === 'PromptTemplate' || kind === 'SafetyFilter') {
      if (typeof spec.description !== 'string' || blocked('/spec/description')) return;
      this.textOnlyOthers.push(kind === 'PromptTemplate' ? normalizeTemplate(data, facts) : normalizeFilter(data, facts));
      return;
    }
    if (kind !== 'PromptVersion') return;
    const allTextKnown = await this.resolveTexts(ctx, data, facts, yamlDir, blocked);
    const variablesKnown = !blocked('/spec/variables') && (spec.variables === undefined || Array.isArray(spec.variables));
    const examples = Array.isArray(spec.fewShotExamples) && !blocked('/spec/fewShotExamples')
      ? spec.fewShotExamples.map((e: unknown, i) => {
          const part = (name: string) => {
            const value = isPlainObject(e) ? e[name] : undefined;
            return typeof value === 'string' && !blocked(`/spec/fewShotExamples/${i}/${name}`) ? value : '';
          };
          return { input: part('input'), output: part('output') };
        })
      : [];
    const usable = { ...spec, variables: variablesKnown ? spec.variables : [], fewShotExamples: examples };
    const version = normalizeVersion({ ...data, spec: usable }, facts);
    this.textOnlyVersions.push({ version, variablesKnown, allTextKnown });
  }

  private add(kind: Exclude<DocumentKind, 'Config'>, data: Record<string, unknown>, facts: DocumentFacts): void {
    switch (kind) {
      case 'PromptTemplate':
        this.state.templates.push(normalizeTemplate(data, facts));
        break;
      case 'PromptVersion':
        this.state.versions.push(normalizeVersion(data, facts));
        break;
      case 'TrafficSplit':
        this.state.splits.push(normalizeSplit(data, facts));
        break;
      case 'SafetyFilter':
        this.state.filters.push(normalizeFilter(data, facts));
        break;
    }
  }

  /**
   * Resolves inline and `{file: ...}` prompt text, recording where each text starts. Fields under
   * a `blocked` path (a schema error there) are skipped. True when every text field is usable.
   */
  private async resolveTexts(
    ctx: DocContext,
    data: Record<string, unknown>,
    facts: DocumentFacts,
    yamlDir: string,
    blocked: (pointer: string) => boolean,
  ): Promise<boolean> {
    const spec = data.spec as Record<string, unknown>;
    let ok = true;
    for (const field of TEXT_FIELDS) {
      const key = `spec.${field}`;
      const value = spec[field];
      if (blocked(`/spec/${field}`)) {
        ok = false;
        continue;
      }
      if (typeof value === 'string') {
        facts.texts[key] = value;
        facts.textOrigins[key] = scalarTextOrigin(ctx, findNode(ctx, ['spec', field]).node);
        continue;
      }
      const ref = isPlainObject(value) ? value.file : undefined;
      if (typeof ref !== 'string') {
        ok = false;
        continue;
      }
      const refNode = findNode(ctx, ['spec', field, 'file']).node;
      const result = await resolveFileRef(ref, this.rootReal, yamlDir, this.refCache);
      if (!result.ok) {
        this.error(nodeStart(ctx, refNode), result.rule, result.message);
        ok = false;
        continue;
      }
      const file = this.rel(result.absPath);
      this.files.add(file);
      facts.texts[key] = result.text;
      facts.textFiles[key] = file;
      const origin: TextOrigin = { file, line: 1, column: 1, exact: true, indentColumn: 1 };
      facts.textOrigins[key] = origin;
    }
    const examples = Array.isArray(spec.fewShotExamples) ? spec.fewShotExamples : [];
    examples.forEach((_, i) => {
      for (const part of ['input', 'output']) {
        facts.textOrigins[`spec.fewShotExamples.${i}.${part}`] = scalarTextOrigin(
          ctx,
          findNode(ctx, ['spec', 'fewShotExamples', String(i), part]).node,
        );
      }
    });
    return ok;
  }

  /** A document with YAML errors: what it seems to define is not reported as missing elsewhere. */
  rememberBroken(data: unknown): void {
    if (isPlainObject(data)) this.rememberUnloaded(data);
  }

  /** A document that failed: remember its identity so references to it are not errors too. */
  private rememberUnloaded(data: Record<string, unknown>): void {
    if (!data || typeof data !== 'object') return;
    const metadata = data.metadata as Record<string, unknown> | undefined;
    const spec = data.spec as Record<string, unknown> | undefined;
    if (data.kind === 'PromptTemplate' && typeof metadata?.name === 'string') this.unloadedTemplates.add(metadata.name);
    if (data.kind === 'PromptVersion' && typeof spec?.template === 'string' && spec.version !== undefined) {
      this.unloadedVersions.add(`${spec.template}@${String(spec.version)}`);
      // An unquoted 1.10 or a "v1.2": which label was meant is a guess, so routes of this
      // template to undeclared versions are not reported until the label is fixed.
      if (typeof spec.version !== 'string' || !SEMVER.test(spec.version)) this.templatesWithBadVersion.add(spec.template);
    }
  }

  finish(): LoadResult {
    const files = [...this.files].sort(byCodeUnit);
    const state: DesiredState = { ...this.state, config: this.config ?? defaultConfig(), files };
    const diagnostics = [...this.diagnostics];
    const ruleContext = {
      unloadedTemplates: this.unloadedTemplates,
      unloadedVersions: this.unloadedVersions,
      templatesWithBadVersion: this.templatesWithBadVersion,
    };
    diagnostics.push(...runRules(state, ruleContext));
    diagnostics.push(...runTextRules(this.textOnlyVersions, this.textOnlyOthers));
    // Budgets are per version, so they run on every version that loaded (one broken file must
    // not hide another's budget error), unless promptctl.yaml itself is broken: without its
    // models every custom model would be reported as unknown.
    const configBroken = this.configFailed || this.diagnostics.some((d) => d.file === this.configFile && d.severity === 'error');
    if (!configBroken) diagnostics.push(...budgetDiagnostics(state));
    diagnostics.sort(compareDiagnostics);
    const nothingLoaded = this.loadedDocuments === 0 && hasErrors(this.diagnostics);
    return { state: nothingLoaded ? null : state, diagnostics: dedupe(diagnostics), files };
  }
}

/** What the loader knows of a document before its texts are resolved: where it is, where its fields are. */
function documentFacts(ctx: DocContext): DocumentFacts {
  return { source: nodeStart(ctx, findKey(ctx, [], 'kind')), locations: collectLocations(ctx), texts: {}, textOrigins: {}, textFiles: {} };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function dedupe(sorted: Diagnostic[]): Diagnostic[] {
  return sorted.filter((d, i) => {
    const p = sorted[i - 1];
    return !p || p.file !== d.file || p.line !== d.line || p.column !== d.column || p.rule !== d.rule || p.message !== d.message;
  });
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
