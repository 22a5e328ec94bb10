// What a document kept out of the desired state (a schema error, a `{file: ...}` text that could
// not be read, a YAML duplicate key) still lets us check beyond its own text (texts.ts), so one run
// reports every problem: its `model` id, when that field is itself well-formed, and a PromptTest's
// target, and the vars and well-formed assertions of each case whose own name and vars are
// well-formed. Only the parts the schema found nothing wrong with are used, and only checks that
// need nothing else of the document run on them: an error caused by another error is not reported. Nothing here joins the desired state (no
// plan, no budgets, no references); valid documents never come here, so a clean run pays nothing.
import type { ErrorObject } from 'ajv';
import type { Diagnostic } from '../model/diagnostic.js';
import { defaultConfig, documentEnvironments, normalizeGuide, normalizeTemplate, normalizeVersion, type DocumentFacts } from '../model/normalize.js';
import { normalizeTest } from '../model/normalize-test.js';
import type { Config, DesiredState, Guide, PromptTemplate, PromptVersion, SourceLocation } from '../model/types.js';
import type { DocumentKind } from '../model/address.js';
import { belongsTo } from '../model/environments.js';
import { findNode, foundAt, nodeStart, type DocContext } from '../config/nodes.js';
import { isPlainObject } from '../config/plain-data.js';
import { checkTestParts, type PartTest } from '../rules/tests.js';
import type { RuleContext } from '../rules/util.js';
import { budgetDiagnostics, type TokenMemo } from '../tokens/index.js';
import { resolveModel } from '../tokens/registry.js';

/** Kinds whose spec may name a model (PromptTemplate requires one; a version or guide may). */
const MODEL_KINDS: ReadonlySet<DocumentKind> = new Set(['PromptTemplate', 'PromptVersion', 'Guide']);

interface ModelUse {
  kind: 'PromptTemplate' | 'PromptVersion' | 'Guide';
  id: string;
  at: SourceLocation;
  environments: string[] | undefined;
}

/** Which paths the schema refused: an error at a path or below it makes that part unusable; one at a parent does not. */
interface Refused {
  /** An error at `pointer` or below it. */
  blocked(pointer: string): boolean;
  /** An error at `pointer` itself (a missing or unknown field of the object there). */
  at(pointer: string): boolean;
}

function refused(errors: readonly ErrorObject[]): Refused {
  return {
    blocked: (pointer) => errors.some((e) => e.instancePath === pointer || e.instancePath.startsWith(`${pointer}/`)),
    at: (pointer) => errors.some((e) => e.instancePath === pointer),
  };
}

export class PartlyChecked {
  private readonly models: ModelUse[] = [];
  private readonly tests: (PartTest & { environments: string[] | undefined })[] = [];

  /**
   * A document of `kind` outside the desired state, with the schema's `errors` (none for a
   * schema-valid one whose text could not be read). `newFacts` makes its DocumentFacts (with key
   * locations for a PromptTest), only when there is something to check.
   */
  failed(kind: DocumentKind, ctx: DocContext, data: Record<string, unknown>, errors: readonly ErrorObject[], newFacts: () => DocumentFacts): void {
    const spec = data.spec;
    if (!isPlainObject(spec)) return;
    const schema = refused(errors);
    if (MODEL_KINDS.has(kind) && typeof spec.model === 'string' && !schema.blocked('/spec/model')) {
      // Located now (the document's tree is not kept): this runs only for documents that failed.
      const at = nodeStart(ctx, foundAt(findNode(ctx, ['spec', 'model'])));
      this.models.push({ kind: kind as ModelUse['kind'], id: spec.model, at, environments: documentEnvironments(data) });
    }
    if (kind === 'PromptTest') this.test(data, spec, schema, newFacts);
  }

  /**
   * A PromptTest's target, and each case whose name and vars are usable, with its assertions the
   * schema found nothing wrong with: checked against the target as a loaded test's cases are. A
   * case without vars is checked for missing ones only when nothing is wrong at the case itself
   * (`varz:` for `vars:` would make every var "missing").
   */
  private test(data: Record<string, unknown>, spec: Record<string, unknown>, schema: Refused, newFacts: () => DocumentFacts): void {
    if (!isPlainObject(spec.target) || schema.blocked('/spec/target') || !Array.isArray(spec.cases)) return;
    const usable: number[] = [];
    // Unusable cases stay in place as empty ones (never checked), so each case keeps its index
    // and with it its locations.
    const cases = spec.cases.map((c: unknown, i) => {
      const at = `/spec/cases/${i}`;
      const nameOk = isPlainObject(c) && typeof c.name === 'string' && !schema.blocked(`${at}/name`);
      const varsOk = isPlainObject(c) && (c.vars === undefined ? !schema.at(at) : isPlainObject(c.vars) && !schema.blocked(`${at}/vars`));
      if (!nameOk || !varsOk) return { name: '', vars: {} };
      usable.push(i);
      // Each assertion the schema found nothing wrong with; the others stay in place as {} (no
      // assertion), so each keeps its index and with it its location.
      const expect = Array.isArray(c.expect) && !schema.at(`${at}/expect`) ? c.expect.map((a: unknown, j) => (schema.blocked(`${at}/expect/${j}`) ? {} : a)) : [];
      return { name: c.name, vars: c.vars ?? {}, expect };
    });
    const test = normalizeTest({ ...data, spec: { target: spec.target, cases } }, newFacts());
    this.tests.push({ test, cases: usable, environments: documentEnvironments(data) });
  }

  /**
   * What these checks find. `state` is what the rules check (one environment's with `--env`);
   * `config` holds the models known (none are checked when it is null: promptctl.yaml is broken,
   * so which models it declares is unknown, as for budgets).
   */
  findings(state: DesiredState, config: Config | null, ctx: RuleContext, memo: TokenMemo, environment: string | undefined): Diagnostic[] {
    const here = (r: { environments: string[] | undefined }) => environment === undefined || belongsTo(r, environment);
    const out: Diagnostic[] = [];
    if (this.tests.length > 0) out.push(...checkTestParts(state, this.tests.filter(here), ctx));
    const unknown = config === null ? [] : this.models.filter((m) => here(m) && !resolveModel(m.id, config));
    if (unknown.length > 0) out.push(...budgetDiagnostics(modelsOnly(unknown, config!), memo));
    return out;
  }
}

/**
 * A state holding only the unknown models' uses, each as the least model its kind can be: the
 * budget checks then say of each exactly what they say of a loaded document's unknown model (and
 * nothing else: a model they cannot resolve is all they look at).
 */
function modelsOnly(uses: readonly ModelUse[], config: Config): DesiredState {
  const templates: PromptTemplate[] = [];
  const versions: PromptVersion[] = [];
  const guides: Guide[] = [];
  for (const m of uses) {
    const facts: DocumentFacts = { source: m.at, locations: { 'spec.model': m.at }, texts: {}, textOrigins: {}, textFiles: {} };
    const doc = { spec: { model: m.id } };
    if (m.kind === 'PromptTemplate') templates.push(normalizeTemplate(doc, facts));
    else if (m.kind === 'PromptVersion') versions.push(normalizeVersion(doc, facts));
    else guides.push(normalizeGuide(doc, facts));
  }
  return { ...emptyState(), templates, versions, guides, config };
}

function emptyState(): DesiredState {
  return { templates: [], versions: [], splits: [], filters: [], guides: [], summarySettings: [], tests: [], config: defaultConfig(), files: [] };
}
