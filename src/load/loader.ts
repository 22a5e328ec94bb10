// One prompts directory, document by document: each YAML document's header and schema checks
// (schema/), then its model (model/normalize, with {file: ...} texts resolved through config/:
// texts.ts); at the end the semantic rules (rules/) over the whole state, then the token budgets
// (tokens/). Documents that fail stay out of the desired state, but what they meant to define is
// remembered (so references to them are not errors too) and their own text is still checked.
import { compareDiagnostics, hasErrors, type Diagnostic } from '../model/diagnostic.js';
import {
  defaultConfig,
  documentEnvironments,
  normalizeConfig,
  normalizeFilter,
  normalizeGuide,
  normalizeSplit,
  normalizeSummarySetting,
  normalizeTemplate,
  normalizeVersion,
  type DocumentFacts,
} from '../model/normalize.js';
import { normalizeTest } from '../model/normalize-test.js';
import type { Config, DesiredState, FieldLocations, SourceLocation } from '../model/types.js';
import type { DocumentKind } from '../model/address.js';
import { CONFIG_FILE } from '../config/discover.js';
import { collectKeyLocations, collectLocations, findKey, findNode, foundAt, indexLocations, nodeStart, PathNames, type DocContext } from '../config/nodes.js';
import type { ParsedDocument } from '../config/parse.js';
import { checkHeader } from '../schema/header.js';
import { mapSchemaErrors, pointerSegments } from '../schema/errors.js';
import { onlyConditionalFields } from '../schema/conditional.js';
import { userSchemaProblem } from '../schema/user-schemas.js';
import { validators } from '../schema/validator.js';
import { ruleFindings } from '../rules/index.js';
import { withoutCredentials } from '../rules/secrets.js';
import { checkAuditFile, checkAuditSinks } from '../rules/audit-sinks.js';
import { checkEnvironmentConfig, checkEnvironmentNames, checkPromotionReach, environmentDiagnostics, singleEnvironmentDiagnostics } from '../rules/environments.js';
import { hasEnvironments } from '../model/environments.js';
import { configSecrets, type KnownSecret } from '../rules/util.js';
import { withLazyLocations } from './lazy-locations.js';
import { hasTextFields, locateOtherTexts, resolveTexts, TextOnlyDocuments, type TextSource } from './texts.js';
import { PartlyChecked } from './partial.js';
import { LeftOutDocuments, type LeftOutDocument } from './left-out.js';
import { UnloadedNames } from './unloaded.js';
import { FileComments } from './comments.js';
import { budgetDiagnostics, malformedModel, type TokenMemo } from '../tokens/index.js';
import type { ErrorObject } from 'ajv';

/** The schema's errors on a model id's spelling (schemas/common.schema.json $defs/modelId); its length limit is said as it is. */
const MODEL_ID_SPELLING = /\/\$defs\/modelId\/(pattern|minLength)$/;

export interface LoadResult {
  /**
   * The desired state. Partial when some documents failed to load (their diagnostics say which);
   * null only when nothing could be loaded at all. Callers that change anything must refuse on
   * any error diagnostic.
   */
  state: DesiredState | null;
  /**
   * Every document of every environment (with `environment`, `state` is that environment's own):
   * the promotion check works out the previous environment's state from it. Null with `state`.
   */
  union: DesiredState | null;
  /** Every problem, sorted by file, line and column. */
  diagnostics: Diagnostic[];
  /** Every file read (YAML and `{file: ...}` texts), relative to cwd, sorted. */
  files: string[];
  /**
   * The documents left out of the desired state, each with the first error inside it, ordered by
   * that error (left-out.ts); empty when none was. A document whose YAML could not be parsed is
   * here when its kind can be read, at the first error of its file outside every document parsed.
   */
  leftOut: LeftOutDocument[];
  /** promptctl.yaml as the diagnostics name it (relative to cwd), whether or not there is one. */
  configFile: string;
  /**
   * promptctl.yaml has errors and was left out: the state holds the default Config (the built-in
   * models only, the default defaultVariableTokens) and no budget was checked.
   */
  configDropped: boolean;
  /**
   * A directory of the prompts directory (or the directory itself) could not be listed (its
   * file/unreadable error says so): which YAML files it holds is not known, so none found is no news.
   */
  unlisted?: true;
}

/** Accumulates the model and diagnostics document by document. */
export class Loader {
  readonly diagnostics: Diagnostic[] = [];
  readonly files = new Set<string>();
  private readonly state: Omit<DesiredState, 'config' | 'files'> = {
    templates: [],
    versions: [],
    splits: [],
    filters: [],
    guides: [],
    summarySettings: [],
    tests: [],
  };
  private config: Config | undefined;
  private configFailed = false;
  /** The models of schema-valid Config documents outside promptctl.yaml (not used, but not "unknown" either). */
  private readonly strayModels: Config['models'][] = [];
  private configAt: string | undefined;
  private loadedDocuments = 0;
  /** What the documents that failed meant to define. */
  private readonly unloaded = new UnloadedNames();
  /** `model` values the schema refused as no model id at all, said as unknown models at the end. */
  private readonly malformedModels: { id: string; at: SourceLocation; guide: boolean }[] = [];
  /** The field paths of this load, shared by the documents' location indexes. */
  private readonly paths = new PathNames();
  /** How this load reads `{file: ...}` texts: the files read and their errors are the loader's. */
  private readonly texts: TextSource;
  /** Documents outside the desired state whose own text is still checked. */
  private readonly textOnly: TextOnlyDocuments;
  /** Documents outside the desired state whose model id and test vars are still checked. */
  private readonly partly = new PartlyChecked();
  /** Documents outside the desired state, as data for the caller (recorded only when one fails). */
  private readonly leftOut = new LeftOutDocuments();
  /** Every file's comments, checked for credentials at the end (the config's secrets known then). */
  readonly comments = new FileComments();

  constructor(
    rootReal: string,
    rel: (abs: string) => string,
    private readonly configFile: string,
    /** Where the budget checks count tokens (the caller's, so counts are shared and cached). */
    private readonly tokenMemo: TokenMemo,
    /** Secret values the run knows, looked for in prompt text (rules/secrets.ts). */
    private readonly knownSecrets: readonly KnownSecret[] = [],
    /** One environment (`--env`): the state and the checks are that environment's (DESIGN §6). */
    private readonly environment?: string,
    /** The values of variables promptctl.yaml names as secrets (LoadOptions.secretOf). */
    private readonly secretOf?: (name: string) => string | undefined,
  ) {
    const error = (at: { file: string; line: number; column: number }, rule: string, message: string) => this.error(at, rule, message);
    this.texts = { rootReal, rel, refCache: new Map(), files: this.files, error };
    this.textOnly = new TextOnlyDocuments(this.texts);
  }

  error(at: { file: string; line: number; column: number }, rule: string, message: string): void {
    this.diagnostics.push({ file: at.file, line: at.line, column: at.column, severity: 'error', rule, message });
  }

  async document(d: ParsedDocument, inConfigFile: boolean, yamlDir: string): Promise<void> {
    const ctx: DocContext = { file: d.file, doc: d.doc, src: d.src, lineCounter: d.lineCounter };
    const header = checkHeader(ctx, d.data);
    this.diagnostics.push(...header.diagnostics);
    const data = d.data as Record<string, unknown>;
    const kind = header.kind;
    // A misspelt kind key (`kinds: PromptTemplate`, said above): its value is the kind meant; a
    // misspelt kind value (`kind: PromptVersoin`), the kind its did-you-mean names. Either way what
    // refers to this document's name is not an error too.
    const meant = header.misspeltKind !== undefined ? data?.[header.misspeltKind] : header.meantKind;
    if (!kind) return this.unloaded.failed(typeof meant === 'string' && data && typeof data === 'object' ? { ...data, kind: meant } : data);

    // In the wrong file: reported, kept out of the desired state, but still checked in full.
    const misplaced = kind === 'Config' ? !inConfigFile : inConfigFile;
    if (misplaced) {
      const kindNode = findNode(ctx, ['kind']).at;
      this.error(
        nodeStart(ctx, kindNode),
        'config/misplaced',
        kind === 'Config'
          ? `the Config document belongs in ${CONFIG_FILE} at the top of the prompts directory (elsewhere it would be ignored)`
          : `${CONFIG_FILE} holds only the Config document; move this ${kind} to its own file`,
      );
    }

    // A top-level key the header named as a misspelt apiVersion is not an unknown field as well.
    const schemaErrors = validators()
      .validate(kind, d.data)
      .filter((e) => !(e.keyword === 'additionalProperties' && e.instancePath === '' && header.misspelt.includes(String((e.params as { additionalProperty?: unknown }).additionalProperty))));
    // A document lacking only a field an if/then asks for (a sticky split's stickyKey) is whole
    // otherwise: said, and still loaded, so its other problems show in the same run.
    const conditionalOnly = kind !== 'Config' && !misplaced && header.diagnostics.length === 0 && d.yamlProblems !== true && onlyConditionalFields(schemaErrors);
    if (conditionalOnly) this.diagnostics.push(...mapSchemaErrors(ctx, schemaErrors));
    // A document with a duplicate key or a null one (config/parse.ts `yamlProblems`, read without them) was
    // reported there: checked as one that failed the schema, never part of the desired state.
    const failed = misplaced || (schemaErrors.length > 0 && !conditionalOnly) || header.diagnostics.length > 0 || d.yamlProblems === true;
    if (failed) {
      // A model id too long is said as that alone (one mistake, one error), whatever else is wrong with it.
      const tooLong = new Set(schemaErrors.filter((e) => e.schemaPath.endsWith('/$defs/modelId/maxLength')).map((e) => e.instancePath));
      const mapped = mapSchemaErrors(ctx, schemaErrors.filter((e) => !(tooLong.has(e.instancePath) && MODEL_ID_SPELLING.test(e.schemaPath)) && !this.malformedModel(ctx, kind, e)));
      this.diagnostics.push(...mapped);
      // Models declared in a Config that did not load would otherwise all be "unknown". A Config
      // that is only misplaced is still read for its models, so budgets run everywhere else
      // (stopping them would hide every budget error for a stray file).
      if (kind === 'Config') {
        if (inConfigFile || schemaErrors.length > 0 || header.diagnostics.length > 0 || d.yamlProblems) this.configFailed = true;
        else this.strayModels.push(normalizeConfig(data, nodeStart(ctx, findKey(ctx, [], 'kind'))).models);
      }
      this.unloaded.failed(data);
      this.leftOut.parsed(kind, ctx, d);
      if (kind !== 'Config') this.partly.failed(kind, ctx, data, schemaErrors, () => kindFacts(kind, ctx, data, this.paths));
      return this.textOnly.schemaFailed(kind, ctx, data, schemaErrors, yamlDir, () => otherTextFacts(kind, ctx, data, this.paths));
    }

    const source = nodeStart(ctx, findKey(ctx, [], 'kind'));
    if (kind === 'Config') {
      if (this.config) {
        this.leftOut.parsed(kind, ctx, d);
        return this.error(source, 'config/duplicate', `a second Config document; the first is at ${this.configAt}`);
      }
      this.config = normalizeConfig(data, source);
      this.config.locations = collectLocations(ctx);
      this.configAt = `${source.file}:${source.line}:${source.column}`;
      this.loadedDocuments++;
      return;
    }

    const facts = kindFacts(kind, ctx, data, this.paths);
    if (hasTextFields(kind) && !(await resolveTexts(this.texts, kind, ctx, data, facts, yamlDir, () => false))) {
      // A `{file: ...}` text could not be read: the document stays out of the desired state, but
      // its other text and its model are still checked.
      this.unloaded.failed(data);
      this.leftOut.parsed(kind, ctx, d);
      this.partly.failed(kind, ctx, data, [], () => facts);
      return this.textOnly.unreadText(kind, data, facts);
    }
    this.add(kind, data, facts);
    this.loadedDocuments++;
  }

  private add(kind: Exclude<DocumentKind, 'Config'>, data: Record<string, unknown>, facts: DocumentFacts): void {
    // metadata.environments (DESIGN §6): which environments the document belongs to.
    const environments = documentEnvironments(data);
    const scoped = <T extends { environments?: string[] }>(r: T): T => (environments ? Object.assign(r, { environments }) : r);
    switch (kind) {
      case 'PromptTemplate':
        this.state.templates.push(scoped(normalizeTemplate(data, facts)));
        break;
      case 'PromptVersion':
        this.state.versions.push(scoped(normalizeVersion(data, facts)));
        break;
      case 'TrafficSplit':
        this.state.splits.push(scoped(normalizeSplit(data, facts)));
        break;
      case 'SafetyFilter':
        this.state.filters.push(scoped(normalizeFilter(data, facts)));
        break;
      case 'Guide':
        this.state.guides.push(scoped(normalizeGuide(data, facts)));
        break;
      case 'SummarySetting':
        this.state.summarySettings.push(scoped(normalizeSummarySetting(data, facts)));
        break;
      case 'PromptTest':
        this.state.tests.push(scoped(normalizeTest(data, facts)));
        break;
    }
  }

  /**
   * Whether `e` is the schema refusing a `model` as no model id at all (empty, `__proto__`): then
   * it is kept, to be said once at the end as the unknown model it is, with the config's models to
   * suggest from (tokens' `malformedModel`). The document still stays out of the desired state.
   */
  private malformedModel(ctx: DocContext, kind: DocumentKind, e: ErrorObject): boolean {
    if (e.propertyName !== undefined || typeof e.data !== 'string' || !MODEL_ID_SPELLING.test(e.schemaPath)) return false;
    const at = nodeStart(ctx, foundAt(findNode(ctx, pointerSegments(e.instancePath))));
    // "" fails both minLength and the pattern: one mistake, said once.
    if (!this.malformedModels.some((m) => m.at.file === at.file && m.at.line === at.line && m.at.column === at.column)) {
      this.malformedModels.push({ id: e.data, at, guide: kind === 'Guide' });
    }
    return true;
  }

  /** A document with YAML errors: what it seems to define is not reported as missing elsewhere. */
  rememberBroken(data: unknown): void {
    this.unloaded.broken(data);
  }

  /** A file (or a document) whose content could not be read: what it defines is unknown (unloaded.ts `unread`). */
  rememberUnread(file: string, rule: string, directory = false): void {
    this.unloaded.unread(file, rule, directory);
  }

  /**
   * The best-effort data of `file`'s documents with YAML errors, after its `documents` (those
   * parsed whole) went through `document`: recorded as left out (left-out.ts).
   */
  brokenDocuments(file: string, broken: readonly unknown[], documents: readonly ParsedDocument[]): void {
    this.leftOut.broken(file, broken, documents);
  }

  finish(): LoadResult {
    const files = [...this.files].sort(byCodeUnit);
    const union: DesiredState = { ...this.state, config: this.config ?? defaultConfig(), files };
    let state = union;
    const diagnostics = [...this.diagnostics];
    const knownSecrets = [...this.knownSecrets, ...configSecrets(union.config, this.secretOf)];
    const ruleContext = {
      ...this.unloaded.context(),
      jsonSchemaProblem: userSchemaProblem,
      knownSecrets,
    };
    // Environments (DESIGN §6): with one chosen, its state and its checks; otherwise the union and
    // every environment's own state.
    const run = (s: DesiredState) => ruleFindings(s, ruleContext);
    // Budgets need the Config's models, environment names its environments: when promptctl.yaml
    // is broken, neither is known, and checking against the default config would report every
    // model and every environment a document names as unknown (its own error says what is wrong).
    const configBroken = this.configFailed || this.diagnostics.some((d) => d.file === this.configFile && d.severity === 'error');
    if (this.config !== undefined || !configBroken) diagnostics.push(...checkEnvironmentNames(union), ...checkPromotionReach(union));
    diagnostics.push(...checkEnvironmentConfig(union.config), ...checkAuditFile(union.config), ...checkAuditSinks(union.config));
    // Surely unknown whatever the config says (its model ids are held to the same spelling).
    const models = withStrayModels(union, this.strayModels).config;
    diagnostics.push(...this.malformedModels.map((m) => malformedModel(m.id, m.at, models, m.guide)));
    if (this.environment !== undefined) {
      const one = singleEnvironmentDiagnostics(union, this.environment, run);
      state = one.state;
      diagnostics.push(...one.diagnostics);
    } else {
      const base = run(union);
      diagnostics.push(...base);
      if (hasEnvironments(union.config)) diagnostics.push(...environmentDiagnostics(union, base, run));
    }
    diagnostics.push(...this.textOnly.findings(knownSecrets));
    // Whatever the environment: a comment is in git for every one of them.
    diagnostics.push(...this.comments.findings(knownSecrets));
    // Documents that failed: their model ids (not when promptctl.yaml is broken, as for budgets)
    // and their tests' vars, against what the rules checked.
    const known = configBroken ? null : withStrayModels(state, this.strayModels).config;
    diagnostics.push(...this.partly.findings(state, known, ruleContext, this.tokenMemo, this.environment));
    // Budgets are per version, so they run on every version that loaded (one broken file must
    // not hide another's budget error), unless promptctl.yaml itself is broken (above).
    if (!configBroken) diagnostics.push(...budgetDiagnostics(withStrayModels(state, this.strayModels), this.tokenMemo));
    // The one pass that masks credentials in messages, over every diagnostic of the run: schema
    // and parse messages quote the values they refuse (`must be a number, not "sk-…"`), rules quote
    // text (`{{ghp_…}}` is also an undeclared placeholder); only secrets/detected's name them, by
    // kind. Before sorting, so the order and the duplicates are those of the messages printed.
    const shown = withoutCredentials(diagnostics, knownSecrets).sort(compareDiagnostics);
    const nothingLoaded = this.loadedDocuments === 0 && hasErrors(this.diagnostics);
    const all = dedupe(shown);
    const configDropped = configBroken && this.config === undefined;
    return { state: nothingLoaded ? null : state, union: nothingLoaded ? null : union, diagnostics: all, files, leftOut: this.leftOut.located(all), configFile: this.configFile, configDropped };
  }
}

/**
 * What the loader knows of a document before its texts are resolved: where it is, where its fields
 * are (indexed now, located when first asked: lazy-locations.ts).
 */
function documentFacts(ctx: DocContext, paths: PathNames): DocumentFacts {
  const facts = { source: nodeStart(ctx, findKey(ctx, [], 'kind')), texts: {}, textOrigins: {}, textFiles: {} };
  return withLazyLocations(facts, indexLocations(ctx, paths));
}

/** A document's facts with where its strings besides prompt text start (a left-out document's are checked too). */
function otherTextFacts(kind: DocumentKind, ctx: DocContext, data: Record<string, unknown>, paths: PathNames): DocumentFacts {
  const facts = documentFacts(ctx, paths);
  locateOtherTexts(kind, ctx, data, facts);
  return facts;
}

/**
 * A document's facts, with the key locations of the maps whose keys are names: a PromptTest's vars,
 * a TrafficSplit's environment overrides, a SafetyFilter's thresholds, the labels of the kinds
 * that send them; and where the strings the rules point into besides prompt text start.
 */
function kindFacts(kind: DocumentKind, ctx: DocContext, data: Record<string, unknown>, paths: PathNames): DocumentFacts {
  const facts = otherTextFacts(kind, ctx, data, paths);
  if (kind === 'PromptTest') {
    const anchored: FieldLocations = {};
    facts.keyLocations = collectKeyLocations(ctx, ['spec', 'cases'], anchored);
    if (Object.keys(anchored).length > 0) facts.anchoredLocations = anchored;
  } else if (kind === 'TrafficSplit') facts.keyLocations = collectKeyLocations(ctx, ['spec', 'environments']);
  else if (kind === 'SafetyFilter') facts.keyLocations = { ...collectKeyLocations(ctx, ['spec', 'thresholds']), ...collectKeyLocations(ctx, ['metadata', 'labels']) };
  else if (kind === 'PromptTemplate') facts.keyLocations = collectKeyLocations(ctx, ['metadata', 'labels']);
  return facts;
}

/**
 * `state` with the models of misplaced Configs added under its own (which win): a model declared
 * in the wrong file is reported as misplaced there, not as unknown at every use.
 */
function withStrayModels(state: DesiredState, stray: readonly Config['models'][]): DesiredState {
  if (stray.length === 0) return state;
  const models = Object.assign({}, ...stray, state.config.models) as Config['models'];
  return { ...state, config: { ...state.config, models } };
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
