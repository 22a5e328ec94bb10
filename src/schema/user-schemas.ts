// JSON Schemas written by users (a PromptTest's `jsonSchema` assertion): is it a schema a runner
// can use? Checked against the draft 2020-12 meta-schema and compiled once, with a private ajv
// that knows nothing of promptctl's own schemas.
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { didYouMean } from '../util/suggest.js';
import { pointerSegments } from './errors.js';
import { newAjv } from './validator.js';
import { messageOf } from '../util/errors.js';

export interface SchemaProblem {
  /** Where inside the user's schema (path segments from its root). */
  segments: string[];
  message: string;
}

let ajv: Ajv2020 | undefined;
/** What ajv warned of while compiling (not strict, it warns of an unknown format and ignores it). */
const warnings: string[] = [];

const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

function instance(): Ajv2020 {
  if (!ajv) {
    // Not strict: unknown keywords (a stray "example") are allowed by the specification.
    // Required on first use (newAjv): a run without a jsonSchema assertion never loads ajv.
    // Its warnings are kept, not written to the process's stderr: an unknown format is a problem.
    const logger = { log: () => undefined, warn: (...args: unknown[]) => void warnings.push(args.map(String).join(' ')), error: () => undefined };
    ajv = newAjv({ allErrors: false, strict: false, validateFormats: true, verbose: true, logger }, true);
  }
  return ajv;
}

/** What makes `schema` unusable as a JSON Schema (draft 2020-12), or undefined when it is fine. */
export function userSchemaProblem(schema: unknown): SchemaProblem | undefined {
  const a = instance();
  // A `$schema` naming another draft (draft-07, say): ajv throws rather than answer.
  const dialect = typeof schema === 'object' && schema !== null ? (schema as { $schema?: unknown }).$schema : undefined;
  if (typeof dialect === 'string' && !a.getSchema(dialect)) {
    return { segments: ['$schema'], message: `not a usable JSON Schema: its $schema ${JSON.stringify(dialect)} is not draft 2020-12 ("${DRAFT_2020_12}"), the draft the jsonSchema assertion checks with` };
  }
  if (!a.validateSchema(schema as object)) {
    const e = (a.errors ?? [])[0];
    if (e) {
      const where = e.instancePath ? ` at ${pointerSegments(e.instancePath).join('.')}` : '';
      let what = e.message ?? 'invalid';
      if (e.keyword === 'enum') {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
        what = `must be one of ${allowed.join(', ')}, not ${JSON.stringify(e.data)}${typeof e.data === 'string' ? didYouMean(e.data, allowed) : ''}`;
      }
      return { segments: pointerSegments(e.instancePath), message: `not a valid JSON Schema${where}: ${what}` };
    }
    return { segments: [], message: 'not a valid JSON Schema' };
  }
  // Every `$id` inside the schema is registered as it compiles; each schema is checked on its own.
  const before = new Set(Object.keys(a.refs));
  try {
    warnings.length = 0;
    a.compile(schema as object);
    // A format ajv does not know is ignored, and the assertion would pass whatever the value (a typo: "emial").
    for (const w of warnings) {
      const m = /^unknown format "(.*)" ignored in schema at path "#(.*)"$/s.exec(w);
      if (!m) continue;
      const known = Object.keys(a.formats).sort();
      return {
        segments: [...pointerSegments(m[2] ?? ''), 'format'],
        message: `not a usable JSON Schema: format ${JSON.stringify(m[1])} is not one the assertion can check${didYouMean(m[1] ?? '', known)}; known formats: ${known.join(', ')}`,
      };
    }
  } catch (err) {
    return { segments: [], message: `not a usable JSON Schema: ${messageOf(err)}` };
  } finally {
    a.removeSchema(schema as object);
    for (const id of Object.keys(a.refs)) if (!before.has(id)) delete a.refs[id];
  }
  return undefined;
}
