import { describe, expect, it } from 'vitest';
import { normalizeGuide, normalizeSummarySetting, type DocumentFacts } from '../../../src/model/normalize.js';
import { normalizeTest } from '../../../src/model/normalize-test.js';
import { normalizeText } from '../../../src/model/text.js';

const facts = (texts: Record<string, string> = {}): DocumentFacts => ({
  source: { file: 'f.yaml', line: 1, column: 1 },
  locations: {},
  texts,
  textOrigins: {},
  textFiles: {},
});

describe('normalizeText', () => {
  it('CRLF and lone CR become LF; a leading byte-order mark is dropped; nothing else changes', () => {
    expect(normalizeText('\ufeffa\r\nb\rc\n\nd\u2028')).toBe('a\nb\nc\n\nd\u2028');
    expect(normalizeText('x\ufeff')).toBe('x\ufeff');
    expect(normalizeText('')).toBe('');
  });
});

describe('AI Studio documents', () => {
  it('a Guide gets its defaults and its resolved instruction', () => {
    const g = normalizeGuide(
      { metadata: { name: 'Returns / exchanges' }, spec: { instruction: { file: 'g.md' }, variables: [{ name: 'a', type: 'String', scope: 'Input' }] } },
      facts({ 'spec.instruction': 'Hi {{Variable.a}}' }),
    );
    expect(g).toMatchObject({ kind: 'Guide', name: 'Returns / exchanges', instruction: 'Hi {{Variable.a}}', publish: 'ProductionReady', dataActions: [], labels: {} });
    expect(g.variables).toEqual([{ name: 'a', type: 'String', scope: 'Input' }]);
    expect(g.budget).toBeUndefined();
    const b = normalizeGuide({ metadata: { name: 'x' }, spec: { budget: { maxPromptTokens: 10 }, knowledge: { knowledgeId: '3f2a6a5e-8c1d-4a83-9d5c-2b7e4f0c1a90' } } }, facts());
    expect(b.budget).toEqual({ maxPromptTokens: 10, warnAt: 0.9 });
    expect(b.knowledge).toEqual({ knowledgeId: '3f2a6a5e-8c1d-4a83-9d5c-2b7e4f0c1a90' });
  });

  it('a SummarySetting keeps only what is set; a prompt makes it of type Prompt', () => {
    const s = normalizeSummarySetting({ metadata: { name: 'Voice' }, spec: { language: 'en-US', maskPII: false, predefinedInsights: ['Resolution'] } }, facts());
    expect(s).toEqual({
      kind: 'SummarySetting',
      name: 'Voice',
      labels: {},
      language: 'en-US',
      maskPII: false,
      predefinedInsights: ['Resolution'],
      source: { file: 'f.yaml', line: 1, column: 1 },
      locations: {},
    });
    expect(normalizeSummarySetting({ metadata: { name: 'P' }, spec: { language: 'it-IT' } }, facts({ 'spec.prompt': 'Summarise.' })).prompt).toBe('Summarise.');
  });

  it('a PromptTest gets its defaults, one assertion per type, each with its location key', () => {
    const t = normalizeTest(
      {
        metadata: { name: 'smoke' },
        spec: {
          target: { template: 'billing' },
          cases: [{ name: 'c', vars: { q: 'a\r\nb', n: 2 }, expect: [{ contains: 'x' }, { regex: 'y', not: true }, { equals: { a: [1] } }] }],
        },
      },
      facts(),
    );
    expect(t).toMatchObject({ kind: 'PromptTest', name: 'smoke', target: { template: 'billing' }, repeat: 1, threshold: 1, keyLocations: {} });
    expect(t.cases).toEqual([
      {
        name: 'c',
        vars: { q: 'a\nb', n: 2 },
        messages: [],
        expect: [
          { type: 'contains', value: 'x', not: false, path: 'spec.cases.0.expect.0.contains' },
          { type: 'regex', value: 'y', not: true, path: 'spec.cases.0.expect.1.regex' },
          { type: 'equals', value: { a: [1] }, not: false, path: 'spec.cases.0.expect.2.equals' },
        ],
      },
    ]);
    expect(normalizeTest({ metadata: { name: 'g' }, spec: { target: { guide: 'Returns' }, repeat: 3, threshold: 0.5, cases: [] } }, facts())).toMatchObject({
      target: { guide: 'Returns' },
      repeat: 3,
      threshold: 0.5,
    });
  });
});
