// A document's prompt texts (`string | {file: path}` fields), resolved and located as it loads
// (loader.ts); and the documents kept out of the desired state (a schema error, a `{file: ...}`
// text that could not be read) whose own text is still checked, by the text rules alone.
import type { ErrorObject } from 'ajv';
import type { Diagnostic } from '../model/diagnostic.js';
import {
  normalizeFilter,
  normalizeGuide,
  normalizeSummarySetting,
  normalizeTemplate,
  normalizeVersion,
  type DocumentFacts,
} from '../model/normalize.js';
import { normalizeTest } from '../model/normalize-test.js';
import { normalizeText, normalizedOrigin } from '../model/text.js';
import type { PromptTemplate, PromptTest, SafetyFilter, SummarySetting, TextOrigin } from '../model/types.js';
import type { DocumentKind } from '../model/address.js';
import { resolveFileRef, type FileRefResult } from '../config/file-refs.js';
import { findNode, nodeStart, type DocContext } from '../config/nodes.js';
import { scalarTextOriginLater } from '../config/text-origin.js';
import { setLazyEntry } from '../util/entries.js';
import { isPlainObject } from '../config/plain-data.js';
import { textRuleFindings, type TextOnlyGuide, type TextOnlyVersion } from '../rules/index.js';
import type { KnownSecret } from '../rules/util.js';

/** The prompt-text fields of each kind (`string | {file: path}`), resolved and located on load. */
const TEXT_FIELDS: Partial<Record<DocumentKind, readonly { field: string; optional?: boolean }[]>> = {
  PromptVersion: [{ field: 'systemInstruction' }, { field: 'userTemplate' }],
  Guide: [{ field: 'instruction' }],
  SummarySetting: [{ field: 'prompt', optional: true }],
};

/** Whether documents of `kind` hold prompt text (TEXT_FIELDS). */
export function hasTextFields(kind: DocumentKind): boolean {
  return TEXT_FIELDS[kind] !== undefined;
}

/** Where one load reads `{file: ...}` texts from, and where what reading them found goes. */
export interface TextSource {
  readonly rootReal: string;
  /** An absolute path as reported (relative to cwd). */
  readonly rel: (abs: string) => string;
  /** Each reference's read, shared by the documents of the load. */
  readonly refCache: Map<string, Promise<FileRefResult>>;
  /** Every file read by the load; each text file read joins it. */
  readonly files: Set<string>;
  error(at: { file: string; line: number; column: number }, rule: string, message: string): void;
}

/**
 * Resolves inline and `{file: ...}` prompt text (normalised: LF line ends, no byte-order mark),
 * recording where each text starts. Fields under a `blocked` path (a schema error there) are
 * skipped. True when every text field is usable (an absent optional one is).
 */
export async function resolveTexts(
  source: TextSource,
  kind: DocumentKind,
  ctx: DocContext,
  data: Record<string, unknown>,
  facts: DocumentFacts,
  yamlDir: string,
  blocked: (pointer: string) => boolean,
): Promise<boolean> {
  const spec = data.spec as Record<string, unknown>;
  let ok = true;
  for (const { field, optional } of TEXT_FIELDS[kind] ?? []) {
    const key = `spec.${field}`;
    const value = spec[field];
    if (value === undefined && optional) continue;
    if (blocked(`/spec/${field}`)) {
      ok = false;
      continue;
    }
    if (typeof value === 'string') {
      facts.texts[key] = normalizeText(value);
      // Where the text starts is needed only to report a problem inside it: worked out then.
      setLazyEntry(facts.textOrigins, key, normalizedOriginLater(scalarTextOriginLater(ctx, findNode(ctx, ['spec', field]).node), value));
      continue;
    }
    const ref = isPlainObject(value) ? value.file : undefined;
    if (typeof ref !== 'string') {
      ok = false;
      continue;
    }
    const refNode = findNode(ctx, ['spec', field, 'file']).at;
    const result = await resolveFileRef(ref, source.rootReal, yamlDir, source.refCache);
    if (!result.ok) {
      const at = nodeStart(ctx, refNode);
      if (result.inFile) {
        const { absPath, line, column } = result.inFile;
        source.error({ file: source.rel(absPath), line, column }, result.rule, `${result.message} (the text of ${at.file}:${at.line}:${at.column})`);
      } else source.error(at, result.rule, result.message);
      ok = false;
      continue;
    }
    const file = source.rel(result.absPath);
    source.files.add(file);
    facts.texts[key] = normalizeText(result.text);
    facts.textFiles[key] = file;
    const origin: TextOrigin = { file, line: 1, column: 1, exact: true, indentColumn: 1 };
    facts.textOrigins[key] = origin;
  }
  const examples = kind === 'PromptVersion' && Array.isArray(spec.fewShotExamples) ? spec.fewShotExamples : [];
  examples.forEach((example: unknown, i) => {
    for (const part of ['input', 'output'] as const) {
      const node = findNode(ctx, ['spec', 'fewShotExamples', String(i), part]).node;
      const origin = scalarTextOriginLater(ctx, node);
      // Normalised in the model (normalizeVersion), as every prompt text is: located in that text.
      const raw = isPlainObject(example) ? example[part] : undefined;
      setLazyEntry(facts.textOrigins, `spec.fewShotExamples.${i}.${part}`, typeof raw === 'string' ? normalizedOriginLater(origin, raw) : origin);
    }
  });
  // Variables' text defaults, kept as written: rules point into them as into a prompt (a default is sent in one).
  const variables = kind === 'PromptVersion' && Array.isArray(spec.variables) ? spec.variables : [];
  variables.forEach((x: unknown, i) => {
    if (!isPlainObject(x) || typeof x.default !== 'string') return;
    setLazyEntry(facts.textOrigins, `spec.variables.${i}.default`, scalarTextOriginLater(ctx, findNode(ctx, ['spec', 'variables', String(i), 'default']).node));
  });
  return ok;
}

/**
 * Where the strings other than prompt text start that the rules read and point into (a credential
 * pasted in a description, a label's value, a test's input; rules/secrets.ts): recorded as a
 * prompt text's origin is, worked out only when a finding is located, so one in a folded, quoted
 * or indented scalar is placed at its own line and column, not at the field's start. Only strings
 * as written (a list of values, a number, is located at its field).
 */
export function locateOtherTexts(kind: DocumentKind, ctx: DocContext, data: unknown, facts: DocumentFacts): void {
  if (!isPlainObject(data)) return;
  const at = (segments: string[], value: unknown): void => {
    if (typeof value === 'string') setLazyEntry(facts.textOrigins, segments.join('.'), scalarTextOriginLater(ctx, findNode(ctx, segments).node));
  };
  const metadata = isPlainObject(data.metadata) ? data.metadata : {};
  const spec = isPlainObject(data.spec) ? data.spec : {};
  const items = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const members = (v: unknown): [string, unknown][] => (isPlainObject(v) ? Object.entries(v) : []);
  for (const [key, value] of members(metadata.labels)) at(['metadata', 'labels', key], value);
  if (kind === 'PromptTemplate' || kind === 'SafetyFilter') at(['spec', 'description'], spec.description);
  if (kind === 'PromptVersion') {
    items(spec.variables).forEach((x, i) => {
      if (!isPlainObject(x)) return;
      at(['spec', 'variables', String(i), 'description'], x.description);
      // An enum's values, each at its own place (a value is sent in the prompt).
      items(x.values).forEach((v, j) => at(['spec', 'variables', String(i), 'values', String(j)], v));
    });
  }
  // Every string a guide variable holds: its description, its list variables' (nested), the
  // attributes it is bound to, its opaque validation and list values (few guides, small trees).
  const everyString = (segments: string[], value: unknown): void => {
    if (Array.isArray(value)) value.forEach((v, j) => everyString([...segments, String(j)], v));
    else if (isPlainObject(value)) for (const [key, v] of Object.entries(value)) everyString([...segments, key], v);
    else at(segments, value);
  };
  if (kind === 'Guide') items(spec.variables).forEach((x, i) => everyString(['spec', 'variables', String(i)], x));
  // An AI Studio object's name is free text (a Genesys name as it is), read by the rules as any string.
  if (kind === 'Guide' || kind === 'SummarySetting') at(['metadata', 'name'], metadata.name);
  if (kind === 'Guide') {
    items(spec.dataActions).forEach((x, i) => {
      for (const part of ['id', 'label', 'description']) at(['spec', 'dataActions', String(i), part], isPlainObject(x) ? x[part] : undefined);
    });
    at(['spec', 'knowledge', 'description'], isPlainObject(spec.knowledge) ? spec.knowledge.description : undefined);
  }
  if (kind === 'SummarySetting') {
    items(spec.customEntities).forEach((x, i) => {
      for (const part of ['label', 'description']) at(['spec', 'customEntities', String(i), part], isPlainObject(x) ? x[part] : undefined);
    });
    for (const [key, value] of members(spec.participantLabels)) at(['spec', 'participantLabels', key], value);
    at(['spec', 'integrationId'], spec.integrationId);
  }
  if (kind === 'PromptTest') {
    at(['metadata', 'name'], metadata.name);
    items(spec.cases).forEach((c, i) => {
      if (!isPlainObject(c)) return;
      const path = ['spec', 'cases', String(i)];
      at([...path, 'name'], c.name);
      for (const [name, value] of members(c.vars)) {
        // A list (a guide's List variable) is located value by value, as the secrets rule reads it.
        if (Array.isArray(value)) value.forEach((v, j) => at([...path, 'vars', name, String(j)], v));
        else at([...path, 'vars', name], value);
      }
      items(c.messages).forEach((m, j) => at([...path, 'messages', String(j), 'content'], isPlainObject(m) ? m.content : undefined));
    });
    items(spec.responses).forEach((r, i) => {
      if (!isPlainObject(r)) return;
      at(['spec', 'responses', String(i), 'output'], r.output);
      at(['spec', 'responses', String(i), 'match', 'contains'], isPlainObject(r.match) ? r.match.contains : undefined);
    });
  }
}

/**
 * The origin of `value`'s normalised text, worked out on the first call. A function of its own:
 * a closure made inside resolveTexts would share that function's scope, which holds `ctx`, and
 * keep every document's YAML tree alive for as long as the model (about 85 MB at 5,000 files).
 */
function normalizedOriginLater(origin: () => TextOrigin, value: string): () => TextOrigin {
  return () => normalizedOrigin(origin(), value);
}

/**
 * The documents of one load that are outside the desired state but whose own text is still
 * checked. Nothing here joins the desired state, so no reference, duplicate or budget rule sees it.
 */
export class TextOnlyDocuments {
  private readonly versions: TextOnlyVersion[] = [];
  private readonly others: (PromptTemplate | SafetyFilter)[] = [];
  private readonly guides: TextOnlyGuide[] = [];
  private readonly summaries: SummarySetting[] = [];
  private readonly tests: PromptTest[] = [];

  constructor(private readonly source: TextSource) {}

  /** A schema-valid document one of whose `{file: ...}` texts could not be read: its other text is still checked. */
  unreadText(kind: DocumentKind, data: Record<string, unknown>, facts: DocumentFacts): void {
    if (kind === 'PromptVersion') {
      this.versions.push({ version: normalizeVersion(data, facts), variablesKnown: true, allTextKnown: false });
    } else if (kind === 'Guide') {
      this.guides.push({ guide: normalizeGuide(data, facts), variablesKnown: true, allTextKnown: false });
    }
  }

  /**
   * A document that failed the schema: its own text is still checked where the schema found
   * nothing wrong with it (a secret next to `temperature: 3` must not wait for the next run).
   * `newFacts` makes its DocumentFacts (only when it has a spec to read).
   */
  async schemaFailed(
    kind: DocumentKind,
    ctx: DocContext,
    data: Record<string, unknown>,
    errors: readonly ErrorObject[],
    yamlDir: string,
    newFacts: () => DocumentFacts,
  ): Promise<void> {
    const spec = data.spec;
    if (!isPlainObject(spec)) return;
    // An error at a path or below it makes that part unusable; one at a parent (a missing or
    // unknown sibling field) does not.
    const blocked = (pointer: string) => errors.some((e) => e.instancePath === pointer || e.instancePath.startsWith(`${pointer}/`));
    const facts = newFacts();
    // The fields of the spec with no error at or below them, of those the text rules read besides
    // prompt text (a data action's label, a participant label: secrets/detected reads every string).
    const usableFields = (fields: Record<string, (v: unknown) => boolean>): Record<string, unknown> =>
      Object.fromEntries(Object.entries(fields).filter(([f, ok]) => ok(spec[f]) && !blocked(`/spec/${f}`)).map(([f]) => [f, spec[f]]));
    if (kind === 'PromptTemplate' || kind === 'SafetyFilter') {
      // Its labels are checked too when its description is not (absent, or the error is there).
      const usable = { ...data, spec: usableFields({ description: (v) => typeof v === 'string' }) };
      this.others.push(kind === 'PromptTemplate' ? normalizeTemplate(usable, facts) : normalizeFilter(usable, facts));
      return;
    }
    if (kind === 'Guide') {
      const allTextKnown = await resolveTexts(this.source, kind, ctx, data, facts, yamlDir, blocked);
      const variablesKnown = !blocked('/spec/variables') && (spec.variables === undefined || Array.isArray(spec.variables));
      const others = usableFields({ dataActions: (v) => Array.isArray(v) && v.every(isPlainObject), knowledge: isPlainObject });
      const usable = { ...others, instruction: '', variables: variablesKnown ? spec.variables : [] };
      this.guides.push({ guide: normalizeGuide({ ...data, spec: usable }, facts), variablesKnown, allTextKnown });
      return;
    }
    if (kind === 'SummarySetting') {
      await resolveTexts(this.source, kind, ctx, data, facts, yamlDir, blocked);
      const usable = usableFields({
        participantLabels: isPlainObject,
        customEntities: (v) => Array.isArray(v) && v.every(isPlainObject),
        integrationId: (v) => typeof v === 'string',
      });
      this.summaries.push(normalizeSummarySetting({ ...data, spec: usable }, facts));
      return;
    }
    if (kind === 'PromptTest') {
      this.tests.push(normalizeTest({ ...data, spec: usableTestParts(spec, blocked) }, facts));
      return;
    }
    if (kind !== 'PromptVersion') return;
    const allTextKnown = await resolveTexts(this.source, kind, ctx, data, facts, yamlDir, blocked);
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
    this.versions.push({ version, variablesKnown, allTextKnown });
  }

  /** What the text rules find in these documents. */
  findings(knownSecrets: readonly KnownSecret[]): Diagnostic[] {
    return textRuleFindings(this.versions, this.others, { guides: this.guides, summarySettings: this.summaries, tests: this.tests }, knownSecrets);
  }
}

/**
 * The parts of a failed PromptTest's spec the text rules read (each case's name, vars and
 * messages, each canned answer's output and match) where the schema found no error at or below
 * them; the rest left out (a part with an error is read as empty).
 */
function usableTestParts(spec: Record<string, unknown>, blocked: (pointer: string) => boolean): Record<string, unknown> {
  const ok = (pointer: string, value: unknown, shape: (v: unknown) => boolean) => shape(value) && !blocked(pointer);
  const objects = (v: unknown) => Array.isArray(v) && v.every(isPlainObject);
  const cases = Array.isArray(spec.cases)
    ? spec.cases.map((c: unknown, i) => {
        const at = `/spec/cases/${i}`;
        if (!isPlainObject(c)) return {};
        return {
          name: ok(`${at}/name`, c.name, (v) => typeof v === 'string') ? c.name : '',
          vars: ok(`${at}/vars`, c.vars, isPlainObject) ? c.vars : {},
          messages: ok(`${at}/messages`, c.messages, objects) ? c.messages : [],
        };
      })
    : [];
  const responses = ok('/spec/responses', spec.responses, objects) ? spec.responses : [];
  return { cases, responses };
}
