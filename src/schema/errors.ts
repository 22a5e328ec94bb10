// ajv errors → one clear diagnostic per problem, at the YAML node it is about.
import type { ErrorObject } from 'ajv';
import { isMap, isScalar } from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import { ASSERTION_TYPES, type SourceLocation } from '../model/types.js';
import { findKey, findNode, foundAt, nodeStart, type DocContext } from '../config/nodes.js';
import { pointerSegments } from '../util/ajv-errors.js';
import { checkGuideVersionLabel, checkVersionLabel } from '../util/semver.js';
import { closest, didYouMean } from '../util/suggest.js';
import { lookalikeNote } from '../util/lookalike.js';
import { clip, describeValue, displayPath, patternFix, typeMessage, unknownFieldMessage } from './messages.js';
import { conditionalRequired } from './conditional.js';

/** Schema problems reported per document; past this the rest is usually one mistake's echo. */
const MAX_SCHEMA_ERRORS = 50;

const HEADER_FIELDS = new Set(['apiVersion', 'kind']);
const VERSION_PATH = /^\/spec\/(version|routes\/\d+\/version|target\/version|cases\/\d+\/expect\/\d+\/routedTo|responses\/\d+\/match\/version)$/;
/** A PromptTest response's match: `{version?, contains?, regex?}`. */
const RESPONSE_MATCH_PATH = /^\/spec\/responses\/\d+\/match$/;
/** A PromptTest assertion item: `{<type>: value, not?: true}`. */
const ASSERTION_PATH = /^\/spec\/cases\/\d+\/expect\/\d+$/;

export { pointerSegments };

interface Mapped {
  rule: string;
  message: string;
  at: SourceLocation;
  /** For a missing required field: dropped when an unknown field nearby is its misspelling. */
  collapseKey?: string;
}

export function mapSchemaErrors(ctx: DocContext, errors: readonly ErrorObject[]): Diagnostic[] {
  const kept = errors.filter(
    (e) =>
      e.keyword !== 'if' && // "must match then schema": the then-branch error says what
      e.keyword !== 'propertyNames' && // wrapper: the inner error (with propertyName) says what
      // Header problems (apiVersion, kind) are reported before dispatch.
      e.instancePath !== '/apiVersion' &&
      e.instancePath !== '/kind' &&
      !(e.keyword === 'required' && e.instancePath === '' && HEADER_FIELDS.has(String(e.params.missingProperty))),
  );
  const mapped: Mapped[] = [];
  const versionPathsDone = new Set<string>();
  // Unknown fields whose suggestion is a missing required field: report the typo once.
  const suggestedRequired = new Set<string>();

  const bracesDone = new Set<string>();
  // Fields written under an empty sibling's level instead of inside it (`spec:` then `model:` at
  // column 1): one "indent it under spec" each, and not "spec must be a mapping, not empty" too.
  const misplaced = underIndentedFields(ctx, kept);

  for (const e of kept) {
    if (e.keyword === 'type' && e.data === null && misplaced.emptied.has(e.instancePath)) continue;
    const segs = pointerSegments(e.instancePath);
    // `userTemplate: {{question}}`: YAML read a mapping; say that, once, instead of its echoes.
    const braced = bracedTextPath(ctx, segs);
    if (braced) {
      const key = braced.join('/');
      if (bracesDone.has(key)) continue;
      bracesDone.add(key);
      mapped.push({
        rule: 'schema/type',
        message: `${displayPath(braced)} starts with "{{", which YAML reads as a mapping, not text: put the whole text in quotes or in a | block`,
        at: nodeStart(ctx, findNode(ctx, braced).at),
      });
      continue;
    }
    if (VERSION_PATH.test(e.instancePath) && e.propertyName === undefined) {
      if (versionPathsDone.has(e.instancePath)) continue;
      versionPathsDone.add(e.instancePath);
      const { node, at } = findNode(ctx, segs);
      const raw = isScalar(node) && node.range ? ctx.src.slice(node.range[0], node.range[1]) : undefined;
      // A guide test's routedTo cannot hold, whatever the label (the rules' words); its response
      // version is a guide version's label ("2.0", as Genesys numbers them), not a semver.
      const forGuide = guideVersionProblem(ctx, segs, e.data, raw);
      if (forGuide !== undefined) {
        if (forGuide) mapped.push({ ...forGuide, at: nodeStart(ctx, at) });
        continue;
      }
      const problem = checkVersionLabel(e.data, raw, versionField(segs));
      if (problem) mapped.push({ rule: problem.rule, message: problem.message, at: nodeStart(ctx, at) });
      continue;
    }
    if (e.keyword === 'additionalProperties') {
      const prop = String((e.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys(((e.parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object);
      if (ASSERTION_PATH.test(e.instancePath)) {
        const types = allowed.filter((t) => t !== 'not');
        mapped.push({
          rule: 'tests/unknown-assertion',
          message: `unknown assertion type "${clip(prop)}"${didYouMean(prop, types)}; one of ${types.join(', ')}`,
          at: nodeStart(ctx, findKey(ctx, segs, prop) ?? findNode(ctx, segs).nearestAt),
        });
        continue;
      }
      const home = misplaced.fields.get(`${e.instancePath}\u0000${prop}`);
      if (home !== undefined) {
        const at = nodeStart(ctx, findKey(ctx, segs, prop) ?? findNode(ctx, segs).nearestAt);
        const parent = nodeStart(ctx, findKey(ctx, segs, home) ?? findNode(ctx, segs).nearestAt);
        mapped.push({
          rule: 'schema/unknown-field',
          message: `"${clip(prop)}" is a field of ${displayPath([...segs, home])}, which is empty: indent it under "${home}:" (line ${parent.line}), deeper than that key`,
          at,
        });
        continue;
      }
      const suggestion = closest(prop, allowed);
      if (suggestion !== undefined) suggestedRequired.add(`${e.instancePath}\u0000${suggestion}`);
      mapped.push({
        rule: 'schema/unknown-field',
        message: unknownFieldMessage(prop, segs, allowed, suggestion),
        at: nodeStart(ctx, findKey(ctx, segs, prop) ?? findNode(ctx, segs).nearestAt),
      });
      continue;
    }
    const m = mapOne(ctx, e, segs);
    if (m) mapped.push(m);
  }

  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const m of mapped) {
    if (m.collapseKey !== undefined && suggestedRequired.has(m.collapseKey)) continue;
    const message = m.message;
    const key = `${m.at.line}:${m.at.column}:${m.rule}:${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ file: m.at.file, line: m.at.line, column: m.at.column, severity: 'error', rule: m.rule, message });
  }
  if (out.length > MAX_SCHEMA_ERRORS) {
    const rest = out.length - MAX_SCHEMA_ERRORS;
    const last = out[MAX_SCHEMA_ERRORS]!;
    out.length = MAX_SCHEMA_ERRORS;
    out.push({ ...last, rule: 'schema/too-many-errors', message: `${rest} more schema problems in this document` });
  }
  return out;
}

/** The longest prefix of `segs` whose node is a flow mapping written as `{{…}}`, if any. */
function bracedTextPath(ctx: DocContext, segs: readonly string[]): string[] | undefined {
  for (let n = segs.length; n > 0; n--) {
    const node = findNode(ctx, segs.slice(0, n)).node;
    if (isMap(node) && node.flow && node.range && ctx.src.startsWith('{{', node.range[0])) return segs.slice(0, n);
  }
  return undefined;
}

function mapOne(ctx: DocContext, e: ErrorObject, segs: string[]): Mapped | undefined {
  const p = displayPath(segs);
  const parent = e.parentSchema as Record<string, unknown> | undefined;
  const found = () => findNode(ctx, segs);
  const valueAt = () => {
    const f = found();
    return nodeStart(ctx, foundAt(f));
  };

  // Errors about a key of a mapping (propertyNames: threshold categories, label keys, model ids).
  if (e.propertyName !== undefined) {
    const key = e.propertyName;
    const at = nodeStart(ctx, findKey(ctx, segs, key) ?? found().nearestAt);
    if (e.keyword === 'enum') {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const s = closest(key, allowed);
      return {
        rule: 'schema/enum',
        message: `unknown key "${clip(key)}" in ${p}${s ? ` (did you mean "${s}"?)` : ''}; allowed: ${allowed.join(', ')}`,
        at,
      };
    }
    const why = typeof parent?.description === 'string' ? `: ${parent.description}` : '';
    // `null:` or `~:` unquoted is YAML's null, which reads as the key "": say what was written.
    const keyNode = findKey(ctx, segs, key);
    if (key === '' && isScalar(keyNode) && keyNode.value === null) {
      const written = ctx.src.slice(keyNode.range?.[0] ?? 0, keyNode.range?.[1] ?? 0).trim();
      const rule = typeof parent?.description === 'string' ? ` (${parent.description.replace(/\.$/, '')})` : '';
      const message = written
        ? `key ${written} in ${p} is YAML's null, not the text "${written}": quote it if that is the name${rule}`
        : `a key in ${p} is empty: give it a name${rule}`;
      return { rule: 'schema/key', message, at };
    }
    // A key that only its case keeps from the pattern (`Dev:` for the environment dev): say the spelling that fits.
    const pattern = e.keyword === 'pattern' ? (e.params as { pattern?: string }).pattern : undefined;
    const lower = key.toLowerCase();
    const suggestion = pattern !== undefined && lower !== key && new RegExp(pattern, 'u').test(lower) ? ` (did you mean "${clip(lower)}"?)` : '';
    return { rule: 'schema/key', message: `key "${clip(key)}" in ${p} is not valid${suggestion}${why}`, at };
  }

  if (ASSERTION_PATH.test(e.instancePath) && (e.keyword === 'minProperties' || e.keyword === 'maxProperties')) {
    return assertionShape(ctx, e, segs);
  }

  if (RESPONSE_MATCH_PATH.test(e.instancePath) && e.keyword === 'not') {
    return {
      rule: 'tests/response-match',
      message: `${p} takes contains or regex, not both: a response matches the prompt by a substring or by a regular expression`,
      at: nodeStart(ctx, findKey(ctx, segs, 'regex') ?? found().nearestAt),
    };
  }

  switch (e.keyword) {
    case 'false schema': {
      const field = segs.at(-1) ?? '';
      if (segs.length === 3 && segs[0] === 'spec' && segs[1] === 'target') {
        return {
          rule: 'tests/target',
          message: `spec.target.${field} cannot go with guide: a test targets a template (with an optional version) or a guide, not both`,
          at: nodeStart(ctx, findKey(ctx, segs.slice(0, -1), field) ?? found().nearestAt),
        };
      }
      return { rule: 'schema/invalid', message: `${p} is not allowed here`, at: valueAt() };
    }
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      const conditional = conditionalRequired(e.schemaPath, missing);
      // The mapping that lacks the property: where its first entry starts.
      const f = found();
      const at = nodeStart(ctx, foundAt(f));
      if (conditional) {
        const cause = conditional.because === undefined ? undefined : findNode(ctx, [...segs, conditional.because]).at;
        return { rule: conditional.rule, message: conditional.message(ctx, segs), at: cause ? nodeStart(ctx, cause) : at };
      }
      return {
        rule: 'schema/required',
        message: `missing required field "${missing}"${segs.length ? ` in ${p}` : ''}`,
        at,
        collapseKey: `${e.instancePath}\u0000${missing}`,
      };
    }
    case 'type': {
      const expected = (e.params as { type: string | string[] }).type;
      return { rule: 'schema/type', message: typeMessage(p, expected, e.data), at: valueAt() };
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const s = typeof e.data === 'string' ? closest(e.data, allowed) : undefined;
      return {
        rule: 'schema/enum',
        message: `${p} must be one of ${allowed.join(', ')}, not ${describeValue(e.data)}${s ? ` (did you mean "${s}"?)` : ''}${typeof e.data === 'string' ? lookalikeNote(e.data) : ''}`,
        at: valueAt(),
      };
    }
    case 'const':
      return {
        rule: 'schema/enum',
        message: `${p} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}, not ${describeValue(e.data)}${typeof e.data === 'string' ? lookalikeNote(e.data) : ''}`,
        at: valueAt(),
      };
    case 'pattern': {
      const pattern = (e.params as { pattern: string }).pattern;
      const why = typeof parent?.description === 'string' ? parent.description : `must match ${pattern}`;
      const fix = typeof e.data === 'string' ? patternFix(e.data, pattern) : undefined;
      return {
        rule: 'schema/pattern',
        // A look-alike prints as the letter it imitates: the message says which character it is.
        message: `${p} ${describeValue(e.data)} is not valid: ${why.replace(/\.$/, '')}${fix ? ` (did you mean "${fix}"?)` : ''}${typeof e.data === 'string' ? lookalikeNote(e.data) : ''}`,
        at: valueAt(),
      };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const { comparison, limit } = e.params as { comparison: string; limit: number };
      const words: Record<string, string> = { '>=': 'at least', '<=': 'at most', '>': 'greater than', '<': 'less than' };
      return {
        rule: 'schema/range',
        message: `${p} must be ${words[comparison] ?? comparison} ${limit}, not ${describeValue(e.data)}`,
        at: valueAt(),
      };
    }
    case 'minLength':
    case 'maxLength': {
      const { limit } = e.params as { limit: number };
      // In UTF-16 code units, as the limit counts them (ajv unicode: false, validator.ts).
      const len = typeof e.data === 'string' ? e.data.length : 0;
      const message =
        e.keyword === 'minLength'
          ? limit === 1
            ? `${p} must not be empty`
            : `${p} must be at least ${limit} characters long (it is ${len})`
          : `${p} must be at most ${limit} characters long (it is ${len})`;
      return { rule: 'schema/length', message, at: valueAt() };
    }
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties': {
      const { limit } = e.params as { limit: number };
      const items = e.keyword.endsWith('Items');
      const count = items ? (Array.isArray(e.data) ? e.data.length : 0) : e.data && typeof e.data === 'object' ? Object.keys(e.data).length : 0;
      const noun = items ? (limit === 1 ? 'item' : 'items') : limit === 1 ? 'entry' : 'entries';
      const message = e.keyword.startsWith('min')
        ? `${p} needs at least ${limit} ${noun}`
        : `${p} may have at most ${limit} ${noun} (it has ${count})`;
      return { rule: 'schema/length', message, at: valueAt() };
    }
    case 'uniqueItems': {
      const { i, j } = e.params as { i: number; j: number };
      const later = Math.max(i, j);
      const earlier = Math.min(i, j);
      const f = findNode(ctx, [...segs, String(later)]);
      const item = Array.isArray(e.data) ? (e.data as unknown[])[later] : undefined;
      return {
        rule: 'schema/duplicate-item',
        // Counted as the paths in every other message are: from 0 (spec.categories[1]).
        message: `${p} lists ${describeValue(item)} twice (${p}[${earlier}] and ${p}[${later}])`,
        at: nodeStart(ctx, foundAt(f)),
      };
    }
    case 'format':
      return {
        rule: 'schema/format',
        message: `${p} must be a valid ${(e.params as { format: string }).format}, not ${describeValue(e.data)}`,
        at: valueAt(),
      };
    case 'oneOf':
    case 'anyOf':
      return { rule: 'schema/invalid', message: `${p} does not match any allowed form`, at: valueAt() };
    default:
      return { rule: 'schema/invalid', message: `${p} ${e.message ?? 'is not valid'}`, at: valueAt() };
  }
}

/** An assertion item with no type, or with more than one. */
function assertionShape(ctx: DocContext, e: ErrorObject, segs: string[]): Mapped {
  const data = (e.data && typeof e.data === 'object' ? e.data : {}) as Record<string, unknown>;
  const known: readonly string[] = ASSERTION_TYPES;
  const types = Object.keys(data).filter((k) => known.includes(k));
  const item = findNode(ctx, segs);
  if (types.length >= 2) {
    return {
      rule: 'tests/assertion-shape',
      message: `one assertion per list item: this one has ${types.length} types (${types.join(', ')}); move "${types[1]}" to an item of its own ("- ${types[1]}: …")`,
      at: nodeStart(ctx, findKey(ctx, segs, types[1]!) ?? foundAt(item)),
    };
  }
  return {
    rule: 'tests/assertion-shape',
    message: `an assertion needs a type: write {<type>: value}, one of ${known.join(', ')}`,
    at: nodeStart(ctx, foundAt(item)),
  };
}

/**
 * A routedTo or a response's match.version in a PromptTest whose target is a guide: for routedTo,
 * what the rules say of a well-formed one (tests.ts), since a semver would not make it hold
 * either; for a response's version, what is wrong with it as a guide version label (null: nothing,
 * the schema's error being another's). Undefined when the test's target is not a guide alone.
 */
function guideVersionProblem(ctx: DocContext, segs: readonly string[], data: unknown, raw: string | undefined): { rule: string; message: string } | null | undefined {
  if (segs[1] !== 'cases' && segs[1] !== 'responses') return undefined;
  // A guide alone: with a template beside it (its own error) which one was meant is not known.
  if (findNode(ctx, ['spec', 'target', 'guide']).node === undefined || findNode(ctx, ['spec', 'target', 'template']).node !== undefined) return undefined;
  if (segs[1] === 'cases') {
    return { rule: 'tests/assertion-target', message: 'routedTo is about the LLM Gateway (safety filters, traffic splits) and cannot hold for a guide; test it on a template target' };
  }
  return checkGuideVersionLabel(data, raw, versionField(segs)) ?? null;
}

/** The field a version label is in, as the message names it. */
function versionField(segs: readonly string[]): string {
  if (segs[1] === 'routes') return `routes[${segs[2]}].version`;
  if (segs[1] === 'target') return 'target.version';
  if (segs[1] === 'cases') return 'routedTo';
  if (segs[1] === 'responses') return `responses[${segs[2]}].match.version`;
  return 'version';
}

/**
 * Unknown fields that are fields of an empty sibling (its schema inline beside them): the
 * instancePath and field → that sibling's key; and the siblings' paths, whose "must be a mapping,
 * not empty" is their echo.
 */
function underIndentedFields(ctx: DocContext, errors: readonly ErrorObject[]): { fields: Map<string, string>; emptied: Set<string> } {
  const fields = new Map<string, string>();
  const emptied = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== 'additionalProperties') continue;
    const prop = String((e.params as { additionalProperty: string }).additionalProperty);
    const properties = (e.parentSchema as { properties?: Record<string, { properties?: object }> } | undefined)?.properties ?? {};
    const data = e.data as Record<string, unknown> | null;
    for (const [home, schema] of Object.entries(properties)) {
      if (!schema?.properties || !(prop in schema.properties)) continue;
      // Only a sibling present and empty (`spec:` with nothing after it): anywhere else the field may be meant where it is.
      if (data === null || typeof data !== 'object' || !(home in data) || data[home] !== null) continue;
      fields.set(`${e.instancePath}\u0000${prop}`, home);
      emptied.add(`${e.instancePath}/${home}`);
      break;
    }
  }
  return { fields, emptied };
}
