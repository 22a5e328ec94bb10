// The document schemas and the server (the emulator's wire validation) must agree on every limit
// of a field that reaches the wire: a document validate passes must not be refused halfway through
// an apply, and a live object the server holds must export to a document validate passes. Each
// case checks one limit at its boundary on both sides, and one step past it on both sides.
import { describe, expect, it } from 'vitest';
import { validators } from '../../../src/schema/validator.js';
import { validateAiStudio, type AiStudioBody } from '../../../src/emulator/aistudio-validate.js';

type Json = Record<string, unknown>;

interface Case {
  what: string;
  /** The document (kind, spec fields) and the wire body holding the value. */
  doc: (v: unknown) => { kind: 'Guide' | 'SummarySetting'; name?: string; spec: Json };
  wire: (v: unknown) => { body: AiStudioBody; json: Json };
  ok: unknown;
  refused: unknown;
}

const s = (n: number, c = 'a'): string => c.repeat(n);
/** One code point, two UTF-16 code units. */
const EMOJI = '\u{1F600}';
const list = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

const guide = (spec: Json) => ({ kind: 'Guide' as const, spec: { instruction: 'Help.', ...spec } });
const guideWire = (json: Json) => ({ body: 'GuideVersionCreate' as const, json: { instruction: 'Help.', ...json } });
const variable = (over: Json = {}) => ({ name: 'order', type: 'String', scope: 'Input', ...over });
const action = (over: Json = {}) => ({ id: 'a1', label: 'Get order', ...over });
const external = { serviceType: 'External', integrationId: 'i1' };
const setting = (spec: Json) => ({ kind: 'SummarySetting' as const, spec: { language: 'en-US', ...spec } });
const settingWire = (json: Json) => ({ body: 'SummarySetting' as const, json: { name: 'wrapup', language: 'en-US', ...json } });

const CASES: Case[] = [
  { what: 'Guide variables (count)', doc: (v) => guide({ variables: list(v as number, (i) => variable({ name: `v${i}` })) }), wire: (v) => guideWire({ variables: list(v as number, (i) => variable({ name: `v${i}` })) }), ok: 500, refused: 501 },
  { what: 'Guide variable name (length)', doc: (v) => guide({ variables: [variable({ name: v })] }), wire: (v) => guideWire({ variables: [variable({ name: v })] }), ok: s(255), refused: s(256) },
  { what: 'Guide variable description', doc: (v) => guide({ variables: [variable({ description: v })] }), wire: (v) => guideWire({ variables: [variable({ description: v })] }), ok: s(1_000_000), refused: s(1_000_001) },
  { what: 'Guide dataActions (count)', doc: (v) => guide({ dataActions: list(v as number, (i) => action({ id: `a${i}` })) }), wire: (v) => guideWire({ resources: { dataActions: list(v as number, (i) => action({ id: `a${i}` })) } }), ok: 500, refused: 501 },
  { what: 'Guide dataAction id (length)', doc: (v) => guide({ dataActions: [action({ id: v })] }), wire: (v) => guideWire({ resources: { dataActions: [action({ id: v })] } }), ok: s(1_000_000), refused: s(1_000_001) },
  { what: 'Guide dataAction id (blank)', doc: (v) => guide({ dataActions: [action({ id: v })] }), wire: (v) => guideWire({ resources: { dataActions: [action({ id: v })] } }), ok: ' a ', refused: '  ' },
  { what: 'Guide dataAction label (length)', doc: (v) => guide({ dataActions: [action({ label: v })] }), wire: (v) => guideWire({ resources: { dataActions: [action({ label: v })] } }), ok: s(1_000_000), refused: s(1_000_001) },
  { what: 'Guide dataAction label (blank)', doc: (v) => guide({ dataActions: [action({ label: v })] }), wire: (v) => guideWire({ resources: { dataActions: [action({ label: v })] } }), ok: ' a ', refused: '  ' },
  { what: 'Guide dataAction description', doc: (v) => guide({ dataActions: [action({ description: v })] }), wire: (v) => guideWire({ resources: { dataActions: [action({ description: v })] } }), ok: s(1_000_000), refused: s(1_000_001) },
  { what: 'Guide knowledge description', doc: (v) => guide({ knowledge: { knowledgeId: '3f2a6a5e-8c1d-4a83-9d5c-2b7e4f0c1a90', description: v } }), wire: (v) => guideWire({ knowledgeSettings: { knowledgeId: '3f2a6a5e-8c1d-4a83-9d5c-2b7e4f0c1a90', description: v } }), ok: s(300), refused: s(301) },
  { what: 'SummarySetting participantLabels.internal', doc: (v) => setting({ participantLabels: { internal: v } }), wire: (v) => settingWire({ participantLabels: { internal: v } }), ok: s(255), refused: s(256) },
  { what: 'SummarySetting participantLabels.external', doc: (v) => setting({ participantLabels: { external: v } }), wire: (v) => settingWire({ participantLabels: { external: v } }), ok: s(255), refused: s(256) },
  { what: 'SummarySetting participantLabels.internal (empty)', doc: (v) => setting({ participantLabels: { internal: v } }), wire: (v) => settingWire({ participantLabels: { internal: v } }), ok: '', refused: 7 },
  { what: 'SummarySetting customEntities label and description (empty)', doc: (v) => setting({ customEntities: [{ label: v, description: v }] }), wire: (v) => settingWire({ customEntities: [{ label: v, description: v }] }), ok: '', refused: 7 },
  { what: 'SummarySetting customEntities (count)', doc: (v) => setting({ customEntities: list(v as number, (i) => ({ label: `e${i}`, description: 'd' })) }), wire: (v) => settingWire({ customEntities: list(v as number, (i) => ({ label: `e${i}`, description: 'd' })) }), ok: 10, refused: 11 },
  { what: 'SummarySetting customEntities label', doc: (v) => setting({ customEntities: [{ label: v, description: 'd' }] }), wire: (v) => settingWire({ customEntities: [{ label: v, description: 'd' }] }), ok: s(255), refused: s(256) },
  { what: 'SummarySetting customEntities description', doc: (v) => setting({ customEntities: [{ label: 'l', description: v }] }), wire: (v) => settingWire({ customEntities: [{ label: 'l', description: v }] }), ok: s(10_000), refused: s(10_001) },
  { what: 'SummarySetting integrationId (length)', doc: (v) => setting({ ...external, integrationId: v }), wire: (v) => settingWire({ ...external, integrationId: v }), ok: s(1_000_000), refused: s(1_000_001) },
  { what: 'SummarySetting integrationId (blank)', doc: (v) => setting({ ...external, integrationId: v }), wire: (v) => settingWire({ ...external, integrationId: v }), ok: ' i ', refused: '  ' },
  { what: 'SummarySetting timeoutDuration (max)', doc: (v) => setting({ ...external, timeoutDuration: v }), wire: (v) => settingWire({ ...external, timeoutDuration: v }), ok: 86_400, refused: 86_401 },
  { what: 'SummarySetting timeoutDuration (min)', doc: (v) => setting({ ...external, timeoutDuration: v }), wire: (v) => settingWire({ ...external, timeoutDuration: v }), ok: 1, refused: 0 },
  // The Platform's knowledgeId is a UUID (assumptions.ts E12): both sides refuse any other string.
  { what: 'Guide knowledgeId (UUID)', doc: (v) => guide({ knowledge: { knowledgeId: v } }), wire: (v) => guideWire({ knowledgeSettings: { knowledgeId: v } }), ok: '3F2A6A5E-8C1D-4A83-9D5C-2B7E4F0C1A90', refused: 'kb-1' },
  { what: 'Guide knowledgeId (UUID without dashes)', doc: (v) => guide({ knowledge: { knowledgeId: v } }), wire: (v) => guideWire({ knowledgeSettings: { knowledgeId: v } }), ok: '3f2a6a5e-8c1d-4a83-9d5c-2b7e4f0c1a90', refused: '3f2a6a5e8c1d4a839d5c2b7e4f0c1a90' },
  // A variable's settings (SDK Variable): validation and listValues are any object; a List's item variables are variables; an attribute names its schema.
  { what: 'Guide variable listValues (an object)', doc: (v) => guide({ variables: [variable({ listValues: v })] }), wire: (v) => guideWire({ variables: [variable({ listValues: v })] }), ok: { values: ['a'] }, refused: ['a'] },
  { what: 'Guide variable validation (an object)', doc: (v) => guide({ variables: [variable({ validation: v })] }), wire: (v) => guideWire({ variables: [variable({ validation: v })] }), ok: { required: true }, refused: true },
  { what: 'Guide listVariables item (a variable)', doc: (v) => guide({ variables: [variable({ listVariables: [variable({ type: v })] })] }), wire: (v) => guideWire({ variables: [variable({ listVariables: [variable({ type: v })] })] }), ok: 'Date', refused: 'Text' },
  { what: 'Guide conversation attribute name (blank)', doc: (v) => guide({ variables: [variable({ customConversationAttributes: [{ attributeName: v, schema: { id: 's1' } }] })] }), wire: (v) => guideWire({ variables: [variable({ customConversationAttributes: [{ attributeName: v, schema: { id: 's1' } }] })] }), ok: ' a ', refused: '  ' },
  { what: 'Guide conversation attribute schema (its id, its link)', doc: (v) => guide({ variables: [variable({ customConversationAttributes: [{ attributeName: 'a', schema: v }] })] }), wire: (v) => guideWire({ variables: [variable({ customConversationAttributes: [{ attributeName: 'a', schema: v }] })] }), ok: { id: 's1', selfUri: '/api/v2/s1' }, refused: { selfUri: '/api/v2/s1' } },
  // DESIGN §2: the Genesys name, 1–255 characters.
  { what: 'Guide name (DESIGN §2)', doc: (v) => ({ ...guide({}), name: v as string }), wire: (v) => ({ body: 'GuideCreate', json: { name: v, source: 'Manual' } }), ok: s(255), refused: s(256) },
  { what: 'SummarySetting name (DESIGN §2)', doc: (v) => ({ ...setting({}), name: v as string }), wire: (v) => settingWire({ name: v }), ok: s(255), refused: s(256) },
  // Lengths in UTF-16 code units on both sides, as a Java server counts them: an emoji is two.
  { what: 'SummarySetting participantLabels.internal (emoji)', doc: (v) => setting({ participantLabels: { internal: v } }), wire: (v) => settingWire({ participantLabels: { internal: v } }), ok: s(127, EMOJI), refused: s(128, EMOJI) },
  { what: 'SummarySetting customEntities label (emoji)', doc: (v) => setting({ customEntities: [{ label: v, description: 'd' }] }), wire: (v) => settingWire({ customEntities: [{ label: v, description: 'd' }] }), ok: s(127, EMOJI), refused: s(128, EMOJI) },
  { what: 'Guide knowledge description (emoji)', doc: (v) => guide({ knowledge: { knowledgeId: '3f2a6a5e-8c1d-4a83-9d5c-2b7e4f0c1a90', description: v } }), wire: (v) => guideWire({ knowledgeSettings: { knowledgeId: '3f2a6a5e-8c1d-4a83-9d5c-2b7e4f0c1a90', description: v } }), ok: s(150, EMOJI), refused: s(151, EMOJI) },
];

function docAccepts(c: Case, v: unknown): boolean {
  const { kind, name, spec } = c.doc(v);
  return validators().validate(kind, { apiVersion: 'promptctl/v1', kind, metadata: { name: name ?? 'x' }, spec }).length === 0;
}

function serverAccepts(c: Case, v: unknown): boolean {
  const { body, json } = c.wire(v);
  try {
    validateAiStudio(body, json);
    return true;
  } catch {
    return false;
  }
}

describe('document schemas and the server agree on each limit', () => {
  for (const c of CASES) {
    it(c.what, () => {
      expect({ docAtLimit: docAccepts(c, c.ok), serverAtLimit: serverAccepts(c, c.ok) }).toEqual({ docAtLimit: true, serverAtLimit: true });
      expect({ docPastLimit: docAccepts(c, c.refused), serverPastLimit: serverAccepts(c, c.refused) }).toEqual({ docPastLimit: false, serverPastLimit: false });
    });
  }
});
