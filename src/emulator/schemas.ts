// Request-body validation against schemas/wire/*.schema.json (which reuse common.schema.json).
// Compiled once per process; a failure becomes a 400 naming the offending field.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { ApiFailure } from './errors.js';

export type WireSchema =
  | 'TemplateCreate'
  | 'TemplateUpdate'
  | 'VersionCreate'
  | 'VersionPatch'
  | 'JobCreate'
  | 'TrafficPut'
  | 'FilterCreate'
  | 'FilterUpdate';

const WIRE_ID = 'https://promptctl.dev/schemas/wire/';
// src/emulator and dist/emulator both sit two levels below the package root.
const SCHEMA_DIR = new URL('../../schemas/', import.meta.url);

let validators: Map<WireSchema, ValidateFunction> | undefined;

function compileAll(): Map<WireSchema, ValidateFunction> {
  const ajv = new Ajv2020({ allErrors: false, strict: true, strictTypes: false, strictRequired: false });
  const load = (rel: string): object => JSON.parse(readFileSync(fileURLToPath(new URL(rel, SCHEMA_DIR)), 'utf8')) as object;
  ajv.addSchema(load('common.schema.json'));
  for (const f of readdirSync(fileURLToPath(new URL('wire/', SCHEMA_DIR))).filter((n) => n.endsWith('.schema.json'))) {
    ajv.addSchema(load(`wire/${f}`));
  }
  const names: WireSchema[] = [
    'TemplateCreate',
    'TemplateUpdate',
    'VersionCreate',
    'VersionPatch',
    'JobCreate',
    'TrafficPut',
    'FilterCreate',
    'FilterUpdate',
  ];
  return new Map(names.map((n) => [n, ajv.getSchema(`${WIRE_ID}${n}.schema.json`) as ValidateFunction]));
}

/** Compiles the wire schemas (once per process); called at emulator start so a broken schema fails early. */
export function loadWireSchemas(): void {
  validators ??= compileAll();
}

/** Validates a request body; throws a 400 ApiFailure with `code` naming the first offending field. */
export function validateBody(schema: WireSchema, body: unknown, code = 'invalid.value'): void {
  loadWireSchemas();
  const validate = validators?.get(schema);
  if (!validate) throw new Error(`no wire schema ${schema}`);
  if (validate(body)) return;
  const err = pickError(validate.errors ?? []);
  const field = err ? fieldOf(err) : '';
  const what = err ? describe(err) : 'is invalid';
  throw new ApiFailure(400, code, field ? `${field} ${what}` : `request body ${what}`, [
    { errorCode: code, fieldName: field || 'body' },
  ]);
}

/** The most specific error: ajv reports combinator failures (anyOf/if) after their causes. */
function pickError(errors: ErrorObject[]): ErrorObject | undefined {
  return errors.find((e) => !['anyOf', 'oneOf', 'if', 'allOf'].includes(e.keyword)) ?? errors[0];
}

/** instancePath `/routes/0/weight` → `routes[0].weight`; required/unknown keys name the key itself. */
function fieldOf(e: ErrorObject): string {
  const parts = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required') parts.push(String((e.params as { missingProperty: string }).missingProperty));
  if (e.keyword === 'unevaluatedProperties') parts.push(String((e.params as { unevaluatedProperty: string }).unevaluatedProperty));
  if (e.keyword === 'additionalProperties') parts.push(String((e.params as { additionalProperty: string }).additionalProperty));
  // Errors raised inside propertyNames carry the offending key on the error itself.
  const key = (e as ErrorObject & { propertyName?: string }).propertyName ?? (e.params as { propertyName?: string }).propertyName;
  if (key !== undefined) parts.push(String(key));
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function describe(e: ErrorObject): string {
  if ((e as ErrorObject & { propertyName?: string }).propertyName !== undefined || e.keyword === 'propertyNames') return 'is not an allowed key';
  switch (e.keyword) {
    case 'required':
      return 'is required';
    case 'unevaluatedProperties':
    case 'additionalProperties':
      return 'is not a known field';
    case 'enum':
      return `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).join(', ')}`;
    default:
      return e.message ?? 'is invalid';
  }
}
