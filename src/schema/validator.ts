// The JSON Schemas of schemas/ (draft 2020-12) as validators, once per process: the ajv standalone
// code `npm run build` generated (documents.compiled.cjs next to this module), or, running from
// src/ or after a schema changed since the build, compiled now with ajv (util/precompiled.ts).
import type { AnySchemaObject, ErrorObject } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { DOCUMENT_KINDS, type DocumentKind } from '../model/address.js';
import { loadSchemaSet, UTF16_LENGTHS, type SchemaSet } from '../util/precompiled.js';

export const SCHEMA_BASE = 'https://promptctl.dev/schemas/';

/** schemas/ at the package root: ../../schemas from both src/schema and dist/schema. */
export const SCHEMAS_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

const require = createRequire(import.meta.url);

/** The ajv of the document schemas, with the plugins and options every path shares. */
export function newAjv(options: ConstructorParameters<typeof Ajv2020>[0], formats: boolean): Ajv2020 {
  const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const ajv = new Ajv(options);
  if (formats) (require('ajv-formats') as { default: (a: Ajv2020) => void }).default(ajv);
  return ajv;
}

/** Every schema of schemas/ (one per kind, the config, the shared definitions), validating the document kinds. */
export const DOCUMENT_SCHEMAS: SchemaSet<DocumentKind> = {
  files: () =>
    readdirSync(SCHEMAS_DIR)
      .filter((n) => n.endsWith('.schema.json'))
      .sort()
      .map((n) => SCHEMAS_DIR + n),
  ajv(schemas, source) {
    const ajv = newAjv(
      {
        allErrors: true,
        strict: true,
        // `required` inside if/then (enum needs values, sticky needs stickyKey) names properties
        // declared by the enclosing schema; strictRequired would reject that valid pattern.
        strictRequired: false,
        // Prompt text is `string | {file}`: one union type, no oneOf noise in the errors.
        allowUnionTypes: true,
        verbose: true, // errors carry parentSchema: property lists for did-you-mean, descriptions
        useDefaults: false, // defaults are applied by normalisation, not by mutating the data
        // maxLength in UTF-16 code units, as the server counts (Java's String.length()): an emoji is
        // two, so a text the schema passes is never refused as too long halfway through an apply.
        ...UTF16_LENGTHS,
        ...(source ? { code: { source: true } } : {}),
      },
      true,
    );
    for (const schema of schemas) ajv.addSchema(schema);
    return ajv;
  },
  exports: Object.fromEntries(DOCUMENT_KINDS.map((k) => [k, `${SCHEMA_BASE}${k}.schema.json`])) as Record<DocumentKind, string>,
  module: new URL('../schema/documents.compiled.cjs', import.meta.url),
};

export interface Validators {
  validate(kind: DocumentKind, data: unknown): ErrorObject[];
  /** The raw schema of a kind (for did-you-mean lists and descriptions). */
  schema(kind: DocumentKind): Record<string, unknown>;
}

let cached: Validators | undefined;

/** Loads (or compiles) the validators once; later calls return the same validators. */
export function validators(): Validators {
  cached ??= build();
  return cached;
}

function build(): Validators {
  const set = loadSchemaSet(DOCUMENT_SCHEMAS);
  return {
    validate(kind, data) {
      const fn = set.validators.get(kind)!;
      return fn(data) ? [] : [...(fn.errors ?? [])];
    },
    schema(kind) {
      return set.schemas().get(`${SCHEMAS_DIR}${kind}.schema.json`) as AnySchemaObject;
    },
  };
}
