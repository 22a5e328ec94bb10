// Request-body checks for the AI Studio routes, as the SDK's models type the bodies (field names,
// types, enums, required fields). A failure is a 400 invalid.value naming the field; unknown fields
// are refused, read-only fields sent back from a GET are accepted and ignored (assumptions.ts E10).
// A knowledgeId must be a UUID, as the Platform requires (assumptions.ts E12).
// `null` counts as absent (the handlers decide what an explicit null clears).
import {
  GUIDE_PUBLISH_STATES,
  GUIDE_SOURCES,
  KNOWLEDGE_TYPES,
  SESSION_INPUT_MODES,
  SESSION_INPUT_TYPES,
  SUMMARY_FORMATS,
  SUMMARY_INSIGHTS,
  SUMMARY_SERVICE_TYPES,
  SUMMARY_SETTING_TYPES,
  SUMMARY_TYPES,
  VARIABLE_SCOPES,
  VARIABLE_TYPES,
} from '../targets/aistudio/wire.js';
import { invalidValue } from './errors.js';

type Spec =
  | { t: 'string'; min?: number; max?: number; enum?: readonly string[]; uuid?: boolean }
  | { t: 'boolean' }
  | { t: 'integer'; min?: number; max?: number }
  | { t: 'map' }
  | { t: 'array'; of: Spec; max?: number; unique?: boolean }
  | { t: 'object'; fields: Record<string, Field>; readOnly?: readonly string[] };
type Field = Spec & { required?: boolean };

const str = (min = 0, max = 1_000_000): Spec => ({ t: 'string', min, max });
const oneOf = (values: readonly string[]): Spec => ({ t: 'string', enum: values });
const req = (s: Spec): Field => ({ ...s, required: true });
const NAME = str(1, 255);
/** The Guide schema's knowledge.knowledgeId pattern: hex digits of either case, dashed 8-4-4-4-12. */
const UUID = /^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$/;
const uuid = (): Spec => ({ t: 'string', uuid: true });

const VARIABLE: Spec = {
  t: 'object',
  fields: {
    name: req(str(1, 255)),
    type: req(oneOf(VARIABLE_TYPES)),
    scope: req(oneOf(VARIABLE_SCOPES)),
    description: str(),
    // VariableValidation and ListValues have no members in the SDK: any object, kept as sent.
    validation: { t: 'map' },
    listValues: { t: 'map' },
    customConversationAttributes: {
      t: 'array',
      of: {
        t: 'object',
        // ConversationAttribute {schema: ConversationAttributeSchema {id, selfUri}, attributeName}.
        fields: { schema: req({ t: 'object', fields: { id: req(str(1)) }, readOnly: ['selfUri'] }), attributeName: req(str(1)) },
      },
    },
  },
};
// A List variable's result variables are variables too.
(VARIABLE as { fields: Record<string, Field> }).fields['listVariables'] = { t: 'array', of: VARIABLE };

const VERSION_FIELDS: Record<string, Field> = {
  instruction: str(0, 100_000),
  variables: { t: 'array', of: VARIABLE, max: 500 },
  resources: {
    t: 'object',
    fields: {
      dataActions: {
        t: 'array',
        max: 500,
        of: { t: 'object', fields: { id: req(str(1)), label: req(str(1)), description: str() }, readOnly: ['selfUri'] },
      },
    },
  },
  knowledgeSettings: {
    t: 'object',
    fields: { knowledgeId: uuid(), description: str(0, 300), knowledgeType: oneOf(KNOWLEDGE_TYPES), inheritFromExternal: { t: 'boolean' } },
  },
};
const VERSION_READ_ONLY = ['version', 'state', 'guide', 'selfUri', 'dateCreated', 'dateModified'];

const SPECS = {
  GuideCreate: { t: 'object', fields: { name: req(NAME), source: req(oneOf(GUIDE_SOURCES)) } },
  GuideUpdate: {
    t: 'object',
    fields: { name: NAME },
    readOnly: ['id', 'status', 'source', 'dateCreated', 'dateModified', 'latestSavedVersion', 'latestProductionReadyVersion', 'selfUri'],
  },
  GuideVersionCreate: { t: 'object', fields: { ...VERSION_FIELDS, instruction: req(str(0, 100_000)) }, readOnly: VERSION_READ_ONLY },
  GuideVersionPatch: { t: 'object', fields: VERSION_FIELDS, readOnly: VERSION_READ_ONLY },
  GuideVersionPublishJobRequest: {
    t: 'object',
    fields: { guideVersion: req({ t: 'object', fields: { state: req(oneOf(GUIDE_PUBLISH_STATES)) } }) },
  },
  GuideSessionTurnRequest: {
    t: 'object',
    fields: {
      inputEvent: req({
        t: 'object',
        fields: {
          type: req(oneOf(SESSION_INPUT_TYPES)),
          text: str(0, 100_000),
          mode: req(oneOf(SESSION_INPUT_MODES)),
          invocationId: str(),
          invocations: {
            t: 'array',
            of: { t: 'object', fields: { group: req(str()), actionName: req(str()), output: req(str()) } },
          },
        },
      }),
      languageCode: req(str(2, 35)),
      version: req(str(1)),
      inputVariables: { t: 'array', max: 500, of: { t: 'object', fields: { name: str(), value: str() } } },
      knowledgeSettings: { t: 'object', fields: { knowledgeId: uuid(), description: str(0, 300), knowledgeType: oneOf(KNOWLEDGE_TYPES) } },
    },
  },
  SummarySetting: {
    t: 'object',
    fields: {
      name: req(NAME),
      language: req(str(2, 35)),
      summaryType: oneOf(SUMMARY_TYPES),
      format: oneOf(SUMMARY_FORMATS),
      maskPII: { t: 'object', fields: { all: req({ t: 'boolean' }) } },
      participantLabels: { t: 'object', fields: { internal: str(0, 255), external: str(0, 255) } },
      predefinedInsights: { t: 'array', of: oneOf(SUMMARY_INSIGHTS), unique: true },
      customEntities: { t: 'array', max: 10, of: { t: 'object', fields: { label: str(0, 255), description: str(0, 10_000) } } },
      settingType: oneOf(SUMMARY_SETTING_TYPES),
      prompt: str(0, 100_000),
      serviceType: oneOf(SUMMARY_SERVICE_TYPES),
      integrationId: str(1),
      timeoutDuration: { t: 'integer', min: 1, max: 86_400 },
    },
    // interactionType is readOnly in the swagger: accepted and ignored, like the other read-only fields.
    readOnly: ['id', 'dateCreated', 'dateModified', 'selfUri', 'interactionType'],
  },
} satisfies Record<string, Spec>;

export type AiStudioBody = keyof typeof SPECS;

/** Checks a request body against the SDK model's shape; throws a 400 naming the first bad field. */
export function validateAiStudio(schema: AiStudioBody, body: unknown): void {
  check(body, SPECS[schema], '', 0);
}

/**
 * How deep a body's objects and lists may nest (list variables hold list variables): a hostile
 * body thousands deep overflowed the stack, a 500 that failed other clients' writes in its batch.
 */
const MAX_DEPTH = 64;

function check(value: unknown, spec: Spec, path: string, depth: number): void {
  const field = path || 'body';
  const fail = (what: string): never => {
    throw invalidValue(field, `${field} ${what}`);
  };
  if (depth > MAX_DEPTH && (spec.t === 'array' || spec.t === 'object')) return fail(`is nested too deeply (more than ${MAX_DEPTH} levels of objects and lists)`);
  switch (spec.t) {
    case 'string': {
      if (typeof value !== 'string') return fail('must be a string');
      if (spec.enum && !spec.enum.includes(value)) return fail(`must be one of ${spec.enum.join(', ')}`);
      if (spec.uuid && !UUID.test(value)) return fail('must be a UUID');
      if (spec.min !== undefined && value.trim().length < spec.min) return fail(spec.min === 1 ? 'must not be empty' : `must have at least ${spec.min} characters`);
      if (spec.max !== undefined && value.length > spec.max) return fail(`must have at most ${spec.max} characters`);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') fail('must be true or false');
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return fail('must be an integer');
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
        return fail(`must be between ${spec.min ?? '-∞'} and ${spec.max ?? '∞'}`);
      }
      return;
    case 'map':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('must be an object');
      // Free-form, but bounded like the rest: what is stored is serialised and read back whole.
      if (nestingDepth(value, MAX_DEPTH - depth) > MAX_DEPTH - depth) fail(`is nested too deeply (more than ${MAX_DEPTH} levels of objects and lists)`);
      return;
    case 'array': {
      if (!Array.isArray(value)) return fail('must be a list');
      if (spec.max !== undefined && value.length > spec.max) return fail(`must have at most ${spec.max} entries`);
      value.forEach((v, i) => check(v, spec.of, `${path}[${i}]`, depth + 1));
      if (spec.unique && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) fail('must not repeat an entry');
      return;
    }
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail('must be an object');
      const o = value as Record<string, unknown>;
      for (const key of Object.keys(o)) {
        if (!Object.hasOwn(spec.fields, key) && !spec.readOnly?.includes(key)) {
          throw invalidValue(join(path, key), `${join(path, key)} is not a known field`);
        }
      }
      for (const [key, f] of Object.entries(spec.fields)) {
        const v = Object.hasOwn(o, key) ? o[key] : undefined;
        if (v === undefined || v === null) {
          if (f.required) throw invalidValue(join(path, key), `${join(path, key)} is required`);
          continue;
        }
        check(v, f, join(path, key), depth + 1);
      }
      return;
    }
  }
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** How deep `value` nests (objects and lists), counted without recursion and no further than `limit` + 1. */
function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > deepest) deepest = d;
    if (deepest > limit) return deepest;
    for (const child of Object.values(v as Record<string, unknown>)) stack.push([child, d + 1]);
  }
  return deepest;
}
