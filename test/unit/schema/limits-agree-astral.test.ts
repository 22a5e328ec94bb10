// The server counts a string's length in UTF-16 code units (the emulator: value.length; Java's
// String.length()), while the document schemas' maxLength (ajv) counts code points. A label or
// description of emoji (two code units each) that the schema passes is then refused by the server
// halfway through an apply: exactly the disagreement limits-agree.test.ts means to rule out, with
// ASCII only.
import { describe, expect, it } from 'vitest';
import { validators } from '../../../src/schema/validator.js';
import { validateAiStudio } from '../../../src/emulator/aistudio-validate.js';

const emoji = (n: number): string => '\u{1F600}'.repeat(n); // n code points, 2n UTF-16 code units

const docAccepts = (kind: 'Guide' | 'SummarySetting', spec: Record<string, unknown>): boolean =>
  validators().validate(kind, { apiVersion: 'promptctl/v1', kind, metadata: { name: 'x' }, spec }).length === 0;
const serverAccepts = (body: 'SummarySetting' | 'GuideVersionCreate', json: Record<string, unknown>): boolean => {
  try {
    validateAiStudio(body, json);
    return true;
  } catch {
    return false;
  }
};

describe('document schemas and the server agree on limits for text beyond the BMP (emoji)', () => {
  it('SummarySetting participantLabels.internal of 200 emoji (400 UTF-16 units > 255)', () => {
    const v = emoji(200);
    expect({ doc: docAccepts('SummarySetting', { language: 'en-US', participantLabels: { internal: v } }), server: serverAccepts('SummarySetting', { name: 'x', language: 'en-US', participantLabels: { internal: v } }) }).toEqual({ doc: false, server: false });
  });

  it('SummarySetting customEntities label of 200 emoji', () => {
    const v = emoji(200);
    expect({ doc: docAccepts('SummarySetting', { language: 'en-US', customEntities: [{ label: v, description: 'd' }] }), server: serverAccepts('SummarySetting', { name: 'x', language: 'en-US', customEntities: [{ label: v, description: 'd' }] }) }).toEqual({ doc: false, server: false });
  });

  it('Guide knowledge description of 200 emoji (400 UTF-16 units > 300)', () => {
    const v = emoji(200);
    const k = { knowledgeId: '3f2a6a5e-8c1d-4a83-9d5c-2b7e4f0c1a90', description: v };
    expect({ doc: docAccepts('Guide', { instruction: 'Help.', knowledge: k }), server: serverAccepts('GuideVersionCreate', { instruction: 'Help.', knowledgeSettings: k }) }).toEqual({ doc: false, server: false });
  });
});
