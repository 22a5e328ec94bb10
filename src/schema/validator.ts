// The JSON Schemas of schemas/, compiled once per process with ajv (draft 2020-12).
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DocumentKind } from '../model/types.js';

export const SCHEMA_BASE = 'https://promptctl.dev/schemas/';
export const DOCUMENT_KINDS: readonly DocumentKind[] = ['PromptTemplate', 'PromptVersion', 'TrafficSplit', 'SafetyFilter', 'Config'];

/** schemas/ at the package root: ../../schemas from both src/schema and dist/schema. */
export const SCHEMAS_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

export interface Validators {
  validate(kind: DocumentKind, data: unknown): ErrorObject[];
  /** The raw schema of a kind (for did-you-mean lists and descriptions). */
  schema(kind: DocumentKind): Record<string, unknown>;
}

let cached: Validators | undefined;

/** Compiles every schema once; later calls return the same validators. */
export function validators(): Validators {
  cached ??= build();
  return cached;
}

function build(): Validators {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    // `required` inside if/then (enum needs values, sticky needs stickyKey) names properties
    // declared by the enclosing schema; strictRequired would reject that valid pattern.
    strictRequired: false,
    // Prompt text is `string | {file}`: one union type, no oneOf noise in the errors.
    allowUnionTypes: true,
    verbose: true, // errors carry parentSchema: property lists for did-you-mean, descriptions
    useDefaults: false, // defaults are applied by normalisation, not by mutating the data
  });
  (addFormats as unknown as { default: (a: Ajv2020) => void }).default(ajv);
  const raw = new Map<string, Record<string, unknown>>();
  for (const name of readdirSync(SCHEMAS_DIR).filter((n) => n.endsWith('.schema.json')).sort()) {
    const schema = JSON.parse(readFileSync(SCHEMAS_DIR + name, 'utf8')) as Record<string, unknown>;
    raw.set(name, schema);
    ajv.addSchema(schema);
  }
  const compiled = new Map<DocumentKind, ValidateFunction>();
  for (const kind of DOCUMENT_KINDS) {
    const fn = ajv.getSchema(`${SCHEMA_BASE}${kind}.schema.json`);
    if (!fn) throw new Error(`schema for ${kind} missing from ${SCHEMAS_DIR}`);
    compiled.set(kind, fn);
  }
  return {
    validate(kind, data) {
      const fn = compiled.get(kind)!;
      return fn(data) ? [] : [...(fn.errors ?? [])];
    },
    schema(kind) {
      return raw.get(`${kind}.schema.json`)!;
    },
  };
}
