// The shape of what promptctl reads from a target (targets/answer-shapes.ts): what passes, and how
// a problem is named (the object by its name, else its id or label; the field as a path; what it
// is against what it must be), escaped for a terminal.
import { describe, expect, it } from 'vitest';
import { ANSWER_SHAPES } from '../../../src/targets/answer-shapes.js';

const filter = { id: 'f1', name: 'pii-guard', priority: 1, categories: ['pii'], action: 'block_and_log', thresholds: { pii: 0.5 }, falsePositiveTolerance: 0.1, version: 1 };

describe('answer shapes', () => {
  it('pass an object with the fields promptctl relies on, whatever else the server adds, and absent or null optional ones', () => {
    expect(ANSWER_SHAPES.filter.problem({ ...filter, selfUri: '/x', somethingNew: { a: 1 } })).toBeUndefined();
    expect(ANSWER_SHAPES.filter.problem({ ...filter, labels: null, appliesTo: null, description: null })).toBeUndefined();
        expect(ANSWER_SHAPES.template.problem({ id: 't', name: 'a', version: 1, traffic: null })).toBeUndefined();
  });

  it('name what is missing, null or of another type, with the path to it', () => {
    const { categories: _, ...withoutCategories } = filter;
    expect(ANSWER_SHAPES.filter.problem(withoutCategories)).toBe('safety filter "pii-guard" without categories');
    expect(ANSWER_SHAPES.filter.problem({ ...filter, categories: null })).toBe('safety filter "pii-guard" whose categories is null, not a list');
    expect(ANSWER_SHAPES.filter.problem({ ...filter, thresholds: { pii: '0.5' } })).toBe('safety filter "pii-guard" whose thresholds.pii is a string, not a number');
    expect(ANSWER_SHAPES.filter.problem({ ...filter, version: 1.5 })).toBe('safety filter "pii-guard" whose version is the number 1.5, not an integer');
    expect(ANSWER_SHAPES.template.problem({ id: 't', name: 'a', version: 1, traffic: { strategy: 'random', routes: [{ version: '1.0.0', weight: true }], version: 1 } })).toBe(
      'prompt template "a" whose traffic.routes[0].weight is true, not a number',
    );
    expect(ANSWER_SHAPES.guide.problem({ id: 'g', name: 'x', latestSavedVersion: { version: 1 } })).toBe('guide "x" whose latestSavedVersion.version is the integer 1, not a string');
  });

  it('write a key that is not a plain word as a quoted key, never as a list index', () => {
    expect(ANSWER_SHAPES.filter.problem({ ...filter, labels: { '0': 5 } })).toBe('safety filter "pii-guard" whose labels["0"] is the integer 5, not a string');
    expect(ANSWER_SHAPES.filter.problem({ ...filter, thresholds: { 'a.b': 'x' } })).toBe('safety filter "pii-guard" whose thresholds["a.b"] is a string, not a number');
    expect(ANSWER_SHAPES.filter.problem({ ...filter, appliesTo: { templates: ['a', 3] } })).toBe('safety filter "pii-guard" whose appliesTo.templates[1] is the integer 3, not a string');
  });

  it('check what every read shows of who changed an object and when (drift prints them)', () => {
    expect(ANSWER_SHAPES.summarySetting.problem({ id: 's', name: 'a', language: 'en-US', dateModified: 1 })).toBe('summary setting "a" whose dateModified is the integer 1, not a string');
    expect(ANSWER_SHAPES.version.problem({ version: '1.0.0', state: 'Draft', systemInstruction: 's', userTemplate: 'u', modifiedBy: { id: 7 } })).toBe(
      'prompt version "1.0.0" whose modifiedBy.id is the integer 7, not a string',
    );
  });

  it('take a guide whose latest version reference has no label, and variable settings of any JSON (the SDK types them so)', () => {
    expect(ANSWER_SHAPES.guide.problem({ id: 'g', name: 'G', latestSavedVersion: { selfUri: '/x' } })).toBeUndefined();
    expect(ANSWER_SHAPES.guideVersion.problem({ version: '1.0', state: 'Draft', variables: [{ name: 'v', listValues: ['a', 'b'], validation: 'x' }] })).toBeUndefined();
    expect(ANSWER_SHAPES.guideVersion.problem({ version: '1.0' })).toBe('guide version "1.0" without state');
  });

  it('name an object by its id or version label when it has no name, and escape what a terminal would obey', () => {
    expect(ANSWER_SHAPES.guide.problem({ id: 'g-1' })).toBe('guide "g-1" without name');
    expect(ANSWER_SHAPES.guideVersion.problem({ version: '2.0', state: 'Draft', variables: 'x' })).toBe('guide version "2.0" whose variables is a string, not a list');
    expect(ANSWER_SHAPES.summarySetting.problem({})).toBe('summary setting without id');
    // Only a kind's own naming fields name it: a template's integer version is no name.
    expect(ANSWER_SHAPES.template.problem({ version: '3' })).toBe('prompt template without id');
    expect(ANSWER_SHAPES.summarySetting.problem({ id: 's', name: 'a\u001b[2Jb\nc', language: 5 })).toBe('summary setting "a\\u001b[2Jb\\u000ac" whose language is the integer 5, not a string');
  });
});

describe('answer shapes: keys of every spelling', () => {
  it('quote a key holding a quote, a backslash or a control character once, escaped for a terminal', () => {
    const f = { id: 'f1', name: 'n', priority: 1, categories: ['pii'], action: 'block_and_log', version: 1 };
    expect(ANSWER_SHAPES.filter.problem({ ...f, thresholds: { 'a"b\\c\u001b': 'x' } })).toBe('safety filter "n" whose thresholds["a\\"b\\\\c\\u001b"] is a string, not a number');
  });
});

describe('answer shapes: what a hostile server can put in a message', () => {
  it('clips a long name or key and escapes what would reorder or hide text', () => {
    const f = { id: 'f1', priority: 1, categories: ['pii'], action: 'block_and_log', version: 1 };
    const said = ANSWER_SHAPES.filter.problem({ ...f, name: `evil\u202e${'n'.repeat(200)}`, thresholds: { [`k${'\u001b]0;x\u0007'.repeat(500)}`]: 'x' } })!;
    expect(said).toContain('"evil\\u202e');
    expect(said).not.toMatch(/[\u0000-\u001f\u202e]/);
    expect(said.length).toBeLessThan(600);
  });

  it('names a split by its template, and says so only when it has one', () => {
    expect(ANSWER_SHAPES.traffic.problem({ templateId: 't-1', routes: 'x', version: 1 })).toBe('A/B split of prompt template "t-1" whose routes is a string, not a list');
    expect(ANSWER_SHAPES.traffic.problem({ version: 1 })).toBe('A/B split without routes');
    // strategy has its contract default (random): a split without one is read as it.
    expect(ANSWER_SHAPES.traffic.problem({ routes: [{ version: '1.0.0', weight: 100 }], version: 2 })).toBeUndefined();
  });
});
