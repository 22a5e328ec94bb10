// Loading a prompts directory: discovery → parse → schema → model → rules → token budgets.
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { compareDiagnostics, type Diagnostic } from '../model/diagnostic.js';
import {
  defaultConfig,
  normalizeConfig,
  normalizeFilter,
  normalizeSplit,
  normalizeTemplate,
  normalizeVersion,
  type DocumentFacts,
} from '../model/normalize.js';
import type { Config, DesiredState, DocumentKind, TextOrigin } from '../model/types.js';
import { runRules } from '../rules/index.js';
import { checkHeader } from '../schema/header.js';
import { mapSchemaErrors } from '../schema/errors.js';
import { validators } from '../schema/validator.js';
import { budgetDiagnostics } from '../tokens/index.js';
import { UserError } from '../util/errors.js';
import { CONFIG_FILE, discoverYamlFiles } from './discover.js';
import { isInside, resolveFileRef, type FileRefResult } from './file-refs.js';
import { collectLocations, findKey, findNode, nodeStart, scalarTextOrigin, type DocContext } from './nodes.js';
import { parseYaml, type ParsedDocument } from './parse.js';
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
      loader.error({ file, line: read.line, column: read.column }, read.rule, read.message);
      continue;
    }
    const parsed = parseYaml(read.text, file);
    loader.diagnostics.push(...parsed.diagnostics);
    for (const d of parsed.documents) await loader.document(d, f === CONFIG_FILE, path.dirname(abs));
  }
  return loader.finish();
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
  private configAt: string | undefined;
  private loadedDocuments = 0;
  private readonly unloadedTemplates = new Set<string>();
  private readonly unloadedVersions = new Set<string>();
  private readonly refCache = new Map<string, Promise<FileRefResult>>();

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

    const kindNode = findNode(ctx, ['kind']).node;
    if (kind === 'Config' && !inConfigFile) {
      return this.error(nodeStart(ctx, kindNode), 'config/misplaced', `the Config document belongs in ${CONFIG_FILE} at the top of the prompts directory`);
    }
    if (kind !== 'Config' && inConfigFile) {
      this.rememberUnloaded(data);
      return this.error(nodeStart(ctx, kindNode), 'config/misplaced', `${CONFIG_FILE} holds only the Config document; move this ${kind} to its own file`);
    }

    const schemaErrors = validators().validate(kind, d.data);
    if (schemaErrors.length > 0 || header.diagnostics.length > 0) {
      const mapped = mapSchemaErrors(ctx, schemaErrors);
      this.diagnostics.push(...mapped);
      return this.rememberUnloaded(data);
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

    const facts: DocumentFacts = { source, locations: collectLocations(ctx), texts: {}, textOrigins: {}, textFiles: {} };
    if (kind === 'PromptVersion' && !(await this.resolveTexts(ctx, data, facts, yamlDir))) {
      return this.rememberUnloaded(data);
    }
    this.add(kind, data, facts);
    this.loadedDocuments++;
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

  /** Resolves inline and `{file: ...}` prompt text, recording where each text starts. */
  private async resolveTexts(ctx: DocContext, data: Record<string, unknown>, facts: DocumentFacts, yamlDir: string): Promise<boolean> {
    const spec = data.spec as Record<string, unknown>;
    let ok = true;
    for (const field of TEXT_FIELDS) {
      const key = `spec.${field}`;
      const value = spec[field];
      if (typeof value === 'string') {
        facts.texts[key] = value;
        facts.textOrigins[key] = scalarTextOrigin(ctx, findNode(ctx, ['spec', field]).node);
        continue;
      }
      const ref = String((value as { file: unknown }).file);
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

  /** A document that failed: remember its identity so references to it are not errors too. */
  private rememberUnloaded(data: Record<string, unknown>): void {
    if (!data || typeof data !== 'object') return;
    const metadata = data.metadata as Record<string, unknown> | undefined;
    const spec = data.spec as Record<string, unknown> | undefined;
    if (data.kind === 'PromptTemplate' && typeof metadata?.name === 'string') this.unloadedTemplates.add(metadata.name);
    if (data.kind === 'PromptVersion' && typeof spec?.template === 'string' && spec.version !== undefined) {
      this.unloadedVersions.add(`${spec.template}@${String(spec.version)}`);
    }
  }

  finish(): LoadResult {
    const files = [...this.files].sort(byCodeUnit);
    const state: DesiredState = { ...this.state, config: this.config ?? defaultConfig(), files };
    const diagnostics = [...this.diagnostics];
    diagnostics.push(...runRules(state, { unloadedTemplates: this.unloadedTemplates, unloadedVersions: this.unloadedVersions }));
    // Budgets are per version, so they run on every version that loaded (one broken file must
    // not hide another's budget error), unless promptctl.yaml itself is broken: without its
    // models every custom model would be reported as unknown.
    const configBroken = this.diagnostics.some((d) => d.file === this.configFile && d.severity === 'error');
    if (!configBroken) diagnostics.push(...budgetDiagnostics(state));
    diagnostics.sort(compareDiagnostics);
    const loadErrors = this.diagnostics.some((d) => d.severity === 'error');
    const nothingLoaded = this.loadedDocuments === 0 && loadErrors;
    return { state: nothingLoaded ? null : state, diagnostics: dedupe(diagnostics), files };
  }
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
