// JSON Schemas written by users (a PromptTest's `jsonSchema` assertion): is it a schema a runner
// can use? Checked against the draft 2020-12 meta-schema and compiled once, with a private ajv
// that knows nothing of promptctl's own schemas.
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { didYouMean } from '../util/suggest.js';
import { pointerSegments } from './errors.js';
import { newAjv } from './validator.js';

export interface SchemaProblem {
  /** Where inside the user's schema (path segments from its root). */
  segments: string[];
  message: string;
}

let ajv: Ajv2020 | undefined;

const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

function instance(): Ajv2020 {
  if (!ajv) {
    // Not strict: unknown keywords (a stray "example") are allowed by the specification.
    // Required on first use (newAjv): a run without a jsonSchema assertion never loads ajv.
    ajv = newAjv({ allErrors: false, strict: false, validateFormats: true, verbose: true }, true);
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
  try {
    a.compile(schema as object);
  } catch (err) {
    return { segments: [], message: `not a usable JSON Schema: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    a.removeSchema(schema as object);
  }
  return undefined;
}
